"""Every bus event against the simulator's ground truth.

What a perfect client would fire, per followed match:

- a moment (goal, VAR cancellation, red card, kick-off, half-time, second half, full
  time) that happened while the match was followed and the client could see it: that
  event, once, not `recovered`;
- what happened inside a blind `Window` (an outage, Home Assistant down): only what
  the client can tell from the score before and after — per side, a rise of k is k
  goals and a fall of k is k cancellations, all `recovered` (a goal scored and ruled
  out inside one window is never seen: not expected); red cards likewise; each phase
  passed once. A moment at the very frame that ends a window may be either;
- nothing for a match nobody followed at the time (marked, so that a goal fired for it
  is reported as such).

Goals and cancellations are keyed by (match, side, that side's score after it), so a
score reached again after a VAR decision is a new key occurrence, not a duplicate.
Events fired again after an abrupt kill are tolerated when they were fired less than
`tolerance` seconds of Home Assistant time before it (not yet on disk by the rules).
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
import math
from typing import Any

from tests.simulator.engine import MatchState
from tests.simulator.truth import TruthEvent

from .model import PROVIDER_SF, FaultRecord, Follower, Seen, Window

# Timing().catch_up: the catch-up window after a reconnect, in (service) seconds.
CATCH_UP_S = 90.0
# SoccerFootball: a STATS score back to a cancelled one counts after 20 s of updates
# (STATS_PERSIST_MS); the campaign steps 20 s at a time.
BRIEF_S = 40.0

GOAL_KINDS = ("goal", "goal_cancelled")
OTHER_KINDS = ("red_card", "kickoff", "halftime", "second_half", "full_time")
KINDS = (*GOAL_KINDS, *OTHER_KINDS)
# Failure classes that fail the campaign (the rest are reported).
STRICT = (
    "goal lost",
    "goal duplicated",
    "goal false",
    "goal_cancelled lost",
    "goal_cancelled duplicated",
    "goal_cancelled false",
    "goal fired at follow",
    "goal_cancelled fired at follow",
    "recovered missing",
    "recovered spurious",
    "recovered absent",
    "score wrong",
    "followers wrong",
)

Key = tuple[str, str, str | None, int | None]
# The longest the campaign holds MAIN back behind STATS (injector's stats_lag), and some.
MAIN_HELD_BACK_S = 60.0


@dataclass(slots=True)
class Expected:
    kind: str
    match: str
    side: str | None
    n: int | None  # goals, cancellations: the side's score after it
    score: tuple[int, int]
    t: float
    recovered: bool | None  # True: must be, False: must not be, None: either
    window: Window | None = None
    # Fired once or not at all: revealed in the very step its only follower was
    # added, so the client took its baseline before or after the reveal.
    optional: bool = False

    @property
    def key(self) -> Key:
        return (self.kind, self.match, self.side, self.n)

    def describe(self) -> str:
        how = "in a blind window" if self.window else "live"
        rec = {True: "recovered", False: "not recovered", None: "recovered or not"}
        return (
            f"truth {self.kind} {self.side or ''} {self.score[0]}-{self.score[1]} at sim "
            f"{self.t:.0f}s, {how}: expected once, {rec[self.recovered]}"
        )


@dataclass(slots=True)
class Mismatch:
    kind: str  # a failure class, e.g. "goal lost"
    match: str
    t: float
    what: str
    trace: str = ""


@dataclass(slots=True)
class Comparison:
    counts: Counter[str] = field(default_factory=Counter)
    mismatches: list[Mismatch] = field(default_factory=list)

    def failures(self, strict_others: bool = False) -> list[Mismatch]:
        return [
            m
            for m in self.mismatches
            if m.kind in STRICT or (strict_others and not m.kind.startswith("tolerated"))
        ]


def _side_n(kind: str, side: str | None, h: int, a: int) -> int | None:
    if kind not in GOAL_KINDS or side is None:
        return None
    return h if side == "home" else a


def _n0(value: int | None) -> int:
    return 0 if value is None or value < 0 else value


class Comparer:
    """Build what was expected, pair it with what was fired, classify the rest."""

    def __init__(
        self,
        *,
        provider: str,
        matches: dict[str, MatchState],
        truth: Iterable[TruthEvent],
        followers: list[Follower],
        windows: dict[str, list[Window]],
        seen: list[Seen],
        faults: list[FaultRecord],
        kills: list[tuple[float, int, float]],
        tolerance: float,
        attributable: Callable[[Follower, MatchState, float], bool] | None = None,
    ) -> None:
        self.provider = provider
        self.matches = matches
        self.truth = [e for e in truth if e.type in KINDS and e.match in matches]
        self.followers = followers
        self.windows = windows
        self.seen = seen
        self.faults = faults
        self.kills = kills
        self.tolerance = tolerance
        self.attributable = attributable or (lambda f, m, t: True)
        self.expected: list[Expected] = []
        # Truth moments nobody was expected to fire: key -> why.
        self.skipped: dict[Key, str] = {}
        self.counts: Counter[str] = Counter()

    # --- what a perfect client fires --------------------------------------------------
    def followed(self, match: str, t: float) -> bool:
        """Whether the client can follow `match` at `t` (see `attributable`)."""
        m = self.matches[match]
        return any(
            f.active(t) and f.covers(self.provider, m) and self.attributable(f, m, t)
            for f in self.followers
        )

    def followed_through(self, match: str, t: float) -> bool:
        """Whether a follower from before `t` still followed `match` in the step
        ending at `t` (an unfollow at `t` comes after that step's frames)."""
        m = self.matches[match]
        return any(
            f.since < t
            and (f.until is None or t <= f.until)
            and f.covers(self.provider, m)
            and self.attributable(f, m, t)
            for f in self.followers
        )

    def _followed_before(self, match: str, t: float) -> bool:
        """Whether a follower at `t` was already following before `t`."""
        m = self.matches[match]
        return any(
            f.active(t)
            and f.since < t
            and f.covers(self.provider, m)
            and self.attributable(f, m, t)
            for f in self.followers
        )

    def devices(self, s: Seen, at: float | None = None) -> set[str]:
        """The devices a bus event should name: its match's followers then (those the
        client could place at `at`, by default when it fired)."""
        if s.match is None:
            return set()
        m = self.matches[s.match]
        t = s.sim_t if at is None else at
        return {
            f.device_id
            for f in self.followers
            if f.subentry_id in s.followers and f.device_id and self.attributable(f, m, t)
        }

    @staticmethod
    def merged(windows: list[Window]) -> list[Window]:
        """Overlapping windows are one: the client sees nothing from the first start
        to the last end."""
        out: list[Window] = []
        for w in sorted(windows, key=lambda w: w.start):
            last = out[-1] if out else None
            if last is not None and (last.end is None or w.start < last.end):
                if last.end is not None and (w.end is None or w.end > last.end):
                    last.visible, last.until, last.placed = w.visible, w.until, w.placed
                last.stale_shown = last.stale_shown or w.stale_shown
                last.cause += f"+{w.cause}"
                continue
            out.append(
                Window(w.start, w.restored, w.visible, w.cause, w.until, w.placed, w.stale_shown)
            )
        return out

    def build(self) -> None:
        by_match: dict[str, list[TruthEvent]] = defaultdict(list)
        for e in self.truth:
            by_match[e.match].append(e)
        for match, events in by_match.items():
            self._build_match(match, events)
        self._brief_returns()
        self._brief_cancellations()

    def _briefly_visible(self, match: str, since: float, until: float) -> bool:
        """Whether a score that stood from `since` to `until` was visible to the client
        for less than STATS needs to trust it: until a blind window began, if one did;
        or whether STATS's lag changed meanwhile (it re-plays older snapshots)."""
        merged = self.merged(self.windows.get(match, []))
        starts = [w.start for w in merged if since < w.start <= until]
        lagged = any(
            # (A lag is noted when it ends, up to six steps after it began.)
            f.name == "stats_lag" and since - 2 * MAIN_HELD_BACK_S <= f.sim_t <= until + 140.0
            for f in self.faults
        )
        # Seen from the end of the blind window it came in, if it came in one.
        seen_from = next(
            (
                w.end
                for w in merged
                if w.start <= since and w.end is not None and since < w.end <= until
            ),
            since,
        )
        return lagged or min([until, *starts]) - seen_from < BRIEF_S

    def _brief_cancellations(self) -> None:
        """A cancellation whose lower score the client could see for less than STATS
        needs to trust it (a blind window came, or the goal came back) before the
        score was back up may be neither fired nor followed by a goal: STATS lower
        for a moment and then as before is a stale snapshot. Both become optional."""
        items = sorted(self.expected, key=lambda x: x.t)
        for c in items:
            if c.kind != "goal_cancelled" or c.n is None:
                continue  # (one in a blind window is seen from its end, `c.t`)
            goal = next(
                (
                    g
                    for g in items
                    if g.kind == "goal"
                    and g.match == c.match
                    and g.side == c.side
                    and g.n == c.n + 1
                    and g.t > c.t
                ),
                None,
            )
            if goal is None:
                continue
            if self._briefly_visible(c.match, c.t, goal.t):
                goal.optional = c.optional = True
                self.counts["optional brief cancellation"] += 1

    def _brief_returns(self) -> None:
        """A goal back to a score ruled out before, visible to the client for less
        than STATS needs to trust it (`STATS_PERSIST_MS`, plus a step) and then ruled
        out too, may be neither fired nor cancelled: one snapshot of a cancelled
        score may be a stale one. Both become optional."""
        items = sorted(self.expected, key=lambda x: x.t)
        for c in items:
            if c.kind != "goal_cancelled" or c.n is None:
                continue
            cancelled = c.n + 1
            goal = next(
                (
                    g
                    for g in reversed(items)
                    if g.kind == "goal"
                    and g.match == c.match
                    and g.side == c.side
                    and g.n == cancelled
                    and g.t <= c.t
                ),
                None,
            )
            if goal is None:
                continue
            if not self._briefly_visible(c.match, goal.t, c.t):
                continue
            earlier = any(
                x.kind == "goal_cancelled"
                and x.match == c.match
                and x.side == c.side
                and x.n == c.n
                and x.t < goal.t
                for x in items
            )
            if earlier:
                goal.optional = c.optional = True
                self.counts["optional brief return"] += 1

    def _build_match(self, match: str, events: list[TruthEvent]) -> None:
        windows = self.merged(self.windows.get(match, []))
        buckets: dict[int, list[TruthEvent]] = defaultdict(list)
        # Goals in the second that ends a window taken live (`_scored_again_at_end`):
        # the window's own goals leave them out.
        taken_live: dict[int, list[TruthEvent]] = defaultdict(list)
        for index, e in enumerate(events):
            # A moment in the very frame that ends a window is seen with the gap.
            window = next(
                (i for i, w in enumerate(windows) if w.holds(e.at) or e.at == w.end), None
            )
            if window is not None:
                if not self._scored_again_at_end(e, windows[window], events[:index]):
                    buckets[window].append(e)
                    continue
                taken_live[window].append(e)
            h, a = _n0(e.home_score), _n0(e.away_score)
            # The client takes the first update of a match within CATCH_UP_S after
            # a reconnect as a catch-up (README, "recovered"): either is right then.
            catching_up = any(w.end is not None and 0 <= e.at - w.end < CATCH_UP_S for w in windows)
            # A goal in the very second of half-time or full time: its MAIN frame and
            # the one that settles the score go out together, and a reorder puts the
            # settling one first (the goal then reads as settled): either is right.
            catching_up = catching_up or (
                e.type in GOAL_KINDS
                and any(x.at == e.at and x.type in ("halftime", "full_time") for x in events)
            )
            item = Expected(
                e.type,
                match,
                e.side if e.type in (*GOAL_KINDS, "red_card") else None,
                _side_n(e.type, e.side, h, a),
                (h, a),
                e.at,
                None if catching_up else False,
            )
            # How long STATS lower takes to be trusted (longer while STATS lags).
            trust = BRIEF_S + self._stats_lag_at(e.at)
            if self.followed(match, e.at):
                if item.kind == "goal_cancelled" and not self.followed(match, e.at + trust):
                    # Unfollowed before STATS lower could persist: fired or not.
                    item.optional = True
                    self.counts["optional cancellation before an unfollow"] += 1
                self.expected.append(item)
                if not item.optional:
                    self._count_truth(item)
            elif (
                item.kind == "goal_cancelled"
                and self.provider == PROVIDER_SF
                and self.followed(match, e.at + trust)
            ):
                # Followed before STATS lower could persist: the baseline may still
                # hold the goal, which the client then cancels.
                item.optional = True
                self.expected.append(item)
                self.counts["optional cancellation before a follow"] += 1
            elif self.followed(match, e.at + MAIN_HELD_BACK_S):
                # Placed only by this moment's own MAIN frame, held back behind
                # STATS: the client fires it when that frame comes, or not at all.
                item.optional = True
                self.expected.append(item)
                self.counts[f"optional {item.kind}"] += 1
            else:
                self.skipped.setdefault(item.key, "was not followed at the time")
        for index, bucket in buckets.items():
            self._build_window(match, windows[index], bucket, events, taken_live[index])

    def _scored_again_at_end(self, e: TruthEvent, w: Window, before: list[TruthEvent]) -> bool:
        """A goal, in the second that ends a window, to a number its side had reached
        before: its MAIN frame announces that number again, from which the client knows
        the earlier one was ruled out while it could not see (`_regoal`), whichever
        frame of that second came first (SoccerFootball). The goal is live, not part of
        the gap."""
        if self.provider != PROVIDER_SF or e.type != "goal" or e.side is None:
            return False
        if e.at != w.visible:
            return False
        n = _side_n(e.type, e.side, _n0(e.home_score), _n0(e.away_score))
        return any(
            x.type in GOAL_KINDS
            and (_side_n(x.type, e.side, _n0(x.home_score), _n0(x.away_score)) or 0) >= (n or 0)
            for x in before
        )

    def _build_window(
        self,
        match: str,
        w: Window,
        bucket: list[TruthEvent],
        events: list[TruthEvent],
        taken_live: list[TruthEvent],
    ) -> None:
        before = [e for e in events if e.at <= w.start]
        h0 = _n0(before[-1].home_score) if before else 0
        a0 = _n0(before[-1].away_score) if before else 0
        last = bucket[-1]
        h1, a1 = _n0(last.home_score), _n0(last.away_score)
        items: list[Expected] = []
        placed = w.placed if w.visible is None else None
        t = w.visible if w.visible is not None else placed if placed is not None else last.at
        # Seen in the frame that ends the gap: recovered or not, the client cannot tell.
        rec: bool | None = None if any(e.at == w.visible for e in bucket) else True
        if placed is not None or w.stale_shown or self._main_held_back(bucket, w):
            rec = None
        for side, s0, s1 in (("home", h0, h1), ("away", a0, a1)):
            # Scores ruled out before: STATS back to one counts only once it
            # persisted, by when the client's catch-up may be over (either is right).
            ruled_out = {
                (_n0(e.home_score) if side == "home" else _n0(e.away_score)) + 1
                for e in before
                if e.type == "goal_cancelled" and e.side == side
            }
            live = {
                _side_n(e.type, side, _n0(e.home_score), _n0(e.away_score))
                for e in taken_live
                if e.side == side
            }
            for n in range(s0 + 1, s1 + 1):
                if n in live:
                    continue  # (expected live already)
                score = (n, a1) if side == "home" else (h1, n)
                how = None if n in ruled_out else rec
                items.append(Expected("goal", match, side, n, score, t, how, w))
            for n in range(s0 - 1, s1 - 1, -1):
                score = (n, a1) if side == "home" else (h1, n)
                items.append(Expected("goal_cancelled", match, side, n, score, t, rec, w))
        reds = Counter(e.side for e in bucket if e.type == "red_card")
        for red_side, count in reds.items():
            items += [Expected("red_card", match, red_side, None, (h1, a1), t, rec, w)] * count
        for kind in OTHER_KINDS[1:]:
            if any(e.type == kind for e in bucket):
                items.append(Expected(kind, match, None, None, (h1, a1), t, None, w))
        if not items:
            # Undone inside the window: unseen, unless the reconnect that ends it replayed
            # an older frame holding the goal (SportsAPIPro): a frame newer than any the
            # client had, which it cannot tell from news. The goal (recovered) and its
            # cancellation then fire, or neither.
            visible = w.visible if "with a replay" in w.cause else None
            for e in bucket:
                if e.type in GOAL_KINDS:
                    h, a = _n0(e.home_score), _n0(e.away_score)
                    n = _side_n(e.type, e.side, h, a)
                    key = (e.type, match, e.side, n)
                    if visible is not None and self.followed(match, visible):
                        item = Expected(e.type, match, e.side, n, (h, a), e.at, None, w, True)
                        self.expected.append(item)
                        self.counts[f"optional {e.type} undone before a replay"] += 1
                        continue
                    self.skipped.setdefault(key, "happened and was undone inside one blind window")
        kickoff = next((e for e in bucket if e.type == "kickoff"), None)
        end = w.end
        if (
            kickoff is not None
            and (w.visible is None or not self.followed(match, w.visible))
            and end is not None
            and end - kickoff.at <= MAIN_HELD_BACK_S
            and (
                self.followed(match, kickoff.at + MAIN_HELD_BACK_S)
                or self.followed_through(match, end)
            )
        ):
            # Placed by its own `match_start` just after the kick-off (MAIN held
            # back): the kick-off is news then, or not at all.
            item = Expected("kickoff", match, None, None, (0, 0), kickoff.at, None, w)
            item.optional = True
            self.expected.append(item)
            self.counts["optional kickoff"] += 1
        if w.visible is None and w.placed is not None and self.followed_through(match, w.placed):
            # Placed at last by a frame that told who plays: the client heard the
            # match meanwhile (STATS without names) and may go on from that.
            kickoffs = [e for e in bucket if e.type == "kickoff"]
            items += [Expected("kickoff", match, None, None, (0, 0), t, None, w) for _ in kickoffs]
            for item in items:
                item.optional = True
                self.expected.append(item)
                self.counts[f"optional {item.kind}"] += 1
        elif w.visible is None:
            # A cancellation just before a follower came that ends the window: STATS
            # lower had not persisted yet, so its baseline may still hold the goal.
            late: list[Expected] = []
            trust = BRIEF_S + self._stats_lag_at(t)
            if w.until is not None and self.followed(match, w.until + trust):
                for e in bucket:
                    if e.type == "goal_cancelled" and w.until - e.at < trust:
                        h, a = _n0(e.home_score), _n0(e.away_score)
                        n = _side_n(e.type, e.side, h, a)
                        late.append(
                            Expected(e.type, match, e.side, n, (h, a), w.until, None, w, True)
                        )
            self.expected += late
            self.counts["optional cancellation before a follow"] += len(late)
            for item in items:
                if any(x.key == item.key for x in late):
                    continue
                self.skipped.setdefault(item.key, "happened unseen and was never seen after")
                self.counts[f"unobservable {item.kind}"] += 1
        elif not self.followed(match, w.visible) and not self.followed_through(match, w.visible):
            trust = BRIEF_S + self._stats_lag_at(w.visible)
            for item in items:
                if item.kind == "goal_cancelled" and self.followed(match, w.visible + trust):
                    # Followed just after: STATS lower had not persisted yet (later
                    # still while STATS lags), so the client's baseline may still
                    # hold the goal it then cancels.
                    item.optional = True
                    self.expected.append(item)
                    self.counts["optional cancellation before a follow"] += 1
                    continue
                self.skipped.setdefault(item.key, "was not followed at the time")
        elif (
            not self._followed_before(match, w.visible)
            or not self.followed(match, w.visible)
            or self._followed_just_before_kill(match, w)
        ):
            # (Seen in the step an unfollow ends, or followed just before a power cut
            # that came before the baseline was on disk: the client fires it or not.)
            for item in items:
                item.optional = True
                self.expected.append(item)
                self.counts[f"optional {item.kind}"] += 1
        else:
            for item in items:
                if item.kind == "goal_cancelled" and not self.followed(match, w.visible + BRIEF_S):
                    # Unfollowed before STATS lower could persist: fired or not.
                    item.optional = True
                    self.counts["optional cancellation before an unfollow"] += 1
                self.expected.append(item)
                if not item.optional:
                    self._count_truth(item)

    def _stats_lag_at(self, t: float) -> float:
        """How late STATS may have been at `t` (0 if not late): a lag is noted when it
        ends, up to six steps after it began."""
        return max(
            (
                float(f.detail.get("seconds", 0))
                for f in self.faults
                if f.name == "stats_lag" and t <= f.sim_t <= t + 7 * 20.0
            ),
            default=0.0,
        )

    def _followed_just_before_kill(self, match: str, w: Window) -> bool:
        """A power cut opened the window less than a save's delay (two steps) after
        every follower of the match was added: the client's first state of it (a
        baseline) may not have been written, so the restarted client starts over."""
        if "kill" not in w.cause or w.visible is None:
            return False
        m = self.matches[match]
        mine = [f for f in self.followers if f.active(w.visible) and f.covers(self.provider, m)]
        return bool(mine) and all(f.since >= w.start - 40.0 for f in mine)

    def _main_held_back(self, bucket: list[TruthEvent], w: Window) -> bool:
        """A goal just before the window's end while MAIN was held back behind STATS
        (stats_lag < 0): its own MAIN frame may come after the gap, and read live."""
        if w.visible is None:
            return False
        late = [e.at for e in bucket if e.type == "goal" and w.visible - e.at <= MAIN_HELD_BACK_S]
        return any(
            f.name == "stats_lag"
            and float(f.detail.get("seconds", 0)) < 0
            and t <= f.sim_t <= t + 7 * 20.0  # (noted when the lag ends, up to 6 steps on)
            for t in late
            for f in self.faults
        )

    def _count_truth(self, item: Expected) -> None:
        if item.kind == "goal":
            self.counts["goals expected"] += 1
            names = {True: "goals recovered", False: "goals live", None: "goals at a gap"}
            self.counts[names[item.recovered]] += 1
        elif item.kind == "goal_cancelled":
            self.counts["cancellations expected"] += 1
        else:
            self.counts[f"{item.kind} expected"] += 1

    # --- pairing ------------------------------------------------------------------------
    def _seen_key(self, s: Seen) -> Key | None:
        if s.match is None or s.kind not in KINDS:
            return None
        h, a = s.score
        side = s.side if s.kind in (*GOAL_KINDS, "red_card") else None
        n = None
        if s.kind in GOAL_KINDS and isinstance(h, int) and isinstance(a, int):
            n = _side_n(s.kind, side, h, a)
        return (s.kind, s.match, side, n)

    def _lost_to_kill(self, item: Expected) -> bool:
        """A cancellation, while Home Assistant was down after a kill, of a goal fired
        less than `tolerance` before the kill: that goal was not on disk yet."""
        if item.kind != "goal_cancelled":
            return False
        for kill_t, epoch_after, kill_sim in self.kills:
            if item.t < kill_sim:
                continue
            for s in self.seen:
                if (
                    s.kind == "goal"
                    and s.match == item.match
                    and s.side == item.side
                    and s.epoch < epoch_after
                    and kill_t - self.tolerance < s.ha_t <= kill_t
                ):
                    return True
        return False

    def _tolerated(self, extra: Seen, earlier: list[Seen]) -> bool:
        for kill_t, epoch_after, _ in self.kills:
            for first in earlier:
                if (
                    first.epoch < epoch_after <= extra.epoch
                    and kill_t - self.tolerance < first.ha_t <= kill_t
                ):
                    return True
        return False

    def compare(self, trace: Callable[[str, float], str]) -> Comparison:
        self.build()
        out = Comparison(counts=self.counts)
        expected: dict[Key, list[Expected]] = defaultdict(list)
        for item in sorted(self.expected, key=lambda x: x.t):
            expected[item.key].append(item)
        seen: dict[Key, list[Seen]] = defaultdict(list)
        for s in self.seen:
            if (key := self._seen_key(s)) is not None:
                seen[key].append(s)
                out.counts[f"{s.kind} fired"] += 1

        def bad(kind: str, match: str, t: float, what: str) -> None:
            out.counts[kind] += 1
            out.mismatches.append(Mismatch(kind, match, t, what, trace(match, t)))

        lost: list[Expected] = []
        extra: list[tuple[Seen, list[Seen], int]] = []  # (event, its key's events, wanted)
        for key in sorted(set(expected) | set(seen), key=str):
            wanted, fired = expected.get(key, []), seen.get(key, [])
            pairs, missing, left = _pair(wanted, fired)
            for item, s in pairs:
                self._check_pair(item, s, bad)
            lost += [item for item in missing if not item.optional]
            extra += [(s, fired, len(wanted)) for s in left]
        # A goal fired with another score than its own (a jump of two goals, both
        # showing the score after the second): counted once, but the score is wrong.
        for item in list(lost):
            if item.kind not in GOAL_KINDS:
                continue
            twin = next(
                (
                    x
                    for x in extra
                    if x[0].kind == item.kind
                    and x[0].match == item.match
                    and x[0].side == item.side
                    and item.t - 1.0 <= x[0].sim_t <= item.t + 2 * MAIN_HELD_BACK_S
                ),
                None,
            )
            if twin is None:
                continue
            lost.remove(item)
            extra.remove(twin)
            s = twin[0]
            self._check_pair(item, s, bad)
            bad("score wrong", item.match, item.t, f"{item.describe()}; {s.describe()}")
        for item in lost:
            if self._lost_to_kill(item):
                out.counts[f"tolerated loss after a kill {item.kind}"] += 1
                continue
            bad(f"{item.kind} lost", item.match, item.t, item.describe() + "; never fired")
        for s, fired, count in extra:
            kind, match = s.kind, s.match or "?"
            if s.at_follow:
                # Following a match the tracker already knew (followed before, then
                # unfollowed): what changed meanwhile fires, though nobody followed it.
                what = f"{s.describe()}: fired when the match was followed (again)"
                bad(f"{kind} fired at follow", match, s.sim_t, what)
                continue
            earlier = [x for x in fired if x.sim_t <= s.sim_t and x is not s]
            if earlier:
                if self._tolerated(s, earlier):
                    out.counts[f"tolerated replay {kind}"] += 1
                    continue
                what = f"{s.describe()}: fired {len(fired)}x, expected {count}x"
                bad(f"{kind} duplicated", match, s.sim_t, what)
            else:
                key = self._seen_key(s)
                why = self.skipped.get(key, "never happened") if key else "never happened"
                bad(f"{kind} false", match, s.sim_t, f"{s.describe()}: the truth {why}")
        return out

    def _check_pair(self, item: Expected, s: Seen, bad: Callable[..., None]) -> None:
        if item.kind not in GOAL_KINDS:
            return
        recovered = s.data.get("recovered")
        # The flag is asked of goals; for cancellations it is reported only.
        prefix = "recovered" if item.kind == "goal" else "cancellation recovered"
        if "recovered" not in s.data:
            bad(f"{prefix} absent", item.match, item.t, s.describe())
        elif item.recovered is True and recovered is not True:
            bad(f"{prefix} missing", item.match, item.t, f"{item.describe()}; {s.describe()}")
        elif item.recovered is False and recovered is not False:
            bad(f"{prefix} spurious", item.match, item.t, f"{item.describe()}; {s.describe()}")
        if item.kind == "goal" and item.recovered is False and tuple(s.score) != item.score:
            bad("score wrong", item.match, item.t, f"{item.describe()}; {s.describe()}")
        devices = self.devices(s)
        # A follower that can place the match only through the MAIN frame of this
        # very moment is named or not, by which witness came first (STATS or MAIN).
        placed_before = self.devices(s, at=item.t - 0.001)
        named = set(s.data.get("device_ids") or ())
        if not placed_before & devices <= named <= devices:
            what = (
                f"{s.describe()}: device_ids {sorted(s.data.get('device_ids') or ())}, "
                f"followers' devices {sorted(devices)}"
            )
            bad("followers wrong", item.match, item.t, what)


def _pair(
    wanted: list[Expected], fired: list[Seen]
) -> tuple[list[tuple[Expected, Seen]], list[Expected], list[Seen]]:
    """Each moment that must fire takes the first event fired for it at or after it
    happened; then each event left goes to the latest optional moment at or before
    it, if no other moment of its kind happened between (an early optional moment
    must not take a later one's event)."""
    free = sorted(fired, key=lambda s: s.sim_t)
    pairs: list[tuple[Expected, Seen]] = []
    lost: list[Expected] = []
    for item in sorted((w for w in wanted if not w.optional), key=lambda x: x.t):
        match = next((s for s in free if s.sim_t >= item.t - 1.0), None)
        if match is None:
            lost.append(item)
        else:
            free.remove(match)
            pairs.append((item, match))
    optional = sorted((w for w in wanted if w.optional), key=lambda x: x.t)
    # An optional moment's event comes before the next moment of its kind happened.
    until = {id(w): min((x.t for x in wanted if x.t > w.t), default=math.inf) for w in optional}
    for s in list(free):
        item = next((w for w in reversed(optional) if w.t - 1.0 <= s.sim_t < until[id(w)]), None)
        if item is not None:
            optional.remove(item)
            free.remove(s)
            pairs.append((item, s))
    return pairs, lost + optional, free


def describe_truth(e: TruthEvent) -> str:
    side = f" {e.side}" if e.side else ""
    return f"truth {e.type}{side} {e.home_score}-{e.away_score} at sim {e.at:.0f}s ({e.minute}')"


def summarize(counts: Counter[str], keys: Iterable[str]) -> dict[str, Any]:
    return {k: counts.get(k, 0) for k in keys}
