"""Event entity of a followed target: goals and other match moments."""

import dataclasses
from typing import override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import LiveScoresConfigEntry
from .entity import LiveScoresEntity
from .feed.model import EventType, MatchEvent, Sport
from .payload import entity_attributes
from .target import Followed

# Push only: nothing to throttle.
PARALLEL_UPDATES = 0

# Every followed target (match, team, competition) has one; its icons are its sport's
# (a neutral one while the sport is not known).
MATCH_EVENT = EventEntityDescription(
    key="event",
    translation_key="match_event",
    event_types=[str(event_type) for event_type in EventType],
)
SPORT_EVENTS = {
    sport: dataclasses.replace(
        MATCH_EVENT, translation_key=f"match_event_{sport.replace('-', '_')}"
    )
    for sport in Sport
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LiveScoresConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an event entity for each followed target, now and when one is added."""
    coordinator = entry.runtime_data

    @callback
    def add(followed: Followed, subentry: ConfigSubentry) -> None:
        async_add_entities(
            [
                MatchEventEntity(
                    coordinator,
                    followed,
                    subentry,
                    SPORT_EVENTS[followed.sport] if followed.sport else MATCH_EVENT,
                )
            ],
            config_subentry_id=subentry.subentry_id,
        )

    entry.async_on_unload(coordinator.async_add_subentry_adder(add))


class MatchEventEntity(LiveScoresEntity, EventEntity):
    """Fires on each goal, card, kick-off, break and final whistle."""

    entity_description: EventEntityDescription
    # What changes with every event stays out of the recorder (the score sensors have
    # the scores); the type, side, team, scorer and kind are recorded.
    _unrecorded_attributes = frozenset({"home_score", "away_score", "minute"})
    # The availability last written (match changes do not touch this entity).
    _written_available: bool | None = None

    @override
    async def async_added_to_hass(self) -> None:
        """Listen to the followed target's events."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_event_listener(self.followed.subentry_id, self._handle)
        )

    @callback
    def _handle(self, event: MatchEvent, test: bool) -> None:
        self._trigger_event(str(event.type), entity_attributes(event, test=test))
        self._written_available = self.available
        self.async_write_ha_state()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Written when availability changed only: the state is the last event, not the match."""
        if (available := self.available) != self._written_available:
            self._written_available = available
            self.async_write_ha_state()
