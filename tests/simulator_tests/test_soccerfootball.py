import aiohttp
import orjson
import pytest

from tests.simulator import SimConfig, Simulator

from .helpers import drain, recv, sf_connect, sf_subscribe, sf_token, wait_closed

MATCH = "b01d28ac92221034"
LEAGUE = "f2b16fa54cb525d"


async def test_ws_new_direct_and_reuse(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    first = await sf_token(session, simulator)
    assert first["is_new"] is True
    assert first["server"] == f"ws://127.0.0.1:{simulator.port}/?token={first['token']}"
    assert first["max_connections"] == 3
    assert first["max_subscribe_per_connection"] == 5
    assert first["allowed_channels"] == ["MAIN", "STATS", "ODDS"]
    assert len(first["expires_at"]) == 19  # "YYYY-MM-DD HH:MM:SS", UTC, no zone
    again = await sf_token(session, simulator)
    assert again["is_new"] is False
    assert again["token"] == first["token"]


async def test_rest_errors(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    base = simulator.soccerfootball_rest_url
    async with session.get(f"{base}/v1/ws/new", params={"t": "bad"}) as resp:
        assert resp.status == 401
        body = await resp.json()
        assert body["errors"][0]["code"] == 2
        assert body["result"] == []
    async with session.get(f"{base}/v1/ws/new", params={"t": simulator.SF_TOKEN_BASIC}) as resp:
        assert resp.status == 401
        assert (await resp.json())["errors"][0]["code"] == 4
    async with session.get(f"{base}/v1/token/status", params={"t": simulator.SF_TOKEN}) as resp:
        assert resp.status == 200
        result = (await resp.json())["result"][0]
        assert result["plan"] == "ULTRA"
        assert result["status"] == "active"


async def test_rapidapi_flavour(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    url = f"{simulator.soccerfootball_rapidapi_url}/ws/new"
    headers = {
        "x-rapidapi-key": simulator.SF_RAPIDAPI_KEY,
        "x-rapidapi-host": simulator.SF_RAPIDAPI_HOST,
    }
    async with session.get(url, headers=headers) as resp:
        assert resp.status == 200
        info = (await resp.json())["result"][0]
    ws = await session.ws_connect(info["server"])
    assert (await sf_subscribe(ws, "MAIN", "all"))["type"] == "subscribed"
    await ws.close()
    async with session.get(
        f"{simulator.soccerfootball_rapidapi_url}/ws/renew", headers=headers
    ) as resp:
        assert resp.status == 200
    async with session.get(
        url, headers={"x-rapidapi-key": "nope", "x-rapidapi-host": simulator.SF_RAPIDAPI_HOST}
    ) as resp:
        assert resp.status == 403
    async with session.get(url) as resp:
        assert resp.status == 401


async def test_bad_token_upgrade_401(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await session.ws_connect(f"ws://127.0.0.1:{simulator.port}/sf/ws?token=nope")
    assert err.value.status == 401


async def test_subscribe_confirmations_and_errors(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    ws = await sf_connect(session, simulator)
    ok = await sf_subscribe(ws, "MAIN", "all")
    assert ok == {
        "type": "subscribed",
        "channel": "MAIN",
        "scope": "all",
        "id": None,
        "topicKey": "MAIN:all",
        "message": "Successfully subscribed",
    }
    ok = await sf_subscribe(ws, "STATS", "match:" + MATCH)  # older scope format
    assert (ok["scope"], ok["id"], ok["topicKey"]) == ("match", MATCH, f"STATS:match:{MATCH}")
    assert (await sf_subscribe(ws, "NOPE", "all"))["code"] == "INVALID_CHANNEL"
    err = await sf_subscribe(ws, "STATS_REALTIME", "all")
    assert err["code"] == "CHANNEL_NOT_ALLOWED"
    assert err["message"] == "Channel STATS_REALTIME is not available for your plan"
    assert (await sf_subscribe(ws, "MAIN", "team", "x"))["code"] == "INVALID_SCOPE"
    assert (await sf_subscribe(ws, "MAIN", "match"))["code"] == "INVALID_SCOPE"
    for i in range(3):
        assert (await sf_subscribe(ws, "MAIN", "match", f"m{i}"))["type"] == "subscribed"
    assert (await sf_subscribe(ws, "MAIN", "match", "m9"))["code"] == "SUBSCRIPTION_LIMIT"
    await ws.send_str(
        orjson.dumps({"action": "unsubscribe", "channel": "MAIN", "scope": "all"}).decode()
    )
    assert (await recv(ws))["type"] == "unsubscribed"
    assert (await sf_subscribe(ws, "MAIN", "match", "m9"))["type"] == "subscribed"
    await ws.send_str('{"action":"ping"}')
    assert (await recv(ws))["type"] == "pong"
    await ws.close()


async def test_connection_limit_error_variant(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    socks = [await sf_connect(session, simulator, simulator.SF_TOKEN_PRO) for _ in range(2)]
    extra = await sf_connect(session, simulator, simulator.SF_TOKEN_PRO)
    assert (await recv(extra))["code"] == "CONNECTION_LIMIT"
    await wait_closed(extra)
    assert extra.close_code == 1008
    for ws in socks:
        await ws.close()


@pytest.mark.parametrize(("variant", "code"), [("close", 4008), ("http", 429)])
async def test_connection_limit_other_variants(
    simulator: Simulator, session: aiohttp.ClientSession, variant: str, code: int
) -> None:
    simulator.variants.sf_connection_limit = variant  # type: ignore[assignment]
    socks = [await sf_connect(session, simulator, simulator.SF_TOKEN_PRO) for _ in range(2)]
    if variant == "http":
        with pytest.raises(aiohttp.WSServerHandshakeError) as err:
            await sf_connect(session, simulator, simulator.SF_TOKEN_PRO)
        assert err.value.status == code
    else:
        extra = await sf_connect(session, simulator, simulator.SF_TOKEN_PRO)
        await wait_closed(extra)
        assert extra.close_code == code
    for ws in socks:
        await ws.close()


async def test_main_events_legacy_shape(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.variants.sf_main_shape = "legacy"
    simulator.load_scenario("goals")
    ws = await sf_connect(session, simulator)
    await sf_subscribe(ws, "MAIN", "match", MATCH)
    await simulator.advance(60 + 12 * 60)
    frames = await drain(ws)
    assert [f["type"] for f in frames] == ["match_start", "goal"]
    start, goal = frames
    assert start["matchId"] == MATCH
    assert start["leagueId"] == LEAGUE
    assert start["data"]["teamA"] == {"id": "a1b2c3d4e5f60142", "name": "Mallorca"}
    assert start["data"]["championship"]["name"] == "LaLiga"
    assert goal["data"] == {
        "team": {"id": "a1b2c3d4e5f60142", "name": "Mallorca"},
        "side": "teamA",
        "minute": 12,
        "player": "Muriqi",
        "kind": "open_play",
        "score": "1;0",
    }
    simulator.variants.sf_goal_score = False
    await simulator.advance(11 * 60)
    goal = (await drain(ws))[0]
    assert goal["type"] == "goal"
    assert "score" not in goal["data"]
    assert goal["data"]["side"] == "teamB"
    await simulator.advance_to_end()
    frames = await drain(ws)
    types = [f["type"] for f in frames]
    assert types.count("halftime") == 1
    assert types.count("second_half_start") == 1
    assert types[-1] == "match_end"
    assert frames[-1]["data"] == {"score": "2;2", "minute": 90}
    await ws.close()


async def test_stats_scopes(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("league")
    liv = simulator.match("liv-mun")
    ws = await sf_connect(session, simulator)
    await sf_subscribe(ws, "STATS", "league", liv.spec.sf_league_id)
    await sf_subscribe(ws, "ODDS", "match", liv.sf_id)
    await simulator.advance(60 + 10 * 60)
    frames = await drain(ws)
    stats = [f for f in frames if f.get("eventType") == "stats_update"]
    # The documented reading: league scope, id = the league, no match id anywhere.
    assert {f["id"] for f in stats} == {liv.spec.sf_league_id}
    assert stats[-1]["type"] == "event"
    assert stats[-1]["channel"] == "STATS"
    assert stats[-1]["scope"] == "league"
    assert all("matchId" not in f and "leagueId" not in f for f in stats)
    assert {f["data"]["score"] for f in stats if f["data"]["timer"] == "10"} == {"1;0", "0;0"}
    odds = [f for f in frames if f.get("eventType") == "odds_update"]
    assert odds
    assert {(f["scope"], f["id"]) for f in odds} == {("match", liv.sf_id)}
    await ws.close()
    simulator.variants.sf_league_stats = "match_id"  # the older guess: id = the match
    ws = await sf_connect(session, simulator)
    await sf_subscribe(ws, "STATS", "league", liv.spec.sf_league_id)
    await simulator.advance(60)
    frames = await drain(ws)
    stats = [f for f in frames if f.get("eventType") == "stats_update"]
    assert {f["id"] for f in stats} == {liv.sf_id, simulator.match("ars-tot").sf_id}
    assert {f["leagueId"] for f in stats} == {liv.spec.sf_league_id}
    last = [f for f in stats if f["id"] == liv.sf_id][-1]["data"]
    assert last["score"] == "1;0"
    assert last["status"] == "IN_PLAY"
    assert last["timer"] == "11"
    await ws.close()
    ws = await sf_connect(session, simulator)
    await sf_subscribe(ws, "STATS", "all")
    await simulator.advance(60)
    batches = [f for f in await drain(ws) if f.get("eventType") == "batch_update"]
    assert batches
    assert batches[-1]["scope"] == "all"
    assert len(batches[-1]["data"]["matches"]) == 3
    assert {"id", "score", "timer"} <= set(batches[-1]["data"]["matches"][0])
    await ws.close()


async def test_realtime_channels_mega(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("goals")
    m = simulator.match("mll-rma")
    ws = await sf_connect(session, simulator, simulator.SF_TOKEN_MEGA)
    await sf_subscribe(ws, "MAIN_REALTIME", "all")
    await sf_subscribe(ws, "STATS_REALTIME", "match", m.sf_rt_id)
    await simulator.advance(60 + 12 * 60)
    frames = await drain(ws)
    main = [f for f in frames if f["channel"] == "MAIN_REALTIME"]
    assert [f["type"] for f in main] == ["match_start", "goal"]
    assert all(f["matchId"] == m.sf_rt_id != m.sf_id for f in main)
    assert main[1]["data"] == {"score": "1;0", "timer": "12", "team": "A"}
    rt = [f for f in frames if f["type"] == "stats_update_realtime"]
    assert {"stat": "score", "value": "1;0"} in rt[-1]["data"]["changedStats"]
    await ws.close()


@pytest.mark.parametrize("variant", ["close", "error"])
async def test_token_expiry_forced(
    simulator: Simulator, session: aiohttp.ClientSession, variant: str
) -> None:
    simulator.variants.sf_token_expiry = variant  # type: ignore[assignment]
    ws = await sf_connect(session, simulator)
    await sf_subscribe(ws, "MAIN", "all")
    await simulator.faults.expire_tokens()
    if variant == "error":
        err = await recv(ws)
        assert err == {"type": "error", "code": "TOKEN_EXPIRED", "message": "Token expired"}
    msg = await wait_closed(ws)
    assert ws.close_code == (4001 if variant == "close" else 1008)
    assert msg.extra == "Token expired"
    info = await sf_token(session, simulator)  # the expired token is replaced
    assert info["is_new"] is True


async def test_token_expiry_on_time_and_renewal(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    async with Simulator(SimConfig(manual_clock=True, token_ttl=0.5)) as sim:
        ws = await sf_connect(session, sim)
        info = await sf_token(session, sim)
        async with session.get(
            f"{sim.soccerfootball_rest_url}/v1/ws/renew", params={"t": sim.SF_TOKEN}
        ) as resp:
            renewed = (await resp.json())["result"][0]
        assert renewed["token"] == info["token"]
        assert renewed["is_new"] is False
        await wait_closed(ws)  # expires ~0.5 s after the renewal, not before
        assert ws.close_code == 4001
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await session.ws_connect(info["server"])


async def test_renewal_new_token_and_refusal(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.variants.sf_renew = "new"
    url = f"{simulator.soccerfootball_rest_url}/v1/ws/renew"
    async with session.get(url, params={"t": simulator.SF_TOKEN}) as resp:
        assert resp.status == 404  # nothing to renew yet
    old = await sf_token(session, simulator)
    ws = await session.ws_connect(old["server"])
    async with session.get(url, params={"t": simulator.SF_TOKEN}) as resp:
        new = (await resp.json())["result"][0]
    assert new["is_new"] is True
    assert new["token"] != old["token"]
    assert (await sf_subscribe(ws, "MAIN", "all"))["type"] == "subscribed"  # old socket lives on
    ws2 = await session.ws_connect(new["server"])
    assert (await sf_subscribe(ws2, "MAIN", "all"))["type"] == "subscribed"
    simulator.faults.sf.refuse_renewal = True
    async with session.get(url, params={"t": simulator.SF_TOKEN}) as resp:
        assert resp.status == 401
    await ws.close()
    await ws2.close()
