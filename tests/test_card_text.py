"""No ha-teamtracker-card ever prints null, undefined, NaN, "%s" or "API Error".

Every sport the simulator plays, in every card state (before, during, after a
match, postponed, decided on penalties, none found, feed down), goes from the
simulator's game object through the real parser into teamtracker.py; the texts
the card would show (tests/card_contract.py, from the card's source) are checked.
The contract itself is checked against the vendored card where it is there.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path
import re

import pytest

from custom_components.live_scores.feed.model import Match, Sport
from custom_components.live_scores.feed.sportsapipro_parser import parse_game
from custom_components.live_scores.sensor_descriptions import feed_down_message
from custom_components.live_scores.teamtracker import CARD_SPORT, card_attributes, card_state
from tests.card_contract import CARD_SPORTS, FILLED, STRINGIFIED, render_texts
from tests.simulator.config import Variants
from tests.simulator.engine import Engine, MatchState
from tests.simulator.sap_format import game_object
from tests.simulator.scenario import SPORT_IDS, scenario_from_dict

CARD_JS = (
    Path(__file__).parents[2]
    / "shared"
    / "vendor"
    / "ha-teamtracker-card"
    / "ha-teamtracker-card.js"
)
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
BAD = re.compile(r"null|undefined|NaN|%s|API Error|Invalid Date|\{[a-z-]+\.[A-Za-z0-9]+\}")
SCORING = {
    "football": "goal",
    "hockey": "goal",
    "handball": "goal",
    "tennis": "point",
    "volleyball": "point",
}


def _matches() -> dict[str, tuple[MatchState, float]]:
    """One match per sport, and a football match decided on penalties."""
    raw = []
    for sport in SPORT_IDS:
        kind = SCORING.get(sport, "score")
        raw.append(
            {
                "key": sport,
                "sport": sport,
                "competition": f"{sport.title()} Cup",
                "round": 3,
                "kickoff": 600,
                "best_of": 3,
                "home": {"name": f"{sport} Home", "short": "HOM", "color": "#FFFFFF"},
                "away": {"name": f"{sport} Away", "short": "AWA"},
                "auto": {"every": {"tennis": 30, "volleyball": 5}.get(sport, 90), "seed": 1},
                "moments": [{"minute": 1, "type": kind, "side": "away", "scorer": "A. Player"}]
                if kind == "goal"
                else [],
            }
        )
    raw.append(
        {
            "key": "shootout",
            "competition": "Cup",
            "kickoff": 600,
            "extra_time": True,
            "penalties": True,
            "home": "Liverpool",
            "away": "Arsenal",
            "moments": [
                {"minute": 10, "type": "goal", "side": "home", "scorer": "Salah"},
                {"minute": 50, "type": "goal", "side": "away", "scorer": "Saka"},
                {"type": "shootout", "side": "home", "scored": True},
                {"type": "shootout", "side": "away", "scored": False},
            ],
        }
    )
    raw.append(
        {"key": "postponed", "kickoff": 600, "outcome": "postponed", "home": "A", "away": "B"}
    )
    engine = Engine()
    engine.add_scenario(scenario_from_dict({"match": raw}), 0, NOW.timestamp())
    return {m.key: (m, m.kickoff_at) for m in engine.matches}, engine  # type: ignore[return-value]


def _states() -> list[tuple[str, str, Match]]:
    matches, engine = _matches()
    seen: list[tuple[str, str, Match]] = []
    for t in (0, 600 + 5 * 60, 600 + 40_000):
        engine.apply_at(t)
        for key, (state, _) in matches.items():
            match = parse_game(game_object(state, Variants(), events=True), version=t)
            assert match is not None, key
            seen.append((key, card_state(match), match))
    return seen


STATES = _states()


def test_every_sport_plays_every_state() -> None:
    played = {(key, state) for key, state, _ in STATES}
    for sport in SPORT_IDS:
        assert {(sport, "PRE"), (sport, "IN"), (sport, "POST")} <= played, sport
    assert ("shootout", "POST") in played
    assert ("postponed", "POST") in played


@pytest.mark.parametrize(
    ("key", "state", "match"), STATES, ids=[f"{k}-{s}-{i}" for i, (k, s, _) in enumerate(STATES)]
)
@pytest.mark.parametrize("side", ["home", "away"])
def test_no_card_prints_junk(key: str, state: str, match: Match, side: str) -> None:
    team = match.home.id if side == "home" else match.away.id
    for connected in (True, False):
        attributes = card_attributes(match, team, now=NOW, last_update=NOW)
        if not connected:
            attributes["api_message"] = feed_down_message(NOW)
        for stringified in (
            STRINGIFIED.get(attributes["sport"], frozenset()) | STRINGIFIED["default"]
        ):
            assert attributes[stringified] is not None, stringified
        for filled in FILLED.get(attributes["sport"], frozenset()):
            assert attributes[filled], filled
        texts = render_texts(state, attributes)
        assert not [text for text in texts if BAD.search(text)], texts


@pytest.mark.parametrize("sport", ["soccer", "hockey", "tennis", "volleyball", "baseball"])
def test_the_check_sees_what_the_card_would_print(sport: str) -> None:
    """Without our defaults the card prints "null" and "%s" in these sports (the issue)."""
    texts = render_texts("IN", {"sport": sport, "date": NOW.isoformat()})
    assert [text for text in texts if BAD.search(text)]
    assert BAD.search(render_texts("NOT_FOUND", {"api_message": "Feed down"})[-1])


def test_penalties_decide_the_winner() -> None:
    _, _state, match = next(s for s in STATES if s[0] == "shootout" and s[1] == "POST")
    attributes = card_attributes(match, match.home.id, now=NOW, last_update=NOW)
    assert attributes["team_winner"] is True
    assert attributes["opponent_winner"] is False
    assert (attributes["team_score"], attributes["opponent_score"]) == ("1 (1)", "1 (0)")
    assert "Penalties 1-0" in attributes["last_play"]


@pytest.mark.parametrize("sport", [*Sport, None])
@pytest.mark.parametrize("name", ["Real Madrid", None])
@pytest.mark.parametrize("connected", [True, False])
def test_not_found(sport: Sport | None, name: str | None, connected: bool) -> None:
    attributes = card_attributes(
        None, None, now=NOW, last_update=None, followed_name=name, sport=sport
    )
    if not connected:
        attributes["api_message"] = feed_down_message(NOW - timedelta(minutes=5))
    texts = render_texts("NOT_FOUND", attributes)
    assert not [text for text in texts if BAD.search(text)], texts
    assert texts[-1] == "No upcoming games through 12/02/26"
    assert texts[-2] == ("REA" if name else "—")
    assert attributes["sport"] == (CARD_SPORT[sport] if sport else None)


def _functions(source: str) -> dict[str, str]:
    """The card's per-sport functions, by sport, and its defaults ("default")."""
    bodies = dict(
        re.findall(r"^function (\S+?)\((?:sport, )?t, [^)]*\) \{\n(.*?)^\}", source, re.M | re.S)
    )
    sports = dict(re.findall(r'case "([a-z-]+)":\s+return (\S+?)\(t,', source))
    found = {sport: bodies[name] for sport, name in sports.items()}
    defaults = re.search(
        r"^function \S+\(t, lang, stateObj, c, o, sport, team, oppo\) \{\n(.*?)^\}",
        source,
        re.M | re.S,
    )
    assert defaults is not None
    found["default"] = defaults.group(1)
    return found


@pytest.mark.skipif(not CARD_JS.exists(), reason="the vendored card is not here")
def test_contract_is_the_cards() -> None:
    source = CARD_JS.read_text(encoding="utf-8")
    assert '"v0.14.17"' in source
    functions = _functions(source)
    assert set(functions) - {"default"} == CARD_SPORTS
    for sport, body in functions.items():
        if sport in {"cricket", "golf", "mma", "racing"}:
            continue  # no sport of ours
        stringified = set(re.findall(r"String\(stateObj\.attributes\.(\w+)\)", body))
        stringified |= set(re.findall(r"stateObj\.attributes\.(\w+) \+", body))
        stringified |= set(re.findall(r"\+ stateObj\.attributes\.(\w+)", body))
        filled = set(re.findall(r'"%s", stateObj\.attributes\.(\w+)\)', body))
        if sport == "default":
            # The defaults stringify only the clock; the rest is guarded or lit-rendered.
            stringified &= {"clock"}
            filled = set()
        if sport == "tennis":
            stringified |= {"down_distance_text"}  # through c.pre3 in finalTerm
        assert stringified == set(STRINGIFIED.get(sport, ())), sport
        assert filled == set(FILLED.get(sport, ())), sport
