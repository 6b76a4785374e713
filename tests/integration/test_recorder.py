"""What the recorder keeps: fast-changing attributes stay out of the history."""

from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.live_scores.sensor import MATCH_ATTRIBUTES, SENSORS
from custom_components.live_scores.teamtracker import ATTRIBUTE_KEYS, UNRECORDED_ATTRIBUTES

from .common import make_entry, match_subentry, setup_entry
from .fake_feed import FakeFeed, make_match

STATUS = "sensor.mallorca_vs_real_madrid_status"
BOARD = "sensor.mallorca_vs_real_madrid_scoreboard"
# The status sensor has neither clock nor scores; what it has changes with the phase.
STATUS_UNRECORDED: set[str] = set()
BOARD_UNRECORDED = UNRECORDED_ATTRIBUTES | {"team_score", "opponent_score"}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder before Home Assistant starts (it asks for its database first)."""


async def test_unrecorded_attributes(
    recorder_mock: Recorder, hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    start = dt_util.utcnow()
    await setup_entry(hass, make_entry(subentries=[match_subentry("m1")]))
    fake_feed.client.push(make_match("m1", minute=12, score=(1, 0)))
    await async_wait_recording_done(hass)
    history = await hass.async_add_executor_job(
        get_significant_states, hass, start, None, [STATUS, BOARD]
    )
    assert set(history[STATUS][-1].attributes) == {
        *(set(MATCH_ATTRIBUTES) - STATUS_UNRECORDED),
        "device_class", "friendly_name",
    }  # fmt: skip
    assert set(history[BOARD][-1].attributes) == {
        *(set(ATTRIBUTE_KEYS) - BOARD_UNRECORDED),
        "device_class", "friendly_name",
    }  # fmt: skip
    # Live, both sensors show every attribute.
    assert set(MATCH_ATTRIBUTES) <= set(hass.states.get(STATUS).attributes)
    assert set(ATTRIBUTE_KEYS) <= set(hass.states.get(BOARD).attributes)


def test_no_sensor_hides_another_ones_attribute() -> None:
    """Home Assistant keeps attributes out per class: one class, one set for all sensors."""
    keys = {"status": set(MATCH_ATTRIBUTES), "scoreboard": set(ATTRIBUTE_KEYS)}
    excluded = set().union(*(d.unrecorded_attributes for d in SENSORS))
    for description in SENSORS:
        assert keys.get(description.key, set()) & excluded <= description.unrecorded_attributes


async def test_the_status_sensor_does_not_move_with_the_clock_or_the_score(
    recorder_mock: Recorder, hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    """Each change of a state or its attributes is a row: the status sensor has one a phase."""
    await setup_entry(hass, make_entry(subentries=[match_subentry("m1")]))
    fake_feed.client.push(make_match("m1", minute=12, score=(0, 0)))
    await hass.async_block_till_done()
    before = hass.states.get(STATUS)
    fake_feed.client.push(make_match("m1", minute=13, score=(1, 0)))
    await hass.async_block_till_done()
    assert hass.states.get(BOARD).attributes["clock"] == "13'"
    assert hass.states.get(STATUS).last_updated == before.last_updated
