"""SoccerFootball.info client against the simulator over loopback WebSockets."""

import logging
from typing import Any

import pytest

from custom_components.live_scores.feed.api import ConnectionState, Targets
from custom_components.live_scores.feed.model import Status
from tests.simulator import Simulator

from .harness import (
    WallClock,
    delivered,
    goal_details,
    play,
    running,
    sf_credentials,
    sf_settled,
    truth_goal_details,
    truth_keys,
    until,
)

MLL_RMA = "b01d28ac92221034"


def sf_subs(sim: Simulator) -> list[set[Any]]:
    return [set(c.subs) for c in sim.sf.conns if not c.closed]


def counter(client: Any, name: str) -> int:
    return client.diagnostics()["counters"].get(name, 0)


BOTH = {("MAIN", "match", MLL_RMA), ("STATS", "match", MLL_RMA)}


async def connect(sim: Simulator, client: Any, expected: set[Any] = BOTH) -> None:
    await until(lambda: client.state is ConnectionState.CONNECTED, "connected")
    await until(lambda: sf_subs(sim) == [expected], "subscribed")
    # The server confirms in order: once the client has every confirmation, the
    # subscriptions are in place.
    await until(lambda: client.diagnostics()["confirmed"] == [len(expected)], "confirmed")


async def finish(sim: Simulator, rec: Any) -> None:
    await play(sim)
    await until(lambda: "full_time" in rec.seen(), "full time")


@pytest.mark.parametrize("shape", ["doc", "legacy"])
async def test_ultra_main_and_stats(simulator: Simulator, shape: str) -> None:
    simulator.variants.sf_main_shape = shape  # type: ignore[assignment]
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sf_credentials(simulator), targets) as (client, rec):
        await connect(simulator, client)
        simulator.load_scenario("goals")
        await finish(simulator, rec)
        diag = client.diagnostics()
    assert rec.seen(MLL_RMA) == truth_keys(simulator, "mll-rma")
    expected = truth_goal_details(simulator, "mll-rma")
    if shape == "doc":  # the documented goal names no scorer and no kind
        expected = [(key, None, None, minute) for key, _, _, minute in expected]
    assert goal_details(rec, MLL_RMA) == expected
    assert not any(e.recovered for e in rec.events)
    assert rec.matches[-1].status is Status.FINISHED
    assert rec.matches[-1].home.name == "Mallorca"
    assert diag["confirmed"] == [2]
    assert simulator.SF_TOKEN not in str(diag)


async def test_pro_main_only_goal_without_score(simulator: Simulator) -> None:
    simulator.variants.sf_goal_score = False
    simulator.variants.sf_main_shape = "legacy"  # scorers too
    targets = Targets(teams=frozenset({"a1b2c3d4e5f60131"}))
    async with running(sf_credentials(simulator, simulator.SF_TOKEN_PRO), targets) as (client, rec):
        await connect(simulator, client, {("MAIN", "all", None)})
        simulator.load_scenario("goals")
        await finish(simulator, rec)
    # MAIN only: goals count +1 on their side; the VAR decision shows in the score of
    # the next MAIN frame (half-time); red cards are not in MAIN at all.
    expected = [k for k in truth_keys(simulator, "mll-rma") if not k.startswith("red_card")]
    assert rec.seen(MLL_RMA) == expected
    scorers = [(e.key, e.scorer) for e in rec.events if e.key.startswith("goal:")]
    assert scorers == [(k, s) for k, s, _, _ in truth_goal_details(simulator, "mll-rma")]


@pytest.mark.parametrize("league_stats", ["league", "data"])
async def test_rapidapi_with_faults(simulator: Simulator, league_stats: str) -> None:
    # "league": as documented, a league-scope STATS frame names no match (only
    # MAIN counts, red cards are not seen); "data": the match id is in `data`.
    simulator.variants.sf_league_stats = league_stats  # type: ignore[assignment]
    targets = Targets(competitions=frozenset({"f2b16fa54cb525d"}))
    creds = sf_credentials(simulator, rapidapi=True)
    async with running(creds, targets) as (client, rec):
        await connect(
            simulator,
            client,
            {("MAIN", "league", "f2b16fa54cb525d"), ("STATS", "league", "f2b16fa54cb525d")},
        )
        simulator.load_scenario("goals")
        await simulator.advance(60 + 10 * 60)
        for action in ("garbage", "truncated", "binary", "unknown_type", "duplicate_last", "stale"):
            await getattr(simulator.faults, action)("sf")
        simulator.faults.set("duplicate", True, "sf")
        await simulator.advance(20 * 60)
        # Dropped: reconnect with the same token (still valid), resubscribe.
        await simulator.faults.drop("sf")
        await until(lambda: counter(client, "connections") == 2 and bool(sf_subs(simulator)))
        await until(lambda: len(sf_subs(simulator)[0]) == 2)
        simulator.faults.set("silent", True, "sf")
        await until(lambda: counter(client, "silent") >= 1)
        simulator.faults.set("silent", False, "sf")
        await until(lambda: counter(client, "connections") >= 3 and bool(sf_subs(simulator)))
        await until(lambda: len(sf_subs(simulator)[0]) == 2)
        await finish(simulator, rec)
        assert counter(client, "malformed") >= 3
        unattributed = client.diagnostics()["parser"]["unattributed"]
    expected = truth_keys(simulator, "mll-rma")
    if league_stats == "league":
        expected = [k for k in expected if not k.startswith("red_card")]
        assert unattributed > 0
    assert rec.seen(MLL_RMA) == expected


async def test_token_expiry_close_and_error(simulator: Simulator) -> None:
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sf_credentials(simulator), targets) as (client, rec):
        await connect(simulator, client)
        simulator.load_scenario("goals")
        await simulator.advance(60 + 20 * 60)
        await simulator.faults.expire_tokens()
        await until(lambda: counter(client, "token_expired") == 1)
        await until(lambda: len(sf_subs(simulator)) == 1 and len(sf_subs(simulator)[0]) == 2)
        await simulator.advance(30 * 60)
        simulator.variants.sf_token_expiry = "error"
        await simulator.faults.expire_tokens()
        await until(lambda: counter(client, "token_expired") == 2)
        await until(lambda: len(sf_subs(simulator)) == 1 and len(sf_subs(simulator)[0]) == 2)
        await finish(simulator, rec)
        assert counter(client, "tokens") == 3
    assert rec.seen(MLL_RMA) == truth_keys(simulator, "mll-rma")


async def test_a_token_expired_on_its_way_is_replaced(simulator: Simulator) -> None:
    """A socket refusing a token the REST call just gave: a new token, not a new key."""
    simulator.faults.sf.expired_tokens = 1
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sf_credentials(simulator), targets) as (client, rec):
        await connect(simulator, client)
        assert counter(client, "token_refused") == 1
        simulator.load_scenario("goals")
        await simulator.advance(60 + 20 * 60)
        # The next token too: it ends between the answer and the socket.
        simulator.faults.sf.expired_tokens = 1
        await simulator.faults.expire_tokens()
        await until(lambda: counter(client, "token_refused") == 2, "refused again")
        await connect(simulator, client)
        await finish(simulator, rec)
        assert counter(client, "tokens") == 4
        assert counter(client, "token_expired") == 1
    assert rec.seen(MLL_RMA) == truth_keys(simulator, "mll-rma")
    assert ConnectionState.FAILED not in {state for state, _ in rec.states}


async def test_tokens_refused_again_and_again_back_off(simulator: Simulator) -> None:
    """Every new token refused at the socket: back off and retry, never "key refused"."""
    simulator.faults.sf.expired_tokens = -1
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sf_credentials(simulator), targets) as (client, rec):
        await until(lambda: counter(client, "token_refused") >= 3, "refused three times")
        await until(lambda: client.state is ConnectionState.DISCONNECTED, "backing off")
        error = client.last_error
        assert error is not None
        assert "refusing new tokens" in str(error)
        simulator.faults.sf.expired_tokens = 0
        await connect(simulator, client)
    assert ConnectionState.FAILED not in {state for state, _ in rec.states}


async def run_with_renewals(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch, rounds: int, count: str
) -> Any:
    """Renew `rounds` times in the middle of a match, each time while play stands still."""
    clock = WallClock(simulator, monkeypatch)
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sf_credentials(simulator), targets) as (client, rec):
        await connect(simulator, client)
        simulator.load_scenario("goals")
        await simulator.advance(60)
        for n in range(1, rounds + 1):
            await delivered(simulator, rec, "mll-rma", MLL_RMA)
            tokens = counter(client, "tokens")
            clock.renewal_due()
            await until(lambda n=n: counter(client, count) >= n, count)
            if simulator.faults.sf.refuse_renewal:
                # Refused: /ws/new hands back the same token, and the client rides it
                # to its expiry (once it has that answer), then takes a new one.
                await until(lambda t=tokens: counter(client, "tokens") > t, "same token")
                await simulator.faults.expire_tokens()
                await until(lambda n=n: counter(client, "token_expired") >= n, "expired")
            await until(lambda: sf_settled(simulator, client), "settled")
            await simulator.advance(15 * 60)
        await finish(simulator, rec)
    assert rec.seen(MLL_RMA) == truth_keys(simulator, "mll-rma")
    return client


async def test_renewal_same_token(simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    client = await run_with_renewals(simulator, monkeypatch, 2, "renewals")
    assert counter(client, "renewals") == 2
    assert counter(client, "handovers") == 0
    assert counter(client, "connections") == 1


async def test_renewal_new_token_hands_over(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    simulator.variants.sf_renew = "new"
    client = await run_with_renewals(simulator, monkeypatch, 3, "handovers")
    assert counter(client, "handovers") == 3
    assert counter(client, "token_expired") == 0


async def test_renewal_refused(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.live_scores.feed")
    simulator.faults.set("refuse_renewal", True, "sf")
    client = await run_with_renewals(simulator, monkeypatch, 2, "renew_failed")
    assert counter(client, "tokens") == 5  # one at the start, then two per round
    assert counter(client, "token_expired") == 2
    # The failure is logged, and neither the account token nor a WebSocket token is.
    assert "SoccerFootball token renewal failed: SoccerFootball /ws/renew" in caplog.text
    assert simulator.SF_TOKEN not in caplog.text
    assert "token=" not in caplog.text
