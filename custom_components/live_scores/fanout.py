"""Fan-out: each match event to the bus and to its followers' event entities.

The tracker has decided that the event happened (exactly once); this decides
who hears of it and when. Followers with the same spoiler delay share one bus
event (`payload.bus_event`), fired when their delay has passed through
`Delivery`, naming each follower's device (a followed match first, then a
team); then each follower's event entity gets it.
"""

from collections.abc import Callable, Collection
from functools import partial

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN, SUBENTRY_MATCH, SUBENTRY_TEAM
from .delivery import Delivery
from .feed.model import MatchEvent
from .followers import Followers, PerTarget
from .payload import bus_event

# An event entity's handler: the event, and whether it is a test event.
type EventHandler = Callable[[MatchEvent, bool], None]

# Which subentry's device a bus event names first when several follow the match.
_KIND_ORDER = {SUBENTRY_MATCH: 0, SUBENTRY_TEAM: 1}


class Fanout:
    """Deliver match events to the bus and to event entities, each when due."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        followers: Followers,
        delivery: Delivery,
    ) -> None:
        self._hass = hass
        self._entry = entry
        self._followers = followers
        self._delivery = delivery
        self._handlers = PerTarget[EventHandler]()

    def add_handler(self, subentry_id: str, handle: EventHandler) -> Callable[[], None]:
        """Call `handle` with each event of a match `subentry_id` follows."""
        return self._handlers.add(subentry_id, handle)

    def forget(self, subentry_id: str) -> None:
        """A target is no longer followed."""
        self._handlers.forget(subentry_id)

    def schedule(self, event: MatchEvent, touched: Collection[str]) -> None:
        """Deliver `event` to these followers, each group after its spoiler delay.

        A group whose delay is 0 and which waits for nothing is told at once,
        without going through the queue (the goal path).
        """
        followed = self._followers.followed
        targets = [followed[sid] for sid in touched]
        if len(targets) > 1:
            targets.sort(key=lambda f: _KIND_ORDER.get(f.kind, 2))
        groups: dict[float, list[str]] = {}
        for target in targets:
            groups.setdefault(target.spoiler_delay, []).append(target.subentry_id)
        delivery = self._delivery
        for delay, group in sorted(groups.items()):
            if delivery.runs_now(group, delay):
                self.emit(event, group)
            else:
                delivery.schedule(group, delay, partial(self.emit, event, group))

    def emit(self, event: MatchEvent, subentry_ids: list[str], *, test: bool = False) -> None:
        """Fire the bus event naming these followers now, then their event entities."""
        followed = self._followers.followed
        current = [sid for sid in subentry_ids if sid in followed]
        if not current:
            return  # unfollowed while the event was held back
        self._fire(event, current, test=test)
        for subentry_id in current:
            for handle in self._handlers.get(subentry_id):
                handle(event, test)

    def _fire(self, event: MatchEvent, subentry_ids: list[str], *, test: bool) -> None:
        """Fire one bus event, naming the device of each follower (the first preferred)."""
        registry = dr.async_get(self._hass)
        entry_id = self._entry.entry_id
        device_ids = [
            device.id
            for subentry_id in subentry_ids
            if (device := registry.async_get_device_by_identifier((DOMAIN, subentry_id), entry_id))
            is not None
        ]
        self._hass.bus.async_fire(*bus_event(event, entry_id, device_ids, test=test))
