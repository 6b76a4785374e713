"""A side's score moved: goals, sets, games and points as events, each under its key.

A rise in a goal sport is one `goal` per goal (its scorer and minute from the
feed's list where it has one), a fall one `goal_cancelled` per goal, which frees
that goal's key (a later real goal to the same score fires again). Tennis counts
sets and, per set, games; the other sports one `score_change` per side and state.
Each event goes into `middle` with its sort key (minute, or set and game).
"""

import math
import re

from .model import GOAL_SPORTS, EventType, Match, MatchEvent, Scorer, Side, Sport
from .tracker_record import MatchRecord

_SET_NAME = re.compile(r"^set\s*(\d{1,2})$", re.IGNORECASE)
# More than this many points in one state on one side is not played sport: the
# new score is taken as it is, without an event per point.
MAX_EVENTS_PER_JUMP = 60

type Middle = list[tuple[float, int, MatchEvent]]


def sort_minute(minute: int | None) -> float:
    """An event's minute as a sort key: events without one sort last."""
    return math.inf if minute is None else float(minute)


def _late(record: MatchRecord, match: Match, side: Side, n: int, new: int) -> bool:
    """Whether goal `n` of `side` (the side now at `new`) was missed live."""
    if match.announced == (side, n):
        return False
    return record.resync or match.settling or n < new


def rise(  # noqa: PLR0917
    record: MatchRecord,
    match: Match,
    side: Side,
    side_index: int,
    old: int,
    new: int,
    middle: Middle,
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
            middle.append((sort_minute(minute), side_index, event))
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
            # A set sorts after its games (see `tennis`), before the next set's.
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
    middle.append((sort_minute(match.minute), side_index, event))


def fall(  # noqa: PLR0917
    record: MatchRecord,
    match: Match,
    side: Side,
    side_index: int,
    old: int,
    new: int,
    middle: Middle,
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
        middle.append((sort_minute(match.minute), side_index, event))


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


def tennis_games(match: Match) -> dict[int, list[int]]:
    """Games per set number, [home, away], as the state's periods tell them."""
    games: dict[int, list[int]] = {}
    for period in match.periods:
        found = _SET_NAME.match(period.name)
        if found and period.home is not None and period.away is not None:
            games[int(found.group(1))] = [period.home, period.away]
    return games


def tennis(record: MatchRecord, match: Match, middle: Middle) -> None:
    """Games won since the record, per set, in order."""
    games = tennis_games(match)
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
