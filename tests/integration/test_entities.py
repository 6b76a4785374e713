"""Sensors, the event entity, bus events and exactly-once (scripted feed, real tracker)."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.logbook.const import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import Event, HomeAssistant, State
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_restore_state_shutdown_restart,
    mock_restore_cache_with_extra_data,
)
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.live_scores import logbook
from custom_components.live_scores.const import EVENT_GOAL, EVENT_MATCH_EVENT
from custom_components.live_scores.feed.api import ConnectionState
from custom_components.live_scores.feed.model import Sport, Status

from .common import make_entry, match_subentry, setup_entry, team_subentry
from .fake_feed import FakeFeed, advance, make_match

STATUS = "sensor.mallorca_vs_real_madrid_status"
HOME = "sensor.mallorca_vs_real_madrid_home_score"
AWAY = "sensor.mallorca_vs_real_madrid_away_score"
EVENT = "event.mallorca_vs_real_madrid_match_event"

PRE = make_match("m1", version=1)
KICKOFF = advance(PRE, status=Status.LIVE, home=advance(PRE.home, score=0), away=advance(PRE.away, score=0), minute=1, clock="1'", version=2)  # fmt: skip
GOAL = advance(KICKOFF, home=advance(KICKOFF.home, score=1), minute=23, clock="23'", version=3)


async def _loaded(hass: HomeAssistant, fake_feed: FakeFeed) -> MockConfigEntry:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    return entry


def _device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    [subentry_id] = entry.subentries
    device = dr.async_get(hass).async_get_device_by_identifier(
        ("live_scores", subentry_id), entry.entry_id
    )
    assert device is not None
    return device.id


async def test_match_sensors_and_events(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    freezer.move_to("2026-04-04T14:38:00+00:00")
    entry = await _loaded(hass, fake_feed)
    goals = async_capture_events(hass, EVENT_GOAL)
    others = async_capture_events(hass, EVENT_MATCH_EVENT)
    client = fake_feed.client
    assert hass.states.get(STATUS).state == STATE_UNKNOWN
    client.push(PRE)
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == "scheduled"
    assert hass.states.get(HOME).state == STATE_UNKNOWN
    client.push(KICKOFF)
    client.push(GOAL)
    client.push(GOAL)  # repeated: nothing new
    await hass.async_block_till_done()
    assert hass.states.get(STATUS) == snapshot(name="status")
    assert hass.states.get(HOME).state == "1"
    assert hass.states.get(AWAY).state == "0"
    # One goal; its bus event names the entry and the match's device.
    [goal] = goals
    assert goal.data["config_entry_id"] == entry.entry_id
    assert goal.data["device_id"] == _device_id(hass, entry)
    assert goal.data["device_ids"] == [_device_id(hass, entry)]
    ids = props("config_entry_id", "device_id", "device_ids")
    assert goal.data == snapshot(name="goal bus event", exclude=ids)
    assert [e.data["type"] for e in others] == ["kickoff"]
    assert hass.states.get(EVENT) == snapshot(name="event entity")
    # A goal taken back, then the final whistle.
    client.push(advance(GOAL, home=advance(GOAL.home, score=0), version=4))
    client.push(advance(GOAL, home=advance(GOAL.home, score=0), status=Status.FINISHED, version=5))
    await hass.async_block_till_done()
    assert [e.data["type"] for e in others] == ["kickoff", "goal_cancelled", "full_time"]
    assert hass.states.get(EVENT).attributes["event_type"] == "full_time"
    assert hass.states.get(STATUS).state == "finished"
    assert len(goals) == 1


async def test_unknown_status(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """A status the feed cannot tell is unknown (what the recorder keeps: test_recorder.py)."""
    await _loaded(hass, fake_feed)
    fake_feed.client.push(advance(PRE, status=Status.UNKNOWN))
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == STATE_UNKNOWN


async def test_team_shows_current_next_last(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[team_subentry("t1", "Mallorca")])
    await setup_entry(hass, entry)
    status = "sensor.mallorca_status"
    client = fake_feed.client
    assert client.targets.teams == {"t1"}
    assert client.targets.sports == {Sport.FOOTBALL}
    old = make_match("a", score=(2, 0), status=Status.FINISHED, start=_at(1))
    older = make_match("b", score=(0, 3), status=Status.FINISHED, start=_at(0))
    nxt = make_match("c", ("t9", "Girona"), ("t1", "Mallorca"), start=_at(5))
    later = make_match("d", start=_at(9))
    client.push(older, old)
    await hass.async_block_till_done()
    assert hass.states.get(status).attributes["match_id"] == "a"
    client.push(later, nxt)
    await hass.async_block_till_done()
    assert hass.states.get(status).attributes["match_id"] == "c"
    assert hass.states.get("sensor.mallorca_opponent_score").state == STATE_UNKNOWN
    assert hass.states.get("sensor.mallorca_away_score") is None  # a team has no home/away
    client.push(advance(later, status=Status.LIVE, home=advance(later.home, score=0), away=advance(later.away, score=0)))  # fmt: skip
    await hass.async_block_till_done()
    assert hass.states.get(status).attributes["match_id"] == "d"
    assert hass.states.get(status).state == "live"
    # Ended matches that are not shown are forgotten.
    assert set(entry.runtime_data.matches) == {"c", "d"}


async def test_team_by_name_only(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """A team typed as free text (no id) is matched by name, ignoring case."""
    entry = make_entry(
        subentries=[
            ConfigSubentryData(
                data={"team": "mallorca"},
                subentry_type="team",
                title="mallorca",
                unique_id="team:mallorca",
            )
        ]
    )
    await setup_entry(hass, entry)
    client = fake_feed.client
    assert client.targets.teams == {"mallorca"}
    # Deliver it as a feed that resolves names would.
    client.targets = replace(client.targets, teams=frozenset({"t1"}))
    client.push(make_match("x"))
    await hass.async_block_till_done()
    assert hass.states.get("sensor.mallorca_status").attributes["match_id"] == "x"


def _at(day: int) -> datetime:
    return datetime(2026, 4, 1 + day, 18, 0, tzinfo=UTC)


async def test_match_followed_twice_fires_once(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[team_subentry("t1", "Mallorca"), match_subentry("m1")])
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    client = fake_feed.client
    for state in (PRE, KICKOFF, GOAL):
        client.push(state)
    await hass.async_block_till_done()
    assert len(goals) == 1
    match_sub = next(s for s in entry.subentries.values() if s.subentry_type == "match")
    device = dr.async_get(hass).async_get_device_by_identifier(
        ("live_scores", match_sub.subentry_id), entry.entry_id
    )
    assert goals[0].data["device_id"] == device.id
    # Both followers' devices are named, the match's first.
    assert len(goals[0].data["device_ids"]) == 2
    assert goals[0].data["device_ids"][0] == device.id
    assert hass.states.get("event.mallorca_match_event").attributes["event_type"] == "goal"
    assert hass.states.get(EVENT).attributes["event_type"] == "goal"


async def test_reconnect_no_duplicate(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    await _loaded(hass, fake_feed)
    goals = async_capture_events(hass, EVENT_GOAL)
    client = fake_feed.client
    for n, state in enumerate((PRE, KICKOFF, GOAL)):
        client.push(advance(state, version=5_612_062_220 + n))  # the service's counter
    client.connection(ConnectionState.DISCONNECTED)
    client.connection(ConnectionState.CONNECTED)
    # After a reconnect the versions restart, far lower; the same score is not a goal.
    client.push(advance(GOAL, version=1))
    client.push(advance(GOAL, away=advance(GOAL.away, score=1), version=2))
    await hass.async_block_till_done()
    assert [(e.data["home_score"], e.data["away_score"]) for e in goals] == [(1, 0), (1, 1)]


async def test_reload_mid_match(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = await _loaded(hass, fake_feed)
    goals = async_capture_events(hass, EVENT_GOAL)
    for state in (PRE, KICKOFF, GOAL):
        fake_feed.client.push(state)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    client = fake_feed.client
    assert len(fake_feed.clients) == 2
    assert client.restored is not None
    client.push(advance(GOAL, version=1))
    await hass.async_block_till_done()
    assert len(goals) == 1
    assert hass.states.get(HOME).state == "1"
    client.push(advance(GOAL, home=advance(GOAL.home, score=2), version=2))
    await hass.async_block_till_done()
    assert [e.data["home_score"] for e in goals] == [1, 2]


async def test_restart_mid_match(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = await _loaded(hass, fake_feed)
    goals = async_capture_events(hass, EVENT_GOAL)
    for state in (PRE, KICKOFF, GOAL):
        fake_feed.client.push(state)
    await hass.async_block_till_done()
    # Home Assistant stops: the feed closes and the tracker is saved.
    await entry.runtime_data.async_on_stop(Event("homeassistant_stop"))
    assert await hass.config_entries.async_unload(entry.entry_id)
    await async_mock_restore_state_shutdown_restart(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # Restored while the feed has not sent the match yet.
    client = fake_feed.client
    client.connection(ConnectionState.DISCONNECTED)
    client.connection(ConnectionState.CONNECTED)
    assert hass.states.get(STATUS).state == "live"
    assert hass.states.get(STATUS).attributes["home"] == "Mallorca"
    assert hass.states.get(HOME).state == "1"
    assert hass.states.get(EVENT).attributes["event_type"] == "goal"
    client.push(advance(GOAL, version=1))
    await hass.async_block_till_done()
    assert len(goals) == 1


async def test_restore_ignores_bad_states(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State(STATUS, "weird"), {"native_value": "weird", "attributes": "nope"}),
            (State(HOME, "2"), {"native_value": "two", "native_unit_of_measurement": None}),
        ],
    )
    await _loaded(hass, fake_feed)
    assert hass.states.get(STATUS).state == STATE_UNKNOWN
    assert hass.states.get(HOME).state == STATE_UNKNOWN


async def test_logbook(hass: HomeAssistant) -> None:
    describers: dict[str, Callable[[Event], dict[str, str]]] = {}
    logbook.async_describe_events(hass, lambda _d, name, fn: describers.__setitem__(name, fn))
    describe_goal, describe_other = describers[EVENT_GOAL], describers[EVENT_MATCH_EVENT]
    base = {"home": "Mallorca", "away": "Real Madrid", "home_score": 1, "away_score": 0}
    goal = describe_goal(Event(EVENT_GOAL, {**base, "scoring_team": "Mallorca", "scorer": "Muriqi", "minute": 23}))  # fmt: skip
    assert goal == {
        LOGBOOK_ENTRY_NAME: "Mallorca 1-0 Real Madrid",
        LOGBOOK_ENTRY_MESSAGE: "goal for Mallorca by Muriqi (23')",
    }
    goal = describe_goal(Event(EVENT_GOAL, {**base, "scoring_team": "Mallorca"}))
    assert goal[LOGBOOK_ENTRY_MESSAGE] == "goal for Mallorca"
    card = describe_other(Event(EVENT_MATCH_EVENT, {**base, "type": "red_card", "team": "Real Madrid", "minute": 60}))  # fmt: skip
    assert card[LOGBOOK_ENTRY_MESSAGE] == "red card (Real Madrid) at 60'"
    kickoff = describe_other(Event(EVENT_MATCH_EVENT, {**base, "home_score": None, "type": "kickoff"}))  # fmt: skip
    assert kickoff == {
        LOGBOOK_ENTRY_NAME: "Mallorca --0 Real Madrid",
        LOGBOOK_ENTRY_MESSAGE: "kick-off",
    }


async def test_restore_after_feed_was_down(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """The last known match survives a reload made while the feed was down."""
    entry = await _loaded(hass, fake_feed)
    fake_feed.client.push(GOAL)
    fake_feed.client.connection(ConnectionState.DISCONNECTED)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get(STATUS)
    assert state.state == "live"
    assert state.attributes["home"] == "Mallorca"
    assert hass.states.get(HOME).state == "1"
