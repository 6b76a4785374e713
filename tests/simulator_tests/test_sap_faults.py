"""SportsAPIPro faults: a stale replay right after a reconnect, a poisoned updateId."""

from typing import Any

import aiohttp

from tests.simulator import Simulator

from .helpers import drain, sap_connect, sap_subscribe

GAME = 4467358
GOAL_1 = 60 + 12 * 60  # goals scenario: Muriqi 12' (1-0), sim seconds


def score(frame: Any) -> tuple[float, float]:
    game = frame["game"] if frame["type"] == "match-update" else frame["games"][0]
    return game["homeCompetitor"]["score"], game["awayCompetitor"]["score"]


async def test_replay_on_reconnect(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("goals")
    first = await sap_connect(session, simulator)
    await simulator.advance(GOAL_1 - 60)
    await simulator.advance(60)  # the goal
    seen = await drain(first)
    await first.close()
    simulator.faults.replay_on_reconnect()
    ws = await sap_connect(session, simulator)
    other = await sap_connect(session, simulator)  # n=1: only the first new connection
    await simulator.advance(60)
    fresh, stale, *rest = await drain(ws)
    assert rest == []
    assert (fresh["type"], stale["type"]) == ("scores", "scores")
    assert stale["channel"] == fresh["channel"] == "all"
    assert stale["updateId"] < fresh["updateId"]
    assert stale == seen[-1]  # the last frame before the reconnect, again
    assert score(stale) == (1.0, 0.0)
    assert stale["games"][0]["gameTime"] < fresh["games"][0]["gameTime"]
    assert [f["updateId"] for f in await drain(other)] == [fresh["updateId"]]
    await simulator.advance(60)  # one replay only
    assert len(await drain(ws)) == 1
    names = [f.name for f in simulator.truth.faults]
    assert names == ["replay_on_reconnect", "replayed"]
    assert simulator.truth.faults[1].detail["updateId"] == stale["updateId"]
    await ws.close()
    await other.close()


async def test_replay_on_reconnect_older_states_via_control(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("goals")
    first = await sap_connect(session, simulator)
    await sap_subscribe(first, "all", unsubscribe=True)
    await sap_subscribe(first, f"match:{GAME}")
    await simulator.advance(GOAL_1)
    await first.close()
    async with session.post(f"{simulator.control_url}/replay_on_reconnect", json={"n": 1}) as r:
        assert (await r.json())["result"] == {"replay_on_reconnect": 1}
    ws = await sap_connect(session, simulator)
    await sap_subscribe(ws, "all", unsubscribe=True)
    await sap_subscribe(ws, f"match:{GAME}")
    await simulator.advance(60)
    fresh, stale = await drain(ws)
    assert fresh["type"] == stale["type"] == "match-update"
    assert stale["updateId"] < fresh["updateId"]
    assert score(stale) == score(fresh) == (1.0, 0.0)
    assert stale["game"]["gameTime"] < fresh["game"]["gameTime"]
    await ws.close()


async def test_poison_update_id(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("goals")
    ws = await sap_connect(session, simulator)
    await sap_subscribe(ws, "football", f"match:{GAME}")
    await simulator.advance(GOAL_1)
    before = await drain(ws)
    counter = simulator.sap.update_id
    assert await simulator.faults.poison_update_id() == 1
    poisoned = await drain(ws)
    assert [(f["type"], f["channel"]) for f in poisoned] == [
        ("scores", "all"),
        ("scores", "football"),
        ("match-update", f"match:{GAME}"),
    ]
    assert {f["updateId"] for f in poisoned} == {counter + 10**12}
    assert score(poisoned[2]) == (1.0, 0.0)  # the current games
    assert poisoned[0]["ts"] >= before[-1]["ts"]
    assert simulator.sap.update_id == counter  # the counter does not jump
    await simulator.advance(60)
    later = await drain(ws)
    assert later
    assert all(counter < f["updateId"] < counter + 10 for f in later)
    async with session.post(
        f"{simulator.control_url}/poison_update_id", json={"delta": 5000}
    ) as resp:
        assert (await resp.json())["result"] == {"sent": 1}
    assert {f["updateId"] for f in await drain(ws)} == {simulator.sap.update_id + 5000}
    fault = simulator.truth.faults[0]
    assert (fault.name, fault.provider, fault.at) == ("poison_update_id", "sportsapipro", GOAL_1)
    assert fault.detail == {"delta": 10**12, "update_id": counter + 10**12}
    await ws.close()


async def test_sap_ts_follows_the_simulator_clock(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("goals")
    ws = await sap_connect(session, simulator)
    await simulator.advance(60)
    await simulator.advance(600)
    a, b = [f for f in await drain(ws) if f["channel"] == "all"][-2:]
    assert b["ts"] - a["ts"] == 600_000
    await ws.close()
