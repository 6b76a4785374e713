"""Config flow for Live Scores: accounts, and followed matches, teams, competitions.

An entry is one account, known by the account the service names (never by the
key: see account.py). Reauth and reconfigure take any key of the same account,
refuse one of another account on the form, and update the entry in place.
"""

from collections.abc import Mapping
from typing import Any, override

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
)
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from . import feed
from .account import account_error, unique_id
from .const import (
    ACCESS_DIRECT,
    ACCESS_RAPIDAPI,
    CONF_ACCESS,
    CONF_PROVIDER,
    DOMAIN,
    LOGGER,
    PROVIDER_NAMES,
    PROVIDER_SOCCERFOOTBALL,
    PROVIDER_SPORTSAPIPRO,
    PROVIDERS,
    SUBENTRY_COMPETITION,
    SUBENTRY_MATCH,
    SUBENTRY_TEAM,
)
from .coordinator import credentials_from_data
from .feed.api import AccountInfo
from .feed.errors import AuthFailed, CannotConnect, PlanNotSupported, QuotaExceeded
from .subentry_flow import CompetitionSubentryFlow, MatchSubentryFlow, TeamSubentryFlow

_KEY_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
_ACCESS_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[ACCESS_DIRECT, ACCESS_RAPIDAPI],
        mode=SelectSelectorMode.LIST,
        translation_key=CONF_ACCESS,
    )
)
SECTION_ADVANCED = "advanced"


def _clean(provider: str, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Config entry data from a form: trimmed, and `url` only when not the default."""
    data: dict[str, Any] = {CONF_PROVIDER: provider, CONF_API_KEY: user_input[CONF_API_KEY].strip()}
    if provider == PROVIDER_SOCCERFOOTBALL:
        data[CONF_ACCESS] = user_input[CONF_ACCESS]
    advanced = user_input.get(SECTION_ADVANCED) or {}
    url = str(advanced.get(CONF_URL) or "").strip().rstrip("/")
    if url and not feed.is_default_url(url):
        data[CONF_URL] = url
    return data


class LiveScoresConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up an account of one provider."""

    VERSION = 1
    # 2: unique ids name the account (account.py); 1 had a hash of the key.
    MINOR_VERSION = 2

    @classmethod
    @override
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Follow matches, teams and competitions as subentries."""
        return {
            SUBENTRY_MATCH: MatchSubentryFlow,
            SUBENTRY_TEAM: TeamSubentryFlow,
            SUBENTRY_COMPETITION: CompetitionSubentryFlow,
        }

    async def _async_validate(
        self, data: Mapping[str, Any]
    ) -> tuple[AccountInfo | None, str | None]:
        """Open the real handshake; return the account or an error key."""
        provider = data[CONF_PROVIDER]
        if CONF_URL in data and not feed.url_accepted(provider, data[CONF_URL]):
            return None, "invalid_url"
        session = async_get_clientsession(self.hass)
        try:
            return await feed.validate(credentials_from_data(data), session), None
        except AuthFailed:
            return None, "invalid_auth"
        except QuotaExceeded:
            return None, "quota_exceeded"
        except PlanNotSupported:
            return None, "plan_not_supported"
        except CannotConnect:
            return None, "cannot_connect"
        except Exception as err:  # noqa: BLE001 - a config flow must answer
            # Only the type: a message could carry a URL with the key in it.
            LOGGER.error("Unexpected error validating the account: %s", type(err).__name__)
            return None, "unknown"

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Pick the provider."""
        if user_input is not None:
            if user_input[CONF_PROVIDER] == PROVIDER_SPORTSAPIPRO:
                return await self.async_step_sportsapipro()
            return await self.async_step_soccerfootball()
        schema = probatio.Schema(
            {
                probatio.Required(CONF_PROVIDER): SelectSelector(
                    SelectSelectorConfig(
                        options=list(PROVIDERS),
                        mode=SelectSelectorMode.LIST,
                        translation_key=CONF_PROVIDER,
                    )
                )
            }
        )
        return self.async_show_form(step_id="user", data_schema=schema)

    async def async_step_sportsapipro(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the SportsAPIPro key (and, in advanced mode, the URL)."""
        return await self._async_step_account(PROVIDER_SPORTSAPIPRO, user_input)

    async def async_step_soccerfootball(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the SoccerFootball.info access, token (and, in advanced mode, URL)."""
        return await self._async_step_account(PROVIDER_SOCCERFOOTBALL, user_input)

    async def _async_step_account(
        self, provider: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _clean(provider, user_input)
            # The same key again: no need to ask the service.
            self._async_abort_entries_match(
                {CONF_PROVIDER: provider, CONF_API_KEY: data[CONF_API_KEY]}
            )
            if (result := await self._async_save(data, errors)) is not None:
                return result
        schema = _account_schema(
            provider,
            feed.default_url(provider),
            collapsed=errors.get("base") != "invalid_url",
            access_default=ACCESS_DIRECT,
        )
        schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id=provider, data_schema=schema, errors=errors)

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The key was refused: ask for a new one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new key of the same account."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, CONF_API_KEY: user_input[CONF_API_KEY].strip()}
            if (result := await self._async_save(data, errors, entry)) is not None:
                return result
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=probatio.Schema({probatio.Required(CONF_API_KEY): _KEY_SELECTOR}),
            errors=errors,
            description_placeholders={"provider": PROVIDER_NAMES[entry.data[CONF_PROVIDER]]},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the key, the access or the URL of the same account."""
        entry = self._get_reconfigure_entry()
        provider = entry.data[CONF_PROVIDER]
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _clean(provider, user_input)
            if (result := await self._async_save(data, errors, entry)) is not None:
                return result
        schema = _account_schema(
            provider,
            entry.data.get(CONF_URL, feed.default_url(provider)),
            collapsed=CONF_URL not in entry.data and errors.get("base") != "invalid_url",
        )
        # Never the stored key: it would travel to the browser.
        suggested = {CONF_ACCESS: entry.data.get(CONF_ACCESS, ACCESS_DIRECT), **(user_input or {})}
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )

    async def _async_save(
        self, data: dict[str, Any], errors: dict[str, str], entry: ConfigEntry | None = None
    ) -> ConfigFlowResult | None:
        """Check `data` with the service, then create the entry or update `entry` in place.

        None, with the form's error in `errors`, when `data` cannot be saved.
        """
        info, error = await self._async_validate(data)
        if info is not None and entry is not None:
            others = self._async_current_entries(include_ignore=False)
            error = account_error(entry, others, data, info)
        if info is None or error is not None:
            errors["base"] = str(error)
            return None
        if entry is not None:
            return self._async_finish(entry, data, info)
        # Another key of an account already set up aborts too.
        await self.async_set_unique_id(unique_id(data, info))
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title=_title(data[CONF_PROVIDER], info), data=data)

    @callback
    def _async_finish(
        self, entry: ConfigEntry, data: dict[str, Any], info: AccountInfo
    ) -> ConfigFlowResult:
        """Store the new data (and identity) in place and reload the entry.

        A loaded entry whose data changed is reloaded by its update listener (so
        not with async_update_reload_and_abort, which Home Assistant reports for
        an entry with an update listener); any other entry (not loaded, or the
        same data accepted again, e.g. a key restored) is reloaded here.
        """
        reload_here = entry.data == data or entry.state is not ConfigEntryState.LOADED
        result = self.async_update_and_abort(entry, unique_id=unique_id(data, info), data=data)
        if reload_here:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return result


def _title(provider: str, info: AccountInfo) -> str:
    name = PROVIDER_NAMES[provider]
    return f"{name} ({info.plan})" if info.plan else name


def _account_schema(
    provider: str,
    url: str,
    *,
    collapsed: bool,
    access_default: str | probatio.Undefined = probatio.UNDEFINED,
) -> probatio.Schema:
    """The account form: SoccerFootball.info's access, the key, the URL under *Advanced*."""
    fields: dict[Any, Any] = {}
    if provider == PROVIDER_SOCCERFOOTBALL:
        fields[probatio.Required(CONF_ACCESS, default=access_default)] = _ACCESS_SELECTOR
    fields[probatio.Required(CONF_API_KEY)] = _KEY_SELECTOR
    # The URL, for relays and the demo.
    fields[probatio.Required(SECTION_ADVANCED)] = section(
        probatio.Schema({probatio.Optional(CONF_URL, default=url): _URL_SELECTOR}),
        {"collapsed": collapsed},
    )
    return probatio.Schema(fields)
