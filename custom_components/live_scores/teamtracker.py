"""The attribute contract of ha-teamtracker-card, built from our match model.

The card reads a sensor whose state is PRE / IN / POST / BYE / NOT_FOUND and a
fixed set of attributes (those of the TeamTracker integration). We honour the
whole set: every key is always present, unknown values are None, so the card
works unchanged. `BYE` is never used: neither feed reports byes.
"""

from datetime import datetime
import re
from typing import Any

from .feed.model import Match, Side, Sport, Status

STATE_PRE = "PRE"
STATE_IN = "IN"
STATE_POST = "POST"
STATE_NOT_FOUND = "NOT_FOUND"
# The states this integration reports (never BYE).
CARD_STATES = (STATE_PRE, STATE_IN, STATE_POST, STATE_NOT_FOUND)

# The card's sport names are ESPN's: "soccer" is football, "football" American football.
CARD_SPORT = {
    Sport.FOOTBALL: "soccer",
    Sport.BASKETBALL: "basketball",
    Sport.TENNIS: "tennis",
    Sport.HOCKEY: "hockey",
    Sport.HANDBALL: "handball",
    Sport.AMERICAN_FOOTBALL: "football",
    Sport.BASEBALL: "baseball",
    Sport.VOLLEYBALL: "volleyball",
    Sport.RUGBY: "rugby",
}

_STATE = {
    Status.SCHEDULED: STATE_PRE,
    Status.UNKNOWN: STATE_PRE,
    Status.LIVE: STATE_IN,
    Status.BREAK: STATE_IN,
    Status.SUSPENDED: STATE_IN,
    Status.FINISHED: STATE_POST,
    Status.POSTPONED: STATE_POST,
    Status.CANCELLED: STATE_POST,
    Status.ABANDONED: STATE_POST,
}

# TeamTracker's own defaults for teams without colours.
_DEFAULT_COLOURS = ("#D3D3D3", "#A9A9A9")

TEAM_KEYS = (
    "id", "name", "long_name", "abbr", "logo", "url", "colors", "score", "homeaway",
    "record", "rank", "winner", "timeouts", "win_probability", "shots_on_target",
    "total_shots", "sets_won",
)  # fmt: skip

MATCH_KEYS = (
    "sport", "league", "league_logo", "team_abbr", "opponent_abbr", "event_name", "date",
    "kickoff_in", "venue", "location", "tv_network", "odds", "overunder", "quarter",
    "clock", "possession", "last_play", "down_distance_text", "outs", "balls", "strikes",
    "on_first", "on_second", "on_third", "series_summary", "event_url", "api_message",
    "last_update",
)  # fmt: skip

ATTRIBUTE_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(
        (*MATCH_KEYS, *(f"{who}_{key}" for who in ("team", "opponent") for key in TEAM_KEYS))
    )
)

# Attributes that change every few seconds: kept out of the recorder.
UNRECORDED_ATTRIBUTES = frozenset(
    {"clock", "kickoff_in", "last_update", "last_play", "quarter", "possession"}
)

_NUMBER = re.compile(r"\d+")


def card_state(match: Match | None) -> str:
    """The card's state for a match (NOT_FOUND when there is none)."""
    if match is None:
        return STATE_NOT_FOUND
    return _STATE[match.status]


def card_attributes(
    match: Match | None,
    team_id: str | None,
    *,
    now: datetime,
    last_update: datetime | None,
    api_message: str | None = None,
) -> dict[str, Any]:
    """Every attribute the card reads, seen from `team_id`'s side (home if None)."""
    values: dict[str, Any] = dict.fromkeys(ATTRIBUTE_KEYS)
    values["last_update"] = last_update.isoformat() if last_update else None
    values["api_message"] = api_message
    if match is None:
        values["api_message"] = api_message or "No current or upcoming match"
        return values
    side = (match.side_of(team_id) if team_id else None) or Side.HOME
    other = Side.AWAY if side is Side.HOME else Side.HOME
    team, opponent = match.team(side), match.team(other)
    values.update(
        sport=CARD_SPORT[match.sport],
        league=match.competition,
        event_name=f"{_abbr(match.away.abbreviation, match.away.name)} @ "
        f"{_abbr(match.home.abbreviation, match.home.name)}",
        date=match.start.isoformat() if match.start else None,
        kickoff_in=_humanize(match.start, now) if match.start else None,
        venue=match.venue,
        quarter=_period_number(match),
        clock=match.clock or match.status_text,
    )
    finished = match.status is Status.FINISHED
    for who, mine, theirs, where in (
        ("team", team, opponent, side),
        ("opponent", opponent, team, other),
    ):
        values[f"{who}_id"] = mine.id
        values[f"{who}_name"] = mine.short_name or mine.name
        values[f"{who}_long_name"] = mine.name
        values[f"{who}_abbr"] = _abbr(mine.abbreviation, mine.name)
        values[f"{who}_logo"] = mine.logo
        values[f"{who}_colors"] = [mine.colour or _DEFAULT_COLOURS[who == "opponent"]] * 2
        values[f"{who}_score"] = None if mine.score is None else str(mine.score)
        values[f"{who}_homeaway"] = where.value
        if finished and mine.score is not None and theirs.score is not None:
            values[f"{who}_winner"] = mine.score > theirs.score
    if match.sport is Sport.TENNIS:
        _tennis(values, match, side)
    return values


def _abbr(abbreviation: str | None, name: str) -> str:
    return abbreviation or name[:3].upper()


def _period_number(match: Match) -> int | None:
    found = _NUMBER.search(match.period or "")
    return int(found.group()) if found else None


def _tennis(values: dict[str, Any], match: Match, side: Side) -> None:
    """Tennis: the score shown is the current set's games; sets won apart."""
    sets = [p for p in match.periods if p.name.lower().startswith("set ")]
    played = [p for p in sets if p.home is not None and p.home >= 0]
    mine, theirs = ("home", "away") if side is Side.HOME else ("away", "home")
    values["team_sets_won"] = match.team(side).score
    values["opponent_sets_won"] = match.team(Side.AWAY if side is Side.HOME else Side.HOME).score
    if played and match.status is not Status.FINISHED:
        current = played[-1]
        values["team_score"] = str(getattr(current, mine))
        values["opponent_score"] = str(getattr(current, theirs))
    values["last_play"] = "; ".join(
        f"{p.name}: {getattr(p, mine)}-{getattr(p, theirs)}" for p in played
    )


def _humanize(when: datetime, now: datetime) -> str:
    """'in 2 hours', '5 minutes ago': how the card shows kick-off."""
    seconds = (when - now).total_seconds()
    amount = abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if amount >= size:
            count = round(amount / size)
            text = f"{count} {unit}{'s' if count != 1 else ''}"
            break
    else:
        return "just now"
    return f"in {text}" if seconds > 0 else f"{text} ago"
