"""Sensors never freeze: the coordinator keeps no version check of its own.

The client and its tracker hand states over in order, and forget versions on each
new connection; a check in the coordinator was never reset, so after a reconnect
that restarted the service's counters the sensors stood still.
"""

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.live_scores.const import EVENT_GOAL
from custom_components.live_scores.feed.api import ConnectionState
from custom_components.live_scores.feed.model import Match, Status

from .common import make_entry, match_subentry, setup_entry
from .fake_feed import FakeFeed, advance, make_match

HOME = "sensor.mallorca_vs_real_madrid_home_score"
AWAY = "sensor.mallorca_vs_real_madrid_away_score"
BOARD = "sensor.mallorca_vs_real_madrid_scoreboard"
LIVE = make_match("m1", score=(0, 0), status=Status.LIVE, minute=10, version=5_000_000)


def _scored(home: int, away: int, minute: int, version: int) -> Match:
    return advance(
        LIVE,
        home=advance(LIVE.home, score=home),
        away=advance(LIVE.away, score=away),
        minute=minute,
        clock=f"{minute}'",
        version=version,
    )


async def test_sensors_move_after_a_reconnect_restarts_versions(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    client = fake_feed.client
    goals = async_capture_events(hass, EVENT_GOAL)
    client.push(advance(LIVE, version=5_612_062_210), _scored(1, 0, 20, 5_612_062_220))
    await hass.async_block_till_done()
    assert hass.states.get(HOME).state == "1"
    # The connection drops; the new one restarts the service's counters, far lower.
    client.connection(ConnectionState.DISCONNECTED)
    client.connection(ConnectionState.CONNECTED)
    client.push(_scored(1, 1, 30, 7))
    await hass.async_block_till_done()
    assert (hass.states.get(HOME).state, hass.states.get(AWAY).state) == ("1", "1")
    assert hass.states.get(BOARD).attributes["clock"] == "30'"
    client.push(_scored(1, 1, 31, 8))
    await hass.async_block_till_done()
    assert hass.states.get(BOARD).attributes["clock"] == "31'"
    assert [(g.data["home_score"], g.data["away_score"]) for g in goals] == [(1, 0), (1, 1)]


async def test_sensors_show_the_newest_state_of_a_batch(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    """Two states of one match in one delivery, the goal in the older: the newer is shown."""
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    client = fake_feed.client
    goals = async_capture_events(hass, EVENT_GOAL)
    bare = advance(LIVE, version=None)
    client.push(bare)
    goal = advance(bare, home=advance(bare.home, score=1), minute=11, clock="11'")
    client.push(goal, advance(goal, minute=12, clock="12'"))
    await hass.async_block_till_done()
    assert len(goals) == 1
    assert hass.states.get(HOME).state == "1"
    assert hass.states.get(BOARD).attributes["clock"] == "12'"
