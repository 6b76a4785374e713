"""The blueprints load in Home Assistant and do what they say, on Live Scores' triggers.

They run in a real entry whose goals and moments come from states pushed through
the real tracker, so they fire as a user's automation would.
"""

from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any

from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import homeassistant.util.dt as dt_util
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.live_scores.feed.model import Scorer, Side

from .common import make_entry, match_subentry, setup_entry, team_subentry
from .fake_feed import FakeFeed, advance
from .test_spoiler import delayed
from .test_triggers import AWAY_GOAL, FULL_TIME, HOME_GOAL, KICKOFF, PRE, device_of, push

BLUEPRINTS = Path(__file__).parents[2] / "blueprints"
FOLDER = BLUEPRINTS / "automation" / "live_scores"
SCORED = advance(HOME_GOAL, scorers=(Scorer(Side.HOME, 23, "Vedat Muriqi", None),))
AWAY = advance(SCORED, away=advance(SCORED.away, score=1), minute=30, version=4)


@pytest.fixture(autouse=True)
def blueprints_folder(hass: HomeAssistant, tmp_path: Path) -> None:
    """Home Assistant's configuration folder holds a copy of our blueprints."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")


async def _entry(hass: HomeAssistant, *subentries: Any) -> MockConfigEntry:
    entry = make_entry(subentries=list(subentries) or [match_subentry("m1")])
    await setup_entry(hass, entry)
    return entry


async def _automations(hass: HomeAssistant, *uses: tuple[str, dict[str, Any]]) -> None:
    config = {
        "automation": [
            {"use_blueprint": {"path": f"live_scores/{name}", "input": inputs}}
            for name, inputs in uses
        ]
    }
    assert await async_setup_component(hass, "automation", config)
    await hass.async_block_till_done()
    states = hass.states.async_all("automation")
    assert len(states) == len(uses)
    assert all(state.state == "on" for state in states), states


async def _run_out_delays(hass: HomeAssistant) -> None:
    """The lights blueprint's own short delays run in real time."""
    for _ in range(10):
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=5))
        await hass.async_block_till_done()


def _mock_lights(hass: HomeAssistant) -> list[Any]:
    on = async_mock_service(hass, "light", "turn_on")
    for domain, action in (("light", "turn_off"), ("scene", "create"), ("scene", "turn_on")):
        async_mock_service(hass, domain, action)
    return on


def test_every_blueprint_is_valid() -> None:
    """Each file is a blueprint Home Assistant accepts, on our triggers."""
    names = sorted(path.name for path in FOLDER.glob("*.yaml"))
    assert names == ["goal_lights.yaml", "goal_notify.yaml", "scoreboard_announcements.yaml"]
    for name in names:
        blueprint = models.Blueprint(
            load_yaml_dict(str(FOLDER / name)),
            expected_domain="automation",
            schema=AUTOMATION_BLUEPRINT_SCHEMA,
        )
        assert blueprint.metadata["source_url"].endswith(f"live_scores/{name}")
        triggers = blueprint.data["triggers"]
        assert {t["trigger"] for t in triggers} <= {"live_scores.goal", "live_scores.match_event"}


async def test_goal_lights_flash_in_the_scoring_team_colour(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    on = _mock_lights(hass)
    entry = await _entry(hass, match_subentry("m1"), match_subentry("m2", "Other match"))
    device = device_of(hass, entry, "match")
    inputs = {"match_device": device, "lights": {"entity_id": "light.tv"}, "flashes": 2}
    await _automations(hass, ("goal_lights.yaml", inputs))
    push(fake_feed, PRE, KICKOFF, HOME_GOAL)  # Mallorca in #E20613
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 2
    assert on[0].data["rgb_color"] == [226, 6, 19]
    assert on[0].data["entity_id"] == ["light.tv"]
    # Another followed match's goal does nothing.
    other = advance(HOME_GOAL, id="m2", version=3)
    push(fake_feed, advance(PRE, id="m2"), advance(KICKOFF, id="m2"), other)
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 2


async def test_goal_lights_only_for_my_team_and_fallback_colour(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    on = _mock_lights(hass)
    entry = await _entry(hass, team_subentry("t2", "Real Madrid"))
    inputs = {
        "match_device": device_of(hass, entry, "team"),
        "lights": {"entity_id": "light.tv"},
        "flashes": 1,
        "scored_by": "followed",
        "fallback_colour": [1, 2, 3],
    }
    await _automations(hass, ("goal_lights.yaml", inputs))
    push(fake_feed, PRE, KICKOFF, HOME_GOAL)  # Mallorca scored
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert on == []
    push(fake_feed, AWAY_GOAL)  # Real Madrid, no colour in the feed
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 1
    assert on[0].data["rgb_color"] == [1, 2, 3]


async def test_goal_lights_skip_goals_learned_late(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    on = _mock_lights(hass)
    entry = await _entry(hass)
    inputs = {"match_device": device_of(hass, entry, "match"), "lights": {"entity_id": "light.tv"}}
    await _automations(hass, ("goal_lights.yaml", inputs | {"flashes": 1}))
    push(fake_feed, PRE, KICKOFF)
    push(fake_feed, advance(KICKOFF, home=advance(KICKOFF.home, score=2), version=3))
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 1  # the 2-0, not the 1-0 it jumped over


async def test_notify_on_goal_and_full_time(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    sent = async_mock_service(hass, "notify", "phone")
    entry = await _entry(hass)
    inputs = {"match_device": device_of(hass, entry, "match"), "notify_action": "notify.phone"}
    await _automations(hass, ("goal_notify.yaml", inputs))
    push(fake_feed, PRE, KICKOFF)
    await hass.async_block_till_done()
    assert sent == []  # kick-off is off by default
    push(fake_feed, SCORED)
    await hass.async_block_till_done()
    assert sent[-1].data["title"] == "Goal! Mallorca 23'"
    assert sent[-1].data["message"] == "Mallorca 1–0 Real Madrid — Vedat Muriqi (LaLiga)"  # noqa: RUF001
    push(fake_feed, advance(AWAY, status=FULL_TIME.status, version=5))
    await hass.async_block_till_done()
    assert [c.data["title"] for c in sent] == ["Goal! Mallorca 23'", "Goal! Real Madrid 30'", "Full time"]  # fmt: skip
    assert sent[-1].data["message"] == "Mallorca 1–1 Real Madrid (LaLiga)"  # noqa: RUF001


async def test_notify_kickoff_and_late_goals(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    sent = async_mock_service(hass, "notify", "phone")
    entry = await _entry(hass)
    device = device_of(hass, entry, "match")
    inputs = {"match_device": device, "notify_action": "notify.phone", "kickoff": True}
    await _automations(hass, ("goal_notify.yaml", inputs))
    push(fake_feed, PRE, KICKOFF)
    push(fake_feed, advance(KICKOFF, home=advance(KICKOFF.home, score=2), version=3))
    await hass.async_block_till_done()
    assert [c.data["title"] for c in sent] == ["Kick-off", "Goal! Mallorca 1'", "Goal! Mallorca 1'"]
    assert sent[1].data["message"].endswith("(learned late)")
    assert not sent[2].data["message"].endswith("(learned late)")


async def test_scoreboard_announcements(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    spoken = async_mock_service(hass, "tts", "speak")
    sent = async_mock_service(hass, "notify", "send_message")
    entry = await _entry(hass)
    inputs = {
        "match_device": device_of(hass, entry, "match"),
        "tts_engine": "tts.google_en_com",
        "media_players": ["media_player.kitchen"],
        "notify_entities": ["notify.phone"],
    }
    await _automations(hass, ("scoreboard_announcements.yaml", inputs))
    push(fake_feed, PRE, KICKOFF, SCORED)
    # 1-0 -> 1-2: the 1-1 was missed (skipped), the 1-2 is live.
    push(fake_feed, advance(SCORED, away=advance(SCORED.away, score=2), minute=40, version=5))
    push(fake_feed, advance(SCORED, away=advance(SCORED.away, score=2), status=FULL_TIME.status, version=6))  # fmt: skip
    await hass.async_block_till_done()
    said = [call.data["message"] for call in spoken]
    assert said == [
        "Kick-off: Mallorca against Real Madrid.",
        "Goal for Mallorca! Vedat Muriqi scores in minute 23. Mallorca 1, Real Madrid 0.",
        "Goal for Real Madrid! Mallorca 1, Real Madrid 2.",
        "Full time: Mallorca 1, Real Madrid 2.",
    ]
    assert spoken[0].data["entity_id"] == ["tts.google_en_com"]
    assert spoken[0].data["media_player_entity_id"] == ["media_player.kitchen"]
    assert [call.data["message"] for call in sent] == said
    assert sent[0].data["entity_id"] == ["notify.phone"]


async def test_scoreboard_announcements_notify_only(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    spoken = async_mock_service(hass, "tts", "speak")
    sent = async_mock_service(hass, "notify", "send_message")
    entry = await _entry(hass)
    inputs = {"match_device": device_of(hass, entry, "match"), "notify_entities": ["notify.phone"]}
    await _automations(hass, ("scoreboard_announcements.yaml", inputs))
    push(fake_feed, PRE, KICKOFF)
    await hass.async_block_till_done()
    assert (len(spoken), len(sent)) == (0, 1)


async def test_spoiler_delayed_goal_triggers_when_delivered(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    """The lights flash when the held-back goal is delivered; a test goal at once."""
    on = _mock_lights(hass)
    entry = await _entry(hass, delayed(match_subentry("m1"), 30))
    device = device_of(hass, entry, "match")
    inputs = {"match_device": device, "lights": {"entity_id": "light.tv"}, "flashes": 1}
    await _automations(hass, ("goal_lights.yaml", inputs))
    push(fake_feed, PRE, KICKOFF, HOME_GOAL)
    await hass.async_block_till_done()
    # Not the loop's clock frozen: the blueprint's short delays run in real time.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=29))
    await hass.async_block_till_done()
    assert on == []
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=31))
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 1
    await hass.services.async_call(
        "live_scores", "fire_test_event", {"device_id": device}, blocking=True
    )
    await hass.async_block_till_done()
    await _run_out_delays(hass)
    assert len(on) == 2
