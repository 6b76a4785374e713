"""The coordinator: one feed connection per config entry, wired to Home Assistant.

It is the feed's `FeedListener` and hands each push to the piece whose job it is:

- `followers.py`: what each subentry follows, who follows a match, the states kept;
- `views.py`: what each target's sensors show (late with `delay_scoreboard`);
- `fanout.py`: each event to the bus and to the followers' event entities;
- `delivery.py`: holding both back by a target's spoiler delay, in order;
- `persistence.py`: the tracker's state on disk;
- `availability.py`: connection state, logs, repair issues and reauth.

The feed client's connection loop (`FeedClient.run`) runs as a background task
of the config entry; `async_shutdown` stops it and writes the state.
"""

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any, override

import aiohttp
from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback

from . import feed
from .availability import SETUP_ERRORS, Availability
from .const import ACCESS_DIRECT, CONF_ACCESS, CONF_PROVIDER, DOMAIN
from .delivery import Delivery
from .fanout import EventHandler, Fanout
from .feed.api import (
    AccountInfo,
    ConnectionState,
    Credentials,
    FeedClient,
    FeedListener,
    GameSummary,
    Timing,
)
from .feed.errors import FeedError
from .feed.model import FINAL_STATUSES, Match, MatchEvent, Provider
from .followers import Followers
from .persistence import StateStore, TrackerPersistence
from .target import Followed
from .views import SensorViews

type LiveScoresConfigEntry = ConfigEntry[LiveScoresCoordinator]
type SubentryAdder = Callable[[Followed, ConfigSubentry], None]

# The feed's delays; tests shrink them.
FEED_TIMING = Timing()


def credentials_from_data(data: Mapping[str, Any]) -> Credentials:
    """Build feed credentials from config entry data."""
    return Credentials(
        provider=Provider(data[CONF_PROVIDER]),
        api_key=data[CONF_API_KEY],
        access=data.get(CONF_ACCESS, ACCESS_DIRECT),
        url=data.get(CONF_URL),
    )


def _ended(match: Match) -> bool:
    return match.status in FINAL_STATUSES


class LiveScoresCoordinator(FeedListener):
    """Hold one feed client and fan its pushes out to Home Assistant."""

    account: AccountInfo

    def __init__(
        self, hass: HomeAssistant, entry: LiveScoresConfigEntry, session: aiohttp.ClientSession
    ) -> None:
        self.hass = hass
        self.entry = entry
        # The data the client was built from: a change needs a reload.
        self.entry_data = dict(entry.data)
        self.client: FeedClient = feed.create_client(
            credentials_from_data(entry.data),
            session,
            self,
            timing=FEED_TIMING,
            # Each task the client starts is a background task of the entry, as run()'s is.
            task_factory=lambda coro, name: entry.async_create_background_task(
                hass, coro, name, eager_start=False
            ),
        )
        # One queue for sensors and events: a target's deliveries keep their order.
        self.delivery = Delivery(hass)
        self.followers = Followers(hass, entry, self.client)
        self.views = SensorViews(self.followers, self.delivery)
        self.fanout = Fanout(hass, entry, self.followers, self.delivery)
        self.persistence = TrackerPersistence(hass, entry, self.client)
        self.availability = Availability(hass, entry, self.views.notify_all)
        self._adders: list[SubentryAdder] = []
        self._stopped = False
        # States handed over, taken after their frame's events are fired (`_flush`),
        # and the targets whose sensors are told then.
        self._incoming: list[Match] = []
        self._dirty: set[str] = set()
        self._flush_pending: asyncio.Handle | None = None

    # --- life cycle -----------------------------------------------------------

    async def async_setup(self) -> None:
        """Check the account and prepare the client; raise what setup should."""
        try:
            # Kept for __init__.py: an entry migrated from a key-hash unique id
            # adopts the account's identity from it.
            self.account = await self.client.validate()
        except SETUP_ERRORS as err:
            raise self.availability.setup_failed(err) from err
        self.availability.setup_succeeded()
        await self.persistence.async_restore()
        self._follow(self.followers.read())

    async def async_start(self) -> None:
        """Run the feed connection, as a background task of the entry."""
        self.entry.async_create_background_task(
            self.hass, self.client.run(), name=f"{DOMAIN} {self.client.provider} feed"
        )

    async def async_shutdown(self) -> None:
        """Stop the feed and write the tracker's state now."""
        if self._stopped:
            return
        self._stopped = True
        self.persistence.stop()
        self.followers.close()
        # Held-back events are dropped: nothing fires after unload. The tracker
        # already counted them, so they are not fired again after a restart.
        self.delivery.cancel()
        if self._flush_pending is not None:
            self._flush_pending.cancel()
            self._flush_pending = None
        await self.client.stop()
        await self.persistence.async_save()

    async def async_on_stop(self, _event: Event) -> None:
        """Home Assistant stops: close the connection and persist."""
        await self.async_shutdown()

    # --- subentries -----------------------------------------------------------

    @callback
    def async_sync_subentries(self) -> None:
        """Follow the subentries as they are now: add entities, retarget the feed."""
        self._take_incoming()
        current = self.followers.read()
        added = [f for sid, f in current.items() if sid not in self.followed]
        for subentry_id in self.followed.keys() - current.keys():
            self.views.forget(subentry_id)
            self.fanout.forget(subentry_id)
        self._follow(current)
        self.followers.prune()
        for followed in added:
            subentry = self.entry.subentries[followed.subentry_id]
            for adder in self._adders:
                adder(followed, subentry)
        for subentry_id in current:
            self.views.notify(subentry_id)

    def _follow(self, current: dict[str, Followed]) -> None:
        """Take the followed targets (their views first: they start from what is displayed)."""
        self.views.retarget(current)
        self.followers.follow(current)

    @callback
    def async_add_subentry_adder(self, adder: SubentryAdder) -> Callable[[], None]:
        """Call `adder` for each followed target now and for each one added later."""
        for followed in self.followed.values():
            adder(followed, self.entry.subentries[followed.subentry_id])
        self._adders.append(adder)
        return lambda: self._adders.remove(adder)

    # --- what entities, services and diagnostics read ---------------------------

    @property
    def followed(self) -> dict[str, Followed]:
        """The followed targets, by subentry id."""
        return self.followers.followed

    @property
    def matches(self) -> dict[str, Match]:
        """The newest state of each followed match, by match id."""
        self._take_incoming()
        return self.followers.matches

    @property
    def connected(self) -> bool:
        """Whether the feed is connected (entities are available)."""
        return self.availability.connected

    def displayed(self, subentry_id: str) -> Match | None:
        """The match a followed target's sensors display now (late if delayed)."""
        self._take_incoming()
        return self.views.displayed(subentry_id)

    def live(self, subentry_id: str) -> Match | None:
        """The match a followed target shows, as the feed has it now."""
        self._take_incoming()
        return self.followers.live(subentry_id)

    def games(self) -> list[GameSummary]:
        """Games the feed has mentioned (for pickers)."""
        return self.client.games()

    @callback
    def async_add_listener(
        self, subentry_id: str, update: Callable[[], None]
    ) -> Callable[[], None]:
        """Call `update` when what `subentry_id` shows, or availability, may have changed."""
        return self.views.add_listener(subentry_id, update)

    @callback
    def async_add_event_listener(
        self, subentry_id: str, handle: EventHandler
    ) -> Callable[[], None]:
        """Call `handle` with each event of a match `subentry_id` follows."""
        return self.fanout.add_handler(subentry_id, handle)

    @callback
    def async_fire_test_event(self, subentry_id: str, event: MatchEvent) -> None:
        """Deliver a test event to one target now, whatever its delay."""
        self.fanout.emit(event, [subentry_id], test=True)

    # --- FeedListener -----------------------------------------------------------

    @override
    @callback
    def on_matches(self, matches: Sequence[Match]) -> None:
        """Take new match states once this frame's events are fired (goal first).

        The client hands `on_events` the events of these states right after this:
        it fires them, then takes the states and tells the sensors, in the same
        callback, so an automation run by a goal reads the new score. A frame
        without events is taken at the next turn of the loop.
        """
        if self._stopped:
            return  # states handed over while the client stops: nothing is shown now
        self._incoming.extend(matches)
        if self._flush_pending is None:
            self._flush_pending = self.hass.loop.call_soon(self._flush)

    def _take_incoming(self) -> None:
        """Keep the states handed over, for their followers; note who must be told."""
        if not self._incoming:
            return
        incoming, self._incoming = self._incoming, []
        kept = self.followers.matches
        prune = False
        for match in incoming:
            old = kept.get(match.id)
            if touched := self.followers.take(match):
                self._dirty |= touched
                # Only a new match or one that just ended can leave one unshown.
                prune = prune or old is None or (_ended(match) and not _ended(old))
        if prune:
            self.followers.prune()
        self.persistence.schedule_save()

    @override
    @callback
    def on_events(self, events: Sequence[MatchEvent]) -> None:
        """Fan each new event out to its followers first, then tell their sensors."""
        fanned: list[tuple[MatchEvent, set[str]]] = []
        for event in events:
            if touched := self.followers.of(event.match):
                fanned.append((event, touched))
                self.fanout.schedule(event, touched)
        self._take_incoming()
        for event, touched in fanned:
            # The sensors show the newest state handed over: an event's match may
            # be an older state of the same batch, or one no longer kept.
            if event.match.id not in self.matches:
                self.followers.keep(event.match, touched)
            self._dirty |= touched
        self._flush()
        self.persistence.schedule_save()

    @callback
    def _flush(self) -> None:
        """Tell each target whose match changed, once (after its spoiler delay)."""
        if self._flush_pending is not None:
            self._flush_pending.cancel()
            self._flush_pending = None
        self._take_incoming()
        dirty, self._dirty = self._dirty, set()
        for subentry_id in dirty:
            if subentry_id in self.followed:
                self.views.changed(subentry_id)

    @override
    @callback
    def on_connection(self, state: ConnectionState, error: FeedError | None) -> None:
        """Track availability; start reauth or raise an issue on a failure."""
        self.availability.on_connection(state, error)

    @override
    @callback
    def on_state_changed(self) -> None:
        """The client's saved state changed outside a delivery: write it soon."""
        self.persistence.schedule_save()

    # --- for the fault campaign's power cut (tests/chaos) -----------------------

    @property
    def store(self) -> StateStore:
        """The store of the tracker's state."""
        return self.persistence.store

    @store.setter
    def store(self, store: StateStore) -> None:
        self.persistence.store = store

    @property
    def _save_pending(self) -> CALLBACK_TYPE | None:
        return self.persistence.pending

    @_save_pending.setter
    def _save_pending(self, pending: CALLBACK_TYPE | None) -> None:
        self.persistence.pending = pending
