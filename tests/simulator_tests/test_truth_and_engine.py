import asyncio
from pathlib import Path

import aiohttp
import orjson
import pytest

from tests.simulator import SimConfig, Simulator, load_scenario, scenario_names
from tests.simulator.scenario import SPORT_IDS, scenario_from_dict

from .helpers import drain, recv, sap_connect, sap_subscribe, sf_connect, sf_subscribe


async def test_goals_ground_truth(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("goals")
    sap = await sap_connect(session, simulator)
    await sap_subscribe(sap, "all", unsubscribe=True)
    await sap_subscribe(sap, "match:4467358")
    sf = await sf_connect(session, simulator)
    await sf_subscribe(sf, "MAIN", "match", "b01d28ac92221034")
    await simulator.advance_to_end(step=300)
    goals = [
        (g.minute, g.added, g.side, g.home_score, g.away_score, g.kind, g.scorer, g.cancelled)
        for g in simulator.truth.goals
    ]
    assert goals == [
        (12, 0, "home", 1, 0, "open_play", "Muriqi", False),
        (23, 0, "away", 1, 1, "penalty", "Mbappe", False),
        (38, 0, "away", 1, 2, "open_play", "Vinicius", True),
        (67, 0, "away", 1, 2, "own_goal", "Valjent", False),
        (90, 3, "home", 2, 2, "open_play", "Larin", False),
    ]
    assert all(g.sap_id == 4467358 and g.sf_id == "b01d28ac92221034" for g in simulator.truth.goals)
    types = [e.type for e in simulator.truth.events]
    assert types == [
        "kickoff", "goal", "goal", "yellow_card", "goal", "goal_cancelled", "red_card",
        "halftime", "second_half", "goal", "goal", "full_time",
    ]  # fmt: skip
    red = simulator.truth.of("red_card")[0]
    assert (red.minute, red.added, red.side) == (45, 1, "away")
    # Every state change reached the client: each score in the truth is seen on the wire.
    frames = await drain(sap)
    seen = [
        (f["game"]["homeCompetitor"]["score"], f["game"]["awayCompetitor"]["score"]) for f in frames
    ]
    scores = [
        (-1.0, -1.0),
        (0.0, 0.0),
        (1.0, 0.0),
        (1.0, 1.0),
        (1.0, 2.0),
        (1.0, 1.0),
        (1.0, 2.0),
        (2.0, 2.0),
    ]
    assert [s for i, s in enumerate(seen) if i == 0 or s != seen[i - 1]] == scores[1:]
    final = frames[-1]["game"]
    assert final["statusGroup"] == 4
    assert final["statusText"] == "Ended"
    assert final["awayCompetitor"]["redCards"] == 1
    var = [e for e in final["events"] if e["eventType"]["id"] == 11]
    assert var[0]["eventType"]["subTypeName"] == "Goal Disallowed"
    assert len([e for e in final["events"] if e["eventType"]["id"] == 1]) == 4
    main = [f["type"] for f in await drain(sf)]
    assert main.count("goal") == 5
    await sap.close()
    await sf.close()


async def test_knockout_extra_time_and_penalties(simulator: Simulator) -> None:
    simulator.load_scenario("knockout")
    await simulator.advance_to_end()
    m = simulator.match("cup-final")
    assert (m.home_score, m.away_score, m.pens) == (1, 1, [4, 3])
    types = [e.type for e in simulator.truth.events]
    assert types.index("extra_time") < types.index("penalties") < types.index("full_time")
    assert types.count("shootout_kick") == 8
    assert simulator.truth.of("full_time")[0].detail == {"penalties": "4;3"}
    assert len(simulator.truth.goals) == 2  # shoot-out kicks are not goals


async def test_postponed_and_cancelled(simulator: Simulator) -> None:
    simulator.load_scenario("postponed")
    await simulator.advance(300)
    assert [(e.type, e.match) for e in simulator.truth.events] == [
        ("postponed", "post"),
        ("cancelled", "canc"),
    ]


async def test_tennis_stages(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("tennis")
    ws = await sap_connect(session, simulator)
    await simulator.advance(60 + 40 * 60)
    game = (await drain(ws))[-1]["games"][0]
    names = [s["name"] for s in game["stages"]]
    assert names == ["Set 1", "Set 2", "Set 3", "Sets", "Game"]
    assert game["statusText"].startswith("Set ")
    assert game["stages"][2]["homeCompetitorScore"] == -1.0
    await simulator.advance_to_end(step=600)
    m = simulator.match("sin-alc")
    assert m.status == "finished"
    assert max(m.sides()) == 2
    assert len(simulator.truth.of("set_won")) == sum(m.sides())
    await ws.close()


async def test_basketball_and_hockey(simulator: Simulator) -> None:
    simulator.load_scenario("basketball")
    simulator.load_scenario("hockey")
    await simulator.advance_to_end()
    b = simulator.match("lal-bos")
    assert b.status_text == "Final"
    assert sum(b.sides()) > 100
    assert len(simulator.truth.of("score_change", "lal-bos")) > 50
    hockey = simulator.truth.goals_of("nyr-bos")
    assert [g.cancelled for g in hockey] == [False, False, False, True]
    assert [e.detail["period"] for e in simulator.truth.of("period_start", "nyr-bos")] == [
        "2nd Period",
        "3rd Period",
    ]


async def test_demo_loops(simulator: Simulator) -> None:
    simulator.load_scenario("demo")
    assert {m.sport for m in simulator.matches} == set(SPORT_IDS)  # all nine sports
    await simulator.advance(6 * 3600)
    assert any("#" in m.key for m in simulator.matches)
    assert len({m.sap_id for m in simulator.matches}) == len(simulator.matches)


def test_every_scenario_loads() -> None:
    assert {
        "demo",
        "goals",
        "knockout",
        "postponed",
        "basketball",
        "tennis",
        "hockey",
        "league",
    } <= set(scenario_names())
    for name in scenario_names():
        assert load_scenario(name).matches


def test_bad_scenarios() -> None:
    with pytest.raises(ValueError, match="unknown moment type"):
        scenario_from_dict(
            {"match": [{"key": "a", "home": "A", "away": "B", "moments": [{"type": "x"}]}]}
        )
    with pytest.raises(ValueError, match="duplicate"):
        scenario_from_dict({"match": [{"key": "a", "home": "A", "away": "B"}] * 2})


async def test_real_time_playback(
    socket_enabled: None, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    """Time factor 3600: a match minute per 1/60 s; frames arrive at the scaled cadence."""
    scenario = scenario_from_dict(
        {
            "match": [
                {
                    "key": "rt",
                    "home": "A",
                    "away": "B",
                    "kickoff": 30,
                    "moments": [{"minute": 2, "type": "goal"}],
                }
            ]
        }
    )
    async with Simulator(SimConfig(time_factor=3600)) as sim:
        rec = sim.record_frames(tmp_path / "frames.jsonl")
        sim.load_scenario(scenario)
        ws = await sap_connect(session, sim)
        for _ in range(200):
            if sim.truth.goals:
                break
            await asyncio.sleep(0.02)
        assert sim.truth.goals
        for _ in range(500):  # frames keep coming at the cadence (0.05 s here)
            frame = await recv(ws)
            if frame["games"][0]["homeCompetitor"]["score"] == 1.0:
                break
        else:
            pytest.fail("the goal never reached the client")
        await ws.close()
        assert rec.count > 0
    lines = (tmp_path / "frames.jsonl").read_text().splitlines()
    first = orjson.loads(lines[0])
    assert first["provider"] in ("sportsapipro", "soccerfootball")
    assert orjson.loads(first["frame"])["type"]


async def test_firehose(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    hose = simulator.start_firehose(50)
    ws = await sap_connect(session, simulator)
    await sap_subscribe(ws, "match:9000000")
    await hose.step(200)
    frames = await drain(ws)
    scores = [f for f in frames if f["type"] == "scores"]
    assert len(scores) == 1
    assert 1 <= len(scores[0]["games"]) <= 50
    assert len(simulator.truth.events) >= 250
    await ws.close()


async def test_truth_times_and_faults(simulator: Simulator, session: aiohttp.ClientSession) -> None:
    simulator.load_scenario("goals")
    await simulator.advance_to_end(step=300)
    goals = simulator.truth.goals
    second = simulator.truth.of("second_half")[0].at
    assert [g.at for g in goals] == [60 + m * 60 for m in (12, 23, 38)] + [
        second + (67 - 45) * 60,
        second + (90 - 45 + 3) * 60,
    ]
    assert [g.cancelled_at for g in goals if g.cancelled] == [60 + 40 * 60]
    assert all(g.main_sent_at == g.stats_sent_at == g.at for g in goals)  # no lag, no socket
    await simulator.faults.stale_stats()
    simulator.faults.replay_on_reconnect(2)
    async with session.get(f"{simulator.control_url}/truth") as resp:
        truth = await resp.json()
    assert [(f["name"], f["provider"]) for f in truth["faults"]] == [
        ("stale_stats", "soccerfootball"),
        ("replay_on_reconnect", "sportsapipro"),
    ]
    assert truth["goals"][0]["main_sent_at"] == 60 + 12 * 60
