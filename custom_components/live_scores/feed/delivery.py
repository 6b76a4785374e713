"""What a client tells its listener: the connection's state, matches, events.

`DeliveringClient` is the part of both clients that faces the listener: parsed
matches pass through the tracker (`_deliver`: the changed ones go to
`on_matches`, the new events to `on_events`), the connection's state goes to
`on_connection`, and a listener that raises is logged, never let through. It
also keeps the catch-up window after a (re)connect (`_connected`): the first
state of each match within `Timing.catch_up` reveals what happened in the gap,
and its events are marked recovered.
"""

import asyncio
from collections.abc import Iterable
import logging
from typing import Any, override

import aiohttp

from .api import ConnectionState, Credentials, FeedClient, FeedListener, Targets, Timing
from .errors import FeedError
from .model import Match, MatchEvent
from .tracker import Tracker

_LOGGER = logging.getLogger(__name__)

# A frame `ts` this far ahead of the newest seen is not trusted as the newest.
MAX_TS_AHEAD_MS = 86_400_000


class DeliveringClient(FeedClient):
    """A client's listener, tracker and state, and what it delivers to the listener."""

    def __init__(
        self,
        credentials: Credentials,
        session: aiohttp.ClientSession,
        listener: FeedListener,
        *,
        timing: Timing | None = None,
    ) -> None:
        self._credentials = credentials
        self._session = session
        self._listener = listener
        self._timing = timing or Timing()
        self._targets = Targets()
        self._tracker = Tracker()
        self._state = ConnectionState.STOPPED
        self._error: FeedError | None = None
        self._delivered: dict[str, Match] = {}
        self.counters: dict[str, int] = {}
        self._connected_at: float | None = None
        self._catch_up: asyncio.TimerHandle | None = None
        self._catch_up_from: float | None = None
        self._catch_up_after: float | None = None
        # The newest frame `ts` seen on any connection (one far ahead is not taken).
        self._newest_ts: float | None = None

    @property
    @override
    def state(self) -> ConnectionState:
        """The connection's state."""
        return self._state

    @property
    @override
    def last_error(self) -> FeedError | None:
        """Why the connection last failed, if it did."""
        return self._error

    @override
    def tracker_state(self) -> dict[str, Any]:
        """The tracker's state, JSON-serialisable, to persist."""
        return self._tracker.snapshot()

    @override
    def restore_tracker_state(self, data: dict[str, Any]) -> None:
        """Restore a state saved by `tracker_state`."""
        self._tracker.restore(data)

    def _count(self, name: str, amount: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + amount

    def _set_state(self, state: ConnectionState, error: FeedError | None) -> None:
        if state is self._state and error is self._error:
            return
        self._state = state
        self._error = error
        try:
            self._listener.on_connection(state, error)
        except Exception:
            _LOGGER.exception("Feed listener failed in on_connection")

    def _state_changed(self) -> None:
        try:
            self._listener.on_state_changed()
        except Exception:
            _LOGGER.exception("Feed listener failed in on_state_changed")

    def _connected(self) -> None:
        """The handshake completed: a new connection (its first state is a resync).

        For `Timing.catch_up` seconds the first state of each match is a
        catch-up: what it reveals happened in the gap (events marked recovered).
        The window is measured on the service's clock (frames' `ts`, see
        `_frame_time`) and, as a fallback, on ours.
        """
        loop = asyncio.get_running_loop()
        self._connected_at = loop.time()
        self._count("connections")
        if self._catch_up is not None:
            self._catch_up.cancel()
        self._catch_up = loop.call_later(self._timing.catch_up, self._end_catch_up)
        self._catch_up_from = None
        self._catch_up_after = self._newest_ts
        self._set_state(ConnectionState.CONNECTED, None)

    def _forget(self, match_id: str) -> None:
        """Stop tracking a match that is no longer followed."""
        self._tracker.forget(match_id)
        self._delivered.pop(match_id, None)

    def _end_catch_up(self) -> None:
        if self._catch_up is not None:
            self._catch_up.cancel()
            self._catch_up = None
        self._tracker.end_resync()

    def _frame_time(self, ts: Any) -> None:
        """A data frame's `ts` (ms): ends the catch-up once the window passed.

        The window starts at the first frame newer than anything seen before the
        (re)connect: a held-back or replayed older frame does not start it.
        """
        if type(ts) not in (int, float) or not 0 <= ts < 1e15:
            return
        newest = self._newest_ts
        if newest is None or 0 < ts - newest < MAX_TS_AHEAD_MS:
            self._newest_ts = ts
        if self._catch_up is None or (self._catch_up_after or 0) >= ts:
            return
        start = self._catch_up_from
        if start is None:
            self._catch_up_from = ts
        elif ts - start >= self._timing.catch_up * 1000:
            self._end_catch_up()

    def _deliver(self, matches: Iterable[Match]) -> None:
        """Pass followed matches through the tracker and tell the listener."""
        changed: list[Match] = []
        events: list[MatchEvent] = []
        tracker = self._tracker
        for match in matches:
            dropped = tracker.dropped_stale
            new_events = tracker.update(match)
            if tracker.dropped_stale != dropped:
                continue
            previous = self._delivered.get(match.id)
            # A state with events shows something new; any other is compared.
            if new_events or previous is None or previous != match:  # (by what it shows)
                changed.append(match)
                self._delivered[match.id] = match
            events.extend(new_events)
        if len(self._delivered) > 2 * len(tracker) + 100:
            # Bound memory: forget what the tracker forgot (ended matches).
            self._delivered = {m: v for m, v in self._delivered.items() if m in tracker}
        if changed:
            try:
                self._listener.on_matches(changed)
            except Exception:
                _LOGGER.exception("Feed listener failed in on_matches")
        if events:
            self._count("events", len(events))
            try:
                self._listener.on_events(events)
            except Exception:
                _LOGGER.exception("Feed listener failed in on_events")
