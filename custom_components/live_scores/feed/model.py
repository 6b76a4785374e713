"""One model of a match and its events, whichever provider it came from.

Provider parsers build `Match` values; the tracker diffs them into `MatchEvent`s.
Everything here is immutable so that a value can be shared between the tracker
and any number of consumers without copying.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Provider(StrEnum):
    """The feeds we speak."""

    SPORTSAPIPRO = "sportsapipro"
    SOCCERFOOTBALL = "soccerfootball"


class Sport(StrEnum):
    """Sports, named by SportsAPIPro's slugs."""

    FOOTBALL = "football"
    BASKETBALL = "basketball"
    TENNIS = "tennis"
    HOCKEY = "hockey"
    HANDBALL = "handball"
    AMERICAN_FOOTBALL = "american-football"
    BASEBALL = "baseball"
    VOLLEYBALL = "volleyball"
    RUGBY = "rugby"


# Sports whose score is counted in goals: a rise is a `goal` event. In the
# others a rise is a `score_change` (tennis: `set_won` / `game_won`).
GOAL_SPORTS = frozenset({Sport.FOOTBALL, Sport.HOCKEY, Sport.HANDBALL})


class Status(StrEnum):
    """Where a match stands."""

    SCHEDULED = "scheduled"
    LIVE = "live"
    BREAK = "break"  # half-time, or a break between periods
    FINISHED = "finished"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    SUSPENDED = "suspended"
    ABANDONED = "abandoned"
    UNKNOWN = "unknown"


# Statuses after which nothing more will happen in a match.
FINAL_STATUSES = frozenset({Status.FINISHED, Status.POSTPONED, Status.CANCELLED, Status.ABANDONED})


class Side(StrEnum):
    """Home or away."""

    HOME = "home"
    AWAY = "away"


class GoalKind(StrEnum):
    """How a goal was scored, where the feed says."""

    OPEN_PLAY = "open_play"
    PENALTY = "penalty"
    OWN_GOAL = "own_goal"


class EventType(StrEnum):
    """Match moments."""

    KICKOFF = "kickoff"
    GOAL = "goal"
    GOAL_CANCELLED = "goal_cancelled"
    RED_CARD = "red_card"
    HALFTIME = "halftime"
    SECOND_HALF = "second_half"
    FULL_TIME = "full_time"
    SCORE_CHANGE = "score_change"  # points in sports without goals
    SET_WON = "set_won"  # tennis
    GAME_WON = "game_won"  # tennis


@dataclass(frozen=True, slots=True)
class Team:
    """One side of a match. `score` is None before play starts."""

    id: str
    name: str
    short_name: str | None = None
    abbreviation: str | None = None
    score: int | None = None
    colour: str | None = None
    logo: str | None = None
    red_cards: int | None = None
    # Where the feed says (SoccerFootball STATS `shotsOnTarget` / `totalShots`).
    shots_on_target: int | None = None
    total_shots: int | None = None
    # Whether this side won, where the feed says (365Scores `isWinner`, e.g. on penalties).
    winner: bool | None = None


@dataclass(frozen=True, slots=True)
class Scorer:
    """A scoring moment as listed by the feed (365Scores `events[]`)."""

    side: Side
    minute: int | None
    player: str | None
    kind: GoalKind | None
    order: int = 0
    # The side's score right after this goal, where the feed says (SoccerFootball).
    number: int | None = None


@dataclass(frozen=True, slots=True)
class PeriodScore:
    """A period's score (tennis sets and the current game; halves)."""

    name: str
    home: int | None
    away: int | None


@dataclass(frozen=True, slots=True)
class Match:
    """A match as last reported by its feed.

    `version` orders states of one match: SportsAPIPro's `updateId`, or a
    SoccerFootball.info `ts` in milliseconds. None when the feed gives none.
    Two states are equal when they show the same (`version`, `announced` and
    `settling` say how a state came, not what it shows).
    """

    provider: Provider
    id: str
    sport: Sport
    home: Team
    away: Team
    status: Status = Status.UNKNOWN
    status_text: str | None = None
    competition: str | None = None
    competition_id: str | None = None
    start: datetime | None = None
    clock: str | None = None
    minute: int | None = None
    period: str | None = None
    venue: str | None = None
    # The round or stage of the competition ("Round 3", "Final"), where the feed says.
    round: str | None = None
    periods: tuple[PeriodScore, ...] = ()
    scorers: tuple[Scorer, ...] = ()
    version: int | None = field(default=None, compare=False)
    # The goal this state reports as it happens (side, that side's score after it),
    # where the feed sends goals as events (SoccerFootball MAIN `goal`).
    announced: tuple[Side, int] | None = field(default=None, compare=False)
    # A phase report that settles the score (half-time, full time): goals first
    # seen in it were missed live.
    settling: bool = field(default=False, compare=False)

    def team(self, side: Side) -> Team:
        """The team playing on `side`."""
        return self.home if side is Side.HOME else self.away

    def side_of(self, team_id: str) -> Side | None:
        """Which side a team plays on here, if it plays."""
        if self.home.id == team_id:
            return Side.HOME
        if self.away.id == team_id:
            return Side.AWAY
        return None


@dataclass(frozen=True, slots=True)
class MatchEvent:
    """Something that happened in a match, emitted exactly once.

    `match` is the state right after the event. `key` identifies the event
    within its match (for goals: side and score after), so that the same
    moment reported twice, by two channels or after a reconnect, is one event.
    `recovered` marks an event that was not seen as it happened (learned from a
    score jump, a half-time or full-time score, or the first state after a gap).
    """

    type: EventType
    match: Match
    key: str
    side: Side | None = None
    minute: int | None = None
    scorer: str | None = None
    kind: GoalKind | None = None
    detail: dict[str, str | int | None] = field(default_factory=dict)
    # Learned late: found from a score jump after a gap or a restart, not seen live.
    recovered: bool = False

    @property
    def home_score(self) -> int | None:
        """Home score after the event."""
        return self.match.home.score

    @property
    def away_score(self) -> int | None:
        """Away score after the event."""
        return self.match.away.score

    @property
    def team(self) -> Team | None:
        """The team the event belongs to (the scoring side for a goal)."""
        return None if self.side is None else self.match.team(self.side)
