"""What a subentry follows, and which match it shows."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from homeassistant.config_entries import ConfigSubentry

from .const import (
    CONF_COMPETITION,
    CONF_COMPETITION_ID,
    CONF_DELAY_SCOREBOARD,
    CONF_MATCH_ID,
    CONF_SPOILER_DELAY,
    CONF_SPORT,
    CONF_TEAM,
    CONF_TEAM_ID,
    SUBENTRY_COMPETITION,
    SUBENTRY_MATCH,
    SUBENTRY_TEAM,
)
from .feed.api import Targets
from .feed.model import FINAL_STATUSES, Match, Sport, Status
from .feed.names import normalize

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
    name: str | None = None  # team name as typed
    sport: Sport | None = None
    spoiler_delay: float = 0  # seconds its events are held back
    delay_scoreboard: bool = False  # hold back its sensors too

    @property
    def by_name(self) -> bool:
        """A team typed as text whose id is not known yet: matched by its name too.

        Its key is then the text as typed (a team whose id was typed stays one).
        """
        return (
            self.kind == SUBENTRY_TEAM
            and self.name is not None
            and normalize(self.key) == normalize(self.name)
        )

    @property
    def sensor_delay(self) -> float:
        """Seconds the sensors of this target lag the feed."""
        return self.spoiler_delay if self.delay_scoreboard else 0

    @classmethod
    def from_subentry(cls, subentry: ConfigSubentry) -> Followed | None:
        """Read a subentry; None for a type this version does not know."""
        data = subentry.data
        sport = Sport(data[CONF_SPORT]) if data.get(CONF_SPORT) in set(Sport) else None
        kind, name = subentry.subentry_type, None
        if kind == SUBENTRY_MATCH:
            key = str(data[CONF_MATCH_ID])
        elif kind == SUBENTRY_TEAM:
            key, name = str(data.get(CONF_TEAM_ID) or data[CONF_TEAM]), str(data[CONF_TEAM])
        elif kind == SUBENTRY_COMPETITION:
            key = str(data.get(CONF_COMPETITION_ID) or data[CONF_COMPETITION])
        else:
            return None
        delay = float(data.get(CONF_SPOILER_DELAY) or 0)
        scoreboard = bool(data.get(CONF_DELAY_SCOREBOARD, False))
        return cls(subentry.subentry_id, kind, key, name, sport, delay, scoreboard)

    def follows(self, match: Match) -> bool:
        """Whether this target covers `match`."""
        if self.kind == SUBENTRY_MATCH:
            return match.id == self.key
        if self.kind == SUBENTRY_TEAM:
            return self.team_in(match) is not None
        return match.competition_id == self.key

    def team_in(self, match: Match) -> str | None:
        """The id of the followed team in `match` (None unless a team target)."""
        if self.kind != SUBENTRY_TEAM:
            return None
        name = normalize(self.name) if self.by_name else ""
        for team in (match.home, match.away):
            if self.key == team.id or (name and name == normalize(team.name)):
                return team.id
        return None

    def pick(self, matches: Iterable[Match]) -> Match | None:
        """Pick the match this target shows among `matches`.

        A match target shows its match. A team or a competition shows its current
        match (the one that started last), else its next scheduled one, else its last
        one that ended.
        """
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
        # A team typed as text is in `teams` as typed (it may be an id) and in
        # `team_names` by its name, until its id is learned.
        teams=frozenset(f.key for f in items if f.kind == SUBENTRY_TEAM),
        competitions=frozenset(f.key for f in items if f.kind == SUBENTRY_COMPETITION),
        # Only narrow the channels when every target's sport is known.
        sports=frozenset() if None in sports else frozenset(s for s in sports if s),
        team_names=frozenset(
            name
            for f in items
            if f.kind == SUBENTRY_TEAM and f.by_name and (name := normalize(f.name))
        ),
    )
