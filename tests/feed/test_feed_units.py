"""Error paths without the simulator: the socket reader, the retry loop, SoccerFootball REST."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any, override

import aiohttp
from aiohttp import web
import orjson
import pytest
import pytest_asyncio

from custom_components.live_scores.feed import create_client
from custom_components.live_scores.feed.api import (
    ConnectionState,
    Credentials,
    Targets,
    Timing,
)
from custom_components.live_scores.feed.connection import PushClient
from custom_components.live_scores.feed.errors import (
    AuthFailed,
    CannotConnect,
    FeedError,
    PlanNotSupported,
    QuotaExceeded,
)
from custom_components.live_scores.feed.model import Provider, Status
from custom_components.live_scores.feed.soccerfootball import SoccerFootballClient, _scope_of
from custom_components.live_scores.feed.soccerfootball_rest import WsToken
from custom_components.live_scores.feed.soccerfootball_sockets import Conn
from custom_components.live_scores.feed.sockets import (
    SilentSocket,
    close_socket,
    open_socket,
    read_socket,
)

from .harness import until
from .helpers import Recorder, match
from .test_client_units import game, sap
from .test_soccerfootball_parser import MID, START, main, stats

# Nothing here waits on these, except where a timeout is the point.
TIMING = Timing(
    ping_interval=0.01,
    silence_timeout=30.0,
    connect_timeout=30.0,
    backoff_min=0.001,
    backoff_max=0.002,
    stable_after=3600.0,
    renew_before=1.0,
    auth_retry=0.001,
)


class Msg:
    def __init__(self, kind: aiohttp.WSMsgType, data: Any = None) -> None:
        self.type = kind
        self.data = data


class FakeSocket:
    """Plays a list of messages; then reports a close. Sends may fail."""

    def __init__(self, *messages: Msg, send_error: bool = False, close_error: bool = False) -> None:
        self.messages = list(messages)
        self.sent: list[str] = []
        self.send_error = send_error
        self.close_error = close_error
        self.closed = False
        self.close_code: int | None = None

    async def receive(self, timeout: float | None = None) -> Msg:  # noqa: ASYNC109
        await asyncio.sleep(0)
        if self.messages:
            return self.messages.pop(0)
        return Msg(aiohttp.WSMsgType.CLOSED)

    async def send_str(self, text: str) -> None:
        if self.send_error:
            raise ConnectionResetError
        self.sent.append(text)

    async def close(self) -> None:
        if self.close_error:
            raise aiohttp.ClientError("boom")
        self.closed = True


def text(obj: Any) -> Msg:
    return Msg(aiohttp.WSMsgType.TEXT, orjson.dumps(obj))


async def test_read_socket_skips_bad_frames_and_survives_handler_bugs() -> None:
    seen: list[dict[str, Any]] = []

    async def on_frame(frame: dict[str, Any]) -> None:
        if frame.get("bug"):
            raise KeyError("handler bug")
        seen.append(frame)

    ws = FakeSocket(
        Msg(aiohttp.WSMsgType.TEXT, b"{not json"),
        text([1, 2]),
        text({"bug": True}),
        Msg(aiohttp.WSMsgType.PING),
        text({"ok": 1}),
    )
    counters: dict[str, int] = {}
    await read_socket(ws, TIMING, "ping", on_frame, counters)  # type: ignore[arg-type]
    assert seen == [{"ok": 1}]
    assert counters == {"frames": 4, "malformed": 2, "frame_errors": 1}


async def test_a_socket_goes_silent_only_after_the_silence_timeout() -> None:
    """One watchdog per read: frames keep it quiet, silence ends the read as `SilentSocket`."""
    loop = asyncio.get_running_loop()
    silence = 0.5
    timing = Timing(connect_timeout=30.0, ping_interval=30.0, silence_timeout=silence)

    class Slow(FakeSocket):
        """A frame every fifth of the silence timeout, eight of them; then nothing at all."""

        @override
        async def receive(self, timeout: float | None = None) -> Msg:
            assert timeout is None  # no timer per frame
            if not self.messages:
                await asyncio.Event().wait()
            await asyncio.sleep(silence / 5)
            return self.messages.pop(0)

    seen: list[float] = []

    async def on_frame(frame: dict[str, Any]) -> None:
        seen.append(loop.time())

    counters: dict[str, int] = {}
    started = loop.time()
    with pytest.raises(SilentSocket):
        await read_socket(
            Slow(*[text({"n": n}) for n in range(8)]), timing, "p", on_frame, counters
        )  # type: ignore[arg-type]
    assert len(seen) == 8  # more than a silence timeout of frames, none cut short
    assert loop.time() - seen[-1] >= silence
    assert seen[-1] - started >= 1.5 * silence
    assert counters["silent"] == 1


async def test_read_socket_errors() -> None:
    async def refuse(frame: dict[str, Any]) -> None:
        raise AuthFailed("refused")

    with pytest.raises(CannotConnect):
        await read_socket(FakeSocket(Msg(aiohttp.WSMsgType.ERROR)), TIMING, "p", refuse, {})  # type: ignore[arg-type]
    with pytest.raises(AuthFailed):
        await read_socket(FakeSocket(text({"a": 1})), TIMING, "p", refuse, {})  # type: ignore[arg-type]


async def test_pinger_stops_when_sending_fails() -> None:
    class Hanging(FakeSocket):
        @override
        async def receive(self, timeout: float | None = None) -> Msg:
            await until(lambda: self.pings_failed, "a failed ping")
            return Msg(aiohttp.WSMsgType.CLOSE)

        @override
        async def send_str(self, text: str) -> None:
            self.pings_failed = True
            raise ConnectionResetError

    ws = Hanging()
    ws.pings_failed = False  # type: ignore[attr-defined]

    async def on_frame(frame: dict[str, Any]) -> None:  # pragma: no cover - no frames
        pass

    await read_socket(ws, TIMING, "ping", on_frame, {})  # type: ignore[arg-type]


async def test_close_socket_never_raises() -> None:
    await close_socket(None)
    await close_socket(FakeSocket(close_error=True))  # type: ignore[arg-type]
    done = FakeSocket()
    done.closed = True
    await close_socket(done)  # type: ignore[arg-type]


async def test_close_socket_releases_a_socket_whose_close_hangs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A close that never completes (a reader still holds the socket) must not leave
    the connection behind: it is released after the timeout."""
    monkeypatch.setattr("custom_components.live_scores.feed.sockets.CLOSE_TIMEOUT", -0.9)

    class Response:
        released = False

        def close(self) -> None:
            self.released = True

    class HangingClose(FakeSocket):
        @override
        async def close(self) -> None:
            await asyncio.Event().wait()

    ws = HangingClose()
    ws._response = Response()  # type: ignore[attr-defined]
    await close_socket(ws)  # type: ignore[arg-type]
    assert ws._response.released  # type: ignore[attr-defined]


async def test_open_socket_failures(socket_enabled: None) -> None:
    class Stuck:
        async def ws_connect(self, *args: Any, **kwargs: Any) -> None:
            await asyncio.Event().wait()

    quick = Timing(connect_timeout=0.01)
    with pytest.raises(CannotConnect, match="timed out"):
        await open_socket(Stuck(), "ws://127.0.0.1:1/x?key=SECRET", quick, "X")  # type: ignore[arg-type]
    async with aiohttp.ClientSession() as session:
        with pytest.raises(CannotConnect) as err:
            await open_socket(session, "ws://127.0.0.1:1/x?key=SECRET", TIMING, "X")
    assert "SECRET" not in str(err.value)


class Scripted(PushClient):
    """A client whose connections end as scripted."""

    provider = Provider.SPORTSAPIPRO

    def __init__(self, outcomes: list[BaseException | None], listener: Recorder) -> None:
        super().__init__(Credentials(Provider.SPORTSAPIPRO, "k"), None, listener, timing=TIMING)  # type: ignore[arg-type]
        self.outcomes = outcomes
        self.closed = 0

    @override
    async def validate(self) -> Any:  # pragma: no cover - not used
        raise NotImplementedError

    @override
    def set_targets(self, targets: Targets) -> None:
        self._targets = targets

    @override
    async def _connect_and_serve(self) -> None:
        self._connected()
        if not self.outcomes:
            await asyncio.Event().wait()
        outcome = self.outcomes.pop(0)
        if outcome is not None:
            raise outcome

    @override
    async def _close_sockets(self) -> None:
        self.closed += 1


async def test_retry_loop_maps_every_ending() -> None:
    rec = Recorder()
    outcomes: list[BaseException | None] = [
        None,  # the server closed
        QuotaExceeded("spent", retry_after=0.0),
        AuthFailed("refused"),
        CannotConnect("dropped"),
        aiohttp.ClientPayloadError("bad payload"),
        ValueError("odd"),
    ]
    client = Scripted(outcomes, rec)
    await client.start()
    await until(lambda: not client.outcomes and client.state is ConnectionState.CONNECTED)
    await client.stop()
    failed = [e for s, e in rec.states if s is ConnectionState.FAILED]
    assert [type(e) for e in failed] == [QuotaExceeded, AuthFailed]
    dropped = [e for s, e in rec.states if s is ConnectionState.DISCONNECTED]
    assert [str(e) for e in dropped] == [
        "the server closed the connection",
        "dropped",
        "connection failed (ClientPayloadError)",
        "connection failed (ValueError)",
    ]
    counters = client.diagnostics()["counters"]
    assert (counters["failures"], counters["disconnects"], counters["connections"]) == (2, 4, 7)


async def test_background_task_errors_are_counted_and_stale_states_dropped() -> None:
    rec = Recorder()
    client = Scripted([], rec)

    async def broken() -> None:
        raise RuntimeError("bug")

    client._spawn(broken())
    await until(lambda: client.diagnostics()["counters"].get("task_errors") == 1)
    client._set_state(ConnectionState.STOPPED, None)  # unchanged: not repeated
    assert rec.states == []
    client._deliver([match(1, 0, version=5)])
    client._deliver([match(2, 0, version=4)])  # older than what was applied
    assert [m.home.score for m in rec.matches] == [1]
    assert client.diagnostics()["dropped_stale"] == 1


# -- SoccerFootball REST ------------------------------------------------------


@pytest_asyncio.fixture
async def rest(socket_enabled: None) -> AsyncIterator[dict[str, Any]]:
    """A REST server answering each path with `answers[path]` = (status, body)."""
    answers: dict[str, Any] = {"release": asyncio.Event()}

    async def handler(request: web.Request) -> web.StreamResponse:
        status, body = answers[request.path]
        if status == 0:
            await answers["release"].wait()  # no answer in time
        raw = body if isinstance(body, bytes) else orjson.dumps(body)
        return web.Response(status=status, body=raw, headers={"Retry-After": "7"})

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    answers["base"] = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield answers
    finally:
        answers["release"].set()
        await runner.cleanup()


def envelope(*result: Any, status: int = 200, errors: Any = ()) -> dict[str, Any]:
    return {"status": status, "errors": list(errors), "pagination": [], "result": list(result)}


TOKEN = {
    "token": "tok",
    "server": "ws://127.0.0.1:1/?token=tok",
    "max_connections": 2,
    "max_subscribe_per_connection": 2,
    "allowed_channels": ["MAIN", "STATS"],
    "expires_at": "2099-01-01 00:00:00",
}


def sf_client(base: str, timing: Timing = TIMING, **kw: Any) -> SoccerFootballClient:
    client = create_client(
        Credentials(Provider.SOCCERFOOTBALL, "SECRET", url=base), None, Recorder(), timing=timing
    )  # type: ignore[arg-type]
    assert isinstance(client, SoccerFootballClient)
    return client


@pytest.mark.parametrize(
    ("answer", "error", "words"),
    [
        ((200, b"<html>"), CannotConnect, "unreadable answer"),
        ((200, {"status": "oops", "errors": ["x"]}), CannotConnect, "HTTP 500"),
        ((200, envelope()), CannotConnect, "unreadable answer"),
        ((200, envelope(status=401, errors=[{"code": 2}])), AuthFailed, "refused"),
        ((200, envelope(status="403", errors=[{"code": 3}])), AuthFailed, "refused"),
        ((401, envelope(status=401, errors=[{"code": 4}])), PlanNotSupported, "plan"),
        ((429, envelope(status=429)), QuotaExceeded, "quota"),
        ((404, envelope(status=404)), CannotConnect, "HTTP 404"),
        ((0, None), CannotConnect, "timed out"),
    ],
)
async def test_rest_answers(
    rest: dict[str, Any], answer: Any, error: type[FeedError], words: str
) -> None:
    rest["/v1/ws/new"] = answer
    timing = Timing(connect_timeout=0.05) if answer[0] == 0 else TIMING
    async with aiohttp.ClientSession() as session:
        client = sf_client(rest["base"], timing)
        client._session = session
        with pytest.raises(error, match=words) as err:
            await client._new_token()
    assert "SECRET" not in str(err.value)
    if error is QuotaExceeded:
        assert err.value.retry_after == 7.0  # type: ignore[attr-defined]


async def test_rest_results_and_renewals(rest: dict[str, Any]) -> None:
    async with aiohttp.ClientSession() as session:
        client = sf_client(rest["base"])
        client._session = session
        rest["/v1/ws/new"] = (200, {"status": 200, "errors": [], "result": dict(TOKEN)})
        token = await client._new_token()
        assert (token.max_connections, token.channels) == (2, ("MAIN", "STATS"))
        rest["/v1/ws/new"] = (200, envelope({**TOKEN, "server": None}))
        with pytest.raises(CannotConnect, match="no WebSocket token"):
            await client._new_token()
        # A renewal that only states the new expiry keeps the token.
        rest["/v1/ws/renew"] = (200, envelope({"expires_at": "2099-06-01 00:00:00"}))
        renewed = await client._renew(token)
        assert renewed is not None
        assert (renewed.token, renewed.max_subscribe) == ("tok", 2)
        assert renewed.expires_at > token.expires_at
        rest["/v1/ws/renew"] = (500, b"")
        assert await client._renew(token) is None
        assert client.diagnostics()["counters"]["renew_failed"] == 1
        # A plan without MAIN cannot be used.
        rest["/v1/token/status"] = (200, envelope({"plan": "X", "id": 42, "status": "active"}))
        rest["/v1/ws/new"] = (200, envelope({**TOKEN, "allowed_channels": ["STATS"]}))
        with pytest.raises(PlanNotSupported):
            await client.validate()
    async with aiohttp.ClientSession() as session:
        client = sf_client("http://127.0.0.1:1")
        client._session = session
        with pytest.raises(CannotConnect, match="cannot connect"):
            await client._new_token()


async def test_same_token_not_extended_is_ridden_to_its_end(rest: dict[str, Any]) -> None:
    """Renewal gives back the token with the same expiry, so does /ws/new: keep the socket."""
    async with aiohttp.ClientSession() as session:
        client = sf_client(rest["base"])
        client._session = session
        rest["/v1/ws/renew"] = (200, envelope(dict(TOKEN)))
        rest["/v1/ws/new"] = (200, envelope(dict(TOKEN)))
        token = client._token_from(TOKEN)
        conn = Conn(token, FakeSocket())  # type: ignore[arg-type]
        conn.task = asyncio.create_task(asyncio.sleep(0))
        new, kept = await client._renew_or_move(token, conn)
        assert kept is conn
        assert new.token == "tok"
        assert client.diagnostics()["counters"].get("handovers", 0) == 0


# -- SoccerFootball plans and frames ------------------------------------------


def start_frame(match_id: str, league: str) -> dict[str, Any]:
    frame = main("match_start", 100, **{**START, "championship": {"id": league, "name": "L"}})
    frame["matchId"] = match_id
    frame["leagueId"] = league
    return frame


async def test_plan_falls_back_to_leagues_then_all() -> None:
    client = sf_client("http://127.0.0.1:1")
    for match_id, league in (("m1", "L1"), ("m2", "L1"), ("m3", "L2")):
        client._parser.feed(start_frame(match_id, league))
    token = WsToken("t", "ws://x", 0.0, 1, 2, ("MAIN", "STATS"))
    # Two leagues do not fit with both channels: everything, filtered locally.
    client.set_targets(Targets(matches=frozenset({"m1", "m2", "m3"})))
    assert client.plan(token) == {("MAIN", "all", None), ("STATS", "all", None)}
    client.set_targets(Targets(matches=frozenset({"m1", "m2"})))
    assert client.plan(token) == {("MAIN", "league", "L1"), ("STATS", "league", "L1")}
    client.set_targets(Targets(matches=frozenset({"m1", "m2", "unknown"})))
    assert client.plan(token) == {("MAIN", "all", None), ("STATS", "all", None)}
    narrow = WsToken("t", "ws://x", 0.0, 1, 1, ("MAIN", "STATS"))
    client.set_targets(Targets(matches=frozenset({"m1", "m3"}), competitions=frozenset({"L3"})))
    assert client.plan(narrow) == {("MAIN", "all", None)}


async def test_frames_errors_and_scopes() -> None:
    rec = Recorder()
    client = create_client(Credentials(Provider.SOCCERFOOTBALL, "k"), None, rec)  # type: ignore[arg-type]
    assert isinstance(client, SoccerFootballClient)
    ws = FakeSocket()
    conn = Conn(WsToken("t", "ws://x", 0.0, 1, 2, ("MAIN", "STATS")), ws)  # type: ignore[arg-type]
    client._conns.append(conn)
    client.set_targets(Targets(matches=frozenset({MID})))
    conn.subs = {("MAIN", "match", MID), ("STATS", "match", MID)}
    # The older scope form confirms the same subscription.
    client._on_frame(conn, {"type": "subscribed", "channel": "MAIN", "scope": f"match:{MID}"})
    client._on_frame(conn, {"type": "subscribed", "channel": "MAIN"})
    assert not conn.all_confirmed.is_set()
    client._on_frame(conn, {"type": "subscribed", "channel": "STATS", "scope": "match", "id": MID})
    assert conn.all_confirmed.is_set()
    client._on_frame(conn, {"type": "unsubscribed", "channel": "STATS"})
    client._on_frame(conn, start_frame(MID, "67890"))
    client._on_frame(conn, stats(200, "1;0"))
    assert [m.status for m in rec.matches] == [Status.SCHEDULED, Status.LIVE, Status.LIVE]
    assert rec.seen() == ["kickoff", "goal:home:1"]
    client._on_frame(conn, {"type": "error", "code": "TOKEN_EXPIRED"})
    client._on_frame(conn, {"type": "error", "code": "CONNECTION_LIMIT"})
    client._on_frame(conn, {"type": "error"})
    assert (conn.expired, conn.limited) == (True, True)
    client._on_frame(conn, {"type": "error", "code": "SUBSCRIPTION_LIMIT"})
    assert client._limit_override == 2
    with pytest.raises(PlanNotSupported):
        client._on_frame(
            conn, {"type": "error", "code": "CHANNEL_NOT_ALLOWED", "message": "Channel MAIN is not"}
        )
    with pytest.raises(PlanNotSupported):
        client._on_frame(conn, {"type": "error", "code": "CHANNEL_NOT_ALLOWED"})
    await until(lambda: not client._tasks)
    assert client.diagnostics()["server_errors"] == [
        "TOKEN_EXPIRED",
        "CONNECTION_LIMIT",
        "UNKNOWN",
        "SUBSCRIPTION_LIMIT",
        "CHANNEL_NOT_ALLOWED",
        "CHANNEL_NOT_ALLOWED",
    ]
    assert _scope_of({"channel": 1, "scope": "all"}) is None
    assert _scope_of({"channel": "MAIN", "scope": "all", "id": None}) == ("MAIN", "all", None)


async def test_live_copies_while_catching_up() -> None:
    """Which `live` copies update a game that has its own match channel."""
    rec = Recorder()
    client = sap(rec)
    client.set_targets(Targets(matches=frozenset({"4467358"})))
    client._subscribed = {"match:4467358", "live"}
    client._catching_up = True

    def live(**changes: Any) -> dict[str, Any]:
        return {"type": "scores", "channel": "live", "games": [game(**changes)]}

    home = game()["homeCompetitor"]
    client._on_frame(live())  # never seen: a baseline loses nothing
    assert [m.home.score for m in rec.matches] == [1]
    client._heard.clear()
    client._catching_up = True
    # A goal without events while in play: left to the match channel.
    client._on_frame(live(homeCompetitor={**home, "score": 2.0}))
    assert rec.events == []
    # With events it is taken; not an object at all: skipped.
    client._catching_up = True
    client._on_frame(live(homeCompetitor={**home, "score": 2.0}, events=[]))
    assert rec.seen() == ["goal:home:2"]
    assert client._take_listed({"id": 4467358, "sportId": "x"}) is False
    # Once the match channel has spoken, `live` copies are ignored.
    client._on_frame(
        {
            "type": "match-update",
            "channel": "match:4467358",
            "game": game(gameTime=70.0, homeCompetitor={**home, "score": 2.0}),
        }
    )
    client._on_frame(live(homeCompetitor={**home, "score": 3.0}, events=[]))
    assert rec.seen() == ["goal:home:2"]
    assert client._tracker.status("nope") is None
    assert client._tracker.score("nope") is None
