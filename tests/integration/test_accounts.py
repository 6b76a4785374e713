"""Accounts and keys, through the real flows against the simulator.

A key is rotated mid-match by reauth and by reconfigure: the same entry, its
devices and entity ids stay, and every goal still fires once. A key of another
account is refused on the form; a second key of a configured account aborts.
"""

from collections.abc import Generator
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigEntryState,
)
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.live_scores import feed
from custom_components.live_scores.const import DOMAIN, EVENT_GOAL
from custom_components.live_scores.feed.api import Credentials
from custom_components.live_scores.feed.model import Provider
from custom_components.live_scores.feed.privacy import account_hash
from tests.simulator import Simulator
from tests.simulator.config import (
    SAP_EMAIL,
    SAP_KEY,
    SAP_KEY_2,
    SAP_KEY_OTHER,
    SF_RAPIDAPI_KEY,
    SF_RAPIDAPI_KEY_2,
    SF_REFERENCE,
    SF_TOKEN,
    SF_TOKEN_2,
    SF_TOKEN_OTHER,
)

from .sim_helpers import FAST, configure, follow, until

STATUS = "sensor.mallorca_vs_real_madrid_status"
HOME = "sensor.mallorca_vs_real_madrid_home_score"
AWAY = "sensor.mallorca_vs_real_madrid_away_score"


@pytest.fixture(autouse=True)
def fast_feed() -> Generator[None]:
    """Reconnect at once."""
    with patch("custom_components.live_scores.coordinator.FEED_TIMING", FAST):
        yield


def _goals(events: list[Event]) -> list[tuple[Any, ...]]:
    return [(e.data["scoring_side"], e.data["home_score"], e.data["away_score"]) for e in events]


def _truth_goals(sim: Simulator) -> list[tuple[Any, ...]]:
    return [(g.side, g.home_score, g.away_score) for g in sim.truth.goals]


def _registered(hass: HomeAssistant, entry: ConfigEntry) -> tuple[set[str], set[str]]:
    """The entry's device ids and entity ids."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return {d.id for d in devices}, {e.entity_id for e in entities}


async def _entry(hass: HomeAssistant, provider: str, fields: dict[str, Any], url: str) -> Any:
    result = await configure(hass, provider, fields, url)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry = result["result"]
    await until(hass, lambda: entry.runtime_data.connected, "connected")
    return entry


async def _sap_entry(hass: HomeAssistant, sim: Simulator, key: str = SAP_KEY) -> Any:
    return await _entry(hass, "sportsapipro", {"api_key": key}, sim.sportsapipro_ws_url)


def _sf_direct(key: str) -> dict[str, Any]:
    return {"access": "direct", "api_key": key}


async def _follow_goals_match(hass: HomeAssistant, sim: Simulator, entry: ConfigEntry) -> None:
    sim.load_scenario("goals")
    await sim.advance(1)
    sap_id = str(sim.match("mll-rma").sap_id)
    await until(hass, lambda: any(g.id == sap_id for g in entry.runtime_data.games()), "indexed")
    await follow(hass, entry.entry_id, "match", sap_id)
    await until(hass, lambda: hass.states.get(STATUS).state == "scheduled", "scheduled")


async def _play(hass: HomeAssistant, sim: Simulator, until_minute: float | None = None) -> None:
    """Advance minute by minute, letting Home Assistant show each score."""
    match = sim.match("mll-rma")
    while not match.final and (until_minute is None or sim.clock.now() < until_minute * 60):
        await sim.advance(60)
        home, away = match.home_score, match.away_score
        if home is not None and home >= 0 and away is not None and away >= 0:
            await until(
                hass,
                lambda h=home, a=away: (
                    (hass.states.get(HOME).state, hass.states.get(AWAY).state) == (str(h), str(a))
                ),
                f"score {home}-{away} shown",
            )


async def _reconfigure(hass: HomeAssistant, entry: ConfigEntry) -> Any:
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )


async def _reauth(hass: HomeAssistant, entry: ConfigEntry) -> Any:
    """The reauth flow of `entry` (started by the user, or already by the feed)."""
    entry.async_start_reauth(hass)
    await hass.async_block_till_done()
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH
    return flow


async def _submit(hass: HomeAssistant, flow_id: str, user_input: dict[str, Any]) -> Any:
    return await hass.config_entries.flow.async_configure(flow_id, user_input)


# --- identity: the account, never the key ---------------------------------------------


async def test_identity_is_the_account(simulator: Simulator) -> None:
    """Keys of one account name one account; the address and the token stay hidden."""

    def sap(key: str) -> Credentials:
        return Credentials(Provider.SPORTSAPIPRO, key, url=simulator.sportsapipro_ws_url)

    def sf(key: str, access: Any = "direct") -> Credentials:
        url = (
            simulator.soccerfootball_rapidapi_url
            if access == "rapidapi"
            else simulator.soccerfootball_rest_url
        )
        return Credentials(Provider.SOCCERFOOTBALL, key, access=access, url=url)

    async with aiohttp.ClientSession() as session:
        one, two, other = [
            await feed.validate(sap(k), session, timing=FAST)
            for k in (SAP_KEY, SAP_KEY_2, SAP_KEY_OTHER)
        ]
        assert (
            one.account_id == two.account_id == account_hash("sportsapipro", f"email:{SAP_EMAIL}")
        )
        assert other.account_id not in (None, one.account_id)
        assert SAP_EMAIL not in repr(one)
        assert SAP_KEY not in repr(one)
        one, two, other = [
            await feed.validate(sf(k), session, timing=FAST)
            for k in (SF_TOKEN, SF_TOKEN_2, SF_TOKEN_OTHER)
        ]
        assert one.account_id == two.account_id is not None
        assert other.account_id not in (None, one.account_id)
        # /v1/token/status echoes the token: nothing of it is kept, nor the reference.
        assert SF_TOKEN not in repr(one)
        assert SF_REFERENCE not in repr(one)
        assert set(one.details) <= {
            "status",
            "expire_date",
            "max_connections",
            "max_subscribe_per_connection",
            "allowed_channels",
        }
        rapid = await feed.validate(sf(SF_RAPIDAPI_KEY, "rapidapi"), session, timing=FAST)
        assert rapid.account_id is None


# --- key rotation mid-match --------------------------------------------------------------


async def test_sap_rotate_key_by_reauth(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = await _sap_entry(hass, simulator)
    goals = async_capture_events(hass, EVENT_GOAL)
    await _follow_goals_match(hass, simulator, entry)
    await _play(hass, simulator, until_minute=20)  # 1-0
    unique_id = entry.unique_id
    before = _registered(hass, entry)
    assert before[0]
    assert before[1]

    # The user regenerates the key: the old one stops working at once [doc].
    await simulator.faults.revoke_key(SAP_KEY)
    await until(
        hass, lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)), "reauth"
    )
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == "reauth"
    flow_id = flow["flow_id"]
    # A key of another account: refused on the same form, with what to do.
    result = await _submit(hass, flow_id, {"api_key": SAP_KEY_OTHER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "wrong_account"}
    # The dead key.
    result = await _submit(hass, flow_id, {"api_key": SAP_KEY})
    assert result["errors"] == {"base": "invalid_auth"}
    # The new key of the same account.
    result = await _submit(hass, flow_id, {"api_key": f" {SAP_KEY_2} "})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await until(
        hass,
        lambda: entry.state is ConfigEntryState.LOADED and entry.runtime_data.connected,
        "reloaded with the new key",
    )
    assert entry.data["api_key"] == SAP_KEY_2
    assert entry.unique_id == unique_id
    assert hass.config_entries.async_entries(DOMAIN) == [entry]

    await simulator.push_scores()
    await _play(hass, simulator)
    await until(hass, lambda: hass.states.get(STATUS).state == "finished", "finished")
    assert _goals(goals) == _truth_goals(simulator)
    assert len(goals) == 5
    assert _registered(hass, entry) == before


async def test_sap_rotate_key_by_reconfigure(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = await _sap_entry(hass, simulator)
    goals = async_capture_events(hass, EVENT_GOAL)
    await _follow_goals_match(hass, simulator, entry)
    await _play(hass, simulator, until_minute=30)  # 1-1
    unique_id = entry.unique_id
    before = _registered(hass, entry)
    client = entry.runtime_data.client

    result = await _reconfigure(hass, entry)
    flow_id = result["flow_id"]
    url = {"advanced": {"url": simulator.sportsapipro_ws_url}}
    result = await _submit(hass, flow_id, {"api_key": SAP_KEY_OTHER, **url})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "wrong_account"}
    result = await _submit(hass, flow_id, {"api_key": "sap-never-issued", **url})
    assert result["errors"] == {"base": "invalid_auth"}
    assert entry.data["api_key"] == SAP_KEY
    assert entry.runtime_data.client is client  # nothing reloaded on a refusal
    result = await _submit(hass, flow_id, {"api_key": SAP_KEY_2, **url})
    assert result["reason"] == "reconfigure_successful"
    await until(
        hass,
        lambda: (
            entry.state is ConfigEntryState.LOADED
            and entry.runtime_data.client is not client
            and entry.runtime_data.connected
        ),
        "reloaded with the new key",
    )
    assert entry.data == {
        "provider": "sportsapipro",
        "api_key": SAP_KEY_2,
        "url": simulator.sportsapipro_ws_url,
    }
    assert entry.unique_id == unique_id
    # The old key is regenerated away afterwards: nothing depends on it any more.
    await simulator.faults.revoke_key(SAP_KEY)

    await simulator.push_scores()
    await _play(hass, simulator)
    await until(hass, lambda: hass.states.get(STATUS).state == "finished", "finished")
    assert _goals(goals) == _truth_goals(simulator)
    assert len(goals) == 5
    assert _registered(hass, entry) == before
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_sf_rotate_token_by_reconfigure(hass: HomeAssistant, simulator: Simulator) -> None:
    url = simulator.soccerfootball_rest_url
    entry = await _entry(hass, "soccerfootball", _sf_direct(SF_TOKEN), url)
    unique_id = entry.unique_id
    assert unique_id.startswith("soccerfootball:account:")
    simulator.load_scenario("goals")
    goals = async_capture_events(hass, EVENT_GOAL)
    # The feed names a match at its kick-off (MAIN match_start): then it is in the picker.
    sf_id = simulator.match("mll-rma").sf_id
    await simulator.advance(120)
    await until(hass, lambda: any(g.id == sf_id for g in entry.runtime_data.games()), "indexed")
    result = await follow(hass, entry.entry_id, "match", sf_id)
    assert result["title"] == "Mallorca vs Real Madrid"
    await _play(hass, simulator, until_minute=20)
    before = _registered(hass, entry)

    result = await _reconfigure(hass, entry)
    flow_id = result["flow_id"]
    result = await _submit(hass, flow_id, {**_sf_direct(SF_TOKEN_OTHER), "advanced": {"url": url}})
    assert result["errors"] == {"base": "wrong_account"}
    client = entry.runtime_data.client
    result = await _submit(hass, flow_id, {**_sf_direct(SF_TOKEN_2), "advanced": {"url": url}})
    assert result["reason"] == "reconfigure_successful"
    await until(
        hass,
        lambda: (
            entry.state is ConfigEntryState.LOADED
            and entry.runtime_data.client is not client
            and entry.runtime_data.connected
        ),
        "reloaded with the new token",
    )
    assert entry.data["api_key"] == SF_TOKEN_2
    assert entry.unique_id == unique_id
    await simulator.faults.revoke_key(SF_TOKEN)

    # Two more goals (23', 38'), each fired once; the rest of the match (VAR and
    # all) is the feed's business, tested in test_simulator.py.
    await _play(hass, simulator, until_minute=39)
    assert _goals(goals) == _truth_goals(simulator)
    assert len(goals) == 3
    assert _registered(hass, entry) == before


# --- duplicates ------------------------------------------------------------------------


async def test_second_key_of_a_configured_account(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    url = simulator.sportsapipro_ws_url
    entry = await _sap_entry(hass, simulator)
    assert SAP_EMAIL not in entry.unique_id
    for key in (SAP_KEY_2, SAP_KEY):
        result = await configure(hass, "sportsapipro", {"api_key": key}, url)
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "already_configured"
    # Another account is another entry.
    other = await _sap_entry(hass, simulator, SAP_KEY_OTHER)
    assert other.unique_id != entry.unique_id

    sf_url = simulator.soccerfootball_rest_url
    await _entry(hass, "soccerfootball", _sf_direct(SF_TOKEN), sf_url)
    result = await configure(hass, "soccerfootball", _sf_direct(SF_TOKEN_2), sf_url)
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 3


# --- RapidAPI: no identity, no false "wrong account" -----------------------------------


async def test_rapidapi_takes_any_working_key(hass: HomeAssistant, simulator: Simulator) -> None:
    direct_url = simulator.soccerfootball_rest_url
    rapid_url = simulator.soccerfootball_rapidapi_url
    entry = await _entry(hass, "soccerfootball", _sf_direct(SF_TOKEN), direct_url)
    # Direct -> RapidAPI: RapidAPI cannot say whose key it is; it is taken.
    result = await _reconfigure(hass, entry)
    client = entry.runtime_data.client
    result = await _submit(
        hass,
        result["flow_id"],
        {"access": "rapidapi", "api_key": SF_RAPIDAPI_KEY, "advanced": {"url": rapid_url}},
    )
    assert result["reason"] == "reconfigure_successful"
    await until(
        hass,
        lambda: (
            entry.state is ConfigEntryState.LOADED
            and entry.runtime_data.client is not client
            and entry.runtime_data.connected
        ),
        "on RapidAPI",
    )
    assert entry.data["access"] == "rapidapi"
    assert entry.unique_id.startswith("soccerfootball:key:")
    # Reauth with another RapidAPI key: taken too.
    await simulator.faults.revoke_key(SF_RAPIDAPI_KEY)
    result = await _reauth(hass, entry)
    result = await _submit(hass, result["flow_id"], {"api_key": SF_RAPIDAPI_KEY})
    assert result["errors"] == {"base": "invalid_auth"}
    result = await _submit(hass, result["flow_id"], {"api_key": SF_RAPIDAPI_KEY_2})
    assert result["reason"] == "reauth_successful"
    await until(
        hass,
        lambda: (
            entry.state is ConfigEntryState.LOADED
            and entry.runtime_data.connected
            and entry.runtime_data.client.state == "connected"
        ),
        "reauthenticated",
    )
    assert entry.data["api_key"] == SF_RAPIDAPI_KEY_2
    assert entry.data["access"] == "rapidapi"
    # The same RapidAPI key cannot be added twice.
    result = await configure(
        hass, "soccerfootball", {"access": "rapidapi", "api_key": SF_RAPIDAPI_KEY_2}, rapid_url
    )
    assert result["reason"] == "already_configured"


# --- migration of an entry stored by 1.1 --------------------------------------------------


async def test_migration_of_a_stored_entry(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = await _sap_entry(hass, simulator)
    goals = async_capture_events(hass, EVENT_GOAL)
    await _follow_goals_match(hass, simulator, entry)
    await _play(hass, simulator, until_minute=20)
    account_id = entry.unique_id
    before = _registered(hass, entry)
    subentries = dict(entry.subentries)
    assert await hass.config_entries.async_unload(entry.entry_id)
    # What 1.1 stored: the same entry, known by a hash of its key.
    hass.config_entries.async_update_entry(
        entry, unique_id=account_hash("sportsapipro", SAP_KEY), minor_version=1
    )
    assert entry.minor_version == 1

    assert await hass.config_entries.async_setup(entry.entry_id)
    await until(hass, lambda: entry.runtime_data.connected, "set up again")
    assert (entry.version, entry.minor_version) == (1, 2)
    assert entry.unique_id == account_id
    assert dict(entry.subentries) == subentries
    assert _registered(hass, entry) == before
    # Known by its account now: a second key of it is a duplicate.
    result = await configure(
        hass, "sportsapipro", {"api_key": SAP_KEY_2}, simulator.sportsapipro_ws_url
    )
    assert result["reason"] == "already_configured"

    await simulator.push_scores()
    await _play(hass, simulator)
    await until(hass, lambda: hass.states.get(STATUS).state == "finished", "finished")
    assert _goals(goals) == _truth_goals(simulator)
    assert len(goals) == 5
