"""Errors a feed reports to its caller, and how HTTP answers map to them.

Messages never carry a key, a token or a URL that contains one: they are shown
to users and end up in logs.
"""

from datetime import UTC, datetime
import time
from typing import Any


class FeedError(Exception):
    """Base class of feed errors."""


class CannotConnect(FeedError):
    """The service could not be reached, or answered with a server error."""


class AuthFailed(FeedError):
    """The key or token was refused, revoked, or the account is suspended."""


class QuotaExceeded(FeedError):
    """The account's request quota is spent; `retry_after` seconds until it resets."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PlanNotSupported(FeedError):
    """The account's plan does not include what we need (WebSocket, a channel)."""


def retry_after(headers: Any, now: float | None = None) -> float | None:
    """Seconds until a quota resets, from `Retry-After` or `X-RateLimit-Reset`."""
    if headers is None:
        return None
    now = time.time() if now is None else now
    for name in ("Retry-After", "X-RateLimit-Reset"):
        value = headers.get(name)
        if value is None:
            continue
        try:
            number = float(value)
        except ValueError:
            try:
                moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return max(0.0, moment.timestamp() - now)
        if number > 1e12:  # milliseconds since the epoch
            number = number / 1000.0 - now
        elif number > 1e9:  # seconds since the epoch
            number -= now
        return max(0.0, number)
    return None


def http_error(status: int, what: str, headers: Any = None) -> FeedError:
    """Our error for an HTTP status (a refused upgrade or a REST answer)."""
    if status in (401, 403):
        return AuthFailed(f"{what}: the key was refused (HTTP {status})")
    if status == 429:
        return QuotaExceeded(f"{what}: quota exceeded (HTTP 429)", retry_after(headers))
    return CannotConnect(f"{what}: HTTP {status}")
