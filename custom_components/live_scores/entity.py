"""Base entity: one device per followed target."""

from typing import override

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription

from .const import DOMAIN, PROVIDER_NAMES
from .coordinator import LiveScoresCoordinator
from .feed.model import Match
from .target import Followed


class LiveScoresEntity(Entity):
    """An entity of a followed match, team or competition, as its description says."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self,
        coordinator: LiveScoresCoordinator,
        followed: Followed,
        subentry: ConfigSubentry,
        description: EntityDescription,
    ) -> None:
        self.coordinator = coordinator
        self.followed = followed
        self.entity_description = description
        self._attr_unique_id = f"{followed.subentry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, followed.subentry_id)},
            name=subentry.title,
            entry_type=DeviceEntryType.SERVICE,
            manufacturer=PROVIDER_NAMES.get(coordinator.client.provider, None),
            model=followed.kind.capitalize(),
        )

    @property
    @override
    def available(self) -> bool:
        """Available while the feed is connected."""
        return self.coordinator.connected

    @property
    def match(self) -> Match | None:
        """The match this entity shows now."""
        return self.coordinator.displayed(self.followed.subentry_id)

    @override
    async def async_added_to_hass(self) -> None:
        """Listen to the coordinator."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_listener(
                self.followed.subentry_id, self._handle_coordinator_update
            )
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        """What this target shows, or the feed's availability, changed."""
        self.async_write_ha_state()
