"""Client corners without the simulator: odd frames, odd answers, failing listeners."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web
import pytest
import pytest_asyncio

from custom_components.live_scores.feed import create_client, sportsapipro
from custom_components.live_scores.feed.api import Credentials, Targets, Timing
from custom_components.live_scores.feed.errors import (
    AuthFailed,
    CannotConnect,
    FeedError,
    QuotaExceeded,
)
from custom_components.live_scores.feed.model import Provider
from custom_components.live_scores.feed.sportsapipro import SportsAPIProClient

from .harness import until
from .helpers import Recorder
from .test_parsers import GAME

# Generous: a busy machine must not turn an expected answer into a timeout.
TIMING = Timing(connect_timeout=30.0, ping_interval=0.05, silence_timeout=0.5)
# For the cases where a timeout is the expected outcome.
SHORT = Timing(connect_timeout=0.5, ping_interval=0.05, silence_timeout=0.5)


class Boom(Recorder):
    def on_matches(self, matches: Any) -> None:
        raise RuntimeError("listener bug")

    def on_events(self, events: Any) -> None:
        raise RuntimeError("listener bug")

    def on_connection(self, state: Any, error: Any) -> None:
        raise RuntimeError("listener bug")


def sap(listener: Any = None) -> SportsAPIProClient:
    client = create_client(
        Credentials(Provider.SPORTSAPIPRO, "k"),
        None,
        listener or Recorder(),  # type: ignore[arg-type]
    )
    assert isinstance(client, SportsAPIProClient)
    return client


def game(**changes: Any) -> dict[str, Any]:
    g = {k: v for k, v in GAME.items() if k != "events"}
    g.update(changes)
    return g


async def test_odd_frames_are_counted_and_skipped() -> None:
    rec = Recorder()
    client = sap(rec)
    client.set_targets(Targets(matches=frozenset({"4467358"})))
    frames: list[dict[str, Any]] = [
        {"type": "scores", "games": "x"},
        {"type": "match-update", "game": None},
        {"type": "scores", "channel": "all", "updateId": 5, "games": [1, {"no": "id"}, game()]},
        {"type": "scores", "channel": "all", "updateId": 5, "games": [game(gameTime=68.0)]},
        {"type": "scores", "channel": "all", "updateId": 4, "games": [game(gameTime=60.0)]},
        {"type": "match-update", "channel": "match:1", "updateId": 6, "game": game(sportId=77)},
        {"type": "pong"},
        {"type": "surprise"},
        {"type": "error", "code": "SOMETHING"},
    ]
    for frame in frames:
        await client._on_frame(frame)
    counters = client.diagnostics()["counters"]
    assert counters["malformed"] == 5
    assert counters["repeated_updates"] == 1  # the same updateId again on a channel
    assert client.diagnostics()["dropped_stale"] == 1  # an older state of the game
    assert counters["unknown"] == 1
    assert counters["server_errors"] == 1
    assert [m.minute for m in rec.matches] == [67]
    with pytest.raises(AuthFailed):
        await client._on_frame({"type": "error", "code": "UNAUTHORIZED"})
    with pytest.raises(QuotaExceeded):
        await client._on_frame({"type": "error", "code": "RATE_LIMIT_EXCEEDED"})


async def test_failing_listener_never_breaks_the_client() -> None:
    client = sap(Boom())
    client.set_targets(Targets(matches=frozenset({"4467358"})))
    await client._on_frame({"type": "scores", "channel": "all", "games": [game()]})
    await client._on_frame(
        {
            "type": "scores",
            "channel": "all",
            "games": [game(homeCompetitor={**GAME["homeCompetitor"], "score": 2.0})],
        }
    )
    client._set_state(client.state.CONNECTING, None)  # type: ignore[attr-defined]
    assert client.diagnostics()["counters"]["events"] == 1


async def test_index_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sportsapipro, "MAX_INDEX", 10)
    client = sap()
    ended = [game(id=i, statusGroup=4) for i in range(12)]
    await client._on_frame({"type": "scores", "channel": "all", "games": ended})
    assert len(client.games()) <= 10


@pytest_asyncio.fixture
async def server(socket_enabled: None) -> AsyncIterator[dict[str, Any]]:
    """A tiny misbehaving server: what it answers is set per test in `state`."""
    state: dict[str, Any] = {"status": (200, b"{}"), "ws": "close"}

    async def status(request: web.Request) -> web.Response:
        code, body = state["status"]
        return web.Response(status=code, body=body)

    async def ws(request: web.Request) -> web.StreamResponse:
        sock = web.WebSocketResponse()
        await sock.prepare(request)
        await sock.send_str("not json")
        await sock.send_str('{"type": "hello"}')
        if state["ws"] == "close":
            await sock.close(code=4429)
        else:
            async for _ in sock:
                pass
        return sock

    app = web.Application()
    app.router.add_get("/status", status)
    app.router.add_get("/ws", ws)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state["url"] = f"ws://127.0.0.1:{runner.addresses[0][1]}/ws"
    try:
        yield state
    finally:
        await runner.cleanup()


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((200, b"nope"), CannotConnect),
        ((200, b"[]"), CannotConnect),
        ((200, b'{"success": false}'), AuthFailed),
        ((200, b'{"success": true, "usage": {"remaining": 0}}'), QuotaExceeded),
        ((500, b""), CannotConnect),
    ],
)
async def test_status_answers(server: dict[str, Any], answer: Any, error: type[FeedError]) -> None:
    server["status"] = answer
    async with aiohttp.ClientSession() as session:
        client = create_client(
            Credentials(Provider.SPORTSAPIPRO, "k", url=server["url"]),
            session,
            Recorder(),
            timing=TIMING,
        )
        with pytest.raises(error):
            await client.validate()


async def test_welcome_never_comes(server: dict[str, Any]) -> None:
    server["status"] = (200, b'{"success": true, "account": {"id": 7, "plan": "Pro"}}')
    async with aiohttp.ClientSession() as session:
        client = create_client(
            Credentials(Provider.SPORTSAPIPRO, "k", url=server["url"]),
            session,
            Recorder(),
            timing=TIMING,
        )
        with pytest.raises(QuotaExceeded):  # closed with 4429
            await client.validate()
        server["ws"] = "hang"
        client = create_client(
            Credentials(Provider.SPORTSAPIPRO, "k", url=server["url"]),
            session,
            Recorder(),
            timing=SHORT,
        )
        with pytest.raises(CannotConnect):
            await client.validate()


async def test_server_closes_then_client_retries(server: dict[str, Any]) -> None:
    rec = Recorder()
    async with aiohttp.ClientSession() as session:
        client = create_client(
            Credentials(Provider.SPORTSAPIPRO, "k", url=server["url"]), session, rec, timing=TIMING
        )
        server["ws"] = "hang"
        await client.start()
        await client.start()  # twice is harmless
        await until(lambda: client.diagnostics()["counters"].get("silent", 0) >= 1)
        await client.stop()
    assert client.diagnostics()["counters"]["malformed"] >= 1


async def test_memory_of_ended_matches_is_bounded() -> None:
    rec = Recorder()
    client = sap(rec)
    client.set_targets(Targets(competitions=frozenset({"11"})))
    for n in range(600):
        ended = game(id=n, statusGroup=4, statusText="Ended")
        await client._on_frame(
            {"type": "scores", "channel": "all", "updateId": n, "games": [ended]}
        )
    assert len(client._tracker) <= 201
    assert len(client._delivered) <= 2 * len(client._tracker) + 100
