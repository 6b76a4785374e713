"""Goal latency in a real Home Assistant: ours against a minimal reference client.

One event loop holds Home Assistant, the simulator's firehose (tests/simulator,
`Pump`: 2,000 game updates/s over every game, one goal every 0.5 s over 20
followed matches) and two clients of the same SportsAPIPro feed:

- ours: a Live Scores config entry (its real feed client, tracker and HA layer),
  subscribed as the integration chooses;
- the reference: Home Assistant's aiohttp session, `orjson.loads`, find the
  followed id, fire one bus event when its score rose.

Latency: from the write of the frame that carries a goal (to that client's
socket) to the client's bus event (`live_scores_goal` / the reference's).
Each push goes to the two sockets a little apart, in alternating order, so that
neither waits for the other. Windows:

- small: 20 followed matches (`match:{id}` channels: one small frame per change);
- all_2mb: 20 followed teams whose sport is not known, so the feed stays on
  `all`: every second a ~2 MB frame listing every game (each goal in the next one).
"""

import argparse
import asyncio
from collections.abc import Callable
import gc
import sys
import time
from typing import Any

from bench_hass import ROOT, add_entry, follow, quantile, run, start_hass
from bench_stages import Stages, install
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import orjson

from custom_components.live_scores.const import EVENT_GOAL
from tests.simulator import SimConfig, Simulator
from tests.simulator.firehose import Firehose, Pump, PumpShape

OURS = "bench-key-ours"
REFERENCE = "bench-key-reference"
REFERENCE_GOAL = "bench_reference_goal"
FOLLOWED = 20

type Key = tuple[str, str, tuple[int, int]]  # (client, match id, score)


class Reference:
    """The minimal client: one socket, orjson, a set of followed ids, one bus event."""

    def __init__(self, hass: HomeAssistant, url: str, followed: set[int]) -> None:
        self.hass = hass
        self.url = url
        self.followed = followed
        self.scores: dict[int, tuple[float, float]] = {}
        self.task: asyncio.Task[None] | None = None
        self.ws: Any = None

    async def start(self, channels: list[str]) -> None:
        session = async_get_clientsession(self.hass)
        ws = await session.ws_connect(f"{self.url}?x-api-key={REFERENCE}", decode_text=False)
        for channel in channels:
            await ws.send_str(orjson.dumps({"type": "subscribe", "channel": channel}).decode())
        if channels:
            await ws.send_str(orjson.dumps({"type": "unsubscribe", "channel": "all"}).decode())
        self.ws = ws
        self.task = asyncio.create_task(self._read(ws))

    async def _read(self, ws: Any) -> None:
        loads, followed, scores, fire = (
            orjson.loads,
            self.followed,
            self.scores,
            self.hass.bus.async_fire,
        )
        while True:
            msg = await ws.receive()
            if msg.type.name != "TEXT":
                return
            frame = loads(msg.data)
            games = frame.get("games") or ([frame["game"]] if "game" in frame else [])
            for game in games:
                if game["id"] in followed:
                    score = (game["homeCompetitor"]["score"], game["awayCompetitor"]["score"])
                    old = scores.get(game["id"])
                    scores[game["id"]] = score
                    if old is not None and sum(score) > sum(old):
                        fire(
                            REFERENCE_GOAL,
                            {
                                "match_id": str(game["id"]),
                                "home_score": int(score[0]),
                                "away_score": int(score[1]),
                            },
                        )

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
            await self.ws.close()


class Clocks:
    """Write and fire times per goal and client (and its stages, with `--stages`)."""

    def __init__(self, stages: Stages | None = None, sockets: dict[str, Any] | None = None) -> None:
        self.written: dict[Key, float] = {}
        self.fired: dict[Key, float] = {}
        self.stages = stages
        # Each client's socket, by client: where `stages` reads its stamps.
        self.sockets = sockets or {}

    def on_write(self, credential: str, game_id: int, score: tuple[int, int], at: float) -> None:
        who = "ours" if credential == OURS else "reference"
        self.written.setdefault((who, str(game_id), score), at)

    def listener(self, who: str) -> Callable[[Event], None]:
        @callback
        def fired(event: Event) -> None:
            at = time.perf_counter()
            data = event.data
            key = (who, str(data["match_id"]), (int(data["home_score"]), int(data["away_score"])))
            if self.stages is not None and key not in self.fired and key in self.written:
                self.stages.goal(who, self.sockets[who], self.written[key], at)
            self.fired.setdefault(key, at)

        return fired

    def latencies(self, who: str) -> list[float]:
        return [
            (self.fired[k] - t) * 1000
            for k, t in self.written.items()
            if k[0] == who and k in self.fired
        ]


async def window(  # noqa: PLR0917
    hass: HomeAssistant,
    sim: Simulator,
    pump: Pump,
    variant: str,
    seconds: float,
    warmup: float,
    stages: Stages | None = None,
) -> tuple[list[float], list[float], int]:
    """Run one window of a variant; its latencies (ours, reference) and goals sent."""
    games = pump.goal_games
    if variant == "small":
        entry = await add_entry(hass, sim, OURS)
        for game_id in games:
            follow(
                hass,
                entry,
                "match",
                {"match_id": str(game_id), "sport": "football"},
                f"Game {game_id}",
            )
        channels = [f"match:{g}" for g in games]
    else:
        entry = await add_entry(hass, sim, OURS)
        for game_id in games:
            m = pump.by_id[game_id]
            team = m.spec.home
            # No sport: the feed cannot narrow the channels and stays on `all`.
            follow(
                hass,
                entry,
                "team",
                {"team": team.name, "team_id": str(team.sap_id), "team_name": team.name},
                team.name,
            )
        channels = []
    reference = Reference(hass, sim.sportsapipro_ws_url, set(games))
    await reference.start(channels)
    await pump.run(warmup, lambda *_a: None)  # baselines, subscriptions settle
    sockets = {"ours": entry.runtime_data.client._ws, "reference": reference.ws}  # noqa: SLF001
    clocks = Clocks(stages, sockets)
    unsub = [
        hass.bus.async_listen(EVENT_GOAL, clocks.listener("ours")),
        hass.bus.async_listen(REFERENCE_GOAL, clocks.listener("reference")),
    ]
    sent = pump.goals
    await pump.run(seconds, clocks.on_write)
    await asyncio.sleep(0.3)
    sent = pump.goals - sent
    for remove in unsub:
        remove()
    await reference.stop()
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    return clocks.latencies("ours"), clocks.latencies("reference"), sent


def line(name: str, ours: list[float], ref: list[float], sent: int, extra: str = "") -> float:
    over = quantile(ours, 0.99) - quantile(ref, 0.99)
    print(
        f"{name:<10} goals sent={sent} matched ours={len(ours)} reference={len(ref)}  "
        f"ours p50={quantile(ours, 0.5):.3f} p99={quantile(ours, 0.99):.3f} ms  "
        f"reference p50={quantile(ref, 0.5):.3f} p99={quantile(ref, 0.99):.3f} ms  "
        f"over_reference_p99_ms={over:.3f}{extra}",
        flush=True,
    )
    return over


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--games", type=int, default=2500, help="live games (the all frame lists them all)"
    )
    parser.add_argument("--rate", type=float, default=2000.0, help="game updates per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="per window")
    parser.add_argument("--windows", type=int, default=2, help="windows per variant")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument(
        "--stages",
        action="store_true",
        help="also print where each goal's latency goes (bench_stages.py; costs a few µs)",
    )
    parser.add_argument(
        "--variants", default="small,all_2mb", help="which windows to run (comma-separated)"
    )
    args = parser.parse_args()
    stages = install() if args.stages else None

    hass = await start_hass()
    sim = Simulator(SimConfig(manual_clock=True, sap_keys={OURS: "Pro", REFERENCE: "Pro"}))
    await sim.start()
    firehose = Firehose(sim, args.games)
    step = args.games // FOLLOWED
    followed = [firehose.games[i * step].sap_id for i in range(FOLLOWED)]
    pump = Pump(firehose, followed, PumpShape(rate=args.rate))
    all_size = len(pump._all(0))  # noqa: SLF001
    print(
        f"bench_latency: {args.games} live games, {args.rate:.0f} updates/s, {FOLLOWED} followed, "
        f"a goal every {pump.shape.goal_every} s; all frame {all_size / 1e6:.1f} MB; "
        f"Python {sys.version.split()[0]}, {ROOT.name}",
        flush=True,
    )
    gc.collect()
    gc.freeze()
    results: dict[str, tuple[list[float], list[float], int]] = {}
    try:
        for variant in args.variants.split(","):
            pooled: tuple[list[float], list[float], int] = ([], [], 0)
            for n in range(args.windows):
                ours, ref, sent = await window(
                    hass, sim, pump, variant, args.seconds, args.warmup, stages
                )
                line(f"{variant}#{n + 1}", ours, ref, sent)
                pooled = (pooled[0] + ours, pooled[1] + ref, pooled[2] + sent)
            results[variant] = pooled
    finally:
        await sim.stop()
        await hass.async_stop()
    print(f"frames written {pump.frames}, {pump.bytes / 1e6:.0f} MB, game updates {pump.updates}")
    if stages is not None:
        stages.report()
    targets = {"all_2mb": "  (target <= 2)", "small": "  (target <= 0.3)"}
    over = {v: line(v, *results[v], extra=targets[v]) for v in targets if v in results}
    if "all_2mb" in over:
        print(f"over_reference_p99_ms_all_2mb={over['all_2mb']:.3f}")
    if "small" in over:
        print(f"over_reference_p99_ms={over['small']:.3f}")


if __name__ == "__main__":
    run(main)
