"""Goal first: the bus event and the event entity before any sensor, each entity written once.

The feed client calls `on_matches` and then `on_events` for each frame; the
coordinator fires the events first and tells the sensors after, in the same
callback. An automation started by the goal runs later (its action is scheduled
by the event trigger), so it already reads the new score.
"""

from collections import Counter
from datetime import timedelta
from types import MappingProxyType

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.live_scores.const import EVENT_GOAL
from custom_components.live_scores.feed.model import Status

from .common import make_entry, match_subentry, setup_entry, team_subentry
from .fake_feed import FakeFeed, advance, make_match

PREFIX = "mallorca_vs_real_madrid"
HOME = f"sensor.{PREFIX}_home_score"
EVENT = f"event.{PREFIX}_match_event"
SENSORS = [f"sensor.{PREFIX}_{key}" for key in ("status", "home_score", "away_score", "scoreboard")]

PRE = make_match("m1", version=1)
KICKOFF = advance(PRE, status=Status.LIVE, home=advance(PRE.home, score=0), away=advance(PRE.away, score=0), minute=1, version=2)  # fmt: skip
GOAL = advance(KICKOFF, home=advance(KICKOFF.home, score=1), minute=23, version=3)
LATER = advance(GOAL, minute=24, version=4)


def _record(hass: HomeAssistant) -> list[str]:
    """What is written or fired, in order: bus goals and entity writes (changed or not)."""
    seen: list[str] = []

    @callback
    def written(event: Event) -> None:
        seen.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_GOAL, callback(lambda _event: seen.append(EVENT_GOAL)))
    hass.bus.async_listen(EVENT_STATE_CHANGED, written)
    hass.bus.async_listen(EVENT_STATE_REPORTED, written, event_filter=callback(lambda _data: True))
    return seen


def _ours(seen: list[str]) -> list[str]:
    return [s for s in seen if s == EVENT_GOAL or "mallorca" in s or "real_madrid" in s]


async def test_goal_fires_before_any_sensor_is_written(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    client = fake_feed.client
    client.push(PRE)
    client.push(KICKOFF)
    await hass.async_block_till_done()
    seen = _record(hass)
    home_at_goal: list[str] = []
    hass.bus.async_listen(
        EVENT_GOAL, callback(lambda _e: home_at_goal.append(hass.states.get(HOME).state))
    )

    client.push(GOAL)  # one frame: on_matches, then on_events
    # Everything happened inside the feed's callback, before the loop turned.
    order = _ours(seen)
    assert order[:2] == [EVENT_GOAL, EVENT]
    assert sorted(order[2:]) == sorted(SENSORS)  # then each sensor, once
    assert home_at_goal == ["0"]  # the bus event came before the score sensor's write
    assert hass.states.get(HOME).state == "1"
    await hass.async_block_till_done()
    assert _ours(seen) == order  # nothing written a second time later


async def test_each_entity_written_at_most_once_per_change(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    # One match followed twice: as a match and as a team (one device each).
    entry = make_entry(subentries=[match_subentry("m1"), team_subentry("t1", "Mallorca")])
    await setup_entry(hass, entry)
    client = fake_feed.client
    client.push(PRE, KICKOFF)
    await hass.async_block_till_done()
    seen = _record(hass)

    client.push(GOAL)
    await hass.async_block_till_done()
    writes = Counter(_ours(seen))
    assert writes.pop(EVENT_GOAL) == 1  # one bus event naming both devices
    assert len(writes) == 10  # 4 sensors and an event entity per target
    assert set(writes.values()) == {1}

    seen.clear()
    client.push(LATER)  # no event: the sensors are told at the next turn of the loop
    assert _ours(seen) == []
    await hass.async_block_till_done()
    writes = Counter(_ours(seen))
    assert len(writes) == 8  # the sensors of both targets, no event entity
    assert set(writes.values()) == {1}


async def test_automation_action_reads_the_new_score(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    config = {
        "automation": [
            {
                "triggers": [{"trigger": "event", "event_type": EVENT_GOAL}],
                "actions": [
                    {
                        "event": "goal_seen",
                        "event_data": {
                            "sensor": f"{{{{ states('{HOME}') }}}}",
                            "event": "{{ trigger.event.data.home_score }}",
                        },
                    }
                ],
            }
        ]
    }
    assert await async_setup_component(hass, "automation", config)
    seen = async_capture_events(hass, "goal_seen")
    client = fake_feed.client
    client.push(PRE, KICKOFF)
    client.push(GOAL)
    await hass.async_block_till_done()
    assert [e.data for e in seen] == [{"sensor": 1, "event": 1}]


async def test_delayed_sensors_follow_their_event(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    sub = match_subentry("m1")
    data = {**sub["data"], "spoiler_delay": 30, "delay_scoreboard": True}
    entry = make_entry(subentries=[ConfigSubentryData(**{**sub, "data": MappingProxyType(data)})])  # type: ignore[typeddict-item]
    await setup_entry(hass, entry)
    client = fake_feed.client
    client.push(PRE, KICKOFF)
    await hass.async_block_till_done()
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    seen = _record(hass)
    client.push(GOAL)
    await hass.async_block_till_done()
    assert _ours(seen) == []  # held back: sensors and events
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    order = _ours(seen)
    assert order[:2] == [EVENT_GOAL, EVENT]
    assert sorted(order[2:]) == sorted(SENSORS)
