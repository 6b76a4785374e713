"""Turn successive states of a match into match events, each exactly once.

The tracker keeps, per match, the last applied scores, red cards, status and
tennis games, the version of the last applied state and the keys of the events
already emitted. Its state can be saved (`snapshot`) and restored (`restore`)
so that a restart never replays an event.

Versions (SportsAPIPro's `updateId`) order states of one match, but neither a
replayed old frame nor one poisoned counter may move a match backwards or
freeze it: a lower version is dropped, a version implausibly far ahead is
applied without becoming the new floor until a second state confirms it, one
implausibly far below the floor re-bases at once (the floor was poisoned, or the
counter restarted), and a run of consecutive lower versions (the counter really
went back a little) becomes the new floor. After `begin_resync()` (a new
connection) the first state of each match sets its floor whatever its version,
unless it is below the floor before the gap and would take the match back (an
old frame replayed first).

Events found in the first state after a gap (`begin_resync`, `restore`), in a
state that only settles the score (`Match.settling`), or below the top of a
score jump are marked `recovered`: they were not seen as they happened.
"""

from dataclasses import dataclass, field, replace
import logging
import math
import re
from typing import Any

from .model import (
    FINAL_STATUSES,
    GOAL_SPORTS,
    EventType,
    Match,
    MatchEvent,
    Scorer,
    Side,
    Sport,
    Status,
)

_LOGGER = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
_NOT_STARTED = frozenset({Status.SCHEDULED, Status.UNKNOWN})
_PLAYING = frozenset({Status.LIVE, Status.BREAK, Status.SUSPENDED})
_STARTED = frozenset({Status.LIVE, Status.BREAK, Status.FINISHED})
_SIDES = (Side.HOME, Side.AWAY)
_HALF_BREAK = re.compile(r"half|\bht\b", re.IGNORECASE)
_SECOND_HALF = re.compile(r"2nd half|second half", re.IGNORECASE)
_LATE_QUARTER = re.compile(r"3rd|4th|overtime|\bq[34]\b", re.IGNORECASE)
_SET_NAME = re.compile(r"^set\s*(\d{1,2})$", re.IGNORECASE)
# A version this far ahead of the floor is applied but only becomes the floor
# once a second state confirms it (one poisoned counter must not freeze a match).
MAX_VERSION_JUMP = 10**9
# This many consecutive, rising versions below the floor: the counter went back.
STALE_RUN_REBASE = 5
# More than this many points in one state on one side is not played sport: the
# new score is taken as it is, without an event per point.
MAX_EVENTS_PER_JUMP = 60
# Records of ended matches beyond this many are forgotten, oldest first.
MAX_FINISHED_RECORDS = 200


@dataclass(slots=True)
class _Record:
    """What the tracker remembers of one match."""

    status: Status = Status.UNKNOWN
    score: dict[Side, int | None] = field(default_factory=dict)
    red: dict[Side, int | None] = field(default_factory=dict)
    # Tennis: games per set number, [home, away].
    games: dict[int, list[int]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    version: int | None = None
    # A version far ahead of `version`, applied but not yet confirmed.
    pending_version: int | None = None
    # Consecutive versions below the floor, and the last of them.
    stale_run: int = 0
    stale_last: int | None = None
    # The first state after a gap (a new connection, a restart) is still to come.
    resync: bool = False
    # The floor before the last `begin_resync`, until a state was applied after it.
    prior_version: int | None = None

    def admit(self, version: int | None) -> bool:
        """Whether a state with `version` may be applied; moves the floor."""
        if version is None:
            return True
        floor = self.version
        if floor is None or version >= floor:
            self.stale_run, self.stale_last = 0, None
            if floor is not None and version - floor > MAX_VERSION_JUMP:
                pending = self.pending_version
                # Confirmed by a later state (a copy of the same one, from a second
                # channel, is no confirmation).
                if pending is not None and 0 < version - pending <= MAX_VERSION_JUMP:
                    self.version, self.pending_version = version, None
                else:
                    self.pending_version = version
                return True
            self.version, self.pending_version = version, None
            return True
        if floor - version > MAX_VERSION_JUMP:
            # Far below: the floor itself was a poisoned id (one that came first
            # after a reconnect), or the counter restarted. Either way, follow.
            self.version, self.pending_version = version, None
            self.stale_run, self.stale_last = 0, None
            return True
        if self.stale_last is not None and version > self.stale_last:
            self.stale_run += 1
        else:
            self.stale_run = 1
        self.stale_last = version
        if self.stale_run >= STALE_RUN_REBASE:
            self.version, self.pending_version = version, None
            self.stale_run, self.stale_last = 0, None
            return True
        return False

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "score": [self.score.get(Side.HOME), self.score.get(Side.AWAY)],
            "red": [self.red.get(Side.HOME), self.red.get(Side.AWAY)],
            "games": {str(k): v for k, v in self.games.items()},
            "keys": sorted(self.keys),
        }

    @classmethod
    def from_json(cls, data: Any) -> _Record:
        """Rebuild a record; raise on anything malformed."""
        if not isinstance(data, dict):
            raise TypeError("record is not a dict")
        score = _pair(data["score"])
        red = _pair(data["red"])
        games_raw = data.get("games", {})
        if not isinstance(games_raw, dict):
            raise TypeError("games is not a dict")
        games: dict[int, list[int]] = {}
        for key, value in games_raw.items():
            home, away = _pair(value)
            if home is None or away is None:
                raise TypeError("bad games")
            games[int(key)] = [home, away]
        keys = data["keys"]
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise TypeError("keys is not a list of str")
        return cls(
            status=Status(data["status"]),
            score={Side.HOME: score[0], Side.AWAY: score[1]},
            red={Side.HOME: red[0], Side.AWAY: red[1]},
            games=games,
            keys=set(keys),
            resync=True,
        )


def _pair(value: Any) -> tuple[int | None, int | None]:
    if not isinstance(value, list) or len(value) != 2:
        raise TypeError("not a pair")
    for item in value:
        if item is not None and (not isinstance(item, int) or isinstance(item, bool)):
            raise TypeError("not an int")
    return value[0], value[1]


class Tracker:
    """Diffs successive `Match` states into `MatchEvent`s, exactly once."""

    def __init__(self) -> None:
        self._records: dict[str, _Record] = {}
        self.dropped_stale = 0

    def __contains__(self, match_id: str) -> bool:
        return match_id in self._records

    def __len__(self) -> int:
        return len(self._records)

    def match_ids(self) -> list[str]:
        """The ids of the tracked matches."""
        return list(self._records)

    def status(self, match_id: str) -> Status | None:
        """The last known status of a match (None if it is not tracked)."""
        record = self._records.get(match_id)
        return None if record is None else record.status

    def score(self, match_id: str) -> tuple[int | None, int | None] | None:
        """The last known (home, away) score of a match (None if it is not tracked)."""
        record = self._records.get(match_id)
        if record is None:
            return None
        return record.score.get(Side.HOME), record.score.get(Side.AWAY)

    def begin_resync(self) -> None:
        """A new connection: forget versions (they may restart), keep the state.

        Until `end_resync`, the first state of each match is a catch-up: what it
        reveals happened during the gap and is marked `recovered`.
        """
        for record in self._records.values():
            if record.version is not None:
                record.prior_version = record.version
            record.version = None
            record.pending_version = None
            record.stale_run, record.stale_last = 0, None
            record.resync = True

    def end_resync(self) -> None:
        """The catch-up after a (re)connect is over: later states are live."""
        for record in self._records.values():
            record.resync = False

    def forget(self, match_id: str) -> None:
        """Stop tracking a match."""
        self._records.pop(match_id, None)

    def snapshot(self) -> dict[str, Any]:
        """The tracker's state, JSON-serialisable."""
        return {
            "version": SNAPSHOT_VERSION,
            "matches": {mid: rec.to_json() for mid, rec in self._records.items()},
        }

    def restore(self, data: Any) -> None:
        """Restore a `snapshot`; anything malformed is skipped (never raises)."""
        self._records = {}
        if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION:
            return
        matches = data.get("matches")
        if not isinstance(matches, dict):
            return
        for match_id, raw in matches.items():
            try:
                self._records[str(match_id)] = _Record.from_json(raw)
            except (KeyError, TypeError, ValueError) as err:
                _LOGGER.debug("Skipping a saved match that cannot be read: %s", err)

    def update(self, match: Match) -> list[MatchEvent]:
        """Apply a new state of a match; return what happened since the last one."""
        record = self._records.get(match.id)
        if record is None:
            self._prune()
            record = _Record()
            self._records[match.id] = record
            record.admit(match.version)
            _apply_baseline(record, match)
            return []
        if not record.admit(match.version):
            self.dropped_stale += 1
            return []
        if _replayed(record, match):
            # An older state replayed first on a new connection: the version
            # floor restarted, but the match never goes back.
            record.version = None
            self.dropped_stale += 1
            return []
        events = _diff(record, match)
        record.resync = False
        record.prior_version = None
        return events

    def _prune(self) -> None:
        """Forget the oldest ended matches beyond `MAX_FINISHED_RECORDS`."""
        finished = [m for m, r in self._records.items() if r.status in FINAL_STATUSES]
        for match_id in finished[: max(0, len(finished) - MAX_FINISHED_RECORDS)]:
            del self._records[match_id]


def _replayed(record: _Record, match: Match) -> bool:
    """Whether the first state after a reconnect is an older one replayed.

    Versions may restart with a new connection, so a lower one is allowed; but
    one below the floor before the gap that would also take a score back (or an
    ended match back into play) is an old frame, not news.
    """
    prior = record.prior_version
    version = match.version
    if not record.resync or prior is None or version is None or version >= prior:
        return False
    if record.status in FINAL_STATUSES and match.status not in FINAL_STATUSES:
        return True
    for side in _SIDES:
        old = record.score.get(side)
        new = match.team(side).score
        if old is not None and new is not None and new < old:
            return True
    return False


def _apply_baseline(record: _Record, match: Match) -> None:
    record.status = match.status
    record.version = match.version
    for side in _SIDES:
        team = match.team(side)
        record.score[side] = team.score
        record.red[side] = team.red_cards
    if match.sport is Sport.TENNIS:
        record.games = _tennis_games(match)
    # What the first state implies has already happened is not news later.
    if match.status in _STARTED:
        record.keys.add("kickoff")
    text = _status_words(match)
    if match.status is Status.BREAK and _HALF_BREAK.search(text):
        record.keys.add("halftime")
    if match.status is Status.LIVE and _after_half(match, text):
        record.keys.update(("halftime", "second_half"))
    if match.status is Status.FINISHED:
        record.keys.update(("halftime", "second_half", "full_time"))


def _two_halves(match: Match) -> bool:
    return match.sport in (Sport.FOOTBALL, Sport.HANDBALL, Sport.RUGBY)


def _after_half(match: Match, text: str) -> bool:
    """Whether a live state is past half-time."""
    if _two_halves(match):
        return bool(_SECOND_HALF.search(text))
    return match.sport is Sport.BASKETBALL and bool(_LATE_QUARTER.search(text))


def _status_words(match: Match) -> str:
    return " ".join(t for t in (match.status_text, match.period) if t)


def _diff(record: _Record, match: Match) -> list[MatchEvent]:
    start: list[MatchEvent] = []
    middle: list[tuple[float, int, MatchEvent]] = []
    end: list[MatchEvent] = []
    old_status = record.status
    new_status = match.status
    was_pre = old_status in _NOT_STARTED
    before = [record.score.get(side) for side in _SIDES]

    # What a phase report itself announces is live; the rest of a catch-up is not.
    late = record.resync and not match.settling

    def emit(target: list[MatchEvent], type_: EventType, key: str, **kw: Any) -> None:
        if key in record.keys:
            return
        record.keys.add(key)
        target.append(MatchEvent(type=type_, match=match, key=key, recovered=late, **kw))

    if new_status is not Status.UNKNOWN:
        if old_status is Status.SCHEDULED and new_status in _STARTED:
            emit(start, EventType.KICKOFF, "kickoff")
        text = _status_words(match)
        if new_status is Status.BREAK and _HALF_BREAK.search(text):
            emit(end, EventType.HALFTIME, "halftime")
        elif new_status is Status.LIVE and "halftime" in record.keys and old_status is Status.BREAK:
            emit(start, EventType.SECOND_HALF, "second_half")
        if new_status is Status.LIVE and _after_half(match, text):
            emit(start, EventType.HALFTIME, "halftime")
            emit(start, EventType.SECOND_HALF, "second_half")
        if new_status is Status.FINISHED:
            emit(end, EventType.FULL_TIME, "full_time")
        record.status = new_status

    for side_index, side in enumerate(_SIDES):
        team = match.team(side)
        old = record.score.get(side)
        new = team.score
        if new is not None:
            if old is None:
                old = 0 if was_pre else new
            if abs(new - old) > MAX_EVENTS_PER_JUMP:
                pass  # not a score that was played: taken without events
            elif new > old:
                _rise(record, match, side, side_index, old, new, middle)
            elif new < old:
                _fall(record, match, side, side_index, old, new, middle)
            record.score[side] = new
        old_red = record.red.get(side)
        red = team.red_cards
        if red is not None:
            if old_red is None:
                old_red = 0 if was_pre else red
            if red - old_red > MAX_EVENTS_PER_JUMP:
                old_red = red  # not cards that were shown: taken without events
            for n in range(old_red + 1, red + 1):
                key = f"red_card:{side}:{n}"
                if key not in record.keys:
                    record.keys.add(key)
                    event = MatchEvent(
                        EventType.RED_CARD,
                        match,
                        key,
                        side=side,
                        minute=match.minute,
                        recovered=late or n < red,
                    )
                    middle.append((_sort_minute(match.minute), side_index, event))
            record.red[side] = red

    if match.sport is Sport.TENNIS:
        _tennis(record, match, middle)

    middle.sort(key=lambda item: (item[0], item[1]))
    if len(middle) < 2 and not start:
        return start + [item[2] for item in middle] + end
    return _with_scores(before, start, [item[2] for item in middle], end, match)


def _with_scores(
    before: list[int | None],
    start: list[MatchEvent],
    middle: list[MatchEvent],
    end: list[MatchEvent],
    match: Match,
) -> list[MatchEvent]:
    """Give each event of one state the score right after it, not the state's last.

    One state can reveal several goals (a jump, a catch-up): each goal's event
    carries the score it made, in the order they happened.
    """
    final = [match.home.score, match.away.score]
    running = [final[i] if before[i] is None else before[i] for i in (0, 1)]
    out = [_scored(e, running, final) for e in start]
    for event in middle:
        if event.side is not None:
            index = _SIDES.index(event.side)
            if event.type in (EventType.GOAL, EventType.SET_WON):
                running[index] = int(event.key.rsplit(":", 1)[1])
            elif "cancelled" in event.detail:
                running[index] = event.detail["score"]  # type: ignore[assignment]
            elif event.type is EventType.SCORE_CHANGE:
                running[index] = event.detail.get("score")  # type: ignore[assignment]
        out.append(_scored(event, running, final))
    return out + end


def _scored(event: MatchEvent, score: list[int | None], final: list[int | None]) -> MatchEvent:
    if score == final:
        return event
    match = event.match
    home = replace(match.home, score=score[0])
    away = replace(match.away, score=score[1])
    return replace(event, match=replace(match, home=home, away=away))


def _sort_minute(minute: int | None) -> float:
    return math.inf if minute is None else float(minute)


def _late(record: _Record, match: Match, side: Side, n: int, new: int) -> bool:
    """Whether goal `n` of `side` (the side now at `new`) was missed live."""
    if match.announced == (side, n):
        return False
    return record.resync or match.settling or n < new


def _rise(  # noqa: PLR0917
    record: _Record,
    match: Match,
    side: Side,
    side_index: int,
    old: int,
    new: int,
    middle: list[tuple[float, int, MatchEvent]],
) -> None:
    """The side's score rose from `old` to `new`."""
    if match.sport in GOAL_SPORTS:
        for n in range(old + 1, new + 1):
            key = f"goal:{side}:{n}"
            record.keys.discard(f"goal_cancelled:{side}:{n}")
            if key in record.keys:
                continue
            record.keys.add(key)
            scorer = _scorer_for(match, side, n)
            minute = scorer.minute if scorer and scorer.minute is not None else match.minute
            event = MatchEvent(
                EventType.GOAL,
                match,
                key,
                side=side,
                minute=minute,
                scorer=scorer.player if scorer else None,
                kind=scorer.kind if scorer else None,
                recovered=_late(record, match, side, n, new),
            )
            middle.append((_sort_minute(minute), side_index, event))
        return
    if match.sport is Sport.TENNIS:
        other = match.team(Side.AWAY if side is Side.HOME else Side.HOME).score or 0
        for n in range(old + 1, new + 1):
            key = f"set_won:{side}:{n}"
            record.keys.discard(f"set_cancelled:{side}:{n}")
            if key in record.keys:
                continue
            record.keys.add(key)
            set_no = n + other
            event = MatchEvent(
                EventType.SET_WON,
                match,
                key,
                side=side,
                detail={"set": set_no, "sets": n},
                recovered=_late(record, match, side, n, new),
            )
            # A set sorts after its games (see `_tennis`), before the next set's.
            middle.append((set_no - 0.5, side_index, event))
        return
    # Points: one score change per side and state, whatever the points.
    key = f"score:{side}:{new}"
    record.keys.discard(f"score_cancelled:{side}:{new}")
    if key in record.keys:
        return
    record.keys.add(key)
    event = MatchEvent(
        EventType.SCORE_CHANGE,
        match,
        key,
        side=side,
        minute=match.minute,
        detail={"points": new - old, "score": new},
        recovered=record.resync or match.settling,
    )
    middle.append((_sort_minute(match.minute), side_index, event))


def _fall(  # noqa: PLR0917
    record: _Record,
    match: Match,
    side: Side,
    side_index: int,
    old: int,
    new: int,
    middle: list[tuple[float, int, MatchEvent]],
) -> None:
    """The side's score fell from `old` to `new`: those points no longer count."""
    if match.sport in GOAL_SPORTS:
        prefix, type_ = "goal", EventType.GOAL_CANCELLED
    elif match.sport is Sport.TENNIS:
        prefix, type_ = "set", EventType.SCORE_CHANGE
    else:
        prefix, type_ = "score", EventType.SCORE_CHANGE
    for n in range(old, new, -1):
        record.keys.discard(f"{'set_won' if prefix == 'set' else prefix}:{side}:{n}")
        if prefix == "score" and n != old:
            continue
        key = f"{prefix}_cancelled:{side}:{n}"
        if key in record.keys:
            continue
        record.keys.add(key)
        event = MatchEvent(
            type_,
            match,
            key,
            side=side,
            minute=match.minute,
            detail={"cancelled": n, "score": new},
            recovered=record.resync or match.settling,
        )
        middle.append((_sort_minute(match.minute), side_index, event))


def _scorer_for(match: Match, side: Side, n: int) -> Scorer | None:
    """The scorer of goal `n` of `side`, if the feed lists it.

    Scorers that carry their goal's number are matched by it; otherwise the
    `n`-th one listed (by order) is taken.
    """
    for scorer in match.scorers:
        if scorer.side is side and scorer.number == n:
            return scorer
    listed = sorted(
        (s for s in match.scorers if s.side is side and s.number is None), key=lambda s: s.order
    )
    if len(listed) >= n:
        return listed[n - 1]
    return None


def _tennis_games(match: Match) -> dict[int, list[int]]:
    games: dict[int, list[int]] = {}
    for period in match.periods:
        found = _SET_NAME.match(period.name)
        if found and period.home is not None and period.away is not None:
            games[int(found.group(1))] = [period.home, period.away]
    return games


def _tennis(record: _Record, match: Match, middle: list[tuple[float, int, MatchEvent]]) -> None:
    games = _tennis_games(match)
    for set_no, (home, away) in sorted(games.items()):
        old = record.games.get(set_no, [0, 0])
        for side_index, (side, new) in enumerate(((Side.HOME, home), (Side.AWAY, away))):
            if new - old[side_index] > MAX_EVENTS_PER_JUMP:
                continue  # not games that were played
            for n in range(old[side_index] + 1, new + 1):
                key = f"game_won:{side}:{set_no}:{n}"
                if key in record.keys:
                    continue
                record.keys.add(key)
                event = MatchEvent(
                    EventType.GAME_WON,
                    match,
                    key,
                    side=side,
                    detail={"set": set_no, "games": n},
                    recovered=record.resync or n < new,
                )
                # Games sort before the set they complete.
                middle.append((set_no - 1.0 + n / 100.0, side_index, event))
    if games:
        record.games = games
