"""SportsAPIPro game objects, field by field: the readers `sportsapipro_parser.py` builds from.

Each reader is total (see `sportsapipro_values.py`): bad optional values are
left out, and only a competitor that cannot be read raises `Malformed`.
"""

from datetime import datetime
from typing import Any

from .model import PeriodScore, Sport, Status, Team
from .sportsapipro_values import (
    MAX_CARDS,
    MAX_ID,
    MAX_MINUTE,
    MAX_SCORE,
    MAX_TENNIS_STAGE,
    Malformed,
    counted,
    keywords,
    number,
    required_id,
    short_text,
)

# Each sport's host serves its own competitors' images (ids are per sport).
LOGO_URL = "https://v1.{sport}.sportsapipro.com/images/competitors/{id}?imageVersion={v}"

SPORT_BY_ID: dict[int, Sport] = {
    1: Sport.FOOTBALL,
    2: Sport.BASKETBALL,
    3: Sport.TENNIS,
    4: Sport.HOCKEY,
    5: Sport.HANDBALL,
    6: Sport.AMERICAN_FOOTBALL,
    7: Sport.BASEBALL,
    8: Sport.VOLLEYBALL,
    9: Sport.RUGBY,
}

# At most this many stages are read from one game object.
MAX_PERIODS = 16


def read_status(group: Any, text: Any, just_ended: Any = False) -> Status:
    """Read a status from `statusGroup` and `statusText`, whichever table is used."""
    words = keywords(text)
    if "postpon" in words:
        return Status.POSTPONED
    if "cancel" in words:
        return Status.CANCELLED
    if "abandon" in words:
        return Status.ABANDONED
    if "suspend" in words or "interrupt" in words:
        return Status.SUSPENDED
    if just_ended is True or "ended" in words or words.startswith(("final", "ft")):
        return Status.FINISHED
    group = number(group, 9)
    if group == 4:
        return Status.FINISHED
    if group == 3:
        if ("half" in words and "time" in words) or words == "ht" or "break" in words:
            return Status.BREAK
        if words.startswith("end of"):
            return Status.BREAK
        return Status.LIVE
    if group in (1, 2):
        return Status.SCHEDULED
    return Status.UNKNOWN


def read_team(raw: Any, sport: Sport) -> Team:
    """A competitor; raise `Malformed` if it is not one."""
    if not isinstance(raw, dict):
        raise Malformed
    team_id = required_id(raw.get("id"))
    version = number(raw.get("imageVersion"), 2**31)
    winner = raw.get("isWinner")
    return Team(
        id=team_id,
        name=short_text(raw.get("name")) or team_id,
        short_name=short_text(raw.get("shortName")),
        abbreviation=short_text(raw.get("symbolicName")),
        score=counted(raw.get("score"), MAX_SCORE),
        colour=short_text(raw.get("color")),
        logo=LOGO_URL.format(sport=sport, id=team_id, v=1 if version is None else version),
        red_cards=counted(raw.get("redCards"), MAX_CARDS),
        winner=winner if isinstance(winner, bool) else None,
    )


def sport_of(game: Any) -> Sport | None:
    """The sport of a game object, if known (None for anything else)."""
    if not isinstance(game, dict):
        return None
    sport_id = game.get("sportId")
    if isinstance(sport_id, bool):
        return None
    if isinstance(sport_id, float) and sport_id.is_integer():
        sport_id = int(sport_id)
    if isinstance(sport_id, int):
        return SPORT_BY_ID.get(sport_id)
    return None


def read_start(value: Any) -> datetime | None:
    """The start time (ISO 8601), if it is one."""
    if not isinstance(value, str) or len(value) > MAX_ID:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def read_periods(stages: Any, ceiling: int) -> tuple[PeriodScore, ...]:
    """The named stages (periods, sets) and their scores, at most `MAX_PERIODS`."""
    if not isinstance(stages, list):
        return ()
    periods: list[PeriodScore] = []
    for stage in stages:
        if not isinstance(stage, dict):
            continue
        name = short_text(stage.get("name"))
        if name is None:
            continue
        periods.append(
            PeriodScore(
                name=name,
                home=number(stage.get("homeCompetitorScore"), ceiling),
                away=number(stage.get("awayCompetitorScore"), ceiling),
            )
        )
        if len(periods) == MAX_PERIODS:
            break
    return tuple(periods)


def stage_ceiling(sport: Sport) -> int:
    """The highest plausible stage score of a sport."""
    return MAX_TENNIS_STAGE if sport is Sport.TENNIS else MAX_SCORE


def read_clock(game: dict[str, Any], status: Status) -> str | None:
    """The clock as the service shows it, while the match is on."""
    if status in (Status.LIVE, Status.BREAK):
        return short_text(game.get("gameTimeDisplay"))
    return None


def read_round(game: dict[str, Any]) -> str | None:
    """The round: a name where the game has one (undocumented), else `roundNum`."""
    if name := short_text(game.get("roundName")) or short_text(game.get("stageName")):
        return name
    number_ = number(game.get("roundNum"), MAX_MINUTE)
    return None if number_ is None else f"Round {number_}"
