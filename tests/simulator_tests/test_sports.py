"""Every sport of SportsAPIPro plays with its own periods and scoring."""

from datetime import UTC, datetime

import pytest

from tests.simulator.config import Variants
from tests.simulator.engine import Engine, MatchState
from tests.simulator.sap_format import game_object
from tests.simulator.scenario import SPORT_IDS, scenario_from_dict

START = datetime(2026, 12, 2, 18, 0, tzinfo=UTC).timestamp()


def _play(sport: str, **spec: object) -> tuple[MatchState, list[dict[str, object]]]:
    """Play one match of `sport` to the end; the game objects of each status text seen."""
    kind = {"tennis": "point", "volleyball": "point", "handball": "goal"}.get(sport, "score")
    raw = {"key": sport, "sport": sport, "home": "Home", "away": "Away", **spec}
    raw.setdefault("auto", {"every": 30 if kind == "point" else 120, "seed": 2})
    if kind == "goal":
        raw["auto"] = {"every": 120, "seed": 2}
    engine = Engine()
    engine.add_scenario(scenario_from_dict({"match": [raw]}), 0, START)
    [match] = engine.matches
    seen: dict[str, dict[str, object]] = {}
    t = 0.0
    while not match.final and t < 200_000:
        t += 30
        engine.apply_at(t)
        game = game_object(match, Variants(), events=True)
        seen.setdefault(str(game["statusText"]), game)
    return match, list(seen.values())


@pytest.mark.parametrize(
    ("sport", "texts"),
    [
        ("handball", ["1st Half", "Halftime", "2nd Half", "Just Ended"]),
        ("rugby", ["1st Half", "Halftime", "2nd Half", "Just Ended"]),
        (
            "american-football",
            [
                "1st Quarter",
                "End of Quarter",
                "2nd Quarter",
                "Halftime",
                "3rd Quarter",
                "4th Quarter",
                "Final",
            ],
        ),
        ("baseball", ["Top 1st", "Bottom 1st", "Top 2nd", "Bottom 9th", "Final"]),
        ("volleyball", ["Set 1", "Set 2", "Just Ended"]),
    ],
)
def test_periods(sport: str, texts: list[str]) -> None:
    match, games = _play(sport)
    shown = [g["statusText"] for g in games]
    assert [t for t in shown if t in texts] == [t for t in texts if t in shown]
    assert set(texts) <= set(shown)
    assert match.status == "finished"
    assert games[-1]["sportId"] == SPORT_IDS[sport]


def test_baseball_counts_runs_per_inning() -> None:
    match, games = _play("baseball")
    innings = games[-1]["stages"]
    assert [s["name"] for s in innings] == [f"Inning {n}" for n in range(1, 10)]
    assert sum(s["homeCompetitorScore"] for s in innings) == match.home_score
    assert sum(s["awayCompetitorScore"] for s in innings) == match.away_score
    assert games[-1]["gameTimeDisplay"] == ""  # no match clock


def test_volleyball_sets_to_25_and_a_deciding_15() -> None:
    match, games = _play("volleyball", best_of=5)
    sets = [s for s in games[-1]["stages"] if str(s["name"]).startswith("Set ")]
    played = [
        (s["homeCompetitorScore"], s["awayCompetitorScore"])
        for s in sets
        if s["homeCompetitorScore"] >= 0
    ]
    assert max(match.home_score or 0, match.away_score or 0) == 3
    for n, (home, away) in enumerate(played, 1):
        target = 15 if n == 5 else 25
        assert max(home, away) >= target
        assert abs(home - away) >= 2
    winner = "home" if (match.home_score or 0) > (match.away_score or 0) else "away"
    assert games[-1][f"{winner}Competitor"]["isWinner"] is True


@pytest.mark.parametrize(
    ("sport", "values"), [("rugby", {3, 5, 7}), ("american-football", {2, 3, 6, 7})]
)
def test_points_are_the_sports(sport: str, values: set[int]) -> None:
    """Tries and conversions, touchdowns and field goals: scores rise by what they are worth."""
    engine = Engine()
    engine.add_scenario(
        scenario_from_dict(
            {
                "match": [
                    {
                        "key": "x",
                        "sport": sport,
                        "home": "A",
                        "away": "B",
                        "auto": {"every": 60, "seed": 4},
                    }
                ]
            }
        ),
        0,
        START,
    )
    rises = {
        e.detail["points"]
        for t in range(0, 20_000, 30)
        for e in engine.apply_at(t)
        if e.type == "score_change"
    }
    assert rises <= values
    assert len(rises) >= 2
