"""Benchmark of the feed fast path: a firehose of SportsAPIPro `scores` frames.

Frames are generated deterministically (365Scores-style game objects, like the
simulator's): GAMES live games, every frame lists all of them and CHANGES of
them changed since the last one. Each frame goes through the real client path
(orjson.loads, per-game diff against the last raw dict, follow check, parse and
tracker for followed games) with a listener that does nothing. Printed: µs per
game update for the whole path and for orjson.loads alone on the same frames.

SoccerFootball: STATS `stats_update` frames of 50 live matches, a snapshot every
20 s of play per match, through the client's frame handler with 5 matches
followed, and through the parser building every match's `Match` (reported). The
target is on frames as documented (`sf_documented_frames`: every documented key,
sent on every change, so most change only values not read); frames with only the
documented example's keys, identical between changes (`sf_frames`, which the
service does not send), are reported beside them.
"""

import argparse
import asyncio
import gc
from pathlib import Path
import random
import sys
import time
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib

from custom_components.live_scores.feed.api import Credentials, Targets
from custom_components.live_scores.feed.model import Provider
from custom_components.live_scores.feed.soccerfootball import SoccerFootballClient
from custom_components.live_scores.feed.soccerfootball_parser import (
    SoccerFootballParser,
)
from custom_components.live_scores.feed.sportsapipro import SportsAPIProClient


class Quiet:
    def on_matches(self, matches: Any) -> None:
        pass

    def on_events(self, events: Any) -> None:
        pass

    def on_connection(self, state: Any, error: Any) -> None:
        pass

    def on_state_changed(self) -> None:
        pass


def competitor(team_id: int, name: str, score: int, red: int) -> dict[str, Any]:
    return {
        "id": team_id,
        "countryId": 1,
        "sportId": 1,
        "name": name,
        "shortName": name.rsplit(maxsplit=1)[-1],
        "symbolicName": name[:3].upper(),
        "score": float(score),
        "isQualified": None,
        "toQualify": False,
        "isWinner": False,
        "redCards": red,
        "color": "#FFFFFF",
        "imageVersion": 1,
    }


def game(i: int, state: list[int]) -> dict[str, Any]:
    minute, home, away, red_home, red_away = state
    return {
        "id": 9_000_000 + i,
        "sportId": 1,
        "competitionId": 100 + i % 10,
        "competitionDisplayName": f"Firehose League {i % 10}",
        "seasonNum": 98,
        "stageNum": 1,
        "roundNum": 1,
        "startTime": "2026-04-04T14:15:00+00:00",
        "statusGroup": 3,
        "statusText": "1st Half" if minute <= 45 else "2nd Half",
        "shortStatusText": "1st" if minute <= 45 else "2nd",
        "gameTimeAndStatusDisplayType": 1,
        "justEnded": False,
        "gameTime": float(minute),
        "gameTimeDisplay": f"{minute}'",
        "addedTime": 0,
        "hasTVNetworks": False,
        "homeCompetitor": competitor(500_000 + 2 * i, f"Home Team {i}", home, red_home),
        "awayCompetitor": competitor(500_001 + 2 * i, f"Away Team {i}", away, red_away),
        "venue": {"id": 10_000 + i, "name": f"Stadium {i}"},
    }


def firehose(games: int, frames: int, changes: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    states = [[1 + rng.randrange(80), 0, 0, 0, 0] for _ in range(games)]
    objects = [game(i, s) for i, s in enumerate(states)]
    out = []
    update_id = 5_612_062_220
    for _ in range(frames):
        for i in rng.sample(range(games), changes):
            s = states[i]
            s[0] += 1
            roll = rng.random()
            if roll < 0.2:
                s[1 + rng.randrange(2)] += 1
            elif roll < 0.22:
                s[3 + rng.randrange(2)] += 1
            objects[i] = game(i, s)
        update_id += 1
        frame = {
            "type": "scores",
            "channel": "all",
            "games": objects,
            "updateId": update_id,
            "ts": 1712345678000,
        }
        out.append(orjson.dumps(frame))
    return out


def stats_update(match: int, n: int, data: dict[str, Any]) -> bytes:
    """The `n`th `stats_update` of the stream, for match `match`, as documented."""
    return orjson.dumps(
        {
            "type": "event",
            "channel": "STATS",
            "scope": "match",
            "id": f"m{match}",
            "eventType": "stats_update",
            "eventId": f"e{n}",
            "ts": 1_705_314_600_000 + n,
            "data": data,
        }
    )


def sf_frames(matches: int, frames: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    seen = [0] * matches  # frames of each match so far: its clock only moves on
    for n in range(frames):
        m = rng.randrange(matches)
        k = seen[m]
        seen[m] += 1
        out.append(
            stats_update(
                m,
                n,
                {
                    # A snapshot every 20 s: the clock moves every third one,
                    # a goal every fifteenth (far more than football has).
                    "timer": str(1 + k // 3 % 90),
                    "extraTimer": None,
                    "status": "IN_PLAY",
                    "score": f"{k // 15};{k // 30}",
                    "possession": "55;45",
                    "shotsOnTarget": "4;2",
                    "corners": "4;2",
                    "yellowCards": "1;2",
                    "redCards": "0;0",
                    "xg": "0.85;0.42",
                },
            )
        )
    return out


def sf_documented_frames(matches: int, frames: int, seed: int) -> list[bytes]:
    """STATS `stats_update` frames as documented: every data key, one sent on every change.

    The service sends a match's snapshot when a statistic changes, so each one
    differs from the last, mostly in values the client does not read (attacks,
    possession, throw-ins...). Per match, a snapshot every 20 s of play: the clock
    moves every third, a shot every ninth (on target every third shot), a goal
    every fifteenth as in `sf_frames`, far more than football has.
    """
    rng = random.Random(seed)
    out = []
    seen = [0] * matches
    stats = [
        {
            key: [0, 0]
            for key in (
                "attacks",
                "dangerousAttacks",
                "shotsOnTarget",
                "shotsOffTarget",
                "shotsBlocked",
                "corners",
                "fouls",
                "offsides",
                "throwIns",
                "injuries",
            )
        }
        for _ in range(matches)
    ]
    possession = [50] * matches

    def two(values: list[int]) -> str:
        return f"{values[0]};{values[1]}"

    for n in range(frames):
        m = rng.randrange(matches)
        k = seen[m]
        seen[m] += 1
        s = stats[m]
        side = rng.randrange(2)
        s["attacks"][side] += 1 + rng.randrange(2)  # (what changed: never nothing)
        if k % 2:
            possession[m] = min(75, max(25, possession[m] + rng.randint(-3, 3)))
            s["throwIns"][1 - side] += 1
        if k % 3 == 1:
            s["dangerousAttacks"][side] += 1
        if k % 6 == 5:
            s["fouls"][side] += 1
        if k % 12 == 11:
            s["corners"][side] += 1
        if k % 9 == 8:
            kind = "shotsOnTarget" if k % 27 == 26 else ("shotsOffTarget", "shotsBlocked")[k % 2]
            s[kind][side] += 1
        on, off, blocked = s["shotsOnTarget"], s["shotsOffTarget"], s["shotsBlocked"]
        out.append(
            stats_update(
                m,
                n,
                {
                    "timer": str(1 + k // 3 % 90),
                    "extraTimer": None,
                    "status": "IN_PLAY",
                    "score": f"{k // 15};{k // 30}",
                    "score1h": None,
                    "score2h": None,
                    "possession": f"{possession[m]};{100 - possession[m]}",
                    "attacks": two(s["attacks"]),
                    "dangerousAttacks": two(s["dangerousAttacks"]),
                    "totalShots": two([on[i] + off[i] + blocked[i] for i in (0, 1)]),
                    "shotsOnTarget": two(on),
                    "shotsOffTarget": two(off),
                    "shotsBlocked": two(blocked),
                    "corners": two(s["corners"]),
                    "corners1h": None,
                    "fouls": two(s["fouls"]),
                    "offsides": two(s["offsides"]),
                    "yellowCards": f"{min(2, k // 40)};{min(1, k // 70)}",
                    "redCards": "0;0",
                    "yellowToRed": "0;0",
                    "substitutions": "0;0",
                    "throwIns": two(s["throwIns"]),
                    "injuries": two(s["injuries"]),
                    "penalties": "0;0",
                    "xg": f"{on[0] * 0.31:.2f};{on[1] * 0.31:.2f}",
                },
            )
        )
    return out


def drive(coro: Any) -> None:
    """Run a coroutine that never waits to its end, inside the benchmark's timing."""
    with contextlib.suppress(StopIteration):
        coro.send(None)
    coro.close()


def best_of(repeats: int, *runs: Any) -> list[float]:
    """Each run's best time of `repeats`, the runs taken in turn (a slower spell of the
    machine then costs all of them alike, not the one that ran during it)."""
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        for index, run in enumerate(runs):
            gc.collect()
            start = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


SF_SHAPES = {
    "documented": "every documented key, sent on every change",
    "example": "the documented example's keys, identical snapshots between changes",
}


def sf_figures(
    sf: list[bytes], followed: frozenset[str], repeats: int
) -> tuple[int, float, float, float, float]:
    """Frames, bytes per frame, and the seconds of orjson alone, the parser, the client."""
    loads = orjson.loads

    def sf_orjson() -> None:
        for frame in sf:
            loads(frame)

    def sf_full() -> None:
        p = SoccerFootballParser()
        for frame in sf:
            for match_id in p.feed(loads(frame)):
                p.match(match_id)

    def sf_client_path() -> None:
        client = SoccerFootballClient(
            Credentials(Provider.SOCCERFOOTBALL, "bench"),
            None,
            Quiet(),  # type: ignore[arg-type]
        )
        client.set_targets(Targets(matches=followed))
        handle = client._on_frame  # noqa: SLF001

        async def read() -> None:  # as `read_socket` calls each frame's handler
            for frame in sf:
                if (pending := handle(None, loads(frame))) is not None:  # type: ignore[arg-type, func-returns-value]
                    await pending

        drive(read())

    size = sum(map(len, sf)) / len(sf)
    base, full, client = best_of(repeats, sf_orjson, sf_full, sf_client_path)
    return len(sf), size, base, full, client


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, default=300)
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--changes", type=int, default=15, help="changed games per frame")
    parser.add_argument("--follow", type=int, default=30, help="games followed (by team)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    frames = firehose(args.games, args.frames, args.changes, seed=7)
    updates = args.games * args.frames
    size = sum(map(len, frames)) / len(frames)
    loads = orjson.loads

    def orjson_only() -> None:
        for frame in frames:
            loads(frame)

    teams = frozenset(str(500_000 + 2 * i) for i in range(args.follow))

    def full_path() -> None:
        client = SportsAPIProClient(
            Credentials(Provider.SPORTSAPIPRO, "bench"),
            None,
            Quiet(),  # type: ignore[arg-type]
        )
        client.set_targets(Targets(teams=teams))
        handle = client._on_frame  # noqa: SLF001

        async def read() -> None:  # as `read_socket` calls each frame's handler
            for frame in frames:
                if (pending := handle(loads(frame))) is not None:
                    await pending

        drive(read())

    base, full = best_of(args.repeats, orjson_only, full_path)

    followed = frozenset(f"m{i}" for i in range(5))
    sf_runs = {
        name: sf_figures(make(50, 5000, seed=3), followed, args.repeats)
        for name, make in (("documented", sf_documented_frames), ("example", sf_frames))
    }

    print(
        f"SportsAPIPro firehose: {args.games} games x {args.frames} frames "
        f"({args.changes} changed per frame, {args.follow} followed), {size / 1024:.0f} KiB/frame"
    )
    print(f"  orjson.loads alone : {base / updates * 1e6:8.3f} us per game update")
    print(f"  parser + tracker   : {full / updates * 1e6:8.3f} us per game update (whole path)")
    print(
        f"  per frame          : {full / args.frames * 1e3:8.3f} ms (orjson alone {base / args.frames * 1e3:.3f} ms)"
    )
    for name, (count, size_sf, sf_base, sf_path, sf_client) in sf_runs.items():
        print(
            f"SoccerFootball STATS ({SF_SHAPES[name]}): {count} stats_update frames, "
            f"50 matches, {size_sf:.0f} bytes/frame"
        )
        print(f"  orjson.loads alone : {sf_base / count * 1e6:8.3f} us per update")
        print(
            f"  merge + Match      : {sf_path / count * 1e6:8.3f} us per update (every match built)"
        )
        print(
            f"  client path        : {sf_client / count * 1e6:8.3f} us per update "
            f"(as the client reads them: {len(followed)} of 50 followed, tracker and all)"
        )
    _, _, sf_base, sf_path, sf_client = sf_runs["example"]
    print(
        f"sf_stats_example_keys_ratio={sf_client / sf_base:.2f} (every match built {sf_path / sf_base:.2f})"
    )
    _, _, sf_base, sf_path, sf_client = sf_runs["documented"]
    print(f"sf_stats_every_match_built_ratio={sf_path / sf_base:.2f}")
    print(f"sf_stats_ratio_vs_orjson={sf_client / sf_base:.2f} (target <= 3)")
    print(f"ratio_vs_orjson={full / base:.2f} (target <= 1.5)")


if __name__ == "__main__":
    asyncio.run(main())
