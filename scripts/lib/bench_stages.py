"""Where a goal's latency goes, for `bench_latency --stages`.

Stamps, on the one event loop, for each client's socket:

- `data`: the loop hands the socket's bytes to aiohttp (`data_received`);
- `read`: `receive()` returns a frame, and how many frames that read had returned
  since the bytes came (a burst: the frames written before the goal's, in one read);
- ours only: `on_matches`, the feed client handing the parsed, tracked states to
  the coordinator (everything before it is the feed: JSON, parse, tracker);
- `bus`: the client's bus event.

Per goal: write → data (the loop waking), data → read (the frames of the burst
before it), read → on_matches (the feed), on_matches → bus (our Home Assistant
layer, Home Assistant's `async_fire` included). Wrapping costs a few µs per stage.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
import time
from typing import Any

from aiohttp import ClientWebSocketResponse, client_proto
from bench_hass import quantile

from custom_components.live_scores.coordinator import LiveScoresCoordinator


@dataclass(slots=True)
class _Socket:
    data: float = 0.0  # last data_received
    read: float = 0.0  # last frame returned
    reads: int = 0  # frames returned since `data`


@dataclass(slots=True)
class Stages:
    """The stamps, and per goal the stages (client → rows of stage durations, ms)."""

    sockets: dict[int, _Socket] = field(default_factory=dict)
    on_matches: float = 0.0
    rows: dict[str, list[dict[str, float]]] = field(default_factory=dict)

    def socket(self, ws: Any) -> _Socket:
        """The stamps of a client's socket (by its protocol)."""
        conn = ws._conn  # noqa: SLF001 - a benchmark's probe
        key = id(conn.protocol) if conn is not None else 0
        return self.sockets.setdefault(key, _Socket())

    def goal(self, who: str, ws: Any, written: float, fired: float) -> None:
        """A goal of `who` (written at `written`) reached the bus at `fired`."""
        s = self.socket(ws)
        row = {
            "write → data": s.data - written,
            "data → read": s.read - s.data,
            "frames before it in its read": float(s.reads - 1),
        }
        if who == "ours":
            row |= {"read → on_matches": self.on_matches - s.read}
            row |= {"on_matches → bus": fired - self.on_matches}
        else:
            row |= {"read → bus": fired - s.read}
        self.rows.setdefault(who, []).append(row)

    def report(self) -> None:
        """Print each stage's p50 / p90 / p99 per client."""
        for who, rows in self.rows.items():
            print(f"{who}: where the latency of its {len(rows)} goals goes, ms (frames: a count)")
            for name in rows[0]:
                values = [r[name] * (1 if name.startswith("frames") else 1000) for r in rows]
                print(
                    f"  {name:<30} p50 {quantile(values, 0.5):7.3f}  "
                    f"p90 {quantile(values, 0.9):7.3f}  p99 {quantile(values, 0.99):7.3f}"
                )


def install() -> Stages:
    """Wrap aiohttp's socket reads and the coordinator's `on_matches` with stamps."""
    stages = Stages()
    data_received = client_proto.ResponseHandler.data_received
    receive = ClientWebSocketResponse.receive
    on_matches = LiveScoresCoordinator.on_matches

    def stamped_data(self: client_proto.ResponseHandler, data: bytes) -> None:
        s = stages.sockets.setdefault(id(self), _Socket())
        s.data, s.reads = time.perf_counter(), 0
        data_received(self, data)

    async def stamped_receive(self: ClientWebSocketResponse, *args: Any, **kwargs: Any) -> Any:
        msg = await receive(self, *args, **kwargs)
        s = stages.socket(self)
        s.read, s.reads = time.perf_counter(), s.reads + 1
        return msg

    def stamped_on_matches(self: LiveScoresCoordinator, matches: Any) -> None:
        stages.on_matches = time.perf_counter()
        on_matches(self, matches)

    patches: list[tuple[Any, str, Callable[..., Any]]] = [
        (client_proto.ResponseHandler, "data_received", stamped_data),
        (ClientWebSocketResponse, "receive", stamped_receive),
        (LiveScoresCoordinator, "on_matches", stamped_on_matches),
    ]
    for owner, name, wrapper in patches:
        setattr(owner, name, wrapper)
    return stages
