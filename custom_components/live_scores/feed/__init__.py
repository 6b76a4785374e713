"""Live score feeds: protocol clients and match tracking.

Nothing in this package imports Home Assistant; it is driven through
`FeedClient` with an injected `aiohttp.ClientSession`.
"""

from __future__ import annotations

import aiohttp

from .api import AccountInfo, Credentials, FeedClient, FeedListener, Timing
from .model import Provider
from .soccerfootball import SoccerFootballClient
from .sportsapipro import SportsAPIProClient

__all__ = ["create_client", "validate"]


class _NoListener:
    """A listener that ignores everything (for a one-off validation)."""

    def on_matches(self, matches: object) -> None:
        """Ignore."""

    def on_events(self, events: object) -> None:
        """Ignore."""

    def on_connection(self, state: object, error: object) -> None:
        """Ignore."""


def create_client(
    credentials: Credentials,
    session: aiohttp.ClientSession,
    listener: FeedListener,
    *,
    timing: Timing = Timing(),  # noqa: B008 - frozen, shared safely
) -> FeedClient:
    """The push client for `credentials.provider`."""
    if Provider(credentials.provider) is Provider.SPORTSAPIPRO:
        return SportsAPIProClient(credentials, session, listener, timing=timing)
    return SoccerFootballClient(credentials, session, listener, timing=timing)


async def validate(
    credentials: Credentials,
    session: aiohttp.ClientSession,
    *,
    timing: Timing = Timing(),  # noqa: B008
) -> AccountInfo:
    """Check credentials with one handshake.

    Raises `AuthFailed`, `QuotaExceeded`, `PlanNotSupported` or `CannotConnect`.
    """
    client = create_client(credentials, session, _NoListener(), timing=timing)
    return await client.validate()
