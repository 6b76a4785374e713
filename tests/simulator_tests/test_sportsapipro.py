import aiohttp
import orjson
import pytest

from tests.simulator import Simulator

from .helpers import drain, recv, sap_connect, sap_subscribe, wait_closed


async def test_welcome_and_ping(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    ws = await session.ws_connect(f"{simulator.sportsapipro_ws_url}?x-api-key={simulator.SAP_KEY}")
    hello = await recv(ws)
    assert hello["type"] == "connected"
    assert hello["version"] == "1.0"
    assert {"id": 1, "name": "Football", "slug": "football"} in hello["sports"]
    assert hello["channels"][:3] == ["all", "live", "football"]
    await ws.send_str('{"type":"ping"}')
    pong = await recv(ws)
    assert pong["type"] == "pong"
    assert isinstance(pong["ts"], int)
    await ws.close()


async def test_path_form(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    url = simulator.sportsapipro_sport_ws_url("basketball")
    ws = await session.ws_connect(f"{url}?x-api-key={simulator.SAP_KEY}")
    assert (await recv(ws))["type"] == "connected"
    await ws.close()


async def test_bad_key_http_401(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await session.ws_connect(f"{simulator.sportsapipro_ws_url}?x-api-key=wrong")
    assert err.value.status == 401


async def test_bad_key_close_variant(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.variants.sap_bad_key = "close"
    ws = await session.ws_connect(f"{simulator.sportsapipro_ws_url}?x-api-key=wrong")
    msg = await wait_closed(ws)
    assert ws.close_code == 4001
    assert msg.extra == "Unauthorized"


async def test_rest_status_and_errors(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    url = f"{simulator.sportsapipro_rest_url}/status"
    async with session.get(url, headers={"x-api-key": simulator.SAP_KEY}) as resp:
        assert resp.status == 200
        body = await resp.json()
        assert resp.headers["X-RateLimit-Limit"] == "7500"
        assert resp.headers["X-RateLimit-Remaining"] == "7499"
        assert int(resp.headers["X-RateLimit-Reset"]) > 0
    assert body["success"] is True
    assert body["account"]["plan"] == "Pro"
    assert body["usage"]["requests_today"] == 1
    assert body["usage"]["remaining"] == 7499
    async with session.get(
        f"{simulator.base_url}/v1/football/status", headers={"x-api-key": "nope"}
    ) as resp:
        assert resp.status == 401
        assert (await resp.json())["error"]["code"] == "UNAUTHORIZED"
    async with session.get(url, headers={"x-api-key": simulator.SAP_KEY_SUSPENDED}) as resp:
        assert resp.status == 403
    simulator.sap.accounts[simulator.SAP_KEY_FREE].used = 100
    async with session.get(url, headers={"x-api-key": simulator.SAP_KEY_FREE}) as resp:
        assert resp.status == 429
        assert (await resp.json()) == {
            "success": False,
            "error": {"code": "RATE_LIMIT_EXCEEDED", "message": "Daily request quota exceeded"},
        }
        assert resp.headers["X-RateLimit-Remaining"] == "0"


async def test_scores_and_match_update(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("goals")
    ws = await sap_connect(session, simulator)
    await sap_subscribe(ws, "match:4467358", "football")
    await simulator.advance(0)
    await simulator.push_scores()
    frames = await drain(ws)
    scores = [f for f in frames if f["type"] == "scores"]
    assert {f["channel"] for f in scores} == {"all", "football"}
    game = scores[0]["games"][0]
    assert game["id"] == 4467358
    assert game["statusGroup"] == 1
    assert game["homeCompetitor"]["score"] == -1.0
    await simulator.advance(60 + 12 * 60)  # kick-off, then the 12th minute goal
    frames = await drain(ws)
    updates = [f for f in frames if f["type"] == "match-update"]
    assert updates, frames
    last = updates[-1]["game"]
    assert last["homeCompetitor"]["score"] == 1.0
    assert last["statusText"] == "1st Half"
    assert last["statusGroup"] == 3
    assert last["events"][0]["eventType"] == {"id": 1, "name": "Goal", "subTypeName": "Field Goal"}
    assert "events" not in scores[0]["games"][0]
    ids = [f["updateId"] for f in frames if f["channel"] == "all"]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    await ws.close()


async def test_live_channel_and_unsubscribe(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("league")
    ws = await sap_connect(session, simulator)
    await sap_subscribe(ws, "all", unsubscribe=True)
    await sap_subscribe(ws, "live")
    await simulator.advance(10)  # nothing live yet: nothing on `live`
    assert await drain(ws) == []
    await simulator.advance(60)
    frames = await drain(ws)
    assert frames
    assert all(f["channel"] == "live" for f in frames)
    assert all(g["statusGroup"] == 3 for f in frames for g in f["games"])
    await ws.close()


async def test_changed_only_games(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.variants.sap_games = "changed"
    simulator.load_scenario("postponed")
    ws = await sap_connect(session, simulator)
    await simulator.advance(0)
    assert [len(f["games"]) for f in await drain(ws)] == [2]  # both new
    await simulator.advance(60)  # only "post" changes (postponed)
    frames = await drain(ws)
    assert [[g["statusText"] for g in f["games"]] for f in frames] == [["Postponed"]]
    await simulator.push_scores()  # nothing changed since: nothing to send
    assert await drain(ws) == []
    simulator.variants.sap_games = "full"
    await simulator.push_scores()
    frames = await drain(ws)
    assert [len(f["games"]) for f in frames] == [2]
    assert frames[0]["updateId"] >= 5_612_062_222
    await ws.close()


@pytest.mark.parametrize(("table", "scheduled", "postponed"), [("doc", 1, 2), ("seen", 2, 4)])
async def test_status_group_tables(
    simulator: Simulator, session: aiohttp.ClientSession, table: str, scheduled: int, postponed: int
) -> None:
    simulator.variants.sap_status_groups = table  # type: ignore[assignment]
    simulator.load_scenario("postponed")
    ws = await sap_connect(session, simulator)
    await simulator.advance(0)
    await simulator.push_scores()
    games = (await drain(ws))[0]["games"]
    assert [g["statusGroup"] for g in games] == [scheduled, scheduled]
    await simulator.advance(200)
    await simulator.push_scores()
    games = (await drain(ws))[-1]["games"]
    assert [(g["statusGroup"], g["statusText"]) for g in games] == [
        (postponed, "Postponed"),
        (postponed, "Cancelled"),
    ]
    await ws.close()


async def test_events_variants(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.variants.sap_scores_events = True
    simulator.variants.sap_update_events = False
    simulator.load_scenario("goals")
    ws = await sap_connect(session, simulator)
    await sap_subscribe(ws, "match:4467358")
    await simulator.advance(60 + 13 * 60)
    frames = await drain(ws)
    assert all("events" in g for f in frames if f["type"] == "scores" for g in f["games"])
    assert all("events" not in f["game"] for f in frames if f["type"] == "match-update")
    await ws.close()


async def test_ws_counts_quota_variant(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.variants.sap_ws_counts_quota = True
    ws = await sap_connect(session, simulator)
    assert simulator.sap.accounts[simulator.SAP_KEY].used == 1
    await ws.close()


@pytest.mark.parametrize("snapshot", [False, True])
async def test_match_snapshot_variant(
    simulator: Simulator, session: aiohttp.ClientSession, snapshot: bool
) -> None:
    simulator.variants.sap_match_snapshot = snapshot
    simulator.load_scenario("goals")
    await simulator.advance(60 + 13 * 60)  # 1-0 to Mallorca after 12'
    ws = await sap_connect(session, simulator)
    # Replies come in order: a snapshot, if any, precedes the pong.
    for channel in ("match:4467358", "match:99", "football"):
        await ws.send_str(orjson.dumps({"type": "subscribe", "channel": channel}).decode())
    await ws.send_str('{"type":"ping"}')
    first = await recv(ws)
    if snapshot:
        assert first["type"] == "match-update"
        assert first["channel"] == "match:4467358"
        assert first["updateId"] == simulator.sap.update_ids[4467358]
        game = first["game"]
        assert game["id"] == 4467358
        assert game["statusGroup"] == 3
        assert (game["homeCompetitor"]["score"], game["awayCompetitor"]["score"]) == (1, 0)
        first = await recv(ws)  # nothing for the unknown game, nothing for the sport channel
    assert first["type"] == "pong"
    await ws.close()
