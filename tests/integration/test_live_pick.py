"""What a target shows is picked once per change of its matches (`Followers.live` keeps it).

A sensor asks at each write; the pick is kept until a state of one of the
target's matches is kept, or the matches or targets change. These check that no
kept pick outlives what it was picked from.
"""

from types import MappingProxyType

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant

from custom_components.live_scores.feed.model import Status

from .common import make_entry, match_subentry, setup_entry, team_subentry
from .fake_feed import FakeFeed, advance, make_match

LALIGA = ConfigSubentryData(
    data=MappingProxyType({"competition": "LaLiga", "competition_id": "c1", "sport": "football"}),
    subentry_type="competition",
    title="LaLiga",
    unique_id="competition:c1",
)
LIVE = make_match("m1", score=(0, 0), status=Status.LIVE, minute=10, version=1)


def _subentry_id(hass: HomeAssistant, kind: str) -> str:
    entry = hass.config_entries.async_entries("live_scores")[0]
    return next(s.subentry_id for s in entry.subentries.values() if s.subentry_type == kind)


async def test_a_state_no_longer_followed_is_not_shown(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    """The feed moves a match to another competition: the competition shows it no more."""
    entry = make_entry(subentries=[match_subentry("m1"), LALIGA])
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data
    competition = _subentry_id(hass, "competition")
    fake_feed.client.push(LIVE)
    await hass.async_block_till_done()
    assert coordinator.live(competition) == LIVE
    moved = advance(LIVE, competition="Copa", competition_id="c2", version=2)
    fake_feed.client.push(moved)  # delivered for the match target
    await hass.async_block_till_done()
    assert coordinator.live(_subentry_id(hass, "match")) == moved
    assert coordinator.live(competition) is None


async def test_each_new_state_is_shown(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """A team's pick moves with every state, and to its next match when one ends."""
    entry = make_entry(subentries=[team_subentry("t1", "Mallorca")])
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data
    team = _subentry_id(hass, "team")
    later = advance(make_match("m2", status=Status.SCHEDULED, version=1), id="m2")
    fake_feed.client.push(LIVE, later)
    await hass.async_block_till_done()
    assert coordinator.live(team) == LIVE
    goal = advance(LIVE, home=advance(LIVE.home, score=1), minute=11, version=2)
    fake_feed.client.push(goal)
    await hass.async_block_till_done()
    assert coordinator.live(team) == goal
    assert hass.states.get("sensor.mallorca_team_score").state == "1"
    fake_feed.client.push(advance(goal, status=Status.FINISHED, minute=None, version=3))
    await hass.async_block_till_done()
    assert coordinator.live(team) == later
