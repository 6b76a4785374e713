"""A random match day, built as a simulator scenario (see tests/simulator/scenario.py).

Every match gets its goals, VAR decisions and red cards at distinct match minutes
(at most one moment per minute and match), so that each moment is one state change
the client can see. Team and competition ids are derived from their names, so a team
keeps its id from one day to the next and a followed team is followed again the next
day; match ids are derived from the run's seed, the day and the match's number.
"""

from dataclasses import dataclass
import random
from typing import Any

from tests.simulator.scenario import Scenario, match_from_dict

FOOTBALL_COMPETITIONS = {
    "Premier League": [
        "Liverpool",
        "Arsenal",
        "Manchester City",
        "Chelsea",
        "Tottenham",
        "Newcastle United",
        "Aston Villa",
        "Brighton",
    ],
    "LaLiga": [
        "Real Madrid",
        "Barcelona",
        "Atlético Madrid",
        "Sevilla",
        "Deportivo Alavés",
        "Real Betis",
        "Athletic Club",
        "Cádiz",
    ],
    "Bundesliga": [
        "Bayern München",
        "Borussia Dortmund",
        "1. FC Köln",
        "Bayer Leverkusen",
        "RB Leipzig",
        "Fortuna Düsseldorf",
        "Eintracht Frankfurt",
        "VfB Stuttgart",
    ],
}
HOCKEY_COMPETITIONS = {
    "NHL": [
        "Montréal Canadiens",
        "Toronto Maple Leafs",
        "Boston Bruins",
        "New York Rangers",
        "Edmonton Oilers",
        "Colorado Avalanche",
    ],
}
PLAYERS = ("Salah", "Saka", "Núñez", "Müller", "Kane", "Mbappé", "Pedri", "Ødegaard", "Son")
KINDS = ("open_play", "open_play", "open_play", "penalty", "own_goal")


@dataclass(frozen=True, slots=True)
class DayShape:
    """How busy a day is."""

    football: int = 9  # matches
    hockey: int = 0  # matches (SportsAPIPro only)
    kickoff_spread: float = 1500.0  # match seconds between the first and last kick-off
    halftime_minutes: float = 5.0  # shorter than real, to keep the day short
    var_chance: float = 0.25  # per goal
    red_chance: float = 0.4  # per match
    postponed_chance: float = 0.1  # per day: one match is postponed


def _football_moments(
    rng: random.Random, added: tuple[int, int], shape: DayShape
) -> list[dict[str, Any]]:
    """Goals, VAR decisions (a minute or two after a goal) and red cards."""
    # Minutes 45 and 90 are the ends of the halves (their stoppage time is `added`).
    slots = [m for m in range(2, 90) if m not in (45, 46)]
    used: set[int] = set()
    moments: list[dict[str, Any]] = []
    goals = rng.choice((1, 2, 3, 3, 4, 4, 5, 5, 6, 7))
    for _ in range(goals):
        free = [m for m in slots if m not in used and m - 1 not in used and m + 1 not in used]
        if not free:
            break
        minute = rng.choice(free)
        used.add(minute)
        side = rng.choice(("home", "away"))
        moments.append(
            {
                "minute": minute,
                "type": "goal",
                "side": side,
                "kind": rng.choice(KINDS),
                "scorer": rng.choice(PLAYERS),
            }
        )
        if rng.random() < shape.var_chance:
            later = minute + rng.choice((1, 2))
            if later in slots and later not in used:
                used.add(later)
                moments.append({"minute": later, "type": "var", "side": side})
    if added[1] and rng.random() < 0.3:  # a goal in stoppage time
        moments.append(
            {
                "minute": 90,
                "added": rng.randint(1, added[1]),
                "type": "goal",
                "side": rng.choice(("home", "away")),
                "kind": "open_play",
                "scorer": rng.choice(PLAYERS),
            }
        )
    if rng.random() < shape.red_chance:
        free = [m for m in slots if m not in used]
        if free:
            minute = rng.choice(free)
            used.add(minute)
            moments.append(
                {"minute": minute, "type": "red_card", "side": rng.choice(("home", "away"))}
            )
    return sorted(moments, key=lambda m: (m["minute"], m.get("added", 0)))


def _hockey_moments(rng: random.Random, shape: DayShape) -> list[dict[str, Any]]:
    slots = [m for m in range(2, 60) if m not in (20, 21, 40, 41)]
    used: set[int] = set()
    moments: list[dict[str, Any]] = []
    for _ in range(rng.randint(2, 8)):
        free = [m for m in slots if m not in used and m - 1 not in used and m + 1 not in used]
        if not free:
            break
        minute = rng.choice(free)
        used.add(minute)
        side = rng.choice(("home", "away"))
        moments.append({"minute": minute, "type": "goal", "side": side})
        if rng.random() < shape.var_chance / 2 and minute + 1 in slots and minute + 1 not in used:
            used.add(minute + 1)
            moments.append({"minute": minute + 1, "type": "var", "side": side})
    return sorted(moments, key=lambda m: m["minute"])


def _pairs(rng: random.Random, teams: list[str]) -> list[tuple[str, str]]:
    order = list(teams)
    rng.shuffle(order)
    return [(order[i], order[i + 1]) for i in range(0, len(order) - 1, 2)]


def match_day(rng: random.Random, run: int, day: int, shape: DayShape) -> Scenario:
    """The day's matches: kick-offs spread over `shape.kickoff_spread` seconds."""
    raw: list[dict[str, Any]] = []
    fixtures: list[tuple[str, str, str, str]] = []  # (sport, competition, home, away)
    comps = list(FOOTBALL_COMPETITIONS)
    per = -(-shape.football // len(comps))
    for comp in comps:
        for home, away in _pairs(rng, FOOTBALL_COMPETITIONS[comp])[:per]:
            fixtures.append(("football", comp, home, away))
    fixtures = fixtures[: shape.football]
    for comp, teams in HOCKEY_COMPETITIONS.items():
        for home, away in _pairs(rng, teams)[: shape.hockey]:
            fixtures.append(("hockey", comp, home, away))
    postponed = rng.randrange(len(fixtures)) if rng.random() < shape.postponed_chance else None
    for i, (sport, comp, home, away) in enumerate(fixtures):
        added = (rng.randint(0, 3), rng.randint(1, 5))
        spec: dict[str, Any] = {
            "key": f"r{run}-d{day}-m{i}",
            "sport": sport,
            "competition": comp,
            "home": {"name": home, "short": home.replace(".", "")[:3].upper()},
            "away": {"name": away, "short": away.replace(".", "")[:3].upper()},
            "kickoff": 30 + rng.random() * shape.kickoff_spread,
            "halftime_minutes": shape.halftime_minutes,
            "break_minutes": 2,
        }
        if sport == "football":
            spec["added_time"] = list(added)
            spec["moments"] = _football_moments(rng, added, shape)
        else:
            spec["moments"] = _hockey_moments(rng, shape)
        if i == postponed:
            spec["outcome"] = "postponed"
            spec["moments"] = []
        raw.append(spec)
    return Scenario(
        name=f"chaos-{run}-{day}",
        description="A random match day of the fault campaign",
        matches=[match_from_dict(m) for m in raw],
    )
