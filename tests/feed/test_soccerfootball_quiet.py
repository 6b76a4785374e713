"""SoccerFootball.info: the short ways for STATS frames that tell nothing new.

Every short way (`soccerfootball_quiet.py`, `SoccerFootballParser.documented_again`,
the client's follow memo and frame time) must give what the whole way gives. The
whole way here is a parser that takes every frame through `feed_other` and every
STATS update through `_stats_whole`, and a client that asks its targets each
time; both sides get the same frames (seeded streams of documented snapshots,
their clocks and scores moving, with MAIN frames, batches, realtime updates,
replays, stale and odd frames between) and must give the same matches (with how
they came: `announced`, `settling`), events, counters and saved state. The one
difference allowed: the whole way says a match changed when the same snapshot
came again, the short way does not (nothing shows anything new).
"""

import random
from typing import Any, override

import pytest

from custom_components.live_scores.feed.api import Credentials, Targets
from custom_components.live_scores.feed.model import Provider
from custom_components.live_scores.feed.soccerfootball import SoccerFootballClient
from custom_components.live_scores.feed.soccerfootball_parser import SoccerFootballParser
from custom_components.live_scores.feed.soccerfootball_sockets import Conn
from custom_components.live_scores.feed.tracker import Tracker

T0 = 1_705_312_800_000
MATCHES = ("m1", "m2", "m3")
LEAGUE = "lg1"
COUNTERS = ("duplicates", "unknown", "malformed", "unattributed", "stale")


class WholeParser(SoccerFootballParser):
    """The whole way for every frame: no short way is taken."""

    @override
    def documented_again(self, frame: dict[str, Any]) -> bool | None:
        return None

    @override
    def _stats(
        self, match_id: str, league_id: Any, data: dict[str, Any], raw_ts: int | None
    ) -> list[str]:
        return self._stats_whole(match_id, league_id, data, raw_ts)


class Counting(SoccerFootballParser):
    """The parser as it is, counting the frames that went the whole way."""

    def __init__(self) -> None:
        super().__init__()
        self.whole = 0

    @override
    def _stats_whole(
        self, match_id: str, league_id: Any, data: dict[str, Any], raw_ts: int | None
    ) -> list[str]:
        self.whole += 1
        return super()._stats_whole(match_id, league_id, data, raw_ts)


def documented(match_id: str, ts: Any, n: int, **data: Any) -> dict[str, Any]:
    """A `stats_update` as PROTOCOLS.md documents it."""
    return {
        "type": "event",
        "channel": "STATS",
        "scope": "match",
        "id": match_id,
        "eventType": "stats_update",
        "eventId": f"e{n}",
        "ts": ts,
        "data": data,
    }


class Stream:
    """Seeded frames: mostly snapshots telling nothing new, and all that breaks the runs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - seeded, not secret
        self.ts = T0
        self.n = 0
        self.sent: list[dict[str, Any]] = []
        # The live matches (a match that ended gives its place to a new one) and
        # what STATS says of each.
        self.live = list(MATCHES)
        self.snap: dict[str, dict[str, Any]] = {m: _kick_off() for m in MATCHES}
        self.phases: list[tuple[str, str]] = []  # (match, MAIN event) STATS showed
        self.minute: dict[str, int] = {}  # each match's clock

    def _ended(self, match_id: str) -> None:
        slot = self.live.index(match_id)
        new = f"{MATCHES[slot]}.{self.n}"
        self.live[slot] = new
        self.snap[new] = _kick_off()

    def frames(self, count: int) -> list[dict[str, Any]]:
        return [self.frame() for _ in range(count)]

    def frame(self) -> dict[str, Any]:
        rng = self.rng
        self.n += 1
        self.ts += rng.choice((1, 700, 3000, 7000, 20_000, 20_000, 61_000, 95_000))
        roll = rng.random()
        if roll < 0.03 and self.sent:
            return dict(rng.choice(self.sent[-30:]))  # a replay (two sockets, a resend)
        if roll < 0.07:
            frame = self.main()
        elif roll < 0.09:
            frame = self.batch()
        elif roll < 0.10:
            frame = self.realtime()
        elif roll < 0.11:
            frame = rng.choice(
                (
                    {"type": 5},
                    {"type": "event", "eventType": "odds_update", "eventId": f"o{self.n}"},
                    {"type": "event", "eventType": "stats_update", "data": [1]},
                    {"type": "goal"},
                )
            )
        else:
            frame = self.snapshot()
        self.sent.append(frame)
        return frame

    def snapshot(self) -> dict[str, Any]:
        rng = self.rng
        match_id = rng.choice(self.live)
        snap = self.snap[match_id]
        self.move(match_id, snap)
        ts: Any = self.ts
        odd = rng.random()
        if odd < 0.03:
            ts = self.ts - rng.randrange(1, 200_000)  # stale
        elif odd < 0.04:
            ts = self.ts + 2 * 86_400_000  # implausibly far ahead
        elif odd < 0.05:
            ts = rng.choice((float(self.ts), None, True, "x", 10**16, -5))
        frame = documented(match_id, ts, self.n, **snap)
        if odd > 0.98:
            frame["data"]["timer"] = str(self.minute.get(match_id, 1) - 1)  # an old snapshot again
        shape = rng.random()
        if shape < 0.02:
            frame["leagueId"] = rng.choice((LEAGUE, match_id, 7))
        elif shape < 0.03:
            frame["data"] = {**snap, "matchId": rng.choice(self.live)}
        elif shape < 0.035:
            frame["match_id"] = match_id
        elif shape < 0.04:
            frame["scope"] = "league"
        elif shape < 0.045:
            del frame["channel"]
        elif shape < 0.05:
            frame["eventId"] = rng.choice((5, None, "", "e" * 70, ["x"]))
        elif shape < 0.055:
            frame["id"] = rng.choice((1, None, ["m1"], "m" * 70))
        if snap["status"] == "FINISHED":
            self._ended(match_id)
        return frame

    def move(self, match_id: str, snap: dict[str, Any]) -> None:
        """What changes in a match between two snapshots (mostly nothing, or the clock)."""
        rng = self.rng
        move = rng.random()
        timer = self.minute.get(match_id, 1)
        if snap["status"] == "HALF_TIME":
            if move < 0.2:  # the second half starts
                self.minute[match_id] = 46
                snap.update(status="IN_PLAY", timer="46")
                self.phases.append((match_id, "second_half_start"))
        elif move < 0.25:
            self.minute[match_id] = minute = timer + rng.choice((1, 1, 1, 1, 1, 1, 2, 0))
            snap["timer"] = str(minute)
            if timer < 45 <= minute and rng.random() < 0.8:
                self.minute[match_id] = 45
                snap.update(status="HALF_TIME", timer="45")
                self.phases.append((match_id, "halftime"))
            elif minute > 90:
                snap["status"] = "FINISHED"
                self.phases.append((match_id, "match_end"))
        elif move < 0.28:
            home, away = (int(v) for v in snap["score"].split(";"))
            if rng.random() < 0.7:
                home, away = (home + 1, away) if rng.random() < 0.5 else (home, away + 1)
            else:
                home = max(0, home - 1)
            snap["score"] = f"{home};{away}"
        elif move < 0.285:
            snap["status"] = rng.choice(("IN_PLAY", "2nd half", "SUSPENDED", None, "odd"))
        elif move < 0.29:
            snap["status"] = "IN_PLAY"
        elif move < 0.30:
            snap["extraTimer"] = rng.choice((None, "2", 3))
        elif move < 0.31:
            snap["redCards"] = rng.choice(("0;0", "1;0", "1;1"))
        elif move < 0.33:
            snap["shotsOnTarget"] = f"{rng.randrange(5)};{rng.randrange(5)}"
        elif move < 0.40:
            snap["possession"] = f"{rng.randrange(100)};50"  # (not read: nothing new)
        elif move < 0.405:
            snap["timer"] = rng.choice((f"{timer}+2", timer, "x", None))
        elif move < 0.415:
            snap["totalShots"] = f"{rng.randrange(9)};{rng.randrange(9)}"  # (may come now)
        elif move < 0.42:
            snap.pop(rng.choice(("shotsOnTarget", "totalShots", "redCards", "extraTimer")), None)
        elif move < 0.425:
            snap["shotsOnTarget"] = rng.choice(("x;1", None, "2;2", 3))
        if move < 0.25 and rng.random() < 0.15:  # (a shot as the clock moves on)
            snap["totalShots"] = f"{rng.randrange(9)};{rng.randrange(9)}"

    def main(self) -> dict[str, Any]:
        rng = self.rng
        match_id = rng.choice(self.live)
        kind = rng.choice(("match_start", "goal", "goal", "goal", "goal"))
        if self.phases and rng.random() < 0.8:
            match_id, kind = self.phases.pop(0)  # (MAIN on what STATS showed)
        elif rng.random() < 0.03:
            kind = rng.choice(("halftime", "second_half_start", "match_end"))
        snap = self.snap[match_id]
        minute = self.minute.get(match_id, 1) + rng.choice((0, 0, 1, -3))
        data: dict[str, Any] = {"timer": str(minute)}
        if kind == "match_start":
            number = self.live.index(match_id)
            data.update(
                teamA={"id": f"t{number}a", "name": f"Home {number}"},
                teamB={"id": f"t{number}b", "name": f"Away {number}"},
                championship={"id": LEAGUE, "name": "League"},
            )
        elif kind == "goal":
            data["team"] = rng.choice(("A", "B"))
            if rng.random() < 0.6:
                data["score"] = snap["score"]
        elif kind == "match_end":
            data["finalScore"] = snap["score"]
        else:
            data["score"] = snap["score"]
        frame: dict[str, Any] = {
            "type": kind,
            "matchId": match_id,
            "leagueId": LEAGUE,
            "ts": self.ts - rng.choice((0, 0, 5000)),
            "data": data,
        }
        if rng.random() < 0.5:
            frame["eventId"] = f"main{self.n}"
        if kind == "match_end" and match_id in self.live:
            self._ended(match_id)
        return frame

    def batch(self) -> dict[str, Any]:
        items = [{**self.snap[m], "matchId": m} for m in self.live if self.rng.random() < 0.7]
        return {
            "type": "event",
            "channel": "STATS",
            "scope": "all",
            "eventType": "batch_update",
            "eventId": f"b{self.n}",
            "ts": self.ts,
            "data": items if self.rng.random() < 0.5 else {"matches": items},
        }

    def realtime(self) -> dict[str, Any]:
        match_id = self.rng.choice(self.live)
        changed = [{"stat": k, "value": v} for k, v in self.snap[match_id].items()]
        return {
            "type": "stats_update_realtime",
            "matchId": match_id,
            "ts": self.ts,
            "data": {"changedStats": self.rng.sample(changed, self.rng.randrange(1, 4))},
        }


def _kick_off() -> dict[str, Any]:
    return {
        "timer": "1",
        "extraTimer": None,
        "status": "IN_PLAY",
        "score": "0;0",
        "possession": "50;50",
        "shotsOnTarget": "0;0",
        "redCards": "0;0",
    }


def shown(parser: SoccerFootballParser) -> list[Any]:
    """Everything a parser shows: its matches (with how they came), counters, saved state."""
    matches = [repr(parser.match(m)) for m in sorted(parser.states)]
    counters = [getattr(parser, name) for name in COUNTERS]
    heard = [parser.heard(m) for m in sorted(parser.states)]
    return [matches, counters, heard, parser.identities(set(parser.states))]


class Wired:
    """A parser and a tracker, as the client wires them (events by their repr)."""

    def __init__(self, parser: SoccerFootballParser) -> None:
        self.parser = parser
        self.tracker = Tracker()
        self.changed: list[str] = []

    def __call__(self, frame: dict[str, Any]) -> list[Any]:
        out: list[Any] = []
        self.changed = self.parser.feed(frame)
        for match_id in self.changed:
            if match_id not in self.tracker and (pre := self.parser.take_pre_match(match_id)):
                out += [repr(e) for e in self.tracker.update(pre)]
            for step in self.parser.take_intermediate(match_id):
                out += [repr(e) for e in self.tracker.update(step)]
            match = self.parser.match(match_id)
            assert match is not None
            out += [repr(e) for e in self.tracker.update(match)]
        return out


def same_as_whole(quick: Wired, whole: Wired, frame: dict[str, Any]) -> bool:
    """The frame through both: the same events and matches; a match the whole way
    says changed and the short way does not shows the same (the same snapshot again)."""
    before = {m: whole.parser.match(m) for m in whole.parser.states}
    if quick(frame) != whole(frame) or shown(quick.parser) != shown(whole.parser):
        return False
    unsaid = set(whole.changed) - set(quick.changed)
    return set(quick.changed) <= set(whole.changed) and all(
        before.get(m) == whole.parser.match(m) for m in unsaid
    )


@pytest.mark.parametrize("seed", range(6))
def test_the_parser_gives_what_the_whole_way_gives(seed: int) -> None:
    stream = Stream(seed)
    quick, whole = Wired(Counting()), Wired(WholeParser())
    for n, frame in enumerate(stream.frames(3000)):
        assert same_as_whole(quick, whole, frame), (seed, n, frame)
    assert quick.tracker.snapshot() == whole.tracker.snapshot()
    # The short ways were taken, most of the time.
    assert isinstance(quick.parser, Counting)
    assert quick.parser.whole < 0.5 * stream.n


def test_each_short_way_is_taken_and_gives_what_the_whole_way_gives() -> None:
    """The same snapshot again; again with a value not read changed; the clock a
    minute on (its text alone changed, and with a value not read changed too); a
    replay of one of them; the shots (alone, with the clock, not readable). None
    goes the whole way, and each shows what the whole way shows."""
    base = {"timer": "30", "status": "IN_PLAY", "score": "1;0", "redCards": "0;0"}
    base |= {"extraTimer": None, "shotsOnTarget": "0;0", "totalShots": "1;0"}
    frames = [
        documented("m1", T0, 1, **base),
        documented("m1", T0 + 20_000, 2, **base),
        documented("m1", T0 + 40_000, 3, **base, possession="60;40"),
        documented("m1", T0 + 60_000, 4, **{**base, "timer": "31"}, possession="60;40"),
        documented("m1", T0 + 80_000, 5, **{**base, "timer": "32"}, possession="61;39"),
        documented("m1", T0 + 80_000, 5, **{**base, "timer": "32"}, possession="61;39"),
        documented("m1", T0 + 100_000, 6, **{**base, "timer": "32"}, possession="61;39"),
        # A shot, then one as the clock moves on, then one not readable.
        documented("m1", T0 + 120_000, 7, **{**base, "timer": "32", "shotsOnTarget": "1;0"}),
        documented("m1", T0 + 140_000, 8, **{**base, "timer": "33", "shotsOnTarget": "2;0"}),
        documented("m1", T0 + 160_000, 9, **{**base, "timer": "33", "shotsOnTarget": "x"}),
    ]
    quick, whole = Wired(Counting()), Wired(WholeParser())
    for frame in frames:
        assert same_as_whole(quick, whole, frame)
    assert isinstance(quick.parser, Counting)
    assert quick.parser.whole == 1  # (the first frame of the match only)
    assert quick.parser.duplicates == 1
    match = quick.parser.match("m1")
    assert match is not None
    assert (match.minute, match.clock, match.home.score) == (33, "33'", 1)
    assert match.home.shots_on_target == 2  # (the unreadable pair changed nothing)


def test_a_clock_gone_at_minute_45_is_no_minute_on() -> None:
    """At 45 no timer is "a minute on" (half-time may come): a snapshot without
    its timer there leaves the clock at 45, as the whole way does."""
    base = {"status": "IN_PLAY", "score": "0;0", "redCards": "0;0"}
    quick, whole = Wired(Counting()), Wired(WholeParser())
    for frame in (
        documented("m1", T0, 1, timer="44", **base),
        documented("m1", T0 + 60_000, 2, timer="45", **base),
        documented("m1", T0 + 80_000, 3, timer=None, **base),
    ):
        assert same_as_whole(quick, whole, frame)
    match = quick.parser.match("m1")
    assert match is not None
    assert match.clock == "45'"


def test_a_short_way_is_not_taken_after_any_other_frame() -> None:
    """After a MAIN frame (here a goal confirming the score, with its own clock)
    the next snapshot goes the whole way: the goal's clock is not kept behind it."""
    base = {"timer": "30", "status": "IN_PLAY", "score": "1;0", "redCards": "0;0"}
    frames = [
        documented("m1", T0, 1, **base),
        {
            "type": "goal",
            "matchId": "m1",
            "ts": T0 + 1000,
            "data": {"score": "1;0", "team": "A", "timer": "31"},
        },
        documented("m1", T0 + 20_000, 2, **base),
    ]
    quick, whole = Wired(Counting()), Wired(WholeParser())
    for frame in frames:
        assert quick(frame) == whole(frame)
        assert shown(quick.parser) == shown(whole.parser)
    match = quick.parser.match("m1")
    assert match is not None
    assert match.clock == "30'"
    assert isinstance(quick.parser, Counting)
    assert quick.parser.whole == 2


class Listened:
    """What a client told its listener, in order (by repr)."""

    def __init__(self) -> None:
        self.told: list[Any] = []

    def on_matches(self, matches: Any) -> None:
        self.told.append(("matches", [repr(m) for m in matches]))

    def on_events(self, events: Any) -> None:
        self.told.append(("events", [repr(e) for e in events]))

    def on_connection(self, state: Any, error: Any) -> None:
        self.told.append(("connection", state, error))

    def on_state_changed(self) -> None:
        self.told.append(("state",))


class WholeClient(SoccerFootballClient):
    """The client the whole way: its parser takes no short way, it asks its targets each time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parser = WholeParser()

    @override
    def _follows(self, match_id: str) -> bool:
        home, away, league = self._parser.ids(match_id)
        home_name, away_name = self._parser.names(match_id)
        return self._targets.follows(match_id, home, away, league, home_name, away_name)


TARGETS = (
    Targets(matches=frozenset({"m1"})),
    Targets(teams=frozenset({"t1a"})),
    Targets(competitions=frozenset({LEAGUE})),
    Targets(teams=frozenset({"x"}), team_names=frozenset({"away 2"})),
    Targets(matches=frozenset(MATCHES)),
)


async def _handle(client: SoccerFootballClient, frame: dict[str, Any]) -> None:
    conn = Conn(None, None)  # type: ignore[arg-type]
    client._on_frame(conn, frame)


@pytest.mark.parametrize("seed", range(4))
async def test_the_client_gives_what_the_whole_way_gives(seed: int) -> None:
    """Targets change now and then (by match, team, league, team name) and a
    reconnect opens a catch-up window: the listener hears the same either way."""
    rng = random.Random(seed)  # noqa: S311 - seeded, not secret
    stream = Stream(100 + seed)
    credentials = Credentials(Provider.SOCCERFOOTBALL, "quiet")
    heard, heard_whole = Listened(), Listened()
    client = SoccerFootballClient(credentials, None, heard)  # type: ignore[arg-type]
    whole = WholeClient(credentials, None, heard_whole)  # type: ignore[arg-type]
    try:
        for n, frame in enumerate(stream.frames(3000)):
            if n % 250 == 0:
                targets = rng.choice(TARGETS)
                client.set_targets(targets)
                whole.set_targets(targets)
            if n % 700 == 350:
                for c in (client, whole):
                    c._connected()  # (a catch-up window on the service's clock)
            await _handle(client, frame)
            await _handle(whole, frame)
            assert heard.told == heard_whole.told, (seed, n, frame)
            assert (client._catch_up is None) == (whole._catch_up is None), (seed, n)
        assert client.tracker_state() == whole.tracker_state()
        assert client.diagnostics()["parser"] == whole.diagnostics()["parser"]
        assert client._newest_ts == whole._newest_ts
        assert sum(1 for told in heard.told if told[0] == "events") > 0
    finally:
        for c in (client, whole):
            if c._catch_up is not None:
                c._catch_up.cancel()


async def test_a_match_followed_later_is_taken_as_it_stands() -> None:
    """A goal announced again while nobody followed the match (the first was ruled
    out) is no news once the match is followed: no cancellation, no second goal."""
    heard = Listened()
    client = SoccerFootballClient(Credentials(Provider.SOCCERFOOTBALL, "q"), None, heard)  # type: ignore[arg-type]
    client.set_targets(Targets(matches=frozenset({"other"})))
    base = {"status": "IN_PLAY", "redCards": "0;0"}
    goal = {"type": "goal", "matchId": "m1", "data": {"score": "1;0", "team": "A"}}
    for frame in (
        documented("m1", T0, 1, timer="10", score="0;0", **base),
        {**goal, "ts": T0 + 60_000, "data": {**goal["data"], "timer": "11"}},
        documented("m1", T0 + 70_000, 2, timer="11", score="1;0", **base),
        {**goal, "ts": T0 + 600_000, "data": {**goal["data"], "timer": "20"}},
        documented("m1", T0 + 620_000, 3, timer="20", score="1;0", **base),
    ):
        await _handle(client, frame)
    client.set_targets(Targets(matches=frozenset({"m1"})))
    await _handle(client, documented("m1", T0 + 680_000, 4, timer="21", score="1;0", **base))
    assert [told for told in heard.told if told[0] == "events"] == []
    match = client._parser.match("m1")
    assert match is not None
    assert (match.home.score, match.clock) == (1, "21'")


async def test_who_plays_is_asked_again_after_a_frame_that_may_tell_it() -> None:
    """Followed by a team: the match is not followed while its teams are unknown
    (the answer is kept through the snapshots), and is once `match_start` names them."""
    heard = Listened()
    client = SoccerFootballClient(Credentials(Provider.SOCCERFOOTBALL, "q"), None, heard)  # type: ignore[arg-type]
    client.set_targets(Targets(teams=frozenset({"t9"})))
    base = {"status": "IN_PLAY", "score": "0;0", "redCards": "0;0"}
    for n, timer in enumerate(("5", "6", "7")):
        await _handle(client, documented("m1", T0 + n * 60_000, n, timer=timer, **base))
    assert heard.told == []
    state = client._parser.states["m1"]
    assert state.followed == (client._targets, False)
    start = {"teamA": {"id": "t9", "name": "Nine"}, "teamB": {"id": "t8", "name": "Eight"}}
    await _handle(
        client, {"type": "match_start", "matchId": "m1", "ts": T0 + 200_000, "data": start}
    )
    await _handle(client, documented("m1", T0 + 240_000, 9, timer="8", **base))
    await _handle(client, documented("m1", T0 + 300_000, 10, timer="9", **base))
    told = [m for kind, *rest in heard.told if kind == "matches" for m in rest[0]]
    assert told
    assert 'clock="9\'"' in told[-1]
