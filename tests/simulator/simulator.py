"""The Simulator: both providers served by one aiohttp app on 127.0.0.1."""

import asyncio
import contextlib
from pathlib import Path
import time
from typing import Any

from aiohttp import web

from . import config as c
from .clock import Clock, Recorder
from .config import HOST, SimConfig
from .control import Control
from .engine import Engine, MatchState
from .faults import Faults
from .firehose import Firehose
from .scenario import Scenario, load_scenario
from .sf_format import update_stats
from .soccerfootball import SoccerFootball
from .sportsapipro import SportsApiPro
from .truth import Truth, TruthEvent, TruthFault


class Simulator:
    SAP_KEY = c.SAP_KEY
    SAP_KEY_FREE = c.SAP_KEY_FREE
    SAP_KEY_SUSPENDED = c.SAP_KEY_SUSPENDED
    SF_TOKEN = c.SF_TOKEN
    SF_TOKEN_PRO = c.SF_TOKEN_PRO
    SF_TOKEN_MEGA = c.SF_TOKEN_MEGA
    SF_TOKEN_BASIC = c.SF_TOKEN_BASIC
    SF_RAPIDAPI_KEY = c.SF_RAPIDAPI_KEY
    SF_RAPIDAPI_HOST = c.SF_RAPIDAPI_HOST

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.variants = self.config.variants
        self.clock = Clock(self.config.time_factor, manual=self.config.manual_clock)
        # Wall time of clock 0: frame `ts` = epoch + clock (see wall_ms).
        self.epoch_ms = int(time.time() * 1000)
        self.engine = Engine(self.config.seed)
        self.truth = Truth()
        self.faults = Faults(self)
        self.sap = SportsApiPro(self)
        self.sf = SoccerFootball(self)
        self.control = Control(self)
        self.recorder: Recorder | None = None
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._lock = asyncio.Lock()
        self._minutes: dict[str, int] = {}
        self.firehose: Firehose | None = None

    # --- URLs -----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def sportsapipro_ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/ws"

    def sportsapipro_sport_ws_url(self, sport: str) -> str:
        return f"ws://{HOST}:{self.port}/v1/{sport}/ws"

    @property
    def sportsapipro_rest_url(self) -> str:
        return self.base_url

    @property
    def soccerfootball_rest_url(self) -> str:
        return self.base_url

    @property
    def soccerfootball_rapidapi_url(self) -> str:
        return f"{self.base_url}/rapidapi"

    @property
    def soccerfootball_ws_url(self) -> str:
        """Where SF sockets are served (clients should use `server` from /v1/ws/new)."""
        return self.sf.ws_url

    @property
    def control_url(self) -> str:
        return f"{self.base_url}/_control"

    @property
    def matches(self) -> list[MatchState]:
        return self.engine.matches

    def match(self, ident: str | int) -> MatchState:
        """A match by scenario key, SAP id or SF id."""
        m = self.engine.find(ident)
        if m is None:
            raise KeyError(ident)
        return m

    def wall_ms(self) -> int:
        """The service's wall clock in ms: it moves with the simulator clock (match
        seconds), so 60 s of simulated time are 60 000 ms of frame `ts` on any clock."""
        return self.epoch_ms + int(self.clock.now() * 1000)

    def wall_s(self) -> float:
        return self.wall_ms() / 1000

    def start_wall_s(self) -> float:
        """Real wall time now (epoch s), for start times, which clients compare with their
        own clock: the simulator's wall clock runs `time_factor` times faster."""
        return self.epoch_ms / 1000 + self.clock.now() / self.clock.time_factor

    def set_stats_lag(self, seconds: float) -> None:
        """SoccerFootball source latency (SimConfig.sf_stats_lag), effective for frames
        built from now on (held frames keep their time; each source stays in order)."""
        self.config.sf_stats_lag = float(seconds)
        self.truth.faults.append(
            TruthFault("stats_lag", self.clock.now(), "soccerfootball", {"seconds": seconds})
        )

    # --- lifecycle ------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        self.sap.routes(app)
        self.sf.routes(app)
        self.control.routes(app)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, self.config.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        if not self.clock.manual:
            self._task = asyncio.create_task(self._run(), name="simulator-clock")

    async def stop(self) -> None:
        tasks = [t for t in (self._task, *self._tasks) if t is not None]
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await t
        self._task = None
        self._tasks.clear()
        conns = [*self.sap.conns, *self.sf.conns]
        await asyncio.gather(*(conn.close(1001, "Server shutting down") for conn in conns))
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.recorder is not None:
            self.recorder.close()
            self.recorder = None

    async def __aenter__(self) -> Simulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def spawn(self, coro: Any, name: str) -> asyncio.Task[Any]:
        """A background task the simulator cancels on stop()."""
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def record_frames(self, path: str | Path) -> Recorder:
        """Write every generated frame (SAP `all` scores and match-updates, SF MAIN
        events and match-scope STATS) to a JSON-lines file until stop()."""
        self.recorder = Recorder(str(path))
        return self.recorder

    # --- scenarios ------------------------------------------------------------------
    def load_scenario(self, scenario: str | Path | Scenario) -> list[MatchState]:
        """Add a scenario's matches; kick-offs count from the current clock."""
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        return self.engine.add_scenario(
            scenario, self.clock.now(), self.start_wall_s(), time_factor=self.clock.time_factor
        )

    def clear(self) -> None:
        """Forget every match (sockets stay open)."""
        self.engine.matches.clear()
        self.engine.scenarios.clear()
        self.sf.pending.clear()

    # --- time -----------------------------------------------------------------------
    async def advance(self, seconds: float) -> list[TruthEvent]:
        """Manual clock: move `seconds` of match time, pushing frames at every moment."""
        if not self.clock.manual:
            msg = "advance() needs SimConfig(manual_clock=True)"
            raise RuntimeError(msg)
        return await self._step_to(self.clock.now() + seconds, force_scores=False)

    async def advance_to_end(self, step: float = 60.0, limit: float = 6 * 3600) -> list[TruthEvent]:
        """Advance until every match is final (or `limit` match seconds pass)."""
        out: list[TruthEvent] = []
        end = self.clock.now() + limit
        while self.clock.now() < end and not all(
            m.final and not m.just_ended for m in self.matches
        ):
            out += await self.advance(step)
        return out

    async def push_scores(self) -> None:
        """Send a `scores` frame on every subscribed channel now, changed or not."""
        async with self._lock:
            await self.sap.publish(force_scores=True)

    def truth_events(self, events: list[TruthEvent]) -> None:
        for e in events:
            self.truth.record(e)

    async def publish(self, events: list[TruthEvent] | None = None) -> None:
        """Push whatever changed (engine state edited by hand, firehose) to clients."""
        async with self._lock:
            await self._publish(events or [], force_scores=False)

    def start_firehose(self, games: int, rate: float = 0.0) -> Firehose:
        """Add `games` live football games; with rate > 0, change about `rate` of them
        per wall second in the background (else drive it with `await firehose.step(n)`)."""
        if self.firehose is None:
            self.firehose = Firehose(self, games, seed=self.config.seed)
        if rate > 0:
            self.spawn(self.firehose.run(rate), "simulator-firehose")
        return self.firehose

    async def _step_to(self, t: float, *, force_scores: bool) -> list[TruthEvent]:
        async with self._lock:
            out: list[TruthEvent] = []
            while True:
                due = self.engine.next_due(t)
                held = self.sf.next_due(t)  # frames held back by sf_stats_lag
                if due is None and held is None:
                    break
                if due is None or (held is not None and held < due):
                    assert held is not None
                    if self.clock.manual:
                        self.clock.set(held)
                    await self.sf.flush()
                    continue
                if self.clock.manual:
                    self.clock.set(due)
                events = self.engine.apply_at(due)
                for e in events:
                    self.truth.record(e)
                out += events
                await self._publish(events, force_scores=False)
            if self.clock.manual:
                self.clock.set(t)
            self.engine.apply_at(t)
            self.engine.restart_loops(t, self.start_wall_s(), time_factor=self.clock.time_factor)
            await self._publish([], force_scores=force_scores)
            return out

    async def _publish(self, events: list[TruthEvent], *, force_scores: bool) -> None:
        for m in self.matches:
            if m.football:
                minute = int(m.clock_seconds // 60)
                if self._minutes.get(m.key) != minute:
                    self._minutes[m.key] = minute
                    update_stats(m)
        await self.sap.publish(force_scores=force_scores)
        batch = None if self.clock.manual else self.sf.batch_due()
        await self.sf.publish(events, batch_due=batch)

    async def _run(self) -> None:
        """Real-time playback: step at the adaptive cadence (1 s live, 2 s idle, scaled)."""
        while True:
            await self._step_to(self.clock.now(), force_scores=True)
            live = any(m.live for m in self.matches)
            interval = max(self.config.min_push_interval, self.clock.wall(1.0 if live else 2.0))
            held = self.sf.next_due()
            if held is not None:  # wake for a held frame (sf_stats_lag) between steps
                interval = min(interval, max(0.005, self.clock.wall(held - self.clock.now())))
            await asyncio.sleep(interval)
