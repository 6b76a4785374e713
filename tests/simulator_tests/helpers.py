"""Small client helpers for talking to the simulator in tests."""

import asyncio
from typing import Any

import aiohttp
import orjson

from tests.simulator import Simulator

TIMEOUT = 5.0


async def recv(ws: aiohttp.ClientWebSocketResponse) -> Any:
    """The next text frame, decoded."""
    msg = await ws.receive(timeout=TIMEOUT)
    assert msg.type == aiohttp.WSMsgType.TEXT, msg
    return orjson.loads(msg.data)


async def drain(ws: aiohttp.ClientWebSocketResponse, settle: float = 0.25) -> list[Any]:
    """Every frame already delivered (frames are written before advance() returns)."""
    out: list[Any] = []
    while True:
        try:
            msg = await ws.receive(timeout=settle)
        except TimeoutError:
            return out
        if msg.type != aiohttp.WSMsgType.TEXT:
            return out
        out.append(orjson.loads(msg.data))


async def sap_connect(
    session: aiohttp.ClientSession, sim: Simulator, key: str | None = None
) -> aiohttp.ClientWebSocketResponse:
    ws = await session.ws_connect(f"{sim.sportsapipro_ws_url}?x-api-key={key or sim.SAP_KEY}")
    hello = await recv(ws)
    assert hello["type"] == "connected"
    return ws


async def sf_token(
    session: aiohttp.ClientSession, sim: Simulator, token: str | None = None
) -> dict[str, Any]:
    async with session.get(
        f"{sim.soccerfootball_rest_url}/v1/ws/new", params={"t": token or sim.SF_TOKEN}
    ) as resp:
        assert resp.status == 200, await resp.text()
        body = await resp.json()
    result: dict[str, Any] = body["result"][0]
    return result


async def sf_connect(
    session: aiohttp.ClientSession, sim: Simulator, token: str | None = None
) -> aiohttp.ClientWebSocketResponse:
    info = await sf_token(session, sim, token)
    return await session.ws_connect(info["server"])


async def sf_subscribe(
    ws: aiohttp.ClientWebSocketResponse, channel: str, scope: str, ident: str | None = None
) -> Any:
    msg: dict[str, Any] = {"action": "subscribe", "channel": channel, "scope": scope}
    if ident is not None:
        msg["id"] = ident
    await ws.send_str(orjson.dumps(msg).decode())
    return await recv(ws)


async def wait_closed(ws: aiohttp.ClientWebSocketResponse) -> aiohttp.WSMessage:
    """Read until the close (skipping data frames); returns the close message."""
    while True:
        msg = await asyncio.wait_for(ws.receive(), TIMEOUT)
        if msg.type in (
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSED,
            aiohttp.WSMsgType.CLOSING,
        ):
            return msg
        if msg.type == aiohttp.WSMsgType.ERROR:
            return msg


async def sap_subscribe(
    ws: aiohttp.ClientWebSocketResponse, *channels: str, unsubscribe: bool = False
) -> None:
    """(Un)subscribe, then ping and wait for the pong so the server has seen it all."""
    kind = "unsubscribe" if unsubscribe else "subscribe"
    for channel in channels:
        await ws.send_str(orjson.dumps({"type": kind, "channel": channel}).decode())
    await ws.send_str('{"type":"ping"}')
    while (await recv(ws))["type"] != "pong":
        pass
