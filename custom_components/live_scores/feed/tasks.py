"""The tasks a client starts: who creates them, who keeps them, who ends them.

Besides the task running `run()`, which the caller owns, a client starts tasks of
its own: a socket's reader and pinger, resubscriptions, waits. Each is created by
the client's `TaskFactory`: `start_task` (the one `asyncio.create_task` of the
package) unless the caller gives its own, so that it sees every task (Home
Assistant: `entry.async_create_background_task`). Each is owned by the code that
created it: `OwnedTasks` for a client's work (`PushClient._spawn`; cancelled and
awaited by `stop()` and at the end of `run()`), `read_socket` for its pinger
(ended before it returns).
"""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, Protocol


class TaskFactory(Protocol):
    """Creates a task running `coro`, named `name` (as `asyncio.create_task` does)."""

    def __call__[T](self, coro: Coroutine[Any, Any, T], name: str, /) -> asyncio.Task[T]:
        """A new task, already scheduled."""
        ...


def start_task[T](coro: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
    """A new task: the default `TaskFactory`, the one place in `feed` that creates one."""
    return asyncio.create_task(coro, name=name)


class OwnedTasks:
    """The tasks a client started that have not ended yet; ended together by `end()`."""

    def __init__(self, factory: TaskFactory, failed: Callable[[BaseException], None]) -> None:
        self._factory = factory
        self._failed = failed
        self._running: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._running)

    def start[T](self, coro: Coroutine[Any, Any, T], name: str, *, report: bool) -> asyncio.Task[T]:
        """Run `coro` in a new task, kept until it ends.

        With `report`, a failure goes to `failed` (work nobody awaits); without,
        whoever keeps the task reads its outcome (a socket's reader).
        """
        task = self._factory(coro, name)
        self._running.add(task)
        task.add_done_callback(self._task_done if report else self._running.discard)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._running.discard(task)
        if task.cancelled() or (err := task.exception()) is None:
            return
        self._failed(err)

    async def end(self) -> None:
        """Cancel every task (and any started meanwhile) and wait until all have ended."""
        current = asyncio.current_task()
        while tasks := [t for t in self._running if not t.done() and t is not current]:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        self._running.clear()
