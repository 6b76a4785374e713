"""SoccerFootball.info side: MAIN events, STATS/ODDS updates, REST envelopes.

MAIN data as documented (Variants.sf_main_shape "doc", the default):
- goal: {score: "A;B" after the goal (absent with sf_goal_score False), timer: minute
  as a string, team: "A" (home) | "B"} (+ player with sf_goal_scorer)
- halftime / second_half_start: {score}; match_end: {finalScore (after extra time, no
  shoot-out), score1h}
"legacy" (the simulator's older guesses): goal {team: {id, name}, side: "teamA"|"teamB",
minute, player, kind, score}; the others {score, minute}.
Our guess: batch_update (STATS, scope all): data = {matches: [stats data + "id"]}.
"""

import secrets
from typing import Any

from .config import Variants
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


def main_data(
    m: MatchState,
    name: str,
    variants: Variants,
    *,
    score: tuple[int, int],
    side: str | None = None,
    minute: int | None = None,
    scorer: str | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    """The `data` of a MAIN event; `score` is the score when it happened."""
    if name == "match_start":
        return {
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
    legacy = variants.sf_main_shape == "legacy"
    data: dict[str, Any]
    if name == "goal":
        side = side or "home"
        if legacy:
            data = {
                "team": _team(m, side),
                "side": "teamA" if side == "home" else "teamB",
                "minute": minute,
                "player": scorer,
                "kind": kind,
            }
        else:
            data = {"timer": None if minute is None else str(minute)}
            data["team"] = "A" if side == "home" else "B"
            if variants.sf_goal_scorer and scorer:
                data["player"] = scorer
        if variants.sf_goal_score:
            data = {"score": _pair(*score), **data}
        return data
    if legacy:
        return {"score": _pair(*score), "minute": minute}
    if name == "match_end":
        ht = m.ht_score
        return {"finalScore": _pair(*score), "score1h": None if ht is None else _pair(*ht)}
    return {"score": _pair(*score)}


def main_event(
    m: MatchState, name: str, ts: int, data: dict[str, Any], *, realtime: bool
) -> dict[str, Any]:
    """A MAIN (or MAIN_REALTIME, with its own ids) event."""
    return {
        "type": name,
        "channel": "MAIN_REALTIME" if realtime else "MAIN",
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
            shotsOffTarget=[0, 0],
            shotsBlocked=[0, 0],
            corners=[0, 0],
            xg=[0.0, 0.0],
            attacks=[0, 0],
            dangerousAttacks=[0, 0],
            fouls=[0, 0],
            offsides=[0, 0],
            substitutions=[0, 0],
            throwIns=[0, 0],
            injuries=[0, 0],
        )
    if m.status != "live":
        return
    rng = m.rng
    swing = rng.randint(-3, 3)
    home = min(75, max(25, s["possession"][0] + swing))
    s["possession"] = [home, 100 - home]
    i = rng.randint(0, 1)
    if rng.random() < 0.15:
        s["shotsOnTarget"][i] += 1
        s["xg"][i] = round(s["xg"][i] + rng.random() * 0.3, 2)
    if rng.random() < 0.1:
        s["corners"][rng.randint(0, 1)] += 1
    for j, share in enumerate((home, 100 - home)):
        s["attacks"][j] += rng.randint(0, 2) + (share > 55)
        if rng.random() < share / 250:
            s["dangerousAttacks"][j] += 1
        if rng.random() < 0.12:
            s["fouls"][j] += 1
        if rng.random() < 0.4:
            s["throwIns"][j] += 1
    side = rng.randint(0, 1)
    roll = rng.random()
    if roll < 0.12:
        s["shotsOffTarget"][side] += 1
    elif roll < 0.18:
        s["shotsBlocked"][side] += 1
    elif roll < 0.22:
        s["offsides"][side] += 1
    elif roll < 0.23:
        s["injuries"][side] += 1
    if m.clock_seconds >= 55 * 60 and s["substitutions"][side] < 5 and rng.random() < 0.08:
        s["substitutions"][side] += 1


_ZERO: list[float] = [0, 0]


def stats_data(m: MatchState) -> dict[str, Any]:
    """The STATS `data` of a match now: pairs "home;away" (documented keys)."""
    s = m.stats

    def get(key: str) -> list[float]:
        return s.get(key, _ZERO)

    minute, added = m.minute_parts()
    started = m.status not in ("scheduled", "postponed", "cancelled")
    h, a = m.sides()
    on = [max(get("shotsOnTarget")[0], h), max(get("shotsOnTarget")[1], a)]
    off, blocked = get("shotsOffTarget"), get("shotsBlocked")
    if m.ht_score is not None and "corners1h" not in s and "corners" in s:
        s["corners1h"] = list(s["corners"])
    pens = [
        sum(1 for e in m.events if e.type_id == 1 and e.sub == "Penalty" and e.side == side)
        for side in ("home", "away")
    ]
    xg = s.get("xg", [0.0, 0.0])
    return {
        "timer": str(minute) if started else None,
        "extraTimer": str(added) if added else None,
        "status": SF_STATUS[m.status],
        "score": _pair(h, a) if started else None,
        "score1h": _pair(*m.ht_score) if m.ht_score else None,
        "score2h": _pair(h, a) if m.status == "finished" else None,
        "possession": _pair(*s.get("possession", [50, 50])),
        "attacks": _pair(*get("attacks")),
        "dangerousAttacks": _pair(*get("dangerousAttacks")),
        "totalShots": _pair(on[0] + off[0] + blocked[0], on[1] + off[1] + blocked[1]),
        "shotsOnTarget": _pair(*on),
        "shotsOffTarget": _pair(*off),
        "shotsBlocked": _pair(*blocked),
        "corners": _pair(*get("corners")),
        "corners1h": _pair(*s["corners1h"]) if "corners1h" in s else None,
        "fouls": _pair(*get("fouls")),
        "offsides": _pair(*get("offsides")),
        "yellowCards": _pair(*m.yellow),
        "redCards": _pair(*m.red),
        "yellowToRed": "0;0",
        "substitutions": _pair(*get("substitutions")),
        "throwIns": _pair(*get("throwIns")),
        "injuries": _pair(*get("injuries")),
        "penalties": _pair(*pens),
        "xg": f"{xg[0]:.2f};{xg[1]:.2f}",
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


def match_scoped_event(
    channel: str,
    event_type: str,
    scope: str,
    m: MatchState,
    data: dict[str, Any],
    *,
    ts: int,
    league_reading: str,
) -> dict[str, Any]:
    """A STATS/ODDS update about one match for a `match` or `league` subscription.

    match scope: `id` = the match. league scope per Variants.sf_league_stats: "league"
    (`id` = the league, no match id anywhere), "match_id" (`id` = the match, plus
    `leagueId`), "data" (`id` = the league, `data.matchId` = the match).
    """
    if scope != "league":
        return scoped_event(channel, event_type, scope, m.sf_id, ts=ts, data=data)
    league = m.spec.sf_league_id
    if league_reading == "match_id":
        ev = scoped_event(channel, event_type, scope, m.sf_id, ts=ts, data=data)
        ev["leagueId"] = league
        return ev
    if league_reading == "data":
        data = {**data, "matchId": m.sf_id}
    return scoped_event(channel, event_type, scope, league, ts=ts, data=data)


def realtime_stats(m: MatchState, changed: list[dict[str, str]], ts: int) -> dict[str, Any]:
    return {
        "type": "stats_update_realtime",
        "channel": "STATS_REALTIME",
        "matchId": m.sf_rt_id,
        "leagueId": m.spec.sf_league_id,
        "ts": ts,
        "data": {"changedStats": changed},
    }
