"""Turn successive states of a match into match events, each exactly once.

The tracker keeps a record per match (`tracker_record.py`): the last applied
scores, red cards, status and tennis games, the version of the last applied
state and the keys of the events already emitted. Its state can be saved
(`snapshot`) and restored (`restore`) so that a restart never replays an event.

A new state goes through the version rules first (`tracker_versions.py`: a
stale, replayed or poisoned version is dropped), then through the diff
(`tracker_diff.py`, with the scores in `tracker_scores.py`) that turns it into
events; the first state of a match is a baseline.
"""

import logging
from typing import Any

from .model import FINAL_STATUSES, Match, MatchEvent, Side, Status
from .tracker_diff import apply_baseline, diff
from .tracker_record import MatchRecord
from .tracker_versions import admit, forget_versions, replayed

_LOGGER = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
# Records of ended matches beyond this many are forgotten, oldest first.
MAX_FINISHED_RECORDS = 200


class Tracker:
    """Diffs successive `Match` states into `MatchEvent`s, exactly once."""

    def __init__(self) -> None:
        self._records: dict[str, MatchRecord] = {}
        self.dropped_stale = 0

    def __contains__(self, match_id: str) -> bool:
        return match_id in self._records

    def __len__(self) -> int:
        return len(self._records)

    def match_ids(self) -> list[str]:
        """The ids of the tracked matches."""
        return list(self._records)

    def status(self, match_id: str) -> Status | None:
        """The last known status of a match (None if it is not tracked)."""
        record = self._records.get(match_id)
        return None if record is None else record.status

    def score(self, match_id: str) -> tuple[int | None, int | None] | None:
        """The last known (home, away) score of a match (None if it is not tracked)."""
        record = self._records.get(match_id)
        if record is None:
            return None
        return record.score.get(Side.HOME), record.score.get(Side.AWAY)

    def begin_resync(self) -> None:
        """A new connection: forget versions (they may restart), keep the state.

        Until `end_resync`, the first state of each match is a catch-up: what it
        reveals happened during the gap and is marked `recovered`.
        """
        for record in self._records.values():
            forget_versions(record)

    def end_resync(self) -> None:
        """The catch-up after a (re)connect is over: later states are live."""
        for record in self._records.values():
            record.resync = False

    def forget(self, match_id: str) -> None:
        """Stop tracking a match."""
        self._records.pop(match_id, None)

    def snapshot(self) -> dict[str, Any]:
        """The tracker's state, JSON-serialisable."""
        return {
            "version": SNAPSHOT_VERSION,
            "matches": {mid: rec.to_json() for mid, rec in self._records.items()},
        }

    def restore(self, data: Any) -> None:
        """Restore a `snapshot`; anything malformed is skipped (never raises)."""
        self._records = {}
        if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION:
            return
        matches = data.get("matches")
        if not isinstance(matches, dict):
            return
        for match_id, raw in matches.items():
            try:
                self._records[str(match_id)] = MatchRecord.from_json(raw)
            except (KeyError, TypeError, ValueError) as err:
                _LOGGER.debug("Skipping a saved match that cannot be read: %s", err)

    def update(self, match: Match) -> list[MatchEvent]:
        """Apply a new state of a match; return what happened since the last one."""
        record = self._records.get(match.id)
        if record is None:
            self._prune()
            record = MatchRecord()
            self._records[match.id] = record
            admit(record, match.version)
            apply_baseline(record, match)
            return []
        if (
            record.version is None
            and record.prior_version is not None
            and match.version is not None
        ):
            # The first versioned state since a gap is judged by the floor before it:
            # one just below it is an old frame replayed, whatever came unversioned
            # meanwhile (a snapshot); far below, the counter restarted (`admit`).
            record.version = record.prior_version
        if not admit(record, match.version):
            self.dropped_stale += 1
            return []
        if replayed(record, match):
            # An older state replayed first on a new connection: the version
            # floor restarted, but the match never goes back.
            record.version = None
            self.dropped_stale += 1
            return []
        events = diff(record, match)
        record.resync = False
        if match.version is not None:
            record.prior_version = None
        return events

    def _prune(self) -> None:
        """Forget the oldest ended matches beyond `MAX_FINISHED_RECORDS`."""
        finished = [m for m, r in self._records.items() if r.status in FINAL_STATUSES]
        for match_id in finished[: max(0, len(finished) - MAX_FINISHED_RECORDS)]:
            del self._records[match_id]
