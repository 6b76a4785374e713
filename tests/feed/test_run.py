"""The caller owns the tasks: `run()` is a coroutine the caller runs, `stop()` ends it.

Home Assistant runs `client.run()` as an entry background task and calls
`client.stop()` at unload (or cancels the task itself): either way every socket
is closed and no task of the feed is left. Also the package's public surface:
what `feed` exports, its default URLs, and that tasks are created in one place.
"""

import asyncio
from collections.abc import AsyncIterator
import contextlib
from pathlib import Path
import re
from typing import Any, override

import aiohttp
import pytest

from custom_components.live_scores import feed
from custom_components.live_scores.feed import (
    ConnectionState,
    Credentials,
    FeedClient,
    Provider,
    Targets,
    create_client,
)
from custom_components.live_scores.feed.connection import PushClient
from custom_components.live_scores.feed.soccerfootball import SoccerFootballClient
from custom_components.live_scores.feed.sportsapipro import SportsAPIProClient
from tests.simulator import Simulator

from .harness import FAST, sap_credentials, sf_credentials, until
from .helpers import Recorder

FEED_DIR = Path(feed.__file__).parent
MLL_RMA = "b01d28ac92221034"
TARGETS = Targets(matches=frozenset({MLL_RMA, "4467358"}))
PROVIDERS = ["sportsapipro", "soccerfootball"]


def _feed_tasks() -> list[asyncio.Task[Any]]:
    """Pending tasks running the feed's code (the simulator's own are not counted)."""
    found = []
    for task in asyncio.all_tasks():
        code = getattr(task.get_coro(), "cr_code", None)
        if not task.done() and code is not None and "live_scores/feed" in code.co_filename:
            found.append(task)
    return found


def _connections(client: FeedClient) -> int:
    return int(client.diagnostics()["counters"].get("connections", 0))


@contextlib.asynccontextmanager
async def _client(simulator: Simulator, provider: str) -> AsyncIterator[FeedClient]:
    credentials = (
        sap_credentials(simulator) if provider == "sportsapipro" else sf_credentials(simulator)
    )
    conns = simulator.sap.conns if provider == "sportsapipro" else simulator.sf.conns
    async with aiohttp.ClientSession() as session:
        client = create_client(credentials, session, Recorder(), timing=FAST)
        client.set_targets(TARGETS)
        yield client
        assert _feed_tasks() == []
        await until(lambda: all(c.closed for c in conns), "no socket left")
    assert client.state is ConnectionState.STOPPED


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_stop_ends_the_callers_run_which_returns(simulator: Simulator, provider: str) -> None:
    async with _client(simulator, provider) as client:
        steps: list[str] = []

        async def owner() -> None:
            await client.run()
            steps.append("run returned")  # the caller's task goes on

        task = asyncio.get_running_loop().create_task(owner())
        await until(lambda: client.state is ConnectionState.CONNECTED, "connected")
        await client.stop()
        assert _feed_tasks() == []
        await task  # no CancelledError: stop() is not a cancellation of the caller
        assert steps == ["run returned"]
        # A stopped client stays stopped: run() returns at once, nothing connects.
        connections = _connections(client)
        await client.run()
        assert _connections(client) == connections
        assert client.state is ConnectionState.STOPPED


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_cancelling_the_callers_task_cleans_up(simulator: Simulator, provider: str) -> None:
    """What Home Assistant does at unload: the background task is cancelled."""
    async with _client(simulator, provider) as client:
        task = asyncio.get_running_loop().create_task(client.run())
        await until(lambda: client.state is ConnectionState.CONNECTED, "connected")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert client.state is ConnectionState.STOPPED
        assert _feed_tasks() == []
        await client.stop()  # afterwards: harmless


async def test_a_cancel_during_a_stop_still_cancels(simulator: Simulator) -> None:
    async with _client(simulator, "sportsapipro") as client:
        task = asyncio.get_running_loop().create_task(client.run())
        await until(lambda: client.state is ConnectionState.CONNECTED, "connected")
        stopping = asyncio.get_running_loop().create_task(client.stop())
        task.cancel()  # the caller's own cancellation is not swallowed
        with pytest.raises(asyncio.CancelledError):
            await task
        await stopping


async def test_two_stops_at_once(simulator: Simulator) -> None:
    async with _client(simulator, "soccerfootball") as client:
        task = asyncio.get_running_loop().create_task(client.run())
        await until(lambda: client.state is ConnectionState.CONNECTED, "connected")
        await asyncio.gather(client.stop(), client.stop())
        await task


async def test_one_run_at_a_time(simulator: Simulator) -> None:
    async with _client(simulator, "sportsapipro") as client:
        task = asyncio.get_running_loop().create_task(client.run())
        await until(lambda: client.state is ConnectionState.CONNECTED, "connected")
        with pytest.raises(RuntimeError, match="already running"):
            await client.run()
        await client.start()  # nothing: run() already runs
        assert _connections(client) == 1
        await client.stop()
        await task


async def test_start_is_run_in_a_task_of_the_clients_own(simulator: Simulator) -> None:
    async with _client(simulator, "sportsapipro") as client:
        await client.start()
        await client.stop()  # before that task even began: nothing connected
        assert _connections(client) == 0
        assert client.state is ConnectionState.STOPPED
        await client.start()  # start() may start a stopped client again
        await until(lambda: client.state is ConnectionState.CONNECTED, "connected")
        await client.stop()


class StopsItself(PushClient):
    """A client whose connection asks for a stop from inside `run()`."""

    provider = Provider.SPORTSAPIPRO

    def __init__(self) -> None:
        super().__init__(Credentials(Provider.SPORTSAPIPRO, "k"), None, Recorder(), timing=FAST)  # type: ignore[arg-type]

    @override
    async def validate(self) -> Any:  # pragma: no cover - not used
        raise NotImplementedError

    @override
    def set_targets(self, targets: Targets) -> None:  # pragma: no cover - not used
        self._targets = targets

    @override
    async def _connect_and_serve(self) -> None:
        self._connected()
        await self.stop()  # from the task running run(): it cannot wait for itself

    @override
    async def _close_sockets(self) -> None:
        pass


async def test_a_stop_from_inside_the_run_ends_it() -> None:
    client = StopsItself()
    await client.run()  # returns: the loop saw the stop
    assert client.state is ConnectionState.STOPPED
    assert _connections(client) == 1
    assert _feed_tasks() == []


# -- the package's surface ------------------------------------------------------------


def test_everything_exported_is_there() -> None:
    assert sorted(feed.__all__) == sorted(set(feed.__all__))
    for name in feed.__all__:
        assert getattr(feed, name) is not None, name
    # What the Home Assistant layer imports, from the package itself.
    for name in (
        "AccountInfo",
        "AuthFailed",
        "CannotConnect",
        "ConnectionState",
        "Credentials",
        "EventType",
        "FINAL_STATUSES",
        "FeedClient",
        "FeedError",
        "GameSummary",
        "Match",
        "MatchEvent",
        "PlanNotSupported",
        "Provider",
        "QuotaExceeded",
        "Side",
        "Sport",
        "Status",
        "Targets",
        "Team",
        "Timing",
        "account_hash",
        "create_client",
        "normalize",
        "validate",
    ):
        assert name in feed.__all__, name


def test_default_urls_and_schemes() -> None:
    sap, sf = Provider.SPORTSAPIPRO, Provider.SOCCERFOOTBALL
    assert feed.default_url("sportsapipro") == "wss://v1.football.sportsapipro.com/ws"
    assert feed.default_url(sf) == "https://api.soccerfootball.info"
    assert feed.default_url(sf, "rapidapi") == "https://soccer-football-info.p.rapidapi.com"
    assert feed.default_url(sap, "rapidapi") == feed.default_url(sap)  # no such access
    assert set(feed.DEFAULT_URLS.values()) == {
        feed.default_url(sap),
        feed.default_url(sf),
        feed.default_url(sf, "rapidapi"),
    }
    assert feed.is_default_url("https://api.soccerfootball.info/")
    assert not feed.is_default_url("http://127.0.0.1:8080")
    assert feed.url_accepted("sportsapipro", "wss://relay.example/ws")
    assert feed.url_accepted(sap, "ws://127.0.0.1:1/ws")
    assert not feed.url_accepted(sap, "https://v1.football.sportsapipro.com")
    assert feed.url_accepted(sf, "http://127.0.0.1:1")
    assert not feed.url_accepted("soccerfootball", "wss://ws-eu.soccerfootball.info/")
    # The clients use those very addresses when given none.
    recorder = Recorder()
    client = create_client(Credentials(sap, "k"), None, recorder)  # type: ignore[arg-type]
    assert isinstance(client, SportsAPIProClient)
    assert client._ws_url == feed.default_url(sap)
    for access in ("direct", "rapidapi"):
        other = create_client(Credentials(sf, "k", access), None, recorder)  # type: ignore[arg-type]
        assert isinstance(other, SoccerFootballClient)
        assert other._base == feed.default_url(sf, access)


def test_tasks_are_created_in_one_place() -> None:
    """No bare `create_task` in the feed: `tasks.start_task` is the only one."""
    found = [
        (path.name, number)
        for path in sorted(FEED_DIR.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b(create_task|ensure_future)\(", line)
    ]
    assert len(found) == 1, found
    assert found[0][0] == "tasks.py"


def test_the_package_reads_like_a_library() -> None:
    assert (FEED_DIR / "py.typed").is_file()
    assert (FEED_DIR / "README.md").is_file()
    for path in FEED_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from __future__ import annotations" not in text, path.name
        assert not re.search(r"^\s*(from|import) homeassistant", text, re.M), path.name
