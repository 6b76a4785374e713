"""One server-side WebSocket connection, with the per-frame faults applied on send."""

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from aiohttp import web
import orjson


@dataclass(slots=True)
class FaultSwitches:
    """Switches that stay on until turned off (per provider; see Faults)."""

    silent: bool = False  # send nothing at all (not even pong), keep sockets open
    duplicate: bool = False  # every data frame is sent twice
    reorder: bool = False  # data frames go out in swapped pairs (older updateId/ts after newer)
    slow: float = 0.0  # wall seconds of delay before each data frame
    quota_exceeded: bool = False  # REST answers 429 (SAP: also the socket upgrade)
    rest_error: int = 0  # REST answers this status (e.g. 500, 503); 0 = off
    rest_error_count: int = -1  # how many REST requests fail with rest_error; -1 = all
    refuse_renewal: bool = False  # SF /ws/renew answers 401 code 4
    refuse_connections: bool = False  # socket upgrades answer HTTP 503
    rest_body: str = ""  # SF REST answers HTTP 200 with this body as is (malformed); "" = off
    # SF /ws/new hands out this many tokens already at their end (-1 = every one):
    # the token expires on its way to the socket, whose upgrade then answers 401.
    expired_tokens: int = 0


def dumps(obj: Any) -> str:
    return orjson.dumps(obj).decode()


class Conn:
    """A connected client. `subs` holds channels (SAP) or (channel, scope, id) (SF)."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        request: web.Request,
        provider: str,
        switches: FaultSwitches,
    ) -> None:
        self.ws = ws
        self.request = request
        self.provider = provider
        self.switches = switches
        self.subs: set[Any] = set()
        self.credential = ""  # key (SAP) or WebSocket token (SF)
        self.account = ""  # SF account credential
        self.held: str | None = None
        self.last_data: str | None = None
        self.prev_data: str | None = None
        self.frames_sent = 0
        self.replay_armed = False  # SAP fault replay_on_reconnect: an older frame is due
        self.received: list[Any] = []
        self.tasks: set[asyncio.Task[None]] = set()

    @property
    def closed(self) -> bool:
        return self.ws.closed

    async def _raw(self, text: str) -> None:
        if self.ws.closed:
            return
        try:
            await self.ws.send_str(text)
            self.frames_sent += 1
        except ConnectionError, RuntimeError:
            pass

    async def send_control(self, obj: Any) -> None:
        """A reply (welcome, pong, subscribed, error): only `silent` applies."""
        if not self.switches.silent:
            await self._raw(dumps(obj) if not isinstance(obj, str) else obj)

    async def send_data(self, text: str) -> None:
        """A data frame: every switch applies."""
        sw = self.switches
        if sw.silent:
            return
        self.prev_data, self.last_data = self.last_data, text
        out = [text]
        if sw.reorder:
            if self.held is None:
                self.held = text
                return
            out = [text, self.held]
            self.held = None
        elif self.held is not None:
            out = [self.held, text]
            self.held = None
        for frame in out:
            if sw.slow:
                await asyncio.sleep(sw.slow)
            await self._raw(frame)
            if sw.duplicate:
                await self._raw(frame)

    async def send_raw(self, text: str) -> None:
        """A fault frame, sent as is."""
        if not self.switches.silent:
            await self._raw(text)

    async def close(self, code: int = 1000, message: str = "") -> None:
        if not self.ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.close(code=code, message=message.encode())

    def abort(self) -> None:
        """Drop the TCP connection without a closing handshake."""
        transport = self.request.transport
        if transport is not None:
            transport.abort()


async def send_all(plan: list[tuple[Conn, list[str]]]) -> None:
    """Send each connection its data frames, in order; connections in parallel."""

    async def one(conn: Conn, frames: list[str]) -> None:
        for text in frames:
            await conn.send_data(text)

    jobs = [one(c, f) for c, f in plan if f]
    if len(jobs) == 1:
        await jobs[0]
    elif jobs:
        await asyncio.gather(*jobs)
