"""Helpers shared by the integration tests."""

from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.live_scores.const import DOMAIN

API_KEY = "sap-secret-key-0123456789"


def make_entry(
    data: dict[str, Any] | None = None,
    subentries: list[ConfigSubentryData] | None = None,
    unique_id: str = "acct-0001",
) -> MockConfigEntry:
    """A config entry of a SportsAPIPro account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="SportsAPIPro (Pro)",
        unique_id=unique_id,
        data=data or {"provider": "sportsapipro", "api_key": API_KEY},
        subentries_data=subentries or [],
    )


def match_subentry(match_id: str, title: str = "Mallorca vs Real Madrid") -> ConfigSubentryData:
    """Subentry data following one match."""
    return ConfigSubentryData(
        data=MappingProxyType({"match_id": match_id, "sport": "football"}),
        subentry_type="match",
        title=title,
        unique_id=f"match:{match_id}",
    )


def team_subentry(team_id: str, name: str) -> ConfigSubentryData:
    """Subentry data following a team."""
    return ConfigSubentryData(
        data=MappingProxyType(
            {"team": name, "team_id": team_id, "team_name": name, "sport": "football"}
        ),
        subentry_type="team",
        title=name,
        unique_id=f"team:{team_id}",
    )


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add and set up an entry."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
