"""SoccerFootball.info STATS frames that tell nothing new: the short ways.

A live match's STATS snapshot comes every few seconds, and most tell nothing
new but the time, or the clock a minute on. The whole way (`_stats_whole` in
`soccerfootball_stats.py`) keeps a copy of the data of the last frame it applied
(`MatchState.stats_seen`) when no STATS disagreement is in progress and no MAIN
goal is held; any other frame of the match forgets it (`ParsedMatches._state`).
While it is kept, the whole way would leave the state as it is for the same
values again but for the times, and for a clock a minute on in the same half
but for the clock: no rule in `soccerfootball_state.py` waits on anything in
such a frame. Those are applied here, with the result the whole way gives them;
anything else goes the whole way.

Values are compared with `==`. The documented ones are texts, for which that is
exact; a number sent where a text is documented, then the same number as
another type (1, 1.0, true), is taken as the same value.
"""

from typing import Any

from .soccerfootball_state import MatchState, set_clock
from .soccerfootball_values import read_count, read_minute


def stats_key(data: dict[str, Any]) -> tuple[Any, ...]:
    """The values of a STATS `data` that matter (the others are not read)."""
    get = data.get
    return (
        get("timer"),
        get("extraTimer"),
        get("status"),
        get("score"),
        get("redCards"),
        get("shotsOnTarget"),
        get("totalShots"),
    )


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of STATS data to compare the next with, without the keys that name a match."""
    seen = dict(data)
    if "matchId" in seen or "match_id" in seen:
        seen.pop("matchId", None)
        seen.pop("match_id", None)
    return seen


def keep_seen(state: MatchState, data: dict[str, Any]) -> None:
    """Keep the data of a STATS frame just applied whole, if the short ways may follow."""
    if state.run != [None, None] or state.held[0] or state.held[1]:
        return  # (the next frame may settle what is in progress)
    state.stats_seen = _copy(data)
    state.stats_key = None  # (read from it when needed)
    # (Whether the whole way notes when the clock was seen, and the time added:
    # they stay while the copy is kept, `stats_minute` but for the clock a minute on.)
    state.stats_timed = state.stats_minute >= 0 and data.get("timer") is not None
    state.stats_added = read_count(data.get("extraTimer"))
    _next_timer(state)


def _next_timer(state: MatchState) -> None:
    """The usual timer text of the clock a minute on in the same half, if any."""
    state.stats_next = _NEXT_TIMER.get(state.stats_minute)


# Minute → the timer a minute on, as STATS usually sends it (not across half-time).
_NEXT_TIMER = {minute: str(minute + 1) for minute in range(999) if minute != 45}


def told_again(state: MatchState, seen: dict[str, Any], data: dict[str, Any]) -> int | bool | None:
    """What a STATS `data` other than `seen` (`state.stats_seen`, kept) tells.

    False: nothing new (the values that matter are the same); a minute: only the
    clock moved on, by a minute, to that minute (`stats_seen` is then `data`);
    None: anything else (the whole way, then; nothing was changed).
    """
    if "timer" in seen:
        # Only the timer changed? Then `data` is what was seen, with its timer.
        was = seen["timer"]
        timer = data.get("timer")
        seen["timer"] = timer
        if data == seen:
            minute = (
                state.stats_minute + 1 if timer == state.stats_next else _minute_on(state, timer)
            )
            if minute is None:
                seen["timer"] = was
            else:
                state.stats_key = None
            return minute
        seen["timer"] = was
    key = stats_key(data)
    applied = state.stats_key
    if applied is None:
        state.stats_key = applied = stats_key(seen)
    if key == applied:
        return False
    if key[1:] != applied[1:]:
        return None
    minute = _minute_on(state, key[0])
    if minute is not None:
        state.stats_seen = _copy(data)
        state.stats_key = key
    return minute


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


def apply_again(state: MatchState, told: int | bool, ts: int) -> None:
    """Apply at `ts` what `told_again` found (False: nothing new), as the whole way would."""
    if told is not False:
        state.stats_minute = told
        set_clock(state, told, state.stats_added)
        state.stats_timed = True
        state.stats_next = _NEXT_TIMER.get(told)
    state.latest_ts = max(state.latest_ts, ts)
    state.stats_ts = ts
    if state.stats_timed:
        state.stats_minute_ts = ts
    state.stats_stale = 0
    state.announced = None
    state.settling = False
