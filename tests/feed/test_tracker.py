"""The tracker: baseline, goals, cancellations, phases, tennis, versions, save/restore."""

from dataclasses import replace
import json
import random

import pytest

from custom_components.live_scores.feed import tracker_diff
from custom_components.live_scores.feed.model import (
    EventType,
    GoalKind,
    PeriodScore,
    Scorer,
    Side,
    Sport,
    Status,
)
from custom_components.live_scores.feed.tracker import MAX_FINISHED_RECORDS, Tracker
from custom_components.live_scores.feed.tracker_versions import STALE_RUN_REBASE

from .helpers import match


def keys(events: list) -> list[str]:
    return [e.key for e in events]


def test_first_state_is_a_baseline() -> None:
    tracker = Tracker()
    assert tracker.update(match(2, 1, red=(1, 0))) == []
    assert "m1" in tracker
    assert len(tracker) == 1


def test_kickoff_minus_one_to_zero_is_not_a_goal() -> None:
    tracker = Tracker()
    tracker.update(match(None, None, status=Status.SCHEDULED, text="Scheduled"))
    events = tracker.update(match(0, 0))
    assert keys(events) == ["kickoff"]
    assert events[0].type is EventType.KICKOFF


def test_goals_one_event_each_with_scorer() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0))
    scorers = (
        Scorer(Side.HOME, 12, "Ann", GoalKind.PENALTY, 1),
        Scorer(Side.HOME, 30, "Bea", GoalKind.OPEN_PLAY, 2),
        Scorer(Side.AWAY, 20, "Cid", GoalKind.OWN_GOAL, 3),
    )
    events = tracker.update(match(2, 1, scorers=scorers))
    assert keys(events) == ["goal:home:1", "goal:away:1", "goal:home:2"]
    first = events[0]
    assert (first.scorer, first.kind, first.minute, first.side) == (
        "Ann",
        GoalKind.PENALTY,
        12,
        Side.HOME,
    )
    assert events[1].kind is GoalKind.OWN_GOAL
    # Each goal carries the score it made, in the order they happened.
    assert [(e.home_score, e.away_score) for e in events] == [(1, 0), (1, 1), (2, 1)]
    assert first.team is not None
    assert first.team.id == "h"
    # The same state again, or a later one with the same score: nothing.
    assert tracker.update(match(2, 1, scorers=scorers)) == []


def test_goal_without_scorer_uses_match_minute() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0))
    (event,) = tracker.update(match(0, 1, minute=44))
    assert (event.scorer, event.kind, event.minute) == (None, None, 44)


def test_goal_cancelled_frees_the_key() -> None:
    tracker = Tracker()
    tracker.update(match(1, 0))
    events = tracker.update(match(0, 0))
    assert [(e.type, e.key) for e in events] == [
        (EventType.GOAL_CANCELLED, "goal_cancelled:home:1")
    ]
    assert keys(tracker.update(match(1, 0))) == ["goal:home:1"]
    assert keys(tracker.update(match(0, 0))) == ["goal_cancelled:home:1"]


def test_red_cards() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0))
    events = tracker.update(match(0, 0, red=(0, 2)))
    assert keys(events) == ["red_card:away:1", "red_card:away:2"]
    assert events[0].type is EventType.RED_CARD
    # Unknown red cards (None) change nothing.
    assert tracker.update(match(0, 0, red=(None, None))) == []


def test_unknown_values_are_baselined_silently_while_live() -> None:
    tracker = Tracker()
    tracker.update(match(None, None, red=(None, None)))
    assert tracker.update(match(1, 2, red=(1, 0))) == []


def test_scheduled_to_goals_counts_from_zero() -> None:
    tracker = Tracker()
    tracker.update(match(None, None, status=Status.SCHEDULED, text="Scheduled", red=(None, None)))
    events = tracker.update(match(1, 0, red=(0, 1)))
    assert keys(events) == ["kickoff", "goal:home:1", "red_card:away:1"]


def test_football_phases() -> None:
    tracker = Tracker()
    tracker.update(match(None, None, status=Status.SCHEDULED, text="Scheduled"))
    assert keys(tracker.update(match(0, 0))) == ["kickoff"]
    assert keys(tracker.update(match(1, 0, status=Status.BREAK, text="Halftime"))) == [
        "goal:home:1",
        "halftime",
    ]
    assert keys(tracker.update(match(1, 0, text="2nd Half"))) == ["second_half"]
    assert keys(tracker.update(match(1, 0, status=Status.FINISHED, text="Ended"))) == ["full_time"]
    assert tracker.update(match(1, 0, status=Status.FINISHED, text="Ended")) == []


def test_missed_break_still_gives_halftime_and_second_half() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0))
    assert keys(tracker.update(match(0, 0, text="2nd Half"))) == ["halftime", "second_half"]


def test_baseline_implies_what_already_happened() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0, text="2nd Half"))
    assert tracker.update(match(0, 0, status=Status.BREAK, text="Break")) == []
    assert tracker.update(match(0, 0, text="Extra Time")) == []
    other = Tracker()
    other.update(match(0, 0, status=Status.BREAK, text="Halftime"))
    assert keys(other.update(match(0, 0, text="2nd Half"))) == ["second_half"]
    done = Tracker()
    done.update(match(0, 0, status=Status.FINISHED, text="Ended"))
    assert done.update(match(0, 0, status=Status.FINISHED, text="Ended")) == []


def test_unknown_status_changes_nothing() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0))
    assert tracker.update(match(0, 0, status=Status.UNKNOWN, text=None)) == []
    assert tracker.update(match(0, 0)) == []


def test_hockey_breaks_are_not_halftime() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0, sport=Sport.HOCKEY, text="1st Period"))
    assert tracker.update(match(0, 0, sport=Sport.HOCKEY, status=Status.BREAK, text="Break")) == []
    events = tracker.update(match(0, 1, sport=Sport.HOCKEY, text="2nd Period"))
    assert [e.type for e in events] == [EventType.GOAL]


def test_basketball_score_changes_and_halves() -> None:
    tracker = Tracker()
    bb = Sport.BASKETBALL
    tracker.update(match(10, 8, sport=bb, text="2nd Quarter"))
    events = tracker.update(match(13, 8, sport=bb, text="2nd Quarter"))
    assert [(e.type, e.key, e.detail["points"]) for e in events] == [
        (EventType.SCORE_CHANGE, "score:home:13", 3)
    ]
    assert keys(tracker.update(match(13, 8, sport=bb, status=Status.BREAK, text="Halftime"))) == [
        "halftime"
    ]
    assert keys(tracker.update(match(13, 8, sport=bb, text="3rd Quarter"))) == ["second_half"]
    # A correction downwards is a score change too, once.
    events = tracker.update(match(11, 8, sport=bb, text="3rd Quarter"))
    assert [(e.type, e.key) for e in events] == [
        (EventType.SCORE_CHANGE, "score_cancelled:home:13")
    ]
    assert keys(tracker.update(match(13, 8, sport=bb, text="3rd Quarter"))) == ["score:home:13"]


def test_basketball_missed_halftime() -> None:
    tracker = Tracker()
    bb = Sport.BASKETBALL
    tracker.update(match(10, 8, sport=bb, text="2nd Quarter"))
    assert keys(tracker.update(match(10, 8, sport=bb, text="3rd Quarter"))) == [
        "halftime",
        "second_half",
    ]


def tennis(sets: tuple[int, int], games: list[tuple[int, int]], status: Status = Status.LIVE):
    periods = tuple(PeriodScore(f"Set {i + 1}", h, a) for i, (h, a) in enumerate(games))
    periods += (PeriodScore("Set 3", None, None), PeriodScore("Game", 15, 0))
    return match(
        sets[0],
        sets[1],
        sport=Sport.TENNIS,
        status=status,
        text=f"Set {len(games)}",
        periods=periods,
        minute=None,
    )


def test_tennis_games_and_sets_in_order() -> None:
    tracker = Tracker()
    tracker.update(tennis((0, 0), [(5, 4)]))
    events = tracker.update(tennis((1, 0), [(6, 4), (0, 1)]))
    assert keys(events) == ["game_won:home:1:6", "set_won:home:1", "game_won:away:2:1"]
    assert [e.type for e in events] == [EventType.GAME_WON, EventType.SET_WON, EventType.GAME_WON]
    assert events[1].detail == {"set": 1, "sets": 1}
    events = tracker.update(tennis((1, 0), [(6, 4), (0, 0)]))
    assert events == []  # games never count down


def test_tennis_set_correction() -> None:
    tracker = Tracker()
    tracker.update(tennis((1, 0), [(6, 4)]))
    events = tracker.update(tennis((0, 0), [(6, 4)]))
    assert keys(events) == ["set_cancelled:home:1"]


def test_stale_versions_are_dropped_until_resync() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0, version=5_612_062_210))
    assert keys(tracker.update(match(1, 0, version=5_612_062_212))) == ["goal:home:1"]
    assert tracker.update(match(0, 0, version=5_612_062_211)) == []
    assert tracker.dropped_stale == 1
    tracker.begin_resync()
    # After a reconnect a counter that restarted (far below) is followed at once,
    # and only what truly changed is emitted.
    assert keys(tracker.update(match(2, 0, version=3))) == ["goal:home:2"]
    assert tracker.update(match(2, 0, version=None)) == []


def test_an_old_frame_replayed_after_an_unversioned_snapshot_is_dropped() -> None:
    """A snapshot without a version first, then an older versioned frame replayed."""
    tracker = Tracker()
    tracker.update(match(0, 1, version=5_612_069_100))
    assert keys(tracker.update(match(0, 2, version=5_612_069_110))) == ["goal:away:2"]
    assert keys(tracker.update(match(0, 1, version=5_612_069_121))) == ["goal_cancelled:away:2"]
    tracker.begin_resync()
    assert tracker.update(match(0, 1, version=None)) == []  # the new socket's snapshot
    # The replayed frame (from before the cancellation): not the goal again.
    assert tracker.update(match(0, 2, version=5_612_069_110)) == []
    assert tracker.dropped_stale == 1
    assert tracker.update(match(0, 1, version=5_612_069_130)) == []  # and no second cancellation
    # A counter that really went back a little is followed after five states.
    tracker.begin_resync()
    for n in range(4):
        assert tracker.update(match(0, 1, version=5_612_069_000 + n)) == []
    assert keys(tracker.update(match(0, 2, version=5_612_069_004))) == ["goal:away:2"]


def test_a_stale_replay_after_a_reconnect_never_rolls_back() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0, version=100))
    assert keys(tracker.update(match(1, 0, version=110))) == ["goal:home:1"]
    tracker.begin_resync()
    # The new socket: a fresh frame, then an older one replayed.
    assert tracker.update(match(1, 0, version=120)) == []
    assert tracker.update(match(0, 0, version=105)) == []  # no false cancellation
    assert tracker.update(match(1, 0, version=121)) == []  # and no repeated goal
    assert tracker.dropped_stale == 1


def test_an_old_state_replayed_first_after_a_reconnect_is_dropped() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0, version=100))
    tracker.update(match(1, 0, version=110))
    tracker.begin_resync()
    # The replay comes before any fresh frame of this match: no cancellation...
    assert tracker.update(match(0, 0, version=105)) == []
    # ...and the fresh state is still a catch-up (nothing new in it here).
    assert tracker.update(match(1, 0, version=120)) == []
    assert keys(tracker.update(match(2, 0, version=121))) == ["goal:home:2"]
    # A real VAR decision after a reconnect (a newer version) still counts.
    tracker.begin_resync()
    assert keys(tracker.update(match(1, 0, version=130))) == ["goal_cancelled:home:2"]


def test_a_poisoned_counter_does_not_freeze_a_match() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0, version=100))
    # One frame 10**12 ahead: applied, but not the new floor.
    assert tracker.update(match(0, 0, version=100 + 10**12)) == []
    assert keys(tracker.update(match(1, 0, version=101))) == ["goal:home:1"]
    assert keys(tracker.update(match(2, 0, version=102))) == ["goal:home:2"]
    # A big but plausible jump is the floor; a replay from before it is dropped.
    tracker.update(match(2, 0, version=5 * 10**8))
    assert tracker.update(match(1, 0, version=103)) == []
    assert tracker.dropped_stale == 1


def test_a_poisoned_id_first_after_a_reconnect_does_not_freeze() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0, version=100))
    tracker.begin_resync()
    assert tracker.update(match(0, 0, version=100 + 10**12)) == []
    assert keys(tracker.update(match(1, 0, version=101))) == ["goal:home:1"]
    # A brand-new match whose first state carries the poisoned id, too.
    fresh = Tracker()
    fresh.update(match(0, 0, version=10**12 + 5))
    assert keys(fresh.update(match(1, 0, version=6))) == ["goal:home:1"]


def test_a_counter_that_went_back_is_followed_after_a_run() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0, version=1000))
    for n in range(STALE_RUN_REBASE - 1):
        assert tracker.update(match(0, 0, version=10 + n)) == []
    assert keys(tracker.update(match(1, 0, version=20))) == ["goal:home:1"]
    assert keys(tracker.update(match(2, 0, version=21))) == ["goal:home:2"]
    # A lone older one in between restarts the count.
    tracker.update(match(2, 0, version=5000))
    tracker.update(match(2, 0, version=30))
    tracker.update(match(2, 0, version=29))
    assert tracker.dropped_stale == STALE_RUN_REBASE - 1 + 2


def test_recovered_after_a_gap_a_restart_a_jump_or_a_settling_score() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0))
    (live,) = tracker.update(match(1, 0))
    assert not live.recovered
    # Two goals in one state: the first was missed.
    jump = tracker.update(match(3, 0))
    assert [(e.key, e.recovered) for e in jump] == [("goal:home:2", True), ("goal:home:3", False)]
    # The first state after a reconnect is a catch-up...
    tracker.begin_resync()
    gap = tracker.update(match(3, 1, red=(1, 0)))
    assert sorted((e.key, e.recovered) for e in gap) == [
        ("goal:away:1", True),
        ("red_card:home:1", True),
    ]
    # ...the next one is live again; a red card seen in a catch-up is recovered.
    (after,) = tracker.update(match(3, 2, red=(1, 0)))
    assert not after.recovered
    # After end_resync, even a first state is live.
    tracker.begin_resync()
    tracker.end_resync()
    assert not tracker.update(match(4, 2, red=(1, 0)))[0].recovered
    # A restart: restored records are in catch-up.
    restored = Tracker()
    restored.restore(tracker.snapshot())
    assert restored.update(match(5, 2, red=(1, 0)))[0].recovered
    # A settling state (half-time score) recovers what it reveals; the phase
    # event itself is live; an announced goal is live even in a catch-up.
    settle = replace(match(6, 2, red=(1, 0), status=Status.BREAK, text="Halftime"), settling=True)
    assert [(e.key, e.recovered) for e in restored.update(settle)] == [
        ("goal:home:6", True),
        ("halftime", False),
    ]
    restored.begin_resync()
    announced = replace(match(8, 2, red=(1, 0), text="2nd Half"), announced=(Side.HOME, 8))
    assert [(e.key, e.recovered) for e in restored.update(announced)] == [
        ("second_half", True),
        ("goal:home:7", True),
        ("goal:home:8", False),
    ]


def test_implausible_jumps_and_set_names_cost_nothing() -> None:
    tracker = Tracker()
    tracker.update(match(0, 0))
    assert tracker.update(match(10**9, 0, red=(10**9, 0))) == []
    assert tracker.score("m1") == (10**9, 0)
    assert tracker.update(match(0, 0)) == []  # and back: no cancellations either
    big = PeriodScore("Set " + "9" * 5000, 1, 0)
    tennis_match = tennis((0, 0), [(0, 0)])
    tracker.update(tennis_match)
    assert tracker.update(replace(tennis_match, periods=(big,))) == []
    many = PeriodScore("Set 1", 10**6, 0)
    assert tracker.update(replace(tennis_match, periods=(many,))) == []


def test_ended_matches_are_pruned() -> None:
    tracker = Tracker()
    for n in range(MAX_FINISHED_RECORDS + 50):
        tracker.update(match(1, 0, status=Status.FINISHED, text="Ended", match_id=f"f{n}"))
    tracker.update(match(0, 0, match_id="live"))
    assert len(tracker) <= MAX_FINISHED_RECORDS + 1
    assert "live" in tracker
    assert "f0" not in tracker
    assert f"f{MAX_FINISHED_RECORDS + 49}" in tracker


def test_snapshot_restore_round_trip_emits_nothing_again() -> None:
    tracker = Tracker()
    tracker.update(match(None, None, status=Status.SCHEDULED, text="Scheduled"))
    tracker.update(match(1, 0, red=(0, 1)))
    saved = json.loads(json.dumps(tracker.snapshot()))
    restored = Tracker()
    restored.restore(saved)
    assert restored.update(match(1, 0, red=(0, 1))) == []
    assert keys(restored.update(match(2, 0, red=(0, 1)))) == ["goal:home:2"]


def test_snapshot_with_tennis_games() -> None:
    tracker = Tracker()
    tracker.update(tennis((0, 0), [(2, 1)]))
    restored = Tracker()
    restored.restore(json.loads(json.dumps(tracker.snapshot())))
    assert restored.update(tennis((0, 0), [(2, 1)])) == []
    assert keys(restored.update(tennis((0, 0), [(3, 1)]))) == ["game_won:home:1:3"]


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "x",
        [],
        {},
        {"version": 99, "matches": {}},
        {"version": 1, "matches": []},
        {"version": 1, "matches": {"a": 1}},
        {"version": 1, "matches": {"a": {"status": "live"}}},
        {
            "version": 1,
            "matches": {"a": {"status": "nope", "score": [0, 0], "red": [0, 0], "keys": []}},
        },
        {
            "version": 1,
            "matches": {"a": {"status": "live", "score": [0], "red": [0, 0], "keys": []}},
        },
        {
            "version": 1,
            "matches": {"a": {"status": "live", "score": ["x", 0], "red": [0, 0], "keys": []}},
        },
        {
            "version": 1,
            "matches": {"a": {"status": "live", "score": [0, 0], "red": [0, 0], "keys": [1]}},
        },
        {
            "version": 1,
            "matches": {
                "a": {"status": "live", "score": [0, 0], "red": [0, 0], "keys": [], "games": []}
            },
        },
        {
            "version": 1,
            "matches": {
                "a": {
                    "status": "live",
                    "score": [0, 0],
                    "red": [0, 0],
                    "keys": [],
                    "games": {"x": [1, 1]},
                }
            },
        },
        {
            "version": 1,
            "matches": {
                "a": {
                    "status": "live",
                    "score": [0, 0],
                    "red": [0, 0],
                    "keys": [],
                    "games": {"1": [None, 1]},
                }
            },
        },
    ],
)
def test_restore_tolerates_garbage(garbage: object) -> None:
    tracker = Tracker()
    tracker.update(match(1, 0))
    tracker.restore(garbage)  # type: ignore[arg-type]
    assert "a" not in tracker
    assert "m1" not in tracker
    assert tracker.update(match(1, 0)) == []  # a new baseline


def test_forget() -> None:
    tracker = Tracker()
    tracker.update(match(1, 0))
    tracker.forget("m1")
    tracker.forget("nope")
    assert tracker.update(match(2, 0)) == []


@pytest.mark.parametrize("seed", range(6))
def test_a_state_that_moves_nothing_read_is_the_whole_ways_result(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The diff's short way (only the clock or shots moved) gives what the whole way gives.

    Random walks of states, mostly the clock alone, with scores up and down, red
    cards, phases, unknown values and restores between; the same walk with the short
    way turned off gives the same events and the same saved records.
    """

    def walk(short_way: bool) -> tuple[list[str], object]:
        rng = random.Random(seed)  # noqa: S311
        if not short_way:
            monkeypatch.setattr(tracker_diff, "_unchanged", lambda record, m: False)
        tracker = Tracker()
        state = {"home": 0, "away": 0, "red": [0, 0], "status": Status.SCHEDULED, "text": None}
        fired: list[str] = []
        saved = tracker.snapshot()
        for step in range(400):
            roll = rng.random()
            if roll < 0.08:
                state[rng.choice(("home", "away"))] += 1
            elif roll < 0.11:
                side = rng.choice(("home", "away"))
                state[side] = max(0, state[side] - 1)
            elif roll < 0.13:
                state["red"][rng.randrange(2)] += 1
            elif roll < 0.18:
                state["status"], state["text"] = rng.choice(
                    [
                        (Status.LIVE, "1st Half"),
                        (Status.BREAK, "Halftime"),
                        (Status.LIVE, "2nd Half"),
                        (Status.UNKNOWN, None),
                        (Status.FINISHED, "Ended"),
                    ]
                )
            elif roll < 0.19:
                tracker = Tracker()  # a restart: the records as saved
                tracker.restore(json.loads(json.dumps(saved)))
            home = None if rng.random() < 0.03 else state["home"]
            red = tuple(None if rng.random() < 0.03 else r for r in state["red"])
            state_now = match(
                home,
                state["away"],
                status=state["status"],
                text=state["text"],
                red=red,  # type: ignore[arg-type]
                minute=step,
            )
            fired += keys(tracker.update(state_now))
            saved = tracker.snapshot()
        monkeypatch.undo()
        return fired, saved

    assert walk(short_way=True) == walk(short_way=False)
