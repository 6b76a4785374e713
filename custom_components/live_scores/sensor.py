"""Sensors of a followed match or team: status, scores and a TeamTracker scoreboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorExtraStoredData,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
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
            [
                StatusSensor(coordinator, followed, subentry),
                ScoreSensor(coordinator, followed, subentry, Side.HOME),
                ScoreSensor(coordinator, followed, subentry, Side.AWAY),
                ScoreboardSensor(coordinator, followed, subentry),
            ],
            config_subentry_id=subentry.subentry_id,
        )

    entry.async_on_unload(coordinator.async_add_subentry_adder(add))


@dataclass
class StatusExtraStoredData(SensorExtraStoredData):
    """What the status and scoreboard sensors restore after a restart."""

    attributes: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """A dict to store."""
        return {**super().as_dict(), "attributes": self.attributes}


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


class StatusSensor(LiveScoresEntity, RestoreSensor):
    """Where the shown match stands, with the match in its attributes."""

    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = STATUS_OPTIONS
    _attr_translation_key = "status"
    # Fast-changing; the scores have their own sensors.
    _unrecorded_attributes = frozenset(
        {"clock", "minute", "period", "status_text", "home_score", "away_score"}
    )

    def __init__(
        self, coordinator: LiveScoresCoordinator, followed: Followed, subentry: ConfigSubentry
    ) -> None:
        super().__init__(coordinator, followed, subentry, "status")
        self._restored_value: str | None = None
        self._restored_attributes: dict[str, Any] = {}

    async def async_added_to_hass(self) -> None:
        """Restore the last state until the feed sends the match.

        From the extra data, not the state: the state is `unavailable` when the
        feed was down at shutdown.
        """
        await super().async_added_to_hass()
        if (extra := await self.async_get_last_extra_data()) is None:
            return
        data = extra.as_dict()
        value = data.get("native_value")
        self._restored_value = value if value in STATUS_OPTIONS else None
        if isinstance(attributes := data.get("attributes"), dict):
            self._restored_attributes = {key: attributes.get(key) for key in MATCH_ATTRIBUTES}

    @property
    def extra_restore_state_data(self) -> StatusExtraStoredData:
        """The status and the match attributes, whatever the availability."""
        return StatusExtraStoredData(self.native_value, None, self.extra_state_attributes)

    @property
    def native_value(self) -> str | None:
        """The match's status."""
        if (match := self.match) is None:
            return self._restored_value
        return None if match.status is Status.UNKNOWN else str(match.status)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Teams, scores, clock, competition, start time and match id."""
        if (match := self.match) is None:
            return self._restored_attributes
        return match_attributes(match)


class ScoreSensor(LiveScoresEntity, RestoreSensor):
    """One side's score in the shown match."""

    def __init__(
        self,
        coordinator: LiveScoresCoordinator,
        followed: Followed,
        subentry: ConfigSubentry,
        side: Side,
    ) -> None:
        super().__init__(coordinator, followed, subentry, f"{side}_score")
        self._side = side
        self._attr_translation_key = f"{side}_score"
        self._restored: int | None = None

    async def async_added_to_hass(self) -> None:
        """Restore the last score until the feed sends the match."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_sensor_data()) is not None and isinstance(
            last.native_value, (int, float)
        ):
            self._restored = int(last.native_value)

    @property
    def native_value(self) -> int | None:
        """The score; unknown before play starts."""
        if (match := self.match) is None:
            return self._restored
        return match.team(self._side).score


class ScoreboardSensor(LiveScoresEntity, RestoreSensor):
    """The shown match in the attribute contract of ha-teamtracker-card.

    The state is the card's raw PRE / IN / POST / NOT_FOUND (no enum device
    class: the card compares these exact strings, which translations cannot
    rename). Seen from the followed team's side; from home for a match target.
    Stays available while the feed is down, as TeamTracker does: the card keeps
    the last data and `api_message` says why it is stale.
    """

    _attr_translation_key = "scoreboard"
    # The scores change with every point in some sports; they have their own sensors.
    _unrecorded_attributes = UNRECORDED_ATTRIBUTES | {"team_score", "opponent_score"}

    def __init__(
        self, coordinator: LiveScoresCoordinator, followed: Followed, subentry: ConfigSubentry
    ) -> None:
        super().__init__(coordinator, followed, subentry, "scoreboard")
        self._shown: Match | None = None
        self._last_update: datetime | None = None
        self._restored_value: str | None = None
        self._restored_attributes: dict[str, Any] = {}

    async def async_added_to_hass(self) -> None:
        """Restore the last scoreboard until the feed sends the match."""
        await super().async_added_to_hass()
        self._shown = self.match
        if (extra := await self.async_get_last_extra_data()) is None:
            return
        data = extra.as_dict()
        value = data.get("native_value")
        self._restored_value = value if value in CARD_STATES else None
        if isinstance(attributes := data.get("attributes"), dict):
            self._restored_attributes = {key: attributes.get(key) for key in ATTRIBUTE_KEYS}
            self._last_update = dt_util.parse_datetime(str(attributes.get("last_update") or ""))

    @callback
    def _handle_coordinator_update(self) -> None:
        """Note when the shown match last changed, then write the state."""
        if (match := self.match) != self._shown:
            self._shown = match
            self._last_update = dt_util.utcnow()
        super()._handle_coordinator_update()

    @property
    def available(self) -> bool:
        """Always: the card shows the last data and `api_message` when the feed is down."""
        return True

    @property
    def extra_restore_state_data(self) -> StatusExtraStoredData:
        """The card state and attributes."""
        return StatusExtraStoredData(self.native_value, None, self.extra_state_attributes)

    @property
    def native_value(self) -> str:
        """PRE, IN, POST, or NOT_FOUND when there is no match to show."""
        if (match := self.match) is None and self._restored_value is not None:
            return self._restored_value
        return card_state(match)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Every attribute the card reads; None where the feed does not say."""
        match = self.match
        if match is None and self._restored_attributes:
            values = dict(self._restored_attributes, api_message=None)
        else:
            team_id = None if match is None else self.followed.team_in(match)
            values = card_attributes(
                match, team_id, now=dt_util.utcnow(), last_update=self._last_update
            )
        if not self.coordinator.connected:
            values["api_message"] = API_MESSAGE_FEED_DOWN
        return values
