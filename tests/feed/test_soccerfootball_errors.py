"""SoccerFootball.info: validation, refusals, plan limits, server errors, save/restore."""

import asyncio
import logging
from typing import Any

import aiohttp
import pytest

from custom_components.live_scores.feed import validate
from custom_components.live_scores.feed.api import ConnectionState, Credentials, Targets
from custom_components.live_scores.feed.errors import (
    AuthFailed,
    CannotConnect,
    PlanNotSupported,
    QuotaExceeded,
)
from custom_components.live_scores.feed.model import Provider
from custom_components.live_scores.feed.soccerfootball_rest import parse_expiry
from tests.simulator import Simulator, load_scenario

from .harness import (
    FAST,
    WallClock,
    delivered,
    play,
    running,
    sf_credentials,
    sf_settled,
    truth_keys,
    until,
)
from .test_soccerfootball_client import MLL_RMA, connect, counter, finish, sf_subs

LEAGUE = load_scenario("league")
LEAGUE_IDS = {m.key: m.sf_id for m in LEAGUE.matches}


def test_parse_expiry() -> None:
    assert parse_expiry("2024-01-15 14:30:00", 0) == 1705329000.0
    assert parse_expiry("2024-01-15T14:30:00Z", 0) == 1705329000.0
    assert parse_expiry(1705329000000, 0) == 1705329000.0
    assert parse_expiry("junk", 10) == 1510.0
    assert parse_expiry(None, 10) == 1510.0


async def test_validate(simulator: Simulator) -> None:
    async with aiohttp.ClientSession() as session:
        info = await validate(sf_credentials(simulator), session)
        assert info.plan == "ULTRA"
        assert info.details["allowed_channels"] == ["MAIN", "STATS", "ODDS"]
        assert simulator.SF_TOKEN not in str(info)
        rapid = await validate(sf_credentials(simulator, rapidapi=True), session)
        assert rapid.plan is None
        assert rapid.account_id != info.account_id
        with pytest.raises(PlanNotSupported):
            await validate(sf_credentials(simulator, simulator.SF_TOKEN_BASIC), session)
        with pytest.raises(AuthFailed):
            await validate(sf_credentials(simulator, "nope"), session)
        with pytest.raises(AuthFailed):
            await validate(sf_credentials(simulator, "nope", rapidapi=True), session)
        simulator.faults.set("quota_exceeded", True, "sf")
        with pytest.raises(QuotaExceeded):
            await validate(sf_credentials(simulator), session)
        simulator.faults.reset()
        simulator.faults.set("rest_error", 500, "sf")
        with pytest.raises(CannotConnect):
            await validate(sf_credentials(simulator), session)
        simulator.faults.reset()
        nowhere = Credentials(Provider.SOCCERFOOTBALL, "t", url="http://127.0.0.1:1")
        with pytest.raises(CannotConnect):
            await validate(nowhere, session, timing=FAST)


@pytest.mark.parametrize(
    ("token", "error"),
    [
        ("bad-token", AuthFailed),
        (Simulator.SF_TOKEN_BASIC, PlanNotSupported),
        (None, QuotaExceeded),
    ],
)
async def test_refusals(
    simulator: Simulator, caplog: pytest.LogCaptureFixture, token: str | None, error: type
) -> None:
    caplog.set_level(logging.DEBUG)
    if token is None:
        simulator.faults.set("quota_exceeded", True, "sf")
    async with running(sf_credentials(simulator, token), Targets()) as (client, _rec):
        await until(lambda: client.state is ConnectionState.FAILED)
        for _ in range(20):
            await asyncio.sleep(0)
        assert isinstance(client.last_error, error)
        assert counter(client, "failures") == 1
    secret = token or simulator.SF_TOKEN
    assert secret not in caplog.text
    assert secret not in str(client.last_error)


async def test_revoked_account(simulator: Simulator) -> None:
    async with running(sf_credentials(simulator), Targets()) as (client, _):
        await until(lambda: client.state is ConnectionState.CONNECTED)
        await simulator.faults.revoke_key(simulator.SF_TOKEN)
        await until(lambda: client.state is ConnectionState.FAILED)
        assert isinstance(client.last_error, AuthFailed)


async def test_plan_limit_falls_back_to_all_and_filters(simulator: Simulator) -> None:
    targets = Targets(matches=frozenset(LEAGUE_IDS.values()))
    async with running(sf_credentials(simulator, simulator.SF_TOKEN_PRO), targets) as (client, rec):
        await connect(simulator, client, {("MAIN", "all", None)})
        simulator.load_scenario("league")
        simulator.load_scenario("goals")  # on the feed, not followed
        await finish(simulator, rec)
        await until(lambda: rec.seen().count("full_time") == 3)
        games = client.games()
    for key, sf_id in LEAGUE_IDS.items():
        assert rec.seen(sf_id) == truth_keys(simulator, key), key
    assert rec.seen(MLL_RMA) == []
    assert {g.id for g in games} == {*LEAGUE_IDS.values(), MLL_RMA}


def lie_about_plan(simulator: Simulator, **changes: Any) -> None:
    """The token answer claims more than the plan gives (as a server might)."""
    original = simulator.sf._token_result

    def patched(tok: Any, *, is_new: bool) -> dict[str, Any]:
        return {**original(tok, is_new=is_new), **changes}

    simulator.sf._token_result = patched  # type: ignore[method-assign]


async def test_subscription_limit_error(simulator: Simulator) -> None:
    lie_about_plan(simulator, max_subscribe_per_connection=10)
    targets = Targets(matches=frozenset(LEAGUE_IDS.values()))
    async with running(sf_credentials(simulator, simulator.SF_TOKEN_PRO), targets) as (client, rec):
        await until(lambda: client.state is ConnectionState.CONNECTED)
        await until(lambda: sf_subs(simulator) == [{("MAIN", "all", None)}])
        assert "SUBSCRIPTION_LIMIT" in client.diagnostics()["server_errors"]
        simulator.load_scenario("league")
        await finish(simulator, rec)
        await until(lambda: rec.seen().count("full_time") == 3)
    for key, sf_id in LEAGUE_IDS.items():
        assert rec.seen(sf_id) == truth_keys(simulator, key), key


async def test_channel_not_allowed(simulator: Simulator) -> None:
    lie_about_plan(simulator, allowed_channels=["MAIN", "STATS"])
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sf_credentials(simulator, simulator.SF_TOKEN_PRO), targets) as (client, rec):
        await until(lambda: isinstance(client.last_error, PlanNotSupported))
        assert client.state is ConnectionState.CONNECTED
        assert (ConnectionState.CONNECTED, client.last_error) in rec.states
        await until(lambda: sf_subs(simulator) == [{("MAIN", "match", MLL_RMA)}])
        assert client.diagnostics()["refused_channels"] == ["STATS"]
        simulator.load_scenario("goals")
        await finish(simulator, rec)
    expected = [k for k in truth_keys(simulator, "mll-rma") if not k.startswith("red_card")]
    assert rec.seen(MLL_RMA) == expected


@pytest.mark.parametrize("variant", ["http", "close", "error"])
async def test_handover_hits_connection_limit(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    """With one connection allowed the old socket is closed first, then replaced.

    The token answer claims two connections, so the client first tries to open the
    new socket beside the old one, is refused (per `variant`), closes the old one
    and opens the new one again. Renewals happen only when the test moves the
    client's wall clock, never while the simulator plays: frames sent between
    closing the old socket and subscribing the new one would be lost.
    """
    simulator.variants.sf_renew = "new"
    simulator.variants.sf_connection_limit = variant  # type: ignore[assignment]
    clock = WallClock(simulator, monkeypatch)
    lie_about_plan(simulator, max_connections=2)
    simulator.sf.accounts[simulator.SF_TOKEN].plan = simulator.sf.accounts[
        simulator.SF_TOKEN
    ].plan.__class__(**{**_plan_dict(simulator), "max_connections": 1})
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sf_credentials(simulator), targets) as (client, rec):
        await connect(simulator, client)
        simulator.load_scenario("goals")
        for handovers, minutes in enumerate((30, 30), start=1):
            await simulator.advance(60 + minutes * 60 if handovers == 1 else minutes * 60)
            await delivered(simulator, rec, "mll-rma", MLL_RMA)
            first = simulator.sf.active[simulator.SF_TOKEN].token
            clock.renewal_due()
            await until(lambda n=handovers: counter(client, "handovers") == n, "handover")
            await until(lambda: sf_settled(simulator, client), "settled on the new token")
            assert simulator.sf.active[simulator.SF_TOKEN].token != first
        await finish(simulator, rec)
        assert counter(client, "handovers") == 2
        assert counter(client, "token_expired") == 0
        assert counter(client, "connections") == 1
    assert rec.seen(MLL_RMA) == truth_keys(simulator, "mll-rma")


def _plan_dict(simulator: Simulator) -> dict[str, Any]:
    plan = simulator.sf.accounts[simulator.SF_TOKEN].plan
    return {f: getattr(plan, f) for f in plan.__slots__}  # type: ignore[attr-defined]


async def test_save_and_restore_in_the_middle(simulator: Simulator) -> None:
    targets = Targets(matches=frozenset({MLL_RMA}))
    async with running(sf_credentials(simulator), targets) as (client, first):
        await connect(simulator, client)
        simulator.load_scenario("goals")
        await simulator.advance(60 + 30 * 60)
        await until(lambda: "goal:away:1" in first.seen())
        saved = client.tracker_state()
    await simulator.advance(60)
    async with running(sf_credentials(simulator), targets) as (client2, second):
        client2.restore_tracker_state(saved)
        await connect(simulator, client2)
        await play(simulator)
        await until(lambda: "full_time" in second.seen())
    assert first.seen() + second.seen() == truth_keys(simulator, "mll-rma")
