"""The simulator clock, in match seconds: manual, or wall time times a factor."""

import json
import time


class Clock:
    def __init__(self, time_factor: float = 1.0, *, manual: bool = False) -> None:
        if time_factor <= 0:
            msg = "time_factor must be positive"
            raise ValueError(msg)
        self.time_factor = time_factor
        self.manual = manual
        self._t0 = time.monotonic()
        self._now = 0.0

    def now(self) -> float:
        """Match seconds since the simulator was created."""
        if self.manual:
            return self._now
        return (time.monotonic() - self._t0) * self.time_factor

    def set(self, t: float) -> None:
        if not self.manual:
            msg = "only a manual clock can be set"
            raise RuntimeError(msg)
        self._now = max(self._now, t)

    def wall(self, match_seconds: float) -> float:
        """Wall seconds that `match_seconds` take at this time factor."""
        return match_seconds / self.time_factor


class Recorder:
    """Writes generated frames as JSON lines: {"t": wall s, "provider": ..., "frame": "<text>"}."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed by close())
        self._t0 = time.monotonic()
        self.count = 0

    def record(self, provider: str, frame: str) -> None:
        t = round(time.monotonic() - self._t0, 6)
        self._fh.write(json.dumps({"t": t, "provider": provider, "frame": frame}) + "\n")
        self.count += 1

    def close(self) -> None:
        self._fh.close()
