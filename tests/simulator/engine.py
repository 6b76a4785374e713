"""The match engine: scripted moments applied to match states on the simulator clock.

A `MatchSpec` compiles into periods (play or break) and a time-ordered list of
`Moment`s, each at a number of match seconds after kick-off. The engine applies
the moments that are due and reports what happened as `TruthEvent`s. Formatting
for the wire lives in sap_format.py and sf_format.py.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import math
import random
from typing import Any

from .scenario import SPORT_IDS, MatchSpec, MomentSpec, Scenario
from .truth import TruthEvent

TENNIS_POINTS = (0, 15, 30, 40, 50)  # 50 = advantage, as in 365Scores "Game" stage
# Sports played in sets, without a clock (a set lasts as long as it lasts).
SET_SPORTS = ("tennis", "volleyball")
# Sports without a running match clock on the wire.
UNCLOCKED = ("tennis", "volleyball", "baseball")
# What one generated scoring moment is worth, by sport (auto = {...}).
AUTO_POINTS = {
    "basketball": (2, 2, 2, 3, 1),
    "american-football": (7, 7, 3, 6, 2),
    "rugby": (5, 7, 3, 3),
    "baseball": (1, 1, 1, 2),
}
ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th")


@dataclass(slots=True)
class Period:
    label: str  # statusText while it runs
    short: str
    kind: str  # "play" | "break"
    start_at: float  # match seconds after kick-off
    length: float  # seconds (math.inf: open-ended)
    clock_start: float = 0.0  # match clock minutes at the start
    nominal: float = 0.0  # regular minutes (stoppage beyond this shows as added time)
    enter: str = "period_start"  # truth event type when it begins


@dataclass(slots=True)
class Moment:
    at: float  # match seconds after kick-off
    type: str
    spec: MomentSpec | None = None
    period: int = -1  # for "period" moments
    priority: int = 0  # order among moments at the same time (scripted first)


def _periods(spec: MatchSpec) -> list[Period]:
    out: list[Period] = []
    t = 0.0

    def play(  # noqa: PLR0917
        label: str, short: str, clock: float, nominal: float, extra: float, enter: str
    ) -> None:
        nonlocal t
        length = (nominal + extra) * 60
        out.append(Period(label, short, "play", t, length, clock, nominal, enter))
        t += length

    def pause(label: str, short: str, minutes: float, enter: str) -> None:
        nonlocal t
        out.append(Period(label, short, "break", t, minutes * 60, enter=enter))
        t += minutes * 60

    if spec.sport == "football":
        play("1st Half", "1st", 0, 45, spec.added_time[0], "kickoff")
        pause("Halftime", "HT", spec.halftime_minutes, "halftime")
        play("2nd Half", "2nd", 45, 45, spec.added_time[1], "second_half")
        if spec.extra_time:
            pause("Break", "Brk", spec.break_minutes, "period_end")
            play("Extra Time", "ET", 90, 30, 0, "extra_time")
        if spec.penalties:
            kicks = sum(1 for m in spec.moments if m.type == "shootout")
            out.append(Period("Penalties", "Pen", "play", t, (kicks + 1) * 60, 120, 0, "penalties"))
            t += (kicks + 1) * 60
    elif spec.sport == "basketball":
        q = spec.period_minutes or 12
        names = ("1st Quarter", "2nd Quarter", "3rd Quarter", "4th Quarter")
        for i, name in enumerate(names):
            enter = ("kickoff", "period_start", "second_half", "period_start")[i]
            play(name, f"Q{i + 1}", i * q, q, 0, enter)
            if i == 1:
                pause("Halftime", "HT", spec.halftime_minutes, "halftime")
            elif i != 3:
                pause("Break", "Brk", spec.break_minutes, "period_end")
    elif spec.sport == "hockey":
        p = spec.period_minutes or 20
        for i, name in enumerate(("1st Period", "2nd Period", "3rd Period")):
            play(name, f"P{i + 1}", i * p, p, 0, "kickoff" if i == 0 else "period_start")
            if i != 2:
                pause("Break", "Brk", spec.break_minutes, "period_end")
    elif spec.sport in ("handball", "rugby"):
        half = spec.period_minutes or (30 if spec.sport == "handball" else 40)
        play("1st Half", "1st", 0, half, 0, "kickoff")
        pause("Halftime", "HT", spec.halftime_minutes, "halftime")
        play("2nd Half", "2nd", half, half, 0, "second_half")
    elif spec.sport == "american-football":
        q = spec.period_minutes or 15
        for i, name in enumerate(("1st Quarter", "2nd Quarter", "3rd Quarter", "4th Quarter")):
            enter = ("kickoff", "period_start", "second_half", "period_start")[i]
            play(name, f"Q{i + 1}", i * q, q, 0, enter)
            if i == 1:
                pause("Halftime", "HT", spec.halftime_minutes, "halftime")
            elif i != 3:
                pause("End of Quarter", "EOQ", spec.break_minutes, "period_end")
    elif spec.sport == "baseball":
        # Nine innings, each a top and a bottom half (three outs each) on a nominal clock.
        half = spec.period_minutes or 6
        for inning in range(9):
            for j, part in enumerate(("Top", "Bottom")):
                at = (inning * 2 + j) * half
                enter = "kickoff" if at == 0 else "period_start"
                play(f"{part} {ORDINALS[inning]}", f"{part[0]}{inning + 1}", at, half, 0, enter)
    elif spec.sport in SET_SPORTS:
        out.append(Period("Set 1", "S1", "play", 0, math.inf, enter="kickoff"))
    return out


def _at(spec: MatchSpec, periods: list[Period], m: MomentSpec) -> float:
    plays = [p for p in periods if p.kind == "play"]
    if spec.sport in SET_SPORTS:
        return m.minute * 60
    for p in plays:
        if p.clock_start <= m.minute <= p.clock_start + p.nominal:
            return p.start_at + (m.minute - p.clock_start + m.added) * 60
    msg = f"match {spec.key}: minute {m.minute} is outside the match"
    raise ValueError(msg)


def compile_match(spec: MatchSpec) -> tuple[list[Period], list[Moment]]:
    periods = _periods(spec)
    moments: list[Moment] = []
    if spec.outcome != "play":
        return periods, [Moment(0, spec.outcome)]
    for i, p in enumerate(periods):
        moments.append(Moment(p.start_at, "period", period=i, priority=1))
    shootout = [m for m in spec.moments if m.type == "shootout"]
    pen = next((p for p in periods if p.label == "Penalties"), None)
    for m in spec.moments:
        if m.type == "shootout":
            if pen is None:
                msg = f"match {spec.key}: shootout kick without penalties = true"
                raise ValueError(msg)
            moments.append(Moment(pen.start_at + 30 + 60 * shootout.index(m), m.type, m))
        else:
            moments.append(Moment(_at(spec, periods, m), m.type, m))
    if spec.auto is not None:
        rng = random.Random(spec.auto.seed)  # noqa: S311
        kind = {"football": "goal", "hockey": "goal", "handball": "goal", "tennis": "point"}
        kind["volleyball"] = "point"
        points = AUTO_POINTS.get(spec.sport, (1,))
        for p in periods:
            if p.kind != "play" or p.label == "Penalties":
                continue
            t = p.start_at + spec.auto.every
            end = p.start_at + (p.length if p.length != math.inf else 4000 * spec.auto.every)
            while t < end:
                side = rng.choice(("home", "away"))
                pts = rng.choice(points)
                ms = MomentSpec(minute=0, type=kind.get(spec.sport, "score"), side=side, points=pts)
                moments.append(Moment(t, ms.type, ms))
                t += spec.auto.every
    end = periods[-1].start_at + periods[-1].length
    if end != math.inf:
        moments.append(Moment(end, "full_time", priority=2))
    moments.sort(key=lambda m: (m.at, m.priority))
    return periods, moments


@dataclass(slots=True)
class ScoredEvent:
    """An entry of the 365Scores `events[]` list."""

    side: str
    minute: int
    added: int
    type_id: int
    name: str
    sub: str
    player: str | None
    order: int
    goal_number: int | None = None  # which goal of the match (for VAR)


@dataclass(slots=True)
class MatchState:
    """A match as it stands now. Mutated only by the engine."""

    spec: MatchSpec
    key: str
    sap_id: int
    sf_id: str
    sf_rt_id: str  # MAIN_REALTIME uses a different id space
    kickoff_at: float  # simulator clock
    periods: list[Period]
    moments: list[Moment]
    start_wall: str  # ISO start time for startTime/startDate
    next_moment: int = 0
    status: str = (
        "scheduled"  # scheduled live break finished postponed cancelled abandoned suspended
    )
    period: int = -1
    home_score: int | None = None
    away_score: int | None = None
    red: list[int] = field(default_factory=lambda: [0, 0])
    yellow: list[int] = field(default_factory=lambda: [0, 0])
    events: list[ScoredEvent] = field(default_factory=list)
    goals: list[tuple[str, bool]] = field(default_factory=list)  # (side, cancelled)
    ht_score: tuple[int, int] | None = None
    regulation_score: tuple[int, int] | None = None
    pens: list[int] = field(default_factory=lambda: [0, 0])
    sets: list[list[int]] = field(default_factory=list)  # tennis: games per set; volleyball: points
    innings: list[list[int]] = field(default_factory=list)  # baseball: runs per inning
    points: list[int] = field(default_factory=lambda: [0, 0])  # tennis: index into TENNIS_POINTS
    clock_seconds: float = 0.0  # match clock
    just_ended: bool = False
    elapsed: float = 0.0
    stats: dict[str, list[float]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    ended_at: float | None = None
    scenario_id: int = 0

    @property
    def sport(self) -> str:
        return self.spec.sport

    @property
    def sport_id(self) -> int:
        return SPORT_IDS[self.sport]

    @property
    def football(self) -> bool:
        return self.sport == "football"

    @property
    def final(self) -> bool:
        return self.status in ("finished", "postponed", "cancelled", "abandoned")

    @property
    def live(self) -> bool:
        return self.status in ("live", "break", "suspended")

    @property
    def current(self) -> Period | None:
        return self.periods[self.period] if 0 <= self.period < len(self.periods) else None

    @property
    def status_text(self) -> str:
        if self.status == "scheduled":
            return "Scheduled"
        if self.status == "finished":
            if self.sport in ("basketball", "hockey", "american-football", "baseball"):
                return "Final"
            return "Just Ended" if self.just_ended else "Ended"
        if self.status not in {"live", "break"}:
            return self.status.capitalize()
        if self.sport in SET_SPORTS:
            return f"Set {len(self.sets)}"
        p = self.current
        return p.label if p else "Scheduled"

    @property
    def short_status_text(self) -> str:
        p = self.current
        if self.status in ("live", "break") and p is not None:
            return f"S{len(self.sets)}" if self.sport in SET_SPORTS else p.short
        return {"finished": "FT", "scheduled": "", "postponed": "Post.", "cancelled": "Canc."}.get(
            self.status, self.status[:4].capitalize()
        )

    def minute_parts(self) -> tuple[int, int]:
        """(minute, added minutes) of the match clock, as displayed."""
        p = next((q for q in reversed(self.periods[: self.period + 1]) if q.kind == "play"), None)
        minute = int(self.clock_seconds // 60)
        if p is not None and p.kind == "play" and p.nominal:
            end = int(p.clock_start + p.nominal)
            if minute >= end:
                return end, math.ceil((self.clock_seconds - end * 60) / 60)
            return minute + 1 if self.clock_seconds > minute * 60 else minute, 0
        return minute, 0

    def sides(self) -> tuple[int, int]:
        return (self.home_score or 0, self.away_score or 0)

    def set_elapsed(self, elapsed: float) -> None:
        self.elapsed = elapsed
        p = self.current
        if p is not None and p.kind == "play" and self.status == "live" and p.nominal:
            self.clock_seconds = p.clock_start * 60 + min(elapsed - p.start_at, p.length)

    def event(self, type_: str, **kw: Any) -> TruthEvent:
        minute, added = self.minute_parts()
        kw.setdefault("minute", minute if self.sport not in SET_SPORTS else None)
        kw.setdefault("added", added)
        return TruthEvent(
            type=type_,
            match=self.key,
            sport=self.sport,
            sap_id=self.sap_id,
            sf_id=self.sf_id if self.football else None,
            at=self.kickoff_at + self.elapsed,
            home_score=self.home_score,
            away_score=self.away_score,
            **kw,
        )


def other(side: str) -> str:
    return "away" if side == "home" else "home"


def _idx(side: str) -> int:
    return 0 if side == "home" else 1


class Apply:
    """Applies one moment to a match; returns what happened."""

    def __init__(self, m: MatchState) -> None:
        self.m = m

    def __call__(self, mo: Moment) -> list[TruthEvent]:
        m = self.m
        if mo.type == "just_ended_off":
            m.just_ended = False
            return []
        if m.final:
            return []
        if mo.type in ("postponed", "cancelled"):
            m.status = mo.type
            return [m.event(mo.type, minute=None)]
        if mo.type == "period":
            return self.period(mo.period)
        if mo.type == "full_time":
            return self.full_time()
        spec = mo.spec
        assert spec is not None
        if m.status == "scheduled":
            return []
        handler = getattr(self, "do_" + mo.type)
        result: list[TruthEvent] = handler(spec)
        return result

    def period(self, index: int) -> list[TruthEvent]:
        m = self.m
        p = m.periods[index]
        m.period = index
        out: list[TruthEvent] = []
        if p.kind == "break":
            m.status = "break"
            if p.enter == "halftime" and m.football:
                m.ht_score = m.sides()
        else:
            if m.status == "scheduled":
                m.home_score = m.away_score = 0
                if m.sport in SET_SPORTS:
                    m.sets = [[0, 0]]
            if m.sport == "baseball" and p.label.startswith("Top"):
                m.innings.append([0, 0])
            if p.label in {"Extra Time", "Penalties"}:
                m.regulation_score = m.regulation_score or m.sides()
            m.status = "live"
            m.clock_seconds = p.clock_start * 60
        out.append(m.event(p.enter, detail={"period": p.label}))
        return out

    def full_time(self) -> list[TruthEvent]:
        m = self.m
        m.status = "finished"
        m.just_ended = True
        m.ended_at = m.kickoff_at + m.elapsed
        # Nothing scripted happens any more; "Just Ended" lasts two minutes.
        m.moments = [
            *m.moments[: m.next_moment],
            Moment(m.elapsed + 120, "just_ended_off", priority=2),
        ]
        detail: dict[str, Any] = {}
        if m.pens != [0, 0]:
            detail["penalties"] = f"{m.pens[0]};{m.pens[1]}"
        return [m.event("full_time", detail=detail)]

    def _goal(self, side: str, kind: str, scorer: str | None, points: int = 1) -> None:
        m = self.m
        if side == "home":
            m.home_score = (m.home_score or 0) + points
        else:
            m.away_score = (m.away_score or 0) + points

    def do_goal(self, s: MomentSpec) -> list[TruthEvent]:
        m = self.m
        side = s.side or "home"
        self._goal(side, s.kind, s.scorer)
        minute, added = m.minute_parts()
        sub = {"open_play": "Field Goal", "penalty": "Penalty", "own_goal": "Own Goal"}[s.kind]
        m.events.append(
            ScoredEvent(
                side, minute, added, 1, "Goal", sub, s.scorer, len(m.events) + 1, len(m.goals)
            )
        )
        m.goals.append((side, False))
        return [m.event("goal", side=side, scorer=s.scorer, kind=s.kind)]

    def do_var(self, s: MomentSpec) -> list[TruthEvent]:
        m = self.m
        for number in range(len(m.goals) - 1, -1, -1):
            side, cancelled = m.goals[number]
            if not cancelled and s.side in (None, side):
                break
        else:
            return []
        m.goals[number] = (side, True)
        if side == "home":
            m.home_score = (m.home_score or 1) - 1
        else:
            m.away_score = (m.away_score or 1) - 1
        scored = next(e for e in m.events if e.goal_number == number)
        m.events.remove(scored)
        minute, added = m.minute_parts()
        m.events.append(
            ScoredEvent(
                side, minute, added, 11, "VAR", "Goal Disallowed", scored.player, len(m.events) + 1
            )
        )
        return [
            m.event(
                "goal_cancelled",
                side=side,
                scorer=scored.player,
                detail={"goal_number": number, "goal_minute": scored.minute},
            )
        ]

    def _card(self, s: MomentSpec, red: bool) -> list[TruthEvent]:
        m = self.m
        side = s.side or "home"
        (m.red if red else m.yellow)[_idx(side)] += 1
        minute, added = m.minute_parts()
        type_id, name = (3, "Red Card") if red else (2, "Yellow Card")
        m.events.append(
            ScoredEvent(side, minute, added, type_id, name, "", s.scorer, len(m.events) + 1)
        )
        return [m.event("red_card" if red else "yellow_card", side=side, scorer=s.scorer)]

    def do_red_card(self, s: MomentSpec) -> list[TruthEvent]:
        return self._card(s, red=True)

    def do_yellow_card(self, s: MomentSpec) -> list[TruthEvent]:
        return self._card(s, red=False)

    def do_score(self, s: MomentSpec) -> list[TruthEvent]:
        side = s.side or "home"
        self._goal(side, "open_play", s.scorer, s.points)
        if self.m.innings:
            self.m.innings[-1][_idx(side)] += s.points
        return [self.m.event("score_change", side=side, detail={"points": s.points})]

    def do_shootout(self, s: MomentSpec) -> list[TruthEvent]:
        m = self.m
        side = s.side or "home"
        if s.scored:
            m.pens[_idx(side)] += 1
        detail = {"scored": s.scored, "penalties": f"{m.pens[0]};{m.pens[1]}"}
        return [m.event("shootout_kick", side=side, scorer=s.scorer, detail=detail)]

    def do_abandoned(self, s: MomentSpec) -> list[TruthEvent]:
        self.m.status = "abandoned"
        return [self.m.event("abandoned")]

    def do_suspended(self, s: MomentSpec) -> list[TruthEvent]:
        self.m.status = "suspended"
        return [self.m.event("suspended")]

    def do_resume(self, s: MomentSpec) -> list[TruthEvent]:
        self.m.status = "live"
        return [self.m.event("resumed")]

    # Tennis: points -> games -> sets; score = sets won.
    def do_point(self, s: MomentSpec) -> list[TruthEvent]:
        m = self.m
        if m.sport == "volleyball":
            return self.rally_point(s)
        i = _idx(s.side or "home")
        j = 1 - i
        tiebreak = m.sets[-1] == [6, 6]
        if tiebreak:
            m.points[i] += 1
            if m.points[i] >= 7 and m.points[i] - m.points[j] >= 2:
                return self.do_game(s)
            return []
        if m.points[i] == 3 and m.points[j] < 3:
            return self.do_game(s)
        if m.points[i] == 4 or (m.points[i] == 3 and m.points[j] == 3):
            if m.points[i] == 4:
                return self.do_game(s)
            m.points[i] = 4  # advantage
            return []
        if m.points[j] == 4:  # back to deuce
            m.points[j] = 3
            return []
        m.points[i] += 1
        return []

    def do_game(self, s: MomentSpec) -> list[TruthEvent]:
        m = self.m
        side = s.side or "home"
        i = _idx(side)
        m.points = [0, 0]
        games = m.sets[-1]
        games[i] += 1
        out = [
            m.event(
                "game_won",
                side=side,
                detail={"set": len(m.sets), "games": f"{games[0]};{games[1]}"},
            )
        ]
        g, o = games[i], games[1 - i]
        if (g >= 6 and g - o >= 2) or g == 7:
            if side == "home":
                m.home_score = (m.home_score or 0) + 1
            else:
                m.away_score = (m.away_score or 0) + 1
            out.append(
                m.event(
                    "set_won",
                    side=side,
                    detail={"set": len(m.sets), "games": f"{games[0]};{games[1]}"},
                )
            )
            if max(m.sides()) * 2 > m.spec.best_of:
                out += self.full_time()
            else:
                m.sets.append([0, 0])
        return out

    # Volleyball: rally points -> sets (25, the deciding set 15, two clear); score = sets won.
    def rally_point(self, s: MomentSpec) -> list[TruthEvent]:
        m = self.m
        side = s.side or "home"
        i = _idx(side)
        points = m.sets[-1]
        points[i] += 1
        out = [m.event("score_change", side=side, detail={"set": len(m.sets), "points": 1})]
        target = 15 if len(m.sets) == m.spec.best_of else 25
        if points[i] >= target and points[i] - points[1 - i] >= 2:
            if side == "home":
                m.home_score = (m.home_score or 0) + 1
            else:
                m.away_score = (m.away_score or 0) + 1
            detail = {"set": len(m.sets), "games": f"{points[0]};{points[1]}"}
            out.append(m.event("set_won", side=side, detail=detail))
            if max(m.sides()) * 2 > m.spec.best_of:
                out += self.full_time()
            else:
                m.sets.append([0, 0])
        return out


class Engine:
    """All match states, with their scripted futures."""

    def __init__(self, seed: int = 1) -> None:
        self.matches: list[MatchState] = []
        self.scenarios: list[tuple[Scenario, int, int]] = []  # (scenario, id, iteration)
        self._next_scenario_id = 0
        self.seed = seed

    def add_scenario(
        self,
        scenario: Scenario,
        now: float,
        start_wall: float,
        iteration: int = 0,
        *,
        time_factor: float = 1.0,
    ) -> list[MatchState]:
        """Add every match of a scenario; kick-offs are relative to `now`.

        `start_wall` is the wall time (epoch seconds) of `now`; a kick-off `spec.kickoff`
        match seconds away is `spec.kickoff / time_factor` wall seconds away.
        """
        sid = self._next_scenario_id
        self._next_scenario_id += 1
        self.scenarios.append((scenario, sid, iteration))
        added = []
        for spec in scenario.matches:
            periods, moments = compile_match(spec)
            suffix = f"#{iteration}" if iteration else ""
            start = datetime.fromtimestamp(start_wall, UTC) + timedelta(
                seconds=spec.kickoff / time_factor
            )
            state = MatchState(
                spec=spec,
                key=spec.key + suffix,
                sap_id=spec.sap_id + iteration * 1_000_000,
                sf_id=spec.sf_id if not iteration else f"{spec.sf_id[:-4]}{iteration:04x}",
                sf_rt_id=str(90_000_000 + spec.sap_id % 10_000_000 + iteration * 1_000_000),
                kickoff_at=now + spec.kickoff,
                periods=periods,
                moments=moments,
                start_wall=start.isoformat(timespec="seconds"),
                rng=random.Random(f"{self.seed}:{spec.key}:{iteration}"),  # noqa: S311
                scenario_id=sid,
            )
            if self.find(state.key) is not None or self.find(state.sap_id) is not None:
                msg = f"match {state.key} / {state.sap_id} is already loaded"
                raise ValueError(msg)
            self.matches.append(state)
            added.append(state)
        return added

    def find(self, ident: str | int) -> MatchState | None:
        for m in self.matches:
            if ident in (m.key, m.sap_id, m.sf_id, m.sf_rt_id, str(m.sap_id)):
                return m
        return None

    def next_due(self, t: float) -> float | None:
        """The earliest time <= t at which some match has a moment due."""
        best: float | None = None
        for m in self.matches:
            if m.next_moment < len(m.moments):
                at = m.kickoff_at + m.moments[m.next_moment].at
                if at <= t and (best is None or at < best):
                    best = at
        return best

    def apply_at(self, t: float) -> list[TruthEvent]:
        """Move every clock to t and apply the moments due at exactly t or before."""
        out: list[TruthEvent] = []
        for m in self.matches:
            if t >= m.kickoff_at:
                m.set_elapsed(t - m.kickoff_at)
            apply = Apply(m)
            while m.next_moment < len(m.moments):
                mo = m.moments[m.next_moment]
                if m.kickoff_at + mo.at > t:
                    break
                m.next_moment += 1
                m.set_elapsed(mo.at)
                out += apply(mo)
            if t >= m.kickoff_at:
                m.set_elapsed(t - m.kickoff_at)
        return out

    def restart_loops(
        self, now: float, start_wall: float, *, time_factor: float = 1.0
    ) -> list[MatchState]:
        """Restart looping scenarios whose matches all ended `loop_gap` ago."""
        added: list[MatchState] = []
        for entry in list(self.scenarios):
            scenario, sid, iteration = entry
            mine = [m for m in self.matches if m.scenario_id == sid]
            if not scenario.loop or not mine or not all(m.final for m in mine):
                continue
            last = max(m.ended_at if m.ended_at is not None else m.kickoff_at for m in mine)
            if now < last + scenario.loop_gap:
                continue
            self.scenarios.remove(entry)
            self.matches = [m for m in self.matches if m.scenario_id != sid]
            added += self.add_scenario(
                scenario, now, start_wall, iteration + 1, time_factor=time_factor
            )
        return added
