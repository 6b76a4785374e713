"""What the tracker remembers of one match, and how it is saved and read back.

A `MatchRecord` holds the last applied scores, red cards, status and tennis
games, the keys of the events already emitted, and what the version rules
(`tracker_versions.py`) keep. `to_json` saves only what makes events exactly
once; a record read back (`from_json`) waits for the first state after the gap
(`resync`), its versions forgotten.
"""

from dataclasses import dataclass, field
from typing import Any

from .model import Side, Status

SIDES = (Side.HOME, Side.AWAY)


@dataclass(slots=True)
class MatchRecord:
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
    # The phase (status, its texts, sport) the phase events were last looked for in:
    # the same phase again can announce nothing new. Not saved.
    phase: tuple[object, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """What is saved of the record (its versions are not)."""
        return {
            "status": self.status.value,
            "score": [self.score.get(Side.HOME), self.score.get(Side.AWAY)],
            "red": [self.red.get(Side.HOME), self.red.get(Side.AWAY)],
            "games": {str(k): v for k, v in self.games.items()},
            "keys": sorted(self.keys),
        }

    @classmethod
    def from_json(cls, data: Any) -> MatchRecord:
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
