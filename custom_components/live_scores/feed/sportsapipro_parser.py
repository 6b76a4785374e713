"""SportsAPIPro (365Scores-style) game objects → `Match`.

Every quirk of the format stays here: scores of -1 before play, float scores,
the two readings of `statusGroup`, tennis stages, goal events with members.
Nothing here raises on bad input: a game that cannot be read gives None.
"""

from __future__ import annotations

from datetime import datetime
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

LOGO_URL = "https://v1.football.sportsapipro.com/images/competitors/{id}?imageVersion={v}"

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

_GOAL_EVENT_IDS = frozenset({1, 8})
_OWN_GOAL_ID = 8


def number(value: Any) -> int | None:
    """A score or count: ints and floats accepted, negatives and junk are None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return round(value) if value >= 0 else None
    if isinstance(value, str):
        try:
            parsed = float(value)
        except ValueError:
            return None
        return round(parsed) if parsed >= 0 else None
    return None


def read_status(group: Any, text: Any, just_ended: Any = False) -> Status:
    """Read a status from `statusGroup` and `statusText`, whichever table is used."""
    words = text.lower() if isinstance(text, str) else ""
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


def _team(raw: Any, sport: Sport) -> Team | None:
    if not isinstance(raw, dict):
        return None
    team_id = raw.get("id")
    if team_id is None:
        return None
    name = raw.get("name")
    version = raw.get("imageVersion")
    return Team(
        id=str(team_id),
        name=name if isinstance(name, str) else str(team_id),
        short_name=_str(raw.get("shortName")),
        abbreviation=_str(raw.get("symbolicName")),
        score=number(raw.get("score")),
        colour=_str(raw.get("color")),
        logo=LOGO_URL.format(id=team_id, v=version if version is not None else 1),
        red_cards=number(raw.get("redCards")),
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def sport_of(game: dict[str, Any]) -> Sport | None:
    """The sport of a game object, if known."""
    return SPORT_BY_ID.get(game.get("sportId"))  # type: ignore[arg-type]


def _start(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _periods(stages: Any) -> tuple[PeriodScore, ...]:
    if not isinstance(stages, list):
        return ()
    return tuple(
        PeriodScore(
            name=stage["name"],
            home=number(stage.get("homeCompetitorScore")),
            away=number(stage.get("awayCompetitorScore")),
        )
        for stage in stages
        if isinstance(stage, dict) and isinstance(stage.get("name"), str)
    )


def _members(game: dict[str, Any]) -> dict[Any, str]:
    members = game.get("members")
    names: dict[Any, str] = {}
    if isinstance(members, list):
        for member in members:
            if isinstance(member, dict) and isinstance(member.get("name"), str):
                names[member.get("id")] = member["name"]
    elif isinstance(members, dict):
        for key, member in members.items():
            if isinstance(member, dict) and isinstance(member.get("name"), str):
                names[key] = member["name"]
                names[member.get("id", key)] = member["name"]
    return names


def _scorers(game: dict[str, Any], home_id: Any, away_id: Any) -> tuple[Scorer, ...]:
    events = game.get("events")
    if not isinstance(events, list):
        return ()
    names: dict[Any, str] | None = None
    scorers = []
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        kind_raw = event.get("eventType")
        if not isinstance(kind_raw, dict):
            continue
        type_id = kind_raw.get("id")
        type_name = str(kind_raw.get("name") or "").lower()
        sub = str(kind_raw.get("subTypeName") or "").lower()
        if type_id not in _GOAL_EVENT_IDS or "disallow" in type_name or "disallow" in sub:
            continue
        competitor = event.get("competitorId")
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
        player = event.get("playerName")
        if not isinstance(player, str):
            if names is None:
                names = _members(game)
            player_id = event.get("playerId")
            player = names.get(player_id) or names.get(str(player_id))
        order = event.get("order")
        scorers.append(
            Scorer(
                side=side,
                minute=number(event.get("gameTime")),
                player=player,
                kind=kind,
                order=order if isinstance(order, int) else index,
            )
        )
    return tuple(scorers)


def parse_game(
    game: Any, version: int | None = None, previous: Match | None = None
) -> Match | None:
    """Build a `Match` from a game object; None if it is not one.

    `previous` supplies what a list payload leaves out (`events`, `stages`).
    """
    if not isinstance(game, dict):
        return None
    game_id = game.get("id")
    sport = sport_of(game)
    if game_id is None or sport is None:
        return None
    home_raw = game.get("homeCompetitor")
    away_raw = game.get("awayCompetitor")
    home = _team(home_raw, sport)
    away = _team(away_raw, sport)
    if home is None or away is None:
        return None
    text = game.get("statusText")
    status = read_status(game.get("statusGroup"), text, game.get("justEnded"))
    minute = number(game.get("gameTime")) if status is Status.LIVE else None
    if "events" in game or previous is None:
        scorers = _scorers(game, home_raw.get("id"), away_raw.get("id"))  # type: ignore[union-attr]
    else:
        scorers = previous.scorers
    if "stages" in game or previous is None:
        periods = _periods(game.get("stages"))
    else:
        periods = previous.periods
    venue = game.get("venue")
    competition_id = game.get("competitionId")
    clock = game.get("gameTimeDisplay")
    return Match(
        provider=Provider.SPORTSAPIPRO,
        id=str(game_id),
        sport=sport,
        home=home,
        away=away,
        status=status,
        status_text=_str(text),
        competition=_str(game.get("competitionDisplayName")),
        competition_id=None if competition_id is None else str(competition_id),
        start=_start(game.get("startTime")),
        clock=_str(clock) if status in (Status.LIVE, Status.BREAK) else None,
        minute=minute,
        period=_str(game.get("shortStatusText")) or _str(text),
        venue=_str(venue.get("name")) if isinstance(venue, dict) else None,
        periods=periods,
        scorers=scorers,
        version=version,
    )


def summarize(game: dict[str, Any]) -> GameSummary | None:
    """A cheap picker entry for a game object; None if it is not one."""
    sport = sport_of(game)
    home = game.get("homeCompetitor")
    away = game.get("awayCompetitor")
    if sport is None or not isinstance(home, dict) or not isinstance(away, dict):
        return None
    competition_id = game.get("competitionId")
    status = read_status(game.get("statusGroup"), game.get("statusText"), game.get("justEnded"))
    start = game.get("startTime")
    return GameSummary(
        id=str(game.get("id")),
        sport=sport,
        home_id=str(home.get("id")),
        home=str(home.get("name") or home.get("id")),
        away_id=str(away.get("id")),
        away=str(away.get("name") or away.get("id")),
        competition=_str(game.get("competitionDisplayName")),
        competition_id=None if competition_id is None else str(competition_id),
        start=start if isinstance(start, str) else None,
        status=status.value,
    )
