"""Running a feed client against the simulator, and comparing with its ground truth."""

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
from datetime import UTC, datetime
import time
from typing import Any

import aiohttp
import pytest

from custom_components.live_scores.feed import create_client, soccerfootball_rest
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
    # Long enough that a busy machine never makes a healthy socket look silent.
    silence_timeout=3.0,
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


class WallClock:
    """The SoccerFootball client's wall clock, and the token expiries the simulator states.

    Token renewal is driven by this clock, not by real time: tokens are stated to
    expire `ttl` seconds after they were issued (or renewed) on this clock, and
    `renewal_due()` moves the clock so far that the current token must be renewed.
    The simulator's own expiry (real time, `token_ttl`) stays far away; end sockets
    with `faults.expire_tokens()`.
    """

    def __init__(
        self, sim: Simulator, monkeypatch: pytest.MonkeyPatch, ttl: float = 1500.0
    ) -> None:
        self.offset = 0.0
        self.ttl = ttl
        self._expiries: dict[tuple[str, float], float] = {}
        monkeypatch.setattr(soccerfootball_rest, "wall_time", self)
        original = sim.sf._token_result

        def stated(tok: Any, *, is_new: bool) -> dict[str, Any]:
            result = original(tok, is_new=is_new)
            # Keyed on the simulator's own expiry, which a renewal of the same token moves.
            expiry = self._expiries.setdefault((tok.token, tok.expires_at), self() + self.ttl)
            result["expires_at"] = datetime.fromtimestamp(expiry, UTC).strftime("%Y-%m-%d %H:%M:%S")
            return result

        sim.sf._token_result = stated  # type: ignore[method-assign]

    def __call__(self) -> float:
        return time.time() + self.offset

    def renewal_due(self) -> None:
        """Every token stated so far is now due for renewal."""
        self.offset += self.ttl


def sf_settled(sim: Simulator, client: FeedClient, subscriptions: int = 2) -> bool:
    """The client holds one socket, on the account's newest token, fully subscribed."""
    active = {tok.token for tok in sim.sf.active.values()}
    conns = [c for c in sim.sf.conns if not c.closed]
    diag = client.diagnostics()
    return (
        len(conns) == 1
        and conns[0].credential in active
        and len(conns[0].subs) == subscriptions
        and diag["sockets"] == 1
        and diag["confirmed"] == [subscriptions]
    )


async def delivered(sim: Simulator, recorder: Recorder, match_key: str, match_id: str) -> None:
    """Until the client has reported every event of the match that happened so far."""
    expected = truth_keys(sim, match_key)
    await until(lambda: recorder.seen(match_id) == expected, f"events of {match_key}")


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
