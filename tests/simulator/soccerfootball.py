"""SoccerFootball.info: REST token lifecycle (direct and RapidAPI) and the WebSocket."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import math
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web
import orjson

from .config import SF_CHANNELS, SF_PLANS, SF_RAPIDAPI_HOST, SfPlan
from .conn import Conn, dumps, send_all
from .engine import MatchState
from .sf_format import (
    MAIN_EVENTS,
    envelope,
    error_envelope,
    main_data,
    main_event,
    match_scoped_event,
    odds_data,
    realtime_stats,
    scoped_event,
    stats_data,
)
from .truth import TruthEvent, TruthGoal

if TYPE_CHECKING:
    from .simulator import Simulator

# Close codes (our guesses; PROTOCOLS.md open question 7).
CLOSE_TOKEN_EXPIRED = (4001, "Token expired")
CLOSE_TOO_MANY = (4008, "Too many connections")
CLOSE_POLICY = 1008

Topic = tuple[str, str, str | None]  # (channel, scope, id)
Plan = dict[Conn, list[str]]


@dataclass(slots=True)
class Pending:
    """A frame waiting for its source's latency: `emit` stamps it and picks its sockets."""

    due: float  # simulator clock
    seq: int
    source: str  # "main" | "stats" | "realtime" | "odds"
    emit: Callable[[Plan], None]


@dataclass(slots=True)
class SfAccount:
    credential: str  # direct token or RapidAPI key
    plan: SfPlan
    rapidapi: bool = False
    requests: int = 0
    revoked: bool = False


@dataclass(slots=True)
class WsToken:
    token: str
    account: SfAccount
    expires_at: float  # loop.time()
    expires_wall: datetime


class SoccerFootball:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        cfg = sim.config
        self.accounts: dict[str, SfAccount] = {
            t: SfAccount(t, SF_PLANS[p]) for t, p in cfg.sf_tokens.items()
        }
        self.accounts.update(
            {k: SfAccount(k, SF_PLANS[p], rapidapi=True) for k, p in cfg.sf_rapidapi_keys.items()}
        )
        self.tokens: dict[str, WsToken] = {}
        self.active: dict[str, WsToken] = {}  # account credential -> its active ws token
        self.conns: set[Conn] = set()
        self._stats: dict[str, dict[str, Any]] = {}
        self._odds: dict[str, dict[str, Any]] = {}
        self._last_batch = -1e18
        self._last_ts = 0
        self.rest_requests = 0
        self.pending: list[Pending] = []  # frames held back by sf_stats_lag
        self._seq = 0
        self._last_due: dict[str, float] = {}
        self._before_score: dict[str, dict[str, Any]] = {}  # STATS before the last score change

    def routes(self, app: web.Application) -> None:
        for prefix in ("/v1", "/rapidapi"):
            app.router.add_get(f"{prefix}/ws/new", self.ws_new)
            app.router.add_get(f"{prefix}/ws/renew", self.ws_renew)
        app.router.add_get("/v1/token/status", self.token_status)
        app.router.add_get("/sf/ws", self.ws_handler)
        app.router.add_get("/", self.ws_handler)

    def ts(self) -> int:
        """Milliseconds on the simulator clock (Simulator.wall_ms), strictly increasing
        (clients order SF states by ts)."""
        self._last_ts = max(self.sim.wall_ms(), self._last_ts + 1)
        return self._last_ts

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.sim.port}{self.sim.config.sf_ws_path}"

    # --- REST -----------------------------------------------------------------------
    def _auth(self, request: web.Request) -> tuple[SfAccount | None, web.Response | None]:
        self.rest_requests += 1
        failure = self.sim.faults.rest_failure("sf")
        if failure:
            return None, web.json_response(
                error_envelope(failure, 0, "Internal server error"), status=failure
            )
        if body := self.sim.faults.sf.rest_body:
            return None, web.Response(text=body, content_type="application/json")
        if request.path.startswith("/rapidapi/"):
            key = request.headers.get("x-rapidapi-key")
            if not key or request.headers.get("x-rapidapi-host") != SF_RAPIDAPI_HOST:
                msg = {
                    "message": "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info."
                }
                return None, web.json_response(msg, status=401)
            account = self.accounts.get(key)
            if account is None or not account.rapidapi or account.revoked:
                return None, web.json_response(
                    {"message": "You are not subscribed to this API."}, status=403
                )
        else:
            account = self.accounts.get(request.query.get("t", ""))
            if account is None or account.rapidapi or account.revoked:
                return None, web.json_response(
                    error_envelope(401, 2, "Token is invalid"), status=401
                )
        if self.sim.faults.sf.quota_exceeded or account.requests >= account.plan.hourly_limit:
            return None, web.json_response(error_envelope(429, 0, "Too many requests"), status=429)
        account.requests += 1
        return account, None

    def _token_result(self, tok: WsToken, *, is_new: bool) -> dict[str, Any]:
        plan = tok.account.plan
        return {
            "is_new": is_new,
            "token": tok.token,
            "server": f"{self.ws_url}?token={tok.token}",
            "max_connections": plan.max_connections,
            "max_subscribe_per_connection": plan.max_subscribe_per_connection,
            "allowed_channels": list(plan.allowed_channels),
            "expires_at": tok.expires_wall.strftime("%Y-%m-%d %H:%M:%S"),
        }

    def _new_token(self, account: SfAccount) -> WsToken:
        ttl = self.sim.config.token_ttl
        tok = WsToken(
            token=secrets.token_hex(16),
            account=account,
            expires_at=asyncio.get_running_loop().time() + ttl,
            expires_wall=datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=ttl),
        )
        self.tokens[tok.token] = tok
        self.active[account.credential] = tok
        return tok

    def _valid(self, tok: WsToken | None) -> bool:
        return (
            tok is not None
            and not tok.account.revoked
            and tok.expires_at > asyncio.get_running_loop().time()
        )

    async def ws_new(self, request: web.Request) -> web.Response:
        account, error = self._auth(request)
        if account is None:
            assert error is not None
            return error
        if not account.plan.ws:
            return web.json_response(error_envelope(401, 4, "No permission"), status=401)
        tok = self.active.get(account.credential)
        fresh = tok is None or not self._valid(tok)
        if fresh:
            tok = self._new_token(account)
        assert tok is not None
        switches = self.sim.faults.sf
        if switches.expired_tokens:
            # Expired between this answer and the socket (a race the client must ride).
            switches.expired_tokens -= switches.expired_tokens > 0
            tok.expires_at = asyncio.get_running_loop().time()
        return web.json_response(envelope([self._token_result(tok, is_new=fresh)]))

    async def ws_renew(self, request: web.Request) -> web.Response:
        account, error = self._auth(request)
        if account is None:
            assert error is not None
            return error
        if self.sim.faults.sf.refuse_renewal or not account.plan.ws:
            return web.json_response(error_envelope(401, 4, "No permission"), status=401)
        tok = self.active.get(account.credential)
        if tok is None or not self._valid(tok):
            return web.json_response(
                error_envelope(404, 0, "No active WebSocket token"), status=404
            )
        if self.sim.variants.sf_renew == "new":
            return web.json_response(
                envelope([self._token_result(self._new_token(account), is_new=True)])
            )
        ttl = self.sim.config.token_ttl
        tok.expires_at = asyncio.get_running_loop().time() + ttl
        tok.expires_wall = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=ttl)
        return web.json_response(envelope([self._token_result(tok, is_new=False)]))

    async def token_status(self, request: web.Request) -> web.Response:
        account, error = self._auth(request)
        if account is None:
            assert error is not None
            return error
        # The documented fields, the secret token echoed as the real service does;
        # `reference` is the same for every token of one account.
        plan = account.plan
        now = datetime.now(UTC).replace(microsecond=0)
        expiry = (now + timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
        reference = self.sim.config.sf_references.get(
            account.credential,
            f"user{list(self.accounts).index(account.credential)}@example.invalid",
        )
        return web.json_response(
            envelope(
                [
                    {
                        "token": account.credential,
                        "allowed_ips": "all",
                        "plan": plan.name,
                        "expire_date": expiry,
                        "status": "active",
                        "reference": reference,
                        "payment": {
                            "cadence": "1m",
                            "next_amount": "75.00",
                            "next_payment": expiry,
                        },
                        "usage": {
                            "requests_p_hour": plan.hourly_limit,
                            "pagination_items": 50,
                            "last_request_date": now.strftime("%Y-%m-%d %H:%M:%S"),
                            "last_hour_requests": account.requests,
                        },
                    }
                ]
            )
        )

    # --- WebSocket ------------------------------------------------------------------
    async def ws_handler(self, request: web.Request) -> web.StreamResponse:
        if self.sim.faults.sf.refuse_connections:
            raise web.HTTPServiceUnavailable
        tok = self.tokens.get(request.query.get("token", ""))
        if tok is None or not self._valid(tok):
            return web.json_response(error_envelope(401, 2, "Token is invalid"), status=401)
        account = tok.account
        open_now = sum(1 for c in self.conns if c.account == account.credential and not c.closed)
        over = open_now >= account.plan.max_connections
        variant = self.sim.variants.sf_connection_limit
        if over and variant == "http":
            return web.json_response(error_envelope(429, 0, "Too many connections"), status=429)
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        conn = Conn(ws, request, "soccerfootball", self.sim.faults.sf)
        conn.credential = tok.token
        conn.account = account.credential
        if over:
            if variant == "error":
                await conn.send_control(
                    {
                        "type": "error",
                        "code": "CONNECTION_LIMIT",
                        "message": f"Maximum {account.plan.max_connections} connections",
                    }
                )
                await conn.close(CLOSE_POLICY, "Too many connections")
            else:
                await conn.close(*CLOSE_TOO_MANY)
            return ws
        self.conns.add(conn)
        watcher = asyncio.create_task(self._watch_expiry(conn, tok))
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_message(conn, msg.data)
        finally:
            watcher.cancel()
            self.conns.discard(conn)
        return ws

    async def _watch_expiry(self, conn: Conn, tok: WsToken) -> None:
        loop = asyncio.get_running_loop()
        while loop.time() < tok.expires_at:  # noqa: ASYNC110 (renewal moves expires_at)
            await asyncio.sleep(tok.expires_at - loop.time())
        await self.expire(conn)

    async def expire(self, conn: Conn) -> None:
        if self.sim.variants.sf_token_expiry == "error":
            await conn.send_control(
                {"type": "error", "code": "TOKEN_EXPIRED", "message": "Token expired"}
            )
            await conn.close(CLOSE_POLICY, "Token expired")
        else:
            await conn.close(*CLOSE_TOKEN_EXPIRED)

    async def expire_tokens(self) -> None:
        """Every WebSocket token expires now; open sockets are ended per the variant."""
        now = asyncio.get_running_loop().time()
        for tok in self.tokens.values():
            tok.expires_at = min(tok.expires_at, now)
        await asyncio.gather(*(self.expire(c) for c in list(self.conns)))

    async def revoke(self, credential: str) -> None:
        if credential in self.accounts:
            self.accounts[credential].revoked = True
        for conn in list(self.conns):
            if credential in (conn.account, conn.credential):
                await conn.close(*CLOSE_TOKEN_EXPIRED)

    async def _on_message(self, conn: Conn, text: str) -> None:
        try:
            msg = orjson.loads(text)
        except orjson.JSONDecodeError:
            await conn.send_control(
                {"type": "error", "code": "INVALID_MESSAGE", "message": "Invalid JSON"}
            )
            return
        if not isinstance(msg, dict):
            return
        conn.received.append(msg)
        action = msg.get("action")
        if action == "ping":
            await conn.send_control({"type": "pong", "ts": self.sim.wall_ms()})
        elif action in ("subscribe", "unsubscribe"):
            await self._subscription(conn, msg, subscribe=action == "subscribe")
        else:
            await conn.send_control(
                {"type": "error", "code": "INVALID_ACTION", "message": f"Unknown action {action!r}"}
            )

    async def _subscription(self, conn: Conn, msg: dict[str, Any], *, subscribe: bool) -> None:
        channel = msg.get("channel")
        plan = self.accounts[conn.account].plan
        if channel not in SF_CHANNELS:
            await conn.send_control(
                {
                    "type": "error",
                    "code": "INVALID_CHANNEL",
                    "message": f"Channel {channel} does not exist",
                }
            )
            return
        if channel not in plan.allowed_channels:
            await conn.send_control(
                {
                    "type": "error",
                    "code": "CHANNEL_NOT_ALLOWED",
                    "message": f"Channel {channel} is not available for your plan",
                }
            )
            return
        scope, ident = msg.get("scope"), msg.get("id")
        if isinstance(scope, str) and ":" in scope and ident is None:  # "match:12345"
            scope, ident = scope.split(":", 1)
        if scope == "all":
            ident = None
        if scope not in ("all", "league", "match") or (scope != "all" and not ident):
            await conn.send_control(
                {
                    "type": "error",
                    "code": "INVALID_SCOPE",
                    "message": f"Invalid scope {msg.get('scope')}",
                }
            )
            return
        topic: Topic = (channel, scope, None if ident is None else str(ident))
        key = f"{channel}:{scope}" + ("" if ident is None else f":{ident}")
        if subscribe:
            if topic not in conn.subs and len(conn.subs) >= plan.max_subscribe_per_connection:
                await conn.send_control(
                    {
                        "type": "error",
                        "code": "SUBSCRIPTION_LIMIT",
                        "message": f"Maximum {plan.max_subscribe_per_connection} subscriptions per connection",
                    }
                )
                return
            conn.subs.add(topic)
        else:
            conn.subs.discard(topic)
        verb = "subscribed" if subscribe else "unsubscribed"
        await conn.send_control(
            {
                "type": verb,
                "channel": channel,
                "scope": scope,
                "id": topic[2],
                "topicKey": key,
                "message": f"Successfully {verb}",
            }
        )

    # --- publishing -----------------------------------------------------------------
    @staticmethod
    def _wants(conn: Conn, channel: str, match_id: str, league_id: str) -> str | None:
        """The scope under which conn gets a match's frame on channel, if any."""
        if (channel, "match", match_id) in conn.subs:
            return "match"
        if (channel, "league", league_id) in conn.subs:
            return "league"
        if (channel, "all", None) in conn.subs:
            return "all"
        return None

    def _queue(self, source: str, delay: float, emit: Callable[[Plan], None]) -> None:
        """Hold a frame `delay` match seconds; each source stays in order (FIFO)."""
        due = max(self.sim.clock.now() + delay, self._last_due.get(source, -math.inf))
        self._last_due[source] = due
        self._seq += 1
        self.pending.append(Pending(due, self._seq, source, emit))

    def next_due(self, t: float = math.inf) -> float | None:
        """The earliest time <= t at which a held frame is due."""
        dues = [p.due for p in self.pending if p.due <= t]
        return min(dues) if dues else None

    async def flush(self) -> None:
        """Send every held frame that is due (stamped now), in order."""
        now = self.sim.clock.now()
        due = sorted((p for p in self.pending if p.due <= now), key=lambda p: (p.due, p.seq))
        if not due:
            return
        self.pending = [p for p in self.pending if p.due > now]
        plan: Plan = {c: [] for c in self.conns}
        for p in due:
            p.emit(plan)
        await send_all(list(plan.items()))

    def _record(self, text: str) -> None:
        if self.sim.recorder is not None:
            self.sim.recorder.record("soccerfootball", text)

    def _main_emit(
        self,
        m: MatchState,
        name: str,
        data: dict[str, Any],
        *,
        realtime: bool,
        goal: TruthGoal | None = None,
    ) -> Callable[[Plan], None]:
        def emit(plan: Plan) -> None:
            ev = main_event(m, name, self.ts(), data, realtime=realtime)
            text = dumps(ev)
            if not realtime:
                self._record(text)
                if goal is not None and goal.main_sent_at is None:
                    goal.main_sent_at = self.sim.clock.now()
            mid = m.sf_rt_id if realtime else m.sf_id
            for conn, out in plan.items():
                if self._wants(conn, ev["channel"], mid, m.spec.sf_league_id):
                    out.append(text)

        return emit

    def _scoped_frames(
        self, channel: str, event_type: str, m: MatchState, data: dict[str, Any]
    ) -> Callable[[str], str]:
        """One stamped update (one ts, one eventId), rendered per subscription scope."""
        ts, event_id = self.ts(), secrets.token_hex(8)
        reading = self.sim.variants.sf_league_stats
        texts: dict[str, str] = {}

        def text(scope: str) -> str:
            if scope not in texts:
                if scope == "all":  # ODDS on `all`: per match, as before [guess]
                    ev = scoped_event(channel, event_type, scope, m.sf_id, ts=ts, data=data)
                else:
                    ev = match_scoped_event(
                        channel, event_type, scope, m, data, ts=ts, league_reading=reading
                    )
                ev["eventId"] = event_id
                texts[scope] = dumps(ev)
            return texts[scope]

        return text

    def _stats_emit(
        self, m: MatchState, data: dict[str, Any], goals: list[TruthGoal]
    ) -> Callable[[Plan], None]:
        def emit(plan: Plan) -> None:
            text = self._scoped_frames("STATS", "stats_update", m, data)
            for conn, out in plan.items():
                scope = self._wants(conn, "STATS", m.sf_id, m.spec.sf_league_id)
                if scope in ("match", "league"):
                    out.append(text(scope))
            if self.sim.recorder is not None:
                self._record(text("match"))
            for g in goals:
                if g.stats_sent_at is None:
                    g.stats_sent_at = self.sim.clock.now()

        return emit

    def _odds_emit(self, m: MatchState, odds: dict[str, Any]) -> Callable[[Plan], None]:
        def emit(plan: Plan) -> None:
            text = self._scoped_frames("ODDS", "odds_update", m, odds)
            for conn, out in plan.items():
                scope = self._wants(conn, "ODDS", m.sf_id, m.spec.sf_league_id)
                if scope is not None:
                    out.append(text(scope))

        return emit

    def _realtime_stats_emit(
        self, m: MatchState, changed: list[dict[str, str]]
    ) -> Callable[[Plan], None]:
        def emit(plan: Plan) -> None:
            text = dumps(realtime_stats(m, changed, self.ts()))
            for conn, out in plan.items():
                if self._wants(conn, "STATS_REALTIME", m.sf_rt_id, m.spec.sf_league_id):
                    out.append(text)

        return emit

    def _batch_emit(self, matches: list[dict[str, Any]]) -> Callable[[Plan], None]:
        def emit(plan: Plan) -> None:
            batch = scoped_event(
                "STATS", "batch_update", "all", None, ts=self.ts(), data={"matches": matches}
            )
            text = dumps(batch)
            for conn, out in plan.items():
                if ("STATS", "all", None) in conn.subs:
                    out.append(text)

        return emit

    async def publish(self, happenings: list[TruthEvent], *, batch_due: bool | None) -> None:
        """Push MAIN events and STATS/ODDS changes. batch_due None: batch on any change.

        Frames are built now (the state they describe) and sent when their source's
        latency (SimConfig.sf_stats_lag) has passed; MAIN_REALTIME, STATS_REALTIME and
        ODDS are never held back.
        """
        sim = self.sim
        v = sim.variants
        lag = sim.config.sf_stats_lag
        main_delay, stats_delay = max(0.0, -lag), max(0.0, lag)
        football = [m for m in sim.matches if m.football]
        by_key = {m.key: m for m in football}
        goals_by_match: dict[str, list[TruthGoal]] = {}

        for h in happenings:
            m = by_key.get(h.match)
            name = MAIN_EVENTS.get(h.type)
            if m is None or name is None:
                continue
            goal = sim.truth.goal_for(h) if h.type == "goal" else None
            if goal is not None:
                goals_by_match.setdefault(m.key, []).append(goal)
            data = main_data(
                m,
                name,
                v,
                score=(h.home_score or 0, h.away_score or 0),
                side=h.side,
                minute=h.minute,
                scorer=h.scorer,
                kind=h.kind,
            )
            self._queue(
                "main", main_delay, self._main_emit(m, name, data, realtime=False, goal=goal)
            )
            self._queue("realtime", 0.0, self._main_emit(m, name, data, realtime=True))

        changed_stats: list[MatchState] = []
        live_ids = {m.sf_id for m in football}
        for m in football:
            data = stats_data(m)
            old = self._stats.get(m.sf_id)
            if old == data:
                continue
            self._stats[m.sf_id] = data
            if old is not None and old.get("score") not in (None, data.get("score")):
                self._before_score[m.sf_id] = old
            changed_stats.append(m)
            goals = goals_by_match.get(m.key, [])
            self._queue("stats", stats_delay, self._stats_emit(m, data, goals))
            diff = [
                {"stat": k, "value": v} for k, v in data.items() if old is None or old.get(k) != v
            ]
            self._queue("realtime", 0.0, self._realtime_stats_emit(m, diff))
            odds = odds_data(m)
            if self._odds.get(m.sf_id) != odds:
                self._odds[m.sf_id] = odds
                self._queue("odds", 0.0, self._odds_emit(m, odds))
        for gone in set(self._stats) - live_ids:
            del self._stats[gone]
            self._before_score.pop(gone, None)
        if football and (bool(changed_stats) if batch_due is None else batch_due):
            self._last_batch = sim.clock.now()
            matches = [{**self._stats[m.sf_id], "id": m.sf_id} for m in football]
            self._queue("stats", stats_delay, self._batch_emit(matches))
        await self.flush()

    async def stale_stats(self, match: str | None = None) -> int:
        """Fault: each (or one) match's STATS snapshot from before its last score change,
        freshly stamped, on every socket subscribed to STATS for it. Returns sockets hit."""
        wanted = None if match is None else self.sim.match(match)
        matches = [
            m
            for m in self.sim.matches
            if m.football and m.sf_id in self._before_score and wanted in (None, m)
        ]
        plan: Plan = {c: [] for c in self.conns if not c.closed}
        for m in matches:
            data = self._before_score[m.sf_id]
            text = self._scoped_frames("STATS", "stats_update", m, data)
            batch: str | None = None
            for conn, out in plan.items():
                scope = self._wants(conn, "STATS", m.sf_id, m.spec.sf_league_id)
                if scope in ("match", "league"):
                    out.append(text(scope))
                elif scope == "all":
                    if batch is None:
                        batch = dumps(
                            scoped_event(
                                "STATS",
                                "batch_update",
                                "all",
                                None,
                                ts=self.ts(),
                                data={"matches": [{**data, "id": m.sf_id}]},
                            )
                        )
                    out.append(batch)
        hit = [(c, out) for c, out in plan.items() if out]
        for conn, out in hit:
            for frame in out:
                await conn.send_raw(frame)
        return len(hit)

    def batch_due(self) -> bool:
        return self.sim.clock.now() - self._last_batch >= self.sim.config.sf_batch_interval
