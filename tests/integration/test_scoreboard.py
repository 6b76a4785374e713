"""The TeamTracker scoreboard sensor (scripted feed, real tracker)."""

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant, State
from pytest_homeassistant_custom_component.common import (
    async_mock_restore_state_shutdown_restart,
    mock_restore_cache_with_extra_data,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.live_scores.feed.api import ConnectionState
from custom_components.live_scores.feed.model import Status
from custom_components.live_scores.target import Followed
from tests.test_teamtracker import CONTRACT

from .common import make_entry, match_subentry, setup_entry, team_subentry
from .fake_feed import FakeFeed, advance, make_match

BOARD = "sensor.mallorca_vs_real_madrid_scoreboard"
PRE = make_match("m1", version=1)
KICKOFF = advance(PRE, status=Status.LIVE, home=advance(PRE.home, score=0), away=advance(PRE.away, score=0), minute=1, clock="1'", version=2)  # fmt: skip
GOAL = advance(KICKOFF, away=advance(KICKOFF.away, score=1), minute=23, clock="23'", version=3)


async def test_match_scoreboard(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    """The card's view through a match (what the recorder keeps: test_recorder.py)."""
    freezer.move_to("2026-04-04T12:15:00+00:00")
    await setup_entry(hass, make_entry(subentries=[match_subentry("m1")]))
    state = hass.states.get(BOARD)
    assert set(state.attributes) - {"friendly_name", "icon", "device_class", "options"} == CONTRACT
    assert state == snapshot(name="no match")
    client = fake_feed.client
    client.push(PRE)
    await hass.async_block_till_done()
    assert hass.states.get(BOARD) == snapshot(name="before kick-off")
    freezer.move_to("2026-04-04T14:38:00+00:00")
    client.push(KICKOFF, GOAL)
    await hass.async_block_till_done()
    state = hass.states.get(BOARD)
    assert state == snapshot(name="live")
    # The same state again is no feed change.
    freezer.tick(timedelta(minutes=1))
    client.push(GOAL)
    await hass.async_block_till_done()
    assert hass.states.get(BOARD).attributes["last_update"] == state.attributes["last_update"]
    # The feed goes down: still shown, with a message for the card.
    client.connection(ConnectionState.DISCONNECTED)
    await hass.async_block_till_done()
    assert hass.states.get(BOARD) == snapshot(name="feed down")
    client.connection(ConnectionState.CONNECTED)
    freezer.move_to("2026-04-04T16:10:00+00:00")
    ended = {"status": Status.FINISHED, "status_text": "Ended", "clock": None, "minute": None}
    client.push(advance(GOAL, **ended, version=4))
    await hass.async_block_till_done()
    assert hass.states.get(BOARD) == snapshot(name="finished")


async def test_team_side_by_id_and_by_name(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[team_subentry("t2", "Real Madrid")])
    await setup_entry(hass, entry)
    fake_feed.client.push(GOAL)
    await hass.async_block_till_done()
    state = hass.states.get("sensor.real_madrid_scoreboard")
    assert state.attributes["team_homeaway"] == "away"
    assert state.attributes["team_id"] == "t2"
    assert (state.attributes["team_score"], state.attributes["opponent_score"]) == ("1", "0")
    # A team typed as a name is found by its name.
    named = Followed("s", "team", "real madrid", "Real Madrid")
    assert named.team_in(GOAL) == "t2"
    assert named.team_in(make_match("x", ("t8", "Getafe"), ("t9", "Osasuna"))) is None
    assert Followed("s", "match", "m1").team_in(GOAL) is None


async def test_restored_after_restart(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    fake_feed.client.push(PRE, KICKOFF, GOAL)
    await hass.async_block_till_done()
    before = hass.states.get(BOARD).attributes
    await entry.runtime_data.async_on_stop(Event("homeassistant_stop"))
    assert await hass.config_entries.async_unload(entry.entry_id)
    await async_mock_restore_state_shutdown_restart(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get(BOARD)
    assert state.state == "IN"
    assert state.attributes["team_score"] == "0"
    assert state.attributes["opponent_score"] == "1"
    assert state.attributes["last_update"] == before["last_update"]
    assert set(state.attributes) - {"friendly_name", "icon", "device_class", "options"} == CONTRACT
    # The feed sends the match again: live data from then on.
    fake_feed.client.push(advance(GOAL, home=advance(GOAL.home, score=1), version=1))
    await hass.async_block_till_done()
    assert hass.states.get(BOARD).attributes["team_score"] == "1"


async def test_restore_ignores_bad_data(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    mock_restore_cache_with_extra_data(
        hass, [(State(BOARD, "weird"), {"native_value": "weird", "attributes": None})]
    )
    await setup_entry(hass, make_entry(subentries=[match_subentry("m1")]))
    state = hass.states.get(BOARD)
    assert state.state == "NOT_FOUND"
    assert state.attributes["last_update"] is None
