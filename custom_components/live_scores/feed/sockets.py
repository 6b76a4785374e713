"""One WebSocket: open it, read it (pinging, skipping bad frames), close it.

`read_socket` pings, reconnects a silent socket (by raising `SilentSocket`), and
counts and skips malformed frames at debug level (`SkipLog`). Its pinger is a
task made by the client's task factory (`tasks.py`), ended before it returns.
"""

import asyncio
from collections.abc import Awaitable, Callable
import logging
import time
from typing import Any

import aiohttp
import orjson

from .api import Timing
from .errors import CannotConnect, FeedError, http_error
from .tasks import TaskFactory, start_task

_LOGGER = logging.getLogger(__name__)

MAX_FRAME = 64 * 1024 * 1024
CLOSE_TIMEOUT = 2.0

Frame = dict[str, Any]
# A frame's handler: it does the frame's work at once and returns None, or returns
# what is left to await (the reader awaits it before the next frame). Most frames
# need no wait: a coroutine per frame would cost more than the usual frame's work.
FrameHandler = Callable[[Frame], Awaitable[None] | None]


class SilentSocket(CannotConnect):
    """No frame arrived for `Timing.silence_timeout` seconds."""


# Skipped frames are logged at debug level only: the first at once, then at
# most one line per interval, with the count since the previous line.
SKIP_LOG_INTERVAL = 60.0


class SkipLog:
    """Rate-limited debug lines about skipped frames (bad input is normal input)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, interval: float = SKIP_LOG_INTERVAL
    ) -> None:
        self._clock = clock
        self._interval = interval
        self._due: float | None = None
        self.pending = 0

    def skipped(self, why: str, err: BaseException | None = None) -> None:
        """One frame was skipped; logged unless a line was written recently.

        `err` is what the frame's handler raised: only its type and place are logged.
        """
        self.pending += 1
        now = self._clock()
        if self._due is not None and now < self._due:
            return
        self._due = now + self._interval
        _LOGGER.debug(
            "Skipped %d malformed frame(s) since the last report; the latest: %s",
            self.pending,
            why if err is None else f"{why}: {describe_where(err)}",
        )
        self.pending = 0


def describe_where(err: BaseException) -> str:
    """An exception's type and where it was raised: no message (it may quote the frame)."""
    where = ""
    tb = err.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        where = f" in {code.co_name} ({code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno})"
        tb = tb.tb_next
    return type(err).__name__ + where


async def read_socket(
    ws: aiohttp.ClientWebSocketResponse[bool],
    timing: Timing,
    ping: str,
    on_frame: FrameHandler,
    counters: dict[str, int],
    *,
    task_factory: TaskFactory = start_task,
) -> None:
    """Read frames until the socket closes; raise `SilentSocket` if it goes quiet.

    Text and binary frames alike are read as JSON (a binary frame holding JSON is
    taken as text would be). A frame that is not a JSON object (`malformed`), or
    whose handler raised (`frame_errors`, a bug of ours that one frame triggered)
    is counted and skipped, logged at debug level and rate-limited; the loop goes
    on. Only a `FeedError` from the handler ends the connection. The pinger runs in
    a task made by `task_factory`.
    """
    loop = asyncio.get_running_loop()
    skips = SkipLog(loop.time)
    pinger = task_factory(_ping(ws, timing.ping_interval, ping), "feed socket pinger")
    try:
        # One deadline for the whole read, moved on lazily by a watchdog: a
        # timeout per `receive` would cost a timer per frame.
        async with asyncio.timeout(None) as deadline:
            watchdog = Watchdog(loop, timing.silence_timeout, deadline)
            try:
                await _read_frames(ws, on_frame, counters, skips, watchdog)
            finally:
                watchdog.cancel()
    except TimeoutError:
        counters["silent"] = counters.get("silent", 0) + 1
        raise SilentSocket("no frame for too long; reconnecting") from None
    finally:
        pinger.cancel()
        await asyncio.gather(pinger, return_exceptions=True)


class Watchdog:
    """Expires a deadline once no frame was heard for `silence` seconds.

    The reader stamps `heard_at` per frame (a float, no timer); the one timer
    looks at it when it is due and, if a frame came meanwhile, waits again.
    """

    __slots__ = ("_deadline", "_handle", "_loop", "_silence", "heard_at")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, silence: float, deadline: asyncio.Timeout
    ) -> None:
        self._loop = loop
        self._silence = silence
        self._deadline = deadline
        self.heard_at = loop.time()
        self._handle: asyncio.TimerHandle | None = loop.call_at(
            self.heard_at + silence, self._check
        )

    def _check(self) -> None:
        due = self.heard_at + self._silence
        if self._loop.time() >= due:
            self._handle = None
            self._deadline.reschedule(self._loop.time())
        else:
            self._handle = self._loop.call_at(due, self._check)

    def cancel(self) -> None:
        """Stop watching (the read ended)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


async def _read_frames(
    ws: aiohttp.ClientWebSocketResponse[bool],
    on_frame: FrameHandler,
    counters: dict[str, int],
    skips: SkipLog,
    watchdog: Watchdog,
) -> None:
    """`read_socket`'s loop: until the socket closes (or the deadline cancels it)."""
    time_now = asyncio.get_running_loop().time
    while True:
        msg = await ws.receive()
        watchdog.heard_at = time_now()
        if msg.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
            counters["frames"] = counters.get("frames", 0) + 1
            if msg.type is aiohttp.WSMsgType.BINARY:
                counters["binary_frames"] = counters.get("binary_frames", 0) + 1
            try:
                frame = orjson.loads(msg.data)
            except orjson.JSONDecodeError:
                counters["malformed"] = counters.get("malformed", 0) + 1
                skips.skipped("not JSON")
                continue
            if not isinstance(frame, dict):
                counters["malformed"] = counters.get("malformed", 0) + 1
                skips.skipped("not a JSON object")
                continue
            try:
                if (pending := on_frame(frame)) is not None:
                    await pending
            except FeedError:
                raise
            except Exception as err:  # noqa: BLE001 - one bad frame never ends the loop
                counters["frame_errors"] = counters.get("frame_errors", 0) + 1
                skips.skipped("could not be handled", err)
        elif msg.type is aiohttp.WSMsgType.ERROR:
            raise CannotConnect("the connection failed")
        elif msg.type in (
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSING,
            aiohttp.WSMsgType.CLOSED,
        ):
            return


async def _ping(ws: aiohttp.ClientWebSocketResponse[bool], interval: float, ping: str) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await ws.send_str(ping)
        except aiohttp.ClientError, ConnectionError, RuntimeError:
            return  # the reader sees the close


async def close_socket(ws: aiohttp.ClientWebSocketResponse[bool] | None) -> None:
    """Close a socket, never raising."""
    if ws is None:
        return
    try:
        if not ws.closed:
            # Longer than the socket's own close timeout (`ws_close`), which
            # releases the connection when it fires; this one is the last resort.
            async with asyncio.timeout(CLOSE_TIMEOUT + 1):
                await ws.close()
    except TimeoutError, aiohttp.ClientError, ConnectionError, RuntimeError:
        pass
    finally:
        # Whatever happened (a close that hung, or was cancelled while it waited
        # for the reader to let go): release the connection, so that nothing is
        # left unclosed. aiohttp offers no public abort; closing twice is a no-op.
        response = getattr(ws, "_response", None)
        if response is not None:
            response.close()


async def open_socket(
    session: aiohttp.ClientSession,
    url: str,
    timing: Timing,
    what: str,
    headers: dict[str, str] | None = None,
) -> aiohttp.ClientWebSocketResponse[bool]:
    """Open a WebSocket; map every failure to our errors with a redacted message."""
    try:
        async with asyncio.timeout(timing.connect_timeout):
            return await session.ws_connect(
                url,
                headers=headers,
                autoping=True,
                max_msg_size=MAX_FRAME,
                timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=CLOSE_TIMEOUT),
                decode_text=False,
            )
    except aiohttp.WSServerHandshakeError as err:
        raise http_error(err.status, what, err.headers) from None
    except TimeoutError:
        raise CannotConnect(f"{what}: timed out connecting") from None
    except (aiohttp.ClientError, OSError) as err:
        raise CannotConnect(f"{what}: cannot connect ({type(err).__name__})") from None
