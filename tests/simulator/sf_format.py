"""SoccerFootball.info side: MAIN events, STATS/ODDS updates, REST envelopes.

Only `match_start` and `stats_update` have published payloads; the others are
our guesses (PROTOCOLS.md open question 8), built on the same envelopes:
- goal: data = {team: {id, name}, side: "teamA"|"teamB", minute, score: "h;a"
  (absent with Variants.sf_goal_score False), player, kind}
- halftime / second_half_start / match_end: data = {score: "h;a", minute}
- batch_update (STATS, scope all): data = {matches: [stats data + "id"]}
"""

from __future__ import annotations

import secrets
from typing import Any

from .engine import MatchState

MAIN_EVENTS = {
    "kickoff": "match_start",
    "goal": "goal",
    "halftime": "halftime",
    "second_half": "second_half_start",
    "full_time": "match_end",
}
SF_STATUS = {
    "scheduled": "NOT_STARTED",
    "live": "IN_PLAY",
    "break": "HALF_TIME",
    "finished": "ENDED",
    "postponed": "POSTPONED",
    "cancelled": "CANCELLED",
    "abandoned": "ABANDONED",
    "suspended": "SUSPENDED",
}


def envelope(result: list[dict[str, Any]], status: int = 200) -> dict[str, Any]:
    return {"status": status, "errors": [], "pagination": [], "result": result}


def error_envelope(status: int, code: int, message: str) -> dict[str, Any]:
    """Error body. The shape of `errors` items is our guess: {code, message}."""
    return {
        "status": status,
        "errors": [{"code": code, "message": message}],
        "pagination": [],
        "result": [],
    }


def _pair(h: float, a: float) -> str:
    return f"{h:g};{a:g}"


def _team(m: MatchState, side: str) -> dict[str, Any]:
    t = m.spec.home if side == "home" else m.spec.away
    return {"id": t.sf_id, "name": t.name}


def main_event(
    m: MatchState, name: str, ts: int, *, realtime: bool, score_in_goal: bool, **extra: Any
) -> dict[str, Any]:
    """A MAIN (or MAIN_REALTIME, with its own ids) event."""
    data: dict[str, Any]
    h, a = m.sides()
    if name == "match_start":
        data = {
            "teamA": _team(m, "home"),
            "teamB": _team(m, "away"),
            "championship": {
                "id": m.spec.sf_league_id,
                "name": m.spec.competition,
                "country": m.spec.country,
                "seasonName": m.spec.season,
            },
            "startDate": m.start_wall.replace("+00:00", "Z"),
        }
    elif name == "goal":
        side = extra["side"]
        data = {
            "team": _team(m, side),
            "side": "teamA" if side == "home" else "teamB",
            "minute": extra.get("minute"),
            "player": extra.get("scorer"),
            "kind": extra.get("kind"),
        }
        if score_in_goal:
            data["score"] = _pair(h, a)
    else:
        data = {"score": _pair(h, a), "minute": extra.get("minute")}
    channel = "MAIN_REALTIME" if realtime else "MAIN"
    return {
        "type": name,
        "channel": channel,
        "matchId": m.sf_rt_id if realtime else m.sf_id,
        "leagueId": m.spec.sf_league_id,
        "ts": ts,
        "data": data,
    }


def update_stats(m: MatchState) -> None:
    """Nudge the made-up statistics once per match minute (deterministic rng)."""
    s = m.stats
    if not s:
        s.update(
            possession=[50, 50],
            shotsOnTarget=[0, 0],
            corners=[0, 0],
            xg=[0.0, 0.0],
        )
    if m.status != "live":
        return
    swing = m.rng.randint(-3, 3)
    home = min(75, max(25, s["possession"][0] + swing))
    s["possession"] = [home, 100 - home]
    i = m.rng.randint(0, 1)
    if m.rng.random() < 0.15:
        s["shotsOnTarget"][i] += 1
        s["xg"][i] = round(s["xg"][i] + m.rng.random() * 0.3, 2)
    if m.rng.random() < 0.1:
        s["corners"][m.rng.randint(0, 1)] += 1


def stats_data(m: MatchState) -> dict[str, Any]:
    s = m.stats or {
        "possession": [50, 50],
        "shotsOnTarget": [0, 0],
        "corners": [0, 0],
        "xg": [0, 0],
    }
    minute, added = m.minute_parts()
    started = m.status not in ("scheduled", "postponed", "cancelled")
    h, a = m.sides()
    shots = [max(s["shotsOnTarget"][0], h), max(s["shotsOnTarget"][1], a)]
    return {
        "timer": str(minute) if started else None,
        "extraTimer": str(added) if added else None,
        "status": SF_STATUS[m.status],
        "score": _pair(h, a) if started else None,
        "score1h": _pair(*m.ht_score) if m.ht_score else None,
        "score2h": _pair(h, a) if m.status == "finished" else None,
        "possession": _pair(*s["possession"]),
        "shotsOnTarget": _pair(*shots),
        "corners": _pair(*s["corners"]),
        "yellowCards": _pair(*m.yellow),
        "redCards": _pair(*m.red),
        "xg": f"{s['xg'][0]:.2f};{s['xg'][1]:.2f}",
    }


def odds_data(m: MatchState) -> dict[str, Any]:
    h, a = m.sides()
    lead = h - a
    home = max(1.05, round(2.5 - 0.9 * lead, 2))
    away = max(1.05, round(2.9 + 0.9 * lead, 2))
    return {"live1x2": f"{home:.2f};3.40;{away:.2f}", "status": SF_STATUS[m.status]}


def scoped_event(
    channel: str,
    event_type: str,
    scope: str,
    ident: str | None,
    *,
    ts: int,
    data: dict[str, Any],
) -> dict[str, Any]:
    """STATS / ODDS envelope: type "event" plus eventType, scope, id, eventId."""
    return {
        "type": "event",
        "channel": channel,
        "scope": scope,
        "id": ident,
        "eventType": event_type,
        "eventId": secrets.token_hex(8),
        "ts": ts,
        "data": data,
    }


def realtime_stats(m: MatchState, changed: list[dict[str, str]], ts: int) -> dict[str, Any]:
    return {
        "type": "stats_update_realtime",
        "channel": "STATS_REALTIME",
        "matchId": m.sf_rt_id,
        "leagueId": m.spec.sf_league_id,
        "ts": ts,
        "data": {"changedStats": changed},
    }
