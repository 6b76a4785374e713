"""The `live_scores.match_status` and `live_scores.result` automation conditions."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.condition import (
    async_get_all_descriptions,
    async_validate_condition_config,
)
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import async_mock_service

from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.model import Status

from .common import make_entry, match_subentry, setup_entry, team_subentry
from .fake_feed import FakeFeed, advance
from .test_spoiler import delayed, tick
from .test_triggers import (
    AWAY_GOAL,
    FULL_TIME,
    HOME_GOAL,
    KICKOFF,
    PRE,
    device_of,
    push,
)

HALF_TIME = advance(HOME_GOAL, status=Status.BREAK, version=10)
TWO_ONE = advance(AWAY_GOAL, home=advance(AWAY_GOAL.home, score=2), version=11)


def condition(name: str, device: str | list[str], **options: Any) -> dict[str, Any]:
    """A Live Scores condition on these devices."""
    return {"condition": f"live_scores.{name}", "target": {"device_id": device}, "options": options}


async def checks(hass: HomeAssistant, **conditions: dict[str, Any]) -> list[ServiceCall]:
    """One automation per condition, each run by the `check` event it passes."""
    calls = async_mock_service(hass, "test", "automation")
    configs = [
        {
            "alias": alias,
            "triggers": [{"trigger": "event", "event_type": "check"}],
            "conditions": [config],
            "actions": [{"action": "test.automation", "data": {"alias": alias}}],
        }
        for alias, config in conditions.items()
    ]
    assert await async_setup_component(hass, "automation", {"automation": configs})
    await hass.async_block_till_done()
    return calls


async def passing(hass: HomeAssistant, calls: list[ServiceCall]) -> set[str]:
    """Which automations' conditions pass now."""
    calls.clear()
    hass.bus.async_fire("check")
    await hass.async_block_till_done()
    return {call.data["alias"] for call in calls}


async def test_match_status(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    device = device_of(hass, entry, "match")
    calls = await checks(
        hass,
        scheduled=condition("match_status", device, status="scheduled"),
        playing=condition("match_status", device, status=["live", "break"]),
        finished=condition("match_status", device, status=["finished"]),
    )
    assert await passing(hass, calls) == set()  # no match yet
    push(fake_feed, PRE)
    await hass.async_block_till_done()
    assert await passing(hass, calls) == {"scheduled"}
    push(fake_feed, KICKOFF)
    await hass.async_block_till_done()
    assert await passing(hass, calls) == {"playing"}
    push(fake_feed, HALF_TIME)
    await hass.async_block_till_done()
    assert await passing(hass, calls) == {"playing"}
    push(fake_feed, advance(FULL_TIME, version=12))
    await hass.async_block_till_done()
    assert await passing(hass, calls) == {"finished"}
    # Unloaded: no target resolves, nothing passes.
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await passing(hass, calls) == set()


async def test_result_from_the_followed_side(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1"), team_subentry("t2", "Real Madrid")])
    await setup_entry(hass, entry)
    match, team = device_of(hass, entry, "match"), device_of(hass, entry, "team")
    outcomes = ("winning", "drawing", "losing")
    calls = await checks(
        hass,
        **{f"match {o}": condition("result", match, outcome=o) for o in outcomes},
        **{f"team {o}": condition("result", team, outcome=[o]) for o in outcomes},
        not_losing=condition("result", [team], outcome=["winning", "drawing"]),
    )
    push(fake_feed, PRE)
    await hass.async_block_till_done()
    assert await passing(hass, calls) == set()  # not started: no result
    push(fake_feed, KICKOFF)
    await hass.async_block_till_done()
    assert await passing(hass, calls) == {"match drawing", "team drawing", "not_losing"}
    push(fake_feed, HOME_GOAL)  # Mallorca (home) 1-0 Real Madrid (away, the team)
    await hass.async_block_till_done()
    assert await passing(hass, calls) == {"match winning", "team losing"}
    push(fake_feed, AWAY_GOAL, TWO_ONE, advance(TWO_ONE, away=advance(TWO_ONE.away, score=3), version=12))  # fmt: skip
    await hass.async_block_till_done()
    assert await passing(hass, calls) == {"match losing", "team winning", "not_losing"}


async def test_with_delayed_sensors_the_condition_lags_too(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    """What passes is what the sensors display: no spoiler through a condition."""
    entry = make_entry(subentries=[delayed(match_subentry("m1"), 30, scoreboard=True)])
    await setup_entry(hass, entry)
    device = device_of(hass, entry, "match")
    calls = await checks(
        hass,
        live=condition("match_status", device, status="live"),
        winning=condition("result", device, outcome="winning"),
    )
    push(fake_feed, PRE, KICKOFF)
    await tick(hass, freezer, 30)
    assert await passing(hass, calls) == {"live"}
    push(fake_feed, HOME_GOAL)
    await tick(hass, freezer, 29)
    assert await passing(hass, calls) == {"live"}
    await tick(hass, freezer, 1)
    assert await passing(hass, calls) == {"live", "winning"}


async def test_entity_target_and_several_followers(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry(subentries=[match_subentry("m1"), match_subentry("m2", "Other match")])
    await setup_entry(hass, entry)
    other = device_of(hass, entry, "match", 1)
    by_entity = {
        "condition": "live_scores.match_status",
        "target": {"entity_id": "event.mallorca_vs_real_madrid_match_event"},
        "options": {"status": "live"},
    }
    calls = await checks(
        hass,
        entity=by_entity,
        other=condition("match_status", other, status="live"),
        either=condition("match_status", [other, device_of(hass, entry, "match")], status="live"),
    )
    push(fake_feed, PRE, KICKOFF)
    await hass.async_block_till_done()
    assert await passing(hass, calls) == {"entity", "either"}


async def test_config_errors_are_translated(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    device = device_of(hass, entry, "match")
    cases = [
        (
            {"condition": "live_scores.result", "options": {"outcome": "winning"}},
            "live_scores.result needs a target",
        ),
        (condition("result", "nope", outcome="winning"), "nope is not a Live Scores device"),
        (
            condition("result", device, outcome="won"),
            "the option outcome takes winning, drawing, losing",
        ),
        (
            condition("match_status", device, status=["postponed"]),
            "the option status takes scheduled, live, break, finished",
        ),
        (condition("match_status", device), "the option status takes"),
        (
            condition("match_status", device, status="live", behaviour="all"),
            "live_scores.match_status has no option behaviour; its options are: status",
        ),
        (
            {"condition": "live_scores.match_status", "target": {"device_id": device}},
            "live_scores.match_status needs its options: status",
        ),
    ]
    for config, message in cases:
        with pytest.raises(HomeAssistantError, match=message) as err:
            await async_validate_condition_config(hass, config)
        assert err.value.translation_domain == DOMAIN


async def test_described_and_translated(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    device = device_of(hass, entry, "match")
    await checks(hass, live=condition("match_status", device, status="live"))
    descriptions = await async_get_all_descriptions(hass)
    status = descriptions["live_scores.match_status"]
    assert status is not None
    assert set(status["fields"]) == {"status"}
    assert status["fields"]["status"]["selector"]["select"]["multiple"] is True
    result = descriptions["live_scores.result"]
    assert result is not None
    assert result["target"]["device"] == [{"integration": DOMAIN}]
    texts = await async_get_translations(hass, "en", "conditions", [DOMAIN])
    prefix = f"component.{DOMAIN}.conditions"
    assert texts[f"{prefix}.match_status.name"] == "Match status"
    assert texts[f"{prefix}.result.fields.outcome.name"] == "Outcome"
