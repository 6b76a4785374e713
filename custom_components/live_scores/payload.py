"""What bus events and the event entity carry about a match event.

The bus event is on the goal path (frame read → `hass.bus.async_fire`): its data
is built as one dict, in the order its keys were always given.
"""

from typing import Any

from .const import ATTR_SCORING_SIDE, EVENT_GOAL, EVENT_MATCH_EVENT
from .feed.model import EventType, Match, MatchEvent, Side


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


def bus_event(
    event: MatchEvent, entry_id: str, device_ids: list[str], *, test: bool
) -> tuple[str, dict[str, Any]]:
    """The bus event type and data of a match event, naming its entry and devices."""
    match = event.match
    home, away = match.home, match.away
    side = event.side
    team = None if side is None else (home if side is Side.HOME else away)
    kind = str(event.kind) if event.kind else None
    data: dict[str, Any] = {
        "config_entry_id": entry_id,
        "device_id": device_ids[0] if device_ids else None,
        "device_ids": device_ids,
        "provider": str(match.provider),
        "sport": str(match.sport),
        "match_id": match.id,
        "competition": match.competition,
        "home": home.name,
        "away": away.name,
        "home_score": home.score,
        "away_score": away.score,
        "test": test,
        "recovered": event.recovered,
    }
    if event.type is EventType.GOAL:
        data[ATTR_SCORING_SIDE] = str(side) if side else None
        data["scoring_team"] = None if team is None else team.name
        data["scoring_team_color"] = None if team is None else team.colour
        kind_of = EVENT_GOAL
    else:
        data["type"] = str(event.type)
        data["side"] = str(side) if side else None
        data["team"] = None if team is None else team.name
        kind_of = EVENT_MATCH_EVENT
    data["minute"] = event.minute
    data["scorer"] = event.scorer
    data["kind"] = kind
    return kind_of, data


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
