"""One way to compare team names: what a user types against what a feed sends.

`normalize("  Atlético  Madrid ")` == `normalize("atletico madrid")` == "atletico madrid":
case folded, accents stripped (NFKD, combining marks dropped), every run of
spaces and punctuation collapsed to one space.
"""

from functools import lru_cache
import re
from typing import Any
import unicodedata

# A team name longer than this is not a team name: it never matches (and is not
# worth the work of normalising a megabyte of junk on every frame).
MAX_NAME = 200
_SEPARATORS = re.compile(r"[\W_]+")
# Letters that NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "\u0131": "i", "þ": "th"}
)


@lru_cache(maxsize=4096)
def _normalize(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)
    # Folding again: some letters only fold once decomposed.
    return _SEPARATORS.sub(" ", stripped.casefold()).strip()


def normalize(name: Any) -> str:
    """A team name reduced for comparison; "" for anything that is not a usable name."""
    if not isinstance(name, str) or not name or len(name) > MAX_NAME:
        return ""
    return _normalize(name)
