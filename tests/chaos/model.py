"""What the harness knows besides the simulator's truth.

- `Follower`: a followed target (subentry), when it was followed and unfollowed;
- `Window`: a time a match could not be seen by the client (an outage, a restart):
  from the fault until the first frame about the match after the client is back;
- `Seen`: a bus event as Home Assistant fired it;
- `FaultRecord`: an injected fault, for the counts and the traces.
"""

from dataclasses import dataclass, field
import re
from typing import Any
import unicodedata

from tests.simulator.engine import MatchState

PROVIDER_SAP = "sportsapipro"
PROVIDER_SF = "soccerfootball"

_SEPARATORS = re.compile(r"[\W_]+")


def normalize(name: str) -> str:
    """A team name as a user may type it: no case, no accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", stripped.casefold()).strip()


def match_id(provider: str, m: MatchState) -> str:
    return str(m.sap_id) if provider == PROVIDER_SAP else m.sf_id


def team_ids(provider: str, m: MatchState) -> tuple[str, str]:
    if provider == PROVIDER_SAP:
        return str(m.spec.home.sap_id), str(m.spec.away.sap_id)
    return m.spec.home.sf_id, m.spec.away.sf_id


def competition_id(provider: str, m: MatchState) -> str:
    return str(m.spec.competition_id) if provider == PROVIDER_SAP else m.spec.sf_league_id


@dataclass(slots=True)
class Follower:
    """One followed target. `key` is a match, team or competition id; `name` a typed name."""

    subentry_id: str
    kind: str  # match | team | competition
    key: str | None
    name: str | None  # normalised typed team name (followed by name)
    label: str
    since: float  # simulator clock
    until: float | None = None
    device_id: str | None = None

    def covers(self, provider: str, m: MatchState) -> bool:
        if self.kind == "match":
            return self.key == match_id(provider, m)
        if self.kind == "competition":
            return self.key == competition_id(provider, m)
        if self.key is not None and self.key in team_ids(provider, m):
            return True
        return self.name is not None and self.name in (
            normalize(m.spec.home.name),
            normalize(m.spec.away.name),
        )

    def active(self, t: float) -> bool:
        return self.since <= t and (self.until is None or t < self.until)


@dataclass(slots=True)
class Window:
    """A match unseen from `start` until `visible` (None: not yet, or never)."""

    start: float
    restored: float | None = None  # the client is back (connected and subscribed)
    visible: float | None = None  # the first frame about the match after `restored`
    cause: str = ""
    until: float | None = None  # ended without the client seeing (e.g. unfollowed)
    # The client could place the match from here on, not having tracked it before:
    # it may start from what it heard of the match meanwhile, or from a baseline.
    placed: float | None = None
    # A stale STATS snapshot (from before the gap's goal) reached the client once it
    # was back: the next real frame's change then looks live; either is right.
    stale_shown: bool = False

    @property
    def end(self) -> float | None:
        return self.visible if self.visible is not None else self.until

    def holds(self, t: float) -> bool:
        """A moment at `start` happened before the fault (faults come between steps)."""
        end = self.end
        return self.start < t and (end is None or t < end)


@dataclass(slots=True)
class Seen:
    """A bus event Home Assistant fired."""

    event_type: str
    data: dict[str, Any]
    match: str | None  # scenario key of the match
    sim_t: float  # simulator clock when it fired
    ha_t: float  # HaClock when it fired
    epoch: int  # which setup of the entry fired it
    followers: frozenset[str]  # subentry ids of the match's followers at that moment
    at_follow: bool = False  # fired while a target was being added

    @property
    def kind(self) -> str:
        if self.event_type == "live_scores_goal":
            return "goal"
        return str(self.data.get("type"))

    @property
    def side(self) -> str | None:
        side = self.data.get("scoring_side") if self.kind == "goal" else self.data.get("side")
        return None if side is None else str(side)

    @property
    def score(self) -> tuple[Any, Any]:
        return self.data.get("home_score"), self.data.get("away_score")

    def describe(self) -> str:
        h, a = self.score
        rec = self.data.get("recovered", "absent")
        return (
            f"fired {self.kind} {self.side} {h}-{a} recovered={rec} at sim {self.sim_t:.0f}s "
            f"(setup #{self.epoch}, followers {len(self.data.get('device_ids') or [])})"
        )


@dataclass(slots=True)
class FaultRecord:
    name: str
    sim_t: float
    ha_t: float
    detail: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.detail.items())
        return f"fault {self.name} at sim {self.sim_t:.0f}s {extra}".rstrip()
