"""Diagnostics for Live Scores: nothing secret leaves."""

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant

from .coordinator import LiveScoresConfigEntry

# Keys redacted wherever they occur, at any depth.
TO_REDACT = {
    CONF_API_KEY, CONF_URL, "key", "token", "access_token", "ws_token", "server",
    "x-api-key", "x-rapidapi-key", "password", "unique_id", "account_id",
}  # fmt: skip


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: LiveScoresConfigEntry
) -> dict[str, Any]:
    """Entry, followed targets, matches and the feed client's counters."""
    coordinator = entry.runtime_data
    data = {
        "entry": entry.as_dict(),
        "connected": coordinator.connected,
        "followed": [
            {
                "subentry_id": f.subentry_id,
                "kind": f.kind,
                "key": f.key,
                "sport": f.sport,
                "spoiler_delay": f.spoiler_delay,
                "delay_scoreboard": f.delay_scoreboard,
            }
            for f in coordinator.followed.values()
        ],
        "held_back": len(coordinator.delivery),
        "matches": {
            match_id: {
                "sport": str(match.sport),
                "status": str(match.status),
                "status_text": match.status_text,
                "home": match.home.name,
                "away": match.away.name,
                "score": [match.home.score, match.away.score],
                "clock": match.clock,
                "version": match.version,
            }
            for match_id, match in coordinator.matches.items()
        },
        "client": coordinator.client.diagnostics(),
    }
    secret: str = entry.data[CONF_API_KEY]
    redacted: dict[str, Any] = _scrub(async_redact_data(data, TO_REDACT), secret)
    return redacted


def _scrub(value: Any, secret: str) -> Any:
    """Mask the key wherever it still hides, for example inside a URL string."""
    if isinstance(value, str):
        return value.replace(secret, "**REDACTED**")
    if isinstance(value, dict):
        return {key: _scrub(item, secret) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, secret) for item in value]
    return value
