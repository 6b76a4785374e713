"""SportsAPIPro side: 365Scores-style game objects and the welcome message."""

from typing import Any

from .config import Variants
from .engine import SET_SPORTS, TENNIS_POINTS, UNCLOCKED, MatchState
from .scenario import SPORT_IDS, stable_int

SPORT_NAMES = {
    "football": "Football",
    "basketball": "Basketball",
    "tennis": "Tennis",
    "hockey": "Hockey",
    "handball": "Handball",
    "american-football": "American Football",
    "baseball": "Baseball",
    "volleyball": "Volleyball",
    "rugby": "Rugby",
}
CHANNELS = ["all", "live", *SPORT_IDS]


def welcome() -> dict[str, Any]:
    return {
        "type": "connected",
        "version": "1.0",
        "sports": [{"id": i, "name": SPORT_NAMES[s], "slug": s} for s, i in SPORT_IDS.items()],
        "channels": CHANNELS,
    }


def status_group(m: MatchState, table: str) -> int:
    """`doc`: 1 upcoming, 2 postponed/cancelled, 3 live, 4 ended.
    `seen`: 2 scheduled, 3 live, 4 ended and postponed/cancelled/abandoned."""
    if m.live:
        return 3
    if m.status == "scheduled":
        return 1 if table == "doc" else 2
    if m.status in ("postponed", "cancelled"):
        return 2 if table == "doc" else 4
    return 4


def _score(value: int | None) -> float:
    return -1.0 if value is None else float(value)


def _competitor(m: MatchState, side: str) -> dict[str, Any]:
    team = m.spec.home if side == "home" else m.spec.away
    i = 0 if side == "home" else 1
    score = m.home_score if side == "home" else m.away_score
    winner = False
    if m.status == "finished":
        h, a = m.sides()
        if h == a:
            h, a = m.pens
        winner = (h > a) if side == "home" else (a > h)
    out: dict[str, Any] = {
        "id": team.sap_id,
        "countryId": 1,
        "sportId": m.sport_id,
        "name": team.name,
        "shortName": team.name.split()[-1],
        "symbolicName": team.short,
        "score": _score(score),
        "isQualified": None,
        "toQualify": False,
        "isWinner": winner,
        "color": team.color,
        "imageVersion": 1,
    }
    if m.sport in ("football", "hockey"):
        out["redCards"] = m.red[i]
    return out


def _stages(m: MatchState) -> list[dict[str, Any]]:
    if m.sport == "baseball":
        return [
            {
                "name": f"Inning {n}",
                "shortName": str(n),
                "homeCompetitorScore": float(runs[0]),
                "awayCompetitorScore": float(runs[1]),
            }
            for n, runs in enumerate(m.innings, 1)
        ]
    if m.sport in SET_SPORTS:
        stages: list[dict[str, Any]] = []
        for n in range(1, m.spec.best_of + 1):
            games = m.sets[n - 1] if n <= len(m.sets) else [-1, -1]
            stages.append(
                {
                    "id": n,
                    "name": f"Set {n}",
                    "shortName": f"S{n}",
                    "homeCompetitorScore": float(games[0]),
                    "awayCompetitorScore": float(games[1]),
                }
            )
        sets = [_score(m.home_score), _score(m.away_score)]
        stages.append(
            {"name": "Sets", "homeCompetitorScore": sets[0], "awayCompetitorScore": sets[1]}
        )
        if m.live and m.sport == "tennis":
            tiebreak = m.sets and m.sets[-1] == [6, 6]
            pts = (
                [float(p) for p in m.points]
                if tiebreak
                else [float(TENNIS_POINTS[p]) for p in m.points]
            )
            stages.append(
                {"name": "Game", "homeCompetitorScore": pts[0], "awayCompetitorScore": pts[1]}
            )
        return stages
    out: list[dict[str, Any]] = []
    if m.ht_score is not None:
        out.append(
            {
                "name": "Halftime",
                "shortName": "HT",
                "homeCompetitorScore": float(m.ht_score[0]),
                "awayCompetitorScore": float(m.ht_score[1]),
            }
        )
    if m.regulation_score is not None:
        out.append(
            {
                "name": "Regular Time",
                "homeCompetitorScore": float(m.regulation_score[0]),
                "awayCompetitorScore": float(m.regulation_score[1]),
            }
        )
    if (m.current is not None and m.current.label == "Penalties") or m.pens != [0, 0]:
        out.append(
            {
                "name": "Penalties",
                "homeCompetitorScore": float(m.pens[0]),
                "awayCompetitorScore": float(m.pens[1]),
            }
        )
    return out


def _events(m: MatchState) -> list[dict[str, Any]]:
    out = []
    for e in m.events:
        team = m.spec.home if e.side == "home" else m.spec.away
        out.append(
            {
                "competitorId": team.sap_id,
                "gameTime": e.minute,
                "addedTime": e.added,
                "playerId": 700 + (stable_int("player:" + e.player, 100_000) if e.player else 0),
                "playerName": e.player,
                "order": e.order,
                "isMajor": True,
                "eventType": {"id": e.type_id, "name": e.name, "subTypeName": e.sub},
            }
        )
    return out


def game_object(m: MatchState, variants: Variants, *, events: bool) -> dict[str, Any]:
    """The game as 365Scores would list it. `events` adds events[] (and stages)."""
    minute, added = m.minute_parts()
    clocked = m.sport not in UNCLOCKED and m.status in ("live", "break", "suspended", "finished")
    seconds = int(m.clock_seconds % 60)
    game: dict[str, Any] = {
        "id": m.sap_id,
        "sportId": m.sport_id,
        "competitionId": m.spec.competition_id,
        "competitionDisplayName": m.spec.competition,
        "seasonNum": 98,
        "stageNum": 1,
        "roundNum": m.spec.round,
        "startTime": m.start_wall,
        "statusGroup": status_group(m, variants.sap_status_groups),
        "statusText": m.status_text,
        "shortStatusText": m.short_status_text,
        "gameTimeAndStatusDisplayType": 1,
        "justEnded": m.just_ended,
        "gameTime": float(minute) if clocked else -1.0,
        "gameTimeDisplay": (f"{minute}'" if not added else f"{minute}+{added}'") if clocked else "",
        "addedTime": added,
        "hasTVNetworks": False,
        "homeCompetitor": _competitor(m, "home"),
        "awayCompetitor": _competitor(m, "away"),
        "venue": {"id": 10_000 + m.spec.home.sap_id, "name": m.spec.venue},
    }
    if clocked and m.status == "live":
        game["preciseGameTime"] = {
            "minutes": int(m.clock_seconds // 60),
            "seconds": seconds,
            "autoProgress": m.current is not None and m.current.kind == "play",
            "clockDirection": 1,
        }
    stages = _stages(m)
    if m.sport in SET_SPORTS or m.sport == "baseball":
        game["stages"] = stages  # the score of sets and innings lives in stages
    elif events and stages:
        game["stages"] = stages
    if events:
        game["events"] = _events(m)
    return game


def diff_key(game: dict[str, Any]) -> dict[str, Any]:
    """What counts as a change: everything but the running seconds."""
    return {k: v for k, v in game.items() if k != "preciseGameTime"}
