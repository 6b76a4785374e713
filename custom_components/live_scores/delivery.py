"""Delayed delivery: hold back what a followed target gets by its spoiler delay.

The tracker has already decided that an event happened (exactly once); this
only postpones when Home Assistant hears of it, so that a goal light fires when
the goal is on the user's screen, which lags the live feed.

Order is kept per key (a subentry id): an action is never due before an
earlier action of one of its keys, even when the delay was shortened meanwhile.
Actions due at the same time run in the order they were scheduled. Pending
actions are dropped by `cancel()` (at unload and at stop): nothing fires after.
"""

from bisect import insort
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later


@dataclass(order=True, slots=True)
class _Pending:
    due: float
    seq: int
    keys: frozenset[str] = field(compare=False)
    action: Callable[[], None] = field(compare=False)
    cancel: CALLBACK_TYPE = field(default=lambda: None, compare=False)


class Delivery:
    """Run actions now or after a delay, in order per key."""

    def __init__(self, hass: HomeAssistant) -> None:
        self._hass = hass
        self._queue: list[_Pending] = []
        self._last_due: dict[str, float] = {}
        self._seq = 0

    def __len__(self) -> int:
        """How many actions are waiting."""
        return len(self._queue)

    def runs_now(self, keys: Collection[str], delay: float) -> bool:
        """Whether an action for `keys` after `delay` is due now: no delay, nothing waiting.

        Then the caller runs it itself, as `schedule` would at once (`schedule` may
        still run at once what this declines: a wait whose timer is late).
        """
        if delay > 0:
            return False
        last_due = self._last_due
        return not last_due or not any(key in last_due for key in keys)

    @callback
    def schedule(self, keys: Collection[str], delay: float, action: Callable[[], None]) -> None:
        """Run `action` after `delay` seconds, and after what `keys` still wait for."""
        now = self._hass.loop.time()
        due = max([now + delay, *(self._last_due[k] for k in keys if k in self._last_due)])
        if due <= now:
            action()
            return
        self._seq += 1
        item = _Pending(due, self._seq, frozenset(keys), action)
        for key in keys:
            self._last_due[key] = due
        insort(self._queue, item)
        # A partial of a @callback method: runs in the event loop.
        item.cancel = async_call_later(self._hass, due - now, partial(self._run, item))

    @callback
    def _run(self, item: _Pending, _now: datetime) -> None:
        """`item` is due: run it and every action due before it, in order."""
        if item not in self._queue:
            return  # already run with a later one that fired first
        index = self._queue.index(item)
        ready, self._queue = self._queue[: index + 1], self._queue[index + 1 :]
        for done in ready:
            if done is not item:
                done.cancel()
            for key in done.keys:
                if not self._waiting(key):
                    self._last_due.pop(key, None)
        for done in ready:
            done.action()

    def _waiting(self, key: str) -> bool:
        return any(key in pending.keys for pending in self._queue)

    @callback
    def cancel(self) -> None:
        """Drop everything pending: nothing runs after this."""
        for pending in self._queue:
            pending.cancel()
        self._queue.clear()
        self._last_due.clear()
