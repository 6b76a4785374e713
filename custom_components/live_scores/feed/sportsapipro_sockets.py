"""SportsAPIPro's WebSocket: the handshake, the channels, and what a close means.

One socket per account carries every followed game. The client subscribes the
narrowest channels that carry them (`desired_channels`: a match's own channel,
a sport's, or `all`); after a (re)connect `live` is subscribed too until every
followed match has been heard of (a match channel may say nothing until the
match changes). A close code tells a refused key or a spent quota from a
dropped connection.
"""

from abc import abstractmethod
import asyncio
from collections.abc import Coroutine
import logging
from typing import Any, override

import aiohttp
import orjson
from yarl import URL

from .api import AccountInfo, Targets
from .connection import PushClient
from .errors import AuthFailed, CannotConnect, FeedError, QuotaExceeded
from .model import FINAL_STATUSES
from .privacy import redact
from .sockets import Frame, close_socket, open_socket, read_socket
from .sportsapipro_rest import fetch_status

_LOGGER = logging.getLogger(__name__)

DEFAULT_WS_URL = "wss://v1.football.sportsapipro.com/ws"
AUTH_CLOSE_CODES = frozenset({4001, 4003, 4401, 4403, 1008})
QUOTA_CLOSE_CODES = frozenset({4029, 4429})
PING = orjson.dumps({"type": "ping"}).decode()
ALL = "all"
LIVE = "live"


def desired_channels(targets: Targets) -> set[str]:
    """The narrowest channels that carry every followed game."""
    if not targets:
        return {ALL}
    channels = {f"match:{m}" for m in targets.matches}
    if targets.teams or targets.competitions:
        if not targets.sports:
            return {ALL}
        channels.update(str(s) for s in targets.sports)
    return channels


class SportsAPIProSockets(PushClient):
    """The socket and channels of a SportsAPIPro client (the frames are the client's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ws_url = self._credentials.url or DEFAULT_WS_URL
        self._ws: aiohttp.ClientWebSocketResponse[bool] | None = None
        self._channel_ids: dict[str, int] = {}
        self._subscribed: set[str] = set()
        self._sub_lock = asyncio.Lock()
        self._welcome: dict[str, Any] = {}
        # Catching up after a (re)connect: a `match:{id}` channel may say nothing
        # until the match changes, so `live` is subscribed too until its first
        # frame (or until every followed match has been heard of).
        self._catching_up = False
        self._heard: set[str] = set()

    @override
    async def validate(self) -> AccountInfo:
        """Check the key: REST `/status`, then the WebSocket handshake."""
        info = await fetch_status(
            self._session, self._ws_url, self._credentials.api_key, self._timing
        )
        ws = await self._open()
        try:
            async with asyncio.timeout(self._timing.connect_timeout):
                while True:
                    msg = await ws.receive()
                    if msg.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                        try:
                            frame = orjson.loads(msg.data)
                        except orjson.JSONDecodeError:
                            continue
                        if isinstance(frame, dict) and frame.get("type") == "connected":
                            return info
                    elif msg.type in (
                        aiohttp.WSMsgType.CLOSE,
                        aiohttp.WSMsgType.CLOSING,
                        aiohttp.WSMsgType.CLOSED,
                        aiohttp.WSMsgType.ERROR,
                    ):
                        raise self._close_error(ws.close_code)
        except TimeoutError:
            raise CannotConnect("SportsAPIPro: no welcome on the WebSocket") from None
        finally:
            await close_socket(ws)

    def _keyed_url(self) -> str:
        return str(URL(self._ws_url).update_query({"x-api-key": self._credentials.api_key}))

    async def _open(self) -> aiohttp.ClientWebSocketResponse[bool]:
        return await open_socket(self._session, self._keyed_url(), self._timing, "SportsAPIPro")

    def _close_error(self, code: int | None) -> FeedError:
        if code in AUTH_CLOSE_CODES:
            return AuthFailed(f"SportsAPIPro: the key was refused (close {code})")
        if code in QUOTA_CLOSE_CODES:
            return QuotaExceeded(f"SportsAPIPro: quota exceeded (close {code})")
        return CannotConnect(f"SportsAPIPro: the connection closed (code {code})")

    @override
    async def _connect_and_serve(self) -> None:
        _LOGGER.debug("Connecting to %s", redact(self._ws_url))
        ws = await self._open()
        self._ws = ws
        self._channel_ids = {}
        self._subscribed = set()
        self._tracker.begin_resync()
        try:
            await read_socket(
                ws,
                self._timing,
                PING,
                self._on_frame,
                self.counters,
                task_factory=self._task_factory,
            )
        finally:
            self._ws = None
            self._subscribed = set()
            await close_socket(ws)
        raise self._close_error(ws.close_code)

    @override
    async def _close_sockets(self) -> None:
        ws, self._ws = self._ws, None
        await close_socket(ws)

    def _pending(self) -> set[str]:
        """Followed matches not heard of on this connection whose state may have moved."""
        tracker = self._tracker
        return {
            m
            for m in self._targets.matches
            if m not in self._heard and tracker.status(m) not in FINAL_STATUSES
        }

    def _wanted(self) -> set[str]:
        want = desired_channels(self._targets)
        if self._catching_up and ALL not in want and self._pending():
            want.add(LIVE)
        return want

    async def _sync_subscriptions(self) -> None:
        async with self._sub_lock:
            ws = self._ws
            if ws is None or not self._subscribed:
                return
            want = self._wanted()
            have = set(self._subscribed)
            for channel in sorted(want - have):
                await ws.send_str(orjson.dumps({"type": "subscribe", "channel": channel}).decode())
                self._subscribed.add(channel)
            for channel in sorted(have - want):
                await ws.send_str(
                    orjson.dumps({"type": "unsubscribe", "channel": channel}).decode()
                )
                self._subscribed.discard(channel)
                self._channel_ids.pop(channel, None)

    @abstractmethod
    def _on_frame(self, frame: Frame) -> Coroutine[Any, Any, None] | None:
        """Handle one frame of the socket: at once, or what is left to await.

        A `FeedError` ends the connection.
        """
