"""The order of a match's states: which one may be applied (floors, jumps, resync).

Versions (SportsAPIPro's `updateId`) order states of one match, but neither a
replayed old frame nor one poisoned counter may move a match backwards or
freeze it: a lower version is dropped, a version implausibly far ahead is
applied without becoming the new floor until a second state confirms it, one
implausibly far below the floor re-bases at once (the floor was poisoned, or the
counter restarted), and a run of consecutive lower versions (the counter really
went back a little) becomes the new floor. After `forget_versions` (a new
connection) the first state of each match sets its floor whatever its version,
unless it is below the floor before the gap and would take the match back (an
old frame replayed first: `replayed`).
"""

from .model import FINAL_STATUSES, Match
from .tracker_record import SIDES, MatchRecord

# A version this far ahead of the floor is applied but only becomes the floor
# once a second state confirms it (one poisoned counter must not freeze a match).
MAX_VERSION_JUMP = 10**9
# This many consecutive, rising versions below the floor: the counter went back.
STALE_RUN_REBASE = 5


def admit(record: MatchRecord, version: int | None) -> bool:
    """Whether a state with `version` may be applied; moves the floor."""
    if version is None:
        return True
    floor = record.version
    if floor is None or version >= floor:
        record.stale_run, record.stale_last = 0, None
        if floor is not None and version - floor > MAX_VERSION_JUMP:
            pending = record.pending_version
            # Confirmed by a later state (a copy of the same one, from a second
            # channel, is no confirmation).
            if pending is not None and 0 < version - pending <= MAX_VERSION_JUMP:
                record.version, record.pending_version = version, None
            else:
                record.pending_version = version
            return True
        record.version, record.pending_version = version, None
        return True
    if floor - version > MAX_VERSION_JUMP:
        # Far below: the floor itself was a poisoned id (one that came first
        # after a reconnect), or the counter restarted. Either way, follow.
        record.version, record.pending_version = version, None
        record.stale_run, record.stale_last = 0, None
        return True
    if record.stale_last is not None and version > record.stale_last:
        record.stale_run += 1
    else:
        record.stale_run = 1
    record.stale_last = version
    if record.stale_run >= STALE_RUN_REBASE:
        record.version, record.pending_version = version, None
        record.stale_run, record.stale_last = 0, None
        return True
    return False


def forget_versions(record: MatchRecord) -> None:
    """A new connection: versions may restart; the first state after it is a resync."""
    if record.version is not None:
        record.prior_version = record.version
    record.version = None
    record.pending_version = None
    record.stale_run, record.stale_last = 0, None
    record.resync = True


def replayed(record: MatchRecord, match: Match) -> bool:
    """Whether the first state after a reconnect is an older one replayed.

    Versions may restart with a new connection, so a lower one is allowed; but
    one below the floor before the gap that would also take a score back (or an
    ended match back into play) is an old frame, not news.
    """
    prior = record.prior_version
    version = match.version
    if not record.resync or prior is None or version is None or version >= prior:
        return False
    if record.status in FINAL_STATUSES and match.status not in FINAL_STATUSES:
        return True
    for side in SIDES:
        old = record.score.get(side)
        new = match.team(side).score
        if old is not None and new is not None and new < old:
            return True
    return False
