"""Sensors of a followed match or team: status, scores and a TeamTracker scoreboard.

One entity class; what each sensor shows is in its description (`SENSORS`).
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any, override

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntityDescription,
    SensorExtraStoredData,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .const import SUBENTRY_COMPETITION
from .coordinator import LiveScoresConfigEntry, LiveScoresCoordinator
from .entity import LiveScoresEntity
from .feed.model import Match, Side, Status
from .target import Followed
from .teamtracker import (
    ATTRIBUTE_KEYS,
    CARD_STATES,
    UNRECORDED_ATTRIBUTES,
    card_attributes,
    card_state,
)

# Push only: nothing to throttle.
PARALLEL_UPDATES = 0

STATUS_OPTIONS = [str(status) for status in Status if status is not Status.UNKNOWN]
# What the scoreboard tells the card while the feed is down (it keeps the last data).
API_MESSAGE_FEED_DOWN = "Live feed unavailable; showing the last known data"
# Attributes of the status sensor.
MATCH_ATTRIBUTES = (
    "match_id", "sport", "competition", "home", "away", "home_score", "away_score",
    "start", "clock", "minute", "period", "status_text", "venue",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TargetView:
    """What a sensor reads: the match its target shows now, and how to read it."""

    match: Match | None
    team_id: str | None  # the followed team's id in `match`; None: a match target (from home)
    connected: bool
    last_update: datetime | None  # when the shown match last changed
    restored: Mapping[str, Any]  # attributes restored after a restart (or empty)


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
        "home_score": match.home.score,
        "away_score": match.away.score,
        "start": match.start.isoformat() if match.start else None,
        "clock": match.clock,
        "minute": match.minute,
        "period": match.period,
        "status_text": match.status_text,
        "venue": match.venue,
    }


def _status(view: TargetView) -> str | None:
    """The match's status; unknown without a match or when the feed cannot say."""
    match = view.match
    return None if match is None or match.status is Status.UNKNOWN else str(match.status)


def _status_attributes(view: TargetView) -> dict[str, Any]:
    """Teams, scores, clock, competition, start time and match id."""
    return dict(view.restored) if view.match is None else match_attributes(view.match)


def _score(side: Side) -> Callable[[TargetView], StateType]:
    """One side's score; unknown before play starts."""
    return lambda view: None if view.match is None else view.match.team(side).score


def _scoreboard_attributes(view: TargetView) -> dict[str, Any]:
    """Every attribute the card reads; None where the feed does not say.

    While the feed is down the card keeps the last data and `api_message` says why.
    """
    if view.match is None and view.restored:
        values = dict(view.restored, api_message=None)
    else:
        values = card_attributes(
            view.match, view.team_id, now=dt_util.utcnow(), last_update=view.last_update
        )
    if not view.connected:
        values["api_message"] = API_MESSAGE_FEED_DOWN
    return values


def _one_of(states: Collection[str]) -> Callable[[Any], StateType]:
    return lambda value: value if value in states else None


def _whole_number(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) else None


SENSORS: tuple[LiveScoresSensorEntityDescription, ...] = (
    # Where the shown match stands, with the match in its attributes.
    LiveScoresSensorEntityDescription(
        key="status",
        translation_key="status",
        device_class=SensorDeviceClass.ENUM,
        options=STATUS_OPTIONS,
        value_fn=_status,
        attributes_fn=_status_attributes,
        restore_fn=_one_of(STATUS_OPTIONS),
        restored_attributes=MATCH_ATTRIBUTES,
        # Fast-changing; the scores have their own sensors.
        unrecorded_attributes=frozenset(
            {"clock", "minute", "period", "status_text", "home_score", "away_score"}
        ),
    ),
    *(
        LiveScoresSensorEntityDescription(
            key=f"{side}_score",
            translation_key=f"{side}_score",
            value_fn=_score(side),
            restore_fn=_whole_number,
        )
        for side in (Side.HOME, Side.AWAY)
    ),
    # The shown match in the contract of ha-teamtracker-card, from the followed team's
    # side. The state is the card's raw PRE / IN / POST / NOT_FOUND: no enum device class,
    # the card compares these exact strings. Available while the feed is down, as TeamTracker.
    LiveScoresSensorEntityDescription(
        key="scoreboard",
        translation_key="scoreboard",
        value_fn=lambda view: card_state(view.match),
        attributes_fn=_scoreboard_attributes,
        restore_fn=_one_of(CARD_STATES),
        restored_attributes=ATTRIBUTE_KEYS,
        available_fn=lambda _coordinator: True,
        # The scores change with every point in some sports; they have their own sensors.
        unrecorded_attributes=UNRECORDED_ATTRIBUTES | {"team_score", "opponent_score"},
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LiveScoresConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for each followed match or team, now and when one is added."""
    coordinator = entry.runtime_data

    @callback
    def add(followed: Followed, subentry: ConfigSubentry) -> None:
        if followed.kind == SUBENTRY_COMPETITION:
            return
        async_add_entities(
            [LiveScoresSensor(coordinator, followed, subentry, d) for d in SENSORS],
            config_subentry_id=subentry.subentry_id,
        )

    entry.async_on_unload(coordinator.async_add_subentry_adder(add))


@dataclass
class AttributesStoredData(SensorExtraStoredData):
    """What a sensor with attributes restores after a restart: state and attributes."""

    attributes: dict[str, Any]

    @override
    def as_dict(self) -> dict[str, Any]:
        """A dict to store."""
        return {**super().as_dict(), "attributes": self.attributes}


class LiveScoresSensor(LiveScoresEntity, RestoreSensor):
    """A sensor of the match a followed target shows."""

    entity_description: LiveScoresSensorEntityDescription
    # Home Assistant reads these per class, so the class excludes them all; no
    # sensor has an attribute that another one keeps out (a test checks).
    _unrecorded_attributes = frozenset().union(*(d.unrecorded_attributes for d in SENSORS))

    def __init__(
        self,
        coordinator: LiveScoresCoordinator,
        followed: Followed,
        subentry: ConfigSubentry,
        description: LiveScoresSensorEntityDescription,
    ) -> None:
        super().__init__(coordinator, followed, subentry, description)
        self._last_match: Match | None = None
        self._last_update: datetime | None = None
        self._restored_value: StateType = None
        self._restored_attributes: dict[str, Any] = {}

    @override
    async def async_added_to_hass(self) -> None:
        """Restore the last state until the feed sends the match.

        From the extra data, not the state: the state is `unavailable` when the
        feed was down at shutdown.
        """
        await super().async_added_to_hass()
        self._last_match = self.match
        if (extra := await self.async_get_last_extra_data()) is None:
            return
        data = extra.as_dict()
        description = self.entity_description
        self._restored_value = description.restore_fn(data.get("native_value"))
        attributes = data.get("attributes")
        if (keys := description.restored_attributes) and isinstance(attributes, dict):
            self._restored_attributes = {key: attributes.get(key) for key in keys}
            self._last_update = dt_util.parse_datetime(str(attributes.get("last_update") or ""))

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Note when the shown match last changed, then write the state."""
        if (match := self.match) != self._last_match:
            self._last_match = match
            self._last_update = dt_util.utcnow()
        super()._handle_coordinator_update()

    def _view(self) -> TargetView:
        match = self.match
        return TargetView(
            match=match,
            team_id=None if match is None else self.followed.team_in(match),
            connected=self.coordinator.connected,
            last_update=self._last_update,
            restored=self._restored_attributes,
        )

    @property
    @override
    def available(self) -> bool:
        """As the description says: while the feed is connected, or always."""
        return self.entity_description.available_fn(self.coordinator)

    @property
    @override
    def native_value(self) -> StateType:
        """The state the description reads from the match, else the restored one."""
        view = self._view()
        if view.match is None and self._restored_value is not None:
            return self._restored_value
        return self.entity_description.value_fn(view)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The attributes the description reads from the match."""
        if (attributes_fn := self.entity_description.attributes_fn) is None:
            return None
        return attributes_fn(self._view())

    @property
    @override
    def extra_restore_state_data(self) -> SensorExtraStoredData:
        """The state, and the attributes where the sensor has some, whatever the availability."""
        if (attributes := self.extra_state_attributes) is None:
            return super().extra_restore_state_data
        return AttributesStoredData(self.native_value, None, attributes)
