"""SoccerFootball.info's WebSockets: open, subscribe, renew the token, hand over.

A socket (`Conn`) is opened with a token from `soccerfootball_rest.py`, read by
`sockets.read_socket` in a task of its own, and subscribed to what the client
plans within the token's limits. Before the token expires it is renewed; a new
token gets a new socket, subscribed before the old one is closed (`_handover`),
unless the plan allows one connection only. A close code or an error frame
tells an expired token (get a new one) from a connection limit or a drop.
"""

from abc import abstractmethod
import asyncio
from dataclasses import dataclass, field
from functools import partial
import logging
from typing import Any, override

import aiohttp
import orjson
from yarl import URL

from . import soccerfootball_rest  # for `wall_time`, read there at each call (tests move it)
from .errors import AuthFailed, CannotConnect, FeedError, QuotaExceeded
from .privacy import redact
from .soccerfootball_rest import SoccerFootballRest, WsToken
from .sockets import Frame, close_socket, open_socket, read_socket

_LOGGER = logging.getLogger(__name__)

PING = orjson.dumps({"action": "ping"}).decode()
EXPIRED_CLOSE_CODES = frozenset({4001, 4401, 1008})
LIMIT_CLOSE_CODES = frozenset({4008, 4029, 4429})
QUICK_TOKENS = 3  # new tokens in a row that may expire at once before backing off
Scope = tuple[str, str, str | None]  # (channel, scope, id)


class TokenRefused(CannotConnect):
    """The socket refused a token the REST call had just handed out: get a new one.

    The key is good (the REST call took it); the token ended on its way to the
    socket, or early. This is no reason to ask the user for a new key.
    """


@dataclass(slots=True)
class Conn:
    """One open socket and what it is subscribed to."""

    token: WsToken
    ws: aiohttp.ClientWebSocketResponse[bool]
    task: asyncio.Task[None] | None = None
    subs: set[Scope] = field(default_factory=set)
    confirmed: set[Scope] = field(default_factory=set)
    expired: bool = False
    limited: bool = False
    all_confirmed: asyncio.Event = field(default_factory=asyncio.Event)


class SoccerFootballSockets(SoccerFootballRest):
    """The sockets of a SoccerFootball.info client (what to subscribe and frames are its own)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._conns: list[Conn] = []
        self._limit_override: int | None = None
        self._sub_lock = asyncio.Lock()

    @abstractmethod
    def plan(self, token: WsToken) -> set[Scope]:
        """What to subscribe to within the plan's limits."""

    @abstractmethod
    def _on_frame(self, conn: Conn, frame: Frame) -> None:
        """Handle one frame of a socket, at once (a `FeedError` ends the connection)."""

    # -- subscriptions ------------------------------------------------------

    async def _subscribe(self, conn: Conn, want: set[Scope]) -> None:
        limit = min(conn.token.max_subscribe, self._limit_override or conn.token.max_subscribe)
        if len(conn.subs | want) > limit:
            await self._send_unsubscribes(conn, conn.subs - want)  # make room first
        for channel, scope, ident in sorted(want - conn.subs, key=str):
            msg: dict[str, Any] = {"action": "subscribe", "channel": channel, "scope": scope}
            if ident is not None:
                msg["id"] = ident
            await conn.ws.send_str(orjson.dumps(msg).decode())
            conn.subs.add((channel, scope, ident))
        conn.all_confirmed.clear()
        if not conn.subs - conn.confirmed:
            conn.all_confirmed.set()
        await self._send_unsubscribes(conn, conn.subs - want)

    async def _send_unsubscribes(self, conn: Conn, scopes: set[Scope]) -> None:
        for channel, scope, ident in sorted(scopes, key=str):
            msg: dict[str, Any] = {"action": "unsubscribe", "channel": channel, "scope": scope}
            if ident is not None:
                msg["id"] = ident
            await conn.ws.send_str(orjson.dumps(msg).decode())
            conn.subs.discard((channel, scope, ident))
            conn.confirmed.discard((channel, scope, ident))

    async def _resubscribe_all(self) -> None:
        async with self._sub_lock:
            for conn in list(self._conns):
                if not conn.ws.closed:
                    await self._subscribe(conn, self.plan(conn.token))

    # -- connections --------------------------------------------------------

    async def _open(self, token: WsToken) -> Conn:
        url = URL(token.server)
        if "token" not in url.query:
            url = url.update_query({"token": token.token})
        _LOGGER.debug("Connecting to %s", redact(url))
        try:
            ws = await open_socket(self._session, str(url), self._timing, "SoccerFootball")
        except QuotaExceeded:
            # HTTP 429 at the upgrade: too many connections, not the REST quota.
            raise CannotConnect("SoccerFootball: too many connections (HTTP 429)") from None
        except AuthFailed:
            raise TokenRefused("SoccerFootball: the socket refused the token") from None
        conn = Conn(token, ws)
        # Registered before anything can be awaited: a stop or an error from here
        # on (waiting for the lock, subscribing) finds the socket and its reader
        # in `_conns` and closes them.
        self._conns.append(conn)
        conn.task = self._spawn(self._read(conn), name="socket reader", report=False)
        async with self._sub_lock:
            await self._subscribe(conn, self.plan(token))
        return conn

    async def _read(self, conn: Conn) -> None:
        await read_socket(
            conn.ws,
            self._timing,
            PING,
            partial(self._on_frame, conn),
            self.counters,
            task_factory=self._task_factory,
        )

    async def _drop(self, conn: Conn) -> None:
        # The socket is closed however this ends (a stop may cancel it while it
        # waits for the reader), and stays in `_conns` until then, so that the
        # stop's own sweep still finds it.
        try:
            if conn.task is not None:
                conn.task.cancel()
                await asyncio.gather(conn.task, return_exceptions=True)
        finally:
            try:
                await close_socket(conn.ws)
            finally:
                if conn in self._conns:
                    self._conns.remove(conn)

    @override
    async def _close_sockets(self) -> None:
        for conn in list(self._conns):
            await self._drop(conn)

    async def _wait_confirmed(self, conn: Conn) -> None:
        """Until the server confirmed every subscription (or a short while)."""
        if not conn.subs - conn.confirmed or conn.task is None:
            return
        waiter = self._spawn(conn.all_confirmed.wait(), name="confirmations", report=False)
        if waiter is None:  # pragma: no cover - stopping: this run is being cancelled
            return
        try:
            done, _ = await asyncio.wait(
                {waiter, conn.task},
                timeout=self._timing.connect_timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            waiter.cancel()
            await asyncio.gather(waiter, return_exceptions=True)
        if not done:
            self._count("unconfirmed_subscriptions")

    def _ended_error(self, conn: Conn) -> FeedError | None:
        """Why a socket ended; None when only its token expired (get a new one)."""
        task = conn.task
        if task is not None and not task.cancelled() and (err := task.exception()) is not None:
            if isinstance(err, FeedError):
                return err
            return CannotConnect(f"SoccerFootball: connection failed ({type(err).__name__})")
        code = conn.ws.close_code
        if conn.limited or code in LIMIT_CLOSE_CODES:
            return CannotConnect(f"SoccerFootball: too many connections (close {code})")
        if conn.expired or code in EXPIRED_CLOSE_CODES:
            return None
        return CannotConnect(f"SoccerFootball: the connection closed (code {code})")

    async def _open_on_new_token(self) -> tuple[WsToken, Conn]:
        """A new token and a socket on it; a token refused at the socket is replaced."""
        for _ in range(QUICK_TOKENS):
            token = await self._new_token()
            try:
                return token, await self._open(token)
            except TokenRefused:
                self._count("token_refused")
        raise CannotConnect("SoccerFootball: the socket keeps refusing new tokens")

    @override
    async def _connect_and_serve(self) -> None:
        token, conn = await self._open_on_new_token()
        self._tracker.begin_resync()
        self._connected()
        quick_expiries = 0
        while True:
            due = token.expires_at - self._timing.renew_before
            task = conn.task
            if task is None:  # pragma: no cover - set by _open
                raise CannotConnect("SoccerFootball: no reader")
            # The expiry is a wall-clock time but asyncio sleeps on the monotonic
            # clock, which stands still while the host is suspended: wake at least
            # every ping interval and read the wall clock again.
            delay = min(due - soccerfootball_rest.wall_time(), self._timing.ping_interval)
            done, _ = await asyncio.wait({task}, timeout=max(0.0, delay))
            if task in done:
                error = self._ended_error(conn)
                await self._drop(conn)
                if error is not None:
                    raise error
                quick_expiries += 1
                if quick_expiries > QUICK_TOKENS:
                    raise CannotConnect("SoccerFootball: tokens keep expiring")
                self._count("token_expired")
                token, conn = await self._open_on_new_token()
                continue
            if soccerfootball_rest.wall_time() < due:
                continue
            quick_expiries = 0
            token, conn = await self._renew_or_move(token, conn)

    async def _renew_or_move(self, token: WsToken, conn: Conn) -> tuple[WsToken, Conn]:
        renewed = await self._renew(token)
        if renewed is not None and renewed.token == token.token:
            if renewed.expires_at <= token.expires_at:
                # Not extended: move to a fresh token rather than renewing in a loop.
                renewed = None
            else:
                self._token = conn.token = renewed
                return renewed, conn
        new = renewed or await self._new_token()
        if new.token == token.token and new.expires_at <= token.expires_at:
            # The server keeps handing back the same token: ride it to its expiry.
            if conn.task is not None:
                await asyncio.wait({conn.task})
            return new, conn
        self._token = new
        return new, await self._handover(conn, new)

    async def _handover(self, old: Conn, token: WsToken) -> Conn:
        """Open and subscribe the new socket before closing the old one."""
        self._count("handovers")
        if token.max_connections < 2:
            await self._drop(old)
            return await self._open(token)
        new: Conn | None
        try:
            opened = await self._open(token)
        except CannotConnect:
            new = None
        else:
            await self._wait_confirmed(opened)
            new = opened
            if opened.task is not None and opened.task.done():
                await self._drop(opened)  # refused (too many connections?)
                new = None
        if new is None:
            # Perhaps the old socket holds the only slot: close it, then retry.
            await self._drop(old)
            return await self._open(token)
        await self._drop(old)
        return new
