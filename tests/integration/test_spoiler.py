"""Spoiler delay: events (and optionally sensors) of a target held back, in order, once."""

from datetime import timedelta
from types import MappingProxyType
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER, ConfigSubentryData
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import probatio
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.live_scores.const import EVENT_GOAL, EVENT_MATCH_EVENT
from custom_components.live_scores.delivery import Delivery
from custom_components.live_scores.feed.api import ConnectionState
from custom_components.live_scores.feed.model import Status

from .common import make_entry, match_subentry, setup_entry, team_subentry
from .fake_feed import FakeFeed, advance, make_match

STATUS = "sensor.mallorca_vs_real_madrid_status"
HOME = "sensor.mallorca_vs_real_madrid_home_score"
BOARD = "sensor.mallorca_vs_real_madrid_scoreboard"
EVENT = "event.mallorca_vs_real_madrid_match_event"

PRE = make_match("m1", version=1)
KICKOFF = advance(PRE, status=Status.LIVE, home=advance(PRE.home, score=0), away=advance(PRE.away, score=0), minute=1, version=2)  # fmt: skip
GOAL = advance(KICKOFF, home=advance(KICKOFF.home, score=1), minute=23, version=3)
GOAL2 = advance(GOAL, away=advance(GOAL.away, score=1), minute=30, version=4)


def delayed(sub: ConfigSubentryData, delay: int, *, scoreboard: bool = False) -> ConfigSubentryData:
    """The same subentry with a spoiler delay."""
    data = {**sub["data"], "spoiler_delay": delay, "delay_scoreboard": scoreboard}
    return ConfigSubentryData(**{**sub, "data": MappingProxyType(data)})  # type: ignore[typeddict-item]


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    """Let `seconds` pass."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def _device(hass: HomeAssistant, entry: MockConfigEntry, kind: str) -> str:
    sub = next(s for s in entry.subentries.values() if s.subentry_type == kind)
    device = dr.async_get(hass).async_get_device_by_identifier(
        ("live_scores", sub.subentry_id), entry.entry_id
    )
    assert device is not None
    return device.id


async def test_events_held_back_in_order(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    entry = make_entry(subentries=[delayed(match_subentry("m1"), 30)])
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    others = async_capture_events(hass, EVENT_MATCH_EVENT)
    order: list[str] = []
    hass.bus.async_listen(EVENT_GOAL, lambda e: order.append("goal"))
    hass.bus.async_listen(EVENT_MATCH_EVENT, lambda e: order.append(e.data["type"]))
    client = fake_feed.client
    client.push(PRE)
    client.push(KICKOFF)
    await tick(hass, freezer, 10)
    client.push(GOAL)
    await hass.async_block_till_done()
    # The sensors are live; the events wait.
    assert hass.states.get(HOME).state == "1"
    assert hass.states.get(BOARD).attributes["team_score"] == "1"
    assert (goals, others) == ([], [])
    assert hass.states.get(EVENT).state == STATE_UNKNOWN
    assert len(entry.runtime_data.delivery) == 2
    await tick(hass, freezer, 19)
    assert others == []
    await tick(hass, freezer, 1)  # kick-off is due
    assert [e.data["type"] for e in others] == ["kickoff"]
    assert goals == []
    await tick(hass, freezer, 10)  # the goal is due
    assert [e.data["home_score"] for e in goals] == [1]
    assert hass.states.get(EVENT).attributes["event_type"] == "goal"
    assert hass.states.get(EVENT).attributes["test"] is False
    await tick(hass, freezer, 300)
    assert order == ["kickoff", "goal"]  # each once, in order
    assert len(entry.runtime_data.delivery) == 0


async def test_one_bus_event_per_delay_group(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    entry = make_entry(
        subentries=[
            delayed(match_subentry("m1"), 45),
            team_subentry("t1", "Mallorca"),
            delayed(team_subentry("t2", "Real Madrid"), 45),
        ]
    )
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    for state in (PRE, KICKOFF, GOAL):
        fake_feed.client.push(state)
    await hass.async_block_till_done()
    mallorca = _device(hass, entry, "team")
    [now] = goals
    assert now.data["device_id"] == mallorca
    assert now.data["device_ids"] == [mallorca]
    assert hass.states.get("event.mallorca_match_event").attributes["event_type"] == "goal"
    assert hass.states.get(EVENT).state == STATE_UNKNOWN
    await tick(hass, freezer, 45)
    assert len(goals) == 2
    late = goals[1].data
    match_device = _device(hass, entry, "match")
    assert late["device_id"] == match_device  # the match is preferred
    assert len(late["device_ids"]) == 2
    assert late["device_ids"][0] == match_device
    assert mallorca not in late["device_ids"]
    assert hass.states.get(EVENT).attributes["event_type"] == "goal"
    assert hass.states.get("event.real_madrid_match_event").attributes["event_type"] == "goal"


async def test_delayed_scoreboard(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    entry = make_entry(subentries=[delayed(match_subentry("m1"), 20, scoreboard=True)])
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    client = fake_feed.client
    client.push(PRE, KICKOFF)
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == STATE_UNKNOWN
    assert hass.states.get(BOARD).state == "NOT_FOUND"
    await tick(hass, freezer, 20)
    assert hass.states.get(STATUS).state == "live"
    assert hass.states.get(BOARD).state == "IN"
    client.push(GOAL)
    await tick(hass, freezer, 5)
    assert hass.states.get(HOME).state == "0"
    assert hass.states.get(BOARD).attributes["team_score"] == "0"
    # Availability is not held back.
    client.connection(ConnectionState.DISCONNECTED)
    await hass.async_block_till_done()
    assert hass.states.get(HOME).state == STATE_UNAVAILABLE
    client.connection(ConnectionState.CONNECTED)
    await tick(hass, freezer, 15)
    assert hass.states.get(HOME).state == "1"
    assert hass.states.get(BOARD).attributes["team_score"] == "1"
    assert len(goals) == 1


async def test_nothing_fires_after_unload(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    entry = make_entry(subentries=[delayed(match_subentry("m1"), 60)])
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    for state in (PRE, KICKOFF, GOAL):
        fake_feed.client.push(state)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    await tick(hass, freezer, 120)
    assert goals == []
    # Nor after a restart: the tracker already counted the goal.
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    fake_feed.client.push(advance(GOAL, version=1))
    await tick(hass, freezer, 120)
    assert goals == []


async def test_removed_target_gets_nothing(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    entry = make_entry(subentries=[delayed(match_subentry("m1"), 60)])
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    for state in (PRE, KICKOFF, GOAL):
        fake_feed.client.push(state)
    await hass.async_block_till_done()
    [subentry_id] = entry.subentries
    hass.config_entries.async_remove_subentry(entry, subentry_id)
    await tick(hass, freezer, 60)
    assert goals == []


async def _reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry, kind: str, user_input: dict[str, Any] | None
) -> dict[str, Any]:
    sub = next(s for s in entry.subentries.values() if s.subentry_type == kind)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, kind),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": sub.subentry_id},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    if user_input is None:
        return result  # type: ignore[return-value]
    return await hass.config_entries.subentries.async_configure(  # type: ignore[return-value]
        result["flow_id"], user_input
    )


def _defaults(result: dict[str, Any]) -> dict[str, Any]:
    return {
        str(key): None if key.default is probatio.UNDEFINED else key.default()
        for key in result["data_schema"].schema
    }


async def test_reconfigure_changes_delay_in_place(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    client = fake_feed.client
    client.push(PRE, KICKOFF)
    await hass.async_block_till_done()
    form = await _reconfigure(hass, entry, "match", None)
    assert _defaults(form) == {"spoiler_delay": 0, "delay_scoreboard": False}
    result = await hass.config_entries.subentries.async_configure(
        form["flow_id"], {"spoiler_delay": 40, "delay_scoreboard": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    [subentry] = entry.subentries.values()
    assert subentry.data["spoiler_delay"] == 40
    assert subentry.data["delay_scoreboard"] is True
    assert len(fake_feed.clients) == 1  # not reloaded
    # The sensors keep what they showed, then lag.
    assert hass.states.get(STATUS).state == "live"
    client.push(GOAL)
    await tick(hass, freezer, 39)
    assert (goals, hass.states.get(HOME).state) == ([], "0")
    await tick(hass, freezer, 1)
    assert (len(goals), hass.states.get(HOME).state) == (1, "1")
    # Shortened while an event waits: the later goal still comes after it.
    client.push(GOAL2)
    await hass.async_block_till_done()
    form = await _reconfigure(hass, entry, "match", None)
    assert _defaults(form) == {"spoiler_delay": 40, "delay_scoreboard": True}
    await _reconfigure(hass, entry, "match", {"spoiler_delay": 0, "delay_scoreboard": False})
    await hass.async_block_till_done()
    assert hass.states.get(HOME).state == "1"  # the scoreboard is live again
    assert hass.states.get("sensor.mallorca_vs_real_madrid_away_score").state == "1"
    third = advance(GOAL2, home=advance(GOAL2.home, score=2), version=5)
    client.push(third)
    await hass.async_block_till_done()
    assert len(goals) == 1  # waits behind the held-back one
    await tick(hass, freezer, 40)
    assert [(g.data["home_score"], g.data["away_score"]) for g in goals] == [(1, 0), (1, 1), (2, 1)]


async def test_reconfigure_competition_and_create_with_delay(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "match"), context={"source": SOURCE_USER}
    )
    assert set(_defaults(result)) == {"match_id", "spoiler_delay", "delay_scoreboard"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"match_id": "m1", "spoiler_delay": 12.0, "delay_scoreboard": True}
    )
    assert result["data"] == {"match_id": "m1", "spoiler_delay": 12, "delay_scoreboard": True}
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "competition"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"competition": "c1", "spoiler_delay": 90}
    )
    assert result["data"] == {"competition": "c1", "spoiler_delay": 90, "delay_scoreboard": False}
    await hass.async_block_till_done()
    assert {f.spoiler_delay for f in entry.runtime_data.followed.values()} == {12, 90}
    form = await _reconfigure(hass, entry, "competition", None)
    assert _defaults(form) == {"spoiler_delay": 90, "delay_scoreboard": False}
    assert form["description_placeholders"] == {"title": "c1"}
    result = await hass.config_entries.subentries.async_configure(
        form["flow_id"], {"spoiler_delay": 5}
    )
    assert result["reason"] == "reconfigure_successful"
    sub = next(s for s in entry.subentries.values() if s.subentry_type == "competition")
    assert sub.data == {"competition": "c1", "spoiler_delay": 5, "delay_scoreboard": False}
    # A required error keeps what was typed.
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "team"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"team": " ", "spoiler_delay": 30, "delay_scoreboard": True}
    )
    assert result["errors"] == {"team": "required"}
    assert _defaults(result) == {"team": None, "spoiler_delay": 30, "delay_scoreboard": True}


async def test_timers_out_of_order_still_run_in_order_once(hass: HomeAssistant) -> None:
    """Timers due together may fire in any order: actions still run in theirs, once."""
    timers: list[Any] = []
    with patch(
        "custom_components.live_scores.delivery.async_call_later",
        lambda _hass, _delay, action: timers.append(action) or (lambda: None),
    ):
        delivery = Delivery(hass)
        ran: list[str] = []
        delivery.schedule(["a"], 10, lambda: ran.append("first"))
        delivery.schedule(["a"], 0, lambda: ran.append("second"))  # behind the first
        delivery.schedule(["b"], 0, lambda: ran.append("other key: now"))
        assert ran == ["other key: now"]
        timers[1](None)
        timers[0](None)
    assert ran == ["other key: now", "first", "second"]
    assert len(delivery) == 0
    delivery.cancel()
