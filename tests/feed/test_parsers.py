"""Both parsers on hand-written frames from PROTOCOLS.md, and the shared helpers."""

import ast
from pathlib import Path

from custom_components.live_scores.feed.api import Timing
from custom_components.live_scores.feed.backoff import Backoff
from custom_components.live_scores.feed.errors import (
    AuthFailed,
    CannotConnect,
    QuotaExceeded,
    http_error,
    retry_after,
)
from custom_components.live_scores.feed.model import GoalKind, Side, Sport, Status
from custom_components.live_scores.feed.privacy import account_hash, redact
from custom_components.live_scores.feed.soccerfootball_parser import pair
from custom_components.live_scores.feed.sportsapipro_parser import (
    parse_game,
    read_status,
    summarize,
)
from custom_components.live_scores.feed.sportsapipro_values import number

FEED = Path(__file__).parents[2] / "custom_components" / "live_scores" / "feed"

GAME = {
    "id": 4467358,
    "sportId": 1,
    "competitionId": 11,
    "competitionDisplayName": "LaLiga",
    "startTime": "2026-04-04T14:15:00+00:00",
    "statusGroup": 3,
    "statusText": "2nd Half",
    "shortStatusText": "2nd",
    "gameTime": 67.0,
    "gameTimeDisplay": "67'",
    "homeCompetitor": {
        "id": 142,
        "name": "Mallorca",
        "shortName": "Mallorca",
        "symbolicName": "MLL",
        "score": 1.0,
        "redCards": 0,
        "color": "#D40034",
        "imageVersion": 3,
    },
    "awayCompetitor": {
        "id": 131,
        "name": "Real Madrid",
        "symbolicName": "RMA",
        "score": 2.0,
        "redCards": 1,
    },
    "members": [{"id": 701, "name": "Mbappe"}, {"id": 702, "name": "Valjent"}],
    "events": [
        {
            "competitorId": 131,
            "gameTime": 23,
            "playerId": 701,
            "order": 1,
            "eventType": {"id": 1, "name": "Goal", "subTypeName": "Penalty"},
        },
        {
            "competitorId": 131,
            "gameTime": 30,
            "playerId": 1,
            "order": 2,
            "eventType": {"id": 11, "name": "VAR", "subTypeName": "Goal Disallowed"},
        },
        {
            "competitorId": 142,
            "gameTime": 40,
            "order": 3,
            "playerName": "Muriqi",
            "eventType": {"id": 1, "name": "Goal", "subTypeName": "Field Goal"},
        },
        {
            "competitorId": 131,
            "gameTime": 67,
            "playerId": 702,
            "order": 4,
            "eventType": {"id": 8, "name": "Own Goal", "subTypeName": "Own Goal"},
        },
        {"competitorId": 999, "eventType": {"id": 1}},
        {"eventType": "junk"},
        "junk",
    ],
    "stages": [{"name": "Halftime", "homeCompetitorScore": 1.0, "awayCompetitorScore": 0.0}, "x"],
    "venue": {"id": 13515, "name": "Estadi Mallorca Son Moix"},
}


def test_no_home_assistant_imports() -> None:
    for path in FEED.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "homeassistant" for n in names), path.name


def test_sportsapipro_game() -> None:
    match = parse_game(GAME, 77)
    assert match is not None
    assert (match.id, match.sport, match.status, match.minute, match.version) == (
        "4467358",
        Sport.FOOTBALL,
        Status.LIVE,
        67,
        77,
    )
    assert (match.home.score, match.away.score, match.away.red_cards) == (1, 2, 1)
    assert match.home.logo is not None
    assert match.home.logo.endswith("imageVersion=3")
    assert match.venue == "Estadi Mallorca Son Moix"
    assert match.start is not None
    assert match.start.year == 2026
    assert [(s.side, s.player, s.kind, s.minute) for s in match.scorers] == [
        (Side.AWAY, "Mbappe", GoalKind.PENALTY, 23),
        (Side.HOME, "Muriqi", GoalKind.OPEN_PLAY, 40),
        (Side.AWAY, "Valjent", GoalKind.OWN_GOAL, 67),
    ]
    assert match.periods[0].name == "Halftime"
    # A list payload without events/stages keeps what the last state had.
    lean = {k: v for k, v in GAME.items() if k not in ("events", "stages")}
    again = parse_game(lean, 78, match)
    assert again is not None
    assert again.scorers == match.scorers
    assert again.periods == match.periods


def test_sportsapipro_members_as_dict_and_bad_games() -> None:
    game = dict(GAME, members={"701": {"name": "Kylian"}}, events=[GAME["events"][0]])
    match = parse_game(game)
    assert match is not None
    assert match.scorers[0].player == "Kylian"
    assert parse_game("x") is None
    assert parse_game({"id": 1, "sportId": 99}) is None
    assert parse_game({"id": 1, "sportId": 1, "homeCompetitor": {}, "awayCompetitor": {}}) is None
    odd = dict(GAME, startTime="yesterday", venue=None, homeCompetitor={"id": 1, "score": -1})
    parsed = parse_game(odd)
    assert parsed is not None
    assert parsed.start is None
    assert parsed.home.score is None
    assert parsed.home.name == "1"


def test_numbers_and_statuses() -> None:
    assert [number(v) for v in (-1, -1.0, 2.0, 3, "4", "x", None, True)] == [
        None,
        None,
        2,
        3,
        4,
        None,
        None,
        None,
    ]
    assert read_status(3, "Halftime") is Status.BREAK
    assert read_status(3, "End of 1st Quarter") is Status.BREAK
    assert read_status(3, "Set 2") is Status.LIVE
    assert read_status(3, "Just Ended") is Status.FINISHED
    assert read_status(4, "Final (OT)") is Status.FINISHED
    assert read_status(4, "Ended") is Status.FINISHED
    assert read_status(2, "Scheduled") is Status.SCHEDULED  # the "seen" table
    assert read_status(1, "Scheduled") is Status.SCHEDULED
    assert read_status(2, "Postponed") is Status.POSTPONED  # the "doc" table
    assert read_status(4, "Cancelled") is Status.CANCELLED
    assert read_status(4, "Abandoned") is Status.ABANDONED
    assert read_status(3, "Suspended") is Status.SUSPENDED
    assert read_status(None, None) is Status.UNKNOWN
    assert read_status(3, None, True) is Status.FINISHED


def test_summarize() -> None:
    summary = summarize(GAME)
    assert summary is not None
    assert (summary.id, summary.home, summary.away_id, summary.status) == (
        "4467358",
        "Mallorca",
        "131",
        "live",
    )
    assert summarize({"id": 1}) is None


def test_pairs() -> None:
    assert pair("1;0") == (1, 0)
    assert pair("2-1") == (2, 1)
    assert pair([3, "4"]) == (3, 4)
    assert pair({"home": 1, "away": 2}) == (1, 2)
    assert pair({"teamA": 1, "teamB": None}) == (1, None)
    assert pair("x") == (None, None)
    assert pair(None) == (None, None)
    assert pair({}) == (None, None)
    assert pair("a;b") == (None, None)


def test_connection_helpers() -> None:
    backoff = Backoff(Timing(backoff_min=1, backoff_max=8), uniform=lambda a, b: b)
    assert [backoff.next() for _ in range(6)] == [1, 2, 4, 8, 8, 8]
    backoff.reset()
    assert backoff.next() == 1
    assert redact("wss://h/ws?x-api-key=SECRET") == "wss://h/ws"
    assert account_hash("p", "k") != account_hash("p", "k2")
    assert len(account_hash("p", "k")) == 16
    assert retry_after({"X-RateLimit-Reset": "1000"}, now=0) == 1000
    assert retry_after({"X-RateLimit-Reset": "2000000000"}, now=1999999000) == 1000
    assert retry_after({"X-RateLimit-Reset": "2000000000000"}, now=1999999000) == 1000
    assert retry_after({"Retry-After": "1970-01-01T00:00:10Z"}, now=0) == 10
    assert retry_after({"Retry-After": "1970-01-01T00:00:10"}, now=0) == 10
    assert retry_after({"Retry-After": "soon"}, now=0) is None
    assert retry_after({}, now=0) is None
    assert retry_after(None) is None
    assert isinstance(http_error(401, "x"), AuthFailed)
    assert isinstance(http_error(403, "x"), AuthFailed)
    assert isinstance(http_error(429, "x"), QuotaExceeded)
    assert isinstance(http_error(502, "x"), CannotConnect)
