"""Crash-safe state: the tracker's state is on disk at most 10 s after any event.

Home Assistant's `Store.async_delay_save` moves its write later on every call, so
a feed that changes every second would never be written; an abrupt stop (power
cut, OOM kill) would then replay goals after the restart.
"""

import copy
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.live_scores.const import EVENT_GOAL, SAVE_DELAY, STORAGE_KEY
from custom_components.live_scores.feed.model import Match, Status

from .common import make_entry, match_subentry, setup_entry
from .fake_feed import FakeFeed, advance, make_match

KICKOFF = make_match("m1", score=(0, 0), status=Status.LIVE, minute=1)


def _at(second: int, home: int, away: int) -> Match:
    """The match `second` seconds into the stream, with this score."""
    return advance(
        KICKOFF,
        home=advance(KICKOFF.home, score=home),
        away=advance(KICKOFF.away, score=away),
        minute=1 + second // 60,
        clock=f"{second}s",  # every state differs from the one before
    )


def _score(second: int) -> tuple[int, int]:
    """The stream's score: 1-0 after 5 s, 2-0 after 20 s."""
    return (0 if second < 5 else 1 if second < 20 else 2), 0


def _saved_keys(storage: dict[str, Any], key: str) -> set[str]:
    saved = storage.get(key)
    if saved is None:
        return set()
    return set(saved["data"]["matches"].get("m1", {}).get("keys", ()))


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def test_state_on_disk_within_ten_seconds_however_busy_the_feed(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    key = STORAGE_KEY.format(entry_id=entry.entry_id)
    client = fake_feed.client
    goals = async_capture_events(hass, EVENT_GOAL)
    client.push(KICKOFF)  # the baseline, then a quiet moment: written
    for _ in range(SAVE_DELAY + 1):
        await _tick(hass, freezer)
    assert _saved_keys(hass_storage, key) == {"kickoff"}

    # A new state every second for a minute: goals at 5 s and 20 s.
    written: dict[str, int] = {}
    snapshot: dict[str, Any] = {}
    for second in range(60):
        client.push(_at(second, *_score(second)))
        await hass.async_block_till_done()
        for goal in _saved_keys(hass_storage, key) - written.keys():
            written[goal] = second
        snapshot = copy.deepcopy(hass_storage[key])
        await _tick(hass, freezer)
    assert len(goals) == 2
    # On disk at most SAVE_DELAY seconds after each goal, while the feed never paused.
    assert written["goal:home:1"] - 5 <= SAVE_DELAY
    assert written["goal:home:2"] - 20 <= SAVE_DELAY

    # An abrupt stop now (no shutdown, no final write): a fresh entry starts from
    # what is on disk, and the feed sends the match as it stands.
    restarted = make_entry(subentries=[match_subentry("m1")], unique_id="acct-0002")
    hass_storage[STORAGE_KEY.format(entry_id=restarted.entry_id)] = snapshot
    await setup_entry(hass, restarted)
    assert fake_feed.client is not client
    fake_feed.client.push(_at(61, 2, 0))
    await hass.async_block_till_done()
    mine = [g for g in goals if g.data["config_entry_id"] == restarted.entry_id]
    assert mine == []  # nothing already fired is fired again
    fake_feed.client.push(_at(62, 2, 1))  # a new goal still fires, once
    await hass.async_block_till_done()
    mine = [g for g in goals if g.data["config_entry_id"] == restarted.entry_id]
    assert [(g.data["home_score"], g.data["away_score"]) for g in mine] == [(2, 1)]


async def test_no_write_armed_after_unload(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Unloading writes at once and leaves no timer that would write again later."""
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    key = STORAGE_KEY.format(entry_id=entry.entry_id)
    fake_feed.client.push(KICKOFF)
    fake_feed.client.push(_at(1, 1, 0))
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert "goal:home:1" in _saved_keys(hass_storage, key)
    del hass_storage[key]
    for _ in range(SAVE_DELAY + 1):
        await _tick(hass, freezer)
    assert key not in hass_storage
