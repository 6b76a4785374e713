"""Persistence: the tracker's state on disk, so that no goal fires twice across a restart.

The state is restored before the feed starts, written at most `SAVE_DELAY`
seconds after any change however busy the feed (crash-safe: a power cut loses
at most that much), and written at unload and at stop.
"""

from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store

from .const import SAVE_DELAY, STORAGE_KEY, STORAGE_VERSION
from .feed.api import FeedClient

type StateStore = Store[dict[str, Any]]


def state_store(hass: HomeAssistant, entry_id: str) -> StateStore:
    """The store of one entry's tracker state."""
    return Store(hass, STORAGE_VERSION, STORAGE_KEY.format(entry_id=entry_id))


class TrackerPersistence:
    """Restore, and keep on disk, the tracker state of one entry's feed client."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, client: FeedClient) -> None:
        self._hass = hass
        self._entry = entry
        self._client = client
        self.store: StateStore = state_store(hass, entry.entry_id)
        # The armed write of the tracker's state (see `schedule_save`).
        self.pending: CALLBACK_TYPE | None = None
        self._stopped = False

    async def async_restore(self) -> None:
        """Give the client the state saved last, if any (before it runs)."""
        if data := await self.store.async_load():
            self._client.restore_tracker_state(data)

    @callback
    def schedule_save(self) -> None:
        """Have the tracker's state on disk at most `SAVE_DELAY` seconds after this change.

        `Store.async_delay_save` moves its write later on every call, so under a
        steady stream of updates it would never write: the first change arms one
        timer here that later changes do not move; it writes the state as it is
        when it fires.
        """
        if self._stopped or self.pending is not None:
            return
        self.pending = async_call_later(self._hass, SAVE_DELAY, self._save_due)

    @callback
    def stop(self) -> None:
        """No timed write from now on (`async_save` writes the last state)."""
        self._stopped = True
        if self.pending is not None:
            self.pending()
            self.pending = None

    async def async_save(self) -> None:
        """Write the tracker's state now."""
        await self.store.async_save(self._client.tracker_state())

    @callback
    def _save_due(self, _now: datetime) -> None:
        # Never after `stop`: it cancels this timer.
        self.pending = None
        state = self._client.tracker_state()
        self._entry.async_create_task(self._hass, self.store.async_save(state), "save state")
