"""SportsAPIPro (365Scores-style) game objects → `Match`.

Every quirk of the format stays here: scores of -1 before play, float scores,
the two readings of `statusGroup`, tennis stages, goal events with members.

Every reader is total: nothing here raises on bad input, whatever JSON can
hold, and the work done is linear in the size of the game object. A game whose
id, sport, teams, scores or red cards cannot be read is malformed and gives
None (the client counts and skips it); a bad optional value (a minute, a name,
a colour, one event or stage) is left out. Ids are ints or strings, texts are
bounded, and numbers are finite, not negative and plausible: the readers and
their ceilings are in `sportsapipro_values.py`, goal events in
`sportsapipro_scorers.py`.
"""

from datetime import datetime
from typing import Any

from .api import GameSummary
from .model import Match, PeriodScore, Provider, Sport, Status, Team
from .sportsapipro_scorers import read_scorers
from .sportsapipro_values import (
    MAX_CARDS,
    MAX_ID,
    MAX_MINUTE,
    MAX_SCORE,
    MAX_TENNIS_STAGE,
    Malformed,
    counted,
    id_text,
    keywords,
    number,
    optional_id,
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


def _team(raw: Any, sport: Sport) -> Team:
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


def _start(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > MAX_ID:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _periods(stages: Any, ceiling: int) -> tuple[PeriodScore, ...]:
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


def parse_game(
    game: Any, version: int | None = None, previous: Match | None = None
) -> Match | None:
    """Build a `Match` from a game object; None if it is not one.

    `previous` supplies what a list payload leaves out (`events`, `stages`).
    """
    try:
        return _parse_game(game, version, previous)
    except Malformed:
        return None


def _parse_game(game: Any, version: int | None, previous: Match | None) -> Match | None:
    sport = sport_of(game)
    if sport is None:
        return None
    game_id = required_id(game.get("id"))
    home = _team(game.get("homeCompetitor"), sport)
    away = _team(game.get("awayCompetitor"), sport)
    competition_id = optional_id(game.get("competitionId"))
    text = game.get("statusText")
    status = read_status(game.get("statusGroup"), text, game.get("justEnded"))
    minute = number(game.get("gameTime"), MAX_MINUTE) if status is Status.LIVE else None
    if "events" in game or previous is None:
        scorers = read_scorers(game, home.id, away.id)
    else:
        scorers = previous.scorers
    if "stages" in game or previous is None:
        ceiling = MAX_TENNIS_STAGE if sport is Sport.TENNIS else MAX_SCORE
        periods = _periods(game.get("stages"), ceiling)
    else:
        periods = previous.periods
    venue = game.get("venue")
    clock = game.get("gameTimeDisplay")
    return Match(
        provider=Provider.SPORTSAPIPRO,
        id=game_id,
        sport=sport,
        home=home,
        away=away,
        status=status,
        status_text=short_text(text),
        competition=short_text(game.get("competitionDisplayName")),
        competition_id=competition_id,
        start=_start(game.get("startTime")),
        clock=short_text(clock) if status in (Status.LIVE, Status.BREAK) else None,
        minute=minute,
        period=short_text(game.get("shortStatusText")) or short_text(text),
        venue=short_text(venue.get("name")) if isinstance(venue, dict) else None,
        round=_round(game),
        periods=periods,
        scorers=scorers,
        version=version,
    )


def _round(game: dict[str, Any]) -> str | None:
    """The round: a name where the game has one (undocumented), else `roundNum`."""
    if name := short_text(game.get("roundName")) or short_text(game.get("stageName")):
        return name
    number_ = number(game.get("roundNum"), MAX_MINUTE)
    return None if number_ is None else f"Round {number_}"


def summarize(game: Any) -> GameSummary | None:
    """A cheap `GameSummary` of a game object; None if it is not one."""
    sport = sport_of(game)
    if sport is None:
        return None
    home = game.get("homeCompetitor")
    away = game.get("awayCompetitor")
    if not isinstance(home, dict) or not isinstance(away, dict):
        return None
    game_id = id_text(game.get("id"))
    home_id = id_text(home.get("id"))
    away_id = id_text(away.get("id"))
    if game_id is None or home_id is None or away_id is None:
        return None
    competition_id = id_text(game.get("competitionId"))
    status = read_status(game.get("statusGroup"), game.get("statusText"), game.get("justEnded"))
    return GameSummary(
        id=game_id,
        sport=sport,
        home_id=home_id,
        home=short_text(home.get("name")) or home_id,
        away_id=away_id,
        away=short_text(away.get("name")) or away_id,
        competition=short_text(game.get("competitionDisplayName")),
        competition_id=competition_id,
        start=short_text(game.get("startTime")),
        status=status.value,
    )
