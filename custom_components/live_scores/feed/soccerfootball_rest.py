"""SoccerFootball.info's REST API: the token's status, and WebSocket tokens.

Direct access sends the token as `t` under `/v1`, RapidAPI its key in headers.
Every answer comes in an envelope (`status`, `errors`, `result`) whose own
status and error codes say more than HTTP's: `_get` maps both to our errors (a
plan without permission, a refused token, a spent quota, an unreadable answer).
A WebSocket token (`WsToken`, from `/ws/new`, extended by `/ws/renew`) comes
with its server, its expiry (a wall-clock time: `wall_time`) and the plan's
limits; the sockets that use it are `soccerfootball_sockets.py`.
"""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
import logging
import time
from typing import Any, override

import aiohttp
import orjson

from .api import AccountInfo
from .connection import PushClient
from .errors import (
    AuthFailed,
    CannotConnect,
    PlanNotSupported,
    QuotaExceeded,
    retry_after,
)
from .privacy import account_hash

_LOGGER = logging.getLogger(__name__)

DIRECT_BASE = "https://api.soccerfootball.info"
RAPIDAPI_BASE = "https://soccer-football-info.p.rapidapi.com"
RAPIDAPI_HOST = "soccer-football-info.p.rapidapi.com"
# 9999-12-31: an expiry beyond it (or before 1970) is not a real one.
_LAST_TIMESTAMP = 253402300799.0


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


class SoccerFootballRest(PushClient):
    """The REST side of a SoccerFootball.info client: validation and WebSocket tokens."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        creds = self._credentials
        default = RAPIDAPI_BASE if creds.access == "rapidapi" else DIRECT_BASE
        self._base = (creds.url or default).rstrip("/")
        self._token: WsToken | None = None

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
