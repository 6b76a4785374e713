"""The push coordinator: one feed connection per config entry.

The coordinator is the feed's `FeedListener`. It keeps the followed matches,
tells entities when one changed, fires the bus events, persists the tracker's
state and turns feed failures into reauth flows and repair issues.

A target with a spoiler delay gets its events (bus events and event entity)
that many seconds late, through `Delivery`; with `delay_scoreboard` its sensors
show the match as it was that many seconds ago (`_views`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

import aiohttp
from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryError, ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store

from . import feed
from .const import (
    ACCESS_DIRECT,
    CONF_ACCESS,
    CONF_PROVIDER,
    CONF_SPORT,
    CONF_TEAM_ID,
    CONF_TEAM_NAME,
    DOMAIN,
    ISSUE_PLAN,
    ISSUE_QUOTA,
    LOGGER,
    SAVE_DELAY,
    STORAGE_KEY,
    STORAGE_VERSION,
    SUBENTRY_MATCH,
    SUBENTRY_TEAM,
)
from .delivery import Delivery
from .feed.api import ConnectionState, Credentials, FeedClient, GameSummary, Timing
from .feed.errors import AuthFailed, CannotConnect, FeedError, PlanNotSupported, QuotaExceeded
from .feed.model import FINAL_STATUSES, Match, MatchEvent, Provider
from .payload import bus_event
from .target import Followed, build_targets

type LiveScoresConfigEntry = ConfigEntry[LiveScoresCoordinator]
type SubentryAdder = Callable[[Followed, ConfigSubentry], None]
# An event entity's handler: the event, and whether it is a test event.
type EventHandler = Callable[[MatchEvent, bool], None]

# The feed's delays; tests shrink them.
FEED_TIMING = Timing()
# Which subentry's device a bus event names when several follow the match.
_KIND_ORDER = {SUBENTRY_MATCH: 0, SUBENTRY_TEAM: 1}


def credentials_from_data(data: Mapping[str, Any]) -> Credentials:
    """Build feed credentials from config entry data."""
    return Credentials(
        provider=Provider(data[CONF_PROVIDER]),
        api_key=data[CONF_API_KEY],
        access=data.get(CONF_ACCESS, ACCESS_DIRECT),
        url=data.get(CONF_URL),
    )


class LiveScoresCoordinator:
    """Hold one feed client and fan its pushes out to Home Assistant."""

    def __init__(
        self, hass: HomeAssistant, entry: LiveScoresConfigEntry, session: aiohttp.ClientSession
    ) -> None:
        self.hass = hass
        self.entry = entry
        # The data the client was built from: a change needs a reload.
        self.entry_data = dict(entry.data)
        self.client: FeedClient = feed.create_client(
            credentials_from_data(entry.data), session, self, timing=FEED_TIMING
        )
        self.store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, STORAGE_KEY.format(entry_id=entry.entry_id)
        )
        self.followed: dict[str, Followed] = {}
        self.matches: dict[str, Match] = {}
        self.connected = False
        self._down_logged = False
        self._stopped = False
        self.delivery = Delivery(hass)
        # What a target with a delayed scoreboard shows: the match as it was.
        self._views: dict[str, Match | None] = {}
        self._listeners: dict[str, list[Callable[[], None]]] = {}
        self._event_listeners: dict[str, list[EventHandler]] = {}
        self._adders: list[SubentryAdder] = []
        # The armed write of the tracker's state (see `_schedule_save`).
        self._save_pending: CALLBACK_TYPE | None = None
        # Ids learned for teams typed as text, to store in their subentries.
        self._learned: dict[str, dict[str, str]] = {}

    # --- life cycle -----------------------------------------------------------

    async def async_setup(self) -> None:
        """Check the account and prepare the client; raise what setup should."""
        try:
            # Kept for __init__.py: an entry migrated from a key-hash unique id
            # adopts the account's identity from it.
            self.account = await self.client.validate()
        except AuthFailed as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except QuotaExceeded as err:
            self._raise_issue(ISSUE_QUOTA, "quota_exceeded")
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN, translation_key="quota_exceeded"
            ) from err
        except PlanNotSupported as err:
            self._raise_issue(ISSUE_PLAN, "plan_not_supported")
            raise ConfigEntryError(
                translation_domain=DOMAIN, translation_key="plan_not_supported"
            ) from err
        except CannotConnect as err:
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN, translation_key="cannot_connect"
            ) from err
        self._clear_issues()
        if data := await self.store.async_load():
            self.client.restore_tracker_state(data)
        self._follow(self._read_subentries())

    async def async_start(self) -> None:
        """Start the feed connection."""
        await self.client.start()

    async def async_shutdown(self) -> None:
        """Stop the feed and write the tracker's state now."""
        if self._stopped:
            return
        self._stopped = True
        if self._save_pending is not None:
            self._save_pending()
            self._save_pending = None
        # Held-back events are dropped: nothing fires after unload. The tracker
        # already counted them, so they are not fired again after a restart.
        self.delivery.cancel()
        await self.client.stop()
        await self.store.async_save(self.client.tracker_state())

    async def async_on_stop(self, _event: Event) -> None:
        """Home Assistant stops: close the connection and persist."""
        await self.async_shutdown()

    # --- subentries -----------------------------------------------------------

    def _read_subentries(self) -> dict[str, Followed]:
        return {
            subentry_id: followed
            for subentry_id, subentry in self.entry.subentries.items()
            if (followed := Followed.from_subentry(subentry)) is not None
        }

    @callback
    def async_sync_subentries(self) -> None:
        """Follow the subentries as they are now: add entities, retarget the feed."""
        current = self._read_subentries()
        added = [f for sid, f in current.items() if sid not in self.followed]
        for subentry_id in self.followed.keys() - current.keys():
            self._listeners.pop(subentry_id, None)
            self._event_listeners.pop(subentry_id, None)
            self._views.pop(subentry_id, None)
        self._follow(current)
        self._prune()
        for followed in added:
            subentry = self.entry.subentries[followed.subentry_id]
            for adder in self._adders:
                adder(followed, subentry)
        for subentry_id in current:
            self._notify(subentry_id)

    def _follow(self, current: dict[str, Followed]) -> None:
        """Take the followed targets, and retarget the feed."""
        for subentry_id, followed in current.items():
            if not followed.sensor_delay:
                self._views.pop(subentry_id, None)
            elif subentry_id not in self._views:
                # From now on the sensors lag; they start from what they show now.
                self._views[subentry_id] = self.shown(subentry_id)
        self.followed = current
        self.client.set_targets(build_targets(current.values()))

    @callback
    def async_add_subentry_adder(self, adder: SubentryAdder) -> Callable[[], None]:
        """Call `adder` for each followed target now and for each one added later."""
        for followed in self.followed.values():
            adder(followed, self.entry.subentries[followed.subentry_id])
        self._adders.append(adder)
        return lambda: self._adders.remove(adder)

    # --- what entities read ---------------------------------------------------

    def shown(self, subentry_id: str) -> Match | None:
        """The match a followed target's sensors show now (late if delayed)."""
        if subentry_id in self._views:
            return self._views[subentry_id]
        return self.live(subentry_id)

    def live(self, subentry_id: str) -> Match | None:
        """The match a followed target shows, as the feed has it now."""
        followed = self.followed.get(subentry_id)
        return None if followed is None else followed.shown(self.matches.values())

    def games(self) -> list[GameSummary]:
        """Games the feed has mentioned (for pickers)."""
        return self.client.games()

    @callback
    def async_add_listener(
        self, subentry_id: str, update: Callable[[], None]
    ) -> Callable[[], None]:
        """Call `update` when what `subentry_id` shows may have changed."""
        return _add(self._listeners, subentry_id, update)

    @callback
    def async_add_event_listener(
        self, subentry_id: str, handle: EventHandler
    ) -> Callable[[], None]:
        """Call `handle` with each event of a match `subentry_id` follows."""
        return _add(self._event_listeners, subentry_id, handle)

    def _notify(self, subentry_id: str) -> None:
        for update in list(self._listeners.get(subentry_id, ())):
            update()

    def _changed(self, subentry_id: str) -> None:
        """What a target shows changed: tell its sensors now, or after its delay."""
        followed = self.followed[subentry_id]
        if not followed.sensor_delay:
            self._notify(subentry_id)
            return
        view = self.live(subentry_id)

        def show() -> None:
            if subentry_id in self._views:
                self._views[subentry_id] = view
                self._notify(subentry_id)

        self.delivery.schedule((subentry_id,), followed.sensor_delay, show)

    def _emit(self, event: MatchEvent, subentry_ids: list[str], *, test: bool = False) -> None:
        """Fire the bus event naming these followers, then their event entities."""
        current = [sid for sid in subentry_ids if sid in self.followed]
        if not current:
            return  # unfollowed while the event was held back
        self._fire(event, current, test=test)
        for subentry_id in current:
            for handle in list(self._event_listeners.get(subentry_id, ())):
                handle(event, test)

    @callback
    def async_fire_test_event(self, subentry_id: str, event: MatchEvent) -> None:
        """Deliver a test event to one target now, whatever its delay."""
        self._emit(event, [subentry_id], test=True)

    # --- FeedListener -----------------------------------------------------------

    @callback
    def on_matches(self, matches: Sequence[Match]) -> None:
        """Take new match states."""
        touched: set[str] = set()
        for match in matches:
            touched |= self._take(match)
        self._prune()
        for subentry_id in touched:
            self._changed(subentry_id)
        self._schedule_save()

    @callback
    def on_events(self, events: Sequence[MatchEvent]) -> None:
        """Fire each new event on the bus and on the followers' event entities.

        Followers with the same spoiler delay share one bus event, fired when
        their delay has passed.
        """
        for event in events:
            # The sensors show what `on_matches` was given (the newest state):
            # an event's match may be an older state of the same batch.
            touched = self._followers(event.match)
            if not touched:
                continue
            self.matches.setdefault(event.match.id, event.match)
            followers = sorted(
                (self.followed[sid] for sid in touched),
                key=lambda f: _KIND_ORDER.get(f.kind, 2),
            )
            groups: dict[float, list[str]] = {}
            for followed in followers:
                groups.setdefault(followed.spoiler_delay, []).append(followed.subentry_id)
            for subentry_id in touched:
                self._changed(subentry_id)
            for delay, group in sorted(groups.items()):
                self.delivery.schedule(group, delay, partial(self._emit, event, group))
        self._schedule_save()

    @callback
    def on_connection(self, state: ConnectionState, error: FeedError | None) -> None:
        """Track availability; start reauth or raise an issue on a failure."""
        connected = state is ConnectionState.CONNECTED
        if connected:
            if self._down_logged:
                LOGGER.info("%s: the feed is back", self.entry.title)
                self._down_logged = False
            self._clear_issues()
        elif (
            state in (ConnectionState.DISCONNECTED, ConnectionState.FAILED)
            and not self._down_logged
        ):
            reason = str(error) if error else state.value
            LOGGER.info("%s: the feed is unavailable: %s", self.entry.title, reason)
            self._down_logged = True
        if state is ConnectionState.FAILED:
            if isinstance(error, AuthFailed):
                self.entry.async_start_reauth(self.hass)
            elif isinstance(error, QuotaExceeded):
                self._raise_issue(ISSUE_QUOTA, "quota_exceeded")
            elif isinstance(error, PlanNotSupported):
                self._raise_issue(ISSUE_PLAN, "plan_not_supported")
        if connected != self.connected:
            self.connected = connected
            for subentry_id in self.followed:
                self._notify(subentry_id)

    # --- internals --------------------------------------------------------------

    def _followers(self, match: Match) -> set[str]:
        """Who follows `match`; a team followed by name learns its id from it."""
        touched = {sid for sid, f in self.followed.items() if f.follows(match)}
        for subentry_id in touched:
            if self.followed[subentry_id].by_name:
                self._learn_team(subentry_id, match)
        return touched

    def _take(self, match: Match) -> set[str]:
        """Keep the state of a followed match; return who follows it.

        The client hands states over in order (the tracker drops stale ones and
        forgets versions on each new connection), so the newest is always the
        last one given: no version is compared here, where it could never be
        reset when a reconnect restarts the service's counters.
        """
        touched = self._followers(match)
        if touched:
            self.matches[match.id] = match
        return touched

    def _learn_team(self, subentry_id: str, match: Match) -> None:
        """Learn the id of a team typed as text, from the first match that names it.

        The name already matches on every frame (`Followed.team_in`); the id is
        stored in the subentry so that the feed follows the team by id, in its
        sport's channel. The subentry is updated just after this delivery (its
        update listener retargets the feed, which must not happen inside it).
        """
        followed = self.followed[subentry_id]
        subentry = self.entry.subentries.get(subentry_id)
        team_id = followed.team_in(match)
        if (
            subentry_id in self._learned
            or subentry is None
            or CONF_TEAM_ID in subentry.data
            or team_id is None
            # A placeholder of a feed that has not named the teams yet.
            or team_id.startswith(f"{match.id}:")
        ):
            return
        team = match.home if match.home.id == team_id else match.away
        LOGGER.debug("Team %s is %s (%s)", followed.name, team_id, match.sport)
        if not self._learned:
            self.hass.loop.call_soon(self._store_learned)
        self._learned[subentry_id] = {
            CONF_TEAM_ID: team_id,
            CONF_TEAM_NAME: team.name,
            CONF_SPORT: str(match.sport),
        }

    @callback
    def _store_learned(self) -> None:
        learned, self._learned = self._learned, {}
        for subentry_id, found in learned.items():
            subentry = self.entry.subentries.get(subentry_id)
            if self._stopped or subentry is None or CONF_TEAM_ID in subentry.data:
                continue
            # The update listener retargets the feed.
            self.hass.config_entries.async_update_subentry(
                self.entry, subentry, data={**subentry.data, **found}
            )

    def _prune(self) -> None:
        """Forget matches nobody follows, and ended ones nobody shows."""
        shown = {m.id for sid in self.followed if (m := self.live(sid)) is not None}
        direct = {f.key for f in self.followed.values() if f.kind == SUBENTRY_MATCH}
        for match_id, match in list(self.matches.items()):
            followed = any(f.follows(match) for f in self.followed.values())
            ended = match.status in FINAL_STATUSES
            if not followed or (ended and match_id not in shown and match_id not in direct):
                del self.matches[match_id]

    def _fire(self, event: MatchEvent, subentry_ids: list[str], *, test: bool) -> None:
        """Fire one bus event, naming the device of each follower (the first preferred)."""
        registry = dr.async_get(self.hass)
        device_ids = [
            device.id
            for subentry_id in subentry_ids
            if (
                device := registry.async_get_device_by_identifier(
                    (DOMAIN, subentry_id), self.entry.entry_id
                )
            )
            is not None
        ]
        base = {
            "config_entry_id": self.entry.entry_id,
            "device_id": device_ids[0] if device_ids else None,
            "device_ids": device_ids,
        }
        self.hass.bus.async_fire(*bus_event(event, base, test=test))

    def _schedule_save(self) -> None:
        """Have the tracker's state on disk at most `SAVE_DELAY` seconds after this change.

        `Store.async_delay_save` moves its write later on every call, so under a
        steady stream of updates it would never write: the first change arms one
        timer here that later changes do not move; it writes the state as it is
        when it fires.
        """
        if self._stopped or self._save_pending is not None:
            return
        self._save_pending = async_call_later(self.hass, SAVE_DELAY, self._save_due)

    @callback
    def _save_due(self, _now: datetime) -> None:
        # Never after `async_shutdown`: it cancels this timer and writes itself.
        self._save_pending = None
        self.entry.async_create_task(
            self.hass, self.store.async_save(self.client.tracker_state()), "save state"
        )

    def _raise_issue(self, issue: str, key: str) -> None:
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue.format(entry_id=self.entry.entry_id),
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=key,
            translation_placeholders={"title": self.entry.title},
        )

    def _clear_issues(self) -> None:
        for issue in (ISSUE_QUOTA, ISSUE_PLAN):
            ir.async_delete_issue(self.hass, DOMAIN, issue.format(entry_id=self.entry.entry_id))


def _add[T](registry: dict[str, list[T]], key: str, item: T) -> Callable[[], None]:
    items = registry.setdefault(key, [])
    items.append(item)

    def remove() -> None:
        if item in registry.get(key, ()):
            registry[key].remove(item)

    return remove
