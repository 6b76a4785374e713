"""What a subentry follows, and which match it shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from homeassistant.config_entries import ConfigSubentry

from .const import (
    CONF_COMPETITION,
    CONF_COMPETITION_ID,
    CONF_MATCH_ID,
    CONF_SPORT,
    CONF_TEAM,
    CONF_TEAM_ID,
    SUBENTRY_COMPETITION,
    SUBENTRY_MATCH,
    SUBENTRY_TEAM,
)
from .feed.api import Targets
from .feed.model import FINAL_STATUSES, Match, Sport, Status

# A match in one of these is "current" for a team.
CURRENT_STATUSES = frozenset({Status.LIVE, Status.BREAK, Status.SUSPENDED})
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)
_FAR_PAST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Followed:
    """One followed target, read from a subentry."""

    subentry_id: str
    kind: str  # SUBENTRY_MATCH / SUBENTRY_TEAM / SUBENTRY_COMPETITION
    key: str  # match id, team id (or the name as typed), competition id
    name: str | None = None  # team name as typed, for a team not resolved to an id
    sport: Sport | None = None

    @classmethod
    def from_subentry(cls, subentry: ConfigSubentry) -> Followed | None:
        """Read a subentry; None for a type this version does not know."""
        data = subentry.data
        sport = Sport(data[CONF_SPORT]) if data.get(CONF_SPORT) in set(Sport) else None
        if subentry.subentry_type == SUBENTRY_MATCH:
            return cls(subentry.subentry_id, SUBENTRY_MATCH, str(data[CONF_MATCH_ID]), None, sport)
        if subentry.subentry_type == SUBENTRY_TEAM:
            key = str(data.get(CONF_TEAM_ID) or data[CONF_TEAM])
            return cls(subentry.subentry_id, SUBENTRY_TEAM, key, str(data[CONF_TEAM]), sport)
        if subentry.subentry_type == SUBENTRY_COMPETITION:
            key = str(data.get(CONF_COMPETITION_ID) or data[CONF_COMPETITION])
            return cls(subentry.subentry_id, SUBENTRY_COMPETITION, key, None, sport)
        return None

    def follows(self, match: Match) -> bool:
        """Whether this target covers `match`."""
        if self.kind == SUBENTRY_MATCH:
            return match.id == self.key
        if self.kind == SUBENTRY_TEAM:
            return self._plays(match)
        return match.competition_id == self.key

    def _plays(self, match: Match) -> bool:
        if self.key in (match.home.id, match.away.id):
            return True
        name = (self.name or "").casefold()
        return bool(name) and name in (match.home.name.casefold(), match.away.name.casefold())

    def shown(self, matches: Iterable[Match]) -> Match | None:
        """The match this target shows.

        A match target shows its match. A team shows its current match, else its
        next scheduled one, else its last one that ended.
        """
        if self.kind == SUBENTRY_COMPETITION:
            return None
        mine = [m for m in matches if self.follows(m)]
        if self.kind == SUBENTRY_MATCH:
            return mine[0] if mine else None
        if current := [m for m in mine if m.status in CURRENT_STATUSES]:
            return max(current, key=_start_or_past)
        if upcoming := [m for m in mine if m.status is Status.SCHEDULED]:
            return min(upcoming, key=_start_or_future)
        if ended := [m for m in mine if m.status in FINAL_STATUSES]:
            return max(ended, key=_start_or_past)
        return max(mine, key=_start_or_past) if mine else None


def _start_or_future(match: Match) -> datetime:
    return match.start or _FAR_FUTURE


def _start_or_past(match: Match) -> datetime:
    return match.start or _FAR_PAST


def build_targets(followed: Iterable[Followed]) -> Targets:
    """The feed `Targets` for a set of followed targets."""
    items = list(followed)
    sports = {f.sport for f in items}
    return Targets(
        matches=frozenset(f.key for f in items if f.kind == SUBENTRY_MATCH),
        teams=frozenset(f.key for f in items if f.kind == SUBENTRY_TEAM),
        competitions=frozenset(f.key for f in items if f.kind == SUBENTRY_COMPETITION),
        # Only narrow the channels when every target's sport is known.
        sports=frozenset() if None in sports else frozenset(s for s in sports if s),
    )
