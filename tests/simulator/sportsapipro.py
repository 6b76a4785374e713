"""SportsAPIPro V1: WebSocket /ws and /v1/{sport}/ws, REST /status."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web
import orjson

from .config import SAP_PLANS
from .conn import Conn, dumps, send_all
from .engine import MatchState
from .sap_format import CHANNELS, diff_key, game_object, welcome
from .scenario import SPORT_IDS
from .truth import TruthFault

if TYPE_CHECKING:
    from .simulator import Simulator

FIRST_UPDATE_ID = 5_612_062_220
HISTORY = 8  # older frames kept per channel (for the replay_on_reconnect fault)
# Close codes after an accepted upgrade (our guess; PROTOCOLS.md open question 1).
CLOSE_UNAUTHORIZED = (4001, "Unauthorized")
CLOSE_FORBIDDEN = (4003, "Forbidden")
CLOSE_RATE_LIMIT = (4029, "Rate limit exceeded")


@dataclass(slots=True)
class SapAccount:
    key: str
    plan: str
    used: int = 0
    suspended: bool = False
    revoked: bool = False

    @property
    def limit(self) -> int:
        return SAP_PLANS[self.plan].daily_limit


def _reset_at() -> datetime:
    now = datetime.now(UTC)
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"success": False, "error": {"code": code, "message": message}}


class SportsApiPro:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.accounts = {
            key: SapAccount(key, plan, suspended=key in sim.config.sap_suspended)
            for key, plan in sim.config.sap_keys.items()
        }
        self.conns: set[Conn] = set()
        self.update_id = FIRST_UPDATE_ID
        self.update_ids: dict[int, int] = {}  # game id -> updateId of its last change
        self._last: dict[int, dict[str, Any]] = {}
        self.rest_requests = 0
        self.replay_budget = 0  # next new connections that get a stale replay (fault)
        self._history: dict[str, list[tuple[int, str]]] = {}  # channel -> (updateId, frame)

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/ws", self.ws_handler)
        app.router.add_get("/v1/{sport}/ws", self.ws_handler)
        app.router.add_get("/status", self.status_handler)
        app.router.add_get("/v1/{sport}/status", self.status_handler)

    # --- auth and quota -------------------------------------------------------------
    def check(self, key: str | None, *, count: bool) -> tuple[int, dict[str, Any]] | None:
        """None when the key may be used (and the request is counted), else (status, body)."""
        account = self.accounts.get(key or "")
        if account is None or account.revoked:
            return _error(401, "UNAUTHORIZED", "Missing or invalid API key")
        if account.suspended:
            return _error(403, "FORBIDDEN", "Account suspended")
        if self.sim.faults.sap.quota_exceeded or account.used >= account.limit:
            return _error(429, "RATE_LIMIT_EXCEEDED", "Daily request quota exceeded")
        if count:
            account.used += 1
        return None

    def rate_headers(self, key: str | None) -> dict[str, str]:
        account = self.accounts.get(key or "")
        if account is None:
            return {}
        return {
            "X-RateLimit-Limit": str(account.limit),
            "X-RateLimit-Remaining": str(max(0, account.limit - account.used)),
            "X-RateLimit-Reset": str(int(_reset_at().timestamp())),
        }

    # --- REST -----------------------------------------------------------------------
    async def status_handler(self, request: web.Request) -> web.Response:
        self.rest_requests += 1
        sport = request.match_info.get("sport")
        if sport is not None and sport not in SPORT_IDS:
            return web.json_response(_error(404, "NOT_FOUND", "Unknown sport")[1], status=404)
        failure = self.sim.faults.rest_failure("sap")
        if failure:
            return web.json_response(
                _error(failure, "SERVER_ERROR", "Internal server error")[1], status=failure
            )
        key = request.headers.get("x-api-key") or request.query.get("x-api-key")
        problem = self.check(key, count=True)
        headers = self.rate_headers(key)
        if problem is not None:
            return web.json_response(problem[1], status=problem[0], headers=headers)
        account = self.accounts[key or ""]
        # The documented shape: no account id; keys of one account share its email.
        email = self.sim.config.sap_emails.get(
            account.key, f"user{list(self.accounts).index(account.key)}@example.invalid"
        )
        body = {
            "success": True,
            "account": {
                "email": email,
                "name": email.split("@", 1)[0].title(),
                "plan": account.plan,
                "member_since": "2025-01-15T09:30:00Z",
            },
            "usage": {
                "daily_limit": account.limit,
                "remaining": max(0, account.limit - account.used),
                "requests_today": account.used,
                "reset_at": _reset_at().isoformat().replace("+00:00", "Z"),
            },
        }
        return web.json_response(body, headers=headers)

    # --- WebSocket ------------------------------------------------------------------
    async def ws_handler(self, request: web.Request) -> web.StreamResponse:
        sport = request.match_info.get("sport")
        if sport is not None and sport not in SPORT_IDS:
            raise web.HTTPNotFound
        if self.sim.faults.sap.refuse_connections:
            raise web.HTTPServiceUnavailable
        key = request.query.get("x-api-key")
        problem = self.check(key, count=self.sim.variants.sap_ws_counts_quota)
        if problem is not None and self.sim.variants.sap_bad_key == "http":
            return web.json_response(problem[1], status=problem[0], headers=self.rate_headers(key))
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        if problem is not None:
            code, reason = {401: CLOSE_UNAUTHORIZED, 403: CLOSE_FORBIDDEN}.get(
                problem[0], CLOSE_RATE_LIMIT
            )
            await ws.close(code=code, message=reason.encode())
            return ws
        conn = Conn(ws, request, "sportsapipro", self.sim.faults.sap)
        conn.credential = key or ""
        conn.subs.add("all")  # active by default [doc]
        if self.replay_budget > 0:
            self.replay_budget -= 1
            conn.replay_armed = True
        self.conns.add(conn)
        try:
            await conn.send_control(welcome())
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_message(conn, msg.data)
        finally:
            self.conns.discard(conn)
        return ws

    async def _on_message(self, conn: Conn, text: str) -> None:
        try:
            msg = orjson.loads(text)
        except orjson.JSONDecodeError:
            return
        if not isinstance(msg, dict):
            return
        conn.received.append(msg)
        kind = msg.get("type")
        channel = msg.get("channel")
        if kind == "ping":
            await conn.send_control({"type": "pong", "ts": self.sim.wall_ms()})
        elif kind == "subscribe" and isinstance(channel, str) and self._valid(channel):
            conn.subs.add(channel)  # no acknowledgement [doc]
            if channel.startswith("match:") and self.sim.variants.sap_match_snapshot:
                await self._snapshot(conn, int(channel[6:]))
        elif kind == "unsubscribe" and isinstance(channel, str):
            conn.subs.discard(channel)

    async def _snapshot(self, conn: Conn, game_id: int) -> None:
        """Variant sap_match_snapshot: the current game right after a match subscribe."""
        m = next((m for m in self.sim.matches if m.sap_id == game_id), None)
        if m is None:
            return
        v = self.sim.variants
        await conn.send_data(
            dumps(
                {
                    "type": "match-update",
                    "channel": f"match:{game_id}",
                    "game": game_object(m, v, events=v.sap_update_events),
                    "updateId": self.update_ids.get(game_id, self.update_id),
                    "ts": self.sim.wall_ms(),
                }
            )
        )

    @staticmethod
    def _valid(channel: str) -> bool:
        if channel.startswith("match:"):
            return channel[6:].isdigit()
        return channel in CHANNELS

    async def revoke(self, key: str) -> None:
        if key in self.accounts:
            self.accounts[key].revoked = True
        for conn in list(self.conns):
            if conn.credential == key:
                await conn.close(*CLOSE_UNAUTHORIZED)

    # --- publishing -----------------------------------------------------------------
    def changed_games(self, matches: list[MatchState]) -> list[MatchState]:
        """Matches whose game object changed since the last call; bumps their updateId."""
        v = self.sim.variants
        changed = []
        ids = set()
        for m in matches:
            ids.add(m.sap_id)
            key = diff_key(game_object(m, v, events=True))
            if self._last.get(m.sap_id) != key:
                self._last[m.sap_id] = key
                self.update_id += 1
                self.update_ids[m.sap_id] = self.update_id
                changed.append(m)
        for gone in set(self._last) - ids:
            del self._last[gone]
        return changed

    @staticmethod
    def channel_games(channel: str, pool: list[MatchState]) -> list[MatchState]:
        """The games of a `scores` channel (all, live or a sport)."""
        if channel == "live":
            return [m for m in pool if m.live or m.just_ended]
        if channel == "all":
            return list(pool)
        return [m for m in pool if m.sport == channel]

    def _remember(self, channel: str, update_id: int, text: str) -> None:
        past = self._history.setdefault(channel, [])
        if past and past[-1][0] == update_id:
            past[-1] = (update_id, text)
        else:
            past.append((update_id, text))
            del past[:-HISTORY]

    def _older(self, channel: str, update_id: int) -> tuple[int, str] | None:
        """The latest frame sent on `channel` with an updateId below `update_id`."""
        return next((e for e in reversed(self._history.get(channel, [])) if e[0] < update_id), None)

    async def publish(self, force_scores: bool = False) -> None:
        sim = self.sim
        v = sim.variants
        matches = sim.matches
        changed = self.changed_games(matches)
        if not self.conns and sim.recorder is None:
            return
        ts = sim.wall_ms()
        changed_ids = {m.sap_id for m in changed}
        frames: dict[str, str | None] = {}
        meta: dict[str, tuple[str, int]] = {}  # frame -> (channel, updateId)
        scores_games: dict[int, dict[str, Any]] = {}

        def scores_frame(channel: str) -> str | None:
            if channel in frames:
                return frames[channel]
            pool = matches if v.sap_games == "full" else changed
            chosen = self.channel_games(channel, pool)
            text = None
            if chosen and (force_scores or changed_ids.intersection(m.sap_id for m in chosen)):
                games = []
                for m in chosen:
                    if m.sap_id not in scores_games:
                        scores_games[m.sap_id] = game_object(m, v, events=v.sap_scores_events)
                    games.append(scores_games[m.sap_id])
                text = dumps(
                    {
                        "type": "scores",
                        "channel": channel,
                        "games": games,
                        "updateId": self.update_id,
                        "ts": ts,
                    }
                )
                meta[text] = (channel, self.update_id)
            frames[channel] = text
            return text

        updates: dict[str, str] = {}
        for m in changed:
            channel = f"match:{m.sap_id}"
            updates[channel] = text = dumps(
                {
                    "type": "match-update",
                    "channel": channel,
                    "game": game_object(m, v, events=v.sap_update_events),
                    "updateId": self.update_ids[m.sap_id],
                    "ts": ts,
                }
            )
            meta[text] = (channel, self.update_ids[m.sap_id])
        if sim.recorder is not None:
            all_frame = scores_frame("all")
            if all_frame is not None:
                sim.recorder.record("sportsapipro", all_frame)
            for text in updates.values():
                sim.recorder.record("sportsapipro", text)
        plan: list[tuple[Conn, list[str]]] = []
        for conn in list(self.conns):
            out: list[str] = []
            for channel in sorted(conn.subs):
                frame = (
                    updates.get(channel) if channel.startswith("match:") else scores_frame(channel)
                )
                if frame is not None:
                    out.append(frame)
            plan.append((conn, out))
        replays = []
        for conn, out in plan:
            if conn.replay_armed and out:
                channel, update_id = meta[out[0]]
                older = self._older(channel, update_id)
                if older is not None:  # else: wait for a frame that has an older one
                    conn.replay_armed = False
                    out.append(older[1])
                    replays.append({"channel": channel, "updateId": older[0], "after": update_id})
        for text, (channel, update_id) in meta.items():
            self._remember(channel, update_id, text)
        for detail in replays:
            sim.truth.faults.append(TruthFault("replayed", sim.clock.now(), "sportsapipro", detail))
        await send_all(plan)

    async def poison_update_id(self, delta: int) -> int:
        """Fault: the current games once, on every socket and subscribed channel, with an
        updateId `delta` above the counter (which does not move). Returns sockets hit."""
        v = self.sim.variants
        update_id = self.update_id + delta
        ts = self.sim.wall_ms()
        conns = [c for c in self.conns if not c.closed]
        for conn in conns:
            for channel in sorted(conn.subs):
                frame: dict[str, Any]
                if channel.startswith("match:"):
                    m = next((g for g in self.sim.matches if f"match:{g.sap_id}" == channel), None)
                    if m is None:
                        continue
                    frame = {
                        "type": "match-update",
                        "channel": channel,
                        "game": game_object(m, v, events=v.sap_update_events),
                        "updateId": update_id,
                        "ts": ts,
                    }
                else:
                    chosen = self.channel_games(channel, self.sim.matches)
                    if not chosen:
                        continue
                    games = [game_object(m, v, events=v.sap_scores_events) for m in chosen]
                    frame = {
                        "type": "scores",
                        "channel": channel,
                        "games": games,
                        "updateId": update_id,
                        "ts": ts,
                    }
                await conn.send_raw(dumps(frame))
        return len(conns)
