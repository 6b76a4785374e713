"""SoccerFootball.info frames → one merged `Match` per match.

MAIN frames (`type` = event name, `matchId`) move the phase and report goals;
STATS frames (`type:"event"`, `eventType:"stats_update"` or `batch_update`)
carry the score, clock and cards as `"home;away"` pairs. Both are merged here
into one state per match. A stale STATS update never lowers a score, a MAIN
goal without a score counts as +1 on its side, and frames seen twice (two
sockets during a token handover, a replay) are dropped by `eventId` or by
(type, match, ts).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
import re
from typing import Any

from .api import GameSummary
from .model import GoalKind, Match, Provider, Scorer, Side, Sport, Status, Team

MAIN_EVENTS = frozenset({"match_start", "goal", "halftime", "second_half_start", "match_end"})
SEEN_CAPACITY = 4096

# Phases only move forward: a late or repeated frame never moves a match back.
_PRE, _FIRST, _HALF, _SECOND, _ENDED = range(5)
_PHASES: dict[int, tuple[Status, str | None]] = {
    _PRE: (Status.SCHEDULED, None),
    _FIRST: (Status.LIVE, "1st Half"),
    _HALF: (Status.BREAK, "Halftime"),
    _SECOND: (Status.LIVE, "2nd Half"),
    _ENDED: (Status.FINISHED, None),
}
_MAIN_PHASE = {"match_start": _FIRST, "halftime": _HALF, "second_half_start": _SECOND}
_OFF_STATUSES = {
    "postpon": Status.POSTPONED,
    "cancel": Status.CANCELLED,
    "abandon": Status.ABANDONED,
    "suspend": Status.SUSPENDED,
    "interrupt": Status.SUSPENDED,
}
_PAIR_SPLIT = re.compile(r"[;:\-]")


def pair(value: Any) -> tuple[int | None, int | None]:
    """Read a `"home;away"` pair (also lists and dicts); junk gives (None, None)."""
    if isinstance(value, str):
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
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = int(float(value))
    except TypeError, ValueError:
        return None
    return number if number >= 0 else None


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


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
    home_score: int | None = None
    away_score: int | None = None
    home_red: int | None = None
    away_red: int | None = None
    minute: int | None = None
    clock: str | None = None
    score_ts: int = -1
    stats_ts: int = -1
    version: int = 0
    scorers: list[Scorer] = field(default_factory=list)
    # Set when `match_start` was the first thing heard of the match: the client then
    # gives the tracker a pre-match baseline so that the kick-off is an event.
    fresh_start: bool = False

    def set_score(self, home: int, away: int, ts: int) -> None:
        """A new score; goals that no longer count lose their scorer."""
        if (home, away) != (self.home_score, self.away_score):
            self.score_ts = max(self.score_ts, ts)
        for side, new in ((Side.HOME, home), (Side.AWAY, away)):
            listed = [s for s in self.scorers if s.side is side]
            for scorer in listed[new:]:
                self.scorers.remove(scorer)
        self.home_score, self.away_score = home, away

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
                score=self.home_score,
                red_cards=self.home_red,
            ),
            away=Team(
                id=self.away_id or f"{self.match_id}:away",
                name=self.away or "Away",
                score=self.away_score,
                red_cards=self.away_red,
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
            version=self.version,
        )


class SoccerFootballParser:
    """Merges MAIN and STATS frames into `Match` states."""

    def __init__(self) -> None:
        self.states: dict[str, _State] = {}
        self._seen: OrderedDict[Any, None] = OrderedDict()
        self.duplicates = 0
        self.unknown = 0
        self.malformed = 0

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
        if kind == "event":
            event = frame.get("eventType")
            event_id = frame.get("eventId")
            if event_id is not None and self._duplicate(("id", event_id)):
                return []
            if event == "stats_update":
                match_id = _match_id(frame)
                data = frame.get("data")
                if match_id is None or not isinstance(data, dict):
                    self.malformed += 1
                    return []
                return self._stats(match_id, frame.get("leagueId"), data, _ts(frame))
            if event == "batch_update":
                return self._batch(frame)
            self.unknown += 1
            return []
        if kind in MAIN_EVENTS:
            match_id = _str(frame.get("matchId"))
            if match_id is None:
                self.malformed += 1
                return []
            ts = _ts(frame)
            key = frame.get("eventId") or (kind, match_id, ts)
            if self._duplicate(key):
                return []
            data = frame.get("data")
            return self._main(
                str(kind), match_id, frame, data if isinstance(data, dict) else {}, ts
            )
        if kind == "stats_update_realtime":
            match_id = _str(frame.get("matchId"))
            data = frame.get("data")
            changed = data.get("changedStats") if isinstance(data, dict) else None
            if match_id is None or not isinstance(changed, list):
                self.malformed += 1
                return []
            stats = {
                c["stat"]: c.get("value")
                for c in changed
                if isinstance(c, dict) and isinstance(c.get("stat"), str)
            }
            return self._stats(match_id, frame.get("leagueId"), stats, _ts(frame))
        self.unknown += 1
        return []

    def _state(self, match_id: str, league_id: Any) -> _State:
        state = self.states.get(match_id)
        if state is None:
            state = _State(match_id)
            self.states[match_id] = state
        if league_id is not None and state.league_id is None:
            state.league_id = str(league_id)
        return state

    def _main(
        self, kind: str, match_id: str, frame: dict[str, Any], data: dict[str, Any], ts: int
    ) -> list[str]:
        state = self._state(match_id, frame.get("leagueId"))
        state.version = max(state.version, ts)
        _teams(state, data)
        if kind == "match_start" and state.phase == _PRE and state.stats_ts < 0:
            state.fresh_start = True
        if kind in _MAIN_PHASE:
            state.phase = max(state.phase, _MAIN_PHASE[kind])
            state.off_status = None
            if kind == "match_start" and state.home_score is None:
                state.home_score = state.away_score = 0
        elif kind == "match_end":
            state.phase = _ENDED
            state.off_status = None
        if kind == "goal":
            if state.phase == _PRE:
                state.phase = _FIRST
            self._goal(state, data, ts)
        elif ts >= state.score_ts:
            home, away = pair(data.get("score"))
            if home is not None and away is not None:
                state.set_score(home, away, ts)
        minute = _int(data.get("minute") or data.get("timer"))
        if minute is not None:
            state.minute = minute
            state.clock = f"{minute}'"
        return [match_id]

    def _goal(self, state: _State, data: dict[str, Any], ts: int) -> None:
        if ts < state.score_ts:
            return  # a late frame: the score it reports is already known
        side = _side(state, data)
        home, away = pair(data.get("score"))
        if home is None or away is None:
            if side is None:
                return
            # No score: count it as one more goal for its side (a STATS update with
            # the same score later is then the same goal, not another one).
            home, away = state.home_score or 0, state.away_score or 0
            if side is Side.HOME:
                home += 1
            else:
                away += 1
        state.set_score(home, away, ts)
        if side is not None:
            listed = sum(1 for s in state.scorers if s.side is side)
            scored = home if side is Side.HOME else away
            if listed < scored:
                state.scorers.append(
                    Scorer(
                        side=side,
                        minute=_int(data.get("minute")),
                        player=_str(data.get("player") or data.get("scorer")),
                        kind=_kind(data.get("kind")),
                        order=ts,
                    )
                )

    def _stats(self, match_id: str, league_id: Any, data: dict[str, Any], ts: int) -> list[str]:
        state = self._state(match_id, league_id)
        if ts < state.stats_ts:
            return []  # older than stats already applied
        state.stats_ts = ts
        state.version = max(state.version, ts)
        minute = _int(data.get("timer"))
        if minute is not None:
            extra = _int(data.get("extraTimer"))
            state.minute = minute
            state.clock = f"{minute}+{extra}'" if extra else f"{minute}'"
        _stats_status(state, data.get("status"), minute)
        if ts >= state.score_ts and "score" in data:
            home, away = pair(data.get("score"))
            if home is not None and away is not None:
                state.set_score(home, away, ts)
        if "redCards" in data:
            home, away = pair(data.get("redCards"))
            if home is not None and away is not None:
                state.home_red, state.away_red = home, away
        return [match_id]

    def _batch(self, frame: dict[str, Any]) -> list[str]:
        data = frame.get("data")
        items: list[tuple[str, Any]] = []
        if isinstance(data, list):
            items = [(_str(_match_id(d)) or "", d) for d in data if isinstance(d, dict)]
        elif isinstance(data, dict):
            inner = data.get("matches")
            if isinstance(inner, list):
                items = [(_str(_match_id(d)) or "", d) for d in inner if isinstance(d, dict)]
            else:
                items = list((inner if isinstance(inner, dict) else data).items())
        changed: list[str] = []
        ts = _ts(frame)
        for match_id, item in items:
            if not match_id or not isinstance(item, dict):
                self.malformed += 1
                continue
            inner_data = item.get("data")
            stats: dict[str, Any] = inner_data if isinstance(inner_data, dict) else item
            item_ts = _ts(item) if "ts" in item else ts
            changed += self._stats(match_id, item.get("leagueId"), stats, item_ts)
        return changed

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
            version=None,
        )

    def ids(self, match_id: str) -> tuple[str | None, str | None, str | None]:
        """(home team id, away team id, league id) of a match, where known."""
        state = self.states.get(match_id)
        if state is None:
            return None, None, None
        return state.home_id, state.away_id, state.league_id

    def summaries(self) -> list[GameSummary]:
        """Picker entries for every match seen."""
        return [GameSummary.of(state.to_match()) for state in self.states.values()]

    def forget_finished(self, keep: int) -> None:
        """Bound memory: drop the oldest finished matches beyond `keep` states."""
        excess = len(self.states) - keep
        if excess <= 0:
            return
        for match_id in [m for m, s in self.states.items() if s.phase == _ENDED][:excess]:
            del self.states[match_id]


def with_version(match: Match, version: int) -> Match:
    """A copy of `match` with another version."""
    return replace(match, version=version)


def _match_id(frame: dict[str, Any]) -> str | None:
    for key in ("matchId", "match_id"):
        if frame.get(key) is not None:
            return _str(frame[key])
    ident = frame.get("id")
    if frame.get("scope") == "match" and ident is not None:
        return _str(ident)
    if frame.get("scope") == "league" and ident is not None and ident != frame.get("leagueId"):
        return _str(ident)
    data = frame.get("data")
    if isinstance(data, dict) and data.get("matchId") is not None:
        return _str(data["matchId"])
    if "scope" not in frame and frame.get("id") is not None:
        return _str(frame["id"])
    return None


def _ts(frame: dict[str, Any]) -> int:
    value = frame.get("ts")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    return 0


def _teams(state: _State, data: dict[str, Any]) -> None:
    for key, attr in (("teamA", "home"), ("teamB", "away")):
        team = data.get(key)
        if isinstance(team, dict):
            if team.get("id") is not None:
                setattr(state, f"{attr}_id", str(team["id"]))
            if isinstance(team.get("name"), str):
                setattr(state, attr, team["name"])
    league = data.get("championship")
    if isinstance(league, dict):
        if league.get("id") is not None:
            state.league_id = str(league["id"])
        if isinstance(league.get("name"), str):
            state.league = league["name"]
    start = data.get("startDate")
    if isinstance(start, str):
        try:
            parsed = datetime.fromisoformat(start)
        except ValueError:
            pass
        else:
            state.start = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _side(state: _State, data: dict[str, Any]) -> Side | None:
    for key in ("side", "team", "scoringTeam", "teamId", "scorer"):
        value = data.get(key)
        if isinstance(value, dict):
            value = value.get("id", value.get("side"))
        if value is None:
            continue
        text = str(value)
        if text in ("A", "a", "teamA", "home", "HOME", "1") or text == state.home_id:
            return Side.HOME
        if text in ("B", "b", "teamB", "away", "AWAY", "2") or text == state.away_id:
            return Side.AWAY
    return None


def _kind(value: Any) -> GoalKind | None:
    if not isinstance(value, str):
        return None
    text = value.lower().replace(" ", "_").replace("-", "_")
    if "own" in text:
        return GoalKind.OWN_GOAL
    if "penalty" in text or text in ("pen", "p"):
        return GoalKind.PENALTY
    return GoalKind.OPEN_PLAY


def _stats_status(state: _State, raw: Any, minute: int | None) -> None:
    """Apply a STATS `status`: it may move the phase forward, never back."""
    if not isinstance(raw, str):
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
        if state.phase == _PRE and state.home_score is None:
            state.home_score = state.away_score = 0
        state.phase = phase
