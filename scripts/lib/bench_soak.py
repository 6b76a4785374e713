"""A simulated day in a real Home Assistant: memory over time, CPU when idle.

The simulator's `Churn` (tests/simulator/firehose.py) plays 24 hours of football
on an accelerated clock, one simulated minute per step: 10,000 matches kick off
over the day (about 650 at a time), 20 followed teams among them play now and
then, and every step sends one `scores` frame of every current game on the
`football` channel the integration subscribes to for its followed teams.

Printed: RSS and the objects the garbage collector tracks after the first two
simulated hours (the day is in full swing) and at its end (with as many games
on), their difference (target <= +5 MB), then the process's CPU while no game
is live and the socket stays open with its pings only (target < 0.1% of a core).
"""

import argparse
import asyncio
import gc
from pathlib import Path
import resource
import time

from bench_hass import add_entry, follow, run, start_hass

from custom_components.live_scores import coordinator as live_coordinator
from tests.simulator import SimConfig, Simulator
from tests.simulator.firehose import Churn

FOLLOWED = 20


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--matches", type=int, default=10_000)
    parser.add_argument("--idle", type=float, default=35.0, help="wall seconds of the idle window")
    args = parser.parse_args()
    started = time.monotonic()
    hass = await start_hass()
    sim = Simulator(SimConfig(manual_clock=True))
    await sim.start()
    entry = await add_entry(hass, sim, sim.SAP_KEY)
    teams = [(700_000 + k, f"Followed Team {k}") for k in range(FOLLOWED)]
    for team_id, name in teams:
        follow(
            hass,
            entry,
            "team",
            {"team": name, "team_id": str(team_id), "team_name": name, "sport": "football"},
            name,
        )
    await hass.async_block_till_done()
    client = entry.runtime_data.client
    counters = client.counters  # type: ignore[attr-defined]
    minutes = int(args.hours * 60)
    churn = Churn(sim, teams, per_minute=args.matches / minutes)
    sent = 0

    async def step() -> None:
        nonlocal sent
        before = counters.get("frames", 0)
        sent += await churn.step()
        async with asyncio.timeout(30):
            while counters.get("frames", 0) == before:  # noqa: ASYNC110 - the client read it
                await asyncio.sleep(0.0005)
        await hass.async_block_till_done()

    warmup = min(120, minutes // 4)
    for _ in range(warmup):
        await step()
    gc.collect()
    start_rss, start_objects, start_live = rss_mb(), len(gc.get_objects()), len(churn.current)
    for _ in range(minutes - warmup):
        await step()
    gc.collect()
    end_rss, end_objects, end_live = rss_mb(), len(gc.get_objects()), len(churn.current)
    played = time.monotonic() - started
    churn.per_minute = 0  # the day ends: the last games finish, nothing is live
    while churn.current:
        await step()
    followed_seen = len(entry.runtime_data.matches)
    await asyncio.sleep(1)
    before, t0 = cpu(), time.monotonic()
    frames_before = counters.get("frames", 0)
    await asyncio.sleep(args.idle)
    idle_cpu = (cpu() - before) / (time.monotonic() - t0)
    pongs = counters.get("frames", 0) - frames_before
    await sim.stop()
    await hass.async_stop()
    print(
        f"bench_soak: {args.hours:.0f} simulated hours in {played:.0f} s, {churn.started} matches "
        f"({churn.ended} ended), {FOLLOWED} followed teams, {sent / 1e6:.0f} MB of frames; "
        f"feed client indexed {client.diagnostics().get('indexed_games')} games, "
        f"HA keeps {followed_seen} matches"
    )
    print(
        f"  after {warmup} min: RSS {start_rss:.1f} MB, {start_objects} tracked objects, {start_live} games on"
    )
    print(
        f"  at the end   : RSS {end_rss:.1f} MB, {end_objects} tracked objects, {end_live} games on"
    )
    print(
        f"  idle ({args.idle:.0f} s, no live game, socket open, {pongs} frames read): CPU {idle_cpu * 100:.3f}% of a core (target < 0.1)"
    )
    print(f"objects_growth={end_objects - start_objects}")
    print(f"idle_cpu_pct={idle_cpu * 100:.3f}")
    print(f"rss_growth_mb={end_rss - start_rss:+.1f}")


if __name__ == "__main__":
    live_coordinator.FEED_TIMING = (
        live_coordinator.FEED_TIMING
    )  # production timing: pings every 30 s
    run(main)
