"""Quality-scale rules no other test shows on its own.

inject-websession: every feed client and validation gets Home Assistant's shared
session. exception-translations: each way setup can fail has a translated reason.
"""

from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.translation import async_get_translations
import pytest

from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.api import AccountInfo, Credentials, FeedListener
from custom_components.live_scores.feed.errors import (
    AuthFailed,
    CannotConnect,
    FeedError,
    PlanNotSupported,
    QuotaExceeded,
)

from .common import API_KEY, make_entry, match_subentry, setup_entry
from .fake_feed import FakeClient, FakeFeed


async def test_the_feed_gets_home_assistants_shared_session(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    sessions: list[aiohttp.ClientSession] = []

    def create_client(
        credentials: Credentials,
        session: aiohttp.ClientSession,
        listener: FeedListener,
        **kwargs: Any,
    ) -> FakeClient:
        sessions.append(session)
        return fake_feed.create_client(credentials, session, listener, **kwargs)

    async def validate(credentials: Credentials, session: aiohttp.ClientSession) -> AccountInfo:
        sessions.append(session)
        return await fake_feed.validate(credentials, session)

    with (
        patch("custom_components.live_scores.feed.create_client", create_client),
        patch("custom_components.live_scores.feed.validate", validate),
    ):
        await setup_entry(hass, make_entry(subentries=[match_subentry("m1")]))
        result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"provider": "sportsapipro"}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"api_key": "another-key", "advanced": {}}
        )
    # Validated, then stopped: another key of the account set up above.
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "already_configured")
    # The entry's client, then the flow's validation.
    assert len(sessions) == 2
    assert all(session is async_get_clientsession(hass) for session in sessions)


@pytest.mark.parametrize(
    ("error", "state", "reason"),
    [
        (AuthFailed("no"), ConfigEntryState.SETUP_ERROR, "invalid_auth"),
        (CannotConnect("down"), ConfigEntryState.SETUP_RETRY, "cannot_connect"),
        (QuotaExceeded("spent"), ConfigEntryState.SETUP_RETRY, "quota_exceeded"),
        (PlanNotSupported("no ws"), ConfigEntryState.SETUP_ERROR, "plan_not_supported"),
    ],
)
async def test_setup_failures_have_translated_reasons(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    error: FeedError,
    state: ConfigEntryState,
    reason: str,
) -> None:
    entry = make_entry()
    fake_feed.validate_error = error
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is state
    assert (entry.error_reason_translation_domain, entry.error_reason_translation_key) == (
        DOMAIN,
        reason,
    )
    texts = await async_get_translations(hass, "en", "exceptions", [DOMAIN])
    assert texts[f"component.{DOMAIN}.exceptions.{reason}.message"]
    assert API_KEY not in str(entry.reason)
