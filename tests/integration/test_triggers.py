"""The `live_scores.goal` and `live_scores.match_event` automation triggers.

Each automation is configured in YAML and run by goals the real tracker finds in
states the test pushes (or over real sockets from the simulator): it fires
exactly once per matching goal or moment, and never for the others.
"""

from collections.abc import Generator
from types import MappingProxyType
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    area_registry as ar,
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.translation import async_get_translations
from homeassistant.helpers.trigger import (
    async_get_all_descriptions,
    async_initialize_triggers,
    async_validate_trigger_config,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.live_scores.automation_target import followed_side, side_matches
from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.model import Match, Side, Status
from custom_components.live_scores.target import Followed
from custom_components.live_scores.trigger import format_text
from tests.simulator import Simulator

from .common import make_entry, match_subentry, setup_entry, team_subentry
from .fake_feed import FakeFeed, advance, make_match
from .sim_helpers import FAST, configure, follow, sap_fields, until
from .test_spoiler import delayed, tick

PRE = make_match("m1", version=1)
KICKOFF = advance(PRE, status=Status.LIVE, home=advance(PRE.home, score=0), away=advance(PRE.away, score=0), minute=1, version=2)  # fmt: skip
HOME_GOAL = advance(KICKOFF, home=advance(KICKOFF.home, score=1, colour="#E20613"), minute=23, version=3)  # fmt: skip
AWAY_GOAL = advance(HOME_GOAL, away=advance(HOME_GOAL.away, score=1), minute=30, version=4)
FULL_TIME = advance(AWAY_GOAL, status=Status.FINISHED, minute=90, version=5)

# What each run of the automations' action saw of `trigger`.
SEEN = (
    "platform", "description", "type", "device_id", "device_ids", "entity_id", "side", "team",
    "followed_side", "score", "scorer", "minute", "color", "home_color", "recovered", "test",
    "home", "away", "home_score", "away_score", "match_id",
)  # fmt: skip


def automation(trigger: dict[str, Any], alias: str = "a", **extra: Any) -> dict[str, Any]:
    """An automation recording `trigger.*` through `test.automation`."""
    data = {key: f"{{{{ trigger.{key} }}}}" for key in SEEN}
    return {
        "alias": alias,
        "triggers": [trigger],
        **extra,
        "actions": [{"action": "test.automation", "data": {"alias": alias, **data}}],
    }


async def automations(hass: HomeAssistant, *configs: dict[str, Any]) -> list[ServiceCall]:
    """Set up these automations; return the calls their actions make."""
    calls = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(hass, "automation", {"automation": list(configs)})
    await hass.async_block_till_done()
    for state in hass.states.async_all("automation"):
        assert state.state == "on", state
    return calls


def device_of(hass: HomeAssistant, entry: MockConfigEntry, kind: str, n: int = 0) -> str:
    """The device of the n-th subentry of a kind."""
    subs = [s for s in entry.subentries.values() if s.subentry_type == kind]
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, subs[n].subentry_id), entry.entry_id
    )
    assert device is not None
    return device.id


def goal(device: str | list[str], **options: Any) -> dict[str, Any]:
    """A `live_scores.goal` trigger on these devices."""
    return {"trigger": "live_scores.goal", "target": {"device_id": device}, "options": options}


def by(calls: list[ServiceCall], alias: str) -> list[dict[str, Any]]:
    """What the automation `alias` saw, run by run."""
    return [dict(call.data) for call in calls if call.data["alias"] == alias]


def push(fake_feed: FakeFeed, *states: Match) -> None:
    """Push match states through the real tracker."""
    for state in states:
        fake_feed.client.push(state)


async def test_goal_fires_once_per_goal_with_its_payload(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    device = device_of(hass, entry, "match")
    calls = await automations(hass, automation(goal(device)))
    push(fake_feed, PRE, KICKOFF)
    await hass.async_block_till_done()
    assert calls == []  # kick-off is not a goal
    push(fake_feed, HOME_GOAL, HOME_GOAL, AWAY_GOAL)  # the same state twice: one goal
    await hass.async_block_till_done()
    first, second = by(calls, "a")
    assert first == {
        "alias": "a",
        "platform": "live_scores.goal",
        "description": "goal for Mallorca: Mallorca 1–0 Real Madrid",  # noqa: RUF001
        "type": "goal",
        "device_id": device,
        "device_ids": [device],
        "entity_id": "event.mallorca_vs_real_madrid_match_event",
        "side": "home",
        "team": "Mallorca",
        "followed_side": "home",
        "score": "1–0",  # noqa: RUF001
        "scorer": None,
        "minute": 23,
        "color": "#E20613",
        "home_color": "#E20613",
        "recovered": False,
        "test": False,
        "home": "Mallorca",
        "away": "Real Madrid",
        "home_score": 1,
        "away_score": 0,
        "match_id": "m1",
    }
    assert (second["side"], second["team"], second["score"]) == ("away", "Real Madrid", "1–1")  # noqa: RUF001
    assert second["color"] is None  # the feed gives Real Madrid no colour here
    push(fake_feed, FULL_TIME)
    await hass.async_block_till_done()
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("kind", "scored_by", "fired"),
    [
        ("team", "any", ["home", "away"]),
        ("team", "followed", ["away"]),  # Real Madrid plays away
        ("team", "opponent", ["home"]),
        ("team", "home", ["home"]),
        ("team", "away", ["away"]),
        ("match", "followed", ["home"]),  # a match: home is the followed side
        ("match", "opponent", ["away"]),
        ("competition", "followed", []),  # a competition follows no side
        ("competition", "any", ["home", "away"]),
    ],
)
async def test_scored_by(
    hass: HomeAssistant, fake_feed: FakeFeed, kind: str, scored_by: str, fired: list[str]
) -> None:
    subentries = {
        "team": team_subentry("t2", "Real Madrid"),
        "match": match_subentry("m1"),
        "competition": _competition("c1"),
    }
    entry = make_entry(subentries=[subentries[kind]])
    await setup_entry(hass, entry)
    calls = await automations(
        hass, automation(goal(device_of(hass, entry, kind), scored_by=scored_by))
    )
    push(fake_feed, PRE, KICKOFF, HOME_GOAL, AWAY_GOAL)
    await hass.async_block_till_done()
    assert [run["side"] for run in by(calls, "a")] == fired


def _competition(competition_id: str) -> ConfigSubentryData:
    return ConfigSubentryData(
        data=MappingProxyType({"competition": "LaLiga", "competition_id": competition_id}),
        subentry_type="competition",
        title="LaLiga",
        unique_id=f"competition:{competition_id}",
    )


async def test_recovered_goals_only_when_included(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    device = device_of(hass, entry, "match")
    calls = await automations(
        hass,
        automation(goal(device), "live only"),
        automation(goal(device, include_recovered=True), "all"),
    )
    push(fake_feed, PRE, KICKOFF)
    # A jump 0-0 -> 2-0: the first goal was missed (recovered), the second is live.
    push(fake_feed, advance(KICKOFF, home=advance(KICKOFF.home, score=2), version=3))
    await hass.async_block_till_done()
    assert [(r["score"], r["recovered"]) for r in by(calls, "all")] == [
        ("1–0", True),  # noqa: RUF001
        ("2–0", False),  # noqa: RUF001
    ]
    assert [r["score"] for r in by(calls, "live only")] == ["2–0"]  # noqa: RUF001
    late = by(calls, "all")[0]["description"]
    assert late == "goal learned late for Mallorca: Mallorca 1–0 Real Madrid"  # noqa: RUF001


async def test_test_events_unless_excluded(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[delayed(match_subentry("m1"), 120)])
    await setup_entry(hass, entry)
    device = device_of(hass, entry, "match")
    calls = await automations(
        hass,
        automation(goal(device), "tests too"),
        automation(goal(device, include_test=False), "real only"),
    )
    await hass.services.async_call(DOMAIN, "fire_test_event", {"device_id": device}, blocking=True)
    await hass.async_block_till_done()
    # Not held back by the spoiler delay, and on the placeholder match.
    [run] = by(calls, "tests too")
    assert (run["test"], run["home"], run["followed_side"]) == (True, "Home team", "home")
    assert run["description"] == "test goal for Home team: Home team 1–0 Away team"  # noqa: RUF001
    assert by(calls, "real only") == []


async def test_fires_after_the_spoiler_delay(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    entry = make_entry(subentries=[delayed(match_subentry("m1"), 30)])
    await setup_entry(hass, entry)
    calls = await automations(hass, automation(goal(device_of(hass, entry, "match"))))
    push(fake_feed, PRE, KICKOFF, HOME_GOAL)
    await tick(hass, freezer, 29)
    assert calls == []
    await tick(hass, freezer, 1)
    assert [r["score"] for r in by(calls, "a")] == ["1–0"]  # noqa: RUF001
    await tick(hass, freezer, 300)
    assert len(calls) == 1


async def test_a_match_followed_twice(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    """As a match (live) and as a team (45 s late): each target at its own time, once."""
    entry = make_entry(
        subentries=[match_subentry("m1"), delayed(team_subentry("t1", "Mallorca"), 45)]
    )
    await setup_entry(hass, entry)
    match, team = device_of(hass, entry, "match"), device_of(hass, entry, "team")
    calls = await automations(
        hass,
        automation(goal([match, team]), "both"),
        automation(goal(team), "team"),
        automation(goal(match), "match"),
        automation(goal([match, team], scored_by="opponent"), "opponent of either"),
        automation(
            {
                "trigger": "live_scores.goal",
                "target": {"entity_id": "event.mallorca_match_event"},
            },
            "team entity",
        ),
    )
    push(fake_feed, PRE, KICKOFF, HOME_GOAL)
    await hass.async_block_till_done()
    assert [r["device_id"] for r in by(calls, "both")] == [match]
    assert by(calls, "match") != []
    assert by(calls, "team") == by(calls, "team entity") == []
    await tick(hass, freezer, 45)
    assert [r["device_id"] for r in by(calls, "both")] == [match]  # not again
    assert [r["device_id"] for r in by(calls, "team")] == [team]
    assert [r["entity_id"] for r in by(calls, "team entity")] == ["event.mallorca_match_event"]
    assert len(by(calls, "match")) == 1
    # Mallorca (home) scored: the opponent of neither.
    assert by(calls, "opponent of either") == []
    # A later goal to another score fires again.
    push(fake_feed, AWAY_GOAL)
    await tick(hass, freezer, 45)
    assert [r["score"] for r in by(calls, "both")] == ["1–0", "1–1"]  # noqa: RUF001
    assert [r["device_id"] for r in by(calls, "opponent of either")] == [match]


async def test_one_delivery_names_both_targets(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1"), team_subentry("t1", "Mallorca")])
    await setup_entry(hass, entry)
    match, team = device_of(hass, entry, "match"), device_of(hass, entry, "team")
    calls = await automations(hass, automation(goal([team, match])))
    push(fake_feed, PRE, KICKOFF, HOME_GOAL)
    await hass.async_block_till_done()
    [run] = by(calls, "a")
    assert run["device_ids"] == [match, team]  # the bus event's order: the match first


async def test_match_event_types(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    device = device_of(hass, entry, "match")
    moments = {"trigger": "live_scores.match_event", "target": {"device_id": device}}
    calls = await automations(
        hass,
        automation({**moments, "options": {"types": ["kickoff", "full_time"]}}, "phases"),
        automation({**moments, "options": {"types": "red_card"}}, "cards"),
    )
    push(fake_feed, PRE, KICKOFF, HOME_GOAL, AWAY_GOAL, FULL_TIME)
    await hass.async_block_till_done()
    runs = by(calls, "phases")
    assert [r["type"] for r in runs] == ["kickoff", "full_time"]
    assert runs[0]["description"] == "moment “Kick-off” in Mallorca 0–0 Real Madrid"  # noqa: RUF001
    assert runs[1]["description"] == "moment “Full time” in Mallorca 1–1 Real Madrid"  # noqa: RUF001
    assert runs[1]["platform"] == "live_scores.match_event"
    assert by(calls, "cards") == []


async def test_other_targets_never_fire(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1"), match_subentry("m2", "Other match")])
    await setup_entry(hass, entry)
    other = device_of(hass, entry, "match", 1)
    calls = await automations(hass, automation(goal(other)))
    push(fake_feed, PRE, KICKOFF, HOME_GOAL)
    await hass.async_block_till_done()
    assert calls == []
    # Unloaded: nothing resolves, nothing fires.
    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.bus.async_fire("live_scores_goal", {"device_ids": [other], "scoring_side": "home"})
    await hass.async_block_till_done()
    assert calls == []


async def test_config_errors_are_translated(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    device = device_of(hass, entry, "match")
    other = MockConfigEntry(domain="demo")
    other.add_to_hass(hass)
    foreign = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("demo", "x")}
    )
    cases = [
        ({"trigger": "live_scores.goal"}, "live_scores.goal needs a target"),
        ({"trigger": "live_scores.goal", "target": {}}, "live_scores.goal needs a target"),
        (goal(foreign.id), f"{foreign.id} is not a Live Scores device or entity"),
        (
            {"trigger": "live_scores.goal", "target": {"entity_id": "light.x"}},
            "light.x is not a Live Scores device or entity",
        ),
        (
            {"trigger": "live_scores.goal", "target": {"entity_id": "no entity"}},
            "the target is not valid",
        ),
        (
            goal(device, scored_by="nobody"),
            "the option scored_by takes any, followed, opponent, home, away",
        ),
        (goal(device, include_test="maybe"), "the option include_test takes true, false"),
        (
            goal(device, colour="red"),
            "live_scores.goal has no option colour; its options are: scored_by,",
        ),
        (
            {"trigger": "live_scores.match_event", "target": {"device_id": device}},
            "live_scores.match_event needs its options: types, include_recovered",
        ),
        (
            {
                "trigger": "live_scores.match_event",
                "target": {"device_id": device},
                "options": {"types": ["goal"]},
            },
            "the option types takes kickoff, goal_cancelled, red_card",
        ),
    ]
    for config, message in cases:
        with pytest.raises(HomeAssistantError, match=message) as err:
            await async_validate_trigger_config(hass, cv.TRIGGER_SCHEMA([config]))
        assert err.value.translation_domain == DOMAIN


async def test_described_and_translated(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """What the automation editor shows: targets, fields and their names."""
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    await automations(hass, automation(goal(device_of(hass, entry, "match"))))
    descriptions = await async_get_all_descriptions(hass)
    described = descriptions["live_scores.goal"]
    assert described is not None
    assert described["target"]["device"] == [{"integration": DOMAIN}]
    assert set(described["fields"]) == {"scored_by", "include_recovered", "include_test"}
    assert described["fields"]["scored_by"]["default"] == "any"
    moments = descriptions["live_scores.match_event"]
    assert moments is not None
    assert set(moments["fields"]) == {"types", "include_recovered"}
    texts = await async_get_translations(hass, "en", "triggers", [DOMAIN])
    prefix = f"component.{DOMAIN}.triggers"
    assert texts[f"{prefix}.goal.name"] == "Goal scored"
    assert texts[f"{prefix}.goal.fields.scored_by.name"] == "Scored by"
    assert texts[f"{prefix}.match_event.name"] == "Match moment"
    options = await async_get_translations(hass, "en", "selector", [DOMAIN])
    assert options[f"component.{DOMAIN}.selector.scored_by.options.opponent"] == "Its opponent"


@pytest.fixture
def fast_feed() -> Generator[None]:
    """Reconnect at once."""
    with patch("custom_components.live_scores.coordinator.FEED_TIMING", FAST):
        yield


@pytest.mark.usefixtures("fast_feed")
async def test_over_the_real_feed_a_goal_in_an_outage_does_not_fire(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """SportsAPIPro over real sockets: two live goals fire; the one learned late does not."""
    sim = simulator
    result = await configure(hass, "sportsapipro", sap_fields(sim), sim.sportsapipro_ws_url)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry = result["result"]
    await until(hass, lambda: entry.runtime_data.connected, "connected")
    result = await follow(hass, entry.entry_id, "match", "4467358")
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    calls = await automations(
        hass,
        automation(goal(device_of(hass, entry, "match"), scored_by="any"), "live"),
        automation(goal(device_of(hass, entry, "match"), include_recovered=True), "all"),
    )
    sim.load_scenario("goals")
    for _ in range(15):
        await sim.advance(60)
    await until(hass, lambda: len(by(calls, "all")) == 1, "first goal")
    sim.faults.set("refuse_connections", True, "sportsapipro")
    await sim.faults.drop("sportsapipro")
    await until(hass, lambda: not entry.runtime_data.connected, "down")
    for _ in range(12):
        await sim.advance(60)
    sim.faults.set("refuse_connections", False, "sportsapipro")
    await until(hass, lambda: entry.runtime_data.connected, "back")
    for _ in range(5):
        await sim.advance(60)
        await hass.async_block_till_done()
    await until(hass, lambda: len(by(calls, "all")) == 2, "recovered goal")
    for _ in range(12):
        await sim.advance(60)
    await until(hass, lambda: len(by(calls, "all")) >= 3, "live goal")
    assert [(r["score"], r["recovered"]) for r in by(calls, "all")[:3]] == [
        ("1–0", False),  # noqa: RUF001
        ("1–1", True),  # noqa: RUF001
        ("1–2", False),  # noqa: RUF001
    ]
    assert [r["score"] for r in by(calls, "live")[:2]] == ["1–0", "1–2"]  # noqa: RUF001


async def test_area_target_and_a_team_by_name(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """An area holding a followed team (and other things); its side found by name."""
    entry = make_entry(subentries=[team_subentry("t2", "Real Madrid")])
    await setup_entry(hass, entry)
    team = device_of(hass, entry, "team")
    area = ar.async_get(hass).async_create("Living room")
    other = MockConfigEntry(domain="demo")
    other.add_to_hass(hass)
    devices = dr.async_get(hass)
    lamp = devices.async_get_or_create(config_entry_id=other.entry_id, identifiers={("demo", "x")})
    er.async_get(hass).async_get_or_create("light", "demo", "lamp", device_id=lamp.id)
    for device_id in (team, lamp.id):
        devices.async_update_device(device_id, area_id=area.id)
    calls = await automations(
        hass,
        automation(
            {
                "trigger": "live_scores.goal",
                "target": {"area_id": area.id},
                "options": {"scored_by": "followed"},
            }
        ),
    )
    # No match yet: the test goal's placeholder match names the team as home.
    await hass.services.async_call(DOMAIN, "fire_test_event", {"device_id": team}, blocking=True)
    await hass.async_block_till_done()
    [run] = by(calls, "a")
    assert (run["device_id"], run["followed_side"], run["home"]) == (team, "home", "Real Madrid")


def test_sides_and_descriptions() -> None:
    """The pieces that say which side a target follows and how a run is described."""
    team = Followed("s", "team", "t9", name="Atlético Madrid")
    assert followed_side(team, None, "Getafe", "atletico madrid") == Side.AWAY
    assert followed_side(team, None, "Getafe", "Sevilla") is None
    assert followed_side(Followed("c", "competition", "c1"), None, "A", "B") is None
    assert not side_matches("followed", None, Side.HOME)
    assert not side_matches("opponent", "home", None)
    assert format_text("{team} {missing}", {"team": None}) == " {missing}"
    assert format_text("{team", {"team": "x"}) == "{team"


async def test_left_out_goals_are_reported_to_the_trace(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    """A goal of the target that the options leave out says why (the trace's "not triggered")."""
    entry = make_entry(subentries=[team_subentry("t2", "Real Madrid")])
    await setup_entry(hass, entry)
    team = device_of(hass, entry, "team")
    fired: list[dict[str, Any]] = []
    reasons: list[str] = []
    config = await async_validate_trigger_config(
        hass, cv.TRIGGER_SCHEMA([goal(team, scored_by="followed", include_test=False)])
    )
    remove = await async_initialize_triggers(
        hass,
        config,
        lambda variables, context=None: fired.append(variables),
        "automation",
        "test",
        lambda *args, **kwargs: None,
        did_not_trigger=lambda variables, info, context=None: reasons.append(info.reason),
    )
    assert remove is not None
    push(fake_feed, PRE, KICKOFF, HOME_GOAL)  # Mallorca's
    push(fake_feed, advance(AWAY_GOAL, away=advance(AWAY_GOAL.away, score=3), version=6))
    await hass.services.async_call(DOMAIN, "fire_test_event", {"device_id": team}, blocking=True)
    await hass.async_block_till_done()
    assert reasons == ["scored_by", "recovered", "recovered", "test_event"]
    assert [run["trigger"]["score"] for run in fired] == ["1–3"]  # noqa: RUF001
    remove()
