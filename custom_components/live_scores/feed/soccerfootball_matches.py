"""The SoccerFootball.info matches a parser knows, and the client's questions.

`ParsedMatches` keeps one `MatchState` per match, drops frames seen twice and
answers what the client asks; `MainFrames` and `StatsFrames` apply the frames.
"""

from dataclasses import replace
from typing import Any

from .api import GameSummary
from .model import Match, Status
from .soccerfootball_state import (
    ENDED,
    FIRST_HALF,
    OFF_STATUSES,
    PHASE_OF_STATUS,
    PRE_MATCH,
    MatchState,
    set_start,
)
from .soccerfootball_values import read_count, read_ident, read_text

SEEN_CAPACITY = 4096
# Matches not followed whose teams and league a restart keeps (see `identities`).
MAX_SAVED_IDENTITIES = 500


class ParsedMatches:
    """The merged states of the matches heard of, and the queries on them."""

    def __init__(self) -> None:
        self.states: dict[str, MatchState] = {}
        # Frames seen: a STATS frame by its `eventId` (a text), a MAIN frame by
        # ("main", its `eventId`), else by (type, match, `ts`). The newest
        # `SEEN_CAPACITY` at least are remembered.
        self._seen: dict[Any, None] = {}
        # League ids the caller knows (its followed competitions, its league scopes).
        self.leagues: set[str] = set()
        self.duplicates = 0
        self.unknown = 0
        self.malformed = 0
        self.unattributed = 0
        self.stale = 0

    def _duplicate(self, key: Any) -> bool:
        if key in self._seen:
            self.duplicates += 1
            return True
        self._remember(key)
        return False

    def _remember(self, key: Any) -> None:
        """Note a frame as seen (`key` not seen yet)."""
        seen = self._seen
        seen[key] = None
        if len(seen) > 2 * SEEN_CAPACITY:
            self._forget_seen()

    def _forget_seen(self) -> None:
        """Forget the oldest half of the frames seen at once (a dict keeps insertion order)."""
        self._seen = dict.fromkeys(list(self._seen)[SEEN_CAPACITY:])

    def _known_leagues(self) -> set[str]:
        known = set(self.leagues)
        known.update(s.league_id for s in self.states.values() if s.league_id)
        return known

    def _state(self, match_id: str, league_id: Any, *, tells_who: bool = True) -> MatchState:
        """The state of a match a frame is applied to (`tells_who`: it may name the teams)."""
        state = self.states.get(match_id)
        if state is None:
            state = MatchState(match_id)
            self.states[match_id] = state
        league = read_ident(league_id)
        if league is not None and state.league_id is None:
            state.league_id = league
            tells_who = True  # (a followed competition's match, now known as one)
        state.announced = None
        state.settling = False
        # The frame may change what a STATS frame telling nothing new would, and
        # who follows the match.
        state.stats_seen = None
        if tells_who:
            state.followed = None
        return state

    def take_intermediate(self, match_id: str) -> list[Match]:
        """States the last frame went through before `match()` (usually none)."""
        state = self.states.get(match_id)
        if state is None or not state.intermediate:
            return []
        taken, state.intermediate = state.intermediate, []
        return taken

    def match(self, match_id: str) -> Match | None:
        """The merged state of a match."""
        state = self.states.get(match_id)
        return None if state is None else state.to_match()

    def take_pre_match(self, match_id: str) -> Match | None:
        """A pre-match state, once, for a match first heard of by its `match_start`."""
        state = self.states.get(match_id)
        if state is None or not state.fresh_start:
            return None
        state.fresh_start = False
        match = state.to_match()
        return replace(
            match,
            status=Status.SCHEDULED,
            status_text=None,
            period=None,
            clock=None,
            minute=None,
            home=replace(match.home, score=None),
            away=replace(match.away, score=None),
            announced=None,
            settling=False,
        )

    def ids(self, match_id: str) -> tuple[str | None, str | None, str | None]:
        """(home team id, away team id, league id) of a match, where known."""
        state = self.states.get(match_id)
        if state is None:
            return None, None, None
        return state.home_id, state.away_id, state.league_id

    def names(self, match_id: str) -> tuple[str | None, str | None]:
        """(home team name, away team name) of a match, where known."""
        state = self.states.get(match_id)
        if state is None:
            return None, None
        return state.home, state.away

    def summaries(self) -> list[GameSummary]:
        """A `GameSummary` of every match seen."""
        return [GameSummary.of(state.to_match()) for state in self.states.values()]

    def forget_finished(self, keep: int) -> None:
        """Bound memory: drop the oldest finished matches beyond `keep` states."""
        excess = len(self.states) - keep
        if excess <= 0:
            return
        for match_id in [m for m, s in self.states.items() if s.phase == ENDED][:excess]:
            del self.states[match_id]

    def identities(self, tracked: set[str]) -> dict[str, dict[str, Any]]:
        """What `seed` needs after a restart.

        The tracked matches, and who plays in the newest `MAX_SAVED_IDENTITIES`
        others not ended: teams and leagues are named only by `match_start`, so a
        target added after a restart could not place a match not saved.
        """
        saved = {m: _identity(s) for m, s in self.states.items() if m in tracked}
        others = [
            s
            for m, s in self.states.items()
            if m not in tracked and s.phase != ENDED and (s.home_id or s.league_id)
        ]
        others.sort(key=lambda s: s.latest_ts, reverse=True)
        saved.update((s.match_id, _identity(s)) for s in others[:MAX_SAVED_IDENTITIES])
        return saved

    def heard(self, match_id: str) -> bool:
        """Whether a frame of the match was read since it was created or seeded."""
        state = self.states.get(match_id)
        return state is not None and (state.main_ts >= 0 or state.stats_ts >= 0)

    def seed(
        self,
        match_id: str,
        identity: Any,
        score: tuple[int | None, int | None] | None,
        status: Status | None,
    ) -> None:
        """Recreate a match after a restart from what was saved (never raises).

        Its score is the tracker's; the time of its last rise is unknown, so a
        lower score is taken as lag for a while after the next frame. A match
        the tracker did not follow is seeded with its identity only: it is then
        like a match not heard of yet whose teams are known.
        """
        if match_id in self.states:
            return
        state = MatchState(match_id)
        if isinstance(identity, dict):
            for key in ("league_id", "home_id", "away_id"):
                setattr(state, key, read_ident(identity.get(key)))
            for key in ("league", "home", "away"):
                setattr(state, key, read_text(identity.get(key)))
            set_start(state, identity.get("start"))
            minute = read_count(identity.get("stats_minute"))
            state.stats_minute = -1 if minute is None else minute
        if score is not None:
            state.score = [None if v is None else read_count(v) for v in score]
            shown = identity.get("stats_shown") if isinstance(identity, dict) else None
            if isinstance(shown, list) and len(shown) == 2:
                state.stats_shown = [
                    state.score[i] is not None and read_count(shown[i]) == state.score[i]
                    for i in (0, 1)
                ]
            rises = identity.get("rise_ts") if isinstance(identity, dict) else None
            if isinstance(rises, list) and len(rises) == 2:
                state.rise_ts = [_rise_ts(rise, state.score[i]) for i, rise in enumerate(rises)]
            waiting = identity.get("unclaimed") if isinstance(identity, dict) else None
            if isinstance(waiting, list) and len(waiting) == 2:
                state.unclaimed = [_stamps(side) for side in waiting]
        if status is not None:
            if status in OFF_STATUSES.values():
                state.off_status = status
            state.phase = PHASE_OF_STATUS.get(
                status, FIRST_HALF if status is Status.LIVE else PRE_MATCH
            )
        self.states[match_id] = state


def _identity(state: MatchState) -> dict[str, Any]:
    """What a restart needs to know of the match (no score: the tracker has it)."""
    return {
        "league_id": state.league_id,
        "league": state.league,
        "home_id": state.home_id,
        "home": state.home,
        "away_id": state.away_id,
        "away": state.away,
        "start": None if state.start is None else state.start.isoformat(),
        "stats_minute": state.stats_minute,
        # The scores STATS itself showed (see `stats_shown`), per side.
        "stats_shown": [
            score if shown else None
            for score, shown in zip(state.score, state.stats_shown, strict=True)
        ],
        # When each side's score last rose: (score, ts), so that the time a lower
        # score must persist is not started again by every restart.
        "rise_ts": [
            None if ts is None else [score, ts]
            for score, ts in zip(state.score, state.rise_ts, strict=True)
        ],
        # STATS rises MAIN has not confirmed yet: a scoreless MAIN goal held back
        # behind STATS, arriving after a restart, is one of them.
        "unclaimed": [list(ts[-20:]) for ts in state.unclaimed],
    }


def _rise_ts(saved: Any, score: int | None) -> int | None:
    """A saved (score, ts) of a side's last rise: its ts if the score is still that one."""
    if not isinstance(saved, list) or len(saved) != 2 or score is None:
        return None
    value, ts = saved
    if read_count(value) != score or type(ts) is not int or not 0 <= ts < 10**15:
        return None
    return ts


def _stamps(saved: Any) -> list[int]:
    """Saved `ts` values (at most 20): those that are plausible ones."""
    if not isinstance(saved, list):
        return []
    return [ts for ts in saved[:20] if type(ts) is int and 0 <= ts < 10**15]
