"""SoccerFootball.info STATS frames that tell little: the short ways.

A live match's STATS snapshot comes on every change of any statistic, and most
change only values the client does not read (attacks, possession, throw-ins),
the clock a minute on, or the shots. The whole way (`_stats_whole` in
`soccerfootball_stats.py`) keeps the values it reads of the last frame it applied
(`MatchState.stats_seen`, but the timer: `stats_timer`) when no STATS
disagreement is in progress and no MAIN goal is held; any other frame of the
match forgets them (`ParsedMatches._state`). While they are kept, the whole way
would leave the state as it is for the same values again but for the times; for
a clock a minute on in the same half but for the clock; for other shots but for
the shots: no rule in `soccerfootball_state.py` waits on anything in such a
frame. Those are applied here, with the result the whole way gives them; anything
else (a value read changed, or gone, or come) goes the whole way.

Values are compared with `==` (the documented ones are texts, for which that is
exact; a number sent where a text is documented, then the same number as another
type, 1, 1.0 or true, is taken as the same value).
"""

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from .soccerfootball_state import MatchState, set_clock
from .soccerfootball_values import pair, read_count, read_minute

# The values of a STATS `data` the whole way reads, but the timer: the ones its
# rules wait on, then the shots (only kept, per side).
RULED = ("extraTimer", "status", "score", "redCards")
SHOTS = ("shotsOnTarget", "totalShots")
_READ = (*RULED, *SHOTS)
_READ_ALL = itemgetter(*_READ)
_RULED = len(RULED)


def _reader(keys: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The values of these keys of a `data`, as a tuple (KeyError: one is missing)."""
    if keys == _READ:
        return _READ_ALL
    if len(keys) >= 2:
        return itemgetter(*keys)
    return lambda data: tuple(data[key] for key in keys)


def keep_seen(state: MatchState, data: dict[str, Any]) -> None:
    """Keep what a STATS frame just applied whole says, if the short ways may follow."""
    if state.run != [None, None] or state.held[0] or state.held[1]:
        return  # (the next frame may settle what is in progress)
    try:
        state.stats_seen = _READ_ALL(data)  # (the usual frame: every value read is there)
        state.stats_read = _READ_ALL
        state.stats_absent = ()
    except KeyError:
        state.stats_read = reader = _reader(tuple(key for key in _READ if key in data))
        state.stats_seen = reader(data)
        # (Keys read that this frame lacks: one that comes later goes the whole way.)
        state.stats_absent = tuple(key for key in _READ if key not in data)
    state.stats_timer = data.get("timer")
    # (Whether the whole way notes when the clock was seen, and the time added:
    # they stay while these are kept, `stats_minute` but for the clock a minute on.)
    state.stats_timed = state.stats_minute >= 0 and state.stats_timer is not None
    state.stats_added = read_count(data.get("extraTimer"))
    state.stats_next = _NEXT_TIMER.get(state.stats_minute)


# Minute → the timer a minute on, as STATS usually sends it (not across half-time).
_NEXT_TIMER = {minute: str(minute + 1) for minute in range(999) if minute != 45}


def apply_quiet(
    state: MatchState, seen: tuple[Any, ...], data: dict[str, Any], ts: int
) -> bool | None:
    """Apply at `ts` a STATS `data` the short way, as the whole way would.

    `seen` is `state.stats_seen` (kept). Returns whether the match shows anything
    new, or None when the frame must go the whole way (then nothing was changed).
    """
    read = state.stats_read  # (kept with `stats_seen`)
    if read is None:
        return None
    try:
        values = read(data)
    except KeyError:
        return None  # (a value read is gone)
    shots = values != seen
    if shots and (read is not _READ_ALL or values[:_RULED] != seen[:_RULED]):
        return None  # (only the shots may change the short way, when all are read)
    for key in state.stats_absent:
        if key in data:
            return None  # (a value read came)
    timer = data.get("timer")
    minute: int | None = None
    if timer != state.stats_timer:
        if timer is not None and timer == state.stats_next:
            minute = state.stats_minute + 1
        else:
            minute = _minute_on(state, timer)
        if minute is None:
            return None
        state.stats_timer = timer
        state.stats_minute = minute
        set_clock(state, minute, state.stats_added)
        state.stats_timed = True
        state.stats_next = _NEXT_TIMER.get(minute)
    if shots:
        state.stats_seen = values
        for index in (0, 1):
            if None not in (shot := pair(values[_RULED + index])):
                state.shots[index] = shot
    state.latest_ts = max(state.latest_ts, ts)
    state.stats_ts = ts
    if state.stats_timed:
        state.stats_minute_ts = ts
    state.stats_stale = 0
    state.announced = None
    state.settling = False
    return shots or minute is not None


def _minute_on(state: MatchState, timer: Any) -> int | None:
    """The minute of `timer` if it is the last STATS clock a minute on, in the same half."""
    minute, _ = read_minute(timer)
    was = state.stats_minute
    if (
        minute is None
        or was < 0
        or not 0 < minute - was <= 1
        or (minute > 45) != (was > 45)  # (the half "in play" is in stays)
    ):
        return None
    return minute
