"""The config flow: accounts, reauth, reconfigure (with a scripted feed).

The same flows against the simulator, key rotation mid-match included, are in
test_accounts.py.
"""

from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.api import AccountInfo
from custom_components.live_scores.feed.errors import (
    AuthFailed,
    CannotConnect,
    FeedError,
    PlanNotSupported,
    QuotaExceeded,
)
from custom_components.live_scores.feed.privacy import account_hash

from .common import API_KEY, make_entry, setup_entry
from .fake_feed import ACCOUNT_ID, FakeFeed

SAP_ACCOUNT = f"sportsapipro:account:{ACCOUNT_ID}"
SF_DATA = {"provider": "soccerfootball", "api_key": "tok", "access": "direct"}
RAPID_DATA = {"provider": "soccerfootball", "api_key": "rapid-1", "access": "rapidapi"}

ERRORS = [
    (AuthFailed("refused"), "invalid_auth"),
    (CannotConnect("down"), "cannot_connect"),
    (QuotaExceeded("spent", 60), "quota_exceeded"),
    (PlanNotSupported("no ws"), "plan_not_supported"),
    (RuntimeError(f"boom {API_KEY}"), "unknown"),
]


def _form(api_key: str, url: str | None = None, **extra: str) -> dict[str, Any]:
    return {"api_key": api_key, "advanced": {"url": url} if url else {}, **extra}


def _entry(data: dict[str, Any], unique_id: str) -> MockConfigEntry:
    """An entry as this version stores it (minor version 2)."""
    return MockConfigEntry(
        domain=DOMAIN, title="Live Scores", data=data, unique_id=unique_id, minor_version=2
    )


def _key_id(provider: str, key: str) -> str:
    return f"{provider}:key:{account_hash(provider, key)}"


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
    # The account, never the key.
    assert result["result"].unique_id == SAP_ACCOUNT
    assert API_KEY not in result["result"].unique_id
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
    if access == "rapidapi":
        fake_feed.account = AccountInfo(account_id=None)  # RapidAPI names no account
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
    expected = (
        f"soccerfootball:account:{ACCOUNT_ID}"
        if access == "direct"
        else _key_id("soccerfootball", "tok")
    )
    assert result["result"].unique_id == expected


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


@pytest.mark.parametrize("key", [API_KEY, "other-key-of-the-same-account"])
async def test_one_entry_per_account(hass: HomeAssistant, fake_feed: FakeFeed, key: str) -> None:
    _entry({"provider": "sportsapipro", "api_key": API_KEY}, SAP_ACCOUNT).add_to_hass(hass)
    flow_id = await _start(hass, "sportsapipro")
    result = await hass.config_entries.flow.async_configure(flow_id, _form(key))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    # The same key is recognised without asking the service.
    assert len(fake_feed.validated) == (key != API_KEY)


async def test_other_account_is_a_new_entry(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    _entry({"provider": "sportsapipro", "api_key": API_KEY}, SAP_ACCOUNT).add_to_hass(hass)
    fake_feed.account = AccountInfo(account_id="acct-0002")
    flow_id = await _start(hass, "sportsapipro")
    result = await hass.config_entries.flow.async_configure(flow_id, _form("k2"))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "sportsapipro:account:acct-0002"


async def test_rapidapi_duplicates(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """RapidAPI names no account: the same key is a duplicate, another key cannot be told."""
    fake_feed.account = AccountInfo(account_id=None)
    _entry(RAPID_DATA, _key_id("soccerfootball", "rapid-1")).add_to_hass(hass)
    flow_id = await _start(hass, "soccerfootball")
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form("rapid-1", access="rapidapi")
    )
    assert result["reason"] == "already_configured"
    flow_id = await _start(hass, "soccerfootball")
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form("rapid-2", access="rapidapi")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == _key_id("soccerfootball", "rapid-2")


async def test_reauth(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry()
    await setup_entry(hass, entry)
    assert entry.unique_id == SAP_ACCOUNT
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
    assert entry.unique_id == SAP_ACCOUNT
    # The update listener reloaded the entry with the new key.
    assert entry.state is ConfigEntryState.LOADED
    assert fake_feed.client.credentials.api_key == "new"
    assert fake_feed.clients[0].stopped


async def test_reauth_same_key_reloads(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """A key that works again (restored by the service) reloads the entry all the same."""
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": API_KEY})
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert len(fake_feed.clients) == 2
    assert fake_feed.clients[0].stopped
    assert entry.state is ConfigEntryState.LOADED


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
    # Migrated before the failed setup (1.2, key form), told its account by the reauth.
    assert entry.minor_version == 2
    assert entry.unique_id == SAP_ACCOUNT


async def test_reauth_wrong_account(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await entry.start_reauth_flow(hass)
    fake_feed.account = AccountInfo(account_id="someone-else")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": "x"})
    # Refused on the same form, so that the right key can be pasted.
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "wrong_account"}
    assert entry.data["api_key"] == API_KEY
    fake_feed.account = AccountInfo(account_id=ACCOUNT_ID)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": "y"})
    assert result["reason"] == "reauth_successful"
    assert entry.data["api_key"] == "y"


async def test_reauth_rapidapi_takes_any_working_key(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    fake_feed.account = AccountInfo(account_id=None)
    entry = _entry(RAPID_DATA, _key_id("soccerfootball", "rapid-1"))
    await setup_entry(hass, entry)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_key": "rapid-2"}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data == {**RAPID_DATA, "api_key": "rapid-2"}
    assert entry.unique_id == _key_id("soccerfootball", "rapid-2")
    assert fake_feed.client.credentials.access == "rapidapi"


async def test_reauth_to_an_account_of_another_entry(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    """An entry known by its key cannot take an account another entry already is."""
    other = _entry({**SF_DATA, "api_key": "t1"}, f"soccerfootball:account:{ACCOUNT_ID}")
    other.add_to_hass(hass)
    fake_feed.account = AccountInfo(account_id=None)
    entry = _entry(RAPID_DATA, _key_id("soccerfootball", "rapid-1"))
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    fake_feed.account = AccountInfo(account_id=ACCOUNT_ID)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("t2", access="direct")
    )
    assert result["errors"] == {"base": "account_in_use"}
    # Nor the key another entry uses.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("t1", access="direct")
    )
    assert result["errors"] == {"base": "account_in_use"}
    assert entry.data == RAPID_DATA


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
    fake_feed.validate_error = AuthFailed("dead")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("k2", "ws://127.0.0.1:1/ws")
    )
    assert result["errors"] == {"base": "invalid_auth"}
    fake_feed.validate_error = None
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("k2", "ws://127.0.0.1:1/ws")
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data == {"provider": "sportsapipro", "api_key": "k2", "url": "ws://127.0.0.1:1/ws"}
    assert entry.unique_id == SAP_ACCOUNT
    assert fake_feed.client.credentials.url == "ws://127.0.0.1:1/ws"


async def test_reconfigure_soccerfootball_wrong_account(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry(dict(SF_DATA))
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    assert "access" in result["data_schema"].schema
    fake_feed.account = AccountInfo(account_id="someone-else")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("other", access="direct")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "wrong_account"}
    assert entry.data == SF_DATA


async def test_reconfigure_direct_to_rapidapi(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """RapidAPI cannot say whose key it is: taken, and the entry is then known by it."""
    entry = make_entry(dict(SF_DATA))
    await setup_entry(hass, entry)
    assert entry.unique_id == f"soccerfootball:account:{ACCOUNT_ID}"
    result = await entry.start_reconfigure_flow(hass)
    fake_feed.account = AccountInfo(account_id=None)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("rapid-1", access="rapidapi")
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data == RAPID_DATA
    assert entry.unique_id == _key_id("soccerfootball", "rapid-1")
    assert fake_feed.client.credentials.access == "rapidapi"
    # And back to a direct token of whichever account.
    result = await entry.start_reconfigure_flow(hass)
    fake_feed.account = AccountInfo(account_id="acct-9")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _form("tok9", access="direct")
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.unique_id == "soccerfootball:account:acct-9"
