"""Scenario files: TOML documents describing scripted matches.

See scenarios/README.md for the format. A scenario is a list of matches; each
match has teams, a kick-off offset (match-clock seconds after the scenario is
loaded) and a list of moments at match minutes. Phases (kick-off, half-time,
second half, extra time, penalties, full time) are derived from the sport.
"""

from dataclasses import dataclass, field
import hashlib
from pathlib import Path
import tomllib
from typing import Any

SCENARIO_DIR = Path(__file__).parent / "scenarios"

SPORT_IDS = {
    "football": 1,
    "basketball": 2,
    "tennis": 3,
    "hockey": 4,
    "handball": 5,
    "american-football": 6,
    "baseball": 7,
    "volleyball": 8,
    "rugby": 9,
}
SUPPORTED_SPORTS = tuple(SPORT_IDS)
MOMENT_TYPES = (
    "goal",  # football/hockey: side scores; kind open_play|penalty|own_goal
    "var",  # the last standing goal of `side` (or of anyone) is cancelled by VAR
    "red_card",
    "yellow_card",
    "score",  # basketball, American football, baseball, rugby: side scores `points`
    "point",  # tennis, volleyball: side wins a point (a rally)
    "game",  # tennis: side wins the current game
    "shootout",  # football penalties: side takes a kick, `scored` true/false
    "abandoned",  # match stops for good
    "suspended",  # match status becomes Suspended (play resumes with "resume")
    "resume",
)
GOAL_KINDS = ("open_play", "penalty", "own_goal")


def stable_int(text: str, modulo: int) -> int:
    """A deterministic integer from text (Python's hash() is salted)."""
    return int(hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12], 16) % modulo


def stable_hex(text: str, length: int = 16) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:length]


@dataclass(slots=True)
class TeamSpec:
    name: str
    short: str  # 3-letter symbolic name
    sap_id: int
    sf_id: str
    color: str = "#FFFFFF"
    players: tuple[str, ...] = ()


@dataclass(slots=True)
class MomentSpec:
    minute: float
    type: str
    side: str | None = None
    added: int = 0
    kind: str = "open_play"
    scorer: str | None = None
    points: int = 1
    scored: bool = True


@dataclass(slots=True)
class AutoSpec:
    """Generated moments: one every `every` match seconds, random side."""

    every: float
    seed: int = 0


@dataclass(slots=True)
class MatchSpec:
    key: str
    sport: str
    home: TeamSpec
    away: TeamSpec
    sap_id: int
    sf_id: str
    competition: str
    competition_id: int
    sf_league_id: str
    country: str = "England"
    season: str = "2025/2026"
    round: int = 1
    venue: str = "Stadium"
    kickoff: float = 0.0
    outcome: str = "play"  # play | postponed | cancelled
    added_time: tuple[int, int] = (0, 0)
    halftime_minutes: float = 15.0
    break_minutes: float = 2.0  # basketball quarter breaks, hockey intermissions, ET break
    extra_time: bool = False
    penalties: bool = False
    best_of: int = 3  # tennis
    period_minutes: float = 0.0  # 0: sport default (basketball 12, hockey 20)
    moments: list[MomentSpec] = field(default_factory=list)
    auto: AutoSpec | None = None


@dataclass(slots=True)
class Scenario:
    name: str
    description: str = ""
    loop: bool = False  # restart (new ids) once every match has ended
    loop_gap: float = 120.0  # match seconds between the end and the restart
    matches: list[MatchSpec] = field(default_factory=list)


def _team(raw: dict[str, Any] | str, key: str) -> TeamSpec:
    if isinstance(raw, str):
        raw = {"name": raw}
    name = str(raw["name"])
    return TeamSpec(
        name=name,
        short=str(raw.get("short", name[:3].upper())),
        sap_id=int(raw.get("id", 100 + stable_int("team:" + name, 90000))),
        sf_id=str(raw.get("sf_id", stable_hex("team:" + name))),
        color=str(raw.get("color", "#FFFFFF")),
        players=tuple(raw.get("players", ())),
    )


def _moment(raw: dict[str, Any], key: str) -> MomentSpec:
    kind = str(raw["type"])
    if kind not in MOMENT_TYPES:
        msg = f"match {key}: unknown moment type {kind!r}"
        raise ValueError(msg)
    goal_kind = str(raw.get("kind", "open_play"))
    if goal_kind not in GOAL_KINDS:
        msg = f"match {key}: unknown goal kind {goal_kind!r}"
        raise ValueError(msg)
    return MomentSpec(
        minute=float(raw.get("minute", 0)),
        type=kind,
        side=raw.get("side"),
        added=int(raw.get("added", 0)),
        kind=goal_kind,
        scorer=raw.get("scorer", raw.get("player")),
        points=int(raw.get("points", 1)),
        scored=bool(raw.get("scored", True)),
    )


def match_from_dict(raw: dict[str, Any]) -> MatchSpec:
    """One [[match]] table; ids missing from the file are derived from its key."""
    key = str(raw["key"])
    sport = str(raw.get("sport", "football"))
    if sport not in SUPPORTED_SPORTS:
        msg = f"match {key}: unsupported sport {sport!r}"
        raise ValueError(msg)
    competition = str(raw.get("competition", "Premier League"))
    auto = raw.get("auto")
    added = raw.get("added_time", (0, 0))
    return MatchSpec(
        key=key,
        sport=sport,
        home=_team(raw["home"], key),
        away=_team(raw["away"], key),
        sap_id=int(raw.get("sap_id", 4_000_000 + stable_int("match:" + key, 900_000))),
        sf_id=str(raw.get("sf_id", stable_hex("match:" + key))),
        competition=competition,
        competition_id=int(raw.get("competition_id", 1 + stable_int("comp:" + competition, 9000))),
        sf_league_id=str(raw.get("sf_league_id", stable_hex("league:" + competition, 15))),
        country=str(raw.get("country", "England")),
        season=str(raw.get("season", "2025/2026")),
        round=int(raw.get("round", 1)),
        venue=str(raw.get("venue", "Stadium")),
        kickoff=float(raw.get("kickoff", 0)),
        outcome=str(raw.get("outcome", "play")),
        added_time=(int(added[0]), int(added[1])),
        halftime_minutes=float(raw.get("halftime_minutes", 15)),
        break_minutes=float(raw.get("break_minutes", 2)),
        extra_time=bool(raw.get("extra_time", False)),
        penalties=bool(raw.get("penalties", False)),
        best_of=int(raw.get("best_of", 3)),
        period_minutes=float(raw.get("period_minutes", 0)),
        moments=[_moment(m, key) for m in raw.get("moments", ())],
        auto=None if auto is None else AutoSpec(float(auto["every"]), int(auto.get("seed", 0))),
    )


def scenario_from_dict(raw: dict[str, Any], name: str = "inline") -> Scenario:
    matches = [match_from_dict(m) for m in raw.get("match", ())]
    keys = [m.key for m in matches]
    if len(set(keys)) != len(keys):
        msg = f"scenario {name}: duplicate match keys"
        raise ValueError(msg)
    return Scenario(
        name=str(raw.get("name", name)),
        description=str(raw.get("description", "")),
        loop=bool(raw.get("loop", False)),
        loop_gap=float(raw.get("loop_gap", 120)),
        matches=matches,
    )


def load_scenario(source: str | Path) -> Scenario:
    """By name (a file in scenarios/) or by path."""
    path = Path(source)
    if isinstance(source, str) and not source.endswith(".toml") and "/" not in source:
        path = SCENARIO_DIR / f"{source}.toml"
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    return scenario_from_dict(raw, path.stem)


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
