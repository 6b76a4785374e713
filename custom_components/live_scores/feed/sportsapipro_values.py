"""The readers every value of a SportsAPIPro game object goes through.

Every reader is total: nothing here raises on bad input, whatever JSON can
hold, except where a required value cannot be read (`Malformed`, which the
parser turns into None). Ids are ints or strings, texts are bounded, and
numbers are finite, not negative and plausible: see the ceilings below.
"""

import math
from typing import Any

import orjson

# Plausibility ceilings. A value above its ceiling is not a real one (a score of
# 1e308 is junk, not a goal rush), and the ceilings bound what one game object can
# make the tracker do (it emits one event per goal, card or tennis game).
# Scores: no sport we carry gets near 999 (basketball's records are in the 200s,
# rugby's in the 100s). Red cards: 99. Tennis stages (games in a set, points in a
# game, tie-breaks included): 99. Minutes: 999. Other sports' stage scores: 999.
MAX_SCORE = 999
MAX_CARDS = 99
MAX_TENNIS_STAGE = 99
MAX_MINUTE = 999
# Texts longer than this are cut; ids longer than MAX_ID are malformed.
MAX_TEXT = 200
MAX_ID = 64
# Ints beyond this are not ids (orjson yields at most 64-bit ints).
_MAX_INT_ID = 2**64
# Numeric strings longer than this are junk (float() on them is linear anyway).
_MAX_NUMBER_TEXT = 32


def same(a: Any, b: Any) -> bool:
    """Whether two JSON values are the same: equal, and of the same types throughout.

    `==` alone takes 1, 1.0 and true for one another, which the readers do not.
    The text is compared only for values found equal (the usual case for
    what did not change), at C speed.
    """
    if a != b:
        return False
    if type(a) is not type(b):
        return False
    if type(a) in (dict, list):
        return orjson.dumps(a) == orjson.dumps(b)
    return True


class Malformed(Exception):
    """A required value of a game object cannot be read."""


def _real(value: Any) -> float | None:
    """A finite number from an int, a float or a short numeric string; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value) if -_MAX_INT_ID < value < _MAX_INT_ID else None
    if isinstance(value, str):
        if len(value) > _MAX_NUMBER_TEXT:
            return None
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


def number(value: Any, ceiling: int = MAX_SCORE) -> int | None:
    """A score or count in 0..`ceiling`: ints, floats and numeric strings accepted.

    Junk is None: booleans, NaN, infinities, negatives (-1 means "not started"),
    values above `ceiling` and anything that is not a number.
    """
    real = _real(value)
    if real is None or not 0.0 <= real <= ceiling:
        return None
    return round(real)


def counted(value: Any, ceiling: int) -> int | None:
    """A competitor's score or red cards: None if absent or -1 (before play).

    Anything else that is not a plausible count makes the game malformed.
    """
    if value is None:
        return None
    result = number(value, ceiling)
    if result is None:
        if _real(value) == -1.0:
            return None
        raise Malformed
    return result


def id_text(value: Any) -> str | None:
    """An id as text: an int or a non-empty short string; anything else is None."""
    if isinstance(value, str):
        return value if 0 < len(value) <= MAX_ID else None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if -_MAX_INT_ID < value < _MAX_INT_ID else None
    return None


def required_id(value: Any) -> str:
    """An id that must be there: anything that is not one is malformed."""
    ident = id_text(value)
    if ident is None:
        raise Malformed
    return ident


def optional_id(value: Any) -> str | None:
    """None when absent; a value that is present but not an id is malformed."""
    return None if value is None else required_id(value)


def short_text(value: Any) -> str | None:
    """A non-empty text, cut to MAX_TEXT characters; anything else is None."""
    if isinstance(value, str) and value:
        return value[:MAX_TEXT]
    return None


def keywords(value: Any) -> str:
    """A text in lower case for keyword checks ("" if it is not one)."""
    return value[:MAX_TEXT].lower() if isinstance(value, str) else ""
