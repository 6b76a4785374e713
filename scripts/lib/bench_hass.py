"""A real Home Assistant for the benchmarks: its core, in one event loop, nothing mocked.

Home Assistant is started as its bootstrap does (registries, core integrations,
core config, `async_start`), from a fresh configuration directory, but without
the default integrations a full install also loads (frontend, http on a port,
discovery): they are not on the data path being measured. The integration is
this working tree's `custom_components/live_scores`, set up through its real
config flow against the simulator (tests/simulator) on loopback.
"""

import asyncio
import atexit
from collections.abc import Callable, Coroutine
import json
import logging
from pathlib import Path
import shutil
import statistics
import sys
import tempfile
from types import MappingProxyType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from homeassistant import bootstrap, loader  # noqa: E402
from homeassistant.config_entries import ConfigEntries, ConfigEntry, ConfigSubentry  # noqa: E402
from homeassistant.core import HomeAssistant  # noqa: E402
from homeassistant.core_config import async_process_ha_core_config  # noqa: E402
from homeassistant.helpers import recorder  # noqa: E402
from homeassistant.runner import create_event_loop  # noqa: E402
from homeassistant.setup import async_setup_component  # noqa: E402

from scripts.lib.develop_onboard import loopback_adapter  # noqa: E402
from tests.integration.sim_helpers import configure  # noqa: E402
from tests.simulator import Simulator  # noqa: E402


def run(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run `main` in Home Assistant's own event loop."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("homeassistant.loader").setLevel(logging.ERROR)
    with asyncio.Runner(loop_factory=create_event_loop) as runner:
        runner.run(main())


async def start_hass(config_dir: Path | None = None, **components: dict[str, Any]) -> HomeAssistant:
    """A started Home Assistant in a fresh configuration directory (or `config_dir`).

    `components` are set up with their configuration, e.g. `recorder={...}`.
    """
    if config_dir is None:
        config_dir = Path(tempfile.mkdtemp(prefix="live-scores-bench-"))
        # Gone when the benchmark ends (a recorder database can be hundreds of MB).
        atexit.register(shutil.rmtree, config_dir, ignore_errors=True)
    # The loopback adapter only, as scripts/develop does: Home Assistant's aiohttp
    # session resolves through zeroconf, which must send nothing onto the network.
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    network = {"version": 1, "minor_version": 1, "key": "core.network"}
    network["data"] = {"configured_adapters": [loopback_adapter()]}  # type: ignore[assignment]
    (storage / "core.network").write_text(json.dumps(network))
    hass = HomeAssistant(str(config_dir))
    loader.async_setup(hass)
    hass.config_entries = ConfigEntries(hass, {})
    await loader.async_get_custom_components(hass)
    assert await bootstrap.async_load_base_functionality(hass)
    for domain in sorted(bootstrap.CORE_INTEGRATIONS):
        assert await async_setup_component(hass, domain, {})
    await async_process_ha_core_config(
        hass, {"name": "Bench", "time_zone": "UTC", "unit_system": "metric", "country": "ES"}
    )
    assert await async_setup_component(hass, "network", {})
    if "recorder" in components:  # as bootstrap does before setting it up
        recorder.async_initialize_recorder(hass)
    for domain, config in components.items():
        assert await async_setup_component(hass, domain, {domain: config}), domain
    await hass.async_start()
    return hass


async def add_entry(hass: HomeAssistant, sim: Simulator, key: str) -> ConfigEntry:
    """A Live Scores entry on the simulator's SportsAPIPro feed, through the config flow."""
    result = await configure(hass, "sportsapipro", {"api_key": key}, sim.sportsapipro_ws_url)
    assert result["type"] == "create_entry", result
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    return entry


def follow(
    hass: HomeAssistant, entry: ConfigEntry, kind: str, data: dict[str, Any], title: str
) -> None:
    """Add a followed match or team (a subentry, as the subentry flow stores it)."""
    hass.config_entries.async_add_subentry(
        entry,
        ConfigSubentry(
            data=MappingProxyType(data),
            subentry_type=kind,
            title=title,
            unique_id=f"{kind}:{data.get('match_id') or data.get('team_id')}",
        ),
    )


def quantile(values: list[float], q: float) -> float:
    """The `q` quantile (0..1) of `values`, interpolated between order statistics."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(q * 1000) - 1]
