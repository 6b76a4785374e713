"""The parse cache gives what a full read gives, whatever changed between two objects."""

import copy
import random
from typing import Any

import pytest

from custom_components.live_scores.feed.model import Match
from custom_components.live_scores.feed.sportsapipro_parser import ParseCache, parse_game
from custom_components.live_scores.feed.sportsapipro_values import same

from .test_parsers import GAME

GOAL = {"competitorId": 142, "gameTime": 80, "order": 9, "eventType": {"id": 1, "name": "Goal"}}
BY_ID = {"competitorId": 131, "gameTime": 81, "playerId": 703, "eventType": {"id": 1}}


def _team(game: dict[str, Any], rng: random.Random) -> None:
    side = game[rng.choice(("homeCompetitor", "awayCompetitor"))]
    key = rng.choice(("score", "redCards", "name", "color", "imageVersion", "id", "symbolicName"))
    side[key] = rng.choice((side.get(key), 0, 1, 2.0, "3", -1, None, "Renamed", 131, 142, [1]))


def _status(game: dict[str, Any], rng: random.Random) -> None:
    key = rng.choice(("statusGroup", "statusText", "shortStatusText", "justEnded", "gameTime"))
    value = rng.choice((1, 2, 3, 4, "Halftime", "Ended", "2nd Half", None, True, 55.0, "HT"))
    game[key] = value


def _events(game: dict[str, Any], rng: random.Random) -> None:
    events = game.setdefault("events", [])
    if not isinstance(events, list):
        game["events"] = events = []
    roll = rng.random()
    if roll < 0.4:
        events.append(copy.deepcopy(rng.choice((GOAL, BY_ID))))
    elif roll < 0.6 and events:
        del events[rng.randrange(len(events))]
    elif roll < 0.8 and events:
        event = events[rng.randrange(len(events))]
        if isinstance(event, dict):
            event["eventType"] = {"id": 1, "subTypeName": rng.choice(("Own", "Disallowed"))}
    else:
        game.pop("events")


def _rest(game: dict[str, Any], rng: random.Random) -> None:
    key = rng.choice(
        (
            "members",
            "stages",
            "venue",
            "roundNum",
            "roundName",
            "stageName",
            "competitionDisplayName",
            "competitionId",
            "startTime",
            "gameTimeDisplay",
            "sportId",
        )
    )
    choices: dict[str, tuple[Any, ...]] = {
        "members": ([{"id": 703, "name": "Newcomer"}, {"id": 701, "name": "Kylian"}], None, "x"),
        "stages": ([{"name": "Set 1", "homeCompetitorScore": 6}], [], None),
        "venue": ({"name": "Elsewhere"}, None, "x"),
        "sportId": (1, 3, 2, 99),
    }
    game[key] = rng.choice(choices.get(key, (None, "Round of 16", 7, 12.0, "2026-04-04T15:00:00Z")))


MUTATIONS = (_team, _status, _events, _rest)


def _same(a: Match | None, b: Match | None) -> bool:
    """Equal in every field, those equality leaves out too."""
    return repr(a) == repr(b)


@pytest.mark.parametrize("seed", range(40))
def test_a_cached_read_is_a_full_read(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - a seeded test, not a secret
    cache = ParseCache()
    game = copy.deepcopy(GAME)
    previous: Match | None = None
    for step in range(60):
        # A new object each time, as every frame is (the old one is never changed).
        game = copy.deepcopy(game)
        for _ in range(rng.randint(0, 3)):
            rng.choice(MUTATIONS)(game, rng)
        if rng.random() < 0.1:
            game.pop("stages", None)  # a list payload's lean object
        full = parse_game(game, step, previous)
        cached = parse_game(game, step, previous, cache)
        assert _same(cached, full), (seed, step)
        previous = full or previous


def test_the_cache_reuses_what_did_not_change() -> None:
    cache = ParseCache()
    first = parse_game(GAME, 1, None, cache)
    moved = copy.deepcopy(GAME) | {"gameTime": 68.0, "gameTimeDisplay": "68'"}
    second = parse_game(moved, 2, first, cache)
    assert first is not None
    assert second is not None
    assert second.minute == 68
    # The same objects, not equal copies: nothing of them was read again.
    assert second.home is first.home
    assert second.away is first.away
    assert second.scorers is first.scorers
    assert second.periods is first.periods
    assert second.start is first.start
    goal = copy.deepcopy(moved)
    goal["events"].append(copy.deepcopy(GOAL))
    goal["homeCompetitor"]["score"] = 2.0
    third = parse_game(goal, 3, second, cache)
    assert third is not None
    assert third.home.score == 2
    assert third.away is first.away
    assert third.scorers[: len(first.scorers)] == first.scorers
    assert len(third.scorers) == len(first.scorers) + 1


def test_values_equal_across_types_are_not_the_same() -> None:
    assert same({"id": 142, "score": 1}, {"id": 142, "score": 1})
    assert not same({"id": 142}, {"id": 142.0})  # an id as a float is no id
    assert not same(1, True)
    assert not same([{"score": 0}], [{"score": False}])
    assert not same(None, 0)
    cache = ParseCache()
    parse_game(GAME, 1, None, cache)
    odd = copy.deepcopy(GAME)
    odd["homeCompetitor"]["id"] = float(odd["homeCompetitor"]["id"])
    assert parse_game(odd, 2, None, cache) is None  # malformed, as a full read says
