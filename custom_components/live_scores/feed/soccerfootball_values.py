"""Reading SoccerFootball.info values defensively.

Every reader is total: junk, huge or non-finite numbers and unhashable ids give
None (or (None, None)), never raise. Texts and ids are bounded, counts are
0..`MAX_NUMBER`.
"""

import math
import re
from typing import Any

from .model import GoalKind

# Bounds of values that are played sport (scores, cards, minutes).
MAX_NUMBER = 9999
MAX_TEXT = 200
_PAIR_SPLIT = re.compile(r"[;:\-]")
_MINUTE = re.compile(r"^\s*(\d{1,3})(?:\s*\+\s*(\d{1,2}))?")


# Pairs and timers read from text, by their text: a match day has few of them
# (bounded: cleared when full, so junk cannot grow it).
_TEXT_CACHE_SIZE = 4096
_PAIRS: dict[str, tuple[int | None, int | None]] = {}
_MINUTES: dict[str, tuple[int | None, int | None]] = {}


def pair(value: Any) -> tuple[int | None, int | None]:
    """Read a `"home;away"` pair (also lists and dicts); junk gives (None, None)."""
    if type(value) is str:
        if (known := _PAIRS.get(value)) is not None:
            return known
        if len(value) > 64:
            return None, None
        parts = _PAIR_SPLIT.split(value)
        read = (read_count(parts[0]), read_count(parts[1])) if len(parts) >= 2 else (None, None)
        if len(_PAIRS) >= _TEXT_CACHE_SIZE:
            _PAIRS.clear()
        _PAIRS[value] = read
        return read
    if isinstance(value, list | tuple) and len(value) >= 2:
        return read_count(value[0]), read_count(value[1])
    if isinstance(value, dict):
        for home, away in (("home", "away"), ("teamA", "teamB"), ("a", "b"), ("A", "B")):
            if home in value or away in value:
                return read_count(value.get(home)), read_count(value.get(away))
    return None, None


def read_count(value: Any) -> int | None:
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


def read_minute(value: Any) -> tuple[int | None, int | None]:
    """A timer: `"67"`, `67`, `"45+2"` → (minute, added)."""
    if type(value) is str and len(value) <= 16:
        if (known := _MINUTES.get(value)) is not None:
            return known
        found = _MINUTE.match(value)
        read: tuple[int | None, int | None] = (None, None)
        if found is not None:
            added = found.group(2)
            read = int(found.group(1)), None if added is None else int(added)
        if len(_MINUTES) >= _TEXT_CACHE_SIZE:
            _MINUTES.clear()
        _MINUTES[value] = read
        return read
    return read_count(value), None


def read_text(value: Any) -> str | None:
    """A name: text (bounded), or a number as text; anything else None."""
    if type(value) is str:
        return value[:MAX_TEXT] if value else None
    if (type(value) is int and -(10**18) < value < 10**18) or (
        type(value) is float and math.isfinite(value)
    ):
        return str(value)
    return None


def read_ident(value: Any) -> str | None:
    """An id: a short string or an int; anything else None."""
    if type(value) is str:
        return value if 0 < len(value) <= 64 else None
    if type(value) is int:
        return str(value) if -(10**18) < value < 10**18 else None
    return None


def frame_ts(frame: dict[str, Any]) -> int | None:
    """The frame's `ts` in ms, or None when missing or unreadable."""
    value = frame.get("ts")
    if type(value) is int:
        return value if 0 <= value < 10**15 else None
    if type(value) is float and math.isfinite(value) and 0 <= value < 1e15:
        return int(value)
    return None


def item_ident(item: dict[str, Any]) -> str | None:
    """The id of a `batch_update` item, from its own keys."""
    for key in ("matchId", "match_id", "id"):
        if item.get(key) is not None:
            return read_ident(item[key])
    return None


def goal_kind(value: Any) -> GoalKind | None:
    """A goal's kind from its text; unreadable gives None."""
    if type(value) is not str or len(value) > 40:
        return None
    text = value.lower().replace(" ", "_").replace("-", "_")
    if "own" in text:
        return GoalKind.OWN_GOAL
    if "penalty" in text or text in ("pen", "p"):
        return GoalKind.PENALTY
    return GoalKind.OPEN_PLAY
