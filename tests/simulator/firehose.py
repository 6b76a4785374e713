"""Firehose: N live games changing at a set rate, for benchmarks."""

from __future__ import annotations

import asyncio
import math
import random
import time
from typing import TYPE_CHECKING

from .engine import Apply, MatchState, Period
from .scenario import MomentSpec, match_from_dict
from .truth import TruthEvent

if TYPE_CHECKING:
    from .simulator import Simulator


class Firehose:
    """Adds `games` football matches, live from the start and never ending."""

    def __init__(self, sim: Simulator, games: int, seed: int = 7) -> None:
        self.sim = sim
        self.rng = random.Random(seed)  # noqa: S311
        self.games: list[MatchState] = []
        self.changes = 0
        now = sim.clock.now()
        for i in range(games):
            spec = match_from_dict(
                {
                    "key": f"firehose-{i}",
                    "sap_id": 9_000_000 + i,
                    "sf_id": f"f1e0{i:012x}",
                    "competition": f"Firehose League {i % 10}",
                    "home": {"name": f"Home {i}", "short": "HOM", "id": 500_000 + 2 * i},
                    "away": {"name": f"Away {i}", "short": "AWY", "id": 500_001 + 2 * i},
                }
            )
            state = MatchState(
                spec=spec,
                key=spec.key,
                sap_id=spec.sap_id,
                sf_id=spec.sf_id,
                sf_rt_id=str(80_000_000 + i),
                kickoff_at=now,
                periods=[Period("1st Half", "1st", "play", 0, math.inf, 0, 10**6, "kickoff")],
                moments=[],
                start_wall=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            )
            sim.truth_events(Apply(state).period(0))
            sim.engine.matches.append(state)
            self.games.append(state)

    def change(self) -> list[TruthEvent]:
        """One random change: a goal (90%) or a red card."""
        m = self.rng.choice(self.games)
        side = self.rng.choice(("home", "away"))
        apply = Apply(m)
        self.changes += 1
        m.clock_seconds += 1
        if self.rng.random() < 0.9:
            return apply.do_goal(MomentSpec(minute=0, type="goal", side=side))
        return apply.do_red_card(MomentSpec(minute=0, type="red_card", side=side))

    async def step(self, changes: int) -> None:
        """Apply `changes` changes and push the frames once."""
        events: list[TruthEvent] = []
        for _ in range(changes):
            events += self.change()
        self.sim.truth_events(events)
        await self.sim.publish(events)

    async def run(self, rate: float, tick: float = 0.05) -> None:
        """Forever: about `rate` changes per wall second, pushed every `tick` s."""
        owed = 0.0
        last = time.monotonic()
        while True:
            await asyncio.sleep(tick)
            now = time.monotonic()
            owed += (now - last) * rate
            last = now
            n = int(owed)
            owed -= n
            if n:
                await self.step(n)
