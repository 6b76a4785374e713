"""SoccerFootball.info MAIN frames: the phase, and goals with the score after them.

The rules they follow are in `soccerfootball_state.py`.
"""

from typing import Any

from .model import Scorer, Side
from .soccerfootball_matches import ParsedMatches
from .soccerfootball_state import (
    ENDED,
    FIRST_HALF,
    HALF_TIME,
    PRE_MATCH,
    SECOND_HALF,
    SIDES,
    SILENCE_MS,
    MatchState,
    set_clock,
    set_start,
)
from .soccerfootball_values import MAX_TEXT, goal_kind, pair, read_ident, read_minute, read_text

MAIN_EVENTS = frozenset({"match_start", "goal", "halftime", "second_half_start", "match_end"})
# A MAIN goal this many minutes behind the match clock is not announced live.
LATE_GOAL_MINUTES = 2
_MAIN_PHASE = {"match_start": FIRST_HALF, "halftime": HALF_TIME, "second_half_start": SECOND_HALF}
_SETTLING = frozenset({"halftime", "second_half_start", "match_end"})


class MainFrames(ParsedMatches):
    """Applies MAIN frames (`match_start`, `goal`, ... `match_end`) to the states."""

    def _main(
        self,
        kind: str,
        match_id: str,
        frame: dict[str, Any],
        data: dict[str, Any],
        raw_ts: int | None,
    ) -> list[str]:
        state = self._state(match_id, frame.get("leagueId"))
        heard = state.latest_ts
        ts = state.trusted_ts(raw_ts)
        stale = ts < state.main_ts
        # After a silence, on a match STATS reports, a scoreless goal cannot be
        # counted from a score that may have changed unheard (a VAR decision).
        unsure = state.stats_ts >= 0 and (heard < 0 or ts - heard > SILENCE_MS)
        state.main_ts = max(state.main_ts, ts)
        _teams(state, data)
        if (
            kind == "match_start"
            and state.phase <= FIRST_HALF
            and state.score
            in (
                [None, None],
                [0, 0],
            )
        ):
            # (STATS may have shown the first minutes before MAIN's `match_start`.)
            state.fresh_start = True
        if kind in _MAIN_PHASE:
            if _MAIN_PHASE[kind] > state.phase:
                state.stats_minute = -1
            state.phase = max(state.phase, _MAIN_PHASE[kind])
            state.off_status = None
            state.start_play()
        elif kind == "match_end":
            state.phase = ENDED
            state.off_status = None
        state.settling = kind in _SETTLING
        minute, added = read_minute(data.get("timer", data.get("minute")))
        if kind == "goal":
            if state.phase == PRE_MATCH:
                state.phase = FIRST_HALF
                state.start_play()
            self._goal(state, data, ts, minute, stale=stale, unsure=unsure)
        else:
            raw = data.get("finalScore") if kind == "match_end" else None
            home, away = pair(raw if raw is not None else data.get("score"))
            if home is not None and away is not None and not stale:
                state.main_score(home, away, ts, final=kind == "match_end")
            if minute is not None and not stale:
                set_clock(state, minute, added)
        return [match_id]

    def _goal(
        self,
        state: MatchState,
        data: dict[str, Any],
        ts: int,
        minute: int | None,
        *,
        stale: bool,
        unsure: bool,
    ) -> None:
        side = _side(state, data)
        home, away = pair(data.get("score"))
        if home is not None and away is not None:
            if not stale:
                if side is not None:
                    _regoal(state, side, home if side is Side.HOME else away, ts)
                state.main_score(home, away, ts)
        elif side is not None:
            if ts < state.main_score_ts:
                return  # older than a MAIN score already applied: counted in it
            index = SIDES.index(side)
            if unsure or any(state.held):
                state.held[index].append(ts)  # STATS shows it, or shows it was not
                return
            state.scoreless_goal(index, ts)
        else:
            self.malformed += 1
            return
        if side is None:
            return
        number = state.score[SIDES.index(side)]
        if home is not None and away is not None:
            number = home if side is Side.HOME else away
        if number is None or number == 0:
            return
        # A goal whose minute is well behind the match clock comes late (held back
        # during a gap): it is news only as a recovered goal, not as a live one.
        clock = state.minute
        if minute is None or clock is None or clock - minute < LATE_GOAL_MINUTES:
            state.announced = (side, number)
        if minute is not None and not stale and (state.minute is None or minute >= state.minute):
            set_clock(state, minute, None)
        if any(s.side is side and s.number == number for s in state.scorers):
            return
        state.scorers.append(
            Scorer(
                side=side,
                minute=minute,
                player=read_text(data.get("player") or data.get("scorer")),
                kind=goal_kind(data.get("kind")),
                order=ts,
                number=number,
            )
        )


def _regoal(state: MatchState, side: Side, number: int, ts: int) -> None:
    """MAIN announces goal `number` of `side` again: the first was ruled out.

    Another frame, later, for the same goal number means the earlier goal was
    taken back while we could not see it (VAR during a gap).

    The state with that goal gone is kept aside (`take_intermediate`) so the
    tracker sees the cancellation before the new goal.
    """
    index = SIDES.index(side)
    if state.score[index] != number or number == 0:
        return
    if not any(s.side is side and s.number == number and s.order < ts for s in state.scorers):
        return
    state.lower(index, number - 1, ts)
    state.intermediate.append(state.to_match())


def _teams(state: MatchState, data: dict[str, Any]) -> None:
    for key, attr in (("teamA", "home"), ("teamB", "away")):
        team = data.get(key)
        if isinstance(team, dict):
            if (team_id := read_ident(team.get("id"))) is not None:
                setattr(state, f"{attr}_id", team_id)
            if type(team.get("name")) is str:
                setattr(state, attr, team["name"][:MAX_TEXT])
    league = data.get("championship")
    if isinstance(league, dict):
        if (league_id := read_ident(league.get("id"))) is not None:
            state.league_id = league_id
        if type(league.get("name")) is str:
            state.league = league["name"][:MAX_TEXT]
    set_start(state, data.get("startDate"))


def _side(state: MatchState, data: dict[str, Any]) -> Side | None:
    for key in ("team", "side", "scoringTeam", "teamId"):
        value = data.get(key)
        if isinstance(value, dict):
            value = value.get("id", value.get("side"))
        text = read_ident(value)
        if text is None:
            continue
        if text in ("A", "a", "teamA", "home", "HOME", "1") or text == state.home_id:
            return Side.HOME
        if text in ("B", "b", "teamB", "away", "AWAY", "2") or text == state.away_id:
            return Side.AWAY
    return None
