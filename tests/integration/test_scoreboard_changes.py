"""The scoreboard changes (a recorder row) only when what the card shows changes.

`last_update` is when the card's data last changed: a change of the match that the
card does not show (a tennis point) writes the same state again, which Home
Assistant reports without a new state (and the recorder without a new row).
"""

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.live_scores.feed.model import PeriodScore, Sport, Status

from .common import make_entry, match_subentry, setup_entry
from .fake_feed import FakeFeed, advance, make_match

BOARD = "sensor.mallorca_vs_real_madrid_scoreboard"
SETS = (PeriodScore("Set 1", 3, 2), PeriodScore("Game", 15, 0))
TENNIS = advance(
    make_match("m1", score=(0, 0), status=Status.LIVE, sport=Sport.TENNIS, version=1),
    periods=SETS,
)


async def test_a_point_the_card_does_not_show_is_no_change(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, make_entry(subentries=[match_subentry("m1")]))
    client = fake_feed.client
    client.push(TENNIS)
    await hass.async_block_till_done()
    before = hass.states.get(BOARD)
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    freezer.tick(timedelta(seconds=20))
    point = advance(TENNIS, periods=(SETS[0], PeriodScore("Game", 30, 0)), version=2)
    client.push(point)
    await hass.async_block_till_done()
    assert [e for e in changes if e.data["entity_id"] == BOARD] == []
    assert hass.states.get(BOARD).attributes["last_update"] == before.attributes["last_update"]
    # A game won is on the card: a change, at the time it came.
    freezer.tick(timedelta(seconds=20))
    game = advance(
        point, periods=(PeriodScore("Set 1", 4, 2), PeriodScore("Game", 0, 0)), version=3
    )
    client.push(game)
    await hass.async_block_till_done()
    after = hass.states.get(BOARD)
    assert after.attributes["team_score"] == "4"
    assert after.attributes["last_update"] != before.attributes["last_update"]
    assert [e.data["entity_id"] for e in changes].count(BOARD) == 1


async def test_the_clock_is_a_change(
    hass: HomeAssistant, fake_feed: FakeFeed, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, make_entry(subentries=[match_subentry("m1")]))
    live = make_match("m1", score=(0, 0), status=Status.LIVE, minute=10, version=1)
    fake_feed.client.push(live)
    await hass.async_block_till_done()
    before = hass.states.get(BOARD).attributes
    freezer.tick(timedelta(minutes=1))
    fake_feed.client.push(advance(live, minute=11, clock="11'", version=2))
    await hass.async_block_till_done()
    after = hass.states.get(BOARD).attributes
    assert (before["clock"], after["clock"]) == ("10'", "11'")
    assert after["last_update"] != before["last_update"]
