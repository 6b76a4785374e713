"""Firehose: N live games changing at a set rate, for benchmarks."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
import math
import random
import time
from typing import TYPE_CHECKING

from aiohttp import WSMsgType
import orjson

from .engine import Apply, MatchState, Period
from .sap_format import game_object
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


# Called for each frame that carries a goal, as it is written: (connection's key,
# game id, (home, away) score, perf_counter() at the write).
type GoalWritten = Callable[[str, int, tuple[int, int], float], None]


@dataclass(slots=True)
class PumpShape:
    """What `Pump` sends: the shape of a latency benchmark."""

    rate: float = 2000.0  # game updates per second, over every game
    tick: float = 0.02  # seconds between pushes
    goal_every: float = 0.5  # seconds between goals, round-robin over `goal_games`
    # Seconds between `all` frames (every game) to whoever is on `all`: the service
    # refreshes about every second.
    all_every: float = 1.0
    # Seconds between the copies of one push to successive connections (whose
    # order alternates): each client reads its frames while the others are idle.
    offset: float = 0.008
    all_offset: float = 0.4


class Pump:
    """The firehose as the service would push it, with goals at a set cadence.

    Unlike `Firehose.run` (which goes through the simulator's publish, rebuilding
    every game each push), each changed game's object is rebuilt once and cached
    as JSON, so that thousands of updates per second cost the loop little: a
    `match-update` per changed game to `match:{id}` subscribers, an `all` frame
    (every game, its JSON joined from the cache) every `all_every` seconds to
    `all` subscribers. A change moves a game's clock by a minute; a goal scores
    for a side of the next game of `goal_games`.
    """

    def __init__(self, firehose: Firehose, goal_games: list[int], shape: PumpShape) -> None:
        self.fh = firehose
        self.sim = firehose.sim
        self.shape = shape
        self.by_id = {m.sap_id: m for m in firehose.games}
        self.goal_games = goal_games
        self.texts: dict[int, bytes] = {m.sap_id: self._text(m) for m in firehose.games}
        self.update_id = 7_000_000_000
        self.goals = 0
        self.updates = 0
        self.frames = 0
        self.bytes = 0
        self._on_goal: GoalWritten = lambda *_args: None
        # Goals not yet sent in an `all` frame.
        self._all_goals: list[tuple[int, tuple[int, int]]] = []

    def _text(self, m: MatchState) -> bytes:
        return orjson.dumps(game_object(m, self.sim.variants, events=True))

    def _match_update(self, game_id: int, ts: int) -> bytes:
        self.update_id += 1
        return b'{"type":"match-update","channel":"match:%d","game":%b,"updateId":%d,"ts":%d}' % (
            game_id,
            self.texts[game_id],
            self.update_id,
            ts,
        )

    def _all(self, ts: int) -> bytes:
        self.update_id += 1
        games = b",".join(self.texts.values())
        return b'{"type":"scores","channel":"all","games":[%b],"updateId":%d,"ts":%d}' % (
            games,
            self.update_id,
            ts,
        )

    def _change(self, games: list[MatchState], changed: set[int]) -> None:
        m = self.fh.rng.choice(games)
        m.clock_seconds += 60
        self.texts[m.sap_id] = self._text(m)
        changed.add(m.sap_id)
        self.updates += 1

    def _goal(self, changed: set[int]) -> tuple[int, tuple[int, int]]:
        game_id = self.goal_games[self.goals % len(self.goal_games)]
        self.goals += 1
        m = self.by_id[game_id]
        side = self.fh.rng.choice(("home", "away"))
        self.sim.truth_events(Apply(m).do_goal(MomentSpec(minute=0, type="goal", side=side)))
        self.texts[game_id] = self._text(m)
        changed.add(game_id)
        return game_id, (m.home_score or 0, m.away_score or 0)

    async def run(self, seconds: float, on_goal: GoalWritten) -> None:
        """Push for `seconds` (wall time), then return."""
        self._on_goal = on_goal
        shape = self.shape
        loop = asyncio.get_running_loop()
        start = loop.time()
        owed, last, next_goal, next_all, pushes = 0.0, start, start + shape.goal_every, start, 0
        games = self.fh.games
        while (now := loop.time()) < start + seconds:
            owed += (now - last) * shape.rate
            last = now
            changed: set[int] = set()
            for _ in range(int(owed)):
                self._change(games, changed)
            owed -= int(owed)
            goal = None
            if now >= next_goal:
                next_goal += shape.goal_every
                goal = self._goal(changed)
            send_all = now >= next_all
            if send_all:
                next_all += shape.all_every
            await self._push(changed, goal, send_all=send_all, order=pushes % 2)
            pushes += 1
            await asyncio.sleep(max(0.0, shape.tick - (loop.time() - now)))

    async def _push(
        self,
        changed: set[int],
        goal: tuple[int, tuple[int, int]] | None,
        *,
        send_all: bool,
        order: int,
    ) -> None:
        ts = self.sim.wall_ms()
        conns = sorted(self.sim.sap.conns, key=lambda c: c.credential)
        if order:
            conns.reverse()
        if goal is not None:
            self._all_goals.append(goal)
        all_frame: bytes | None = None
        updates: dict[int, bytes] = {}
        first = True
        for conn in conns:
            if conn.closed:
                continue
            out: list[tuple[bytes, list[tuple[int, tuple[int, int]]]]] = []
            if send_all and "all" in conn.subs:
                if all_frame is None:
                    all_frame = self._all(ts)
                out.append((all_frame, self._all_goals))
            for game_id in changed:
                if f"match:{game_id}" in conn.subs:
                    if game_id not in updates:
                        updates[game_id] = self._match_update(game_id, ts)
                    carried = [goal] if goal is not None and goal[0] == game_id else []
                    out.append((updates[game_id], carried))
            if not out:
                continue
            if not first:
                await asyncio.sleep(self.shape.all_offset if send_all else self.shape.offset)
            first = False
            for data, carried in out:
                written = time.perf_counter()
                for game_id, score in carried:
                    self._on_goal(conn.credential, game_id, score, written)
                self.frames += 1
                self.bytes += len(data)
                await conn.ws.send_frame(data, WSMsgType.TEXT)
        if not first:  # the last client reads while the pump is idle too
            await asyncio.sleep(self.shape.all_offset if send_all else self.shape.offset)
        if send_all:
            self._all_goals = []


class Churn:
    """Matches that come and go, for soak benchmarks: a day of football in minutes.

    Every simulated minute `per_minute` matches kick off (one in `followed_share`
    between a followed team and a new opponent, while that team is free), every
    live match plays a minute (a goal now and then), a match ends after 95
    minutes and is listed once more as just ended, then no more. Each step sends
    one `scores` frame of every current game, as the service does, on the
    `football` and `all` channels, to whoever subscribed to them.
    """

    def __init__(
        self, sim: Simulator, followed: list[tuple[int, str]], *, per_minute: float, seed: int = 5
    ) -> None:
        self.sim = sim
        self.followed = followed
        self.per_minute = per_minute
        self.rng = random.Random(seed)  # noqa: S311
        self.current: dict[int, MatchState] = {}
        self.busy: dict[int, int] = {}  # followed team id -> its game id
        self.started = 0
        self.ended = 0
        self._owed = 0.0
        self._minute = 0
        self.update_id = 8_000_000_000

    def _start(self) -> None:
        i = self.started
        self.started += 1
        home_id, home = 600_000 + 2 * i, f"Churn Home {i}"
        free = [team for team in self.followed if team[0] not in self.busy]
        if free and self.rng.random() < 0.05:
            home_id, home = self.rng.choice(free)
        spec = match_from_dict(
            {
                "key": f"churn-{i}",
                "sap_id": 20_000_000 + i,
                "sf_id": f"c0e0{i:012x}",
                "competition": f"Churn League {i % 40}",
                "home": {"name": home, "short": "CHH", "id": home_id},
                "away": {"name": f"Churn Away {i}", "short": "CHA", "id": 600_001 + 2 * i},
            }
        )
        state = MatchState(
            spec=spec,
            key=spec.key,
            sap_id=spec.sap_id,
            sf_id=spec.sf_id,
            sf_rt_id=str(90_000_000 + i),
            kickoff_at=self.sim.clock.now(),
            periods=[Period("1st Half", "1st", "play", 0, math.inf, 0, 10**6, "kickoff")],
            moments=[],
            start_wall=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(self.sim.wall_s())),
        )
        Apply(state).period(0)
        self.current[state.sap_id] = state
        if any(home_id == team[0] for team in self.followed):
            self.busy[home_id] = state.sap_id

    def _play(self, m: MatchState) -> bool:
        """One minute of a match; False once it is gone."""
        if m.status == "finished":
            if m.just_ended:
                m.just_ended = False
                return True
            return False
        m.clock_seconds += 60
        if self.rng.random() < 0.03:
            side = self.rng.choice(("home", "away"))
            Apply(m).do_goal(MomentSpec(minute=0, type="goal", side=side))
        if m.clock_seconds >= 95 * 60:
            m.status = "finished"
            m.just_ended = True
            self.ended += 1
            home_id = int(m.spec.home.sap_id)
            if self.busy.get(home_id) == m.sap_id:
                del self.busy[home_id]
        return True

    async def step(self) -> int:
        """One simulated minute: kick-offs, play, ends, one frame. Returns its bytes."""
        self.sim.clock.set(self.sim.clock.now() + 60)
        self._owed += self.per_minute
        for _ in range(int(self._owed)):
            self._start()
        self._owed -= int(self._owed)
        for game_id, m in list(self.current.items()):
            if not self._play(m):
                del self.current[game_id]
        self.update_id += 1
        variants = self.sim.variants
        frame = orjson.dumps(
            {
                "type": "scores",
                "channel": "football",
                "games": [game_object(m, variants, events=False) for m in self.current.values()],
                "updateId": self.update_id,
                "ts": self.sim.wall_ms(),
            }
        )
        for conn in list(self.sim.sap.conns):
            if not conn.closed and ("football" in conn.subs or "all" in conn.subs):
                await conn.ws.send_frame(frame, WSMsgType.TEXT)
        return len(frame)
