"""A goal learned late (after an outage) fires once, marked `recovered`."""

from collections.abc import Generator
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.live_scores.const import EVENT_GOAL
from tests.simulator import Simulator

from .sim_helpers import FAST, configure, follow, sap_fields, until


@pytest.fixture(autouse=True)
def fast_feed() -> Generator[None]:
    """Reconnect at once."""
    with patch("custom_components.live_scores.coordinator.FEED_TIMING", FAST):
        yield


@pytest.mark.parametrize("provider", ["sportsapipro", "soccerfootball"])
async def test_goal_inside_an_outage_is_recovered(
    hass: HomeAssistant, simulator: Simulator, provider: str
) -> None:
    sim = simulator
    if provider == "sportsapipro":
        url, fields = sim.sportsapipro_ws_url, sap_fields(sim)
        match_id = "4467358"
    else:
        url, fields = sim.soccerfootball_rest_url, {"access": "direct", "api_key": sim.SF_TOKEN}
        match_id = "b01d28ac92221034"
    result = await configure(hass, provider, fields, url)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry = result["result"]
    goals = async_capture_events(hass, EVENT_GOAL)
    await until(hass, lambda: entry.runtime_data.connected, "connected")
    result = await follow(hass, entry.entry_id, "match", match_id)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    sim.load_scenario("goals")
    # Kick-off and the 12th-minute goal, live.
    for _ in range(15):
        await sim.advance(60)
    await until(hass, lambda: len(goals) == 1, "first goal")
    # An outage over the 23rd-minute goal.
    sim.faults.set("refuse_connections", True, provider)
    await sim.faults.drop(provider)
    await until(hass, lambda: not entry.runtime_data.connected, "down")
    for _ in range(12):
        await sim.advance(60)
    sim.faults.set("refuse_connections", False, provider)
    await until(hass, lambda: entry.runtime_data.connected, "back")
    # The next update after the resubscription carries the goal from the outage.
    for _ in range(5):
        await sim.advance(60)
        await hass.async_block_till_done()
        if len(goals) == 2:
            break
    await until(hass, lambda: len(goals) == 2, "recovered goal")
    # The next goal (38th minute) is live again.
    for _ in range(12):
        await sim.advance(60)
    await until(hass, lambda: len(goals) >= 3, "live goal")
    scored = [(e.data["home_score"], e.data["away_score"], e.data["recovered"]) for e in goals[:3]]
    assert scored == [(1, 0, False), (1, 1, True), (1, 2, False)]
    (state,) = hass.states.async_all("event")
    assert state.attributes["recovered"] is False
