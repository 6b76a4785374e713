"""One SoccerFootball.info match's merged state, and the two-witness rules.

MAIN and STATS are separate sources with their own latency (the frames: see
`soccerfootball_parser.py`): the same goal is seen twice, in either order,
seconds apart. They are merged here, per side, by these rules:

- **A rise seen by either witness is a goal, at once.** The other witness then
  confirms it (and may add the minute or scorer); it never adds another goal.
- **A lower score is lag, not a cancellation, unless it persists**: a MAIN score
  (a goal's, half-time's, the second half's, full time's) sent at least
  `MAIN_GRACE_MS` after that side's last rise, or STATS updates still lower at
  least `STATS_CANCEL_MS` after it and for `STATS_PERSIST_MS` (a lone late
  snapshot never counts). Once STATS itself showed the side's score, a lower
  STATS score needs only to persist: STATS's own stream does not go back, so
  it is no lag behind MAIN. Only then does the score go down (the tracker fires
  one `goal_cancelled`). A STATS score back up to one that was cancelled must
  persist the same way before it counts (it may be a late snapshot of the
  cancelled goal); MAIN's word counts at once.
  MAIN frames older than one already applied change no score; a STATS frame
  whose match clock is behind the last one applied is a stale snapshot.
- **A MAIN `goal` without a score** is one more goal for its side, unless STATS
  showed a rise of that side not yet confirmed by MAIN (then it is that goal),
  or it is older than a MAIN score already applied (then it is counted in it).
- **`halftime`, `second_half_start` and `match_end` (`finalScore`) settle the
  score** after any gap; goals first seen there are marked as such
  (`Match.settling`), and the goal a MAIN `goal` announces is marked
  (`Match.announced`) so the tracker can tell live goals from recovered ones
  (not when its minute is `LATE_GOAL_MINUTES` behind the match clock: late). A
  STATS score changed in the first frame after `SILENCE_MS` without a frame of
  the match, or in a frame whose clock ran `CLOCK_JUMP_MINUTES` ahead of the
  time since the last one (that one was a stale snapshot, or frames were lost),
  is settling too.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .model import Match, Provider, Scorer, Side, Sport, Status, Team

# No frame of a live match for this long: a score changed in the next one is
# recovered (STATS carry the clock, so a live match is heard every minute).
SILENCE_MS = 90_000
# A MAIN score this long after a side's last rise may lower it (a cancellation).
MAIN_GRACE_MS = 30_000
# STATS lower this long after a side's last rise, and for `STATS_PERSIST_MS`
# (two updates at least that far apart, none agreeing between): a cancellation.
STATS_CANCEL_MS = 60_000
STATS_PERSIST_MS = 20_000
# A scoreless MAIN goal this close to an unconfirmed STATS rise is that goal.
CLAIM_WINDOW_MS = 180_000
# A `ts` this far ahead of the match's latest is not trusted to order frames.
MAX_TS_JUMP_MS = 86_400_000
SIDES = (Side.HOME, Side.AWAY)

# Phases only move forward: a late or repeated frame never moves a match back.
PRE_MATCH, FIRST_HALF, HALF_TIME, SECOND_HALF, ENDED = range(5)
PHASES: dict[int, tuple[Status, str | None]] = {
    PRE_MATCH: (Status.SCHEDULED, None),
    FIRST_HALF: (Status.LIVE, "1st Half"),
    HALF_TIME: (Status.BREAK, "Halftime"),
    SECOND_HALF: (Status.LIVE, "2nd Half"),
    ENDED: (Status.FINISHED, None),
}
PHASE_OF_STATUS = {v[0]: k for k, v in PHASES.items() if k != SECOND_HALF}
OFF_STATUSES = {
    "postpon": Status.POSTPONED,
    "cancel": Status.CANCELLED,
    "abandon": Status.ABANDONED,
    "suspend": Status.SUSPENDED,
    "interrupt": Status.SUSPENDED,
}


@dataclass(slots=True)
class MatchState:
    """Everything known of one match."""

    match_id: str
    league_id: str | None = None
    league: str | None = None
    home_id: str | None = None
    home: str | None = None
    away_id: str | None = None
    away: str | None = None
    start: datetime | None = None
    phase: int = PRE_MATCH
    off_status: Status | None = None  # postponed, suspended, ... overrides the phase
    # Per side (home, away): the merged score, the `ts` of its last rise (None:
    # not known yet, taken from the next frame), the highest score cancelled, a
    # STATS disagreement in progress, and the `ts` of STATS rises MAIN has not
    # confirmed yet.
    score: list[int | None] = field(default_factory=lambda: [None, None])
    rise_ts: list[int | None] = field(default_factory=lambda: [None, None])
    cancelled: list[int] = field(default_factory=lambda: [-1, -1])  # highest cancelled
    # A STATS disagreement in progress: (higher?, ts of its first frame).
    run: list[tuple[bool, int] | None] = field(default_factory=lambda: [None, None])
    # Whether STATS itself showed the side's current score: its own stream never
    # goes back, so a lower STATS score after that is no lag behind MAIN.
    stats_shown: list[bool] = field(default_factory=lambda: [False, False])
    unclaimed: list[list[int]] = field(default_factory=lambda: [[], []])
    # Scoreless MAIN goals heard after a silence, held until STATS shows them (the
    # score they add to may have changed unheard): their `ts`, per side.
    held: list[list[int]] = field(default_factory=lambda: [[], []])
    red: list[int | None] = field(default_factory=lambda: [None, None])
    # STATS `shotsOnTarget` and `totalShots`, (home, away) each.
    shots: list[tuple[int | None, int | None]] = field(
        default_factory=lambda: [(None, None), (None, None)]
    )
    minute: int | None = None
    clock: str | None = None
    latest_ts: int = -1  # the newest trusted `ts` of any frame of this match
    main_ts: int = -1
    main_score_ts: int = -1  # the newest MAIN frame whose score was applied
    stats_ts: int = -1
    stats_stale: int = 0
    stats_minute: int = -1  # the match clock of the newest STATS frame applied
    stats_minute_ts: int = -1  # the `ts` of that frame (unknown after a restart)
    # What the last STATS frame applied whole said, until any frame but one the short
    # ways take (see `soccerfootball_quiet.py`): the values read but the timer
    # (None: not kept), how to read them, the keys read it lacked, its timer, whether its clock was read, the time added,
    # the timer of the clock a minute on.
    stats_seen: tuple[Any, ...] | None = None
    stats_read: Callable[[dict[str, Any]], tuple[Any, ...]] | None = None
    stats_absent: tuple[str, ...] = ()
    stats_timer: Any = None
    stats_timed: bool = False
    stats_added: int | None = None
    stats_next: str | None = None
    scorers: list[Scorer] = field(default_factory=list)
    # States a frame went through before its last one (see `soccerfootball_main._regoal`).
    intermediate: list[Match] = field(default_factory=list)
    # What the last frame said of this state (see the module docstring).
    announced: tuple[Side, int] | None = None
    settling: bool = False
    teams_shown: tuple[tuple[Any, ...], Team, Team] | None = None  # (see `_teams`)
    # (targets, whether they follow the match) as a client last asked them, until
    # a frame may tell who plays (`ParsedMatches._state`).
    followed: tuple[object, bool] | None = None
    # Set when `match_start` was the first thing heard of the match: the client then
    # gives the tracker a pre-match baseline so that the kick-off is an event.
    fresh_start: bool = False

    def trusted_ts(self, raw: int | None) -> int:
        """`raw`, unless missing or implausibly far ahead: then the latest known."""
        latest = self.latest_ts
        if raw is None or (latest >= 0 and raw - latest > MAX_TS_JUMP_MS):
            return max(latest, 0)
        self.latest_ts = max(latest, raw)
        return raw

    def _since_rise(self, index: int, ts: int) -> int:
        rise = self.rise_ts[index]
        if rise is None:
            self.rise_ts[index] = rise = ts
        return ts - rise

    def rise(self, index: int, value: int, ts: int, *, stats: bool) -> None:
        """A side's score rose to `value`."""
        old = self.score[index]
        self.score[index] = value
        self.rise_ts[index] = ts
        self.run[index] = None
        self.stats_shown[index] = stats
        if stats and old is not None:
            held = self.held[index]
            taken = min(value - old, len(held))
            del held[:taken]  # the held MAIN goals STATS now shows: not unclaimed
            self.unclaimed[index].extend([ts] * min(value - old - taken, 20))
        elif not stats:
            self.unclaimed[index].clear()

    def lower(self, index: int, value: int, ts: int) -> None:
        """A side's score went down for good: those goals no longer count."""
        self.cancelled[index] = max(self.cancelled[index], self.score[index] or 0)
        self.score[index] = value
        self.rise_ts[index] = ts
        self.run[index] = None
        self.stats_shown[index] = False
        self.unclaimed[index].clear()
        side = SIDES[index]
        kept = [s for s in self.scorers if s.side is not side or (s.number or 0) <= value]
        listed = [s for s in kept if s.side is side]
        self.scorers = [s for s in kept if s not in listed[value:]]

    def main_score(self, home: int, away: int, ts: int, *, final: bool = False) -> None:
        """A score stated by MAIN: it raises at once, lowers only when it persists.

        The final score (`match_end`) lowers at once: nothing can come after it.
        """
        self.main_score_ts = max(self.main_score_ts, ts)
        self.held = [[], []]  # (a score stated by MAIN counts every goal before it)
        for index, value in enumerate((home, away)):
            current = self.score[index]
            if current is None or value > current:
                self.rise(index, value, ts, stats=False)
            elif value == current:
                self.unclaimed[index].clear()
                self.run[index] = None
            elif final or self._since_rise(index, ts) >= MAIN_GRACE_MS:
                self.lower(index, value, ts)

    def stats_score(self, home: int, away: int, ts: int) -> None:
        """A score stated by STATS: see the module docstring for when it counts."""
        for index, value in enumerate((home, away)):
            current = self.score[index]
            if current is None:
                self.rise(index, value, ts, stats=True)
                continue
            if value == current:
                self.run[index] = None
                self.stats_shown[index] = True
                continue
            # A disagreement counts once it persisted: (direction, since when).
            up = value > current
            run = self.run[index]
            if run is None or run[0] != up:
                self.run[index] = run = (up, ts)
            persisted = ts - run[1] >= STATS_PERSIST_MS
            if up:
                # Back to a score that was cancelled: perhaps a late snapshot of
                # the cancelled goal, so it must persist too.
                if value > self.cancelled[index] or persisted:
                    self.rise(index, value, ts, stats=True)
            elif persisted and (
                self.stats_shown[index] or self._since_rise(index, ts) >= STATS_CANCEL_MS
            ):
                self.lower(index, value, ts)
                self.stats_shown[index] = True

    def scoreless_goal(self, index: int, ts: int) -> None:
        """A MAIN goal without a score: one more, unless STATS already showed it."""
        waiting = self.unclaimed[index]
        while waiting and ts - waiting[0] > CLAIM_WINDOW_MS:
            waiting.pop(0)
        if waiting:
            waiting.pop(0)
            return
        self.rise(index, (self.score[index] or 0) + 1, ts, stats=False)

    def start_play(self) -> None:
        """Play started: a score that was unknown is 0-0."""
        for index in (0, 1):
            if self.score[index] is None:
                self.score[index] = 0

    def to_match(self) -> Match:
        """The `Match` this state shows."""
        status, period = PHASES[self.phase]
        if self.off_status is not None:
            status = self.off_status
        live = status in (Status.LIVE, Status.BREAK)
        home, away = self._teams()
        return Match(
            provider=Provider.SOCCERFOOTBALL,
            id=self.match_id,
            sport=Sport.FOOTBALL,
            home=home,
            away=away,
            status=status,
            status_text=period if status is not Status.FINISHED else "Ended",
            competition=self.league,
            competition_id=self.league_id,
            start=self.start,
            clock=self.clock if live else None,
            minute=self.minute if status is Status.LIVE else None,
            period=period if live else None,
            scorers=tuple(self.scorers),
            announced=self.announced,
            settling=self.settling,
        )

    def _teams(self) -> tuple[Team, Team]:
        """The two `Team`s this state shows (the last ones again while they show the same)."""
        who = (self.home_id, self.home, self.away_id, self.away)
        key = (*who, *self.score, *self.red, *self.shots)
        shown = self.teams_shown
        if shown is None or shown[0] != key:
            self.teams_shown = shown = (key, self._team(0), self._team(1))
        return shown[1], shown[2]

    def _team(self, index: int) -> Team:
        team_id, name = (self.home_id, self.home) if index == 0 else (self.away_id, self.away)
        return Team(
            id=team_id or f"{self.match_id}:{SIDES[index]}",
            name=name or ("Home", "Away")[index],
            score=self.score[index],
            red_cards=self.red[index],
            shots_on_target=self.shots[0][index],
            total_shots=self.shots[1][index],
        )


def set_clock(state: MatchState, minute: int, added: int | None) -> None:
    """Set the match clock: `minute`, and the time added if any."""
    state.minute = minute
    if added:
        state.clock = f"{minute}+{added}'"
    else:
        state.clock = _CLOCKS.get(minute) or f"{minute}'"


# The clock's text of each minute a match usually has, made once.
_CLOCKS = {minute: f"{minute}'" for minute in range(200)}


def set_start(state: MatchState, value: Any) -> None:
    """Set the kick-off time from an ISO text (UTC when it names no zone)."""
    if type(value) is not str or len(value) > 40:
        return
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return
    state.start = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
