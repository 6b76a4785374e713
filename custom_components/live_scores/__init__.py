"""Live Scores: live sports matches as entities and events."""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.storage import Store
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN, STORAGE_KEY, STORAGE_VERSION
from .coordinator import LiveScoresConfigEntry, LiveScoresCoordinator
from .services import async_setup_services

PLATFORMS: list[Platform] = [Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, whether or not an entry is loaded."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: LiveScoresConfigEntry) -> bool:
    """Set up Live Scores from a config entry."""
    coordinator = LiveScoresCoordinator(hass, entry, async_get_clientsession(hass))
    await coordinator.async_setup()
    entry.runtime_data = coordinator
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    # Not listen_once: removing a fired one-time listener at unload logs an error.
    entry.async_on_unload(
        hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, coordinator.async_on_stop)
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await coordinator.async_start()
    return True


async def _async_update_listener(hass: HomeAssistant, entry: LiveScoresConfigEntry) -> None:
    """Follow subentry changes in place; reload when the account itself changed."""
    coordinator = entry.runtime_data
    if dict(entry.data) != coordinator.entry_data:
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    coordinator.async_sync_subentries()


async def async_unload_entry(hass: HomeAssistant, entry: LiveScoresConfigEntry) -> bool:
    """Unload a config entry."""
    if unload_ok := await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        await entry.runtime_data.async_shutdown()
    return unload_ok


async def async_remove_entry(hass: HomeAssistant, entry: LiveScoresConfigEntry) -> None:
    """Forget the tracker state of a removed entry."""
    await Store[dict[str, object]](
        hass, STORAGE_VERSION, STORAGE_KEY.format(entry_id=entry.entry_id)
    ).async_remove()
