"""The SoccerFootball parser on the documented frames: two witnesses, one goal.

Frames follow PROTOCOLS.md section 2 (MAIN `goal` = {score after, timer, team
"A"|"B"}, `halftime`/`second_half_start` = {score}, `match_end` = {finalScore,
score1h}, STATS `stats_update` with `scope` + `id` and no `matchId`), and the
legacy shapes the code still reads. Every case goes through the tracker, so it
checks what a user would get: goals and cancellations, each once.
"""

from typing import Any

from custom_components.live_scores.feed import soccerfootball_values as values
from custom_components.live_scores.feed.model import EventType, GoalKind, Side, Status
from custom_components.live_scores.feed.soccerfootball_parser import (
    MAIN_GRACE_MS,
    STATS_PERSIST_MS,
    SoccerFootballParser,
)
from custom_components.live_scores.feed.tracker import Tracker

MID = "b01d28ac92221034"
LEAGUE = "f2b16fa54cb525d"
T0 = 1_705_312_800_000  # ms
START = {
    "teamA": {"id": "1001", "name": "Manchester United"},
    "teamB": {"id": "1002", "name": "Liverpool"},
    "championship": {"id": LEAGUE, "name": "Premier League"},
    "startDate": "2024-01-15T15:00:00Z",
}


def main(event: str, ts: int, **data: Any) -> dict[str, Any]:
    return {
        "type": event,
        "channel": "MAIN",
        "matchId": MID,
        "leagueId": LEAGUE,
        "ts": ts,
        "data": data,
    }


def goal(ts: int, score: str | None, team: str, timer: str = "30", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"timer": timer, "team": team, **extra}
    if score is not None:
        data["score"] = score
    return main("goal", ts, **data)


def stats(ts: int, score: str, *, scope: str = "match", ident: str = MID, **extra: Any) -> dict:
    return {
        "type": "event",
        "channel": "STATS",
        "scope": scope,
        "id": ident,
        "eventType": "stats_update",
        "eventId": f"e{ts}-{score}",
        "ts": ts,
        "data": {"timer": "35", "status": "IN_PLAY", "score": score, "redCards": "0;0", **extra},
    }


class Feed:
    """A parser and a tracker, as the client wires them."""

    def __init__(self) -> None:
        self.parser = SoccerFootballParser()
        self.tracker = Tracker()
        self.events: list[tuple[EventType, str, bool]] = []

    def __call__(self, frame: dict[str, Any]) -> list[tuple[EventType, str, bool]]:
        out: list[tuple[EventType, str, bool]] = []
        for match_id in self.parser.feed(frame):
            if match_id not in self.tracker and (pre := self.parser.take_pre_match(match_id)):
                self.tracker.update(pre)
            for step in self.parser.take_intermediate(match_id):
                out += [(e.type, e.key, e.recovered) for e in self.tracker.update(step)]
            match = self.parser.match(match_id)
            assert match is not None
            out += [(e.type, e.key, e.recovered) for e in self.tracker.update(match)]
        self.events += out
        return out

    def score(self) -> tuple[int | None, int | None]:
        match = self.parser.match(MID)
        assert match is not None
        return match.home.score, match.away.score

    def goals(self) -> list[str]:
        return [k for t, k, _ in self.events if t is EventType.GOAL]

    def cancelled(self) -> list[str]:
        return [k for t, k, _ in self.events if t is EventType.GOAL_CANCELLED]


def kicked_off() -> Feed:
    feed = Feed()
    assert feed(main("match_start", T0, **START)) == [(EventType.KICKOFF, "kickoff", False)]
    return feed


def test_documented_goal_then_its_stats_is_one_goal() -> None:
    feed = kicked_off()
    assert feed(goal(T0 + 60_000, "1;0", "A", timer="12", player="Rashford")) == [
        (EventType.GOAL, "goal:home:1", False)
    ]
    assert feed(stats(T0 + 62_000, "1;0")) == []
    match = feed.parser.match(MID)
    assert match is not None
    (scorer,) = match.scorers
    assert (scorer.side, scorer.minute, scorer.player, scorer.number) == (
        Side.HOME,
        12,
        "Rashford",
        1,
    )


def test_main_goal_then_lagging_stats_is_lag_not_a_cancellation() -> None:
    # The reported trace: 7-3 then 8-3 by MAIN, then STATS still says 7-3.
    feed = kicked_off()
    feed(stats(T0 + 1000, "7;3"))
    feed(goal(T0 + 2000, "8;3", "A"))
    assert feed(stats(T0 + 3000, "7;3")) == []
    assert feed(stats(T0 + 9000, "7;3")) == []
    assert feed(stats(T0 + 12_000, "8;3")) == []
    assert sorted(feed.goals()) == sorted(
        [f"goal:home:{n}" for n in range(1, 9)] + [f"goal:away:{n}" for n in range(1, 4)]
    )
    assert feed.cancelled() == []
    assert feed.score() == (8, 3)


def test_stats_before_main_is_one_goal_with_or_without_a_score() -> None:
    for score in ("1;2", None):
        feed = kicked_off()
        feed(stats(T0 + 1000, "1;1"))
        assert feed(stats(T0 + 2000, "1;2")) == [(EventType.GOAL, "goal:away:2", False)]
        assert feed(goal(T0 + 5000, score, "B", timer="40", player="Salah")) == []
        assert feed.score() == (1, 2)
        assert feed.cancelled() == []
        match = feed.parser.match(MID)
        assert match is not None
        assert [(s.side, s.minute, s.number) for s in match.scorers] == [(Side.AWAY, 40, 2)]


def test_scoreless_main_goal_without_stats_counts_one() -> None:
    feed = kicked_off()
    assert feed(goal(T0 + 1000, None, "B")) == [(EventType.GOAL, "goal:away:1", False)]
    # Its STATS arrives later: the same goal.
    assert feed(stats(T0 + 3000, "0;1")) == []
    assert feed(goal(T0 + 90_000, None, "A")) == [(EventType.GOAL, "goal:home:1", False)]
    assert feed.score() == (1, 1)


def test_var_cancellation_by_persisting_stats_fires_once() -> None:
    feed = kicked_off()
    feed(goal(T0 + 1000, "1;0", "A"))
    # VAR 90 s later: STATS lower, then lower again 20 s after.
    assert feed(stats(T0 + 91_000, "0;0")) == []
    assert feed(stats(T0 + 91_000 + STATS_PERSIST_MS, "0;0")) == [
        (EventType.GOAL_CANCELLED, "goal_cancelled:home:1", False)
    ]
    assert feed(stats(T0 + 200_000, "0;0")) == []
    # A late snapshot of the cancelled goal is not a new goal...
    assert feed(stats(T0 + 201_000, "1;0")) == []
    assert feed(stats(T0 + 202_000, "0;0")) == []
    # ...but a real new goal is (MAIN says so at once).
    assert feed(goal(T0 + 300_000, "1;0", "A")) == [(EventType.GOAL, "goal:home:1", False)]
    assert feed.cancelled() == ["goal_cancelled:home:1"]
    assert feed.goals() == ["goal:home:1", "goal:home:1"]


def test_a_new_goal_after_a_cancellation_seen_by_stats_only() -> None:
    feed = kicked_off()
    feed(stats(T0 + 1000, "1;0"))
    feed(stats(T0 + 100_000, "0;0"))
    feed(stats(T0 + 130_000, "0;0"))
    assert feed.cancelled() == ["goal_cancelled:home:1"]
    # Back to the cancelled score, STATS must persist before it counts.
    assert feed(stats(T0 + 140_000, "1;0")) == []
    assert feed(stats(T0 + 140_000 + STATS_PERSIST_MS, "1;0")) == [
        (EventType.GOAL, "goal:home:1", False)
    ]


def test_lone_or_repeated_late_snapshots_never_cancel() -> None:
    feed = kicked_off()
    feed(goal(T0 + 1000, "1;0", "A"))
    feed(stats(T0 + 2000, "1;0"))
    # Lagging snapshots long after the goal, back to back, then the real state.
    for offset in (0, 5, 10):
        assert feed(stats(T0 + 300_000 + offset, "0;0")) == []
    assert feed(stats(T0 + 300_100, "1;0")) == []
    assert feed(stats(T0 + 300_000 + STATS_PERSIST_MS + 1, "0;0")) == []
    assert feed.cancelled() == []
    assert feed.score() == (1, 0)


def test_cancellation_by_the_next_main_score() -> None:
    feed = kicked_off()
    feed(goal(T0 + 1000, "1;0", "A"))
    # Within the grace a lower MAIN score is lag...
    assert feed(goal(T0 + 1000 + MAIN_GRACE_MS - 1, "0;1", "B")) == [
        (EventType.GOAL, "goal:away:1", False)
    ]
    assert feed.score() == (1, 1)
    # ...after it, it is the truth (VAR took the home goal back).
    # (learned from a half-time score: marked recovered)
    assert feed(main("halftime", T0 + 2_700_000, score="0;1")) == [
        (EventType.GOAL_CANCELLED, "goal_cancelled:home:1", True),
        (EventType.HALFTIME, "halftime", False),
    ]


def test_settling_scores_recover_missed_goals() -> None:
    feed = kicked_off()
    feed(goal(T0 + 1000, "1;0", "A"))
    # A gap: two goals missed; half-time says 2-1.
    events = feed(main("halftime", T0 + 2_700_000, score="2;1"))
    assert [(k, r) for t, k, r in events if t is EventType.GOAL] == [
        ("goal:home:2", True),
        ("goal:away:1", True),
    ]
    assert (EventType.HALFTIME, "halftime", False) in events
    feed(main("second_half_start", T0 + 3_600_000, score="2;1"))
    assert feed.score() == (2, 1)
    # A goal missed near the end: only full time's finalScore tells.
    events = feed(main("match_end", T0 + 6_600_000, finalScore="3;1", score1h="2;1"))
    assert [(t, k, r) for t, k, r in events] == [
        (EventType.GOAL, "goal:home:3", True),
        (EventType.FULL_TIME, "full_time", False),
    ]
    match = feed.parser.match(MID)
    assert match is not None
    assert match.status is Status.FINISHED


def test_a_jump_in_a_main_goal_marks_the_missed_ones() -> None:
    feed = kicked_off()
    feed(goal(T0 + 1000, "1;0", "A"))
    events = feed(goal(T0 + 900_000, "3;0", "A"))
    assert events == [
        (EventType.GOAL, "goal:home:2", True),
        (EventType.GOAL, "goal:home:3", False),
    ]


def test_stale_main_frames_change_no_score_and_duplicates_are_dropped() -> None:
    feed = kicked_off()
    feed(goal(T0 + 5000, "1;0", "A"))
    assert feed(goal(T0 + 5000, "1;0", "A")) == []  # the same frame (second socket)
    assert feed.parser.duplicates == 1
    # An older MAIN frame (another goal's, reordered) says nothing new.
    assert feed(goal(T0 + 4000, "0;0", "A", timer="1")) == []
    assert feed.score() == (1, 0)


def test_league_scope_stats_without_a_match_id_is_counted_not_filed() -> None:
    feed = kicked_off()
    frame = stats(T0 + 1000, "5;5", scope="league", ident=LEAGUE)
    assert feed(frame) == []
    assert feed.parser.unattributed == 1
    assert LEAGUE not in feed.parser.states
    # The variants: the match id in `data`, or `id` naming a known match.
    with_data = stats(T0 + 2000, "1;0", scope="league", ident=LEAGUE, matchId=MID)
    assert feed(with_data) == [(EventType.GOAL, "goal:home:1", False)]
    as_match = stats(T0 + 3000, "2;0", scope="league", ident=MID)
    assert feed(as_match) == [(EventType.GOAL, "goal:home:2", False)]
    # A league the caller follows is never a match, even before MAIN named it.
    parser = SoccerFootballParser()
    parser.leagues = {"L9"}
    assert parser.feed(stats(T0, "0;0", scope="league", ident="L9")) == []


def test_poisoned_and_missing_timestamps_do_not_freeze_a_match() -> None:
    feed = kicked_off()
    feed(stats(T0 + 1000, "0;0"))
    feed(stats(T0 + 10**12, "0;0"))  # far ahead: applied, not trusted for order
    assert feed(stats(T0 + 2000, "1;0")) == [(EventType.GOAL, "goal:home:1", False)]
    no_ts = stats(0, "2;0")
    del no_ts["ts"]
    assert feed(no_ts) == [(EventType.GOAL, "goal:home:2", False)]


def test_stats_clock_going_back_is_taken_after_a_run() -> None:
    feed = kicked_off()
    feed(stats(T0 + 100_000, "0;0"))
    for n in range(4):
        assert feed(stats(T0 + 1000 + n, "0;0")) == []
    assert feed.parser.stale == 4
    assert feed(stats(T0 + 1010, "1;0")) == [(EventType.GOAL, "goal:home:1", False)]


def test_legacy_shapes_still_read() -> None:
    feed = Feed()
    feed(main("match_start", T0, **START))
    legacy = main(
        "goal",
        T0 + 1000,
        team={"id": "1002", "name": "Liverpool"},
        side="teamB",
        minute=12,
        player="Salah",
        kind="penalty",
        score="0;1",
    )
    assert feed(legacy) == [(EventType.GOAL, "goal:away:1", False)]
    match = feed.parser.match(MID)
    assert match is not None
    assert [(s.player, s.kind, s.minute) for s in match.scorers] == [
        ("Salah", GoalKind.PENALTY, 12)
    ]
    assert feed(main("halftime", T0 + 2_700_000, score="0;1", minute=45)) == [
        (EventType.HALFTIME, "halftime", False)
    ]
    feed(main("match_end", T0 + 6_000_000, score="0;1", minute=90))
    assert feed.score() == (0, 1)


def test_stats_only_match_and_odd_frames() -> None:
    parser = SoccerFootballParser()
    frame = stats(100, "2;1", status="HALF_TIME", extraTimer="2", timer="45")
    assert parser.feed(frame) == [MID]
    match = parser.match(MID)
    assert match is not None
    assert (match.status, match.home.name, match.clock) == (Status.BREAK, "Home", "45+2'")
    for n, (status, expected) in enumerate(
        (("POSTPONED", Status.POSTPONED), ("SECOND_HALF", Status.LIVE), ("ENDED", Status.FINISHED))
    ):
        parser.feed(stats(200 + n, "2;1", status=status))
        assert parser.match(MID).status is expected  # type: ignore[union-attr]
    parser.feed(stats(10_000, "2;1", status="NOT_STARTED"))
    parser.feed(stats(10_001, "2;1", status=None))
    assert parser.feed({"type": "event", "eventType": "odds_update", "data": {}}) == []
    assert parser.feed({"type": "mystery"}) == []
    assert parser.unknown == 2
    assert parser.feed({"type": "goal"}) == []
    assert parser.feed({"type": "event", "eventType": "stats_update", "data": {}}) == []
    assert parser.feed({"type": "stats_update_realtime", "matchId": "9"}) == []
    assert parser.feed({"type": ["x"]}) == []
    assert parser.feed({"type": "event", "eventType": "stats_update", "eventId": [1]}) == []
    assert parser.feed({"type": "goal", "matchId": "q", "data": {"timer": "3"}}) == ["q"]
    assert parser.malformed == 6
    realtime = {
        "type": "stats_update_realtime",
        "matchId": "9",
        "ts": 5,
        "data": {"changedStats": [{"stat": "score", "value": "1;0"}, "junk"]},
    }
    assert parser.feed(realtime) == ["9"]
    batch = {
        "type": "event",
        "channel": "STATS",
        "scope": "all",
        "id": None,
        "eventType": "batch_update",
        "ts": 20_000,
        "data": {"matches": [{"id": MID, "score": "3;1", "status": "ENDED"}, {"score": "1;1"}]},
    }
    assert parser.feed(batch) == [MID]
    assert parser.match(MID).home.score == 3  # type: ignore[union-attr]
    keyed = {
        "type": "event",
        "eventType": "batch_update",
        "ts": 30_000,
        "data": {"777": {"data": {"score": "0;0"}, "ts": 29_000}},
    }
    assert parser.feed(keyed) == ["777"]
    listed = {"type": "event", "eventType": "batch_update", "data": [{"matchId": "778"}]}
    assert parser.feed(listed) == ["778"]
    parser.feed(main("match_end", 40_000))
    parser.forget_finished(1)
    assert MID not in parser.states
    parser.forget_finished(100)


def test_hostile_values_are_skipped() -> None:
    feed = kicked_off()
    for score in ("inf;0", "nan;1", "1e308;0", "-1;0", "99999;0", "x" * 100, [1e400, 2], {}):
        feed(stats(T0 + 1000, score))  # type: ignore[arg-type]
    feed(goal(T0 + 2000, "1;0", ["A"]))  # type: ignore[arg-type]
    feed(main("goal", T0 + 3000, team={"id": [1]}, timer=float("inf")))
    assert feed.goals() == ["goal:home:1"]
    assert feed.score() == (1, 0)
    match = feed.parser.match(MID)
    assert match is not None
    assert match.scorers == ()  # the team could not be read: no scorer


def test_restart_seeding_keeps_identity_and_takes_lag_as_lag() -> None:
    feed = kicked_off()
    feed(goal(T0 + 1000, "1;0", "A"))
    saved_identity = feed.parser.identities({MID})
    restarted = Feed()
    restarted.tracker.restore(feed.tracker.snapshot())
    restarted.parser.seed(
        MID, saved_identity[MID], restarted.tracker.score(MID), restarted.tracker.status(MID)
    )
    assert restarted.parser.ids(MID) == ("1001", "1002", LEAGUE)
    assert restarted.parser.names(MID) == ("Manchester United", "Liverpool")
    # A lagging STATS right after the restart is lag; the next goal is one goal.
    assert restarted(stats(T0 + 2000, "0;0")) == []
    assert restarted(stats(T0 + 30_000, "0;0")) == []
    assert restarted(goal(T0 + 40_000, "2;0", "A")) == [(EventType.GOAL, "goal:home:2", False)]
    # Junk saved data seeds nothing harmful.
    restarted.parser.seed("x", "junk", None, None)
    restarted.parser.seed("y", {"start": 5, "home": ["a"]}, (1, None), Status.POSTPONED)
    assert restarted.parser.match("y").status is Status.POSTPONED  # type: ignore[union-attr]
    restarted.parser.seed(MID, {}, None, None)  # known: untouched
    assert restarted.parser.ids(MID)[0] == "1001"


def test_var_unseen_in_a_gap_then_the_same_score_again() -> None:
    feed = kicked_off()
    feed(goal(T0 + 1000, "1;1", "A"))
    # (gap: VAR rules it out, STATS shows 0-1 once, then home scores again)
    feed(stats(T0 + 100_000, "0;1"))
    assert feed(goal(T0 + 110_000, "1;1", "A")) == [
        (EventType.GOAL_CANCELLED, "goal_cancelled:home:1", False),
        (EventType.GOAL, "goal:home:1", False),
    ]
    assert feed.score() == (1, 1)
    # The very same frame again (second socket) is a duplicate, not a third goal.
    assert feed(goal(T0 + 110_000, "1;1", "A")) == []


def test_stats_lower_after_stats_showed_the_goal_is_a_cancellation() -> None:
    """A goal STATS itself showed, then lower in STATS for a while: VAR, not lag.

    STATS's own stream does not go back, so the allowance for STATS lagging a
    MAIN goal does not apply (a goal learned from STATS after a gap and ruled
    out 40 s later was lost before, with the goal that followed it).
    """
    feed = kicked_off()
    feed(stats(T0 + 1000, "1;1"))
    assert feed(stats(T0 + 2000, "2;1")) == [(EventType.GOAL, "goal:home:2", False)]
    assert feed(stats(T0 + 3000, "1;1")) == []  # one lower update: not yet
    assert feed(stats(T0 + 3000 + STATS_PERSIST_MS, "1;1")) == [
        (EventType.GOAL_CANCELLED, "goal_cancelled:home:2", False)
    ]
    # A new goal back to the cancelled score must persist (it may be a stale snapshot).
    assert feed(stats(T0 + 60_000, "2;1")) == []
    assert feed(stats(T0 + 60_000 + STATS_PERSIST_MS, "2;1")) == [
        (EventType.GOAL, "goal:home:2", False)
    ]
    assert feed.score() == (2, 1)


def test_stats_lagging_a_main_goal_is_lag_until_stats_shows_it() -> None:
    """MAIN says 2-1 and STATS still 1-1 for 40 s: lag, the goal stands."""
    feed = kicked_off()
    feed(stats(T0 + 1000, "1;1"))
    assert feed(goal(T0 + 2000, "2;1", "A")) == [(EventType.GOAL, "goal:home:2", False)]
    for dt in (5000, 25_000, 45_000):
        assert feed(stats(T0 + dt, "1;1")) == []
    assert feed.score() == (2, 1)


def test_a_stale_stats_snapshot_is_known_by_its_clock() -> None:
    """Snapshots from before the last score change, freshly stamped, twice in a quiet
    spell: their clock is behind, so they are no cancellation however long apart."""
    feed = kicked_off()
    feed(stats(T0 + 1000, "1;1", timer="30"))
    assert feed(stats(T0 + 2000, "2;1", timer="31")) == [(EventType.GOAL, "goal:home:2", False)]
    assert feed(stats(T0 + 30_000, "1;1", timer="30")) == []
    assert feed(stats(T0 + 30_000 + STATS_PERSIST_MS + 5000, "1;1", timer="30")) == []
    assert feed.score() == (2, 1)
    # A clock that restarts in the second half is no regress.
    feed(main("second_half_start", T0 + 3_000_000, score="2;1"))
    assert feed(stats(T0 + 3_001_000, "2;2", timer="1")) == [(EventType.GOAL, "goal:away:2", False)]


def test_a_main_goal_well_behind_the_clock_is_not_announced_live() -> None:
    """A goal frame held back in a gap arrives minutes after the goal: its minute,
    behind the match clock, says it is late; the tracker then judges it."""
    feed = kicked_off()
    feed(stats(T0 + 1000, "0;0", timer="44"))
    feed(goal(T0 + 2000, "1;0", "A", timer="41"))
    match = feed.parser.match(MID)
    assert match is not None
    assert match.announced is None
    feed(goal(T0 + 3000, "1;1", "B", timer="44"))
    match = feed.parser.match(MID)
    assert match is not None
    assert match.announced == (Side.AWAY, 1)


def test_a_stats_goal_after_a_long_silence_is_recovered() -> None:
    """Nothing heard of a live match for minutes (a subscription that could not name
    it), then STATS shows a goal: it happened while we could not hear, recovered."""
    feed = kicked_off()
    feed(stats(T0 + 1000, "0;0", timer="10"))
    assert feed(stats(T0 + 60_000, "1;0", timer="11")) == [(EventType.GOAL, "goal:home:1", False)]
    assert feed(stats(T0 + 600_000, "2;0", timer="20")) == [(EventType.GOAL, "goal:home:2", True)]


def test_shots_from_stats() -> None:
    feed = kicked_off()
    feed(stats(T0 + 1000, "0;0", shotsOnTarget="4;2", totalShots="9;5"))
    feed(stats(T0 + 2000, "0;0", shotsOnTarget="x;2"))  # junk keeps the last good pair
    match = feed.parser.match(MID)
    assert match is not None
    assert (match.home.shots_on_target, match.home.total_shots) == (4, 9)
    assert (match.away.shots_on_target, match.away.total_shots) == (2, 5)


def test_the_stats_clock_survives_a_restart() -> None:
    """After a restart a stale snapshot is still known by its clock (it would else
    pass for the first state after the gap, and the next change for a live one)."""
    feed = kicked_off()
    feed(stats(T0 + 1000, "0;2", timer="30"))
    saved = feed.parser.identities({MID})[MID]
    restarted = SoccerFootballParser()
    restarted.seed(MID, saved, (0, 2), Status.LIVE)
    assert restarted.feed(stats(T0 + 90_000, "0;1", timer="27")) == []
    assert restarted.stale == 1
    assert restarted.feed(stats(T0 + 95_000, "0;3", timer="31")) == [MID]


def test_a_goal_behind_a_jump_of_the_stats_clock_is_recovered() -> None:
    """A snapshot whose clock runs minutes ahead of the time since the last one: the
    last was stale (re-sent with a fresh stamp), so the goal it shows is not live."""
    feed = kicked_off()
    feed(stats(T0 + 1000, "0;2", timer="32"))  # a stale snapshot, freshly stamped
    assert feed(stats(T0 + 21_000, "0;3", timer="35")) == [(EventType.GOAL, "goal:away:3", True)]
    # The clock moving as time does: a goal is live.
    assert feed(stats(T0 + 81_000, "0;4", timer="36")) == [(EventType.GOAL, "goal:away:4", False)]


def test_a_reordered_scoreless_goal_older_than_the_final_score_counts_once() -> None:
    """`match_end` with `finalScore` 2-1 comes first, the scoreless MAIN goal it
    already counts (2 ms older) second: one goal, not a 2-2."""
    feed = kicked_off()
    feed(stats(T0 + 1000, "2;0", timer="90"))
    assert feed(main("match_end", T0 + 5002, finalScore="2;1", score1h="0;0")) == [
        (EventType.GOAL, "goal:away:1", True),
        (EventType.FULL_TIME, "full_time", False),
    ]
    assert feed(goal(T0 + 5000, None, "B", timer="90")) == []
    assert feed.score() == (2, 1)
    # A scoreless goal newer than every MAIN score still counts.
    feed2 = kicked_off()
    feed2(goal(T0 + 1000, "1;0", "A"))
    assert feed2(goal(T0 + 2000, None, "B")) == [(EventType.GOAL, "goal:away:1", False)]


def test_a_stats_snapshot_whose_status_is_behind_the_match_is_stale() -> None:
    """In play after full time, half-time in the second half, not started once play
    began: stale snapshots, however often re-sent, never lower the score."""
    feed = kicked_off()
    feed(goal(T0 + 1000, "1;0", "A", timer="20"))
    feed(stats(T0 + 2000, "1;0", timer="20"))
    feed(main("second_half_start", T0 + 3_000_000, score="1;0"))
    for n in range(3):
        assert feed(stats(T0 + 3_001_000 + n * STATS_PERSIST_MS, "0;0", status="HALF_TIME")) == []
    assert feed(stats(T0 + 3_100_000, "0;0", status="NOT_STARTED")) == []
    feed(main("match_end", T0 + 6_000_000, finalScore="1;0"))
    for n in range(3):
        frame = stats(T0 + 6_001_000 + n * STATS_PERSIST_MS, "0;0", timer="90")
        assert feed(frame) == []
    assert feed.score() == (1, 0)
    assert feed.cancelled() == []
    assert feed.parser.stale >= 7


def test_stats_having_shown_the_score_survives_a_restart() -> None:
    """STATS showed 2-2 before a restart; after it STATS says 1-2 and keeps saying
    it: STATS's own stream went down, a cancellation after `STATS_PERSIST_MS`, not
    after the long wait a lag behind MAIN needs."""
    feed = kicked_off()
    feed(goal(T0 + 1000, "2;2", "A"))
    feed(stats(T0 + 2000, "2;2"))
    saved = feed.parser.identities({MID})[MID]
    restarted = Feed()
    restarted.tracker.restore(feed.tracker.snapshot())
    restarted.parser.seed(MID, saved, (2, 2), Status.LIVE)
    assert restarted(stats(T0 + 100_000, "1;2")) == []
    assert restarted(stats(T0 + 100_000 + STATS_PERSIST_MS, "1;2")) == [
        (EventType.GOAL_CANCELLED, "goal_cancelled:home:2", False)
    ]
    # A score the saved STATS did not show is not taken as shown.
    other = SoccerFootballParser()
    other.seed(MID, saved, (3, 2), Status.LIVE)
    assert other.states[MID].stats_shown == [False, True]


def test_a_scoreless_goal_after_a_silence_waits_for_stats() -> None:
    """Older shape (no score in `goal`): after a silence the score a goal adds to may
    have changed unheard (a VAR decision), so the goal waits for STATS to show it."""
    feed = kicked_off()
    feed(goal(T0 + 1000, None, "A"))
    feed(stats(T0 + 2000, "1;0", timer="20"))
    # (unheard: VAR rules 1-0 out, home scores again: 1-0)
    assert feed(goal(T0 + 200_000, None, "A", timer="23")) == []  # not 2-0
    assert feed(stats(T0 + 201_000, "1;0", timer="23")) == []
    assert feed(stats(T0 + 300_000, "1;0", timer="24")) == []
    assert feed.score() == (1, 0)
    assert feed.goals() == ["goal:home:1"]
    # A goal held after a silence that STATS then shows fires once, and is no
    # unclaimed STATS rise for the next scoreless goal to swallow.
    assert feed(goal(T0 + 500_000, None, "A", timer="28")) == []
    assert feed(stats(T0 + 505_000, "2;0", timer="28")) == [(EventType.GOAL, "goal:home:2", False)]
    assert feed(goal(T0 + 520_000, None, "A", timer="28")) == [
        (EventType.GOAL, "goal:home:3", False)
    ]


def test_a_scoreless_goal_on_a_main_only_match_counts_at_once() -> None:
    """Without STATS (a MAIN-only plan) there is nothing to wait for."""
    feed = kicked_off()
    feed(goal(T0 + 1000, None, "A"))
    assert feed(goal(T0 + 900_000, None, "B")) == [(EventType.GOAL, "goal:away:1", False)]


def test_the_final_score_settles_a_goal_ruled_out_unseen_after_a_restart() -> None:
    """0-1 before a restart; VAR rules it out unseen; the next frames are the home
    side's goal (2-0) and `match_end` 2-0 moments later: the final score lowers at
    once (no grace: nothing comes after it), one cancellation."""
    feed = kicked_off()
    feed(goal(T0 + 1000, "0;1", "B"))
    restarted = Feed()
    restarted.tracker.restore(feed.tracker.snapshot())
    saved = feed.parser.identities({MID})[MID]
    del saved["rise_ts"]  # (saved before the rise's time was: unknown)
    restarted.parser.seed(MID, saved, (0, 1), Status.LIVE)
    restarted(goal(T0 + 800_000, "2;0", "A", timer="90"))
    assert restarted(main("match_end", T0 + 800_002, finalScore="2;0")) == [
        (EventType.GOAL_CANCELLED, "goal_cancelled:away:1", True),
        (EventType.FULL_TIME, "full_time", False),
    ]
    assert restarted.score() == (2, 0)


def test_the_time_of_the_last_rise_survives_restarts() -> None:
    """MAIN-only (no STATS names the match): 0-1, then restarts, each followed by a
    MAIN score of 0-0 long after the goal. The grace a lower MAIN score needs is
    counted from the goal, not from each restart: it lowers at the first one."""
    feed = kicked_off()
    feed(goal(T0 + 1000, "0;1", "B"))
    saved = feed.parser.identities({MID})[MID]
    restarted = Feed()
    restarted.tracker.restore(feed.tracker.snapshot())
    restarted.parser.seed(MID, saved, (0, 1), Status.LIVE)
    assert restarted(main("halftime", T0 + 600_000, score="0;0")) == [
        (EventType.GOAL_CANCELLED, "goal_cancelled:away:1", True),
        (EventType.HALFTIME, "halftime", False),
    ]
    # A saved rise of another score is not taken.
    other = SoccerFootballParser()
    other.seed(MID, saved, (0, 2), Status.LIVE)
    assert other.states[MID].rise_ts == [None, None]


def test_the_text_caches_stay_bounded() -> None:
    """Pairs and timers are read once per text; junk cannot grow the caches."""
    for n in range(values._TEXT_CACHE_SIZE + 10):
        assert values.pair(f"{n};1") == (n if n <= values.MAX_NUMBER else None, 1)
        values.read_minute(f"{n % 120}+{n % 10}x{n}")
    assert len(values._PAIRS) <= values._TEXT_CACHE_SIZE
    assert len(values._MINUTES) <= values._TEXT_CACHE_SIZE
    assert values.read_text(2.5) == "2.5"
    assert values.read_text(float("nan")) is None


def test_an_unclaimed_stats_rise_expires_and_a_bad_match_id_is_counted() -> None:
    """A STATS rise no MAIN goal claimed within `CLAIM_WINDOW_MS` is forgotten: a
    scoreless MAIN goal long after it is a new goal; a frame naming a junk match id
    is counted as malformed."""
    feed = kicked_off()
    feed(stats(T0 + 1000, "0;0", timer="10"))
    feed(stats(T0 + 20_000, "1;0", timer="10"))
    feed(stats(T0 + 150_000, "1;0", timer="12"))
    assert feed(goal(T0 + 20_000 + 181_000, None, "A", timer="13")) == [
        (EventType.GOAL, "goal:home:2", False)
    ]
    junk = stats(T0 + 300_000, "0;0")
    junk["matchId"] = ["x"]
    assert feed.parser.feed(junk) == []
    assert feed.parser.malformed == 1


def test_a_snapshot_whose_clock_alone_moved_updates_the_clock() -> None:
    """The usual STATS stream: the same snapshot with the clock a minute on. The clock
    is taken (the fast path), and a clock past 45 still moves the match into the
    second half (the full path)."""
    feed = kicked_off()
    feed(stats(T0 + 1000, "0;0", timer="44"))
    assert feed.parser.feed(stats(T0 + 61_000, "0;0", timer="45")) == [MID]
    match = feed.parser.match(MID)
    assert match is not None
    assert (match.minute, match.clock, match.period) == (45, "45'", "1st Half")
    assert feed.parser.feed(stats(T0 + 121_000, "0;0", timer="46")) == [MID]
    match = feed.parser.match(MID)
    assert match is not None
    assert (match.minute, match.period) == (46, "2nd Half")
    # A goal with the clock on goes the full way.
    assert feed(stats(T0 + 181_000, "1;0", timer="47")) == [
        (EventType.HALFTIME, "halftime", False),
        (EventType.SECOND_HALF, "second_half", False),
        (EventType.GOAL, "goal:home:1", False),
    ]
