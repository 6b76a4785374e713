"""Loops that cannot die: malformed answers, bugs, stops in the middle of a connect.

Every background loop counts what it did not expect, logs it once (a warning per
kind, not per retry), and retries with backoff; `stop()` leaves no socket and no
task behind, wherever it lands.
"""

import asyncio
from collections.abc import AsyncIterator
import contextlib
import logging
from typing import Any, override

import aiohttp
import pytest
import pytest_asyncio

from custom_components.live_scores.feed import create_client
from custom_components.live_scores.feed.api import (
    ConnectionState,
    Credentials,
    FeedClient,
    Targets,
    Timing,
)
from custom_components.live_scores.feed.connection import MAX_FAILURE_WAIT, PushClient
from custom_components.live_scores.feed.errors import AuthFailed, CannotConnect, QuotaExceeded
from custom_components.live_scores.feed.model import Provider
from custom_components.live_scores.feed.soccerfootball import SoccerFootballClient
from custom_components.live_scores.feed.soccerfootball_rest import _status_number, parse_expiry
from custom_components.live_scores.feed.sockets import close_socket, open_socket
from tests.simulator import Simulator

from .harness import FAST, running, sap_credentials, sf_credentials, until
from .helpers import Recorder

FEED_LOGGER = "custom_components.live_scores.feed"
MLL_RMA = "b01d28ac92221034"
TARGETS = Targets(matches=frozenset({MLL_RMA}))


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith(FEED_LOGGER) and r.levelno >= logging.WARNING
    ]


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def _feed_tasks() -> list[asyncio.Task[Any]]:
    """Pending tasks running our feed code (the simulator's own are not counted)."""
    found = []
    for task in asyncio.all_tasks():
        code = getattr(task.get_coro(), "cr_code", None)
        if not task.done() and code is not None and "live_scores/feed" in code.co_filename:
            found.append(task)
    return found


def _counter(client: FeedClient, name: str) -> int:
    return int(client.diagnostics()["counters"].get(name, 0))


@contextlib.asynccontextmanager
async def _started(
    credentials: Credentials, targets: Targets = TARGETS, timing: Timing = FAST
) -> AsyncIterator[tuple[FeedClient, Recorder]]:
    """The harness's `running`, and then no feed task may be left."""
    async with running(credentials, targets, timing) as started:
        yield started
    assert _feed_tasks() == []


# -- malformed REST answers (SoccerFootball) ---------------------------------------


@pytest.mark.parametrize(
    ("body", "kinds"),
    [
        ('{"errors": 1}', ["errors is not a list"]),
        ('{"errors": {"code": 2}, "result": []}', ["errors is not a list"]),
        ('{"status": "x"}', ["status is not a number", "no result object"]),
        ('{"status": [200], "errors": [], "result": [{"token": "t"}]}', ["status is not a number"]),
        ('{"result": 5}', ["no result object"]),
        ('{"status": 200, "errors": [], "result": ["junk"]}', ["no result object"]),
        ("<html>502 Bad Gateway</html>", ["not a JSON object"]),
        ("[1, 2, 3]", ["not a JSON object"]),
    ],
)
async def test_malformed_rest_answer_is_retried_logged_once_then_recovers(
    simulator: Simulator, caplog: pytest.LogCaptureFixture, body: str, kinds: list[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger=FEED_LOGGER)
    simulator.faults.set("rest_body", body, "sf")
    async with _started(sf_credentials(simulator)) as (client, rec):
        # Several attempts, each failing the same way: retried with backoff.
        await until(lambda: simulator.sf.rest_requests >= 4, "retried")
        await until(
            lambda: client.state in (ConnectionState.DISCONNECTED, ConnectionState.CONNECTING)
        )
        assert client.state is not ConnectionState.CONNECTED
        assert ConnectionState.DISCONNECTED in [s for s, _ in rec.states]
        assert _counter(client, "rest_malformed") >= 3
        assert _counter(client, "unexpected_errors") == 0
        warnings = _warnings(caplog)
        assert len(warnings) == len(kinds), warnings  # once per kind, not per retry
        for kind in kinds:
            assert sum(kind in w for w in warnings) == 1, (kind, warnings)
        # The fault is cleared: the loop connects again on its own.
        simulator.faults.reset()
        await until(lambda: client.state is ConnectionState.CONNECTED, "recovered")
        await until(lambda: client.diagnostics()["confirmed"] == [2], "subscribed")
    assert _errors(caplog) == []
    assert simulator.SF_TOKEN not in caplog.text


def test_envelope_status_numbers() -> None:
    assert [_status_number(v) for v in (200, 200.0, " 429 ", "200", 401.5, "4" * 5000)] == [
        200,
        200,
        429,
        200,
        None,
        None,
    ]
    assert _status_number(True) is None
    assert _status_number(None) is None


def test_parse_expiry_refuses_impossible_times() -> None:
    assert parse_expiry(1.2345678901234568e29, 10.0) == 1510.0  # a huge number
    assert parse_expiry(float("nan"), 10.0) == 1510.0
    assert parse_expiry(float("inf"), 10.0) == 1510.0
    assert parse_expiry(-5, 10.0) == 1510.0
    assert parse_expiry("9999-12-31T23:59:59-23:59", 10.0) == 1510.0
    assert parse_expiry("2024-01-15 14:30:00", 10.0) == 1705329000.0


# -- the retry loop itself -----------------------------------------------------------


class Scripted(PushClient):
    """A client whose connections end as scripted (then it stays connected)."""

    provider = Provider.SPORTSAPIPRO

    def __init__(self, outcomes: list[BaseException | None], listener: Recorder) -> None:
        super().__init__(Credentials(Provider.SPORTSAPIPRO, "k"), None, listener, timing=FAST)  # type: ignore[arg-type]
        self.outcomes = outcomes
        self.close_error: BaseException | None = None

    @override
    async def validate(self) -> Any:  # pragma: no cover - not used
        raise NotImplementedError

    @override
    def set_targets(self, targets: Targets) -> None:  # pragma: no cover - not used
        self._targets = targets

    @override
    async def _connect_and_serve(self) -> None:
        if not self.outcomes:
            self._connected()
            await asyncio.Event().wait()
        outcome = self.outcomes.pop(0)
        if outcome is not None:
            raise outcome

    @override
    async def _close_sockets(self) -> None:
        if self.close_error is not None:
            raise self.close_error


async def test_an_unexpected_error_is_counted_logged_once_and_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=FEED_LOGGER)
    rec = Recorder()
    outcomes: list[BaseException | None] = [TypeError("unhashable: 'list'")] * 3
    outcomes += [KeyError("result"), TypeError("unhashable: 'list'")]
    client = Scripted(outcomes, rec)
    await client.start()
    await until(lambda: not client.outcomes and client.state is ConnectionState.CONNECTED)
    await client.stop()
    assert _counter(client, "unexpected_errors") == 5
    assert _counter(client, "disconnects") == 5
    warnings = _warnings(caplog)
    assert len(warnings) == 2, warnings  # TypeError (one place) and KeyError: once each
    assert all("reconnecting with backoff" in w for w in warnings)
    assert "unhashable" not in caplog.text  # the message may quote a frame: never logged
    dropped = [str(e) for s, e in rec.states if s is ConnectionState.DISCONNECTED]
    assert dropped[0] == "unexpected error (TypeError)"
    assert _feed_tasks() == []


async def test_refusals_are_logged_once_and_waits_are_bounded(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=FEED_LOGGER)
    client = Scripted([], Recorder())
    assert client._failure_wait(QuotaExceeded("spent", float("inf"))) == MAX_FAILURE_WAIT
    assert client._failure_wait(QuotaExceeded("spent", float("nan"))) == FAST.backoff_min
    assert client._failure_wait(QuotaExceeded("spent", 0.0)) == FAST.backoff_min
    assert client._failure_wait(AuthFailed("refused")) == FAST.auth_retry
    quick = Scripted([QuotaExceeded("spent", 0.0)] * 3, Recorder())
    await quick.start()
    await until(lambda: not quick.outcomes and quick.state is ConnectionState.CONNECTED)
    await quick.stop()
    assert _counter(quick, "failures") == 3
    assert len(_warnings(caplog)) == 1


async def test_background_task_and_close_failures_never_end_the_loop(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=FEED_LOGGER)
    client = Scripted([CannotConnect("dropped")], Recorder())
    client.close_error = RuntimeError("close bug")

    async def bug() -> None:
        raise AttributeError("bug")

    async def closed_under_a_send() -> None:
        raise ConnectionResetError

    await client.start()
    for _ in range(3):
        client._spawn(bug())
    client._spawn(closed_under_a_send())
    await until(lambda: _counter(client, "task_errors") == 4, "tasks failed")
    await until(lambda: client.state is ConnectionState.CONNECTED)
    await client.stop()
    assert client.state is ConnectionState.STOPPED
    assert _counter(client, "unexpected_errors") >= 3 + 2  # 3 tasks, and each close
    warnings = _warnings(caplog)
    assert sum("background task failed: AttributeError" in w for w in warnings) == 1
    assert sum("closing failed: RuntimeError" in w for w in warnings) == 1
    # Stopped: nothing new starts.
    client._spawn(bug())
    assert _feed_tasks() == []
    assert _counter(client, "task_errors") == 4


# -- stop() in the middle of a connect ------------------------------------------------


@pytest_asyncio.fixture
async def stalled(socket_enabled: None) -> AsyncIterator[dict[str, Any]]:
    """A TCP server that accepts and never answers the WebSocket upgrade."""
    state: dict[str, Any] = {"open": 0, "accepted": 0}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state["accepted"] += 1
        state["open"] += 1
        try:
            while await reader.read(4096):  # until the client closes
                pass
        finally:
            state["open"] -= 1
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    state["url"] = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/ws"
    try:
        yield state
    finally:
        server.close()
        await server.wait_closed()


async def test_sap_stop_during_the_upgrade_leaves_nothing(stalled: dict[str, Any]) -> None:
    credentials = Credentials(Provider.SPORTSAPIPRO, "SECRET", url=stalled["url"])
    timing = Timing(connect_timeout=60.0)
    async with aiohttp.ClientSession() as session:
        client = create_client(credentials, session, Recorder(), timing=timing)
        client.set_targets(TARGETS)
        await client.start()
        await until(lambda: stalled["accepted"] == 1, "connecting")
        assert client.state is ConnectionState.CONNECTING
        await client.stop()
        assert _feed_tasks() == []
        await until(lambda: stalled["open"] == 0, "the socket closed")
    assert client.state is ConnectionState.STOPPED


async def test_sf_stop_during_the_upgrade_leaves_nothing(
    simulator: Simulator, stalled: dict[str, Any]
) -> None:
    original = simulator.sf._token_result

    def elsewhere(tok: Any, *, is_new: bool) -> dict[str, Any]:
        return {**original(tok, is_new=is_new), "server": f"{stalled['url']}?token={tok.token}"}

    simulator.sf._token_result = elsewhere  # type: ignore[method-assign]
    timing = Timing(connect_timeout=60.0)
    async with aiohttp.ClientSession() as session:
        client = create_client(sf_credentials(simulator), session, Recorder(), timing=timing)
        client.set_targets(TARGETS)
        await client.start()
        await until(lambda: stalled["accepted"] == 1, "connecting")
        await client.stop()
        assert _feed_tasks() == []
        await until(lambda: stalled["open"] == 0, "the socket closed")


async def test_sf_stop_while_the_new_socket_waits_to_subscribe(simulator: Simulator) -> None:
    """The socket is open, its reader runs, subscribing waits for the lock: stop."""
    async with aiohttp.ClientSession() as session:
        client = create_client(sf_credentials(simulator), session, Recorder(), timing=FAST)
        assert isinstance(client, SoccerFootballClient)
        client.set_targets(TARGETS)
        await client._sub_lock.acquire()  # as a resubscription in progress would
        await client.start()
        await until(lambda: any(not c.closed for c in simulator.sf.conns), "socket open")
        await until(
            lambda: any(t.get_coro().__qualname__.endswith("._read") for t in _feed_tasks()),
            "its reader runs",
        )
        assert client.state is ConnectionState.CONNECTING
        await client.stop()
        assert _feed_tasks() == []
        await until(lambda: all(c.closed for c in simulator.sf.conns), "no socket left")
        client._sub_lock.release()
        assert client.diagnostics()["sockets"] == 0


@pytest.mark.parametrize("provider", ["sportsapipro", "soccerfootball"])
async def test_stop_at_any_point_of_a_reconnect_leaves_nothing(
    simulator: Simulator, provider: str
) -> None:
    """Stops landing at successive moments of connecting: never a socket or task left."""
    credentials = (
        sap_credentials(simulator) if provider == "sportsapipro" else sf_credentials(simulator)
    )
    conns = simulator.sap.conns if provider == "sportsapipro" else simulator.sf.conns
    for turns in range(0, 40, 3):
        async with aiohttp.ClientSession() as session:
            client = create_client(credentials, session, Recorder(), timing=FAST)
            client.set_targets(TARGETS)
            await client.start()
            for _ in range(turns):
                await asyncio.sleep(0)
            await client.stop()
            assert _feed_tasks() == [], turns
            await until(lambda: all(c.closed for c in conns), f"no socket left ({turns})")


async def test_a_close_cancelled_while_it_waits_for_the_reader_releases_the_socket(
    simulator: Simulator,
) -> None:
    """A stop cancels a socket's close while aiohttp waits for the reader to let go:
    the connection is released all the same (else aiohttp reports an "Unclosed
    connection" when the response is collected)."""
    async with aiohttp.ClientSession() as session:
        client = create_client(sf_credentials(simulator), session, Recorder(), timing=FAST)
        assert isinstance(client, SoccerFootballClient)
        token = await client._new_token()
        ws = await open_socket(session, token.server, FAST, "test")
        reader = asyncio.create_task(ws.receive())
        await asyncio.sleep(0)  # the reader waits in receive()
        closing = asyncio.create_task(close_socket(ws))
        await asyncio.sleep(0)  # the close waits for the reader to let go
        closing.cancel()
        await asyncio.gather(closing, return_exceptions=True)
        released = ws._response.connection is None  # (its repr names the token)
        assert released
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)


async def test_sf_a_socket_stays_known_until_it_is_closed(simulator: Simulator) -> None:
    """A drop cancelled while it waits for the reader it cancelled still closes the
    socket (before, it was already out of the client's list, so the stop's own
    sweep missed it)."""
    async with aiohttp.ClientSession() as session:
        client = create_client(sf_credentials(simulator), session, Recorder(), timing=FAST)
        assert isinstance(client, SoccerFootballClient)
        client.set_targets(TARGETS)
        conn = await client._open(await client._new_token())  # no run(): nobody else drops it
        drop = asyncio.create_task(client._drop(conn))
        await asyncio.sleep(0)  # the drop waits for the reader it cancelled
        drop.cancel()
        await asyncio.gather(drop, return_exceptions=True)
        released = conn.ws._response.connection is None
        assert conn.ws.closed
        assert released
        assert conn not in client._conns
        await client.stop()
        assert _feed_tasks() == []
