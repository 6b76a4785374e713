"""SoccerFootball.info frames → one merged `Match` per match (two witnesses, one goal).

MAIN frames (`type` = event name, `matchId`) move the phase and report goals
with the score after them (`soccerfootball_main.py`); STATS frames
(`type:"event"`, `eventType` `stats_update` or `batch_update`) carry the score,
clock and cards as `"home;away"` pairs (`soccerfootball_stats.py`). Both are
merged into one state per match by the rules in `soccerfootball_state.py`;
the matches and the client's questions are in `soccerfootball_matches.py`.

The usual frame, a documented `stats_update` of a match known, is taken by
`documented_again` first: most tell nothing new, and go a short way
(`soccerfootball_quiet.py`) with the result the whole way gives them.

Frames seen twice (two sockets during a token handover, a replay) are dropped
by `eventId` or by (type, match, ts). Every value is read defensively
(`soccerfootball_values.py`): junk, huge or non-finite numbers and unhashable
ids are skipped, never raised.
"""

from typing import Any

from .soccerfootball_main import MAIN_EVENTS, MainFrames
from .soccerfootball_matches import MAX_SAVED_IDENTITIES, SEEN_CAPACITY
from .soccerfootball_quiet import apply_quiet
from .soccerfootball_state import MAIN_GRACE_MS, MAX_TS_JUMP_MS, STATS_CANCEL_MS, STATS_PERSIST_MS
from .soccerfootball_stats import StatsFrames
from .soccerfootball_values import frame_ts, pair, read_ident

__all__ = [
    "MAIN_GRACE_MS",
    "MAX_SAVED_IDENTITIES",
    "STATS_CANCEL_MS",
    "STATS_PERSIST_MS",
    "SoccerFootballParser",
    "pair",
]


class SoccerFootballParser(MainFrames, StatsFrames):
    """Merges MAIN and STATS frames into `Match` states."""

    def feed(self, frame: dict[str, Any]) -> list[str]:
        """Apply a data frame; return the ids of the matches it changed."""
        moved = self.documented_again(frame)
        if moved is None:
            return self.feed_other(frame)
        return [frame["id"]] if moved else []

    def feed_other(self, frame: dict[str, Any]) -> list[str]:
        """`feed` for a frame `documented_again` did not take."""
        kind = frame.get("type")
        if type(kind) is not str:
            self.malformed += 1
            return []
        if kind == "event":
            event = frame.get("eventType")
            event_id = read_ident(frame.get("eventId"))
            if event_id is not None and self._duplicate(event_id):
                return []
            if event == "stats_update":
                data = frame.get("data")
                if not isinstance(data, dict):
                    self.malformed += 1
                    return []
                match_id = self._stats_match_id(frame, data)
                if match_id is None:
                    return []
                return self._stats(match_id, frame.get("leagueId"), data, frame_ts(frame))
            if event == "batch_update":
                return self._batch(frame)
            self.unknown += 1
            return []
        if kind in MAIN_EVENTS:
            match_id = read_ident(frame.get("matchId"))
            if match_id is None:
                self.malformed += 1
                return []
            raw_ts = frame_ts(frame)
            event_id = read_ident(frame.get("eventId"))
            if self._duplicate(
                (kind, match_id, raw_ts) if event_id is None else ("main", event_id)
            ):
                return []
            data = frame.get("data")
            return self._main(kind, match_id, frame, data if isinstance(data, dict) else {}, raw_ts)
        if kind == "stats_update_realtime":
            match_id = read_ident(frame.get("matchId"))
            data = frame.get("data")
            changed = data.get("changedStats") if isinstance(data, dict) else None
            if match_id is None or not isinstance(changed, list):
                self.malformed += 1
                return []
            stats = {
                c["stat"]: c.get("value")
                for c in changed
                if isinstance(c, dict) and type(c.get("stat")) is str
            }
            return self._stats(match_id, frame.get("leagueId"), stats, frame_ts(frame))
        self.unknown += 1
        return []

    def documented_again(self, frame: dict[str, Any]) -> bool | None:
        """A `stats_update` of the documented shape, for a match known (the usual frame).

        Applied here as `feed` would (True: the match changed; False: it did not,
        or the frame was seen before), the short way when it tells nothing new
        (`soccerfootball_quiet.py`). None: not such a frame, and nothing done
        (`feed_other` takes it).
        """
        try:
            ident = frame["id"]
            state = self.states[ident]  # (its keys are texts: so is `ident`)
            data = frame["data"]
            event_id = frame["eventId"]
            ts = frame["ts"]
            documented = (
                frame["type"] == "event"
                and frame["eventType"] == "stats_update"
                and frame["scope"] == "match"
                and "channel" in frame
                and len(frame) == 8
            )
        except KeyError, TypeError:
            return None
        if (
            not documented
            or type(event_id) is not str
            or type(ts) is not int
            or type(data) is not dict
            or not 0 < len(event_id) <= 64
        ):
            return None
        seen_ids = self._seen
        if event_id in seen_ids:
            self.duplicates += 1
            return False
        # (`stats_seen` is only kept under an id read as one: not empty, not too long.)
        if (
            (seen := state.stats_seen) is not None
            and state.stats_ts <= ts <= state.latest_ts + MAX_TS_JUMP_MS
            and ts < 10**15
            and "matchId" not in data
            and "match_id" not in data
            and (changed := apply_quiet(state, seen, data, ts)) is not None
        ):
            seen_ids[event_id] = None
            if len(seen_ids) > 2 * SEEN_CAPACITY:
                self._forget_seen()
            return changed
        if (
            not 0 <= ts < 10**15
            or "matchId" in data
            or "match_id" in data
            or not 0 < len(ident) <= 64
        ):
            return None  # (no time to trust, or the match named otherwise: `feed_other`)
        self._remember(event_id)
        return bool(self._stats_whole(ident, None, data, ts))
