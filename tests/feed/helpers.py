"""Builders shared by the feed tests."""

from dataclasses import dataclass, field
from typing import Any

from custom_components.live_scores.feed.api import ConnectionState
from custom_components.live_scores.feed.errors import FeedError
from custom_components.live_scores.feed.model import (
    Match,
    MatchEvent,
    PeriodScore,
    Provider,
    Scorer,
    Sport,
    Status,
    Team,
)


def match(
    home: int | None = 0,
    away: int | None = 0,
    *,
    status: Status = Status.LIVE,
    text: str | None = "1st Half",
    sport: Sport = Sport.FOOTBALL,
    version: int | None = None,
    red: tuple[int | None, int | None] = (0, 0),
    minute: int | None = 10,
    scorers: tuple[Scorer, ...] = (),
    periods: tuple[PeriodScore, ...] = (),
    match_id: str = "m1",
) -> Match:
    return Match(
        provider=Provider.SPORTSAPIPRO,
        id=match_id,
        sport=sport,
        home=Team(id="h", name="Home", score=home, red_cards=red[0]),
        away=Team(id="a", name="Away", score=away, red_cards=red[1]),
        status=status,
        status_text=text,
        minute=minute,
        periods=periods,
        scorers=scorers,
        version=version,
    )


@dataclass
class Recorder:
    """A FeedListener that keeps everything it is told."""

    matches: list[Match] = field(default_factory=list)
    events: list[MatchEvent] = field(default_factory=list)
    states: list[tuple[ConnectionState, FeedError | None]] = field(default_factory=list)
    state_changes: int = 0

    def on_matches(self, matches: Any) -> None:
        self.matches.extend(matches)

    def on_events(self, events: Any) -> None:
        self.events.extend(events)

    def on_connection(self, state: ConnectionState, error: FeedError | None) -> None:
        self.states.append((state, error))

    def on_state_changed(self) -> None:
        self.state_changes += 1

    def seen(self, match_id: str | None = None) -> list[str]:
        return [e.key for e in self.events if match_id in (None, e.match.id)]
