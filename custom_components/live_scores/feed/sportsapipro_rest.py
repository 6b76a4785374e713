"""SportsAPIPro's REST API: the account's `/status` (the key, the plan, the quota).

The REST base sits next to the WebSocket URL (`rest_base`). The answer names the
account by its email address [doc]: only a hash of it is kept.
"""

import asyncio
from typing import Any

import aiohttp
import orjson
from yarl import URL

from .api import AccountInfo, Timing
from .errors import AuthFailed, CannotConnect, QuotaExceeded, http_error
from .model import Provider
from .privacy import account_hash


def rest_base(ws_url: str) -> str:
    """The REST base next to a WebSocket URL (ws→http, without the trailing /ws)."""
    url = URL(ws_url).with_query(None)
    scheme = {"ws": "http", "wss": "https"}.get(url.scheme, url.scheme)
    path = url.path
    if path.endswith("/ws"):
        path = path[: -len("/ws")]
    return str(url.with_scheme(scheme).with_path(path.rstrip("/") or "/")).rstrip("/")


async def fetch_status(
    session: aiohttp.ClientSession, ws_url: str, api_key: str, timing: Timing
) -> AccountInfo:
    """The account behind the key (`GET /status`); a refused key or spent quota raises."""
    url = f"{rest_base(ws_url)}/status"
    try:
        async with asyncio.timeout(timing.connect_timeout):
            async with session.get(url, headers={"x-api-key": api_key}) as resp:
                if resp.status != 200:
                    raise http_error(resp.status, "SportsAPIPro", resp.headers)
                body = await resp.read()
    except TimeoutError:
        raise CannotConnect("SportsAPIPro: timed out") from None
    except aiohttp.ClientError as err:
        raise CannotConnect(f"SportsAPIPro: cannot connect ({type(err).__name__})") from None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise CannotConnect("SportsAPIPro: unreadable status answer") from None
    if not isinstance(data, dict):
        raise CannotConnect("SportsAPIPro: unreadable status answer")
    if data.get("success") is False:
        raise AuthFailed("SportsAPIPro: the key was refused")
    account = _dict(data.get("account"))
    usage = _dict(data.get("usage"))
    if usage.get("remaining") == 0:
        raise QuotaExceeded("SportsAPIPro: daily quota exceeded")
    # The account is named by its email address [doc]; only a hash of it is
    # kept. An id field is not documented: used only where no address is.
    email = account.get("email")
    raw_id = account.get("id") or account.get("account_id")
    account_id: str | None = None  # nothing tells the account: known by the key
    if isinstance(email, str) and email.strip():
        account_id = account_hash(Provider.SPORTSAPIPRO, f"email:{email.strip().casefold()}")
    elif isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id):
        account_id = account_hash(Provider.SPORTSAPIPRO, f"id:{raw_id}")
    plan = account.get("plan")
    return AccountInfo(
        account_id=account_id,
        plan=plan if isinstance(plan, str) else None,
        details={
            k: usage[k]
            for k in ("daily_limit", "remaining", "requests_today", "reset_at")
            if k in usage
        },
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
