"""What bus events and the event entity carry about a match event."""

from typing import Any

from .const import ATTR_SCORING_SIDE, EVENT_GOAL, EVENT_MATCH_EVENT
from .feed.model import EventType, Match, MatchEvent


def match_summary(match: Match) -> dict[str, Any]:
    """Sport, id, competition, teams and scores: what events and the status sensor say."""
    return {
        "sport": str(match.sport),
        "match_id": match.id,
        "competition": match.competition,
        "home": match.home.name,
        "away": match.away.name,
        "home_score": match.home.score,
        "away_score": match.away.score,
    }


def match_fields(match: Match) -> dict[str, Any]:
    """The fields every bus event (and the event entity) carries about its match."""
    return {"provider": str(match.provider), **match_summary(match)}


def bus_event(event: MatchEvent, base: dict[str, Any], *, test: bool) -> tuple[str, dict[str, Any]]:
    """The bus event type and data of a match event; `base` names entry and devices."""
    data: dict[str, Any] = {
        **base,
        **match_fields(event.match),
        "test": test,
        "recovered": event.recovered,
    }
    team = event.team.name if event.team else None
    side = str(event.side) if event.side else None
    kind = str(event.kind) if event.kind else None
    if event.type is EventType.GOAL:
        colour = event.team.colour if event.team else None
        data |= {ATTR_SCORING_SIDE: side, "scoring_team": team, "scoring_team_color": colour}
        data |= {"minute": event.minute, "scorer": event.scorer, "kind": kind}
        return EVENT_GOAL, data
    data |= {"type": str(event.type), "side": side, "team": team, "minute": event.minute}
    data |= {"scorer": event.scorer, "kind": kind}
    return EVENT_MATCH_EVENT, data


def entity_attributes(event: MatchEvent, *, test: bool) -> dict[str, Any]:
    """The event entity's attributes for a match event."""
    return {
        **match_fields(event.match),
        "side": str(event.side) if event.side else None,
        "team": event.team.name if event.team else None,
        "minute": event.minute,
        "scorer": event.scorer,
        "kind": str(event.kind) if event.kind else None,
        "test": test,
        "recovered": event.recovered,
    }
