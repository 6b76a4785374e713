"""Ground truth: what really happened, for tests to compare with what clients saw."""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class TruthEvent:
    """One moment of a match.

    `type` is one of: kickoff, goal, goal_cancelled, red_card, yellow_card, halftime,
    second_half, period_end, period_start, extra_time, penalties, shootout_kick,
    full_time, postponed, cancelled, abandoned, suspended, resumed, score_change,
    game_won, set_won.
    """

    type: str
    match: str  # scenario key (with "#n" after the n-th loop restart)
    sport: str
    sap_id: int
    sf_id: str | None  # None unless football
    at: float  # simulator clock, match seconds
    minute: int | None = None
    added: int = 0
    side: str | None = None  # "home" | "away"
    home_score: int | None = None
    away_score: int | None = None
    scorer: str | None = None
    kind: str | None = None  # goals: open_play | penalty | own_goal
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class TruthGoal:
    """A goal (football, hockey). `cancelled` turns True if VAR later rules it out.

    `at` / `cancelled_at` are simulator clock times (match seconds). For SoccerFootball
    `main_sent_at` / `stats_sent_at` are when the service sent the MAIN `goal` and the
    first STATS snapshot showing it (None until sent; they differ with `sf_stats_lag`).
    """

    match: str
    sport: str
    sap_id: int
    sf_id: str | None
    side: str
    home_score: int  # score right after the goal
    away_score: int
    minute: int | None
    added: int
    kind: str
    scorer: str | None
    at: float
    cancelled: bool = False
    cancelled_at: float | None = None
    main_sent_at: float | None = None
    stats_sent_at: float | None = None


@dataclass(slots=True)
class TruthFault:
    """A fault action or latency change, as the simulator injected it (`at`: sim clock)."""

    name: str
    at: float
    provider: str | None = None  # "sportsapipro" | "soccerfootball" | None (both)
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Truth:
    events: list[TruthEvent] = field(default_factory=list)
    goals: list[TruthGoal] = field(default_factory=list)
    faults: list[TruthFault] = field(default_factory=list)

    def record(self, event: TruthEvent) -> None:
        self.events.append(event)
        if event.type == "goal":
            assert event.side is not None
            assert event.home_score is not None
            assert event.away_score is not None
            self.goals.append(
                TruthGoal(
                    match=event.match,
                    sport=event.sport,
                    sap_id=event.sap_id,
                    sf_id=event.sf_id,
                    side=event.side,
                    home_score=event.home_score,
                    away_score=event.away_score,
                    minute=event.minute,
                    added=event.added,
                    kind=event.kind or "open_play",
                    scorer=event.scorer,
                    at=event.at,
                )
            )
        elif event.type == "goal_cancelled":
            goal = self.goals_of(event.match)[int(event.detail["goal_number"])]
            goal.cancelled = True
            goal.cancelled_at = event.at

    def goal_for(self, event: TruthEvent) -> TruthGoal | None:
        """The TruthGoal a `goal` event created."""
        for g in reversed(self.goals):
            if (g.match, g.at, g.home_score, g.away_score) == (
                event.match,
                event.at,
                event.home_score,
                event.away_score,
            ):
                return g
        return None

    def of(self, type_: str, match: str | None = None) -> list[TruthEvent]:
        return [e for e in self.events if e.type == type_ and match in (None, e.match)]

    def goals_of(self, match: str, *, include_cancelled: bool = True) -> list[TruthGoal]:
        return [
            g for g in self.goals if g.match == match and (include_cancelled or not g.cancelled)
        ]

    def clear(self) -> None:
        self.events.clear()
        self.goals.clear()
        self.faults.clear()

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": [asdict(e) for e in self.events],
            "goals": [asdict(g) for g in self.goals],
            "faults": [asdict(f) for f in self.faults],
        }
