"""The surface a feed client offers its caller.

Both providers' clients implement `FeedClient`; the caller picks one with
`feed.create_client` and never looks inside. The caller owns the tasks: it runs
`FeedClient.run()` in a task of its own and ends it with `FeedClient.stop()`.
"""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from .names import normalize

if TYPE_CHECKING:
    from .errors import FeedError
    from .model import Match, MatchEvent, Provider, Sport


Access = Literal["direct", "rapidapi"]


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a user gives us.

    `url` overrides the service's address: for SportsAPIPro the WebSocket URL
    (without the key), for SoccerFootball.info the REST base URL.
    """

    provider: Provider
    api_key: str = field(repr=False)
    access: Access = "direct"
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Timing:
    """Every delay the clients use, in seconds; tests shrink them."""

    ping_interval: float = 30.0
    # A socket with no frame for this long is dead and is reconnected.
    silence_timeout: float = 75.0
    connect_timeout: float = 15.0
    backoff_min: float = 1.0
    backoff_max: float = 300.0
    # A connection that lived this long resets the backoff.
    stable_after: float = 60.0
    # SoccerFootball.info: renew the WebSocket token this long before it expires.
    renew_before: float = 300.0
    # After an authentication failure or a spent quota, wait at least this long.
    auth_retry: float = 1800.0
    # After a (re)connect, the first state of a match within this long is a
    # catch-up: what it reveals happened during the gap (marked recovered).
    catch_up: float = 90.0


@dataclass(frozen=True, slots=True)
class Targets:
    """What the caller follows.

    A match is followed when its id is in `matches`, one of its teams is in
    `teams` (or, by name, in `team_names`), or its competition is in
    `competitions`. `sports` narrows the channels teams and competitions need
    (empty: any sport).

    `teams` holds every followed team's id, or the text as typed for a team whose
    id is not known yet (it may be an id); `team_names` holds the typed names of
    those, reduced by `names.normalize`, matched against the names the feed sends
    on every frame.
    """

    matches: frozenset[str] = frozenset()
    teams: frozenset[str] = frozenset()
    competitions: frozenset[str] = frozenset()
    sports: frozenset[Sport] = frozenset()
    team_names: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.matches or self.teams or self.competitions or self.team_names)

    def follows(  # noqa: PLR0917
        self,
        match_id: str,
        home_id: str | None,
        away_id: str | None,
        competition_id: str | None,
        home_name: Any = None,
        away_name: Any = None,
    ) -> bool:
        """Whether a match with these ids (and team names) is followed."""
        return (
            match_id in self.matches
            or (home_id is not None and home_id in self.teams)
            or (away_id is not None and away_id in self.teams)
            or (competition_id is not None and competition_id in self.competitions)
            or self.names_followed(home_name, away_name)
        )

    def names_followed(self, *names: Any) -> bool:
        """Whether one of these team names (as the feed sends them) is followed by name."""
        wanted = self.team_names
        return bool(wanted) and any(normalize(name) in wanted for name in names)


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """What a successful validation learned.

    `account_id` names the account behind the key, never the key: the same for
    every key of one account, different between accounts. It is a hash of what
    the service says about the account (SportsAPIPro: its email address;
    SoccerFootball.info direct: the token's `reference`), never the address
    itself. None when the service tells nothing about the account (RapidAPI).
    """

    account_id: str | None
    plan: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GameSummary:
    """A game the feed mentioned, followed or not: its ids, teams, start and status."""

    id: str
    sport: Sport
    home_id: str
    home: str
    away_id: str
    away: str
    competition: str | None
    competition_id: str | None
    start: str | None  # ISO 8601
    status: str

    @classmethod
    def of(cls, match: Match) -> GameSummary:
        """The summary of a parsed match."""
        return cls(
            id=match.id,
            sport=match.sport,
            home_id=match.home.id,
            home=match.home.name,
            away_id=match.away.id,
            away=match.away.name,
            competition=match.competition,
            competition_id=match.competition_id,
            start=None if match.start is None else match.start.isoformat(),
            status=str(match.status),
        )


class ConnectionState(StrEnum):
    """How the feed connection stands."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"  # retrying with backoff
    FAILED = "failed"  # auth failure, spent quota or plan limit: see last_error
    STOPPED = "stopped"


class FeedListener(Protocol):
    """Callbacks a client makes, always from the event loop, never blocking."""

    def on_matches(self, matches: Sequence[Match]) -> None:
        """Followed matches whose state changed (unchanged ones are not repeated)."""

    def on_events(self, events: Sequence[MatchEvent]) -> None:
        """New match events, each exactly once, in the order they happened."""

    def on_connection(self, state: ConnectionState, error: FeedError | None) -> None:
        """The connection changed state; `error` says why it failed or dropped."""

    def on_state_changed(self) -> None:
        """`tracker_state()` changed outside a delivery: write it soon.

        (For example who plays in a match nobody follows yet.)
        """


class FeedClient(ABC):
    """A push client for one account of one provider."""

    provider: ClassVar[Provider]

    @abstractmethod
    async def validate(self) -> AccountInfo:
        """Check the credentials with the real handshake; raise a `FeedError`."""

    @abstractmethod
    def set_targets(self, targets: Targets) -> None:
        """Follow these targets from now on; subscriptions follow at once."""

    @abstractmethod
    async def run(self) -> None:
        """Connect, serve and reconnect until `stop()`; the caller runs this coroutine.

        It returns once `stop()` is called (from another task), after closing every
        socket and ending every task the client started. Cancelling the task that
        runs it does the same cleanup, then raises `CancelledError` as usual.
        """

    @abstractmethod
    async def start(self) -> None:
        """Run `run()` in a task of the client's own, for a caller that owns none.

        Returns at once; a second call while it runs does nothing.
        """

    @abstractmethod
    async def stop(self) -> None:
        """End `run()` (or `start()`) and close everything; no task or socket is left."""

    @property
    @abstractmethod
    def state(self) -> ConnectionState:
        """The connection's state."""

    @property
    @abstractmethod
    def last_error(self) -> FeedError | None:
        """Why the connection last failed, if it did."""

    @abstractmethod
    def games(self) -> list[GameSummary]:
        """Games the feed has mentioned since it connected, followed or not."""

    @abstractmethod
    def tracker_state(self) -> dict[str, Any]:
        """The tracker's state, JSON-serialisable, to persist."""

    @abstractmethod
    def restore_tracker_state(self, data: dict[str, Any]) -> None:
        """Restore a state saved by `tracker_state` (before `run`)."""

    @abstractmethod
    def diagnostics(self) -> dict[str, Any]:
        """Counters and state, JSON-serialisable, with nothing secret in them."""
