"""A scriptable FeedClient for tests that do not need real sockets.

It uses the real `Tracker`, so events and exactly-once come from the feed's own code.
"""

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, ClassVar, override

import aiohttp

from custom_components.live_scores.feed.api import (
    AccountInfo,
    ConnectionState,
    Credentials,
    FeedClient,
    FeedListener,
    GameSummary,
    Targets,
    Timing,
)
from custom_components.live_scores.feed.errors import FeedError
from custom_components.live_scores.feed.model import Match, Provider, Sport, Status, Team
from custom_components.live_scores.feed.tasks import TaskFactory
from custom_components.live_scores.feed.tracker import Tracker

ACCOUNT_ID = "acct-0001"


class FakeFeed:
    """What tests script: validation outcome, games index, and the clients made."""

    def __init__(self) -> None:
        self.validate_error: FeedError | None = None
        self.account = AccountInfo(account_id=ACCOUNT_ID, plan="Pro")
        self.games: list[GameSummary] = []
        self.clients: list[FakeClient] = []
        self.validated: list[Credentials] = []

    @property
    def client(self) -> FakeClient:
        """The latest client."""
        return self.clients[-1]

    async def validate(
        self, credentials: Credentials, session: aiohttp.ClientSession
    ) -> AccountInfo:
        """`feed.validate`."""
        self.validated.append(credentials)
        if self.validate_error is not None:
            raise self.validate_error
        return self.account

    def create_client(
        self,
        credentials: Credentials,
        session: aiohttp.ClientSession,
        listener: FeedListener,
        *,
        timing: Timing = Timing(),  # noqa: B008
        task_factory: TaskFactory | None = None,
    ) -> FakeClient:
        """`feed.create_client`."""
        client = FakeClient(self, credentials, listener)
        self.clients.append(client)
        return client


class FakeClient(FeedClient):
    """Pushes what the test tells it to, through the real tracker."""

    provider: ClassVar[Provider] = Provider.SPORTSAPIPRO

    def __init__(self, fake: FakeFeed, credentials: Credentials, listener: FeedListener) -> None:
        self.fake = fake
        self.credentials = credentials
        self.listener = listener
        self.targets = Targets()
        self.tracker = Tracker()
        self.started = False
        self.stopped = False
        self.restored: dict[str, Any] | None = None
        self._state = ConnectionState.STOPPED
        self._error: FeedError | None = None

    @override
    async def validate(self) -> AccountInfo:
        return await self.fake.validate(self.credentials, None)  # type: ignore[arg-type]

    @override
    def set_targets(self, targets: Targets) -> None:
        self.targets = targets

    @override
    async def run(self) -> None:
        """`FeedClient.run`: the fake connects at once and needs no loop."""
        await self.start()

    @override
    async def start(self) -> None:
        self.started = True
        self.connection(ConnectionState.CONNECTED)

    @override
    async def stop(self) -> None:
        self.stopped = True
        self._state = ConnectionState.STOPPED

    @property
    @override
    def state(self) -> ConnectionState:
        return self._state

    @property
    @override
    def last_error(self) -> FeedError | None:
        return self._error

    @override
    def games(self) -> list[GameSummary]:
        return list(self.fake.games)

    @override
    def tracker_state(self) -> dict[str, Any]:
        return self.tracker.snapshot()

    @override
    def restore_tracker_state(self, data: dict[str, Any]) -> None:
        self.restored = data
        self.tracker.restore(data)

    @override
    def diagnostics(self) -> dict[str, Any]:
        return {
            "state": str(self._state),
            "url": f"wss://x/ws?x-api-key={self.credentials.api_key}",
        }

    # --- test controls ---------------------------------------------------------

    def connection(self, state: ConnectionState, error: FeedError | None = None) -> None:
        self._state = state
        self._error = error
        if state is ConnectionState.CONNECTED:
            self.tracker.begin_resync()
        self.listener.on_connection(state, error)

    def push(self, *matches: Match) -> None:
        """Deliver match states as a real client does: followed ones only."""
        followed = [
            m
            for m in matches
            if self.targets.follows(
                m.id, m.home.id, m.away.id, m.competition_id, m.home.name, m.away.name
            )
        ]
        events = [event for m in followed for event in self.tracker.update(m)]
        if followed:
            self.listener.on_matches(followed)
        if events:
            self.listener.on_events(events)


def make_match(
    match_id: str = "m1",
    home: tuple[str, str] = ("t1", "Mallorca"),
    away: tuple[str, str] = ("t2", "Real Madrid"),
    score: tuple[int | None, int | None] = (None, None),
    status: Status = Status.SCHEDULED,
    *,
    minute: int | None = None,
    start: datetime | None = None,
    competition: tuple[str, str] | None = ("c1", "LaLiga"),
    version: int | None = None,
    sport: Sport = Sport.FOOTBALL,
) -> Match:
    """A match state."""
    return Match(
        provider=Provider.SPORTSAPIPRO,
        id=match_id,
        sport=sport,
        home=Team(id=home[0], name=home[1], score=score[0]),
        away=Team(id=away[0], name=away[1], score=score[1]),
        status=status,
        competition=competition[1] if competition else None,
        competition_id=competition[0] if competition else None,
        start=start or datetime(2026, 4, 4, 14, 15, tzinfo=UTC),
        minute=minute,
        clock=f"{minute}'" if minute is not None else None,
        version=version,
    )


def advance(match: Match, **changes: Any) -> Match:
    """A later state of `match`."""
    return replace(match, **changes)


def summary(match: Match) -> GameSummary:
    """The picker entry of a match."""
    return GameSummary.of(match)
