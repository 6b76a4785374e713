"""A SportsAPIPro game's goal events → the `Scorer`s of its goals.

Goal events (`eventType` 1, own goals 8) name the scoring competitor, the
minute and the player (by name, or by id through `members`); a disallowed goal
is no goal. A bad event is left out; at most `MAX_SCORERS` are read.

A followed game's next object mostly repeats the events (the clock moved) or
adds some at the end (a goal): `read_scorers_after` reads only what is new.
"""

from typing import Any

from .model import GoalKind, Scorer, Side
from .sportsapipro_values import MAX_MINUTE, id_text, keywords, number, same, short_text

MAX_SCORERS = 256

_GOAL_EVENT_IDS = frozenset({1, 8})
_OWN_GOAL_ID = 8


def _members(game: dict[str, Any]) -> dict[str, str]:
    """Player names by id (as text)."""
    members = game.get("members")
    names: dict[str, str] = {}
    if isinstance(members, list):
        for member in members:
            if (
                isinstance(member, dict)
                and (name := short_text(member.get("name")))
                and (member_id := id_text(member.get("id"))) is not None
            ):
                names[member_id] = name
    elif isinstance(members, dict):
        for key, member in members.items():
            if isinstance(member, dict) and (name := short_text(member.get("name"))):
                names[key] = name  # JSON object keys are strings
                if (member_id := id_text(member.get("id"))) is not None:
                    names[member_id] = name
    return names


def read_scorers(game: dict[str, Any], home_id: str, away_id: str) -> tuple[Scorer, ...]:
    """The scorers of a game's goals, in the order of its events."""
    events = game.get("events")
    if not isinstance(events, list):
        return ()
    return tuple(_read(game, events, home_id, away_id, 0, MAX_SCORERS))


def read_scorers_after(
    game: dict[str, Any],
    home_id: str,
    away_id: str,
    old: dict[str, Any],
    old_scorers: tuple[Scorer, ...],
) -> tuple[Scorer, ...]:
    """`read_scorers`, knowing what the same teams' previous game object `old` gave.

    Events as before give the same scorers; events that only add to them are
    read from where they differ. Anything else (the players' names too) is
    read again from the start.
    """
    events = game.get("events")
    if not isinstance(events, list):
        return ()
    old_events = old.get("events")
    if isinstance(old_events, list) and same(game.get("members"), old.get("members")):
        n = len(old_events)
        if n == len(events) and same(events, old_events):
            return old_scorers
        if n < len(events) and same(events[:n], old_events):
            room = MAX_SCORERS - len(old_scorers)
            return old_scorers + tuple(_read(game, events, home_id, away_id, n, room))
    return tuple(_read(game, events, home_id, away_id, 0, MAX_SCORERS))


def _read(  # noqa: PLR0917
    game: dict[str, Any], events: list[Any], home_id: str, away_id: str, start: int, room: int
) -> list[Scorer]:
    """The scorers of `events[start:]`, at most `room` of them."""
    names: dict[str, str] | None = None
    scorers: list[Scorer] = []
    if room <= 0:
        return scorers
    for index in range(start, len(events)):
        event = events[index]
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
        type_name = keywords(kind_raw.get("name"))
        sub = keywords(kind_raw.get("subTypeName"))
        if "disallow" in type_name or "disallow" in sub:
            continue
        competitor = id_text(event.get("competitorId"))
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
        player = short_text(event.get("playerName"))
        if player is None and (player_id := id_text(event.get("playerId"))) is not None:
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
        if len(scorers) == room:
            break
    return scorers
