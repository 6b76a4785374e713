"""Sensors of a followed match or team: status, scores and a TeamTracker scoreboard.

One entity class; what each sensor shows is in its description (sensor_descriptions.py).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, override

from homeassistant.components.sensor import RestoreSensor, SensorExtraStoredData
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, SUBENTRY_TEAM
from .coordinator import LiveScoresConfigEntry, LiveScoresCoordinator
from .entity import LiveScoresEntity
from .feed.model import Match
from .sensor_descriptions import (
    MATCH_ATTRIBUTES,
    MATCH_SENSORS,
    SENSORS,
    TEAM_SCORE_RENAMES,
    TEAM_SENSORS,
    LiveScoresSensorEntityDescription,
    TargetView,
)
from .target import Followed
from .teamtracker_plays import last_score_text

__all__ = ["MATCH_ATTRIBUTES", "SENSORS"]

# Push only: nothing to throttle.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LiveScoresConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for each followed match or team, now and when one is added."""
    coordinator = entry.runtime_data

    registry = er.async_get(hass)

    @callback
    def add(followed: Followed, subentry: ConfigSubentry) -> None:
        # A match or a competition (its current, next or last match): home and away.
        descriptions = MATCH_SENSORS
        if followed.kind == SUBENTRY_TEAM:
            descriptions = TEAM_SENSORS
            _migrate_team_scores(registry, followed.subentry_id)
        async_add_entities(
            [LiveScoresSensor(coordinator, followed, subentry, d) for d in descriptions],
            config_subentry_id=subentry.subentry_id,
        )

    entry.async_on_unload(coordinator.async_add_subentry_adder(add))


@callback
def _migrate_team_scores(registry: er.EntityRegistry, subentry_id: str) -> None:
    """A team's home and away score sensors (before 1.3) become team and opponent score.

    Same entities (entity ids, history, customisations kept), new unique ids.
    """
    for old, new in TEAM_SCORE_RENAMES.items():
        entity_id = registry.async_get_entity_id("sensor", DOMAIN, f"{subentry_id}_{old}")
        if entity_id is None:
            continue
        if registry.async_get_entity_id("sensor", DOMAIN, f"{subentry_id}_{new}"):
            registry.async_remove(entity_id)  # both exist: the old one is an orphan
            continue
        registry.async_update_entity(entity_id, new_unique_id=f"{subentry_id}_{new}")
        LOGGER.debug("Sensor %s now shows the %s", entity_id, new.replace("_", " "))


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
        # What the sensor showed of `_last_match` (its `shown_fn`), and when that last changed.
        self._last_shown: object = None
        self._last_update: datetime | None = None
        self._restored_value: StateType = None
        self._restored_attributes: dict[str, Any] = {}
        self._last_score: str | None = None
        # What the card names the target by while it has no match: the team, else the title.
        self._name = followed.name or subentry.title

    @override
    async def async_added_to_hass(self) -> None:
        """Restore the last state until the feed sends the match.

        From the extra data, not the state: the state is `unavailable` when the
        feed was down at shutdown.
        """
        await super().async_added_to_hass()
        if (match := self.match) is not None:
            self._last_match = match
            if (shown_fn := self.entity_description.shown_fn) is not None:
                self._last_shown = shown_fn(self._view())
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
        """Note when what the sensor shows of the match last changed, then write the state.

        A change of the match that the sensor does not show (a tennis point, for
        the scoreboard) leaves `last_update`, and so the state, as it was.
        """
        if (match := self.match) != self._last_match:
            if match is not None and (rise := last_score_text(self._last_match, match)):
                self._last_score = rise
            elif match is None or self._last_match is None or match.id != self._last_match.id:
                self._last_score = None
            self._last_match = match
            if (shown_fn := self.entity_description.shown_fn) is None:
                self._last_update = dt_util.utcnow()
            elif (shown := shown_fn(self._view())) != self._last_shown:
                self._last_shown = shown
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
            name=self._name,
            sport=self.followed.sport,
            last_score=self._last_score,
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
