"""SoccerFootball.info frames → one merged `Match` per match (two witnesses, one goal).

MAIN frames (`type` = event name, `matchId`) move the phase and report goals
with the score after them; STATS frames (`type:"event"`, `eventType`
`stats_update` or `batch_update`) carry the score, clock and cards as
`"home;away"` pairs. MAIN and STATS are separate sources with their own
latency: the same goal is seen twice, in either order, seconds apart. They are
merged here, per side, by these rules:

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
  showed a rise of that side not yet confirmed by MAIN (then it is that goal).
- **`halftime`, `second_half_start` and `match_end` (`finalScore`) settle the
  score** after any gap; goals first seen there are marked as such
  (`Match.settling`), and the goal a MAIN `goal` announces is marked
  (`Match.announced`) so the tracker can tell live goals from recovered ones
  (not when its minute is `LATE_GOAL_MINUTES` behind the match clock: late). A
  STATS score changed in the first frame after `SILENCE_MS` without a frame of
  the match is settling too.

Frames seen twice (two sockets during a token handover, a replay) are dropped
by `eventId` or by (type, match, ts). Every value is read defensively: junk,
huge or non-finite numbers and unhashable ids are skipped, never raised.
"""

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
import math
import re
from typing import Any

from .api import GameSummary
from .model import GoalKind, Match, Provider, Scorer, Side, Sport, Status, Team

MAIN_EVENTS = frozenset({"match_start", "goal", "halftime", "second_half_start", "match_end"})
SEEN_CAPACITY = 4096
# No frame of a live match for this long: a score changed in the next one is
# recovered (STATS carry the clock, so a live match is heard every minute).
SILENCE_MS = 90_000
# A MAIN goal this many minutes behind the match clock is not announced live.
LATE_GOAL_MINUTES = 2
# Matches not followed whose teams and league a restart keeps (see `identities`).
MAX_SAVED_IDENTITIES = 500
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
# This many consecutive older STATS updates: the service's clock went back.
STALE_RUN_REBASE = 5
# Bounds of values that are played sport (scores, cards, minutes).
MAX_NUMBER = 9999
MAX_TEXT = 200
_SIDES = (Side.HOME, Side.AWAY)

# Phases only move forward: a late or repeated frame never moves a match back.
_PRE, _FIRST, _HALF, _SECOND, _ENDED = range(5)
_PHASES: dict[int, tuple[Status, str | None]] = {
    _PRE: (Status.SCHEDULED, None),
    _FIRST: (Status.LIVE, "1st Half"),
    _HALF: (Status.BREAK, "Halftime"),
    _SECOND: (Status.LIVE, "2nd Half"),
    _ENDED: (Status.FINISHED, None),
}
_PHASE_OF_STATUS = {v[0]: k for k, v in _PHASES.items() if k != _SECOND}
_MAIN_PHASE = {"match_start": _FIRST, "halftime": _HALF, "second_half_start": _SECOND}
_SETTLING = frozenset({"halftime", "second_half_start", "match_end"})
_OFF_STATUSES = {
    "postpon": Status.POSTPONED,
    "cancel": Status.CANCELLED,
    "abandon": Status.ABANDONED,
    "suspend": Status.SUSPENDED,
    "interrupt": Status.SUSPENDED,
}
_PAIR_SPLIT = re.compile(r"[;:\-]")
_MINUTE = re.compile(r"^\s*(\d{1,3})(?:\s*\+\s*(\d{1,2}))?")


def pair(value: Any) -> tuple[int | None, int | None]:
    """Read a `"home;away"` pair (also lists and dicts); junk gives (None, None)."""
    if type(value) is str:
        if len(value) > 64:
            return None, None
        parts = _PAIR_SPLIT.split(value)
        if len(parts) >= 2:
            return _int(parts[0]), _int(parts[1])
        return None, None
    if isinstance(value, list | tuple) and len(value) >= 2:
        return _int(value[0]), _int(value[1])
    if isinstance(value, dict):
        for home, away in (("home", "away"), ("teamA", "teamB"), ("a", "b"), ("A", "B")):
            if home in value or away in value:
                return _int(value.get(home)), _int(value.get(away))
    return None, None


def _int(value: Any) -> int | None:
    """A count (score, card, minute): 0..MAX_NUMBER, else None."""
    kind = type(value)
    if kind is int:
        return value if 0 <= value <= MAX_NUMBER else None
    if kind is str:
        if len(value) > 16:
            return None
        try:
            value = float(value)
        except ValueError:
            return None
        kind = float
    if kind is float:
        return int(value) if 0 <= value <= MAX_NUMBER else None  # NaN compares False
    return None


def _minute(value: Any) -> tuple[int | None, int | None]:
    """A timer: `"67"`, `67`, `"45+2"` → (minute, added)."""
    if type(value) is str and len(value) <= 16:
        found = _MINUTE.match(value)
        if found is None:
            return None, None
        added = found.group(2)
        return int(found.group(1)), None if added is None else int(added)
    return _int(value), None


def _str(value: Any) -> str | None:
    """A name: text (bounded), or a number as text; anything else None."""
    if type(value) is str:
        return value[:MAX_TEXT] if value else None
    if (type(value) is int and -(10**18) < value < 10**18) or (
        type(value) is float and math.isfinite(value)
    ):
        return str(value)
    return None


def _ident(value: Any) -> str | None:
    """An id: a short string or an int; anything else None."""
    if type(value) is str:
        return value if 0 < len(value) <= 64 else None
    if type(value) is int:
        return str(value) if -(10**18) < value < 10**18 else None
    return None


def _ts(frame: dict[str, Any]) -> int | None:
    """The frame's `ts` in ms, or None when missing or unreadable."""
    value = frame.get("ts")
    if type(value) is int:
        return value if 0 <= value < 10**15 else None
    if type(value) is float and math.isfinite(value) and 0 <= value < 1e15:
        return int(value)
    return None


@dataclass(slots=True)
class _State:
    """Everything known of one match."""

    match_id: str
    league_id: str | None = None
    league: str | None = None
    home_id: str | None = None
    home: str | None = None
    away_id: str | None = None
    away: str | None = None
    start: datetime | None = None
    phase: int = _PRE
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
    red: list[int | None] = field(default_factory=lambda: [None, None])
    # STATS `shotsOnTarget` and `totalShots`, (home, away) each.
    shots: list[tuple[int | None, int | None]] = field(
        default_factory=lambda: [(None, None), (None, None)]
    )
    minute: int | None = None
    clock: str | None = None
    latest_ts: int = -1  # the newest trusted `ts` of any frame of this match
    main_ts: int = -1
    stats_ts: int = -1
    stats_stale: int = 0
    stats_minute: int = -1  # the match clock of the newest STATS frame applied
    scorers: list[Scorer] = field(default_factory=list)
    # States a frame went through before its last one (see `_regoal`).
    intermediate: list[Match] = field(default_factory=list)
    # What the last frame said of this state (see the module docstring).
    announced: tuple[Side, int] | None = None
    settling: bool = False
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
            self.unclaimed[index].extend([ts] * min(value - old, 20))
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
        side = _SIDES[index]
        kept = [s for s in self.scorers if s.side is not side or (s.number or 0) <= value]
        listed = [s for s in kept if s.side is side]
        self.scorers = [s for s in kept if s not in listed[value:]]

    def main_score(self, home: int, away: int, ts: int) -> None:
        """A score stated by MAIN: it raises at once, lowers only when it persists."""
        for index, value in enumerate((home, away)):
            current = self.score[index]
            if current is None or value > current:
                self.rise(index, value, ts, stats=False)
            elif value == current:
                self.unclaimed[index].clear()
                self.run[index] = None
            elif self._since_rise(index, ts) >= MAIN_GRACE_MS:
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
        status, period = _PHASES[self.phase]
        if self.off_status is not None:
            status = self.off_status
        live = status in (Status.LIVE, Status.BREAK)
        return Match(
            provider=Provider.SOCCERFOOTBALL,
            id=self.match_id,
            sport=Sport.FOOTBALL,
            home=Team(
                id=self.home_id or f"{self.match_id}:home",
                name=self.home or "Home",
                score=self.score[0],
                red_cards=self.red[0],
                shots_on_target=self.shots[0][0],
                total_shots=self.shots[1][0],
            ),
            away=Team(
                id=self.away_id or f"{self.match_id}:away",
                name=self.away or "Away",
                score=self.score[1],
                red_cards=self.red[1],
                shots_on_target=self.shots[0][1],
                total_shots=self.shots[1][1],
            ),
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

    def identity(self) -> dict[str, Any]:
        """What a restart needs to know of the match (no score: the tracker has it)."""
        return {
            "league_id": self.league_id,
            "league": self.league,
            "home_id": self.home_id,
            "home": self.home,
            "away_id": self.away_id,
            "away": self.away,
            "start": None if self.start is None else self.start.isoformat(),
            "stats_minute": self.stats_minute,
        }


class SoccerFootballParser:
    """Merges MAIN and STATS frames into `Match` states."""

    def __init__(self) -> None:
        self.states: dict[str, _State] = {}
        self._seen: OrderedDict[Any, None] = OrderedDict()
        # League ids the caller knows (its followed competitions, its league scopes).
        self.leagues: set[str] = set()
        self.duplicates = 0
        self.unknown = 0
        self.malformed = 0
        self.unattributed = 0
        self.stale = 0

    def _duplicate(self, key: Any) -> bool:
        if key in self._seen:
            self.duplicates += 1
            return True
        self._seen[key] = None
        if len(self._seen) > SEEN_CAPACITY:
            self._seen.popitem(last=False)
        return False

    def feed(self, frame: dict[str, Any]) -> list[str]:
        """Apply a data frame; return the ids of the matches it changed."""
        kind = frame.get("type")
        if type(kind) is not str:
            self.malformed += 1
            return []
        if kind == "event":
            event = frame.get("eventType")
            event_id = _ident(frame.get("eventId"))
            if event_id is not None and self._duplicate(("id", event_id)):
                return []
            if event == "stats_update":
                data = frame.get("data")
                if not isinstance(data, dict):
                    self.malformed += 1
                    return []
                match_id = self._stats_match_id(frame, data)
                if match_id is None:
                    return []
                return self._stats(match_id, frame.get("leagueId"), data, _ts(frame))
            if event == "batch_update":
                return self._batch(frame)
            self.unknown += 1
            return []
        if kind in MAIN_EVENTS:
            match_id = _ident(frame.get("matchId"))
            if match_id is None:
                self.malformed += 1
                return []
            raw_ts = _ts(frame)
            event_id = _ident(frame.get("eventId"))
            if self._duplicate(event_id or (kind, match_id, raw_ts)):
                return []
            data = frame.get("data")
            return self._main(kind, match_id, frame, data if isinstance(data, dict) else {}, raw_ts)
        if kind == "stats_update_realtime":
            match_id = _ident(frame.get("matchId"))
            data = frame.get("data")
            changed = data.get("changedStats") if isinstance(data, dict) else None
            if match_id is None or not isinstance(changed, list):
                self.malformed += 1
                return []
            stats = {
                c["stat"]: c.get("value")
                for c in changed
                if isinstance(c, dict) and type(c.get("stat")) is str
            }
            return self._stats(match_id, frame.get("leagueId"), stats, _ts(frame))
        self.unknown += 1
        return []

    def _stats_match_id(self, frame: dict[str, Any], data: dict[str, Any]) -> str | None:
        """The match a `stats_update` is about; None (counted) when it names none."""
        for source in (frame, data):
            for key in ("matchId", "match_id"):
                if source.get(key) is not None:
                    found = _ident(source[key])
                    if found is None:
                        self.malformed += 1
                    return found
        ident = _ident(frame.get("id"))
        if ident is None:
            self.malformed += 1
            return None
        scope = frame.get("scope")
        league = _ident(frame.get("leagueId"))
        if scope == "league" or ident == league:
            # A league scope names the league: the match is unknown, unless the id
            # is a match we know and no league we know.
            if ident in self.states and ident not in self._known_leagues():
                return ident
            self.unattributed += 1
            return None
        return ident

    def _known_leagues(self) -> set[str]:
        known = set(self.leagues)
        known.update(s.league_id for s in self.states.values() if s.league_id)
        return known

    def _state(self, match_id: str, league_id: Any) -> _State:
        state = self.states.get(match_id)
        if state is None:
            state = _State(match_id)
            self.states[match_id] = state
        league = _ident(league_id)
        if league is not None and state.league_id is None:
            state.league_id = league
        state.announced = None
        state.settling = False
        return state

    def _main(
        self,
        kind: str,
        match_id: str,
        frame: dict[str, Any],
        data: dict[str, Any],
        raw_ts: int | None,
    ) -> list[str]:
        state = self._state(match_id, frame.get("leagueId"))
        ts = state.trusted_ts(raw_ts)
        stale = ts < state.main_ts
        state.main_ts = max(state.main_ts, ts)
        _teams(state, data)
        if (
            kind == "match_start"
            and state.phase <= _FIRST
            and state.score
            in (
                [None, None],
                [0, 0],
            )
        ):
            # (STATS may have shown the first minutes before MAIN's `match_start`.)
            state.fresh_start = True
        if kind in _MAIN_PHASE:
            if _MAIN_PHASE[kind] > state.phase:
                state.stats_minute = -1
            state.phase = max(state.phase, _MAIN_PHASE[kind])
            state.off_status = None
            state.start_play()
        elif kind == "match_end":
            state.phase = _ENDED
            state.off_status = None
        state.settling = kind in _SETTLING
        minute, added = _minute(data.get("timer", data.get("minute")))
        if kind == "goal":
            if state.phase == _PRE:
                state.phase = _FIRST
                state.start_play()
            self._goal(state, data, ts, minute, stale=stale)
        else:
            raw = data.get("finalScore") if kind == "match_end" else None
            home, away = pair(raw if raw is not None else data.get("score"))
            if home is not None and away is not None and not stale:
                state.main_score(home, away, ts)
            if minute is not None and not stale:
                _set_clock(state, minute, added)
        return [match_id]

    def _goal(
        self, state: _State, data: dict[str, Any], ts: int, minute: int | None, *, stale: bool
    ) -> None:
        side = _side(state, data)
        home, away = pair(data.get("score"))
        if home is not None and away is not None:
            if not stale:
                if side is not None:
                    _regoal(state, side, home if side is Side.HOME else away, ts)
                state.main_score(home, away, ts)
        elif side is not None:
            state.scoreless_goal(_SIDES.index(side), ts)
        else:
            self.malformed += 1
            return
        if side is None:
            return
        number = state.score[_SIDES.index(side)]
        if home is not None and away is not None:
            number = home if side is Side.HOME else away
        if number is None or number == 0:
            return
        # A goal whose minute is well behind the match clock comes late (held back
        # during a gap): it is news only as a recovered goal, not as a live one.
        clock = state.minute
        if minute is None or clock is None or clock - minute < LATE_GOAL_MINUTES:
            state.announced = (side, number)
        if minute is not None and not stale and (state.minute is None or minute >= state.minute):
            _set_clock(state, minute, None)
        if any(s.side is side and s.number == number for s in state.scorers):
            return
        state.scorers.append(
            Scorer(
                side=side,
                minute=minute,
                player=_str(data.get("player") or data.get("scorer")),
                kind=_kind(data.get("kind")),
                order=ts,
                number=number,
            )
        )

    def _stats(
        self, match_id: str, league_id: Any, data: dict[str, Any], raw_ts: int | None
    ) -> list[str]:
        state = self._state(match_id, league_id)
        heard = state.latest_ts
        ts = state.trusted_ts(raw_ts)
        if ts < state.stats_ts:
            state.stats_stale += 1
            if state.stats_stale < STALE_RUN_REBASE:
                self.stale += 1
                return []  # older than stats already applied
        minute, _ = _minute(data.get("timer"))
        phase, off = state.phase, state.off_status
        first = state.stats_ts < 0 and state.main_ts < 0
        _stats_status(state, data.get("status"), minute)
        if state.phase != phase:
            state.stats_minute = -1  # (a clock that restarts each half is no regress)
        elif minute is not None and minute < state.stats_minute and state.off_status == off:
            # Newer by its stamp but behind by its clock: a stale snapshot re-sent.
            # Nothing in it is news (the phase and cards only ever move forward).
            self.stale += 1
            return []
        state.stats_stale = 0
        state.stats_ts = ts
        behind = minute is not None and minute < state.stats_minute
        if minute is not None and not behind:
            state.stats_minute = minute
            _set_clock(state, minute, _int(data.get("extraTimer")))
        home, away = pair(data.get("score"))
        if behind:
            self.stale += 1  # (a new status with an old clock: its score is old too)
        elif home is not None and away is not None:
            before = list(state.score)
            state.stats_score(home, away, ts)
            # The first word on a live match after a silence (its STATS change every
            # minute): what changed happened while we could not hear it.
            if heard >= 0 and ts - heard > SILENCE_MS and state.score != before:
                state.settling = True
        if first and state.phase == _FIRST and (minute or 0) <= 1 and (home, away) == (0, 0):
            # Heard of first in its first minute (STATS ahead of MAIN's
            # `match_start`): the kick-off is news, as with `match_start`.
            state.fresh_start = True
        if "redCards" in data:
            home, away = pair(data.get("redCards"))
            if home is not None and away is not None:
                state.red = [max(home, state.red[0] or 0), max(away, state.red[1] or 0)]
        if not behind:
            for index, key in enumerate(("shotsOnTarget", "totalShots")):
                if key in data and None not in (shots := pair(data.get(key))):
                    state.shots[index] = shots
        return [match_id]

    def _batch(self, frame: dict[str, Any]) -> list[str]:
        data = frame.get("data")
        items: list[tuple[str | None, Any]] = []
        if isinstance(data, list):
            items = [(_item_id(d), d) for d in data if isinstance(d, dict)]
        elif isinstance(data, dict):
            inner = data.get("matches")
            if isinstance(inner, list):
                items = [(_item_id(d), d) for d in inner if isinstance(d, dict)]
            else:
                source = inner if isinstance(inner, dict) else data
                items = [(_ident(k), v) for k, v in source.items()]
        changed: list[str] = []
        ts = _ts(frame)
        for match_id, item in items:
            if match_id is None or not isinstance(item, dict):
                self.malformed += 1
                continue
            inner_data = item.get("data")
            stats: dict[str, Any] = inner_data if isinstance(inner_data, dict) else item
            item_ts = _ts(item) if "ts" in item else ts
            changed += self._stats(match_id, item.get("leagueId"), stats, item_ts)
        return changed

    def take_intermediate(self, match_id: str) -> list[Match]:
        """States the last frame went through before `match()` (usually none)."""
        state = self.states.get(match_id)
        if state is None or not state.intermediate:
            return []
        taken, state.intermediate = state.intermediate, []
        return taken

    def match(self, match_id: str) -> Match | None:
        """The merged state of a match."""
        state = self.states.get(match_id)
        return None if state is None else state.to_match()

    def take_pre_match(self, match_id: str) -> Match | None:
        """A pre-match state, once, for a match first heard of by its `match_start`."""
        state = self.states.get(match_id)
        if state is None or not state.fresh_start:
            return None
        state.fresh_start = False
        match = state.to_match()
        return replace(
            match,
            status=Status.SCHEDULED,
            status_text=None,
            period=None,
            clock=None,
            minute=None,
            home=replace(match.home, score=None),
            away=replace(match.away, score=None),
            announced=None,
            settling=False,
        )

    def ids(self, match_id: str) -> tuple[str | None, str | None, str | None]:
        """(home team id, away team id, league id) of a match, where known."""
        state = self.states.get(match_id)
        if state is None:
            return None, None, None
        return state.home_id, state.away_id, state.league_id

    def names(self, match_id: str) -> tuple[str | None, str | None]:
        """(home team name, away team name) of a match, where known."""
        state = self.states.get(match_id)
        if state is None:
            return None, None
        return state.home, state.away

    def summaries(self) -> list[GameSummary]:
        """A `GameSummary` of every match seen."""
        return [GameSummary.of(state.to_match()) for state in self.states.values()]

    def forget_finished(self, keep: int) -> None:
        """Bound memory: drop the oldest finished matches beyond `keep` states."""
        excess = len(self.states) - keep
        if excess <= 0:
            return
        for match_id in [m for m, s in self.states.items() if s.phase == _ENDED][:excess]:
            del self.states[match_id]

    def identities(self, tracked: set[str]) -> dict[str, dict[str, Any]]:
        """What `seed` needs after a restart.

        The tracked matches, and who plays in the newest `MAX_SAVED_IDENTITIES`
        others not ended: teams and leagues are named only by `match_start`, so a
        target added after a restart could not place a match not saved.
        """
        saved = {m: s.identity() for m, s in self.states.items() if m in tracked}
        others = [
            s
            for m, s in self.states.items()
            if m not in tracked and s.phase != _ENDED and (s.home_id or s.league_id)
        ]
        others.sort(key=lambda s: s.latest_ts, reverse=True)
        saved.update((s.match_id, s.identity()) for s in others[:MAX_SAVED_IDENTITIES])
        return saved

    def heard(self, match_id: str) -> bool:
        """Whether a frame of the match was read since it was created or seeded."""
        state = self.states.get(match_id)
        return state is not None and (state.main_ts >= 0 or state.stats_ts >= 0)

    def seed(
        self,
        match_id: str,
        identity: Any,
        score: tuple[int | None, int | None] | None,
        status: Status | None,
    ) -> None:
        """Recreate a match after a restart from what was saved (never raises).

        Its score is the tracker's; the time of its last rise is unknown, so a
        lower score is taken as lag for a while after the next frame. A match
        the tracker did not follow is seeded with its identity only: it is then
        like a match not heard of yet whose teams are known.
        """
        if match_id in self.states:
            return
        state = _State(match_id)
        if isinstance(identity, dict):
            for key in ("league_id", "home_id", "away_id"):
                setattr(state, key, _ident(identity.get(key)))
            for key in ("league", "home", "away"):
                setattr(state, key, _str(identity.get(key)))
            _set_start(state, identity.get("start"))
            minute = _int(identity.get("stats_minute"))
            state.stats_minute = -1 if minute is None else minute
        if score is not None:
            state.score = [None if v is None else _int(v) for v in score]
        if status is not None:
            if status in _OFF_STATUSES.values():
                state.off_status = status
            state.phase = _PHASE_OF_STATUS.get(status, _FIRST if status is Status.LIVE else _PRE)
        self.states[match_id] = state


def _regoal(state: _State, side: Side, number: int, ts: int) -> None:
    """MAIN announces goal `number` of `side` again: the first was ruled out.

    Another frame, later, for the same goal number means the earlier goal was
    taken back while we could not see it (VAR during a gap).

    The state with that goal gone is kept aside (`take_intermediate`) so the
    tracker sees the cancellation before the new goal.
    """
    index = _SIDES.index(side)
    if state.score[index] != number or number == 0:
        return
    if not any(s.side is side and s.number == number and s.order < ts for s in state.scorers):
        return
    state.lower(index, number - 1, ts)
    state.intermediate.append(state.to_match())


def _item_id(item: dict[str, Any]) -> str | None:
    for key in ("matchId", "match_id", "id"):
        if item.get(key) is not None:
            return _ident(item[key])
    return None


def _set_clock(state: _State, minute: int, added: int | None) -> None:
    state.minute = minute
    state.clock = f"{minute}+{added}'" if added else f"{minute}'"


def _set_start(state: _State, value: Any) -> None:
    if type(value) is not str or len(value) > 40:
        return
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return
    state.start = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _teams(state: _State, data: dict[str, Any]) -> None:
    for key, attr in (("teamA", "home"), ("teamB", "away")):
        team = data.get(key)
        if isinstance(team, dict):
            if (team_id := _ident(team.get("id"))) is not None:
                setattr(state, f"{attr}_id", team_id)
            if type(team.get("name")) is str:
                setattr(state, attr, team["name"][:MAX_TEXT])
    league = data.get("championship")
    if isinstance(league, dict):
        if (league_id := _ident(league.get("id"))) is not None:
            state.league_id = league_id
        if type(league.get("name")) is str:
            state.league = league["name"][:MAX_TEXT]
    _set_start(state, data.get("startDate"))


def _side(state: _State, data: dict[str, Any]) -> Side | None:
    for key in ("team", "side", "scoringTeam", "teamId"):
        value = data.get(key)
        if isinstance(value, dict):
            value = value.get("id", value.get("side"))
        text = _ident(value)
        if text is None:
            continue
        if text in ("A", "a", "teamA", "home", "HOME", "1") or text == state.home_id:
            return Side.HOME
        if text in ("B", "b", "teamB", "away", "AWAY", "2") or text == state.away_id:
            return Side.AWAY
    return None


def _kind(value: Any) -> GoalKind | None:
    if type(value) is not str or len(value) > 40:
        return None
    text = value.lower().replace(" ", "_").replace("-", "_")
    if "own" in text:
        return GoalKind.OWN_GOAL
    if "penalty" in text or text in ("pen", "p"):
        return GoalKind.PENALTY
    return GoalKind.OPEN_PLAY


def _stats_status(state: _State, raw: Any, minute: int | None) -> None:
    """Apply a STATS `status`: it may move the phase forward, never back."""
    if type(raw) is not str or len(raw) > 40:
        return
    words = raw.lower()
    for needle, status in _OFF_STATUSES.items():
        if needle in words:
            state.off_status = status
            return
    if any(w in words for w in ("finish", "ended", "full", "ft", "after")):
        phase = _ENDED
    elif "half_time" in words or "halftime" in words or words in ("ht", "break"):
        phase = _HALF
    elif any(w in words for w in ("play", "live", "half", "extra", "penal")):
        phase = _SECOND if minute is not None and minute > 45 else _FIRST
        if "second" in words or "2" in words or "extra" in words or "penal" in words:
            phase = _SECOND
    else:
        return  # not started, or unknown
    state.off_status = None
    if phase > state.phase:
        if state.phase == _PRE:
            state.start_play()
        state.phase = phase
