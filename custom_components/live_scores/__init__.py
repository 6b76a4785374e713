"""Live Scores: live sports matches as entities and events."""

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .account import key_unique_id, names_account, unique_id
from .const import DOMAIN, LOGGER
from .coordinator import LiveScoresConfigEntry, LiveScoresCoordinator
from .persistence import state_store
from .services import async_setup_services

PLATFORMS: list[Platform] = [Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, whether or not an entry is loaded."""
    async_setup_services(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: LiveScoresConfigEntry) -> bool:
    """Move entries to newer formats, offline (nothing here may need the service).

    1.1 -> 1.2: the unique id was a hash of the key (or an undocumented account
    id); it becomes the key-hash form of account.py, and the entry adopts its
    account's identity at its next successful setup (`_async_adopt_account`).
    Subentries, devices and entities belong to the entry id, which stays.
    """
    if entry.version == 1 and entry.minor_version < 2:
        new_id = key_unique_id(entry.data)
        taken = hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, new_id)
        hass.config_entries.async_update_entry(
            entry,
            unique_id=new_id if taken is None or taken.entry_id == entry.entry_id else None,
            minor_version=2,
        )
        LOGGER.debug("Migrated entry %s to version 1.2", entry.entry_id)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: LiveScoresConfigEntry) -> bool:
    """Set up Live Scores from a config entry."""
    coordinator = LiveScoresCoordinator(hass, entry, async_get_clientsession(hass))
    await coordinator.async_setup()
    _async_adopt_account(hass, entry, coordinator)
    entry.runtime_data = coordinator
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    # Not listen_once: removing a fired one-time listener at unload logs an error.
    entry.async_on_unload(
        hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, coordinator.async_on_stop)
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await coordinator.async_start()
    return True


def _async_adopt_account(
    hass: HomeAssistant, entry: LiveScoresConfigEntry, coordinator: LiveScoresCoordinator
) -> None:
    """An entry known only by its key takes the account's identity once validated.

    Not when another entry already is that account (the same account set up
    twice with two keys before 1.2): both keep working, and the log says so.
    """
    if names_account(entry.unique_id):
        return
    new_id = unique_id(entry.data, coordinator.account)
    if new_id == entry.unique_id:
        return
    other = hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, new_id)
    if other is not None and other.entry_id != entry.entry_id:
        if names_account(new_id):
            LOGGER.warning(
                "Entries %s and %s are the same account; remove one of them",
                entry.title,
                other.title,
            )
        return
    # Before the update listener exists: a unique id change needs no reload anyway.
    hass.config_entries.async_update_entry(entry, unique_id=new_id)


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
    await state_store(hass, entry.entry_id).async_remove()
