"""Setup, unload, setup errors, availability, reauth and repairs (scripted feed)."""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.api import ConnectionState
from custom_components.live_scores.feed.errors import (
    AuthFailed,
    CannotConnect,
    PlanNotSupported,
    QuotaExceeded,
)
from custom_components.live_scores.feed.model import Status

from .common import API_KEY, make_entry, match_subentry, setup_entry
from .fake_feed import FakeFeed, make_match

STATUS = "sensor.mallorca_vs_real_madrid_status"


async def test_setup_and_unload(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    client = fake_feed.client
    assert client.started
    assert client.targets.matches == {"m1"}
    assert client.credentials.api_key == API_KEY
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert client.stopped
    assert hass.states.get(STATUS).state == STATE_UNAVAILABLE


@pytest.mark.parametrize(
    ("error", "state", "issue"),
    [
        (AuthFailed("no"), ConfigEntryState.SETUP_ERROR, None),
        (CannotConnect("down"), ConfigEntryState.SETUP_RETRY, None),
        (QuotaExceeded("spent"), ConfigEntryState.SETUP_RETRY, "quota_exceeded"),
        (PlanNotSupported("no ws"), ConfigEntryState.SETUP_ERROR, "plan_not_supported"),
    ],
)
async def test_setup_errors(  # noqa: PLR0917
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    issue_registry: ir.IssueRegistry,
    error: Exception,
    state: ConfigEntryState,
    issue: str | None,
) -> None:
    entry = make_entry()
    fake_feed.validate_error = error  # type: ignore[assignment]
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is state
    assert not fake_feed.client.started
    issues = {i.translation_key for i in issue_registry.issues.values() if i.domain == DOMAIN}
    assert issues == ({issue} if issue else set())
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert bool(flows) is isinstance(error, AuthFailed)


async def test_availability_logged_once(
    hass: HomeAssistant, fake_feed: FakeFeed, caplog: pytest.LogCaptureFixture
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    client = fake_feed.client
    client.push(make_match("m1"))
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == "scheduled"
    caplog.set_level(logging.INFO)
    client.connection(ConnectionState.DISCONNECTED, CannotConnect("socket closed"))
    client.connection(ConnectionState.CONNECTING)
    client.connection(ConnectionState.DISCONNECTED, CannotConnect("socket closed"))
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == STATE_UNAVAILABLE
    assert caplog.text.count("the feed is unavailable") == 1
    client.connection(ConnectionState.CONNECTED)
    client.connection(ConnectionState.CONNECTED)
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == "scheduled"
    assert caplog.text.count("the feed is back") == 1


async def test_runtime_auth_failure_starts_reauth(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    fake_feed.client.connection(ConnectionState.FAILED, AuthFailed("revoked"))
    await hass.async_block_till_done()
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == "reauth"
    assert flow["context"]["entry_id"] == entry.entry_id
    assert hass.states.get(STATUS).state == STATE_UNAVAILABLE


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (QuotaExceeded("spent", 3600), "quota_exceeded"),
        (PlanNotSupported("MAIN"), "plan_not_supported"),
    ],
)
async def test_runtime_issue_raised_and_cleared(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    issue_registry: ir.IssueRegistry,
    error: Exception,
    key: str,
) -> None:
    entry = make_entry()
    await setup_entry(hass, entry)
    fake_feed.client.connection(ConnectionState.FAILED, error)  # type: ignore[arg-type]
    issue = issue_registry.async_get_issue(DOMAIN, f"{key}_{entry.entry_id}")
    assert issue is not None
    assert issue.translation_key == key
    assert issue.translation_placeholders == {"title": entry.title}
    fake_feed.client.connection(ConnectionState.CONNECTED)
    assert issue_registry.async_get_issue(DOMAIN, f"{key}_{entry.entry_id}") is None


async def test_stop_persists_and_closes(
    hass: HomeAssistant, fake_feed: FakeFeed, hass_storage: dict[str, object]
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    client = fake_feed.client
    client.push(make_match("m1", score=(0, 0), status=Status.LIVE, minute=1))
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert client.stopped
    saved = hass_storage[f"live_scores.{entry.entry_id}"]["data"]
    assert "m1" in saved["matches"]  # type: ignore[index]
    # Unloading after the stop does nothing twice and logs no error.
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_remove_entry_drops_store(
    hass: HomeAssistant, fake_feed: FakeFeed, hass_storage: dict[str, object]
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    fake_feed.client.push(make_match("m1"))
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert f"live_scores.{entry.entry_id}" in hass_storage
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert f"live_scores.{entry.entry_id}" not in hass_storage
