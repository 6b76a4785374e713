"""The key never shows: not in logs (at DEBUG), not in diagnostics, not in errors."""

from collections.abc import Generator
import json
import logging
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from tests.simulator import Simulator

from .common import make_entry, match_subentry, setup_entry
from .fake_feed import FakeFeed
from .sim_helpers import FAST, configure, follow, sap_fields, until


@pytest.fixture(autouse=True)
def fast_feed() -> Generator[None]:
    """Reconnect at once."""
    with patch("custom_components.live_scores.coordinator.FEED_TIMING", FAST):
        yield


async def test_key_never_logged_or_in_diagnostics(
    hass: HomeAssistant,
    simulator: Simulator,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    key = simulator.SAP_KEY
    url = simulator.sportsapipro_ws_url
    assert await async_setup_component(hass, "diagnostics", {})
    # Every config flow error, with the key typed in.
    result = await configure(hass, "sportsapipro", sap_fields(simulator, "wrong-" + key), url)
    assert result["errors"] == {"base": "invalid_auth"}
    result = await configure(hass, "sportsapipro", sap_fields(simulator), "ws://127.0.0.1:1/ws")
    assert result["errors"] == {"base": "cannot_connect"}
    simulator.faults.set("quota_exceeded", True, "sportsapipro")
    result = await configure(hass, "sportsapipro", sap_fields(simulator), url)
    assert result["errors"] == {"base": "quota_exceeded"}
    simulator.faults.set("quota_exceeded", False, "sportsapipro")
    result = await configure(hass, "sportsapipro", sap_fields(simulator), url)
    entry = result["result"]
    assert entry.unique_id != key
    assert key not in entry.unique_id
    simulator.load_scenario("goals")
    await until(hass, lambda: entry.runtime_data.connected, "connected")
    await follow(hass, entry.entry_id, "match", str(simulator.match("mll-rma").sap_id))
    await simulator.advance(15 * 60)
    await until(hass, lambda: entry.runtime_data.matches != {}, "a match")
    # A dropped connection, then a revoked key at runtime.
    await simulator.faults.drop("sportsapipro")
    await until(hass, lambda: entry.runtime_data.connected, "reconnected")
    await simulator.faults.revoke_key(key)
    await until(hass, lambda: not entry.runtime_data.connected, "refused")
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    assert key not in text
    assert diagnostics["entry"]["data"]["api_key"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["url"] == "**REDACTED**"
    assert diagnostics["matches"]
    assert diagnostics["client"]["provider"] == "sportsapipro"
    assert hass.config_entries.flow.async_progress_by_handler("live_scores")
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert "live_scores" in caplog.text
    assert key not in caplog.text


async def test_diagnostics_scrubs_keyed_urls(
    hass: HomeAssistant, fake_feed: FakeFeed, hass_client: ClientSessionGenerator
) -> None:
    """A client counter that leaks a keyed URL is still scrubbed."""
    assert await async_setup_component(hass, "diagnostics", {})
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["client"]["url"] == "**REDACTED**"
    with patch.object(
        fake_feed.client,
        "diagnostics",
        return_value={"last": [f"wss://x/ws?x-api-key={entry.data['api_key']}", 3], "n": 1},
    ):
        diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["client"]["last"] == ["wss://x/ws?x-api-key=**REDACTED**", 3]
    assert entry.data["api_key"] not in json.dumps(diagnostics)
