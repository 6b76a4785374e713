"""What the card shows of a match's course: the last play, and the sets of tennis and volleyball.

Part of the ha-teamtracker-card contract (teamtracker.py).
"""

from typing import Any

from .feed.model import GOAL_SPORTS, Match, PeriodScore, Side, Sport, Status


def abbr(abbreviation: str | None, name: str) -> str:
    """A team's abbreviation: the feed's, else the first three letters of its name."""
    return abbreviation or name[:3].upper()


def side_value(period: PeriodScore, side: Side) -> int | None:
    """A period's score of one side."""
    return period.home if side is Side.HOME else period.away


def last_play(
    match: Match, side: Side, penalties: PeriodScore | None, last_score: str | None
) -> str | None:
    """The last goal and its scorer, the shoot-out, the last score, or the periods so far."""
    parts: list[str] = []
    if match.sport in GOAL_SPORTS and match.scorers:
        last = max(match.scorers, key=lambda scorer: scorer.order)
        scorer = match.team(last.side)
        text = f"Goal {abbr(scorer.abbreviation, scorer.name)}"
        if last.player:
            text += f": {last.player}"
        if last.minute is not None:
            text += f" {last.minute}'"
        parts.append(text)
    if penalties is not None and penalties.home is not None and penalties.away is not None:
        parts.append(f"Penalties {penalties.home}-{penalties.away}")
    if not parts and last_score:
        parts.append(last_score)
    if not parts:
        played = [
            p
            for p in match.periods
            if p.name.lower() not in {"sets", "game", "penalties"}
            and p.home is not None
            and p.away is not None
        ]
        mine, theirs = (Side.HOME, Side.AWAY) if side is Side.HOME else (Side.AWAY, Side.HOME)
        parts = [f"{p.name}: {side_value(p, mine)}-{side_value(p, theirs)}" for p in played]
    return "; ".join(parts) or None


def last_score_text(before: Match | None, after: Match) -> str | None:
    """The rise of the score from `before` to `after` ("BOS +3"); None if there is none."""
    if before is None or before.id != after.id:
        return None
    rises = [
        f"{abbr(new.abbreviation, new.name)} +{new.score - (old.score or 0)}"
        for old, new in ((before.home, after.home), (before.away, after.away))
        if new.score is not None and new.score > (old.score or 0)
    ]
    return f"Last score: {', '.join(rises)}" if rises else None


def sets(values: dict[str, Any], match: Match, side: Side) -> None:
    """Tennis and volleyball: the score shown is the current set's, sets won apart.

    The card titles a tennis match with `event_name` and shows the round from
    `down_distance_text`: there they are the tournament and the round.
    """
    other = Side.AWAY if side is Side.HOME else Side.HOME
    values["team_sets_won"] = match.team(side).score or 0
    values["opponent_sets_won"] = match.team(other).score or 0
    sets = [
        p
        for p in match.periods
        if p.name.lower().startswith("set ") and min(_unplayed(p.home), _unplayed(p.away)) >= 0
    ]
    if sets and match.status in (Status.LIVE, Status.BREAK, Status.SUSPENDED):
        values["team_score"] = str(side_value(sets[-1], side))
        values["opponent_score"] = str(side_value(sets[-1], other))
    for who in ("team", "opponent"):
        values[f"{who}_score"] = values[f"{who}_score"] or "0"
        # The card reads a tennis tie-break's points from shots on target: none here.
        values[f"{who}_shots_on_target"] = 0
    if match.sport is Sport.TENNIS:
        values["event_name"] = match.competition or values["event_name"]
        values["down_distance_text"] = match.round or match.competition or "Match"
        # The card builds player photos from ESPN's ids: ours must not look like one.
        values["team_id"] = f"{match.provider}-{match.team(side).id}"
        values["opponent_id"] = f"{match.provider}-{match.team(other).id}"
    values["last_play"] = (
        "; ".join(
            f"{p.name}: {side_value(p, side)}-{side_value(p, other)}"
            for p in sets
            if (p.home, p.away) != (0, 0) or p is sets[-1]
        )
        or values["last_play"]
    )


def _unplayed(value: int | None) -> int:
    """A period score for "was it played": None and -1 are not."""
    return -1 if value is None else value
