"""Running a feed client against the simulator, and comparing with its ground truth."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
from typing import Any

import aiohttp

from custom_components.live_scores.feed import create_client
from custom_components.live_scores.feed.api import (
    ConnectionState,
    Credentials,
    FeedClient,
    Targets,
    Timing,
)
from custom_components.live_scores.feed.model import Provider
from tests.simulator import Simulator

from .helpers import Recorder

# Short delays so that reconnects happen quickly; nothing asserts on time.
FAST = Timing(
    ping_interval=0.2,
    silence_timeout=1.0,
    connect_timeout=5.0,
    backoff_min=0.01,
    backoff_max=0.05,
    stable_after=0.5,
    renew_before=1.0,
    auth_retry=3600.0,
)
WAIT = 20.0  # safety net only: a test that waits this long has failed


async def until(predicate: Callable[[], bool], what: str = "condition") -> None:
    """Wait (event-loop turns) until `predicate()` holds."""
    async with asyncio.timeout(WAIT):
        while not predicate():  # noqa: ASYNC110 - polls state the client changes
            await asyncio.sleep(0.005)
    assert predicate(), what


def sap_credentials(sim: Simulator, key: str | None = None) -> Credentials:
    return Credentials(Provider.SPORTSAPIPRO, key or sim.SAP_KEY, url=sim.sportsapipro_ws_url)


def sf_credentials(
    sim: Simulator, token: str | None = None, *, rapidapi: bool = False
) -> Credentials:
    if rapidapi:
        return Credentials(
            Provider.SOCCERFOOTBALL,
            token or sim.SF_RAPIDAPI_KEY,
            access="rapidapi",
            url=sim.soccerfootball_rapidapi_url,
        )
    return Credentials(
        Provider.SOCCERFOOTBALL, token or sim.SF_TOKEN, url=sim.soccerfootball_rest_url
    )


@contextlib.asynccontextmanager
async def running(
    credentials: Credentials, targets: Targets, timing: Timing = FAST
) -> AsyncIterator[tuple[FeedClient, Recorder]]:
    """A started client with its recorder; everything is stopped on exit."""
    recorder = Recorder()
    async with aiohttp.ClientSession() as session:
        client = create_client(credentials, session, recorder, timing=timing)
        client.set_targets(targets)
        await client.start()
        try:
            yield client, recorder
        finally:
            await client.stop()
    assert client.state is ConnectionState.STOPPED


def truth_keys(sim: Simulator, match_key: str) -> list[str]:
    """The simulator's ground truth of a match, as our event keys, in order."""
    keys: list[str] = []
    red = {"home": 0, "away": 0}
    for e in sim.truth.events:
        if e.match != match_key:
            continue
        side = e.side
        score = None
        if side is not None:
            score = e.home_score if side == "home" else e.away_score
        match e.type:
            case "kickoff" | "halftime" | "second_half" | "full_time":
                keys.append(e.type)
            case "goal":
                keys.append(f"goal:{side}:{score}")
            case "goal_cancelled":
                assert score is not None
                keys.append(f"goal_cancelled:{side}:{score + 1}")
            case "red_card":
                assert side is not None
                red[side] += 1
                keys.append(f"red_card:{side}:{red[side]}")
            case "score_change":
                keys.append(f"score:{side}:{score}")
            case "game_won":
                h, a = (int(x) for x in str(e.detail["games"]).split(";"))
                keys.append(f"game_won:{side}:{e.detail['set']}:{h if side == 'home' else a}")
            case "set_won":
                keys.append(f"set_won:{side}:{score}")
            case _:
                pass
    return keys


def goal_details(recorder: Recorder, match_id: str) -> list[tuple[Any, ...]]:
    return [
        (e.key, e.scorer, e.kind.value if e.kind else None, e.minute)
        for e in recorder.events
        if e.match.id == match_id and e.key.startswith("goal:")
    ]


def truth_goal_details(sim: Simulator, match_key: str) -> list[tuple[Any, ...]]:
    out = []
    for e in sim.truth.events:
        if e.match == match_key and e.type == "goal":
            score = e.home_score if e.side == "home" else e.away_score
            out.append((f"goal:{e.side}:{score}", e.scorer, e.kind, e.minute))
    return out


async def play(sim: Simulator, step: float = 30.0, limit: float = 4 * 3600) -> None:
    """Advance the simulator in steps until every match is over."""
    await sim.advance_to_end(step=step, limit=limit)
