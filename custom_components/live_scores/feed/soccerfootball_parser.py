"""SoccerFootball.info frames → one merged `Match` per match (two witnesses, one goal).

MAIN frames (`type` = event name, `matchId`) move the phase and report goals
with the score after them (`soccerfootball_main.py`); STATS frames
(`type:"event"`, `eventType` `stats_update` or `batch_update`) carry the score,
clock and cards as `"home;away"` pairs (`soccerfootball_stats.py`). Both are
merged into one state per match by the rules in `soccerfootball_state.py`;
the matches and the client's questions are in `soccerfootball_matches.py`.

Frames seen twice (two sockets during a token handover, a replay) are dropped
by `eventId` or by (type, match, ts). Every value is read defensively
(`soccerfootball_values.py`): junk, huge or non-finite numbers and unhashable
ids are skipped, never raised.
"""

from typing import Any

from .soccerfootball_main import MAIN_EVENTS, MainFrames
from .soccerfootball_matches import MAX_SAVED_IDENTITIES
from .soccerfootball_state import MAIN_GRACE_MS, STATS_CANCEL_MS, STATS_PERSIST_MS
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
        kind = frame.get("type")
        if type(kind) is not str:
            self.malformed += 1
            return []
        if kind == "event":
            event = frame.get("eventType")
            event_id = read_ident(frame.get("eventId"))
            if event_id is not None and self._duplicate(("id", event_id)):
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
            if self._duplicate(event_id or (kind, match_id, raw_ts)):
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
