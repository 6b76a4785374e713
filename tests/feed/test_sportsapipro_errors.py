"""SportsAPIPro: validation, bad keys, spent quotas, the index and retargeting."""

import asyncio
import logging

import aiohttp
import pytest

from custom_components.live_scores.feed import validate
from custom_components.live_scores.feed.api import ConnectionState, Credentials, Targets
from custom_components.live_scores.feed.errors import AuthFailed, CannotConnect, QuotaExceeded
from custom_components.live_scores.feed.model import Provider, Sport
from custom_components.live_scores.feed.privacy import account_hash
from custom_components.live_scores.feed.sportsapipro_rest import rest_base
from custom_components.live_scores.feed.sportsapipro_sockets import desired_channels
from tests.simulator import Simulator

from .harness import FAST, running, sap_credentials, until


def test_rest_base() -> None:
    assert (
        rest_base("wss://v1.football.sportsapipro.com/ws") == "https://v1.football.sportsapipro.com"
    )
    assert rest_base("ws://127.0.0.1:8/v1/football/ws?x=1") == "http://127.0.0.1:8/v1/football"
    assert rest_base("wss://h.example/") == "https://h.example"


def test_desired_channels() -> None:
    assert desired_channels(Targets()) == {"all"}
    assert desired_channels(Targets(matches=frozenset({"1"}))) == {"match:1"}
    assert desired_channels(Targets(teams=frozenset({"1"}))) == {"all"}
    assert desired_channels(
        Targets(
            matches=frozenset({"9"}),
            competitions=frozenset({"1"}),
            sports=frozenset({Sport.TENNIS}),
        )
    ) == {"match:9", "tennis"}


async def test_validate(simulator: Simulator) -> None:
    async with aiohttp.ClientSession() as session:
        info = await validate(sap_credentials(simulator), session, timing=FAST)
        assert info.plan == "Pro"
        # The account (a hash of its /status email), never the key.
        assert info.account_id == account_hash("sportsapipro", "email:dev@example.invalid")
        assert simulator.SAP_KEY not in repr(info)
        assert info.details["daily_limit"] == 7500
        with pytest.raises(AuthFailed):
            await validate(sap_credentials(simulator, "wrong"), session, timing=FAST)
        with pytest.raises(AuthFailed):
            await validate(sap_credentials(simulator, simulator.SAP_KEY_SUSPENDED), session)
        simulator.faults.set("quota_exceeded", True, "sap")
        with pytest.raises(QuotaExceeded) as quota:
            await validate(sap_credentials(simulator), session)
        assert quota.value.retry_after is not None
        assert quota.value.retry_after > 0
        simulator.faults.reset()
        simulator.faults.set("rest_error", 503, "sap")
        with pytest.raises(CannotConnect):
            await validate(sap_credentials(simulator), session)
        simulator.faults.reset()
        simulator.variants.sap_bad_key = "close"
        # The key passes REST but the socket refuses it (revoked in between).
        simulator.sap.accounts[simulator.SAP_KEY].revoked = True
        with pytest.raises(AuthFailed):
            await validate(sap_credentials(simulator), session)
        closed = Credentials(Provider.SPORTSAPIPRO, "k", url="ws://127.0.0.1:1/ws")
        with pytest.raises(CannotConnect):
            await validate(closed, session)


@pytest.mark.parametrize("variant", ["http", "close"])
@pytest.mark.parametrize(
    ("key", "error"),
    [("bad-key-123", AuthFailed), (Simulator.SAP_KEY_SUSPENDED, AuthFailed), (None, QuotaExceeded)],
)
async def test_refusals_stop_fast_retries(
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    variant: str,
    key: str | None,
    error: type,
) -> None:
    caplog.set_level(logging.DEBUG)
    simulator.variants.sap_bad_key = variant  # type: ignore[assignment]
    if key is None:
        simulator.faults.set("quota_exceeded", True, "sap")
    async with running(sap_credentials(simulator, key), Targets()) as (client, rec):
        await until(lambda: client.state is ConnectionState.FAILED)
        for _ in range(20):
            await asyncio.sleep(0)
        assert isinstance(client.last_error, error)
        assert client.diagnostics()["counters"]["failures"] == 1
        assert [s for s, _ in rec.states].count(ConnectionState.FAILED) == 1
    secret = key or simulator.SAP_KEY
    assert secret not in caplog.text
    assert secret not in str(client.last_error)
    assert secret not in str(client.diagnostics())


async def test_revoked_while_connected(simulator: Simulator) -> None:
    async with running(sap_credentials(simulator), Targets()) as (client, _):
        await until(lambda: client.state is ConnectionState.CONNECTED)
        await simulator.faults.revoke_key(simulator.SAP_KEY)
        await until(lambda: client.state is ConnectionState.FAILED)
        assert isinstance(client.last_error, AuthFailed)


async def test_index_and_retargeting(simulator: Simulator) -> None:
    simulator.load_scenario("league")
    async with running(sap_credentials(simulator), Targets()) as (client, rec):
        await until(lambda: client.state is ConnectionState.CONNECTED)
        await until(lambda: [c.subs for c in simulator.sap.conns] == [{"all"}])
        await simulator.push_scores()
        await until(lambda: len(client.games()) == 3)
        assert rec.matches == []  # nothing followed: nothing parsed
        game = client.games()[0]
        assert game.sport is Sport.FOOTBALL
        assert game.status == "scheduled"
        client.set_targets(
            Targets(teams=frozenset({game.home_id}), sports=frozenset({Sport.FOOTBALL}))
        )
        # The index gives the newly followed game its state at once.
        assert [m.id for m in rec.matches] == [game.id]
        await until(lambda: [c.subs for c in simulator.sap.conns] == [{"football"}])
        await simulator.advance(61)
        await until(lambda: "kickoff" in rec.seen())
        assert {e.match.id for e in rec.events} == {game.id}
        client.set_targets(Targets())
        await until(lambda: [c.subs for c in simulator.sap.conns] == [{"all"}])
        diag = client.diagnostics()
        assert diag["channels"] == ["all"]
        assert diag["indexed_games"] == 3
