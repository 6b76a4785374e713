"""The tracker: baseline, goals, cancellations, phases, tennis, versions, save/restore."""

from __future__ import annotations

import json

import pytest

from custom_components.live_scores.feed.model import (
    EventType,
    GoalKind,
    PeriodScore,
    Scorer,
    Side,
    Sport,
    Status,
)
from custom_components.live_scores.feed.tracker import Tracker

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
    assert first.home_score == 2
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
    tracker.update(match(0, 0, version=10))
    assert keys(tracker.update(match(1, 0, version=12))) == ["goal:home:1"]
    assert tracker.update(match(0, 0, version=11)) == []
    assert tracker.dropped_stale == 1
    tracker.begin_resync()
    # After a reconnect versions restart: a lower one is accepted, and only
    # what truly changed is emitted.
    assert keys(tracker.update(match(2, 0, version=3))) == ["goal:home:2"]
    assert tracker.update(match(2, 0, version=None)) == []


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
