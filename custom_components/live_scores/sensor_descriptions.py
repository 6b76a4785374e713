"""What each sensor of a followed target shows: its description and how it reads a view.

A match target has status, home score, away score and scoreboard sensors; a team
target has team score and opponent score sensors instead of home and away (the
team plays home one week and away the next).
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass, SensorEntityDescription
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .coordinator import LiveScoresCoordinator
from .feed.model import Match, Side, Sport, Status
from .teamtracker import (
    ATTRIBUTE_KEYS,
    CARD_STATES,
    UNRECORDED_ATTRIBUTES,
    card_attributes,
    card_state,
    card_time,
    not_found_message,
)

# The time `_card_shown` reads the card at (what depends on the time is the same then).
_SHOWN_AT = datetime(2000, 1, 1, tzinfo=UTC)
STATUS_OPTIONS = [str(status) for status in Status if status is not Status.UNKNOWN]
# Attributes of the status sensor: what the match is and the phase it is in. Not the
# scores (they have their own sensors) nor the clock (the scoreboard's `clock`): every
# change of a state or of its attributes is a row in the recorder, and the status
# sensor changes only when the match moves on to another phase.
MATCH_ATTRIBUTES = (
    "match_id", "sport", "competition", "home", "away", "start", "period", "status_text",
    "venue",
)  # fmt: skip


def feed_down_message(since: datetime) -> str:
    """What the scoreboard tells the card while the feed is down (it keeps the last data).

    It ends in a time, as the card wants of any `api_message` it shows.
    """
    return f"Live feed unavailable; showing the data of {card_time(since)}"


@dataclass(frozen=True, slots=True)
class TargetView:
    """What a sensor reads: the match its target shows now, and how to read it."""

    match: Match | None
    team_id: str | None  # the followed team's id in `match`; None: a match target (from home)
    connected: bool
    last_update: datetime | None  # when the displayed match last changed
    restored: Mapping[str, Any]  # attributes restored after a restart (or empty)
    name: str | None = None  # the followed team's name (for a team target)
    sport: Sport | None = None  # the followed target's sport, where known
    last_score: str | None = None  # the last rise of the score seen ("BOS +3")


@dataclass(frozen=True, kw_only=True)
class LiveScoresSensorEntityDescription(SensorEntityDescription):
    """A sensor of a followed target.

    Until the feed sends the target's match, the sensor shows the state it
    restored after a restart, if any; `attributes_fn` decides about the attributes.
    """

    value_fn: Callable[[TargetView], StateType]
    attributes_fn: Callable[[TargetView], dict[str, Any]] | None = None
    # A stored state as this sensor restores it; None for one it cannot have.
    restore_fn: Callable[[Any], StateType]
    # The attributes restored after a restart (with `attributes_fn` only).
    restored_attributes: tuple[str, ...] = ()
    # What of the match, if it changes, is a change for `last_update` (None: any change).
    shown_fn: Callable[[TargetView], object] | None = None
    available_fn: Callable[[LiveScoresCoordinator], bool] = attrgetter("connected")
    # Attributes kept out of the recorder.
    unrecorded_attributes: frozenset[str] = frozenset()


def match_attributes(match: Match) -> dict[str, Any]:
    """The status sensor's attributes for a match."""
    return {
        "match_id": match.id,
        "sport": str(match.sport),
        "competition": match.competition,
        "home": match.home.name,
        "away": match.away.name,
        "start": match.start.isoformat() if match.start else None,
        "period": match.period,
        "status_text": match.status_text,
        "venue": match.venue,
    }


def _status(view: TargetView) -> str | None:
    """The match's status; unknown without a match or when the feed cannot say."""
    match = view.match
    return None if match is None or match.status is Status.UNKNOWN else str(match.status)


def _status_attributes(view: TargetView) -> dict[str, Any]:
    """Teams, competition, start time, phase and match id."""
    return dict(view.restored) if view.match is None else match_attributes(view.match)


def _score(side: Side) -> Callable[[TargetView], StateType]:
    """One side's score; unknown before play starts."""
    return lambda view: None if view.match is None else view.match.team(side).score


def _team_score(opponent: bool) -> Callable[[TargetView], StateType]:
    """The followed team's score (or its opponent's), wherever it plays."""

    def value(view: TargetView) -> StateType:
        match = view.match
        if match is None or view.team_id is None or (side := match.side_of(view.team_id)) is None:
            return None
        if opponent:
            side = Side.AWAY if side is Side.HOME else Side.HOME
        return match.team(side).score

    return value


def _scoreboard_attributes(view: TargetView) -> dict[str, Any]:
    """Every attribute the card reads; None where the card shows nothing for it.

    While the feed is down the card keeps the last data and `api_message` says why.
    """
    now = dt_util.utcnow()
    if view.match is None and view.restored:
        values = dict(view.restored, api_message=not_found_message(now))
    else:
        values = card_attributes(
            view.match,
            view.team_id,
            now=now,
            last_update=view.last_update,
            followed_name=view.name,
            sport=view.sport,
            last_score=view.last_score,
        )
    if not view.connected:
        values["api_message"] = feed_down_message(view.last_update or now)
    return values


def _card_shown(view: TargetView) -> dict[str, Any]:
    """What the card shows of the match, whatever the time it is read at."""
    return card_attributes(
        view.match,
        view.team_id,
        now=_SHOWN_AT,
        last_update=None,
        followed_name=view.name,
        sport=view.sport,
        last_score=view.last_score,
    )


def _one_of(states: Collection[str]) -> Callable[[Any], StateType]:
    return lambda value: value if value in states else None


def _whole_number(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) else None


# Where the displayed match stands, with the match in its attributes.
STATUS = LiveScoresSensorEntityDescription(
    key="status",
    translation_key="status",
    device_class=SensorDeviceClass.ENUM,
    options=STATUS_OPTIONS,
    value_fn=_status,
    attributes_fn=_status_attributes,
    restore_fn=_one_of(STATUS_OPTIONS),
    restored_attributes=MATCH_ATTRIBUTES,
)

# The displayed match in the contract of ha-teamtracker-card, from the followed team's side.
# The state is the card's raw PRE / IN / POST / NOT_FOUND (the card compares these exact
# strings), an enum translated for the UI. Available while the feed is down, as TeamTracker.
SCOREBOARD = LiveScoresSensorEntityDescription(
    key="scoreboard",
    translation_key="scoreboard",
    device_class=SensorDeviceClass.ENUM,
    options=list(CARD_STATES),
    value_fn=lambda view: card_state(view.match),
    attributes_fn=_scoreboard_attributes,
    restore_fn=_one_of(CARD_STATES),
    restored_attributes=ATTRIBUTE_KEYS,
    # `last_update` moves when what the card shows changes, not with every feed update.
    shown_fn=_card_shown,
    available_fn=lambda _coordinator: True,
    # The scores change with every point in some sports; they have their own sensors.
    unrecorded_attributes=UNRECORDED_ATTRIBUTES | {"team_score", "opponent_score"},
)


def _score_sensor(
    key: str, value_fn: Callable[[TargetView], StateType]
) -> LiveScoresSensorEntityDescription:
    return LiveScoresSensorEntityDescription(
        key=key, translation_key=key, value_fn=value_fn, restore_fn=_whole_number
    )


MATCH_SENSORS: tuple[LiveScoresSensorEntityDescription, ...] = (
    STATUS,
    *(_score_sensor(f"{side}_score", _score(side)) for side in (Side.HOME, Side.AWAY)),
    SCOREBOARD,
)
TEAM_SENSORS: tuple[LiveScoresSensorEntityDescription, ...] = (
    STATUS,
    _score_sensor("team_score", _team_score(opponent=False)),
    _score_sensor("opponent_score", _team_score(opponent=True)),
    SCOREBOARD,
)
SENSORS = (*MATCH_SENSORS, *TEAM_SENSORS[1:3])
# A team target's sensors that were home and away scores before 1.3 (their unique ids move).
TEAM_SCORE_RENAMES = {"home_score": "team_score", "away_score": "opponent_score"}
