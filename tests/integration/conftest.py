"""Fixtures shared by every test."""

from collections.abc import Generator
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from .fake_feed import FakeFeed


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/ in every test."""


@pytest.fixture
def fake_feed() -> Generator[FakeFeed]:
    """Replace `feed.validate` and `feed.create_client` with a scriptable fake."""
    fake = FakeFeed()
    with (
        patch("custom_components.live_scores.feed.validate", fake.validate, create=True),
        patch("custom_components.live_scores.feed.create_client", fake.create_client, create=True),
    ):
        yield fake


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Home Assistant's snapshots (ids, contexts and times as ANY), in snapshots/."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
