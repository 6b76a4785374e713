"""Fuzz the feed layer with mutated simulator frames (scripted, not in CI).

Frames the simulator really sends (every scenario, two variant sets) are mutated
by tests/feed/fuzz.py: wrong types, huge, infinite, NaN and negative numbers,
1e308, deep nesting, huge strings, dicts and lists where ids are, missing keys.
FRAMES of them (1,000,000 by default, the two providers in turn) go straight
through both parsers and the tracker, then CLIENT_FRAMES more through the real
clients' frame handlers (no socket). Printed: frames/s, escapes (exceptions and
stalls, each with its place and inputs), events, and the costliest and slowest
frame against the median: by loop iterations per KiB (counted) and by time.

Exit status 1 if anything escaped. Seed: LIVE_SCORES_FUZZ_SEED, else random.
"""

import argparse
import asyncio
import gc
import os
from pathlib import Path
import random
import statistics
import sys
import time
from typing import Any, override

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.feed import fuzz


class Timed(fuzz.Fuzz):
    """`Fuzz` that also times each frame in the parsers (printed only, never asserted).

    The time is the thread's CPU time (another process taking the core does not
    count); frames during which the garbage collector ran are left out of the
    slowest.
    """

    times: list[float]
    per_kib: list[float]
    slowest: list[tuple[float, str, int]]
    worst_kib: tuple[float, str, int] = (0.0, "", 0)
    collected: bool = False

    @override
    def _one(self, provider: str, meter: fuzz.CostMeter | None) -> None:
        self.collected = False
        super()._one(provider, meter)
        took = self.took
        frames = self.corpus.sap if provider == fuzz.SAP else self.corpus.sf
        size = self._size(frames[(self._next[provider] - 1) % len(frames)])
        self.times.append(took)
        self.per_kib.append(took * 1024 / size)
        if self.collected:
            return
        if took * 1024 / size > self.worst_kib[0]:
            self.worst_kib = (took * 1024 / size, fuzz.describe(self.mutator.last), size)
        if len(self.slowest) < 3 or took > self.slowest[-1][0]:
            entry = (took, fuzz.describe(self.mutator.last), size)
            self.slowest = sorted([*self.slowest, entry], reverse=True)[:3]

    def gc_ran(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self.collected = True


class TimedClients(fuzz.ClientFuzz, Timed):
    """The clients' handlers, timed."""


def run(kind: type[Any], seed: int, data: fuzz.Corpus, frames: int, label: str) -> fuzz.Report:
    fz = kind(seed, data)
    fz.times = []
    fz.per_kib = []
    fz.slowest = []
    fz.clock = time.thread_time  # CPU time: a busy machine's scheduler does not count
    gc.callbacks.append(fz.gc_ran)
    start = time.perf_counter()

    def progress(done: int) -> None:
        rate = done / (time.perf_counter() - start)
        print(
            f"  {label}: {done:,} frames, {rate:,.0f} frames/s, {fz.report.escaped} escapes",
            flush=True,
        )

    try:
        report = fz.run(frames, progress if frames >= 200_000 else None)
    finally:
        gc.callbacks.remove(fz.gc_ran)
    elapsed = time.perf_counter() - start
    times = sorted(fz.times)
    median = statistics.median(times)
    print(
        f"{label}: {report.frames:,} frames in {elapsed:.1f} s = {report.frames / elapsed:,.0f} frames/s"
    )
    print(f"  escapes (exceptions and stalls): {report.escaped}")
    print(
        f"  time per frame: median {median * 1e6:.1f} us, 99.9% {times[int(len(times) * 0.999)] * 1e6:.1f} us, "
        f"slowest {times[-1] * 1e3:.2f} ms = {times[-1] / median:,.0f} x the median"
    )
    kib_median = statistics.median(fz.per_kib)
    worst, what, size = fz.worst_kib
    print(
        f"  CPU time per KiB of frame: median {kib_median * 1e6:.1f} us, costliest frame "
        f"{worst * 1e6:.1f} us = {worst / kib_median:,.0f} x the median ({size / 1024:,.0f} KiB: {what})"
    )
    print("  slowest frames without a garbage collection in them (CPU time in the parsers, size):")
    for took, what, size in fz.slowest:
        print(f"    {took * 1e3:.2f} ms, {size / 1024:,.0f} KiB: {what}")
    for line in report.lines():
        print(f"  {line}")
    if isinstance(fz, fuzz.ClientFuzz):
        errors = sum(p.feed_errors for p in fz.paths.values())  # type: ignore[attr-defined]
        print(f"  feed errors (the server refused us; not escapes): {errors}")
    return report


async def corpus() -> fuzz.Corpus:
    return await fuzz.record_corpus()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=1_000_000, help="through parsers + tracker")
    parser.add_argument("--client-frames", type=int, default=200_000, help="through the clients")
    args = parser.parse_args()
    seed_text = os.environ.get("LIVE_SCORES_FUZZ_SEED")
    seed = int(seed_text) if seed_text else random.SystemRandom().randrange(2**32)
    print(f"LIVE_SCORES_FUZZ_SEED={seed}", flush=True)
    start = time.perf_counter()
    data = asyncio.run(corpus())
    print(
        f"corpus: {len(data.sap):,} SportsAPIPro and {len(data.sf):,} SoccerFootball frames "
        f"recorded from the simulator in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    escaped = run(Timed, seed, data, args.frames, "parsers + tracker").escaped
    if args.client_frames:

        async def clients() -> int:
            return run(TimedClients, seed + 1, data, args.client_frames, "client handlers").escaped

        escaped += asyncio.run(clients())
    print(f"LIVE_SCORES_FUZZ_SEED={seed}: escapes = {escaped}")
    return 1 if escaped else 0


if __name__ == "__main__":
    sys.exit(main())
