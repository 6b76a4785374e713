"""Run the simulator standalone until Ctrl-C.

python -m tests.simulator --scenario demo [--port 8765] [--time-factor 60]
    [--variant sap_games=changed ...] [--token-ttl 1500] [--stats-lag 5]
    [--firehose 500 --rate 200] [--record frames.jsonl]
"""

import argparse
import asyncio
import contextlib
from dataclasses import fields
import signal
import sys

from .config import SimConfig, Variants
from .scenario import scenario_names
from .simulator import Simulator


def _variant(text: str) -> tuple[str, object]:
    name, _, raw = text.partition("=")
    names = {f.name: f for f in fields(Variants)}
    if name not in names:
        msg = f"unknown variant {name!r}; one of {', '.join(names)}"
        raise argparse.ArgumentTypeError(msg)
    value: object = raw
    if raw.lower() in ("true", "false"):
        value = raw.lower() == "true"
    return name, value


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m tests.simulator", description=__doc__.splitlines()[0]
    )
    p.add_argument(
        "--scenario", action="append", help=f"one of {', '.join(scenario_names())} or a path"
    )
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--time-factor", type=float, default=60.0, help="match seconds per wall second")
    p.add_argument(
        "--token-ttl", type=float, default=1500.0, help="SoccerFootball token lifetime, s"
    )
    p.add_argument(
        "--stats-lag",
        type=float,
        default=0.0,
        help="SoccerFootball STATS lag behind MAIN, match s (negative: MAIN late)",
    )
    p.add_argument("--variant", type=_variant, action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--firehose", type=int, default=0, metavar="GAMES")
    p.add_argument("--rate", type=float, default=100.0, help="firehose changes per second")
    p.add_argument("--record", metavar="PATH", help="write generated frames as JSON lines")
    return p.parse_args(argv)


def banner(sim: Simulator) -> str:
    lines = [
        f"Feed simulator on 127.0.0.1:{sim.port} (time factor {sim.clock.time_factor:g})",
        "",
        "SportsAPIPro",
        f"  ws    {sim.sportsapipro_ws_url}?x-api-key={sim.SAP_KEY}",
        f"        ws://127.0.0.1:{sim.port}/v1/football/ws?x-api-key={sim.SAP_KEY}",
        f"  rest  {sim.sportsapipro_rest_url}/status   (header x-api-key: {sim.SAP_KEY})",
        f"  keys  {sim.SAP_KEY} (Pro), {sim.SAP_KEY_FREE} (Free), {sim.SAP_KEY_SUSPENDED} (suspended)",
        "SoccerFootball.info",
        f"  direct    {sim.soccerfootball_rest_url}/v1/ws/new?t={sim.SF_TOKEN}",
        f"  rapidapi  {sim.soccerfootball_rapidapi_url}/ws/new  (x-rapidapi-key: {sim.SF_RAPIDAPI_KEY},",
        f"            x-rapidapi-host: {sim.SF_RAPIDAPI_HOST})",
        f"  tokens    {sim.SF_TOKEN} (ULTRA), {sim.SF_TOKEN_PRO} (PRO), {sim.SF_TOKEN_MEGA} (MEGA)",
        "  then connect to the `server` URL from the answer",
        f"Control   {sim.control_url}/state, /truth; POST /_control/<fault> (see control.py)",
        "",
        "Matches:",
    ]
    lines += [
        f"  {m.sport:<10} {m.spec.home.name} v {m.spec.away.name}  sap {m.sap_id}"
        + (f"  sf {m.sf_id}" if m.football else "")
        for m in sim.matches[:20]
    ]
    return "\n".join(lines)


async def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    variants = Variants()
    for name, value in args.variant:
        setattr(variants, name, value)
    sim = Simulator(
        SimConfig(
            port=args.port,
            time_factor=args.time_factor,
            token_ttl=args.token_ttl,
            variants=variants,
            sf_stats_lag=args.stats_lag,
        )
    )
    await sim.start()
    try:
        if args.record:
            sim.record_frames(args.record)
        for name in args.scenario or ([] if args.firehose else ["demo"]):
            sim.load_scenario(name)
        if args.firehose:
            sim.start_firehose(args.firehose, args.rate)
        print(banner(sim), flush=True)  # noqa: T201
        done = asyncio.Event()
        with contextlib.suppress(NotImplementedError):  # stop cleanly on SIGTERM too
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, done.set)
        await done.wait()
    finally:
        await sim.stop()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(sys.argv[1:]))
