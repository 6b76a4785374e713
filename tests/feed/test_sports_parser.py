"""SportsAPIPro's other sports: the parser reads what the card needs of them."""

import pytest

from custom_components.live_scores.feed.model import Sport, Status
from custom_components.live_scores.feed.sportsapipro_parser import parse_game


def _game(sport_id: int, **extra: object) -> dict[str, object]:
    return {
        "id": 9001,
        "sportId": sport_id,
        "statusGroup": 3,
        "statusText": "Top 3rd",
        "homeCompetitor": {"id": 1, "name": "Home", "score": 2.0, "isWinner": False},
        "awayCompetitor": {"id": 2, "name": "Away", "score": 1.0, "imageVersion": 4},
        **extra,
    }


@pytest.mark.parametrize(
    ("sport_id", "sport", "host"),
    [
        (7, Sport.BASEBALL, "baseball"),
        (8, Sport.VOLLEYBALL, "volleyball"),
        (9, Sport.RUGBY, "rugby"),
    ],
)
def test_logos_from_the_sports_host(sport_id: int, sport: Sport, host: str) -> None:
    match = parse_game(_game(sport_id))
    assert match is not None
    assert match.sport is sport
    assert match.status is Status.LIVE
    assert (
        match.away.logo == f"https://v1.{host}.sportsapipro.com/images/competitors/2?imageVersion=4"
    )


def test_round_and_winner() -> None:
    assert parse_game(_game(6, roundNum=30)).round == "Round 30"  # type: ignore[union-attr]
    named = parse_game(_game(6, roundNum=30, roundName="Quarter-final"))
    assert named is not None
    assert named.round == "Quarter-final"
    assert parse_game(_game(6, roundNum="x")).round is None  # type: ignore[union-attr]
    assert (named.home.winner, named.away.winner) == (False, None)


def test_innings_and_sets_are_periods() -> None:
    stages = [{"name": "Inning 1", "homeCompetitorScore": 0.0, "awayCompetitorScore": 2.0}]
    match = parse_game(_game(7, stages=stages))
    assert match is not None
    assert [(p.name, p.home, p.away) for p in match.periods] == [("Inning 1", 0, 2)]
