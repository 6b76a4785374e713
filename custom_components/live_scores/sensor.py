"""Sensors of a followed match or team: status and scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorExtraStoredData,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import SUBENTRY_COMPETITION
from .coordinator import LiveScoresConfigEntry, LiveScoresCoordinator
from .entity import LiveScoresEntity
from .feed.model import Match, Side, Status
from .target import Followed

# Push only: nothing to throttle.
PARALLEL_UPDATES = 0

STATUS_OPTIONS = [str(status) for status in Status if status is not Status.UNKNOWN]
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
            ],
            config_subentry_id=subentry.subentry_id,
        )

    entry.async_on_unload(coordinator.async_add_subentry_adder(add))


@dataclass
class StatusExtraStoredData(SensorExtraStoredData):
    """What the status sensor restores after a restart."""

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
