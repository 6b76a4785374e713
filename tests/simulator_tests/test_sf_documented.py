"""SoccerFootball as documented (PROTOCOLS.md section 2): MAIN and STATS shapes, ts on the
simulator clock, MAIN/STATS latency in both directions, the stale_stats fault."""

from typing import Any

import aiohttp
import pytest

from tests.simulator import SimConfig, Simulator
from tests.simulator.scenario import scenario_from_dict

from .helpers import drain, recv, sf_connect, sf_subscribe

MATCH = "b01d28ac92221034"
LEAGUE = "f2b16fa54cb525d"
GOAL_1 = 60 + 12 * 60  # goals scenario: Muriqi 12' (1-0), sim seconds
GOAL_2 = 60 + 23 * 60  # Mbappe 23' penalty (1-1)
MAIN_KEYS = {"type", "channel", "matchId", "leagueId", "ts", "data"}
STATS_KEYS = {"type", "channel", "scope", "id", "eventType", "eventId", "ts", "data"}
DOC_STATS = {
    "timer", "extraTimer", "status", "score", "score1h", "score2h", "possession",
    "shotsOnTarget", "corners", "yellowCards", "redCards", "xg", "attacks",
    "dangerousAttacks", "shotsOffTarget", "totalShots", "shotsBlocked", "corners1h", "fouls",
    "yellowToRed", "substitutions", "throwIns", "injuries", "penalties", "offsides",
}  # fmt: skip


def stats(frames: list[Any]) -> list[Any]:
    return [f for f in frames if f.get("eventType") == "stats_update"]


def mains(frames: list[Any], kind: str | None = None) -> list[Any]:
    return [f for f in frames if f["channel"] == "MAIN" and kind in (None, f["type"])]


async def main_and_stats(
    session: aiohttp.ClientSession, sim: Simulator
) -> aiohttp.ClientWebSocketResponse:
    ws = await sf_connect(session, sim)
    await sf_subscribe(ws, "MAIN", "match", MATCH)
    await sf_subscribe(ws, "STATS", "match", MATCH)
    return ws


async def test_main_doc_shapes(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("goals")
    ws = await sf_connect(session, simulator)
    await sf_subscribe(ws, "MAIN", "match", MATCH)
    await simulator.advance_to_end()
    frames = await drain(ws)
    assert all(set(f) == MAIN_KEYS for f in frames)
    assert all((f["matchId"], f["leagueId"]) == (MATCH, LEAGUE) for f in frames)
    goals = [f["data"] for f in mains(frames, "goal")]
    assert goals == [
        {"score": "1;0", "timer": "12", "team": "A"},
        {"score": "1;1", "timer": "23", "team": "B"},
        {"score": "1;2", "timer": "38", "team": "B"},  # ruled out by VAR at 40'
        {"score": "1;2", "timer": "67", "team": "B"},  # own goal, credited to the away side
        {"score": "2;2", "timer": "90", "team": "A"},  # 90+3
    ]
    assert [f["data"] for f in mains(frames, "halftime")] == [{"score": "1;1"}]
    assert [f["data"] for f in mains(frames, "second_half_start")] == [{"score": "1;1"}]
    assert [f["data"] for f in mains(frames, "match_end")] == [
        {"finalScore": "2;2", "score1h": "1;1"}
    ]
    await ws.close()


@pytest.mark.parametrize(("score", "scorer"), [(False, False), (True, True), (False, True)])
async def test_goal_score_and_scorer_variants(
    simulator: Simulator, session: aiohttp.ClientSession, score: bool, scorer: bool
) -> None:
    simulator.variants.sf_goal_score = score
    simulator.variants.sf_goal_scorer = scorer
    simulator.load_scenario("goals")
    ws = await sf_connect(session, simulator)
    await sf_subscribe(ws, "MAIN", "all")
    await simulator.advance(GOAL_1)
    goal = mains(await drain(ws), "goal")[0]["data"]
    expected: dict[str, Any] = {"timer": "12", "team": "A"}
    if score:
        expected["score"] = "1;0"
    if scorer:
        expected["player"] = "Muriqi"
    assert goal == expected
    await ws.close()


async def test_match_end_after_extra_time_and_shootout(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("knockout")
    m = simulator.match("cup-final")
    ws = await sf_connect(session, simulator)
    await sf_subscribe(ws, "MAIN", "match", m.sf_id)
    await simulator.advance_to_end()
    end = mains(await drain(ws), "match_end")
    assert m.pens == [4, 3]
    assert [f["data"]["finalScore"] for f in end] == ["1;1"]  # no shoot-out in it
    assert end[0]["data"]["score1h"] == f"{m.ht_score[0]};{m.ht_score[1]}"  # type: ignore[index]
    await ws.close()


async def test_stats_match_scope_envelope_and_keys(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("goals")
    ws = await main_and_stats(session, simulator)
    await simulator.advance(GOAL_1 + 30 * 60)
    frames = stats(await drain(ws))
    assert frames
    assert all(set(f) == STATS_KEYS for f in frames)
    assert all((f["type"], f["channel"], f["scope"], f["id"]) == ("event", "STATS", "match", MATCH) for f in frames)  # fmt: skip
    assert len({f["eventId"] for f in frames}) == len(frames)
    last = frames[-1]["data"]
    assert set(last) == DOC_STATS
    assert all(isinstance(v, str) and ";" in v for k, v in last.items() if k not in {"timer", "extraTimer", "status", "score1h", "score2h", "corners1h"})  # fmt: skip
    pair = {k: [float(x) for x in v.split(";")] for k, v in last.items() if k in DOC_STATS - {"timer", "extraTimer", "status", "score1h", "score2h", "corners1h", "score"}}  # fmt: skip
    assert pair["totalShots"] == [
        a + b + c
        for a, b, c in zip(
            pair["shotsOnTarget"], pair["shotsOffTarget"], pair["shotsBlocked"], strict=True
        )
    ]
    assert sum(pair["possession"]) == 100
    assert pair["attacks"][0] + pair["attacks"][1] > 0
    assert pair["penalties"] == [0, 1]  # Mbappe's penalty at 23'
    assert last["score"] == "1;1"
    await ws.close()


@pytest.mark.parametrize("reading", ["league", "match_id", "data"])
async def test_league_scope_readings(
    simulator: Simulator, session: aiohttp.ClientSession, reading: str
) -> None:
    simulator.variants.sf_league_stats = reading  # type: ignore[assignment]
    simulator.load_scenario("league")
    liv, ars = simulator.match("liv-mun"), simulator.match("ars-tot")
    league = liv.spec.sf_league_id
    ws = await sf_connect(session, simulator)
    await sf_subscribe(ws, "STATS", "league", league)
    await simulator.advance(60 + 11 * 60)
    frames = stats(await drain(ws))
    assert frames
    assert all(f["scope"] == "league" for f in frames)
    if reading == "league":  # the documented reading: no match id anywhere
        assert all(set(f) == STATS_KEYS and f["id"] == league for f in frames)
        assert all("matchId" not in f["data"] for f in frames)
        text = str(frames)
        assert liv.sf_id not in text
        assert ars.sf_id not in text
    elif reading == "match_id":
        assert {f["id"] for f in frames} == {liv.sf_id, ars.sf_id}
        assert {f["leagueId"] for f in frames} == {league}
    else:
        assert {f["id"] for f in frames} == {league}
        assert {f["data"]["matchId"] for f in frames} == {liv.sf_id, ars.sf_id}
        assert all("leagueId" not in f for f in frames)
    await ws.close()


async def test_ts_follows_the_simulator_clock(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("goals")
    ws = await main_and_stats(session, simulator)
    await simulator.advance(GOAL_2)
    frames = await drain(ws)
    ts = [f["ts"] for f in frames]
    assert ts == sorted(ts)
    assert len(set(ts)) == len(ts)  # strictly increasing
    g1, g2 = mains(frames, "goal")
    # 11 simulated minutes between the goals are 660 000 ms of ts (+ a few ms of ordering).
    assert 660_000 <= g2["ts"] - g1["ts"] < 660_050
    assert abs(g1["ts"] - (simulator.epoch_ms + GOAL_1 * 1000)) < 50
    await ws.send_str('{"action":"ping"}')
    assert (await recv(ws))["ts"] >= simulator.epoch_ms + GOAL_2 * 1000
    await ws.close()


def score_of(frame: Any) -> str:
    return str(frame["data"]["score"])


async def test_positive_lag_stats_after_main(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.set_stats_lag(30)
    simulator.load_scenario("goals")
    ws = await main_and_stats(session, simulator)
    await simulator.advance(GOAL_1)
    frames = await drain(ws)
    assert [f["data"]["score"] for f in mains(frames, "goal")] == ["1;0"]
    assert all(score_of(f) == "0;0" for f in stats(frames))  # STATS still shows the old score
    await simulator.advance(29)
    assert all(score_of(f) == "0;0" for f in stats(await drain(ws)))
    await simulator.advance(1)
    late = stats(await drain(ws))
    assert [score_of(f) for f in late] == ["1;0"]
    assert late[0]["data"]["timer"] == "12"  # the state at the goal, sent 30 s later
    goal = mains(frames, "goal")[0]
    assert 30_000 <= late[0]["ts"] - goal["ts"] < 30_050
    truth = simulator.truth.goals[0]
    assert (truth.at, truth.main_sent_at, truth.stats_sent_at) == (GOAL_1, GOAL_1, GOAL_1 + 30)
    await ws.close()


async def test_negative_lag_main_after_stats(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.config.sf_stats_lag = -30
    simulator.load_scenario("goals")
    ws = await main_and_stats(session, simulator)
    await simulator.advance(GOAL_1)
    frames = await drain(ws)
    assert stats(frames)[-1]["data"]["score"] == "1;0"  # the STATS score rose first
    assert mains(frames, "goal") == []
    await simulator.advance(30)
    frames = await drain(ws)
    goal = mains(frames, "goal")
    assert [f["data"] for f in goal] == [{"score": "1;0", "timer": "12", "team": "A"}]
    truth = simulator.truth.goals[0]
    assert (truth.main_sent_at, truth.stats_sent_at) == (GOAL_1 + 30, GOAL_1)
    await ws.close()


async def test_lag_switched_mid_match(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.set_stats_lag(20)
    simulator.load_scenario("goals")
    ws = await main_and_stats(session, simulator)
    await simulator.advance(GOAL_1 + 60)
    order = [f["type"] if f["channel"] == "MAIN" else score_of(f) for f in await drain(ws)]
    assert order.index("goal") < order.index("1;0")
    async with session.post(f"{simulator.control_url}/stats_lag", json={"seconds": -20}) as resp:
        assert (await resp.json())["result"] == {"sf_stats_lag": -20}
    await simulator.advance(GOAL_2 - GOAL_1 - 60 + 20)
    frames = await drain(ws)
    order = [f["type"] if f["channel"] == "MAIN" else score_of(f) for f in frames]
    assert order.index("1;1") < order.index("goal")
    ts = [f["ts"] for f in frames]
    assert ts == sorted(ts)
    assert [f.name for f in simulator.truth.faults] == ["stats_lag", "stats_lag"]
    await ws.close()


async def test_lag_with_the_real_time_clock(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    scenario = scenario_from_dict(
        {
            "match": [
                {
                    "key": "rt",
                    "sf_id": MATCH,
                    "home": "A",
                    "away": "B",
                    "kickoff": 30,
                    "moments": [{"minute": 2, "type": "goal"}],
                }
            ]
        }
    )
    async with Simulator(SimConfig(time_factor=600, sf_stats_lag=120)) as sim:
        ws = await main_and_stats(session, sim)
        sim.load_scenario(scenario)
        goal: Any = None
        while True:  # read until the STATS score shows the goal
            frame = await recv(ws)
            if frame["channel"] == "MAIN" and frame["type"] == "goal":
                goal = frame
            elif frame.get("eventType") == "stats_update" and score_of(frame) == "1;0":
                break
        assert goal is not None  # MAIN first
        assert frame["ts"] - goal["ts"] >= 119_000  # 120 s of simulated time later
        await ws.close()


async def test_stale_stats(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("goals")
    ws = await main_and_stats(session, simulator)
    league = await sf_connect(session, simulator)
    await sf_subscribe(league, "STATS", "league", LEAGUE)
    main_only = await sf_connect(session, simulator)
    await sf_subscribe(main_only, "MAIN", "all")
    assert await simulator.faults.stale_stats() == 0  # no score change yet
    await simulator.advance(GOAL_1 + 120)
    before = stats(await drain(ws))
    await drain(league)
    await drain(main_only)
    assert score_of(before[-1]) == "1;0"
    assert await simulator.faults.stale_stats("mll-rma") == 2
    stale = await recv(ws)
    assert stale["eventType"] == "stats_update"
    assert stale["data"] == [f for f in before if score_of(f) == "0;0"][-1]["data"]
    assert stale["ts"] > before[-1]["ts"]
    assert stale["eventId"] not in {f["eventId"] for f in before}
    other = await recv(league)
    assert (other["scope"], other["id"], score_of(other)) == ("league", LEAGUE, "0;0")
    assert await drain(main_only) == []
    async with session.post(f"{simulator.control_url}/stale_stats", json={"match": MATCH}) as resp:
        assert (await resp.json())["result"] == {"sent": 2}
    assert score_of(await recv(ws)) == "0;0"
    fault = simulator.truth.faults[-1]
    assert (fault.name, fault.provider, fault.at) == ("stale_stats", "soccerfootball", GOAL_1 + 120)
    await simulator.advance(60)  # the next real snapshot shows the score again
    assert score_of(stats(await drain(ws))[-1]) == "1;0"
    for sock in (ws, league, main_only):
        await sock.close()


async def test_pro_plan_gets_main_only(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.load_scenario("goals")
    ws = await sf_connect(session, simulator, simulator.SF_TOKEN_PRO)
    for channel in ("STATS", "ODDS", "MAIN_REALTIME", "STATS_REALTIME"):
        assert (await sf_subscribe(ws, channel, "all"))["code"] == "CHANNEL_NOT_ALLOWED"
    assert (await sf_subscribe(ws, "MAIN", "all"))["type"] == "subscribed"
    await simulator.advance_to_end()
    frames = await drain(ws)
    assert frames
    assert {f["channel"] for f in frames} == {"MAIN"}
    assert {f["type"] for f in frames} == {
        "match_start", "goal", "halftime", "second_half_start", "match_end",
    }  # fmt: skip
    await ws.close()
