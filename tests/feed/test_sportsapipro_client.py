"""SportsAPIPro client against the simulator over loopback WebSockets."""

import pytest

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


def subscribed(sim: Simulator) -> set[str]:
    """The channels of the one open connection (empty while there is none, or two)."""
    subs = sap_subs(sim)
    return subs[0] if len(subs) == 1 else set()


async def test_goals_on_the_match_channel(simulator: Simulator) -> None:
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sap_credentials(simulator), targets) as (client, rec):
        await until(lambda: client.state is ConnectionState.CONNECTED)
        # Nothing heard of the match yet: `live` too, until the match is heard of.
        await until(lambda: sap_subs(simulator) == [{f"match:{MLL_RMA}", "live"}], "channels")
        simulator.load_scenario("goals")
        await simulator.advance(1)
        await until(lambda: bool(rec.matches), "baseline")
        assert rec.matches[0].status is Status.SCHEDULED
        await until(lambda: sap_subs(simulator) == [{f"match:{MLL_RMA}"}], "narrow channels")
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
    # Closed after stop (the server notices it a loop turn or two later).
    await until(lambda: sap_subs(simulator) == [], "closed after stop")
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
        await until(lambda: f"match:{MLL_RMA}" in subscribed(simulator))
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
        await until(lambda: f"match:{MLL_RMA}" in subscribed(simulator))
        await play(simulator)
        await until(lambda: "full_time" in second.seen())
    assert first.seen() + second.seen() == truth_keys(simulator, "mll-rma")


@pytest.mark.parametrize("snapshot", [False, True])
async def test_state_after_a_restart_without_a_change(simulator: Simulator, snapshot: bool) -> None:
    """The match ended while the client was away: that shows at once after the restart.

    The game never changes again, so its match channel alone would never tell.
    Without a snapshot on `match:{id}` (sap_match_snapshot False) the client also
    listens to `live` until that sends its list; with one, until the snapshot.
    """
    simulator.variants.sap_match_snapshot = snapshot
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sap_credentials(simulator), targets) as (client, first):
        await until(lambda: f"match:{MLL_RMA}" in subscribed(simulator))
        simulator.load_scenario("goals")
        await simulator.advance(1)
        await until(lambda: bool(first.matches), "baseline")
        await simulator.advance(75 * 60)  # 58', in the second half
        await until(lambda: first.seen() == truth_keys(simulator, "mll-rma"), "up to 58'")
        saved = client.tracker_state()
    match = simulator.match("mll-rma")
    while not match.final:  # goals at 67' and 90+3', then full time, while nobody listens
        await simulator.advance(60)
    async with running(sap_credentials(simulator), targets) as (client2, second):
        client2.restore_tracker_state(saved)
        if not snapshot:
            await until(lambda: subscribed(simulator) == {f"match:{MLL_RMA}", "live"}, "live")
            assert second.events == []
            # The game does not change any more; the server sends its lists anyway.
            await simulator.push_scores()
        await until(lambda: "full_time" in second.seen(), "the end, seen at once")
        assert second.matches[-1].status is Status.FINISHED
        # Caught up: back to the match channel alone.
        await until(lambda: subscribed(simulator) == {f"match:{MLL_RMA}"}, "narrow channels")
        assert client2.diagnostics()["channels"] == [f"match:{MLL_RMA}"]
    truth = truth_keys(simulator, "mll-rma")
    assert first.seen() == truth[: len(first.seen())]
    rest = truth[len(first.seen()) :]
    if snapshot:  # a match-update carries the events: scorers, and so the order of goals
        assert second.seen() == rest
        assert goal_details(second, MLL_RMA) == truth_goal_details(simulator, "mll-rma")[-2:]
    else:  # a list without events: the two goals are known, not who scored first
        assert sorted(second.seen()) == sorted(rest)


async def test_live_copy_waits_for_the_match_channel_to_name_the_scorer(
    simulator: Simulator,
) -> None:
    """A goal scored while away, the match still in play: the match channel tells it.

    A `live` copy without events would report it without its scorer; the client
    leaves it to the match channel, which sends the game (with events) at its next
    change, in the same push here.
    """
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sap_credentials(simulator), targets) as (client, first):
        await until(lambda: f"match:{MLL_RMA}" in subscribed(simulator))
        simulator.load_scenario("goals")
        await simulator.advance(1)
        await until(lambda: bool(first.matches), "baseline")
        await simulator.advance(60 + 10 * 60)  # 10'
        await until(lambda: first.seen() == truth_keys(simulator, "mll-rma"), "kick-off")
        saved = client.tracker_state()
    await simulator.advance(3 * 60)  # Muriqi scores at 12' while nobody listens
    async with running(sap_credentials(simulator), targets) as (client2, second):
        client2.restore_tracker_state(saved)
        await until(lambda: subscribed(simulator) == {f"match:{MLL_RMA}", "live"}, "live")
        await simulator.advance(60)  # `live` (without events) and `match:` both send the game
        await until(lambda: "goal:home:1" in second.seen(), "the goal scored while away")
        await until(lambda: subscribed(simulator) == {f"match:{MLL_RMA}"}, "narrow channels")
        await play(simulator)
        await until(lambda: "full_time" in second.seen(), "full time")
    assert first.seen() + second.seen() == truth_keys(simulator, "mll-rma")
    assert goal_details(second, MLL_RMA) == truth_goal_details(simulator, "mll-rma")
