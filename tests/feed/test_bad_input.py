"""Bad input costs nothing: the SportsAPIPro readers are total, `read_socket` skips quietly."""

import asyncio
import logging
import math
from typing import Any

import aiohttp
import pytest

from custom_components.live_scores.feed.api import Targets
from custom_components.live_scores.feed.model import Sport, Status
from custom_components.live_scores.feed.sockets import SkipLog, read_socket
from custom_components.live_scores.feed.sportsapipro_fields import MAX_PERIODS
from custom_components.live_scores.feed.sportsapipro_parser import (
    parse_game,
    read_status,
    sport_of,
    summarize,
)
from custom_components.live_scores.feed.sportsapipro_scorers import MAX_SCORERS
from custom_components.live_scores.feed.sportsapipro_values import (
    MAX_CARDS,
    MAX_SCORE,
    MAX_TEXT,
    number,
)
from tests.simulator import Simulator

from .harness import FAST, running, sap_credentials, until
from .test_parsers import GAME


def game(**changes: Any) -> dict[str, Any]:
    return {**GAME, **changes}


def home(**changes: Any) -> dict[str, Any]:
    return game(homeCompetitor={**GAME["homeCompetitor"], **changes})


@pytest.mark.parametrize(
    "value",
    [
        math.nan,
        math.inf,
        -math.inf,
        1e308,
        -1e308,
        MAX_SCORE + 1,
        MAX_SCORE + 0.6,
        10**400,
        2**64,
        -1,
        -0.5,
        True,
        False,
        "inf",
        "nan",
        "-inf",
        "1e308",
        "1" * 40,
        "9" * 5000,
        "",
        None,
        [],
        {},
        [1],
    ],
)
def test_number_rejects_junk(value: Any) -> None:
    assert number(value) is None


def test_number_reads_plausible_values() -> None:
    assert [number(v) for v in (0, 2.0, 3, "4", " 5 ", 2.4, -0.0, MAX_SCORE)] == [
        0,
        2,
        3,
        4,
        5,
        2,
        0,
        MAX_SCORE,
    ]
    assert number(100, 99) is None
    assert number(99, 99) == 99


@pytest.mark.parametrize(
    "changes",
    [
        {"id": {"x": 1}},
        {"id": [4467358]},
        {"id": True},
        {"id": 4467358.0},
        {"id": ""},
        {"id": "x" * 65},
        {"id": 10**30},
        {"id": None},
        {"sportId": {"id": 1}},
        {"sportId": [1]},
        {"sportId": True},
        {"sportId": math.nan},
        {"sportId": 1.5},
        {"sportId": "1"},
        {"competitionId": {}},
        {"competitionId": [11]},
        {"homeCompetitor": None},
        {"homeCompetitor": []},
        {"awayCompetitor": "Real Madrid"},
    ],
)
def test_a_game_with_bad_ids_is_malformed(changes: dict[str, Any]) -> None:
    assert parse_game(game(**changes)) is None
    assert summarize(game(**changes)) is None or "competitionId" in changes


@pytest.mark.parametrize(
    "changes",
    [
        {"id": {"a": 1}},
        {"id": None},
        {"id": False},
        {"score": math.inf},
        {"score": math.nan},
        {"score": 1e308},
        {"score": "1e308"},
        {"score": "inf"},
        {"score": -2},
        {"score": MAX_SCORE + 1},
        {"score": "two"},
        {"score": [1]},
        {"score": {"value": 1}},
        {"score": True},
        {"redCards": MAX_CARDS + 1},
        {"redCards": 1e308},
        {"redCards": -3},
        {"redCards": "x"},
    ],
)
def test_a_game_with_a_bad_competitor_is_malformed(changes: dict[str, Any]) -> None:
    assert parse_game(home(**changes)) is None


def test_not_started_and_absent_counts_are_none() -> None:
    for value in (-1, -1.0, "-1", None):
        match = parse_game(home(score=value, redCards=value))
        assert match is not None
        assert match.home.score is None
        assert match.home.red_cards is None
    match = parse_game(home(score="3", redCards=2.0))
    assert match is not None
    assert (match.home.score, match.home.red_cards) == (3, 2)


def test_sport_of_is_total() -> None:
    assert sport_of({"sportId": 1}) is Sport.FOOTBALL
    assert sport_of({"sportId": 3.0}) is Sport.TENNIS
    for bad in ({}, [], {"a": [1]}, math.inf, math.nan, True, "1", None, 10**400, 99):
        assert sport_of({"sportId": bad}) is None
    assert sport_of([1, 2]) is None
    assert sport_of("football") is None


def test_optional_values_are_dropped_not_fatal() -> None:
    match = parse_game(
        game(
            gameTime=math.inf,
            statusText="x" * 100_000,
            shortStatusText={"a": 1},
            competitionDisplayName="L" * 10_000,
            startTime="2026-04-04T14:15:00+00:00" + " " * 10_000,
            gameTimeDisplay=["67'"],
            venue={"name": 1e308},
            statusGroup={"x": 3},
            homeCompetitor={**GAME["homeCompetitor"], "name": "N" * 5000, "imageVersion": 1e308},
        )
    )
    assert match is not None
    assert match.status is Status.UNKNOWN
    assert match.minute is None
    assert match.status_text is not None
    assert len(match.status_text) == MAX_TEXT
    assert match.competition is not None
    assert len(match.competition) == MAX_TEXT
    assert match.start is None
    assert match.venue is None
    assert len(match.home.name) == MAX_TEXT
    assert match.home.logo is not None
    assert match.home.logo.endswith("imageVersion=1")
    assert read_status(3.0, "2nd Half") is Status.LIVE
    assert read_status([3], "2nd Half") is Status.UNKNOWN


def test_events_members_and_stages_are_read_safely() -> None:
    goal = {
        "competitorId": 131,
        "playerId": 701,
        "gameTime": 23,
        "eventType": {"id": 1, "name": "Goal"},
    }
    events: list[Any] = [
        {**goal, "eventType": {"id": {"x": 1}}},  # an unhashable type id
        {**goal, "eventType": {"id": [1]}},
        {**goal, "competitorId": {"id": 131}},
        {**goal, "playerId": {"id": 701}, "order": math.inf},
        {**goal, "playerId": [701], "gameTime": math.nan, "playerName": ["x"]},
        {**goal, "eventType": {"id": 1, "name": {"a": 1}, "subTypeName": ["own"]}},
        {**goal, "playerId": 702, "gameTime": 1e308, "order": True},
    ]
    members = [{"id": {"x": 1}, "name": "A"}, {"id": [1], "name": "B"}, {"id": 702, "name": "C"}]
    match = parse_game(game(events=events, members=members))
    assert match is not None
    assert [(s.player, s.minute) for s in match.scorers] == [
        (None, 23),
        (None, None),
        (None, 23),
        ("C", None),
    ]
    by_key = parse_game(game(events=[goal], members={"701": {"id": {}, "name": "Kylian"}}))
    assert by_key is not None
    assert by_key.scorers[0].player == "Kylian"
    disallowed = {**goal, "eventType": {"id": 1, "name": "Goal", "subTypeName": "Disallowed"}}
    by_id = parse_game(
        game(
            events=[disallowed, {**goal, "playerId": 9}],
            members={"x": {"id": 9, "name": "Nine"}, "y": "junk", "z": {"name": None}},
        )
    )
    assert by_id is not None
    assert [s.player for s in by_id.scorers] == ["Nine"]
    many = parse_game(game(events=[goal] * (MAX_SCORERS * 4)))
    assert many is not None
    assert len(many.scorers) == MAX_SCORERS
    stages = [
        {"name": "Set 1", "homeCompetitorScore": 6.0, "awayCompetitorScore": 1e308},
        {"name": {"x": 1}, "homeCompetitorScore": 1},
        {"name": "Set " + "9" * 5000, "homeCompetitorScore": 150, "awayCompetitorScore": 2},
    ] * MAX_PERIODS
    tennis = parse_game(game(sportId=3, stages=stages))
    assert tennis is not None
    assert len(tennis.periods) == MAX_PERIODS
    assert (tennis.periods[0].home, tennis.periods[0].away) == (6, None)
    assert len(tennis.periods[1].name) == MAX_TEXT
    assert tennis.periods[1].home is None  # 150 games in a set: not tennis
    football = parse_game(game(stages=stages[:3]))
    assert football is not None
    assert football.periods[1].home == 150


def test_summaries_are_total() -> None:
    summary = summarize(game(homeCompetitor={"id": 142, "name": ["M"]}, startTime=[1]))
    assert summary is not None
    assert (summary.home, summary.start) == ("142", None)
    assert summarize(game(awayCompetitor={"id": {"a": 1}})) is None
    assert summarize([1]) is None


def test_skip_log_is_rate_limited(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.live_scores.feed")
    now = [0.0]
    log = SkipLog(lambda: now[0], interval=60.0)
    for _ in range(1000):
        log.skipped("not JSON")
    now[0] = 59.0
    log.skipped("not JSON")
    now[0] = 61.0
    log.skipped("not a JSON object")
    try:
        raise KeyError("secret")
    except KeyError as err:
        log.skipped("could not be handled", err)  # within the minute: counted only
        now[0] = 200.0
        log.skipped("could not be handled", err)
    lines = [r for r in caplog.records if "Skipped" in r.getMessage()]
    assert [r.levelno for r in lines] == [logging.DEBUG] * 3
    assert "KeyError in test_skip_log_is_rate_limited (test_bad_input.py:" in lines[2].getMessage()
    assert "secret" not in caplog.text
    assert "Skipped 1 malformed" in lines[0].getMessage()
    assert "Skipped 1001 malformed" in lines[1].getMessage()
    assert "not a JSON object" in lines[1].getMessage()
    assert log.pending == 0


async def test_read_socket_counts_and_skips(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Binary frames are read as JSON text; junk and frames whose handler fails are
    counted and skipped, with one debug line and no error."""
    caplog.set_level(logging.DEBUG, logger="custom_components.live_scores")
    seen: list[dict[str, Any]] = []

    async def on_frame(frame: dict[str, Any]) -> None:
        if frame.get("type") == "boom":
            raise ValueError(frame.get("secret"))
        seen.append(frame)

    counters: dict[str, int] = {}
    url = f"{simulator.sportsapipro_ws_url}?x-api-key={simulator.SAP_KEY}"
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(url, decode_text=False)
        reader = asyncio.create_task(read_socket(ws, FAST, '{"type":"ping"}', on_frame, counters))
        await until(lambda: bool(seen), "welcome")
        faults = simulator.faults
        await faults.send_raw("sap", b'{"type":"scores","games":[]}')  # binary JSON
        await faults.send_raw("sap", b"\xff\xfe\x89PNG garbage")  # binary, not UTF-8
        await faults.send_raw("sap", "[1, 2]")
        await faults.send_raw("sap", "[" * 2000 + "]" * 2000)  # deeper than orjson reads
        for _ in range(50):
            await faults.send_raw("sap", '{"type": "boom", "secret": "hunter2"}')
        await faults.send_raw("sap", '{"type": "after"}')
        await until(lambda: any(f.get("type") == "after" for f in seen), "frames after the junk")
        await faults.drop("sap", code=1000)
        await asyncio.wait_for(reader, 10)
    assert [f.get("type") for f in seen if f.get("type") != "pong"] == [
        "connected",
        "scores",
        "after",
    ]
    assert counters["binary_frames"] == 2
    assert counters["malformed"] == 3
    assert counters["frame_errors"] == 50
    assert not [r for r in caplog.records if r.levelno > logging.DEBUG]
    skipped = [r.getMessage() for r in caplog.records if "Skipped" in r.getMessage()]
    assert len(skipped) == 1  # rate-limited: once a minute at most
    assert "not JSON" in skipped[0]
    assert "hunter2" not in caplog.text  # the handler's message (frame data) is not logged


async def test_a_client_survives_junk_and_keeps_counting(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.live_scores")
    targets = Targets(matches=frozenset({"4467358"}))
    async with running(sap_credentials(simulator), targets) as (client, _rec):
        await until(lambda: client.diagnostics()["counters"].get("connections") == 1)
        for junk in ("null", "{", b"\x00\x01", '{"type":"scores","games":{"id":[1]}}'):
            await simulator.faults.send_raw("sap", junk)
        await until(lambda: client.diagnostics()["counters"].get("malformed", 0) >= 4, "counted")
        assert client.diagnostics()["counters"]["connections"] == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
