"""Fuzz (CI part): mutated simulator frames cost nothing and change nothing real.

1. 200,000 mutated frames of both providers straight through both parsers and the
   tracker: nothing raises, no frame stalls, no frame costs much more loop work per
   byte than the run's median (counted, never timed), no frame makes a flood of events.
2. 20,000 mutated frames per provider over a real loopback socket from the
   simulator into the real clients, then a real goal in the simulator: it fires
   exactly once, nothing was logged at error level, the junk shows in the
   counters, the connection was never dropped.

`scripts/fuzz` runs a million and more. Seed: LIVE_SCORES_FUZZ_SEED (printed).
"""

from collections.abc import Awaitable, Callable
import logging
import os
from typing import Any

import pytest

from custom_components.live_scores.feed.api import FeedClient, Targets
from custom_components.live_scores.feed.model import EventType
from tests.simulator import Simulator

from . import fuzz
from .harness import running, sap_credentials, sf_credentials, sf_settled, until
from .helpers import Recorder

SEED = int(os.environ.get("LIVE_SCORES_FUZZ_SEED", "20261202"))
DIRECT_FRAMES = 200_000
SOCKET_FRAMES = 20_000  # per provider
# However a frame is mangled, it never makes more events than this: one state of a
# game can move each side's score and red cards by a bounded jump (the tracker
# takes a larger one as it is), plus phase events; a frame carries a few games.
MAX_EVENTS_PER_FRAME = 400
# The costliest frame may do this many times the run's median loop work per KiB
# of frame (at least MIN_MEDIAN). The median is about 7 iterations per KiB; work
# linear in the frame is at most about 1,000 per KiB (two passes over a list of
# 2-byte items); a loop over one number, such as a score of 10,000 in a 2 KiB
# frame, is 5,000 per KiB and fails, as does a stall (STALL_LIMIT iterations).
COST_FACTOR = 250
MIN_MEDIAN = 5.0


@pytest.fixture(autouse=True)
def enable_event_loop_debug() -> None:
    """No asyncio debug mode here (it costs per callback; the fuzz sends 40,000 frames)."""


def test_direct_fuzz_through_parsers_and_tracker() -> None:
    data = fuzz.corpus()
    run = fuzz.Fuzz(SEED, data)
    report = run.run(DIRECT_FRAMES)
    summary = "\n".join([f"seed {SEED} (LIVE_SCORES_FUZZ_SEED)", *report.lines()])
    print(summary)  # noqa: T201 - shown with -s and on failure
    assert report.frames == DIRECT_FRAMES
    assert report.counted, "no free sys.monitoring tool id: the cost was not counted"
    assert report.escaped == 0, summary
    for provider, stats in report.stats.items():
        assert stats.frames == DIRECT_FRAMES // 2
        assert stats.max_events <= MAX_EVENTS_PER_FRAME, (provider, summary)
        median = max(MIN_MEDIAN, report.median_cost(provider))
        assert stats.worst_cost <= COST_FACTOR * median, (provider, summary)
    assert report.stats[fuzz.SAP].ops > 0, "the meter counted nothing"
    # The fuzz reached the tracker: real frames between the junk made events.
    assert report.stats[fuzz.SAP].events > 0
    assert report.stats[fuzz.SF].events > 0


def test_the_mutator_is_seeded_and_leaves_the_corpus_alone() -> None:
    data = fuzz.corpus()
    before = fuzz.encode(data.sap[:50]) + fuzz.encode(data.sf[:50])
    first = [fuzz.Mutator(7, wire=True).wire_frame(f) for f in data.sap[:50]]
    again = [fuzz.Mutator(7, wire=True).wire_frame(f) for f in data.sap[:50]]
    assert first == again
    assert fuzz.encode(data.sap[:50]) + fuzz.encode(data.sf[:50]) == before
    assert str(fuzz.REAL_SAP_ID) not in data.sap_ids
    assert fuzz.REAL_SF_ID not in data.sf_ids


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{r.name} {r.levelname}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR
        or (r.levelno >= logging.WARNING and r.name.startswith("custom_components"))
    ]


async def _fuzz_then_goal(
    sim: Simulator,
    client: FeedClient,
    rec: Recorder,
    *,
    provider: str,
    real_id: str,
    settled: Callable[[], bool],
) -> dict[str, Any]:
    """Kick off the real match, send the fuzz, then play its first goal."""
    data = await fuzz.corpus_async()
    frames = data.sap if provider == fuzz.SAP else data.sf
    await until(settled, "connected and subscribed")
    sim.load_scenario("goals")
    await sim.advance(1)
    await until(lambda: any(m.id == real_id for m in rec.matches), "baseline")
    await sim.advance(60 + 5 * 60)  # kick-off, then five minutes
    await until(lambda: "kickoff" in rec.seen(real_id), "kick-off")
    before = rec.seen(real_id)
    counters: dict[str, int] = client.diagnostics()["counters"]
    received = counters.get("frames", 0)
    mutator = fuzz.Mutator(SEED, wire=True)
    send: Callable[[str | None, str | bytes], Awaitable[int]] = sim.faults.send_raw
    short = "sap" if provider == fuzz.SAP else "sf"
    for n in range(SOCKET_FRAMES):
        await send(short, mutator.wire_frame(frames[n % len(frames)]))
    await until(
        lambda: client.diagnostics()["counters"].get("frames", 0) >= received + SOCKET_FRAMES,
        "every fuzzed frame read",
    )
    assert rec.seen(real_id) == before, "a fuzzed frame changed the real match"
    await sim.advance(8 * 60)  # the first goal is in minute 12
    await until(lambda: "goal:home:1" in rec.seen(real_id), "the real goal")
    # A last frame after everything: once it is read, every earlier frame was handled.
    marker = client.diagnostics()["counters"]["frames"]
    await send(short, '{"type":"pong"}' if provider == fuzz.SAP else '{"type":"pong","ts":1}')
    await until(lambda: client.diagnostics()["counters"]["frames"] > marker, "the last frame")
    goals = [e for e in rec.events if e.match.id == real_id and e.type is EventType.GOAL]
    assert [e.key for e in goals] == ["goal:home:1"]
    return client.diagnostics()


async def test_fuzz_over_the_socket_sportsapipro(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.live_scores")
    data = await fuzz.corpus_async()
    real = str(fuzz.REAL_SAP_ID)
    targets = Targets(matches=frozenset({real, *data.sap_ids}))
    async with running(sap_credentials(simulator), targets) as (client, rec):

        def settled() -> bool:
            conns = [c for c in simulator.sap.conns if not c.closed]
            return len(conns) == 1 and f"match:{real}" in conns[0].subs

        diag = await _fuzz_then_goal(
            simulator, client, rec, provider=fuzz.SAP, real_id=real, settled=settled
        )
    counters = diag["counters"]
    assert counters["connections"] == 1, counters
    assert counters.get("frame_errors", 0) == 0, counters
    assert counters["malformed"] > 0, counters
    assert counters["binary_frames"] > 0, counters
    assert _errors(caplog) == []
    skipped = [r for r in caplog.records if "Skipped" in r.getMessage()]
    assert 1 <= len(skipped) <= 2  # debug, rate-limited: not one line per frame


async def test_fuzz_over_the_socket_soccerfootball(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.live_scores")
    data = await fuzz.corpus_async()
    real = fuzz.REAL_SF_ID
    targets = Targets(matches=frozenset({real, *data.sf_ids}))
    async with running(sf_credentials(simulator), targets) as (client, rec):

        def settled() -> bool:
            return sf_settled(simulator, client)

        diag = await _fuzz_then_goal(
            simulator, client, rec, provider=fuzz.SF, real_id=real, settled=settled
        )
    counters = diag["counters"]
    assert counters["connections"] == 1, counters
    assert counters.get("frame_errors", 0) == 0, counters
    assert counters["malformed"] > 0, counters
    assert counters["binary_frames"] > 0, counters
    assert diag["parser"]["malformed"] + diag["parser"]["unknown"] > 0, diag["parser"]
    assert _errors(caplog) == []
    skipped = [r for r in caplog.records if "Skipped" in r.getMessage()]
    assert 1 <= len(skipped) <= 2
