"""SportsAPIPro client against the simulator over loopback WebSockets."""

from __future__ import annotations

from custom_components.live_scores.feed.api import ConnectionState, Targets
from custom_components.live_scores.feed.model import Sport, Status
from tests.simulator import Simulator

from .harness import (
    goal_details,
    play,
    running,
    sap_credentials,
    truth_goal_details,
    truth_keys,
    until,
)

MLL_RMA = "4467358"


def sap_subs(sim: Simulator) -> list[set[str]]:
    return [set(c.subs) for c in sim.sap.conns if not c.closed]


async def test_goals_on_the_match_channel(simulator: Simulator) -> None:
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sap_credentials(simulator), targets) as (client, rec):
        await until(lambda: client.state is ConnectionState.CONNECTED)
        await until(lambda: sap_subs(simulator) == [{f"match:{MLL_RMA}"}], "narrow channels")
        simulator.load_scenario("goals")
        await simulator.advance(1)
        await until(lambda: bool(rec.matches), "baseline")
        assert rec.matches[0].status is Status.SCHEDULED
        await play(simulator)
        await until(lambda: "full_time" in rec.seen(), "full time")
    assert rec.seen(MLL_RMA) == truth_keys(simulator, "mll-rma")
    assert goal_details(rec, MLL_RMA) == truth_goal_details(simulator, "mll-rma")
    assert [s for s, _ in rec.states][:2] == [ConnectionState.CONNECTING, ConnectionState.CONNECTED]


async def follow_and_play(
    sim: Simulator, targets: Targets, scenario: str, *, faults=None, key: str | None = None
):
    """Connect, load a scenario, play it out; return the recorder and client."""
    async with running(sap_credentials(sim, key), targets) as (client, rec):
        await until(lambda: client.state is ConnectionState.CONNECTED)
        await until(lambda: bool(sap_subs(sim)) and "all" not in sap_subs(sim)[0])
        sim.load_scenario(scenario)
        await sim.advance(1)
        await until(lambda: bool(rec.matches), "baseline")
        if faults is not None:
            await faults(sim, client, rec)
        await play(sim)
        await until(
            lambda: (
                all(m.status is not Status.LIVE for m in rec.matches[-1:])
                and "full_time" in rec.seen()
            ),
            "full time",
        )
    return client, rec


async def test_variants_seen_groups_changed_games_no_events(simulator: Simulator) -> None:
    simulator.variants.sap_status_groups = "seen"
    simulator.variants.sap_games = "changed"
    simulator.variants.sap_update_events = False
    targets = Targets(teams=frozenset({"142"}), sports=frozenset({Sport.FOOTBALL}))
    _, rec = await follow_and_play(simulator, targets, "goals")
    assert sap_subs(simulator) == []  # closed after stop
    assert rec.seen(MLL_RMA) == truth_keys(simulator, "mll-rma")
    # Without events[] the scorer is unknown, the rest still counts.
    assert all(e.scorer is None for e in rec.events)


async def test_basketball_hockey_tennis(simulator: Simulator) -> None:
    for scenario, key in (("basketball", "lal-bos"), ("hockey", "nyr-bos"), ("tennis", "sin-alc")):
        simulator.clear()
        simulator.truth.clear()
        spec = simulator.load_scenario(scenario)[0]
        simulator.clear()
        targets = Targets(
            competitions=frozenset({str(spec.spec.competition_id)}),
            sports=frozenset({Sport(spec.sport)}),
        )
        _, rec = await follow_and_play(simulator, targets, scenario)
        assert rec.seen(str(spec.sap_id)) == truth_keys(simulator, key), scenario
        assert len(rec.events) > 5


def connections(client) -> int:
    return client.diagnostics()["counters"].get("connections", 0)


async def test_drop_silence_garbage_duplicates_reorder(simulator: Simulator) -> None:
    async def faults(sim: Simulator, client, rec) -> None:
        await sim.advance(60 + 10 * 60)  # 10'
        # A dropped TCP connection; a goal (12') happens while we are away.
        await sim.faults.drop("sap")
        await until(lambda: client.state is not ConnectionState.CONNECTED)
        await sim.advance(5 * 60)
        await until(lambda: connections(client) == 2 and bool(sap_subs(sim)))
        await until(lambda: "all" not in sap_subs(sim)[0])
        # A silent socket is found by the watchdog and replaced.
        sim.faults.set("silent", True, "sap")
        await until(lambda: client.diagnostics()["counters"].get("silent", 0) >= 1)
        sim.faults.set("silent", False, "sap")
        await until(lambda: connections(client) >= 3 and bool(sap_subs(sim)))
        await until(lambda: "all" not in sap_subs(sim)[0])
        await sim.advance(5 * 60)
        # Garbage of every kind, repeats and older frames.
        for action in ("garbage", "truncated", "binary", "unknown_type", "duplicate_last", "stale"):
            await getattr(sim.faults, action)("sap")
        sim.faults.set("duplicate", True, "sap")
        await sim.advance(25 * 60)  # 45'
        # Swapped pairs: the older of each pair arrives second and is dropped. (A goal
        # and its VAR cancellation in one swapped pair would be invisible to anyone.)
        sim.faults.set("reorder", True, "sap")
        await sim.advance(20 * 60)
        sim.faults.set("reorder", False, "sap")
        await sim.faults.stale("sap")
        await sim.advance(60)

    targets = Targets(matches=frozenset({MLL_RMA}))
    client, rec = await follow_and_play(simulator, targets, "goals", faults=faults)
    assert rec.seen(MLL_RMA) == truth_keys(simulator, "mll-rma")
    counters = client.diagnostics()["counters"]
    assert counters["malformed"] >= 3
    assert counters["unknown"] >= 1


async def test_save_and_restore_in_the_middle(simulator: Simulator) -> None:
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sap_credentials(simulator), targets) as (client, first):
        await until(lambda: client.state is ConnectionState.CONNECTED)
        await until(lambda: sap_subs(simulator) == [{f"match:{MLL_RMA}"}])
        simulator.load_scenario("goals")
        await simulator.advance(1)
        await until(lambda: bool(first.matches))
        await simulator.advance(60 + 30 * 60)
        await until(lambda: "goal:away:1" in first.seen())
        saved = client.tracker_state()
    # Restarted: the same state is replayed first, then the match goes on.
    await simulator.advance(60)
    async with running(sap_credentials(simulator), targets) as (client2, second):
        client2.restore_tracker_state(saved)
        await until(lambda: client2.state is ConnectionState.CONNECTED)
        await until(lambda: sap_subs(simulator) == [{f"match:{MLL_RMA}"}])
        await play(simulator)
        await until(lambda: "full_time" in second.seen())
    assert first.seen() + second.seen() == truth_keys(simulator, "mll-rma")
