"""Live score feeds: push clients for SportsAPIPro and SoccerFootball.info.

Nothing in this package imports Home Assistant. A caller builds a client with
`create_client` (an injected `aiohttp.ClientSession`, a `FeedListener`, and
optionally the `TaskFactory` that makes the client's own tasks), tells it what
to follow (`set_targets`), runs `client.run()` in a task it owns and ends it
with `client.stop()`. Matches and events (each exactly once) come back through
the listener. See README.md next to this file.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import aiohttp

from .api import (
    Access,
    AccountInfo,
    ConnectionState,
    Credentials,
    FeedClient,
    FeedListener,
    GameSummary,
    Targets,
    Timing,
)
from .errors import AuthFailed, CannotConnect, FeedError, PlanNotSupported, QuotaExceeded
from .model import (
    FINAL_STATUSES,
    GOAL_SPORTS,
    EventType,
    GoalKind,
    Match,
    MatchEvent,
    PeriodScore,
    Provider,
    Scorer,
    Side,
    Sport,
    Status,
    Team,
)
from .names import normalize
from .privacy import account_hash
from .soccerfootball import SoccerFootballClient
from .soccerfootball_rest import (
    DIRECT_BASE as _SOCCERFOOTBALL_URL,
    RAPIDAPI_BASE as _SOCCERFOOTBALL_RAPIDAPI_URL,
)
from .sportsapipro import SportsAPIProClient
from .sportsapipro_sockets import DEFAULT_WS_URL as _SPORTSAPIPRO_URL
from .tasks import TaskFactory

__all__ = [
    "DEFAULT_URLS",
    "FINAL_STATUSES",
    "GOAL_SPORTS",
    "URL_SCHEMES",
    "Access",
    "AccountInfo",
    "AuthFailed",
    "CannotConnect",
    "ConnectionState",
    "Credentials",
    "EventType",
    "FeedClient",
    "FeedError",
    "FeedListener",
    "GameSummary",
    "GoalKind",
    "Match",
    "MatchEvent",
    "PeriodScore",
    "PlanNotSupported",
    "Provider",
    "QuotaExceeded",
    "Scorer",
    "Side",
    "SoccerFootballClient",
    "Sport",
    "SportsAPIProClient",
    "Status",
    "Targets",
    "TaskFactory",
    "Team",
    "Timing",
    "account_hash",
    "create_client",
    "default_url",
    "is_default_url",
    "normalize",
    "url_accepted",
    "validate",
]

# The services' own addresses, by provider and access (each string lives once, in
# the client that uses it). `Credentials.url` overrides them, e.g. for a relay.
DEFAULT_URLS: Final[Mapping[tuple[Provider, Access], str]] = MappingProxyType(
    {
        (Provider.SPORTSAPIPRO, "direct"): _SPORTSAPIPRO_URL,
        (Provider.SOCCERFOOTBALL, "direct"): _SOCCERFOOTBALL_URL,
        (Provider.SOCCERFOOTBALL, "rapidapi"): _SOCCERFOOTBALL_RAPIDAPI_URL,
    }
)
# What a `Credentials.url` may start with: SportsAPIPro takes the WebSocket URL
# (its REST base is derived from it), SoccerFootball.info the REST base URL.
URL_SCHEMES: Final[Mapping[Provider, tuple[str, ...]]] = MappingProxyType(
    {
        Provider.SPORTSAPIPRO: ("ws", "wss"),
        Provider.SOCCERFOOTBALL: ("http", "https"),
    }
)


def default_url(provider: Provider | str, access: Access = "direct") -> str:
    """The address a client of `provider` uses when `Credentials.url` is None."""
    provider = Provider(provider)
    return DEFAULT_URLS.get((provider, access)) or DEFAULT_URLS[provider, "direct"]


def is_default_url(url: str) -> bool:
    """Whether `url` is one of the services' own addresses (then it need not be kept)."""
    return url.rstrip("/") in DEFAULT_URLS.values()


def url_accepted(provider: Provider | str, url: str) -> bool:
    """Whether `url` has a scheme a client of `provider` takes as `Credentials.url`."""
    return url.startswith(tuple(f"{scheme}://" for scheme in URL_SCHEMES[Provider(provider)]))


class _NoListener:
    """A listener that ignores everything (for a one-off validation)."""

    def on_matches(self, matches: object) -> None:
        """Ignore."""

    def on_events(self, events: object) -> None:
        """Ignore."""

    def on_connection(self, state: object, error: object) -> None:
        """Ignore."""

    def on_state_changed(self) -> None:
        """Ignore."""


def create_client(
    credentials: Credentials,
    session: aiohttp.ClientSession,
    listener: FeedListener,
    *,
    timing: Timing = Timing(),  # noqa: B008 - frozen, shared safely
    task_factory: TaskFactory | None = None,
) -> FeedClient:
    """The push client for `credentials.provider`.

    `task_factory` makes every task the client starts (socket readers, pingers,
    resubscriptions; `asyncio.create_task` by default): a caller that must see
    them all (Home Assistant: `entry.async_create_background_task`) passes its own.
    `stop()` still ends each of them.
    """
    if Provider(credentials.provider) is Provider.SPORTSAPIPRO:
        return SportsAPIProClient(
            credentials, session, listener, timing=timing, task_factory=task_factory
        )
    return SoccerFootballClient(
        credentials, session, listener, timing=timing, task_factory=task_factory
    )


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
