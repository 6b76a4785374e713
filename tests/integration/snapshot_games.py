"""One match per sport as SportsAPIPro sends it (365Scores game objects), phase by phase.

The snapshot tests push these through the real parser and tracker, so a snapshot
shows what a user sees for what the feed sends.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from custom_components.live_scores.feed.model import Match
from custom_components.live_scores.feed.sportsapipro_parser import parse_game

KICKOFF = datetime(2026, 4, 4, 18, 0, tzinfo=UTC)
SPORT_IDS = {"football": 1, "basketball": 2, "tennis": 3, "hockey": 4}


@dataclass(frozen=True)
class Competitor:
    """One side of a fixture."""

    id: int
    name: str
    short: str
    abbr: str
    colour: str | None


@dataclass(frozen=True)
class Fixture:
    """Who plays where, in which competition."""

    sport: str
    home: Competitor
    away: Competitor
    competition: tuple[int, str]
    venue: str

    @property
    def title(self) -> str:
        """The subentry title the match picker gives."""
        return f"{self.home.name} vs {self.away.name}"


@dataclass(frozen=True)
class Phase:
    """One state of the match, `minutes` after kick-off."""

    name: str | None  # the snapshot's name; None for a state pushed on the way
    minutes: int
    group: int  # statusGroup
    text: str  # statusText
    short: str | None  # shortStatusText
    clock: str | None  # gameTimeDisplay
    score: tuple[int, int]  # -1 before play
    stages: tuple[tuple[str, int, int], ...] = ()


FIXTURES = {
    "football": Fixture(
        "football",
        Competitor(142, "Mallorca", "Mallorca", "MLL", "#D40034"),
        Competitor(131, "Real Madrid", "Real Madrid", "RMA", "#FFFFFF"),
        (11, "LaLiga"),
        "Estadi Mallorca Son Moix",
    ),
    "basketball": Fixture(
        "basketball",
        Competitor(3416, "Boston Celtics", "Celtics", "BOS", "#007A33"),
        Competitor(3428, "Los Angeles Lakers", "Lakers", "LAL", "#552583"),
        (103, "NBA"),
        "TD Garden",
    ),
    "tennis": Fixture(
        "tennis",
        Competitor(5201, "Carlos Alcaraz", "C. Alcaraz", "ALC", None),
        Competitor(5202, "Jannik Sinner", "J. Sinner", "SIN", None),
        (1402, "ATP Madrid"),
        "Manolo Santana Stadium",
    ),
    "hockey": Fixture(
        "hockey",
        Competitor(8101, "Toronto Maple Leafs", "Maple Leafs", "TOR", "#00205B"),
        Competitor(8102, "Montreal Canadiens", "Canadiens", "MTL", "#AF1E2D"),
        (366, "NHL"),
        "Scotiabank Arena",
    ),
}

_SCHEDULED = Phase("scheduled", -60, 2, "Scheduled", None, None, (-1, -1))
_POSTPONED = Phase("postponed", -30, 4, "Postponed", None, None, (-1, -1))

STORIES: dict[str, tuple[Phase, ...]] = {
    "football": (
        _SCHEDULED,
        Phase("live", 23, 3, "1st Half", "1st", "23'", (1, 0)),
        Phase("break", 47, 3, "Halftime", "HT", "HT", (1, 0), (("Halftime", 1, 0),)),
        Phase(None, 80, 3, "2nd Half", "2nd", "65'", (2, 1), (("Halftime", 1, 0),)),
        Phase("finished", 110, 4, "Ended", "FT", None, (2, 1), (("Halftime", 1, 0),)),
    ),
    "basketball": (
        _SCHEDULED,
        Phase("live", 30, 3, "2nd Quarter", "Q2", "04:12", (48, 45)),
        Phase("break", 60, 3, "Halftime", "HT", "HT", (58, 54)),
        Phase(None, 120, 3, "4th Quarter", "Q4", "00:04", (112, 104)),
        Phase("finished", 135, 4, "Final", None, None, (112, 104)),
    ),
    "tennis": (
        _SCHEDULED,
        Phase(
            "live", 50, 3, "Set 2", "S2", None, (1, 0),
            (("Set 1", 6, 4), ("Set 2", 3, 2), ("Set 3", -1, -1), ("Sets", 1, 0), ("Game", 30, 15)),
        ),
        Phase(
            "break", 75, 3, "Break", "Brk", None, (1, 1),
            (("Set 1", 6, 4), ("Set 2", 5, 7), ("Set 3", -1, -1), ("Sets", 1, 1)),
        ),
        Phase(
            "finished", 120, 4, "Ended", None, None, (2, 1),
            (("Set 1", 6, 4), ("Set 2", 5, 7), ("Set 3", 6, 3), ("Sets", 2, 1)),
        ),
    ),
    "hockey": (
        _SCHEDULED,
        Phase("live", 50, 3, "2nd Period", "P2", "31'", (2, 1)),
        Phase("break", 75, 3, "Break", "Brk", "Brk", (2, 1)),
        Phase(None, 100, 3, "3rd Period", "P3", "52'", (4, 2)),
        Phase("finished", 130, 4, "Final", None, None, (4, 2)),
    ),
}  # fmt: skip


def game_id(sport: str, *, return_fixture: bool = False) -> str:
    """The match id of a sport's story, or of its return fixture (postponed)."""
    return str(SPORT_IDS[sport] * 1000 + return_fixture)


def state(sport: str, phase: Phase, *, return_fixture: bool = False, version: int = 1) -> Match:
    """The match as the parser makes it from the game object of `phase`."""
    fixture = FIXTURES[sport]
    home, away = (fixture.away, fixture.home) if return_fixture else (fixture.home, fixture.away)
    minute = phase.clock.rstrip("'") if phase.clock and phase.clock[:-1].isdigit() else None
    game: dict[str, Any] = {
        "id": int(game_id(sport, return_fixture=return_fixture)),
        "sportId": SPORT_IDS[sport],
        "competitionId": fixture.competition[0],
        "competitionDisplayName": fixture.competition[1],
        "startTime": (KICKOFF + timedelta(days=7 * return_fixture)).isoformat(),
        "statusGroup": phase.group,
        "statusText": phase.text,
        "shortStatusText": phase.short,
        "gameTime": float(minute) if minute else -1.0,
        "gameTimeDisplay": phase.clock or "",
        "homeCompetitor": _competitor(home, phase.score[0]),
        "awayCompetitor": _competitor(away, phase.score[1]),
        "stages": [
            {"name": name, "homeCompetitorScore": float(h), "awayCompetitorScore": float(a)}
            for name, h, a in phase.stages
        ],
        "venue": {"id": 1, "name": fixture.venue},
    }
    match = parse_game(game, version)
    assert match is not None
    return match


def _competitor(side: Competitor, score: int) -> dict[str, Any]:
    return {
        "id": side.id,
        "name": side.name,
        "shortName": side.short,
        "symbolicName": side.abbr,
        "score": float(score),
        "color": side.colour,
        "imageVersion": 1,
    }


# The return fixture of every sport: scheduled, then postponed.
POSTPONEMENT = (_SCHEDULED, _POSTPONED)
