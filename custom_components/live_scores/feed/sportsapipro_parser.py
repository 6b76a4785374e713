"""SportsAPIPro (365Scores-style) game objects → `Match`.

Every quirk of the format stays here: scores of -1 before play, float scores,
the two readings of `statusGroup`, tennis stages, goal events with members.

Every reader is total: nothing here raises on bad input, whatever JSON can
hold, and the work done is linear in the size of the game object. A game whose
id, sport, teams, scores or red cards cannot be read is malformed and gives
None (the client counts and skips it); a bad optional value (a minute, a name,
a colour, one event or stage) is left out. Ids are ints or strings, texts are
bounded, and numbers are finite, not negative and plausible: see the ceilings
below.
"""

from datetime import datetime
import math
from typing import Any

from .api import GameSummary
from .model import (
    GoalKind,
    Match,
    PeriodScore,
    Provider,
    Scorer,
    Side,
    Sport,
    Status,
    Team,
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
# At most this many stages and goals are read from one game object.
MAX_PERIODS = 16
MAX_SCORERS = 256

_GOAL_EVENT_IDS = frozenset({1, 8})
_OWN_GOAL_ID = 8


class _Malformed(Exception):
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


def _counted(value: Any, ceiling: int) -> int | None:
    """A competitor's score or red cards: None if absent or -1 (before play).

    Anything else that is not a plausible count makes the game malformed.
    """
    if value is None:
        return None
    result = number(value, ceiling)
    if result is None:
        if _real(value) == -1.0:
            return None
        raise _Malformed
    return result


def _id(value: Any) -> str | None:
    """An id as text: an int or a non-empty short string; anything else is None."""
    if isinstance(value, str):
        return value if 0 < len(value) <= MAX_ID else None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if -_MAX_INT_ID < value < _MAX_INT_ID else None
    return None


def _required_id(value: Any) -> str:
    ident = _id(value)
    if ident is None:
        raise _Malformed
    return ident


def _optional_id(value: Any) -> str | None:
    """None when absent; a value that is present but not an id is malformed."""
    return None if value is None else _required_id(value)


def _str(value: Any) -> str | None:
    """A non-empty text, cut to MAX_TEXT characters; anything else is None."""
    if isinstance(value, str) and value:
        return value[:MAX_TEXT]
    return None


def _words(value: Any) -> str:
    """A text in lower case for keyword checks ("" if it is not one)."""
    return value[:MAX_TEXT].lower() if isinstance(value, str) else ""


def read_status(group: Any, text: Any, just_ended: Any = False) -> Status:
    """Read a status from `statusGroup` and `statusText`, whichever table is used."""
    words = _words(text)
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
    """A competitor; raise `_Malformed` if it is not one."""
    if not isinstance(raw, dict):
        raise _Malformed
    team_id = _required_id(raw.get("id"))
    version = number(raw.get("imageVersion"), 2**31)
    winner = raw.get("isWinner")
    return Team(
        id=team_id,
        name=_str(raw.get("name")) or team_id,
        short_name=_str(raw.get("shortName")),
        abbreviation=_str(raw.get("symbolicName")),
        score=_counted(raw.get("score"), MAX_SCORE),
        colour=_str(raw.get("color")),
        logo=LOGO_URL.format(sport=sport, id=team_id, v=1 if version is None else version),
        red_cards=_counted(raw.get("redCards"), MAX_CARDS),
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
        name = _str(stage.get("name"))
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


def _members(game: dict[str, Any]) -> dict[str, str]:
    """Player names by id (as text)."""
    members = game.get("members")
    names: dict[str, str] = {}
    if isinstance(members, list):
        for member in members:
            if (
                isinstance(member, dict)
                and (name := _str(member.get("name")))
                and (member_id := _id(member.get("id"))) is not None
            ):
                names[member_id] = name
    elif isinstance(members, dict):
        for key, member in members.items():
            if isinstance(member, dict) and (name := _str(member.get("name"))):
                names[key] = name  # JSON object keys are strings
                if (member_id := _id(member.get("id"))) is not None:
                    names[member_id] = name
    return names


def _scorers(game: dict[str, Any], home_id: str, away_id: str) -> tuple[Scorer, ...]:
    events = game.get("events")
    if not isinstance(events, list):
        return ()
    names: dict[str, str] | None = None
    scorers: list[Scorer] = []
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        kind_raw = event.get("eventType")
        if not isinstance(kind_raw, dict):
            continue
        type_id = kind_raw.get("id")
        if type(type_id) is not int:  # the usual int is looked up as it is
            type_id = number(type_id, 99)
        if type_id not in _GOAL_EVENT_IDS:
            continue
        type_name = _words(kind_raw.get("name"))
        sub = _words(kind_raw.get("subTypeName"))
        if "disallow" in type_name or "disallow" in sub:
            continue
        competitor = _id(event.get("competitorId"))
        if competitor is None:
            continue
        if competitor == home_id:
            side = Side.HOME
        elif competitor == away_id:
            side = Side.AWAY
        else:
            continue
        if type_id == _OWN_GOAL_ID or "own" in sub:
            kind = GoalKind.OWN_GOAL
        elif "penalty" in sub:
            kind = GoalKind.PENALTY
        else:
            kind = GoalKind.OPEN_PLAY
        player = _str(event.get("playerName"))
        if player is None and (player_id := _id(event.get("playerId"))) is not None:
            if names is None:
                names = _members(game)
            player = names.get(player_id)
        order = number(event.get("order"), 2**31)
        scorers.append(
            Scorer(
                side=side,
                minute=number(event.get("gameTime"), MAX_MINUTE),
                player=player,
                kind=kind,
                order=index if order is None else order,
            )
        )
        if len(scorers) == MAX_SCORERS:
            break
    return tuple(scorers)


def parse_game(
    game: Any, version: int | None = None, previous: Match | None = None
) -> Match | None:
    """Build a `Match` from a game object; None if it is not one.

    `previous` supplies what a list payload leaves out (`events`, `stages`).
    """
    try:
        return _parse_game(game, version, previous)
    except _Malformed:
        return None


def _parse_game(game: Any, version: int | None, previous: Match | None) -> Match | None:
    sport = sport_of(game)
    if sport is None:
        return None
    game_id = _required_id(game.get("id"))
    home = _team(game.get("homeCompetitor"), sport)
    away = _team(game.get("awayCompetitor"), sport)
    competition_id = _optional_id(game.get("competitionId"))
    text = game.get("statusText")
    status = read_status(game.get("statusGroup"), text, game.get("justEnded"))
    minute = number(game.get("gameTime"), MAX_MINUTE) if status is Status.LIVE else None
    if "events" in game or previous is None:
        scorers = _scorers(game, home.id, away.id)
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
        status_text=_str(text),
        competition=_str(game.get("competitionDisplayName")),
        competition_id=competition_id,
        start=_start(game.get("startTime")),
        clock=_str(clock) if status in (Status.LIVE, Status.BREAK) else None,
        minute=minute,
        period=_str(game.get("shortStatusText")) or _str(text),
        venue=_str(venue.get("name")) if isinstance(venue, dict) else None,
        round=_round(game),
        periods=periods,
        scorers=scorers,
        version=version,
    )


def _round(game: dict[str, Any]) -> str | None:
    """The round: a name where the game has one (undocumented), else `roundNum`."""
    if name := _str(game.get("roundName")) or _str(game.get("stageName")):
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
    game_id = _id(game.get("id"))
    home_id = _id(home.get("id"))
    away_id = _id(away.get("id"))
    if game_id is None or home_id is None or away_id is None:
        return None
    competition_id = _id(game.get("competitionId"))
    status = read_status(game.get("statusGroup"), game.get("statusText"), game.get("justEnded"))
    return GameSummary(
        id=game_id,
        sport=sport,
        home_id=home_id,
        home=_str(home.get("name")) or home_id,
        away_id=away_id,
        away=_str(away.get("name")) or away_id,
        competition=_str(game.get("competitionDisplayName")),
        competition_id=competition_id,
        start=_str(game.get("startTime")),
        status=status.value,
    )
