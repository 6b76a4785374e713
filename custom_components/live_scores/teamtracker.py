"""The attribute contract of ha-teamtracker-card, built from our match model.

The card reads a sensor whose state is PRE / IN / POST / BYE / NOT_FOUND and a
fixed set of attributes (those of the TeamTracker integration). We honour the
whole set: every key is always present, so the card works unchanged. `BYE` is
never used: neither feed reports byes.

The card turns some attributes into text with JavaScript's `String()` or `+`
(a None prints "null") or fills them into its phrases (an empty one leaves "%s"),
per sport and state. Those are always filled here, as TeamTracker does (0 for a
statistic the feed does not have): `tests/card_contract.py` lists them, read from
the card's source, and `tests/test_card_text.py` checks every sport and state.
"""

from datetime import UTC, datetime
import re
from typing import Any

from .feed.model import Match, PeriodScore, Side, Sport, Status
from .teamtracker_plays import abbr, last_play, sets, side_value

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
# Sports the card scores by sets: the score shown is the current set's, sets won apart.
SET_SPORTS = frozenset({Sport.TENNIS, Sport.VOLLEYBALL})

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
# What the card's clock line says when the feed gives no text for the status (else the
# status itself: "Live", "Postponed"…).
_STATUS_TEXT = {Status.FINISHED: "Final", Status.UNKNOWN: "Scheduled"}

# Colours for a side without one, and for one too light to see on a light card (the
# card draws its bars and sets-won dots in the team colour).
_DEFAULT_COLOURS = ("#4A6FA5", "#8C4A4A")
_LIGHT = 0.85

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

# Attributes that change within a match, kept out of the recorder (the scores too,
# sensor_descriptions.py; they have their own sensors): the clock and what moves with
# it, the statistics, the sets won (tennis' and volleyball's score), and `api_message`
# (it tells the time, and changes as the feed comes and goes).
UNRECORDED_ATTRIBUTES = frozenset(
    {
        "clock", "kickoff_in", "last_update", "last_play", "quarter", "possession",
        "team_shots_on_target", "opponent_shots_on_target", "team_total_shots",
        "opponent_total_shots", "team_sets_won", "opponent_sets_won", "api_message",
    }
)  # fmt: skip

_NUMBER = re.compile(r"\d+")


def card_state(match: Match | None) -> str:
    """The card's state for a match (NOT_FOUND when there is none)."""
    if match is None:
        return STATE_NOT_FOUND
    return _STATE[match.status]


def card_time(when: datetime) -> str:
    """A UTC time as the card reads it at the end of `api_message` (`2026-12-09T00:00Z`)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def not_found_message(now: datetime) -> str:
    """`api_message` without a match: the card shows "No upcoming games through <date>"."""
    return f"No current or upcoming match in the feed as of {card_time(now)}"


def card_attributes(
    match: Match | None,
    team_id: str | None,
    *,
    now: datetime,
    last_update: datetime | None,
    api_message: str | None = None,
    followed_name: str | None = None,
    sport: Sport | None = None,
    last_score: str | None = None,
) -> dict[str, Any]:
    """Every attribute the card reads, seen from `team_id`'s side (home if None).

    Without a match, `followed_name` and `sport` (the followed target's) fill what
    the card's NOT_FOUND view shows. `last_score` is the last rise of the score seen
    (`last_score_text`), shown where the feed names no scorer.
    """
    values: dict[str, Any] = dict.fromkeys(ATTRIBUTE_KEYS)
    values["last_update"] = last_update.isoformat() if last_update else None
    values["api_message"] = api_message
    if match is None:
        values["api_message"] = api_message or not_found_message(now)
        values["sport"] = CARD_SPORT[sport] if sport else None
        if followed_name:
            values["team_name"] = values["team_long_name"] = followed_name
            values["team_abbr"] = abbr(None, followed_name)
        else:
            values["team_abbr"] = "—"
        return values
    side = (match.side_of(team_id) if team_id else None) or Side.HOME
    other = Side.AWAY if side is Side.HOME else Side.HOME
    team, opponent = match.team(side), match.team(other)
    values.update(
        sport=CARD_SPORT[match.sport],
        league=match.competition,
        event_name=f"{abbr(match.away.abbreviation, match.away.name)} @ "
        f"{abbr(match.home.abbreviation, match.home.name)}",
        date=(match.start or last_update or now).isoformat(),
        kickoff_in=_humanize(match.start, now) if match.start else None,
        venue=match.venue,
        quarter=_period_number(match),
        clock=match.clock
        or match.status_text
        or _STATUS_TEXT.get(match.status, match.status.value.capitalize()),
        down_distance_text=match.round,
    )
    penalties = _period(match, "penalties")
    winners = _winners(match, penalties)
    for who, mine, where in (("team", team, side), ("opponent", opponent, other)):
        values[f"{who}_id"] = mine.id
        values[f"{who}_name"] = mine.short_name or mine.name
        values[f"{who}_long_name"] = mine.name
        values[f"{who}_abbr"] = abbr(mine.abbreviation, mine.name)
        values[f"{who}_logo"] = mine.logo
        values[f"{who}_colors"] = [_colour(mine.colour, who == "opponent")] * 2
        values[f"{who}_score"] = _score(mine.score, penalties, where)
        values[f"{who}_homeaway"] = where.value
        values[f"{who}_winner"] = winners.get(where)
        # 0 where the feed has no statistics, as TeamTracker does.
        values[f"{who}_shots_on_target"] = mine.shots_on_target or 0
        values[f"{who}_total_shots"] = mine.total_shots or 0
    values["last_play"] = last_play(match, side, penalties, last_score)
    if match.sport is Sport.BASEBALL:
        values.update(outs=0, balls=0, strikes=0)
    if match.sport in SET_SPORTS:
        sets(values, match, side)
    return values


def _colour(colour: str | None, opponent: bool) -> str:
    """The team's colour, unless it is missing or too light to show on a light card."""
    if colour and re.fullmatch(r"#?[0-9A-Fa-f]{6}", colour):
        red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
        if (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255 < _LIGHT:
            return colour if colour.startswith("#") else f"#{colour}"
    return _DEFAULT_COLOURS[opponent]


def _period_number(match: Match) -> int | None:
    found = _NUMBER.search(match.period or "")
    return int(found.group()) if found else None


def _period(match: Match, name: str) -> PeriodScore | None:
    return next((p for p in match.periods if p.name.lower() == name), None)


def _score(score: int | None, penalties: PeriodScore | None, side: Side) -> str | None:
    """The score as text; a shoot-out's goals in brackets after it (`2 (4)`)."""
    if score is None:
        return None
    if penalties is not None and (kicks := side_value(penalties, side)) is not None:
        return f"{score} ({kicks})"
    return str(score)


def _winners(match: Match, penalties: PeriodScore | None) -> dict[Side, bool]:
    """Who won a finished match: as the feed says, else the score, else the shoot-out."""
    if match.status is not Status.FINISHED:
        return {}
    if match.home.winner or match.away.winner:
        return {Side.HOME: bool(match.home.winner), Side.AWAY: bool(match.away.winner)}
    home, away = match.home.score, match.away.score
    if home is not None and away is not None and home == away and penalties is not None:
        home, away = penalties.home, penalties.away
    if home is None or away is None or home == away:
        return {}
    return {Side.HOME: home > away, Side.AWAY: away > home}


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
