"""Home Assistant's timers on a virtual clock that moves with the match clock.

The campaign plays hours of match time in seconds, so Home Assistant's own timers
(the tracker's crash-safe save, registry writes, interval trackers) would never come
due on the real clock. `HaClock.advance(dt)` moves a virtual clock by `dt` seconds and
runs the timers of Home Assistant and of the integration that are due on it, as
`async_fire_time_changed` does, but cumulatively: a timer armed with a delay of 10 s
runs once 10 virtual seconds have passed, however many steps that takes. Timers of
asyncio, aiohttp and the feed clients (pings, backoff, socket timeouts) stay on the
real clock: they are not Home Assistant's.

A timer is dated when it is first seen (each step looks), so a timer that re-arms
itself later (Store's deferred write) is dated up to one step late.
"""

import asyncio
from datetime import datetime, timedelta
import functools
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

_OURS = ("homeassistant.", "custom_components.")


def _module(callback: Any) -> str:
    while isinstance(callback, functools.partial):
        callback = callback.func
    return str(getattr(callback, "__module__", "") or "")


class HaClock:
    """A virtual clock for Home Assistant's timers (seconds since the campaign began)."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.now = 0.0
        self.fired = 0
        self._base = dt_util.utcnow()
        self._due: dict[int, tuple[asyncio.TimerHandle, float]] = {}

    def utcnow(self) -> datetime:
        return self._base + timedelta(seconds=self.now)

    def _scheduled(self) -> list[asyncio.TimerHandle]:
        handles: list[Any] = getattr(self.hass.loop, "_scheduled", [])
        return [
            h
            for h in handles
            if isinstance(h, asyncio.TimerHandle)
            and not h.cancelled()
            and _module(getattr(h, "_callback", None)).startswith(_OURS)
        ]

    def observe(self) -> None:
        """Date the timers armed since the last look (due = now + what is left)."""
        real = self.hass.loop.time()
        live: set[int] = set()
        for handle in self._scheduled():
            key = id(handle)
            live.add(key)
            if key not in self._due:
                self._due[key] = (handle, self.now + max(0.0, handle.when() - real))
        for key in list(self._due):
            if key not in live:
                del self._due[key]

    def advance(self, seconds: float) -> int:
        """Move the virtual clock and run what came due, in order; return how many ran."""
        self.observe()
        self.now += seconds
        ran = 0
        for _ in range(100):  # a timer that re-arms itself with no delay cannot spin
            due = sorted(
                (item for item in self._due.values() if item[1] <= self.now),
                key=lambda item: item[1],
            )
            if not due:
                break
            when = self.utcnow()
            with (
                patch("homeassistant.helpers.event.time_tracker_utcnow", return_value=when),
                patch(
                    "homeassistant.helpers.event.time_tracker_timestamp",
                    return_value=when.timestamp(),
                ),
            ):
                for handle, _ in due:
                    self._due.pop(id(handle), None)
                    if handle.cancelled():
                        continue
                    handle._run()
                    handle.cancel()
                    ran += 1
            self.observe()
        self.fired += ran
        return ran

    def forget(self) -> None:
        """Drop the dates of timers that were cancelled (an entry was killed)."""
        self._due = {k: v for k, v in self._due.items() if not v[0].cancelled()}
