"""Running the integration with the real feed clients against the simulator."""

import asyncio
from collections.abc import Callable
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.api import Timing
from tests.simulator import Simulator

# Short delays so that reconnects happen at once; nothing asserts on time.
FAST = Timing(
    ping_interval=0.2,
    silence_timeout=5.0,
    connect_timeout=5.0,
    backoff_min=0.01,
    backoff_max=0.05,
    stable_after=0.5,
    renew_before=1.0,
    auth_retry=3600.0,
)
WAIT = 20.0  # a safety net only: a test that waits this long has failed


async def until(
    hass: HomeAssistant, predicate: Callable[[], bool], what: str = "condition"
) -> None:
    """Let the loop run until `predicate()` holds."""
    try:
        async with asyncio.timeout(WAIT):
            while True:
                await hass.async_block_till_done()
                if predicate():
                    return
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"never happened: {what}") from None


async def configure(
    hass: HomeAssistant, provider: str, fields: dict[str, Any], url: str
) -> dict[str, Any]:
    """Run the user flow to its end; return the last result."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"provider": provider}
    )
    assert result["type"] is FlowResultType.FORM
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {**fields, "advanced": {"url": url}}
    )


async def follow(hass: HomeAssistant, entry_id: str, kind: str, value: str) -> dict[str, Any]:
    """Add a subentry through its flow."""
    result = await hass.config_entries.subentries.async_init(
        (entry_id, kind), context={"source": SOURCE_USER}
    )
    field = "match_id" if kind == "match" else kind
    return await hass.config_entries.subentries.async_configure(result["flow_id"], {field: value})


def sap_fields(sim: Simulator, key: str | None = None) -> dict[str, Any]:
    """The SportsAPIPro form."""
    return {"api_key": key or sim.SAP_KEY}
