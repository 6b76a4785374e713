"""Availability: the feed's connection state as entity availability, logs, repairs, reauth.

Entities are available while the feed is connected. Losing the feed is logged
once at info level, and its return once; a refused key starts a reauth flow; a
spent quota or a plan without the live feed raises a repair issue, cleared by
the next successful setup or connection. At setup, each failure becomes the
exception that tells Home Assistant what to do (retry, reauth, give up).
"""

from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, ISSUE_PLAN, ISSUE_QUOTA, LOGGER
from .feed.api import ConnectionState
from .feed.errors import AuthFailed, CannotConnect, FeedError, PlanNotSupported, QuotaExceeded

# The failures setup turns into a Home Assistant exception (`Availability.setup_failed`).
SETUP_ERRORS = (AuthFailed, QuotaExceeded, PlanNotSupported, CannotConnect)


class Availability:
    """Follow the connection; call `on_change` when entities become (un)available."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, on_change: Callable[[], None]
    ) -> None:
        self._hass = hass
        self._entry = entry
        self._on_change = on_change
        self.connected = False
        self._down_logged = False

    def setup_failed(
        self, err: AuthFailed | QuotaExceeded | PlanNotSupported | CannotConnect
    ) -> HomeAssistantError:
        """The exception for a failed setup (raising the repair issue it needs)."""
        if isinstance(err, AuthFailed):
            return ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="invalid_auth")
        if isinstance(err, QuotaExceeded):
            self._raise_issue(ISSUE_QUOTA, "quota_exceeded")
            return ConfigEntryNotReady(translation_domain=DOMAIN, translation_key="quota_exceeded")
        if isinstance(err, PlanNotSupported):
            self._raise_issue(ISSUE_PLAN, "plan_not_supported")
            return ConfigEntryError(translation_domain=DOMAIN, translation_key="plan_not_supported")
        return ConfigEntryNotReady(translation_domain=DOMAIN, translation_key="cannot_connect")

    def setup_succeeded(self) -> None:
        """The account works: its repair issues are gone."""
        self._clear_issues()

    def on_connection(self, state: ConnectionState, error: FeedError | None) -> None:
        """Track availability; start reauth or raise an issue on a failure."""
        connected = state is ConnectionState.CONNECTED
        if connected:
            if self._down_logged:
                LOGGER.info("%s: the feed is back", self._entry.title)
                self._down_logged = False
            self._clear_issues()
        elif (
            state in (ConnectionState.DISCONNECTED, ConnectionState.FAILED)
            and not self._down_logged
        ):
            reason = str(error) if error else state.value
            LOGGER.info("%s: the feed is unavailable: %s", self._entry.title, reason)
            self._down_logged = True
        if state is ConnectionState.FAILED:
            if isinstance(error, AuthFailed):
                self._entry.async_start_reauth(self._hass)
            elif isinstance(error, QuotaExceeded):
                self._raise_issue(ISSUE_QUOTA, "quota_exceeded")
            elif isinstance(error, PlanNotSupported):
                self._raise_issue(ISSUE_PLAN, "plan_not_supported")
        if connected != self.connected:
            self.connected = connected
            self._on_change()

    def _raise_issue(self, issue: str, key: str) -> None:
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue.format(entry_id=self._entry.entry_id),
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=key,
            translation_placeholders={"title": self._entry.title},
        )

    def _clear_issues(self) -> None:
        for issue in (ISSUE_QUOTA, ISSUE_PLAN):
            ir.async_delete_issue(self._hass, DOMAIN, issue.format(entry_id=self._entry.entry_id))
