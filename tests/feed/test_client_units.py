"""Client corners without the simulator: odd frames, odd answers, failing listeners."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any, override

import aiohttp
from aiohttp import web
import orjson
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
from custom_components.live_scores.feed.model import EventType, Provider
from custom_components.live_scores.feed.soccerfootball import SoccerFootballClient
from custom_components.live_scores.feed.soccerfootball_rest import WsToken
from custom_components.live_scores.feed.soccerfootball_sockets import Conn
from custom_components.live_scores.feed.sportsapipro import SportsAPIProClient

from .harness import until
from .helpers import Recorder
from .test_parsers import GAME

# Generous: a busy machine must not turn an expected answer into a timeout.
TIMING = Timing(connect_timeout=30.0, ping_interval=0.05, silence_timeout=0.5)
# For the cases where a timeout is the expected outcome.
SHORT = Timing(connect_timeout=0.5, ping_interval=0.05, silence_timeout=0.5)


class Boom(Recorder):
    @override
    def on_matches(self, matches: Any) -> None:
        raise RuntimeError("listener bug")

    @override
    def on_events(self, events: Any) -> None:
        raise RuntimeError("listener bug")

    @override
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
        client._on_frame(frame)
    await asyncio.sleep(0)  # games whose score did not move are parsed a turn later
    counters = client.diagnostics()["counters"]
    assert counters["malformed"] == 5
    assert counters["repeated_updates"] == 1  # the same updateId again on a channel
    assert client.diagnostics()["dropped_stale"] == 1  # an older state of the game
    assert counters["unknown"] == 1
    assert counters["server_errors"] == 1
    assert [m.minute for m in rec.matches] == [67]
    with pytest.raises(AuthFailed):
        client._on_frame({"type": "error", "code": "UNAUTHORIZED"})
    with pytest.raises(QuotaExceeded):
        client._on_frame({"type": "error", "code": "RATE_LIMIT_EXCEEDED"})


def _scored(game_id: int, home: float, minute: float) -> dict[str, Any]:
    g = game(id=game_id, gameTime=minute)
    g["homeCompetitor"] = GAME["homeCompetitor"] | {"score": home}
    return g


def _update(g: dict[str, Any], update_id: int) -> dict[str, Any]:
    return {"type": "match-update", "channel": f"match:{g['id']}", "updateId": update_id, "game": g}


async def test_a_goal_is_not_kept_behind_the_quiet_frames_read_before_it() -> None:
    """Games whose score and status stand still wait for the burst; each match keeps its order."""
    rec = Recorder()
    client = sap(rec)
    client.set_targets(Targets(matches=frozenset({"1", "2", "3"})))
    for n, game_id in enumerate((1, 2, 3)):
        client._on_frame(_update(_scored(game_id, 1.0, 60.0), 10 + n))
    await asyncio.sleep(0)
    assert [m.id for m in rec.matches] == ["1", "2", "3"]  # first states: baselines
    rec.matches.clear()
    burst = [
        _update(_scored(1, 1.0, 61.0), 20),  # clocks only: put off
        _update(_scored(2, 1.0, 61.0), 21),
        _update(_scored(3, 2.0, 61.0), 22),  # a goal: now
        _update(_scored(2, 1.0, 62.0), 23),
        _update(_scored(2, 2.0, 62.0), 24),  # a goal of a match with a state put off
    ]
    for frame in burst[:3]:
        client._on_frame(frame)
    # The goal of match 3 went through at once, ahead of the clocks of 1 and 2.
    assert [m.id for m in rec.matches] == ["3"]
    assert [(e.type, e.match.id) for e in rec.events] == [(EventType.GOAL, "3")]
    for frame in burst[3:]:
        client._on_frame(frame)
    # Match 2's goal: its states put off went first, in order (and match 1's with them).
    assert [(m.id, m.minute) for m in rec.matches] == [
        ("3", 61),
        ("1", 61),
        ("2", 61),
        ("2", 62),
        ("2", 62),
    ]
    assert [(e.type, e.match.id) for e in rec.events][-1] == (EventType.GOAL, "2")
    await asyncio.sleep(0)
    assert len(rec.matches) == 5  # nothing left over, nothing twice


async def test_a_frame_put_off_that_fails_is_counted_and_the_others_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec = Recorder()
    client = sap(rec)
    client.set_targets(Targets(matches=frozenset({"1", "2"})))
    for n, game_id in enumerate((1, 2)):
        client._on_frame(_update(_scored(game_id, 1.0, 60.0), 10 + n))
    await asyncio.sleep(0)
    parse = client._parse

    def fails_for_match_1(games: list[dict[str, Any]], version: int | None) -> Any:
        if games[0]["id"] == 1:
            raise KeyError("a bug one frame triggers")
        return parse(games, version)

    monkeypatch.setattr(client, "_parse", fails_for_match_1)
    client._on_frame(_update(_scored(1, 1.0, 61.0), 20))
    client._on_frame(_update(_scored(2, 1.0, 61.0), 21))
    await asyncio.sleep(0)
    assert client.diagnostics()["counters"]["frame_errors"] == 1
    assert [(m.id, m.minute) for m in rec.matches][-1] == ("2", 61)


async def test_games_put_off_are_handled_before_the_targets_change() -> None:
    rec = Recorder()
    client = sap(rec)
    client.set_targets(Targets(matches=frozenset({"1"})))
    client._on_frame(_update(_scored(1, 1.0, 60.0), 10))
    client._on_frame(_update(_scored(1, 1.0, 61.0), 11))
    assert [m.minute for m in rec.matches] == [60]
    client.set_targets(Targets())
    # The state read while followed was handled as followed, then forgotten.
    assert [m.minute for m in rec.matches] == [60, 61]
    await asyncio.sleep(0)
    assert "1" not in client._tracker
    assert len(rec.matches) == 2


async def test_failing_listener_never_breaks_the_client() -> None:
    client = sap(Boom())
    client.set_targets(Targets(matches=frozenset({"4467358"})))
    client._on_frame({"type": "scores", "channel": "all", "games": [game()]})
    client._on_frame(
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
    client._on_frame({"type": "scores", "channel": "all", "games": ended})
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
        client._on_frame({"type": "scores", "channel": "all", "updateId": n, "games": [ended]})
    assert len(client._tracker) <= 201
    assert len(client._delivered) <= 2 * len(client._tracker) + 100


async def test_soccerfootball_restart_keeps_who_plays_in_matches_nobody_followed() -> None:
    """Teams are named only by `match_start`: a restart keeps them for every match
    not ended, so a team followed after the restart places its match in play (and
    starts from a baseline: what happened before it was followed is not news)."""

    def sf_client(listener: Recorder) -> tuple[SoccerFootballClient, Any]:
        creds = Credentials(Provider.SOCCERFOOTBALL, "k")
        client = SoccerFootballClient(creds, None, listener)  # type: ignore[arg-type]
        conn = Conn(WsToken("t", "wss://x.invalid/", 0.0), None)  # type: ignore[arg-type]
        return client, conn

    t0 = 1_705_312_800_000
    start = {
        "type": "match_start",
        "channel": "MAIN",
        "matchId": "m1",
        "leagueId": "l1",
        "ts": t0,
        "data": {
            "teamA": {"id": "h1", "name": "Lazio"},
            "teamB": {"id": "a1", "name": "Roma"},
            "championship": {"id": "l1", "name": "Serie A"},
        },
    }

    def stats(ts: int, score: str) -> dict[str, Any]:
        data = {"timer": "20", "status": "IN_PLAY", "score": score}
        return {
            "type": "event",
            "channel": "STATS",
            "scope": "match",
            "id": "m1",
            "eventType": "stats_update",
            "eventId": f"s{ts}",
            "ts": ts,
            "data": data,
        }

    before = Recorder()
    client, conn = sf_client(before)
    client.set_targets(Targets(matches=frozenset({"other"})))
    client._on_frame(conn, start)
    assert before.state_changes == 1  # who plays is worth a save, though nobody follows
    client._on_frame(conn, stats(t0 + 60_000, "1;0"))
    saved = orjson.loads(orjson.dumps(client.tracker_state()))
    assert saved["identities"]["m1"]["home_id"] == "h1"

    after = Recorder()
    restarted, conn = sf_client(after)
    restarted.restore_tracker_state(saved)
    restarted.set_targets(Targets(teams=frozenset({"a1"})))
    assert after.matches == []  # nothing heard since the restart: no stale baseline
    restarted._on_frame(conn, stats(t0 + 120_000, "2;0"))
    assert [m.away.id for m in after.matches] == ["a1"]  # placed, as a baseline
    assert after.events == []
    restarted._on_frame(conn, stats(t0 + 180_000, "2;1"))
    assert [e.type for e in after.events] == [EventType.GOAL]
