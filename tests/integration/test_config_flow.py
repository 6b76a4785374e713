"""The config flow: accounts, reauth, reconfigure (with a scripted feed)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.api import AccountInfo
from custom_components.live_scores.feed.errors import (
    AuthFailed,
    CannotConnect,
    FeedError,
    PlanNotSupported,
    QuotaExceeded,
)

from .common import API_KEY, make_entry, setup_entry
from .fake_feed import FakeFeed

ERRORS = [
    (AuthFailed("refused"), "invalid_auth"),
    (CannotConnect("down"), "cannot_connect"),
    (QuotaExceeded("spent", 60), "quota_exceeded"),
    (PlanNotSupported("no ws"), "plan_not_supported"),
    (RuntimeError(f"boom {API_KEY}"), "unknown"),
]


def _form(api_key: str, url: str | None = None, **extra: str) -> dict[str, Any]:
    return {"api_key": api_key, "advanced": {"url": url} if url else {}, **extra}


async def _start(hass: HomeAssistant, provider: str) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"provider": provider}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == provider
    assert "advanced" in result["data_schema"].schema
    return result["flow_id"]


async def test_sportsapipro(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    flow_id = await _start(hass, "sportsapipro")
    result = await hass.config_entries.flow.async_configure(flow_id, _form(f" {API_KEY} "))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "SportsAPIPro (Pro)"
    assert result["data"] == {"provider": "sportsapipro", "api_key": API_KEY}
    assert result["result"].unique_id == "acct-0001"
    assert fake_feed.validated[-1].api_key == API_KEY


async def test_sportsapipro_advanced_url(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    flow_id = await _start(hass, "sportsapipro")
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(API_KEY, "https://relay.local/ws")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_url"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(API_KEY, "ws://127.0.0.1:1234/ws/")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["url"] == "ws://127.0.0.1:1234/ws"
    assert fake_feed.validated[-1].url == "ws://127.0.0.1:1234/ws"


async def test_default_url_not_stored(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    fake_feed.account = AccountInfo(account_id="acct-2")
    flow_id = await _start(hass, "sportsapipro")
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form(API_KEY, "wss://v1.football.sportsapipro.com/ws")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "url" not in result["data"]
    assert result["title"] == "SportsAPIPro"


@pytest.mark.parametrize("access", ["direct", "rapidapi"])
async def test_soccerfootball(hass: HomeAssistant, fake_feed: FakeFeed, access: str) -> None:
    flow_id = await _start(hass, "soccerfootball")
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form("tok", "http://127.0.0.1:9/", access=access)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "provider": "soccerfootball",
        "api_key": "tok",
        "access": access,
        "url": "http://127.0.0.1:9",
    }
    assert fake_feed.validated[-1].access == access


@pytest.mark.parametrize(("error", "key"), ERRORS)
async def test_errors_then_success(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    error: FeedError,
    key: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    flow_id = await _start(hass, "sportsapipro")
    fake_feed.validate_error = error
    result = await hass.config_entries.flow.async_configure(flow_id, _form(API_KEY))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": key}
    fake_feed.validate_error = None
    result = await hass.config_entries.flow.async_configure(flow_id, _form(API_KEY))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert API_KEY not in caplog.text


async def test_one_entry_per_account(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    make_entry().add_to_hass(hass)
    flow_id = await _start(hass, "sportsapipro")
    result = await hass.config_entries.flow.async_configure(flow_id, _form("other-key"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    fake_feed.validate_error = AuthFailed("still bad")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": "bad"})
    assert result["errors"] == {"base": "invalid_auth"}
    fake_feed.validate_error = None
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": "new"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data["api_key"] == "new"
    # The update listener reloaded the entry with the new key.
    assert entry.state is ConfigEntryState.LOADED
    assert fake_feed.client.credentials.api_key == "new"
    assert fake_feed.clients[0].stopped


async def test_reauth_of_failed_entry(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry()
    fake_feed.validate_error = AuthFailed("revoked")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == "reauth"
    fake_feed.validate_error = None
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {"api_key": "new"})
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_wrong_account(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await entry.start_reauth_flow(hass)
    fake_feed.account = AccountInfo(account_id="someone-else")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": "x"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data["api_key"] == API_KEY


async def test_reconfigure(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    assert "access" not in result["data_schema"].schema
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("k2", "http://wrong")
    )
    assert result["errors"] == {"base": "invalid_url"}
    fake_feed.validate_error = CannotConnect("down")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("k2", "ws://127.0.0.1:1/ws")
    )
    assert result["errors"] == {"base": "cannot_connect"}
    fake_feed.validate_error = None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("k2", "ws://127.0.0.1:1/ws")
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data == {"provider": "sportsapipro", "api_key": "k2", "url": "ws://127.0.0.1:1/ws"}
    assert fake_feed.client.credentials.url == "ws://127.0.0.1:1/ws"


async def test_reconfigure_soccerfootball_wrong_account(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry({"provider": "soccerfootball", "api_key": "tok", "access": "direct"})
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    assert "access" in result["data_schema"].schema
    fake_feed.account = AccountInfo(account_id="someone-else")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("other", access="rapidapi")
    )
    assert result["reason"] == "wrong_account"
