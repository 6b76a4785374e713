"""The live_scores.fire_test_event action."""

from types import MappingProxyType

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.live_scores.const import DOMAIN, EVENT_GOAL
from custom_components.live_scores.feed.model import Status

from .common import make_entry, match_subentry, setup_entry, team_subentry
from .fake_feed import FakeFeed, make_match
from .test_spoiler import delayed, tick

LIVE = make_match("m1", score=(2, 1), status=Status.LIVE, minute=61)


def _device(hass: HomeAssistant, entry: MockConfigEntry, kind: str) -> str:
    sub = next(s for s in entry.subentries.values() if s.subentry_type == kind)
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, sub.subentry_id), entry.entry_id
    )
    assert device is not None
    return device.id


async def _fire(hass: HomeAssistant, device_id: str, **data: str) -> None:
    await hass.services.async_call(
        DOMAIN, "fire_test_event", {"device_id": device_id, **data}, blocking=True
    )


async def test_registered_without_entries(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.services.has_service(DOMAIN, "fire_test_event")


async def test_goal_in_the_displayed_match_not_delayed(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    entry = make_entry(subentries=[delayed(match_subentry("m1"), 300, scoreboard=True)])
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    fake_feed.client.push(LIVE)  # held back from the sensors: the test shows nothing new
    await hass.async_block_till_done()
    device = _device(hass, entry, "match")
    await _fire(hass, device)
    await hass.async_block_till_done()
    [goal] = goals
    assert goal.data == {
        "config_entry_id": entry.entry_id,
        "device_id": device,
        "device_ids": [device],
        "provider": "sportsapipro",
        "sport": "football",
        "match_id": "test",
        "competition": None,
        "home": "Home team",
        "away": "Away team",
        "home_score": 1,
        "away_score": 0,
        "test": True,
        "recovered": False,
        "scoring_side": "home",
        "scoring_team": "Home team",
        "scoring_team_color": None,
        "minute": None,
        "scorer": None,
        "kind": None,
    }
    state = hass.states.get("event.mallorca_vs_real_madrid_match_event")
    assert state.attributes["event_type"] == "goal"
    assert state.attributes["test"] is True
    # Once the sensors show the match, the test goal is in it.
    await tick(hass, freezer, 300)
    await _fire(hass, device, scoring_side="away")
    await hass.async_block_till_done()
    data = goals[-1].data
    assert (data["home"], data["match_id"], data["minute"]) == ("Mallorca", "m1", 61)
    assert (data["home_score"], data["away_score"], data["scoring_team"]) == (2, 2, "Real Madrid")
    assert data["competition"] == "LaLiga"


async def test_team_side_and_placeholders(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    competition = ConfigSubentryData(
        data=MappingProxyType({"competition": "Copa", "competition_id": "c2"}),
        subentry_type="competition",
        title="Copa",
        unique_id="competition:c2",
    )
    entry = make_entry(subentries=[team_subentry("t2", "Real Madrid"), competition])
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    team = _device(hass, entry, "team")
    await _fire(hass, team)  # no match yet
    assert (goals[-1].data["home"], goals[-1].data["scoring_side"]) == ("Real Madrid", "home")
    fake_feed.client.push(LIVE)
    await hass.async_block_till_done()
    await _fire(hass, team)
    await hass.async_block_till_done()
    assert goals[-1].data["scoring_side"] == "away"  # the followed team's side
    assert goals[-1].data["scoring_team"] == "Real Madrid"
    assert (goals[-1].data["home_score"], goals[-1].data["away_score"]) == (2, 2)
    await _fire(hass, _device(hass, entry, "competition"))
    await hass.async_block_till_done()
    assert goals[-1].data["competition"] == "Copa"
    assert goals[-1].data["home"] == "Home team"
    assert hass.states.get("event.copa_match_event").attributes["test"] is True
    assert len(goals) == 3


async def test_errors(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    registry = dr.async_get(hass)
    other = MockConfigEntry(domain="demo")
    other.add_to_hass(hass)
    foreign = registry.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("demo", "x")}
    )
    ghost = registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, "no-such-subentry")}
    )
    for device_id in ("nope", foreign.id, ghost.id):
        with pytest.raises(ServiceValidationError) as err:
            await _fire(hass, device_id)
        assert err.value.translation_key == "unknown_device"
        assert err.value.translation_placeholders == {"device_id": device_id}
    with pytest.raises(probatio.Invalid, match="must be one of"):
        await _fire(hass, ghost.id, scoring_side="middle")
    device = _device(hass, entry, "match")
    assert await hass.config_entries.async_unload(entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _fire(hass, device)
    assert err.value.translation_key == "entry_not_loaded"
    assert err.value.translation_placeholders == {"title": entry.title}


async def test_described_and_translated(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    descriptions = await async_get_all_descriptions(hass)
    action = descriptions[DOMAIN]["fire_test_event"]
    assert set(action["fields"]) == {"device_id", "scoring_side"}
    texts = await async_get_translations(hass, "en", "services", [DOMAIN])
    prefix = f"component.{DOMAIN}.services.fire_test_event"
    assert texts[f"{prefix}.name"] == "Fire test event"
    assert "not held back by the spoiler delay" in texts[f"{prefix}.description"]
    assert texts[f"{prefix}.fields.scoring_side.name"] == "Scoring side"
    assert action["fields"]["device_id"]["required"] is True
    with pytest.raises(
        ServiceValidationError, match="is not a followed match, team or competition"
    ):
        await _fire(hass, "nope")
    assert await hass.config_entries.async_unload(entry.entry_id)
    with pytest.raises(ServiceValidationError, match=r"entry SportsAPIPro \(Pro\) is not loaded"):
        await _fire(hass, _device(hass, entry, "match"))
