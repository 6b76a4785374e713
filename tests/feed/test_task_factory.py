"""The caller's task factory makes every task a client starts; `stop()` still ends them.

Home Assistant passes `entry.async_create_background_task`, so that it sees the
socket readers, pingers and resubscriptions too, not only the task running
`run()`.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any

import aiohttp
import pytest

from custom_components.live_scores.feed import ConnectionState, Targets, create_client
from tests.simulator import Simulator

from .harness import FAST, sap_credentials, sf_credentials, until
from .helpers import Recorder
from .test_run import MLL_RMA, PROVIDERS, TARGETS, _feed_tasks


class RecordingFactory:
    """A `TaskFactory` that keeps every task it made."""

    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[Any]] = []

    def __call__[T](self, coro: Coroutine[Any, Any, T], name: str, /) -> asyncio.Task[T]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.append(task)
        return task

    def names(self) -> set[str]:
        return {task.get_name() for task in self.tasks}


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_every_task_of_the_client_comes_from_the_callers_factory(
    simulator: Simulator, provider: str
) -> None:
    credentials = (
        sap_credentials(simulator) if provider == "sportsapipro" else sf_credentials(simulator)
    )
    factory = RecordingFactory()
    async with aiohttp.ClientSession() as session:
        client = create_client(credentials, session, Recorder(), timing=FAST, task_factory=factory)
        client.set_targets(TARGETS)
        runner = asyncio.get_running_loop().create_task(client.run())
        await until(lambda: client.state is ConnectionState.CONNECTED, "connected")
        await until(lambda: "feed socket pinger" in factory.names(), "a pinger")
        client.set_targets(Targets(matches=frozenset({MLL_RMA})))  # a resubscription
        assert any("subscri" in name for name in factory.names()), factory.names()
        if provider == "soccerfootball":
            assert "live_scores soccerfootball feed: socket reader" in factory.names()
        assert set(_feed_tasks()) - {runner} <= set(factory.tasks)
        await client.stop()
        await runner
        assert all(task.done() for task in factory.tasks)
        assert _feed_tasks() == []


async def test_start_runs_the_loop_in_a_task_of_the_factory(simulator: Simulator) -> None:
    factory = RecordingFactory()
    async with aiohttp.ClientSession() as session:
        client = create_client(
            sap_credentials(simulator), session, Recorder(), timing=FAST, task_factory=factory
        )
        client.set_targets(TARGETS)
        await client.start()
        assert [task.get_name() for task in factory.tasks] == ["live_scores sportsapipro feed"]
        await until(lambda: client.state is ConnectionState.CONNECTED, "connected")
        await client.stop()
        assert all(task.done() for task in factory.tasks)
        assert _feed_tasks() == []
