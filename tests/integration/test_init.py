"""Setup, unload, setup errors, availability, reauth, repairs, migration (scripted feed)."""

import logging
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.api import AccountInfo, ConnectionState
from custom_components.live_scores.feed.errors import (
    AuthFailed,
    CannotConnect,
    PlanNotSupported,
    QuotaExceeded,
)
from custom_components.live_scores.feed.model import Status
from custom_components.live_scores.feed.privacy import account_hash

from .common import API_KEY, make_entry, match_subentry, setup_entry
from .fake_feed import ACCOUNT_ID, FakeFeed, make_match

STATUS = "sensor.mallorca_vs_real_madrid_status"


async def test_setup_and_unload(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    client = fake_feed.client
    assert client.started
    assert client.targets.matches == {"m1"}
    assert client.credentials.api_key == API_KEY
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert client.stopped
    assert hass.states.get(STATUS).state == STATE_UNAVAILABLE


@pytest.mark.parametrize(
    ("error", "state", "issue"),
    [
        (AuthFailed("no"), ConfigEntryState.SETUP_ERROR, None),
        (CannotConnect("down"), ConfigEntryState.SETUP_RETRY, None),
        (QuotaExceeded("spent"), ConfigEntryState.SETUP_RETRY, "quota_exceeded"),
        (PlanNotSupported("no ws"), ConfigEntryState.SETUP_ERROR, "plan_not_supported"),
    ],
)
async def test_setup_errors(  # noqa: PLR0917
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    issue_registry: ir.IssueRegistry,
    error: Exception,
    state: ConfigEntryState,
    issue: str | None,
) -> None:
    entry = make_entry()
    fake_feed.validate_error = error  # type: ignore[assignment]
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is state
    assert not fake_feed.client.started
    issues = {i.translation_key for i in issue_registry.issues.values() if i.domain == DOMAIN}
    assert issues == ({issue} if issue else set())
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert bool(flows) is isinstance(error, AuthFailed)


async def test_availability_logged_once(
    hass: HomeAssistant, fake_feed: FakeFeed, caplog: pytest.LogCaptureFixture
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    client = fake_feed.client
    client.push(make_match("m1"))
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == "scheduled"
    caplog.set_level(logging.INFO)
    client.connection(ConnectionState.DISCONNECTED, CannotConnect("socket closed"))
    client.connection(ConnectionState.CONNECTING)
    client.connection(ConnectionState.DISCONNECTED, CannotConnect("socket closed"))
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == STATE_UNAVAILABLE
    assert caplog.text.count("the feed is unavailable") == 1
    client.connection(ConnectionState.CONNECTED)
    client.connection(ConnectionState.CONNECTED)
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == "scheduled"
    assert caplog.text.count("the feed is back") == 1


async def test_runtime_auth_failure_starts_reauth(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    fake_feed.client.connection(ConnectionState.FAILED, AuthFailed("revoked"))
    await hass.async_block_till_done()
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == "reauth"
    assert flow["context"]["entry_id"] == entry.entry_id
    assert hass.states.get(STATUS).state == STATE_UNAVAILABLE


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (QuotaExceeded("spent", 3600), "quota_exceeded"),
        (PlanNotSupported("MAIN"), "plan_not_supported"),
    ],
)
async def test_runtime_issue_raised_and_cleared(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    issue_registry: ir.IssueRegistry,
    error: Exception,
    key: str,
) -> None:
    entry = make_entry()
    await setup_entry(hass, entry)
    fake_feed.client.connection(ConnectionState.FAILED, error)  # type: ignore[arg-type]
    issue = issue_registry.async_get_issue(DOMAIN, f"{key}_{entry.entry_id}")
    assert issue is not None
    assert issue.translation_key == key
    assert issue.translation_placeholders == {"title": entry.title}
    fake_feed.client.connection(ConnectionState.CONNECTED)
    assert issue_registry.async_get_issue(DOMAIN, f"{key}_{entry.entry_id}") is None


async def test_stop_persists_and_closes(
    hass: HomeAssistant, fake_feed: FakeFeed, hass_storage: dict[str, object]
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    client = fake_feed.client
    client.push(make_match("m1", score=(0, 0), status=Status.LIVE, minute=1))
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert client.stopped
    saved = hass_storage[f"live_scores.{entry.entry_id}"]["data"]
    assert "m1" in saved["matches"]  # type: ignore[index]
    # Unloading after the stop does nothing twice and logs no error.
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_remove_entry_drops_store(
    hass: HomeAssistant, fake_feed: FakeFeed, hass_storage: dict[str, object]
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    fake_feed.client.push(make_match("m1"))
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert f"live_scores.{entry.entry_id}" in hass_storage
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert f"live_scores.{entry.entry_id}" not in hass_storage


# --- migration 1.1 -> 1.2: from a hash of the key to the account ------------------


def _old_entry(data: dict[str, Any] | None = None, **kwargs: Any) -> MockConfigEntry:
    """An entry as 1.1 stored it: unique id = a hash of the key."""
    data = data or {"provider": "sportsapipro", "api_key": API_KEY}
    kwargs.setdefault("title", "SportsAPIPro (Pro)")
    return MockConfigEntry(
        domain=DOMAIN,
        data=data,
        unique_id=account_hash(data["provider"], data["api_key"]),
        version=1,
        minor_version=1,
        **kwargs,
    )


async def test_migrate_keeps_subentries_devices_and_entity_ids(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    entry = _old_entry(subentries_data=[match_subentry("m1")])
    entry.add_to_hass(hass)
    [subentry_id] = entry.subentries
    # What 1.1 registered, with an entity id the user changed.
    device = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        config_subentry_id=subentry_id,
        identifiers={(DOMAIN, subentry_id)},
        name="Mallorca vs Real Madrid",
    )
    renamed = entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{subentry_id}_status",
        config_entry=entry,
        config_subentry_id=subentry_id,
        device_id=device.id,
        suggested_object_id="my_match",
    )
    assert renamed.entity_id == "sensor.my_match"
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (1, 2)
    assert entry.unique_id == f"sportsapipro:account:{ACCOUNT_ID}"
    assert list(entry.subentries) == [subentry_id]
    assert [d.id for d in dr.async_entries_for_config_entry(device_registry, entry.entry_id)] == [
        device.id
    ]
    assert entity_registry.async_get_entity_id("sensor", DOMAIN, f"{subentry_id}_status") == (
        "sensor.my_match"
    )
    fake_feed.client.push(make_match("m1"))
    await hass.async_block_till_done()
    assert hass.states.get("sensor.my_match").state == "scheduled"


async def test_migrate_while_the_service_is_down(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """Migration needs no network; the account is learnt at the first setup that works."""
    entry = _old_entry()
    fake_feed.validate_error = CannotConnect("down")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.minor_version == 2
    assert entry.unique_id == f"sportsapipro:key:{account_hash('sportsapipro', API_KEY)}"
    fake_feed.validate_error = None
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.unique_id == f"sportsapipro:account:{ACCOUNT_ID}"


async def test_migrate_same_account_twice(
    hass: HomeAssistant, fake_feed: FakeFeed, caplog: pytest.LogCaptureFixture
) -> None:
    """Two 1.1 entries of one account (two keys): both keep working, the log says so."""
    first = _old_entry()
    second = _old_entry({"provider": "sportsapipro", "api_key": "second-key"}, title="Second")
    first.add_to_hass(hass)
    second.add_to_hass(hass)
    assert await hass.config_entries.async_setup(first.entry_id)
    await hass.async_block_till_done()
    assert first.state is second.state is ConfigEntryState.LOADED
    assert first.unique_id == f"sportsapipro:account:{ACCOUNT_ID}"
    assert second.unique_id == f"sportsapipro:key:{account_hash('sportsapipro', 'second-key')}"
    assert "are the same account; remove one of them" in caplog.text
    assert "second-key" not in caplog.text
    assert API_KEY not in caplog.text


async def test_migrate_rapidapi_stays_known_by_its_key(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    data = {"provider": "soccerfootball", "api_key": "rapid", "access": "rapidapi"}
    entry = _old_entry(data)
    fake_feed.account = AccountInfo(account_id=None)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 2
    assert entry.unique_id == f"soccerfootball:key:{account_hash('soccerfootball', 'rapid')}"
