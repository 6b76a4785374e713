"""Errors a feed reports to its caller.

Messages never carry a key, a token or a URL that contains one: they are shown
to users and end up in logs.
"""


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
