"""What both clients share: the connection loop, its backoff, and its tasks.

`PushClient.run()` is the connection loop, a coroutine its caller runs in a task
of its own: it (re)connects with exponential backoff and full jitter
(`backoff.py`), stops fast retries after an authentication failure or a spent
quota, until `stop()`. One socket is read by `sockets.read_socket`; what the
client learns goes to its listener through `delivery.py`.

Tasks: besides the one running `run()`, which the caller owns, every task the
client starts is made by its task factory (`tasks.py`) and owned by the code that
created it: `_spawn` for a client's work (cancelled and awaited by `stop()` and at
the end of `run()`), `read_socket` for its pinger (ended before it returns).
"""

from abc import abstractmethod
import asyncio
from collections.abc import Coroutine
import logging
from typing import Any, override

import aiohttp

from .api import ConnectionState, Credentials, FeedListener, GameSummary, Timing
from .backoff import Backoff
from .delivery import DeliveringClient
from .errors import AuthFailed, CannotConnect, FeedError, PlanNotSupported, QuotaExceeded
from .sockets import describe_where
from .tasks import OwnedTasks, TaskFactory, start_task

_LOGGER = logging.getLogger(__name__)

# The longest wait after a spent quota, whatever its stated reset (quotas are daily).
MAX_FAILURE_WAIT = 86400.0


class PushClient(DeliveringClient):
    """The connection policy and task ownership both providers share."""

    def __init__(
        self,
        credentials: Credentials,
        session: aiohttp.ClientSession,
        listener: FeedListener,
        *,
        timing: Timing | None = None,
        task_factory: TaskFactory | None = None,
    ) -> None:
        super().__init__(credentials, session, listener, timing=timing)
        self._backoff = Backoff(self._timing)
        # Makes every task the client starts: the caller's factory, or `start_task`.
        self._task_factory: TaskFactory = task_factory or start_task
        # The task `start()` created for `run()`; the task running `run()` (the
        # caller's, or that one) and what tells `stop()` that the run ended.
        self._task: asyncio.Task[None] | None = None
        self._runner: asyncio.Task[Any] | None = None
        self._run_ended: asyncio.Event | None = None
        self._stop_cancel = False
        # Every task `_spawn` started and that has not ended yet.
        self._tasks = OwnedTasks(self._task_factory, self._task_failed)
        # Kinds of trouble already logged as a warning (until a stable connection).
        self._warned: set[str] = set()
        self._stopping = False

    # -- FeedClient ---------------------------------------------------------

    @override
    async def run(self) -> None:
        """Connect, serve and reconnect with backoff until `stop()`.

        The caller runs this coroutine in a task it owns (Home Assistant: an
        entry's background task). `stop()`, from another task, ends it: it returns
        normally once every socket is closed and every task the client started
        has ended. Cancelling the task that runs it does the same cleanup, then
        the cancellation goes on. A stopped client stays stopped: `run()` then
        returns at once (`start()` may start it again).
        """
        runner = asyncio.current_task()
        if runner is None:  # pragma: no cover - a coroutine runs in a task
            raise RuntimeError("run() needs a task")
        if self._runner is not None:
            raise RuntimeError(f"{self.provider} feed: run() is already running")
        if self._stopping:
            return
        self._runner = runner
        ended = self._run_ended = asyncio.Event()
        self._set_state(ConnectionState.CONNECTING, None)
        try:
            await self._reconnect_forever()
        except asyncio.CancelledError:
            # Cancelled by stop() alone: the run is over, the caller's task goes on.
            if not self._stop_cancel or runner.uncancel() > 0:
                raise
        finally:
            self._stopping = True  # nothing new starts
            try:
                await self._wind_down()
            finally:
                self._runner = None
                self._stop_cancel = False
                ended.set()

    @override
    async def start(self) -> None:
        """Run `run()` in a task of the client's own (returns at once).

        For a caller that owns no task; one that does awaits `run()` itself.
        """
        if (self._task is not None and not self._task.done()) or self._runner is not None:
            return
        self._stopping = False
        self._set_state(ConnectionState.CONNECTING, None)
        self._task = self._task_factory(self.run(), f"live_scores {self.provider} feed")

    @override
    async def stop(self) -> None:
        """End `run()` and close everything; no task or socket is left behind.

        A stop may land anywhere, in the middle of a connect too: the run is
        cancelled (it returns normally), every task the client started is
        cancelled (and any they started while being cancelled), then every socket
        a subclass registered is closed.
        """
        stopping, self._stopping = self._stopping, True
        own, self._task = self._task, None
        runner, ended = self._runner, self._run_ended
        current = asyncio.current_task()
        if runner is not None and ended is not None and runner is not current:
            if not stopping:  # else a stop, or the end of the run, is under way
                self._stop_cancel = True
                runner.cancel()
            await ended.wait()
        elif own is not None and own is not current:
            own.cancel()  # start()'s task, before its run() began
        if own is not None and own is not current:
            await asyncio.gather(own, return_exceptions=True)
        await self._wind_down()

    async def _wind_down(self) -> None:
        """Cancel every task `_spawn` started (and any started meanwhile); close the sockets."""
        await self._tasks.end()
        await self._close_quietly()
        if self._catch_up is not None:
            self._catch_up.cancel()
            self._catch_up = None
        self._set_state(ConnectionState.STOPPED, self._error)

    @override
    def diagnostics(self) -> dict[str, Any]:
        """Counters and state, with nothing secret in them."""
        return {
            "provider": str(self.provider),
            "access": self._credentials.access,
            "state": self._state.value,
            "last_error": None if self._error is None else str(self._error),
            "counters": dict(self.counters),
            "tracked_matches": len(self._tracker),
            "dropped_stale": self._tracker.dropped_stale,
            "backoff_attempt": self._backoff.attempt,
            "targets": {
                "matches": len(self._targets.matches),
                "teams": len(self._targets.teams),
                "team_names": len(self._targets.team_names),
                "competitions": len(self._targets.competitions),
                "sports": sorted(str(s) for s in self._targets.sports),
            },
        }

    @override
    def games(self) -> list[GameSummary]:  # pragma: no cover - overridden
        """Games the feed has mentioned."""
        return []

    # -- for subclasses -----------------------------------------------------

    @abstractmethod
    async def _connect_and_serve(self) -> None:
        """Connect, serve until the connection ends; raise a `FeedError` why."""

    @abstractmethod
    async def _close_sockets(self) -> None:
        """Close every open socket."""

    def _spawn[T](
        self, coro: Coroutine[Any, Any, T], *, name: str | None = None, report: bool = True
    ) -> asyncio.Task[T] | None:
        """Run `coro` in a task the client owns; while stopping, close it and return None.

        `stop()`, and the end of `run()`, cancel and await every such task. With
        `report`, a failure is counted and logged (work nobody awaits); without,
        whoever keeps the task reads its outcome (a socket's reader).
        """
        if self._stopping:
            coro.close()  # stopping: nothing new starts
            return None
        what = name or getattr(coro, "__qualname__", "task")
        return self._tasks.start(coro, f"live_scores {self.provider} feed: {what}", report=report)

    def _task_failed(self, err: BaseException) -> None:
        """A task `_spawn` started with `report` failed: counted, and logged."""
        self._count("task_errors")
        if isinstance(err, FeedError | aiohttp.ClientError | OSError):
            # A socket that closed under a send: its reader sees it and reconnects.
            _LOGGER.debug("Background feed task failed: %s", type(err).__name__)
            return
        self._count("unexpected_errors")
        where = describe_where(err)
        self._warn_once(
            f"task:{where}", "%s feed: a background task failed: %s", self.provider, where
        )

    def _warn_once(self, kind: str, message: str, *args: Any) -> None:
        """Log a warning the first time a kind of trouble is seen, then at debug level.

        The kinds are forgotten once a connection has been stable: a trouble that
        comes back after that is logged again, once.
        """
        if kind in self._warned:
            _LOGGER.debug(message, *args)
            return
        self._warned.add(kind)
        _LOGGER.warning(message, *args)

    async def _close_quietly(self) -> None:
        """Close every socket; a failure there is counted, never raised."""
        try:
            await self._close_sockets()
        except Exception as err:  # noqa: BLE001 - the loop must go on
            self._count("unexpected_errors")
            where = describe_where(err)
            self._warn_once(f"close:{where}", "%s feed: closing failed: %s", self.provider, where)

    def _failure_wait(self, err: FeedError) -> float:
        """How long to wait after a refusal: the quota's reset if stated, else `auth_retry`."""
        wait = self._timing.auth_retry
        if isinstance(err, QuotaExceeded) and err.retry_after is not None:
            # NaN falls back to the minimum; infinity or a far date to a day.
            wait = min(max(self._timing.backoff_min, err.retry_after), MAX_FAILURE_WAIT)
        return wait

    def _uptime(self, now: float) -> float:
        """How long the current connection has been up (0 if it never came up)."""
        return 0.0 if self._connected_at is None else now - self._connected_at

    async def _reconnect_forever(self) -> None:
        """Connect, serve, and reconnect with backoff until `stop()` (the body of `run`).

        Nothing else ends this loop. A refusal (key, quota, plan) waits long; a
        dropped or failed connection backs off; anything it does not expect (a
        bug of ours some answer triggered) is counted as `unexpected_errors`,
        logged once per kind as a warning (type and place, never the message: it
        may quote what the server sent), and retried with backoff too.
        """
        loop = asyncio.get_running_loop()
        while not self._stopping:
            self._connected_at = None
            try:
                await self._connect_and_serve()
                error: FeedError = CannotConnect("the server closed the connection")
            except (AuthFailed, QuotaExceeded, PlanNotSupported) as err:
                await self._close_quietly()
                self._count("failures")
                self._set_state(ConnectionState.FAILED, err)
                wait = self._failure_wait(err)
                self._warn_once(
                    f"failed:{type(err).__name__}",
                    "%s feed stopped: %s; retrying in %.0f s",
                    self.provider,
                    err,
                    wait,
                )
                await asyncio.sleep(wait)
                self._set_state(ConnectionState.CONNECTING, err)
                continue
            except FeedError as err:
                error = err
            except (aiohttp.ClientError, OSError, ValueError) as err:
                error = CannotConnect(f"connection failed ({type(err).__name__})")
            except Exception as err:  # noqa: BLE001 - counted, logged once, retried
                self._count("unexpected_errors")
                where = describe_where(err)
                self._warn_once(
                    f"unexpected:{where}",
                    "%s feed: unexpected %s; reconnecting with backoff",
                    self.provider,
                    where,
                )
                error = CannotConnect(f"unexpected error ({type(err).__name__})")
            await self._close_quietly()
            self._count("disconnects")
            if self._uptime(loop.time()) >= self._timing.stable_after:
                self._backoff.reset()
                self._warned.clear()
            delay = self._backoff.next()
            _LOGGER.debug(
                "%s feed disconnected (%s); retrying in %.1f s", self.provider, error, delay
            )
            self._set_state(ConnectionState.DISCONNECTED, error)
            await asyncio.sleep(delay)
            self._set_state(ConnectionState.CONNECTING, error)
