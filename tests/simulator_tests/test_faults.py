import asyncio

import aiohttp
import orjson
import pytest

from tests.simulator import Simulator

from .helpers import drain, recv, sap_connect, sap_subscribe, sf_connect, sf_subscribe, wait_closed


async def test_drop_all(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    sap = await sap_connect(session, simulator)
    sf = await sf_connect(session, simulator)
    await sf_subscribe(sf, "MAIN", "all")
    assert await simulator.faults.drop() == 2
    for ws in (sap, sf):
        await wait_closed(ws)
        assert ws.closed
    sap = await sap_connect(session, simulator)
    assert await simulator.faults.drop("sap", code=1012) == 1
    await wait_closed(sap)
    assert sap.close_code == 1012


async def test_silent_keeps_socket_open(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("goals")
    ws = await sap_connect(session, simulator)
    simulator.faults.set("silent", True)
    await ws.send_str('{"type":"ping"}')
    await simulator.advance(120)
    assert await drain(ws, settle=0.2) == []
    assert not ws.closed
    simulator.faults.set("silent", False)
    await sap_subscribe(ws)  # answers again
    await ws.close()


@pytest.mark.parametrize("provider", ["sap", "sf"])
async def test_garbage_truncated_binary_unknown(
    simulator: Simulator, session: aiohttp.ClientSession, provider: str
) -> None:
    simulator.load_scenario("goals")
    if provider == "sap":
        ws = await sap_connect(session, simulator)
    else:
        ws = await sf_connect(session, simulator)
        await sf_subscribe(ws, "MAIN", "all")
    await simulator.advance(61)
    await drain(ws)
    assert await simulator.faults.garbage(provider) == 1
    msg = await ws.receive(timeout=5)
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(msg.data)
    await simulator.faults.truncated(provider)
    msg = await ws.receive(timeout=5)
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(msg.data)
    await simulator.faults.binary(provider)
    assert (await ws.receive(timeout=5)).type == aiohttp.WSMsgType.BINARY
    await simulator.faults.unknown_type(provider)
    assert (await recv(ws))["type"] == "mystery-event"
    await ws.close()


async def test_duplicate_and_out_of_order_update_ids(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("goals")
    ws = await sap_connect(session, simulator)
    simulator.faults.sap.duplicate = True
    await simulator.advance(61)
    frames = await drain(ws)
    ids = [f["updateId"] for f in frames]
    assert ids == [i for i in ids[::2] for _ in (0, 1)]
    simulator.faults.sap.duplicate = False
    simulator.faults.sap.reorder = True
    for _ in range(4):
        await simulator.advance(60)
    ids = [f["updateId"] for f in await drain(ws)]
    assert len(ids) == 4
    assert ids != sorted(ids)
    assert ids[0] > ids[1]
    simulator.faults.sap.reorder = False
    await simulator.faults.stale("sap")
    await simulator.faults.duplicate_last("sap")
    stale, again = (await recv(ws))["updateId"], (await recv(ws))["updateId"]
    assert stale < again
    await ws.close()


async def test_slow_frames(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("goals")
    ws = await sap_connect(session, simulator)
    simulator.faults.sap.slow = 0.05
    loop = asyncio.get_running_loop()
    start = loop.time()
    await simulator.advance(61)
    assert loop.time() - start >= 0.05
    assert await drain(ws)
    await ws.close()


async def test_revoke_key(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    ws = await sap_connect(session, simulator)
    sf = await sf_connect(session, simulator)
    await simulator.faults.revoke_key(simulator.SAP_KEY)
    await simulator.faults.revoke_key(simulator.SF_TOKEN)
    await wait_closed(ws)
    assert ws.close_code == 4001
    await wait_closed(sf)
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await session.ws_connect(f"{simulator.sportsapipro_ws_url}?x-api-key={simulator.SAP_KEY}")
    assert err.value.status == 401
    async with session.get(
        f"{simulator.base_url}/v1/ws/new", params={"t": simulator.SF_TOKEN}
    ) as resp:
        assert resp.status == 401
    simulator.faults.restore_key(simulator.SAP_KEY)
    await (await sap_connect(session, simulator)).close()


async def test_quota_and_rest_errors(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.faults.set("quota_exceeded", True)
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await session.ws_connect(f"{simulator.sportsapipro_ws_url}?x-api-key={simulator.SAP_KEY}")
    assert err.value.status == 429
    async with session.get(
        f"{simulator.base_url}/v1/ws/new", params={"t": simulator.SF_TOKEN}
    ) as resp:
        assert resp.status == 429
    simulator.faults.reset()
    simulator.faults.set("rest_error", 503, "sap")
    simulator.faults.sap.rest_error_count = 1
    headers = {"x-api-key": simulator.SAP_KEY}
    async with session.get(f"{simulator.base_url}/status", headers=headers) as resp:
        assert resp.status == 503
    async with session.get(f"{simulator.base_url}/status", headers=headers) as resp:
        assert resp.status == 200
    simulator.faults.set("rest_error", 500, "sf")
    async with session.get(
        f"{simulator.base_url}/v1/ws/new", params={"t": simulator.SF_TOKEN}
    ) as resp:
        assert resp.status == 500


async def test_refuse_connections(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.faults.set("refuse_connections")
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await session.ws_connect(f"{simulator.sportsapipro_ws_url}?x-api-key={simulator.SAP_KEY}")
    assert err.value.status == 503


async def test_control_endpoint(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    ctl = simulator.control_url
    ws = await sap_connect(session, simulator)
    async with session.post(f"{ctl}/load", json={"scenario": "goals"}) as resp:
        assert (await resp.json())["result"] == ["mll-rma"]
    async with session.post(f"{ctl}/advance", json={"seconds": 60 + 12 * 60}) as resp:
        events = (await resp.json())["result"]
    assert [e["type"] for e in events] == ["kickoff", "goal"]
    async with session.post(f"{ctl}/silent", json={"value": True, "provider": "sap"}) as resp:
        assert resp.status == 200
    assert simulator.faults.sap.silent
    assert not simulator.faults.sf.silent
    async with session.post(f"{ctl}/reset") as resp:
        assert resp.status == 200
    async with session.post(
        f"{ctl}/variant", json={"name": "sap_games", "value": "changed"}
    ) as resp:
        assert resp.status == 200
    assert simulator.variants.sap_games == "changed"
    async with session.post(f"{ctl}/nonsense", json={}) as resp:
        assert resp.status == 400
    async with session.get(f"{ctl}/truth") as resp:
        assert (await resp.json())["goals"][0]["scorer"] == "Muriqi"
    async with session.get(f"{ctl}/state") as resp:
        state = await resp.json()
    assert state["matches"][0]["score"] == [1, 0]
    assert state["connections"]["sportsapipro"] == 1
    async with session.post(f"{ctl}/drop", json={}) as resp:
        assert (await resp.json())["result"] == {"dropped": 1}
    await wait_closed(ws)
