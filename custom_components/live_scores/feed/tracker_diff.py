"""The diff: one new state of a match against its record, as events.

The first state is a baseline (`apply_baseline`): what it implies has already
happened (kick-off, half-time, full time) is not news later. Every later state
is compared with the record (`diff`): phases, scores (`tracker_scores.py`), red
cards. Events found in the first state after a gap (`MatchRecord.resync`), in a
state that only settles the score (`Match.settling`), or below the top of a
score jump are marked `recovered`: they were not seen as they happened.
"""

from dataclasses import replace
import re
from typing import Any

from .model import EventType, Match, MatchEvent, Side, Sport, Status
from .tracker_record import SIDES, MatchRecord
from .tracker_scores import (
    MAX_EVENTS_PER_JUMP,
    Middle,
    fall,
    rise,
    sort_minute,
    tennis,
    tennis_games,
)

_NOT_STARTED = frozenset({Status.SCHEDULED, Status.UNKNOWN})
_STARTED = frozenset({Status.LIVE, Status.BREAK, Status.FINISHED})
_HALF_BREAK = re.compile(r"half|\bht\b", re.IGNORECASE)
_SECOND_HALF = re.compile(r"2nd half|second half", re.IGNORECASE)
_LATE_QUARTER = re.compile(r"3rd|4th|overtime|\bq[34]\b", re.IGNORECASE)


def apply_baseline(record: MatchRecord, match: Match) -> None:
    """Take the first state of a match as it is: no events."""
    record.status = match.status
    record.phase = (match.status, match.status_text, match.period, match.sport)
    record.version = match.version
    for side in SIDES:
        team = match.team(side)
        record.score[side] = team.score
        record.red[side] = team.red_cards
    if match.sport is Sport.TENNIS:
        record.games = tennis_games(match)
    # What the first state implies has already happened is not news later.
    if match.status in _STARTED:
        record.keys.add("kickoff")
    text = _status_words(match)
    if match.status is Status.BREAK and _HALF_BREAK.search(text):
        record.keys.add("halftime")
    if match.status is Status.LIVE and _after_half(match, text):
        record.keys.update(("halftime", "second_half"))
    if match.status is Status.FINISHED:
        record.keys.update(("halftime", "second_half", "full_time"))


def _two_halves(match: Match) -> bool:
    return match.sport in (Sport.FOOTBALL, Sport.HANDBALL, Sport.RUGBY)


def _after_half(match: Match, text: str) -> bool:
    """Whether a live state is past half-time."""
    if _two_halves(match):
        return bool(_SECOND_HALF.search(text))
    return match.sport is Sport.BASKETBALL and bool(_LATE_QUARTER.search(text))


def _status_words(match: Match) -> str:
    return " ".join(t for t in (match.status_text, match.period) if t)


def _unchanged(record: MatchRecord, match: Match) -> bool:
    """Whether nothing `diff` reads moved (the usual state: only the clock or shots did).

    Status, phase, scores and red cards as the record has them; tennis also reads
    its sets' games, so it always goes the whole way.
    """
    if match.status is not record.status or match.sport is Sport.TENNIS:
        return False
    home, away = match.home, match.away
    score, red = record.score, record.red
    return (
        score.get(Side.HOME) == home.score
        and score.get(Side.AWAY) == away.score
        and red.get(Side.HOME) == home.red_cards
        and red.get(Side.AWAY) == away.red_cards
        and record.phase == (match.status, match.status_text, match.period, match.sport)
    )


def diff(record: MatchRecord, match: Match) -> list[MatchEvent]:
    """What happened between the record and `match`, in order; updates the record."""
    if _unchanged(record, match):
        return []  # (what the whole way finds of it, and leaves the record as it is)
    start: list[MatchEvent] = []
    middle: Middle = []
    end: list[MatchEvent] = []
    old_status = record.status
    new_status = match.status
    was_pre = old_status in _NOT_STARTED
    before = [record.score.get(side) for side in SIDES]

    # What a phase report itself announces is live; the rest of a catch-up is not.
    late = record.resync and not match.settling

    def emit(target: list[MatchEvent], type_: EventType, key: str, **kw: Any) -> None:
        if key in record.keys:
            return
        record.keys.add(key)
        target.append(MatchEvent(type=type_, match=match, key=key, recovered=late, **kw))

    phase = (new_status, match.status_text, match.period, match.sport)
    if new_status is not Status.UNKNOWN and (old_status is not new_status or phase != record.phase):
        record.phase = phase
        if old_status is Status.SCHEDULED and new_status in _STARTED:
            emit(start, EventType.KICKOFF, "kickoff")
        text = _status_words(match)
        if new_status is Status.BREAK and _HALF_BREAK.search(text):
            emit(end, EventType.HALFTIME, "halftime")
        elif new_status is Status.LIVE and "halftime" in record.keys and old_status is Status.BREAK:
            emit(start, EventType.SECOND_HALF, "second_half")
        if new_status is Status.LIVE and _after_half(match, text):
            emit(start, EventType.HALFTIME, "halftime")
            emit(start, EventType.SECOND_HALF, "second_half")
        if new_status is Status.FINISHED:
            emit(end, EventType.FULL_TIME, "full_time")
        record.status = new_status

    for side_index, side in enumerate(SIDES):
        team = match.team(side)
        old = record.score.get(side)
        new = team.score
        if new is not None:
            if old is None:
                old = 0 if was_pre else new
            if abs(new - old) > MAX_EVENTS_PER_JUMP:
                pass  # not a score that was played: taken without events
            elif new > old:
                rise(record, match, side, side_index, old, new, middle)
            elif new < old:
                fall(record, match, side, side_index, old, new, middle)
            record.score[side] = new
        old_red = record.red.get(side)
        red = team.red_cards
        if red is not None:
            if old_red is None:
                old_red = 0 if was_pre else red
            if red - old_red > MAX_EVENTS_PER_JUMP:
                old_red = red  # not cards that were shown: taken without events
            for n in range(old_red + 1, red + 1):
                key = f"red_card:{side}:{n}"
                if key not in record.keys:
                    record.keys.add(key)
                    event = MatchEvent(
                        EventType.RED_CARD,
                        match,
                        key,
                        side=side,
                        minute=match.minute,
                        recovered=late or n < red,
                    )
                    middle.append((sort_minute(match.minute), side_index, event))
            record.red[side] = red

    if match.sport is Sport.TENNIS:
        tennis(record, match, middle)

    if not middle and not start:
        return end
    middle.sort(key=lambda item: (item[0], item[1]))
    if len(middle) < 2 and not start:
        return start + [item[2] for item in middle] + end
    return _with_scores(before, start, [item[2] for item in middle], end, match)


def _with_scores(
    before: list[int | None],
    start: list[MatchEvent],
    middle: list[MatchEvent],
    end: list[MatchEvent],
    match: Match,
) -> list[MatchEvent]:
    """Give each event of one state the score right after it, not the state's last.

    One state can reveal several goals (a jump, a catch-up): each goal's event
    carries the score it made, in the order they happened.
    """
    final = [match.home.score, match.away.score]
    running = [final[i] if before[i] is None else before[i] for i in (0, 1)]
    out = [_scored(e, running, final) for e in start]
    for event in middle:
        if event.side is not None:
            index = SIDES.index(event.side)
            if event.type in (EventType.GOAL, EventType.SET_WON):
                running[index] = int(event.key.rsplit(":", 1)[1])
            elif "cancelled" in event.detail:
                running[index] = event.detail["score"]  # type: ignore[assignment]
            elif event.type is EventType.SCORE_CHANGE:
                running[index] = event.detail.get("score")  # type: ignore[assignment]
        out.append(_scored(event, running, final))
    return out + end


def _scored(event: MatchEvent, score: list[int | None], final: list[int | None]) -> MatchEvent:
    if score == final:
        return event
    match = event.match
    home = replace(match.home, score=score[0])
    away = replace(match.away, score=score[1])
    return replace(event, match=replace(match, home=home, away=away))
