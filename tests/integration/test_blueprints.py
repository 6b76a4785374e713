"""Both blueprints load in Home Assistant and do what they say."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import shutil

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import homeassistant.util.dt as dt_util
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.live_scores.feed.model import Status

from .common import make_entry, match_subentry, setup_entry
from .fake_feed import FakeFeed, advance, make_match
from .test_spoiler import delayed

BLUEPRINTS = Path(__file__).parents[2] / "blueprints"
DEVICE = "0123456789abcdef0123456789abcdef"

GOAL = {
    "device_id": DEVICE,
    "home": "Mallorca",
    "away": "Real Madrid",
    "home_score": 0,
    "away_score": 1,
    "scoring_side": "away",
    "scoring_team": "Real Madrid",
    "scoring_team_color": "#FF8000",
    "minute": 23,
    "scorer": "Vinícius Júnior",
    "competition": "LaLiga",
}


async def _setup(hass: HomeAssistant, tmp_path: Path, blueprint: str, inputs: dict) -> None:
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")
    config = {"automation": [{"use_blueprint": {"path": blueprint, "input": inputs}}]}
    assert await async_setup_component(hass, "automation", config)
    await hass.async_block_till_done()
    (automation,) = hass.states.async_all("automation")
    assert automation.state == "on"


async def _run_out_delays(hass: HomeAssistant) -> None:
    for _ in range(10):
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=5))
        await hass.async_block_till_done()


async def test_goal_lights_flash_in_the_scoring_team_colour(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    on = async_mock_service(hass, "light", "turn_on")
    off = async_mock_service(hass, "light", "turn_off")
    snapshot = async_mock_service(hass, "scene", "create")
    restore = async_mock_service(hass, "scene", "turn_on")
    inputs = {"match_device": DEVICE, "lights": {"entity_id": "light.tv"}, "flashes": 2}
    await _setup(hass, tmp_path, "live_scores/goal_lights.yaml", inputs)

    hass.bus.async_fire("live_scores_goal", GOAL)
    await hass.async_block_till_done()
    await _run_out_delays(hass)

    assert len(on) == 2
    assert on[0].data["rgb_color"] == [255, 128, 0]
    assert on[0].data["entity_id"] == ["light.tv"]
    assert len(off) == 2
    assert len(snapshot) == 1
    assert snapshot[0].data["snapshot_entities"] == ["light.tv"]
    assert len(restore) == 1

    # Another device's goal does nothing.
    hass.bus.async_fire("live_scores_goal", {**GOAL, "device_id": "other"})
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 2


async def test_goal_lights_only_for_my_team_and_fallback_colour(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    on = async_mock_service(hass, "light", "turn_on")
    async_mock_service(hass, "light", "turn_off")
    async_mock_service(hass, "scene", "create")
    async_mock_service(hass, "scene", "turn_on")
    inputs = {
        "match_device": DEVICE,
        "lights": {"entity_id": "light.tv"},
        "flashes": 1,
        "my_team": "mallorca",
        "fallback_colour": [1, 2, 3],
    }
    await _setup(hass, tmp_path, "live_scores/goal_lights.yaml", inputs)

    hass.bus.async_fire("live_scores_goal", GOAL)  # Real Madrid scored
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert on == []

    mallorca = {**GOAL, "scoring_team": "Mallorca", "scoring_team_color": None}
    hass.bus.async_fire("live_scores_goal", mallorca)
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 1
    assert on[0].data["rgb_color"] == [1, 2, 3]


async def test_notify_on_goal_and_full_time(hass: HomeAssistant, tmp_path: Path) -> None:
    sent = async_mock_service(hass, "notify", "phone")
    inputs = {"match_device": DEVICE, "notify_action": "notify.phone"}
    await _setup(hass, tmp_path, "live_scores/goal_notify.yaml", inputs)

    hass.bus.async_fire("live_scores_goal", GOAL)
    await hass.async_block_till_done()
    assert sent[-1].data["title"] == "Goal! Real Madrid 23'"
    assert sent[-1].data["message"] == "Mallorca 0–1 Real Madrid — Vinícius Júnior (LaLiga)"  # noqa: RUF001

    base = {k: v for k, v in GOAL.items() if not k.startswith("scor")}
    hass.bus.async_fire("live_scores_match_event", {**base, "type": "kickoff"})
    await hass.async_block_till_done()
    assert len(sent) == 1  # kick-off is off by default

    hass.bus.async_fire("live_scores_match_event", {**base, "type": "full_time"})
    await hass.async_block_till_done()
    assert sent[-1].data["title"] == "Full time"
    assert sent[-1].data["message"] == "Mallorca 0–1 Real Madrid (LaLiga)"  # noqa: RUF001


async def test_any_follower_device_triggers(hass: HomeAssistant, tmp_path: Path) -> None:
    """A goal names every following device in `device_ids`; `device_id` is only one."""
    on = async_mock_service(hass, "light", "turn_on")
    async_mock_service(hass, "light", "turn_off")
    async_mock_service(hass, "scene", "create")
    async_mock_service(hass, "scene", "turn_on")
    sent = async_mock_service(hass, "notify", "phone")
    lights = {"match_device": DEVICE, "lights": {"entity_id": "light.tv"}, "flashes": 1}
    notify = {"match_device": DEVICE, "notify_action": "notify.phone"}
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")
    config = {
        "automation": [
            {"use_blueprint": {"path": "live_scores/goal_lights.yaml", "input": lights}},
            {"use_blueprint": {"path": "live_scores/goal_notify.yaml", "input": notify}},
        ]
    }
    assert await async_setup_component(hass, "automation", config)
    await hass.async_block_till_done()

    shared = {**GOAL, "device_id": "team-device", "device_ids": ["team-device", DEVICE]}
    hass.bus.async_fire("live_scores_goal", shared)
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 1
    assert len(sent) == 1
    base = {k: v for k, v in shared.items() if not k.startswith("scor")}
    hass.bus.async_fire("live_scores_match_event", {**base, "type": "full_time"})
    await hass.async_block_till_done()
    assert sent[-1].data["title"] == "Full time"

    # Neither names the device: nothing.
    others = {**GOAL, "device_id": "team-device", "device_ids": ["team-device"]}
    hass.bus.async_fire("live_scores_goal", others)
    hass.bus.async_fire("live_scores_goal", {**others, "device_ids": None})
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert (len(on), len(sent)) == (1, 2)


async def test_spoiler_delayed_goal_triggers_when_delivered(
    hass: HomeAssistant, tmp_path: Path, fake_feed: FakeFeed
) -> None:
    """With the integration itself: the lights flash when the held-back goal is delivered."""
    on = async_mock_service(hass, "light", "turn_on")
    async_mock_service(hass, "light", "turn_off")
    async_mock_service(hass, "scene", "create")
    async_mock_service(hass, "scene", "turn_on")
    entry = make_entry(subentries=[delayed(match_subentry("m1"), 30)])
    await setup_entry(hass, entry)
    [subentry_id] = entry.subentries
    device = dr.async_get(hass).async_get_device_by_identifier(
        ("live_scores", subentry_id), entry.entry_id
    )
    assert device is not None
    inputs = {"match_device": device.id, "lights": {"entity_id": "light.tv"}, "flashes": 1}
    await _setup(hass, tmp_path, "live_scores/goal_lights.yaml", inputs)
    kickoff = make_match("m1", score=(0, 0), status=Status.LIVE, version=1)
    fake_feed.client.push(kickoff)
    fake_feed.client.push(advance(kickoff, away=advance(kickoff.away, score=1), version=2))
    await hass.async_block_till_done()
    # Not the loop's clock frozen: the blueprint's short delays run in real time.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=29))
    await hass.async_block_till_done()
    assert on == []
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=31))
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 1
    # The test action is not held back.
    await hass.services.async_call(
        "live_scores", "fire_test_event", {"device_id": device.id}, blocking=True
    )
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 2
