"""Config flow for Live Scores."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from .const import DOMAIN


class LiveScoresConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up an account of one provider."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Not configurable yet."""
        return self.async_abort(reason="not_implemented")
