"""SoccerFootball.info STATS frames: the score, clock, status, cards and shots.

The rules they follow are in `soccerfootball_state.py`.
"""

from typing import Any

from .soccerfootball_matches import ParsedMatches
from .soccerfootball_quiet import apply_quiet, keep_seen
from .soccerfootball_state import (
    ENDED,
    FIRST_HALF,
    HALF_TIME,
    MAX_TS_JUMP_MS,
    OFF_STATUSES,
    PRE_MATCH,
    SECOND_HALF,
    SILENCE_MS,
    STATS_CANCEL_MS,
    MatchState,
    set_clock,
)
from .soccerfootball_values import frame_ts, item_ident, pair, read_count, read_ident, read_minute

# A STATS clock this many minutes further on than the time since the last STATS
# frame of the match: the last one was a stale snapshot, or frames were missed.
CLOCK_JUMP_MINUTES = 1.5
# This many consecutive older STATS updates: the service's clock went back.
STALE_RUN_REBASE = 5


class StatsFrames(ParsedMatches):
    """Applies STATS frames (`stats_update`, `batch_update`, realtime) to the states."""

    def _stats_match_id(self, frame: dict[str, Any], data: dict[str, Any]) -> str | None:
        """The match a `stats_update` is about; None (counted) when it names none."""
        ident = frame.get("id")
        if (
            frame.get("scope") == "match"
            and type(ident) is str
            and 0 < len(ident) <= 64
            and "matchId" not in frame
            and "matchId" not in data
            and "match_id" not in frame
            and "match_id" not in data
            and ident != frame.get("leagueId")
        ):
            return ident  # the documented shape
        for source in (frame, data):
            for key in ("matchId", "match_id"):
                if source.get(key) is not None:
                    found = read_ident(source[key])
                    if found is None:
                        self.malformed += 1
                    return found
        ident = read_ident(frame.get("id"))
        if ident is None:
            self.malformed += 1
            return None
        scope = frame.get("scope")
        league = read_ident(frame.get("leagueId"))
        if scope == "league" or ident == league:
            # A league scope names the league: the match is unknown, unless the id
            # is a match we know and no league we know.
            if ident in self.states and ident not in self._known_leagues():
                return ident
            self.unattributed += 1
            return None
        return ident

    def _stats(
        self, match_id: str, league_id: Any, data: dict[str, Any], raw_ts: int | None
    ) -> list[str]:
        state = self.states.get(match_id)
        if (
            state is not None
            and (seen := state.stats_seen) is not None
            and (league_id is None or state.league_id is not None)
            and raw_ts is not None
            and state.stats_ts <= raw_ts <= state.latest_ts + MAX_TS_JUMP_MS
        ):
            changed = apply_quiet(state, seen, data, raw_ts)
            if changed is not None:
                return [match_id] if changed else []
        return self._stats_whole(match_id, league_id, data, raw_ts)

    def _stats_whole(
        self, match_id: str, league_id: Any, data: dict[str, Any], raw_ts: int | None
    ) -> list[str]:
        # (STATS never names the teams; `stats_seen` is kept again at the end.)
        state = self._state(match_id, league_id, tells_who=False)
        heard = state.latest_ts
        ts = state.trusted_ts(raw_ts)
        if ts < state.stats_ts:
            state.stats_stale += 1
            if state.stats_stale < STALE_RUN_REBASE:
                self.stale += 1
                return []  # older than stats already applied
        minute, _ = read_minute(data.get("timer"))
        phase, off = state.phase, state.off_status
        first = state.stats_ts < 0 and state.main_ts < 0
        if _stats_status(state, data.get("status"), minute):
            self.stale += 1  # its status is behind the match: a stale snapshot
            return []
        if state.phase != phase:
            state.stats_minute = -1  # (a clock that restarts each half is no regress)
        elif minute is not None and minute < state.stats_minute and state.off_status == off:
            # Newer by its stamp but behind by its clock: a stale snapshot re-sent.
            # Nothing in it is news (the phase and cards only ever move forward).
            self.stale += 1
            return []
        state.stats_stale = 0
        state.stats_ts = ts
        behind = minute is not None and minute < state.stats_minute
        last, last_ts = state.stats_minute, state.stats_minute_ts
        # The clock ran ahead of the time between two snapshots: what changed
        # happened while we could not see it (a stale snapshot, frames missed).
        jumped = (
            minute is not None
            and last >= 0
            and last_ts >= 0
            and minute - last > max(0, ts - last_ts) / 60_000 + CLOCK_JUMP_MINUTES
        )
        if minute is not None and not behind:
            state.stats_minute = minute
            state.stats_minute_ts = ts
            set_clock(state, minute, read_count(data.get("extraTimer")))
        home, away = pair(data.get("score"))
        if behind:
            self.stale += 1  # (a new status with an old clock: its score is old too)
        elif home is not None and away is not None:
            before = list(state.score)
            state.stats_score(home, away, ts)
            for held in state.held:
                # Not shown by STATS well after: the score it added to went down
                # unheard (STATS's score counts it already).
                while held and ts - held[0] > STATS_CANCEL_MS:
                    held.pop(0)
            # The first word on a live match after a silence (its STATS change every
            # minute): what changed happened while we could not hear it.
            silent = heard >= 0 and ts - heard > SILENCE_MS
            if (silent or jumped) and state.score != before:
                state.settling = True
        if first and state.phase == FIRST_HALF and (minute or 0) <= 1 and (home, away) == (0, 0):
            # Heard of first in its first minute (STATS ahead of MAIN's
            # `match_start`): the kick-off is news, as with `match_start`.
            state.fresh_start = True
        if "redCards" in data:
            home, away = pair(data.get("redCards"))
            if home is not None and away is not None:
                state.red = [max(home, state.red[0] or 0), max(away, state.red[1] or 0)]
        if not behind:
            if "shotsOnTarget" in data and None not in (shots := pair(data["shotsOnTarget"])):
                state.shots[0] = shots
            if "totalShots" in data and None not in (shots := pair(data["totalShots"])):
                state.shots[1] = shots
            if minute is not None or data.get("timer") is None:
                keep_seen(state, data)
        return [match_id]

    def _batch(self, frame: dict[str, Any]) -> list[str]:
        data = frame.get("data")
        items: list[tuple[str | None, Any]] = []
        if isinstance(data, list):
            items = [(item_ident(d), d) for d in data if isinstance(d, dict)]
        elif isinstance(data, dict):
            inner = data.get("matches")
            if isinstance(inner, list):
                items = [(item_ident(d), d) for d in inner if isinstance(d, dict)]
            else:
                source = inner if isinstance(inner, dict) else data
                items = [(read_ident(k), v) for k, v in source.items()]
        changed: list[str] = []
        ts = frame_ts(frame)
        for match_id, item in items:
            if match_id is None or not isinstance(item, dict):
                self.malformed += 1
                continue
            inner_data = item.get("data")
            stats: dict[str, Any] = inner_data if isinstance(inner_data, dict) else item
            item_ts = frame_ts(item) if "ts" in item else ts
            changed += self._stats(match_id, item.get("leagueId"), stats, item_ts)
        return changed


# What a STATS `status` says, by its text (few texts; bounded like the value caches):
# an off status, "not started", a phase, "in play" (the half by the clock or its
# words: -1 first or second by the clock, else the phase), or nothing known (None).
_STATUS_WORDS: dict[str, tuple[str, Any] | None] = {}


def _status_words(raw: str) -> tuple[str, Any] | None:
    """Classify a STATS `status` text once (see `_STATUS_WORDS`)."""
    if raw in _STATUS_WORDS:
        return _STATUS_WORDS[raw]
    words = raw.lower()
    said: tuple[str, Any] | None = None
    off = next((status for needle, status in OFF_STATUSES.items() if needle in words), None)
    if off is not None:
        said = ("off", off)
    elif "not" in words and "start" in words:
        said = ("not started", None)
    elif any(w in words for w in ("finish", "ended", "full", "ft", "after")):
        said = ("phase", ENDED)
    elif "half_time" in words or "halftime" in words or words in ("ht", "break"):
        said = ("phase", HALF_TIME)
    elif any(w in words for w in ("play", "live", "half", "extra", "penal")):
        second = "second" in words or "2" in words or "extra" in words or "penal" in words
        said = ("phase", SECOND_HALF) if second else ("in play", None)
    if len(_STATUS_WORDS) >= 256:
        _STATUS_WORDS.clear()
    _STATUS_WORDS[raw] = said
    return said


def _stats_status(state: MatchState, raw: Any, minute: int | None) -> bool:
    """Apply a STATS `status`: it may move the phase forward, never back.

    Returns whether it is behind the match (a stale snapshot): not started once
    play began, the break in the second half, in play once the match ended.
    """
    if type(raw) is not str or len(raw) > 40:
        return False
    said = _status_words(raw)
    if said is None:
        return False  # unknown
    what, value = said
    if what == "off":
        state.off_status = value
        return False
    if what == "not started":
        return state.phase > PRE_MATCH and state.off_status is None
    if what == "in play":
        phase = SECOND_HALF if minute is not None and minute > 45 else FIRST_HALF
    else:
        phase = value
    if phase < state.phase and (phase != FIRST_HALF or state.phase == ENDED):
        # (In play, by a clock that may restart each half, may be either half.)
        return state.off_status is None
    state.off_status = None
    if phase > state.phase:
        if state.phase == PRE_MATCH:
            state.start_play()
        state.phase = phase
    return False
