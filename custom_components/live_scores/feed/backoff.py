"""How long a client waits before it connects again: exponential backoff, full jitter."""

from collections.abc import Callable
import random

from .api import Timing


class Backoff:
    """Exponential backoff with full jitter between `backoff_min` and `backoff_max`."""

    def __init__(
        self, timing: Timing, uniform: Callable[[float, float], float] = random.uniform
    ) -> None:
        self._min = timing.backoff_min
        self._max = timing.backoff_max
        self._uniform = uniform
        self.attempt = 0

    def next(self) -> float:
        """The delay before the next attempt."""
        ceiling = min(self._max, self._min * 2.0 ** min(self.attempt, 60))
        self.attempt += 1
        return self._uniform(self._min, max(self._min, ceiling))

    def reset(self) -> None:
        """A stable connection: start again from the shortest delay."""
        self.attempt = 0
