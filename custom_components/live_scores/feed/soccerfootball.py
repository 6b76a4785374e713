"""SoccerFootball.info push client: WebSocket tokens, renewal and handover, plan limits."""

import asyncio
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
import logging
import time
from typing import Any, ClassVar, override

import aiohttp
import orjson
from yarl import URL

from .api import AccountInfo, GameSummary, Targets
from .connection import PushClient
from .errors import (
    AuthFailed,
    CannotConnect,
    FeedError,
    PlanNotSupported,
    QuotaExceeded,
    retry_after,
)
from .model import Match, Provider
from .privacy import account_hash, redact
from .soccerfootball_parser import MAX_SAVED_IDENTITIES, SoccerFootballParser
from .sockets import Frame, close_socket, open_socket, read_socket

_LOGGER = logging.getLogger(__name__)

DIRECT_BASE = "https://api.soccerfootball.info"
RAPIDAPI_BASE = "https://soccer-football-info.p.rapidapi.com"
RAPIDAPI_HOST = "soccer-football-info.p.rapidapi.com"
PING = orjson.dumps({"action": "ping"}).decode()
EXPIRED_CLOSE_CODES = frozenset({4001, 4401, 1008})
LIMIT_CLOSE_CODES = frozenset({4008, 4029, 4429})
MAX_KEPT_STATES = 5000
# 9999-12-31: an expiry beyond it (or before 1970) is not a real one.
_LAST_TIMESTAMP = 253402300799.0
Scope = tuple[str, str, str | None]  # (channel, scope, id)


def wall_time() -> float:
    """Seconds since the epoch: token expiries are wall-clock times (tests replace it)."""
    return time.time()


@dataclass(frozen=True, slots=True)
class WsToken:
    """A WebSocket token and the plan limits that come with it."""

    token: str
    server: str
    expires_at: float  # UTC timestamp
    max_connections: int = 1
    max_subscribe: int = 1
    channels: tuple[str, ...] = ("MAIN",)


def parse_expiry(value: Any, now: float) -> float:
    """`expires_at` ("YYYY-MM-DD HH:MM:SS", UTC without a zone); 25 min if unreadable."""
    stamp: float | None = None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            stamp = moment.timestamp()
        except ValueError, OverflowError:
            pass
    elif isinstance(value, int | float) and not isinstance(value, bool):
        stamp = float(value) / (1000.0 if value > 1e12 else 1.0)
    if stamp is None or not 0.0 < stamp < _LAST_TIMESTAMP:  # NaN too
        return now + 1500.0
    return stamp


@dataclass(slots=True)
class _Conn:
    """One open socket and what it is subscribed to."""

    token: WsToken
    ws: aiohttp.ClientWebSocketResponse[bool]
    task: asyncio.Task[None] | None = None
    subs: set[Scope] = field(default_factory=set)
    confirmed: set[Scope] = field(default_factory=set)
    expired: bool = False
    limited: bool = False
    all_confirmed: asyncio.Event = field(default_factory=asyncio.Event)


class SoccerFootballClient(PushClient):
    """A push client for one SoccerFootball.info account (direct token or RapidAPI key)."""

    provider: ClassVar[Provider] = Provider.SOCCERFOOTBALL

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        creds = self._credentials
        default = RAPIDAPI_BASE if creds.access == "rapidapi" else DIRECT_BASE
        self._base = (creds.url or default).rstrip("/")
        self._parser = SoccerFootballParser()
        self._conns: list[_Conn] = []
        self._token: WsToken | None = None
        self._refused_channels: set[str] = set()
        self._limit_override: int | None = None
        self._server_errors: deque[str] = deque(maxlen=20)
        self._sub_lock = asyncio.Lock()

    # -- REST ---------------------------------------------------------------

    def _request(self, path: str) -> tuple[str, dict[str, str], dict[str, str]]:
        creds = self._credentials
        if creds.access == "rapidapi":
            headers = {"x-rapidapi-key": creds.api_key, "x-rapidapi-host": RAPIDAPI_HOST}
            return f"{self._base}{path}", {}, headers
        return f"{self._base}/v1{path}", {"t": creds.api_key}, {}

    async def _get(self, path: str) -> dict[str, Any]:
        """GET a REST path; return `result[0]` or raise our error."""
        url, params, headers = self._request(path)
        what = f"SoccerFootball {path}"
        try:
            async with asyncio.timeout(self._timing.connect_timeout):
                async with self._session.get(url, params=params, headers=headers) as resp:
                    status = resp.status
                    body = await resp.read()
                    resp_headers = resp.headers
        except TimeoutError:
            raise CannotConnect(f"{what}: timed out") from None
        except aiohttp.ClientError as err:
            raise CannotConnect(f"{what}: cannot connect ({type(err).__name__})") from None
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            data = None
        if not isinstance(data, dict):
            if status == 200:
                raise self._malformed(what, "not a JSON object")
            data = {}
        # The envelope [doc]: {status, errors: [{code, message}], pagination, result: [...]}.
        raw_errors = data.get("errors")
        if isinstance(raw_errors, list):
            errors = [e for e in raw_errors if isinstance(e, dict)]
            failed = bool(raw_errors)
        else:
            errors = []
            failed = bool(raw_errors)  # null, {} or "" say nothing; anything else: not OK
            if failed:
                self._note_malformed(what, "errors is not a list")
        inner = _status_number(data.get("status"))
        if inner is None and data.get("status") is not None:
            self._note_malformed(what, "status is not a number")
        codes = [e.get("code") for e in errors] + [data.get("code")]
        if status == 200 and inner in (None, 200) and not failed:
            result = data.get("result")
            if isinstance(result, list) and result and isinstance(result[0], dict):
                return result[0]
            if isinstance(result, dict):
                return result
            raise self._malformed(what, "no result object")
        if status == 200:  # the envelope's status tells
            status = inner if inner is not None and inner != 200 else 500
        if 4 in codes or "4" in codes:
            raise PlanNotSupported(f"{what}: the plan does not allow this (no permission)")
        if status in (401, 403):
            raise AuthFailed(f"{what}: the token was refused (HTTP {status})")
        if status == 429:
            raise QuotaExceeded(f"{what}: quota exceeded", retry_after(resp_headers))
        raise CannotConnect(f"{what}: HTTP {status}")

    def _note_malformed(self, what: str, why: str) -> None:
        """An envelope that is not as documented: counted, logged once per kind."""
        self._count("rest_malformed")
        self._warn_once(f"rest:{why}", "%s: malformed answer (%s)", what, why)

    def _malformed(self, what: str, why: str) -> CannotConnect:
        """An answer that cannot be used: the loop retries it with backoff."""
        self._note_malformed(what, why)
        return CannotConnect(f"{what}: unreadable answer ({why})")

    def _token_from(self, result: dict[str, Any]) -> WsToken:
        token = result.get("token")
        server = result.get("server")
        if not isinstance(token, str) or not token or not isinstance(server, str):
            raise CannotConnect("SoccerFootball: no WebSocket token in the answer")
        channels = result.get("allowed_channels")
        return WsToken(
            token=token,
            server=server,
            expires_at=parse_expiry(result.get("expires_at"), wall_time()),
            max_connections=_positive(result.get("max_connections"), 1),
            max_subscribe=_positive(result.get("max_subscribe_per_connection"), 1),
            channels=tuple(c for c in channels if isinstance(c, str))
            if isinstance(channels, list)
            else ("MAIN",),
        )

    async def _new_token(self) -> WsToken:
        token = self._token_from(await self._get("/ws/new"))
        self._count("tokens")
        self._token = token
        return token

    async def _renew(self, current: WsToken) -> WsToken | None:
        """Renew the token; None if that failed (then a new one is needed)."""
        try:
            result = await self._get("/ws/renew")
            token = self._token_from(result) if "token" in result else None
        except (CannotConnect, AuthFailed, PlanNotSupported, QuotaExceeded) as err:
            self._count("renew_failed")
            _LOGGER.debug("SoccerFootball token renewal failed: %s", err)
            return None
        if token is None:
            expiry = parse_expiry(result.get("expires_at"), current.expires_at)
            token = WsToken(
                current.token,
                current.server,
                expiry,
                current.max_connections,
                current.max_subscribe,
                current.channels,
            )
        self._count("renewals")
        return token

    @override
    async def validate(self) -> AccountInfo:
        """Check the credentials: token status (direct) and a WebSocket token.

        The account is named by the token status's `reference` (the same for every
        token of one account), hashed. The answer also echoes the secret token
        (`token`): nothing is taken from it but the fields named here. RapidAPI
        has no token status: the account is unknown (`account_id` None).
        """
        plan: str | None = None
        details: dict[str, Any] = {}
        account_id: str | None = None
        if self._credentials.access != "rapidapi":
            status = await self._get("/token/status")
            raw_plan = status.get("plan")
            plan = raw_plan if isinstance(raw_plan, str) else None
            reference = status.get("reference")
            raw_id = status.get("id") or status.get("account_id")  # not documented
            if isinstance(reference, str) and reference.strip():
                account_id = account_hash(
                    self.provider, f"reference:{reference.strip().casefold()}"
                )
            elif isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id):
                account_id = account_hash(self.provider, f"id:{raw_id}")
            details.update(
                {
                    k: status[k]
                    for k in ("status", "expire_date")
                    if isinstance(status.get(k), str | int | float)
                }
            )
        token = self._token_from(await self._get("/ws/new"))
        details.update(
            max_connections=token.max_connections,
            max_subscribe_per_connection=token.max_subscribe,
            allowed_channels=list(token.channels),
        )
        if "MAIN" not in token.channels:
            raise PlanNotSupported("SoccerFootball: the plan has no MAIN channel")
        return AccountInfo(
            account_id=account_id,
            plan=plan,
            details=details,
        )

    # -- FeedClient ---------------------------------------------------------

    @override
    def set_targets(self, targets: Targets) -> None:
        """Follow these targets from now on; subscriptions follow at once."""
        self._targets = targets
        # A league-scope STATS frame names its league: the parser must know it.
        self._parser.leagues = set(targets.competitions)
        # Matches no longer followed are forgotten: followed again later, their
        # first state is a baseline (what happened meanwhile is not news).
        # (A match whose teams are unknown can only be followed by its id or league.)
        for match_id in self._tracker.match_ids():
            if match_id in self._parser.states and not self._follows(match_id):
                self._forget(match_id)
        # (A match known only from what a restart kept is not news: its first frame is.)
        newly = [
            m
            for match_id in self._parser.states
            if match_id not in self._tracker
            and self._parser.heard(match_id)
            and self._follows(match_id)
            and (m := self._parser.match(match_id)) is not None
        ]
        if newly:
            self._deliver(newly)
        if self._conns:
            self._spawn(self._resubscribe_all())

    @override
    def games(self) -> list[GameSummary]:
        """Matches the feed has mentioned (names only once MAIN announced them)."""
        return self._parser.summaries()

    @override
    def tracker_state(self) -> dict[str, Any]:
        """The tracker's state, and who plays in each tracked match.

        Teams and leagues arrive only with `match_start`: after a restart in the
        middle of a match they would otherwise be unknown, and a team or
        competition target could not recognise its match.
        """
        data = super().tracker_state()
        data["identities"] = self._parser.identities(set(self._tracker.match_ids()))
        return data

    @override
    def restore_tracker_state(self, data: dict[str, Any]) -> None:
        """Restore a state saved by `tracker_state` (never raises)."""
        super().restore_tracker_state(data)
        identities = data.get("identities") if isinstance(data, dict) else None
        if not isinstance(identities, dict):
            identities = {}
        tracker = self._tracker
        for match_id in tracker.match_ids():
            self._parser.seed(
                match_id,
                identities.get(match_id),
                tracker.score(match_id),
                tracker.status(match_id),
            )
        # Who plays in the matches nobody followed: a target added later places them.
        for match_id, identity in list(identities.items())[:MAX_SAVED_IDENTITIES]:
            if isinstance(match_id, str) and match_id not in tracker:
                self._parser.seed(match_id, identity, None, None)

    @override
    def diagnostics(self) -> dict[str, Any]:
        """Counters, subscriptions and server errors; nothing secret."""
        data = super().diagnostics()
        token = self._token
        data.update(
            parser={
                "duplicates": self._parser.duplicates,
                "unknown": self._parser.unknown,
                "malformed": self._parser.malformed,
                "unattributed": self._parser.unattributed,
                "stale": self._parser.stale,
                "matches": len(self._parser.states),
            },
            sockets=len(self._conns),
            subscriptions=[sorted(f"{c}:{s}:{i}" for c, s, i in c_.subs) for c_ in self._conns],
            confirmed=[len(c_.confirmed) for c_ in self._conns],
            server_errors=list(self._server_errors),
            refused_channels=sorted(self._refused_channels),
            token=None
            if token is None
            else {
                "expires_at": datetime.fromtimestamp(token.expires_at, UTC).isoformat(),
                "max_connections": token.max_connections,
                "max_subscribe_per_connection": token.max_subscribe,
                "allowed_channels": list(token.channels),
                "server": redact(token.server),
            },
        )
        return data

    # -- subscriptions ------------------------------------------------------

    def _follows(self, match_id: str) -> bool:
        home, away, league = self._parser.ids(match_id)
        home_name, away_name = self._parser.names(match_id)
        return self._targets.follows(match_id, home, away, league, home_name, away_name)

    def plan(self, token: WsToken) -> set[Scope]:
        """What to subscribe to within the plan's limits."""
        channels = [c for c in ("MAIN", "STATS") if c in token.channels]
        channels = [c for c in channels if c not in self._refused_channels]
        limit = token.max_subscribe
        if self._limit_override is not None:
            limit = min(limit, self._limit_override)
        limit = max(1, limit)
        targets = self._targets
        scopes: list[tuple[str, str | None]]
        if not targets or targets.teams:
            scopes = [("all", None)]
        else:
            scopes = [("match", m) for m in sorted(targets.matches)]
            scopes += [("league", c) for c in sorted(targets.competitions)]
        if len(scopes) * len(channels) > limit and scopes != [("all", None)]:
            leagues: set[str] = set(targets.competitions)
            for match_id in targets.matches:
                league = self._parser.ids(match_id)[2]
                if league is None:
                    leagues = set()
                    break
                leagues.add(league)
            by_league: list[tuple[str, str | None]] = [("league", x) for x in sorted(leagues)]
            scopes = by_league if leagues and len(leagues) * len(channels) <= limit else []
            if not scopes:
                scopes = [("all", None)]
        while len(channels) > 1 and len(scopes) * len(channels) > limit:
            channels.pop()  # STATS goes first; MAIN carries the goals
        return {(c, s, i) for c in channels for s, i in scopes}

    async def _subscribe(self, conn: _Conn, want: set[Scope]) -> None:
        limit = min(conn.token.max_subscribe, self._limit_override or conn.token.max_subscribe)
        if len(conn.subs | want) > limit:
            await self._send_unsubscribes(conn, conn.subs - want)  # make room first
        for channel, scope, ident in sorted(want - conn.subs, key=str):
            msg: dict[str, Any] = {"action": "subscribe", "channel": channel, "scope": scope}
            if ident is not None:
                msg["id"] = ident
            await conn.ws.send_str(orjson.dumps(msg).decode())
            conn.subs.add((channel, scope, ident))
        conn.all_confirmed.clear()
        if not conn.subs - conn.confirmed:
            conn.all_confirmed.set()
        await self._send_unsubscribes(conn, conn.subs - want)

    async def _send_unsubscribes(self, conn: _Conn, scopes: set[Scope]) -> None:
        for channel, scope, ident in sorted(scopes, key=str):
            msg: dict[str, Any] = {"action": "unsubscribe", "channel": channel, "scope": scope}
            if ident is not None:
                msg["id"] = ident
            await conn.ws.send_str(orjson.dumps(msg).decode())
            conn.subs.discard((channel, scope, ident))
            conn.confirmed.discard((channel, scope, ident))

    async def _resubscribe_all(self) -> None:
        async with self._sub_lock:
            for conn in list(self._conns):
                if not conn.ws.closed:
                    await self._subscribe(conn, self.plan(conn.token))

    # -- connections --------------------------------------------------------

    async def _open(self, token: WsToken) -> _Conn:
        url = URL(token.server)
        if "token" not in url.query:
            url = url.update_query({"token": token.token})
        _LOGGER.debug("Connecting to %s", redact(url))
        try:
            ws = await open_socket(self._session, str(url), self._timing, "SoccerFootball")
        except QuotaExceeded:
            # HTTP 429 at the upgrade: too many connections, not the REST quota.
            raise CannotConnect("SoccerFootball: too many connections (HTTP 429)") from None
        conn = _Conn(token, ws)
        # Registered before anything can be awaited: a stop or an error from here
        # on (waiting for the lock, subscribing) finds the socket and its reader
        # in `_conns` and closes them.
        self._conns.append(conn)
        conn.task = self._spawn(self._read(conn), name="socket reader", report=False)
        async with self._sub_lock:
            await self._subscribe(conn, self.plan(token))
        return conn

    async def _read(self, conn: _Conn) -> None:
        async def on_frame(frame: Frame) -> None:
            await self._on_frame(conn, frame)

        await read_socket(conn.ws, self._timing, PING, on_frame, self.counters)

    async def _drop(self, conn: _Conn) -> None:
        if conn in self._conns:
            self._conns.remove(conn)
        if conn.task is not None:
            conn.task.cancel()
            await asyncio.gather(conn.task, return_exceptions=True)
        await close_socket(conn.ws)

    @override
    async def _close_sockets(self) -> None:
        for conn in list(self._conns):
            await self._drop(conn)

    async def _wait_confirmed(self, conn: _Conn) -> None:
        """Until the server confirmed every subscription (or a short while)."""
        if not conn.subs - conn.confirmed or conn.task is None:
            return
        waiter = self._spawn(conn.all_confirmed.wait(), name="confirmations", report=False)
        if waiter is None:  # pragma: no cover - stopping: this run is being cancelled
            return
        try:
            done, _ = await asyncio.wait(
                {waiter, conn.task},
                timeout=self._timing.connect_timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            waiter.cancel()
            await asyncio.gather(waiter, return_exceptions=True)
        if not done:
            self._count("unconfirmed_subscriptions")

    def _ended_error(self, conn: _Conn) -> FeedError | None:
        """Why a socket ended; None when only its token expired (get a new one)."""
        task = conn.task
        if task is not None and not task.cancelled() and (err := task.exception()) is not None:
            if isinstance(err, FeedError):
                return err
            return CannotConnect(f"SoccerFootball: connection failed ({type(err).__name__})")
        code = conn.ws.close_code
        if conn.limited or code in LIMIT_CLOSE_CODES:
            return CannotConnect(f"SoccerFootball: too many connections (close {code})")
        if conn.expired or code in EXPIRED_CLOSE_CODES:
            return None
        return CannotConnect(f"SoccerFootball: the connection closed (code {code})")

    @override
    async def _connect_and_serve(self) -> None:
        token = await self._new_token()
        conn = await self._open(token)
        self._tracker.begin_resync()
        self._connected()
        quick_expiries = 0
        while True:
            due = token.expires_at - self._timing.renew_before
            task = conn.task
            if task is None:  # pragma: no cover - set by _open
                raise CannotConnect("SoccerFootball: no reader")
            # The expiry is a wall-clock time but asyncio sleeps on the monotonic
            # clock, which stands still while the host is suspended: wake at least
            # every ping interval and read the wall clock again.
            delay = min(due - wall_time(), self._timing.ping_interval)
            done, _ = await asyncio.wait({task}, timeout=max(0.0, delay))
            if task in done:
                error = self._ended_error(conn)
                await self._drop(conn)
                if error is not None:
                    raise error
                quick_expiries += 1
                if quick_expiries > 3:
                    raise CannotConnect("SoccerFootball: tokens keep expiring")
                self._count("token_expired")
                token = await self._new_token()
                conn = await self._open(token)
                continue
            if wall_time() < due:
                continue
            quick_expiries = 0
            token, conn = await self._renew_or_move(token, conn)

    async def _renew_or_move(self, token: WsToken, conn: _Conn) -> tuple[WsToken, _Conn]:
        renewed = await self._renew(token)
        if renewed is not None and renewed.token == token.token:
            if renewed.expires_at <= token.expires_at:
                # Not extended: move to a fresh token rather than renewing in a loop.
                renewed = None
            else:
                self._token = conn.token = renewed
                return renewed, conn
        new = renewed or await self._new_token()
        if new.token == token.token and new.expires_at <= token.expires_at:
            # The server keeps handing back the same token: ride it to its expiry.
            if conn.task is not None:
                await asyncio.wait({conn.task})
            return new, conn
        self._token = new
        return new, await self._handover(conn, new)

    async def _handover(self, old: _Conn, token: WsToken) -> _Conn:
        """Open and subscribe the new socket before closing the old one."""
        self._count("handovers")
        if token.max_connections < 2:
            await self._drop(old)
            return await self._open(token)
        new: _Conn | None
        try:
            opened = await self._open(token)
        except CannotConnect:
            new = None
        else:
            await self._wait_confirmed(opened)
            new = opened
            if opened.task is not None and opened.task.done():
                await self._drop(opened)  # refused (too many connections?)
                new = None
        if new is None:
            # Perhaps the old socket holds the only slot: close it, then retry.
            await self._drop(old)
            return await self._open(token)
        await self._drop(old)
        return new

    # -- frames -------------------------------------------------------------

    async def _on_frame(self, conn: _Conn, frame: Frame) -> None:
        kind = frame.get("type")
        if kind == "pong":
            return
        if kind == "subscribed":
            scope = _scope_of(frame)
            if scope is not None:
                conn.confirmed.add(scope)
                if not conn.subs - conn.confirmed:
                    conn.all_confirmed.set()
            return
        if kind == "unsubscribed":
            return
        if kind == "error":
            await self._on_error(conn, frame)
            return
        self._frame_time(frame.get("ts"))
        parser = self._parser
        changed = parser.feed(frame)
        if changed:
            matches: list[Match] = []
            for match_id in changed:
                if not self._follows(match_id):
                    if kind == "match_start":
                        self._state_changed()  # who plays: kept across a restart
                    continue
                if match_id not in self._tracker and (pre := parser.take_pre_match(match_id)):
                    matches.append(pre)
                matches.extend(parser.take_intermediate(match_id))
                if (match := parser.match(match_id)) is not None:
                    matches.append(match)
            if matches:
                self._deliver(matches)
        if len(self._parser.states) > MAX_KEPT_STATES:
            self._parser.forget_finished(MAX_KEPT_STATES // 2)

    async def _on_error(self, conn: _Conn, frame: Frame) -> None:
        code = str(frame.get("code") or "").upper()
        self._count("server_errors")
        self._server_errors.append(code or "UNKNOWN")
        message = str(frame.get("message") or "")
        if "EXPIRED" in code or "TOKEN" in code:
            conn.expired = True
        elif code == "CONNECTION_LIMIT":
            conn.limited = True
        elif code == "CHANNEL_NOT_ALLOWED":
            channel = next((c for c in ("STATS", "ODDS") if c in message.upper()), None)
            if channel is None or channel == "MAIN" or "MAIN " in message.upper():
                raise PlanNotSupported("SoccerFootball: the plan has no MAIN channel")
            self._refused_channels.add(channel)
            self._set_state(
                self._state, PlanNotSupported(f"SoccerFootball: the plan has no {channel} channel")
            )
            self._spawn(self._resubscribe_all())
        elif code == "SUBSCRIPTION_LIMIT":
            self._limit_override = max(1, len(conn.confirmed))
            self._spawn(self._resubscribe_all())


def _status_number(value: Any) -> int | None:
    """The envelope's `status` (a number, perhaps as text); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and (text := value.strip()).isdigit() and len(text) <= 3:
        return int(text)
    return None


def _positive(value: Any, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default


def _scope_of(frame: Frame) -> Scope | None:
    channel = frame.get("channel")
    scope = frame.get("scope")
    if not isinstance(channel, str) or not isinstance(scope, str):
        return None
    ident = frame.get("id")
    if ":" in scope and ident is None:
        scope, ident = scope.split(":", 1)
    return channel, scope, None if ident is None else str(ident)
