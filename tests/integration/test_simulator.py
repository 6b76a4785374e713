"""Acceptance: the integration with the real feed clients against the simulator (loopback)."""

from collections.abc import Generator
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_mock_restore_state_shutdown_restart,
)

from custom_components.live_scores.const import DOMAIN, EVENT_GOAL, EVENT_MATCH_EVENT
from tests.simulator import Simulator
from tests.test_teamtracker import CONTRACT

from .sim_helpers import FAST, configure, follow, sap_fields, until

STATUS = "sensor.mallorca_vs_real_madrid_status"
HOME = "sensor.mallorca_vs_real_madrid_home_score"
AWAY = "sensor.mallorca_vs_real_madrid_away_score"
# Event types the feed reports that the simulator's truth also records.
MATCH_EVENT_TYPES = {
    "kickoff",
    "goal_cancelled",
    "red_card",
    "halftime",
    "second_half",
    "full_time",
}


@pytest.fixture(autouse=True)
def fast_feed() -> Generator[None]:
    """Reconnect at once."""
    with patch("custom_components.live_scores.coordinator.FEED_TIMING", FAST):
        yield


def _goals(events: list[Event]) -> list[tuple[Any, ...]]:
    return [
        (
            e.data["scoring_side"],
            e.data["home_score"],
            e.data["away_score"],
            e.data["minute"],
            e.data["scorer"],
            e.data["kind"],
        )
        for e in events
    ]


def _truth_goals(sim: Simulator) -> list[tuple[Any, ...]]:
    return [
        (g.side, g.home_score, g.away_score, g.minute, g.scorer, g.kind) for g in sim.truth.goals
    ]


async def _sap_entry(hass: HomeAssistant, sim: Simulator) -> ConfigEntry:
    result = await configure(hass, "sportsapipro", sap_fields(sim), sim.sportsapipro_ws_url)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry: ConfigEntry = result["result"]
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def _follow_goals_match(hass: HomeAssistant, sim: Simulator, entry: ConfigEntry) -> None:
    """Load the scenario, let the feed mention it, then follow it from the picker."""
    sim.load_scenario("goals")
    await until(hass, lambda: entry.runtime_data.connected, "connected")
    await sim.advance(1)
    sap_id = str(sim.match("mll-rma").sap_id)
    await until(hass, lambda: any(g.id == sap_id for g in entry.runtime_data.games()), "indexed")
    result = await follow(hass, entry.entry_id, "match", sap_id)
    assert result["title"] == "Mallorca vs Real Madrid"
    await until(hass, lambda: hass.states.get(STATUS).state == "scheduled", "scheduled")


async def _play(
    hass: HomeAssistant,
    sim: Simulator,
    until_minute: float | None = None,
    scores: tuple[str, str] = (HOME, AWAY),
) -> None:
    """Advance the simulator minute by minute, letting Home Assistant keep up."""
    match = sim.match("mll-rma")
    while not match.final and (until_minute is None or sim.clock.now() < until_minute * 60):
        await sim.advance(60)
        home, away = match.home_score, match.away_score
        # A VAR decision shows once it persisted (SoccerFootball: up to a few
        # minutes of STATS): the sensors may still show the goal until then.
        recent_var = any(
            g.cancelled_at is not None and sim.clock.now() - g.cancelled_at < 240
            for g in sim.truth.goals
        )
        if home is not None and home >= 0 and away is not None and away >= 0 and not recent_var:
            await until(
                hass,
                lambda h=home, a=away: (
                    (hass.states.get(scores[0]).state, hass.states.get(scores[1]).state)
                    == (str(h), str(a))
                ),
                "scores followed",
            )


async def test_sap_match_goals_and_sensors(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = await _sap_entry(hass, simulator)
    goals = async_capture_events(hass, EVENT_GOAL)
    others = async_capture_events(hass, EVENT_MATCH_EVENT)
    await _follow_goals_match(hass, simulator, entry)
    await _play(hass, simulator)
    await until(hass, lambda: hass.states.get(STATUS).state == "finished", "finished")
    assert _goals(goals) == _truth_goals(simulator)
    assert len(goals) == 5
    assert {e.data["device_id"] for e in goals} == {goals[0].data["device_id"]} != {None}
    seen = [e.data["type"] for e in others]
    truth = [e.type for e in simulator.truth.events if e.type in MATCH_EVENT_TYPES]
    assert seen == truth
    state = hass.states.get(STATUS)
    assert state.attributes["home"] == "Mallorca"
    assert state.attributes["competition"] == "LaLiga"
    assert (hass.states.get(HOME).state, hass.states.get(AWAY).state) == ("2", "2")
    event = hass.states.get("event.mallorca_vs_real_madrid_match_event")
    assert event.attributes["event_type"] == "full_time"


async def test_reconnect_reload_restart_mid_match(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = await _sap_entry(hass, simulator)
    goals = async_capture_events(hass, EVENT_GOAL)
    await _follow_goals_match(hass, simulator, entry)
    await _play(hass, simulator, until_minute=20)  # 1-0

    # A dropped connection: unavailable, then back without repeating a goal.
    assert await simulator.faults.drop("sportsapipro") == 1
    await until(hass, lambda: not entry.runtime_data.connected, "dropped")
    await until(hass, lambda: entry.runtime_data.connected, "reconnected")
    await simulator.push_scores()
    await _play(hass, simulator, until_minute=30)  # 1-1

    # Reloading the entry.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await until(hass, lambda: entry.runtime_data.connected, "reloaded")
    assert hass.states.get(HOME).state == "1"
    await simulator.push_scores()
    await _play(hass, simulator, until_minute=60)  # 1-1 after VAR, red card, half-time

    # Restarting Home Assistant: stop, save restore state, start again.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    await async_mock_restore_state_shutdown_restart(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # Restored before the feed says anything.
    assert hass.states.get(HOME).state in ("1", STATE_UNAVAILABLE)
    await until(hass, lambda: entry.runtime_data.connected, "restarted")
    await simulator.push_scores()
    await _play(hass, simulator)
    await until(hass, lambda: hass.states.get(STATUS).state == "finished", "finished")
    assert _goals(goals) == _truth_goals(simulator)


async def test_goals_while_down_are_fired_once(hass: HomeAssistant, simulator: Simulator) -> None:
    """A goal scored while Home Assistant is stopped fires once after the restart."""
    entry = await _sap_entry(hass, simulator)
    goals = async_capture_events(hass, EVENT_GOAL)
    await _follow_goals_match(hass, simulator, entry)
    await _play(hass, simulator, until_minute=10)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await simulator.advance(5 * 60)  # Muriqi scores at 12' while we are away
    assert await hass.config_entries.async_setup(entry.entry_id)
    await until(hass, lambda: entry.runtime_data.connected, "restarted")
    # The match channel sends nothing until the match changes again; then the
    # goal scored meanwhile is seen once, against the saved tracker state.
    await _play(hass, simulator)
    assert _goals(goals) == _truth_goals(simulator)


async def test_revoked_key_starts_reauth(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = await _sap_entry(hass, simulator)
    await _follow_goals_match(hass, simulator, entry)
    await simulator.faults.revoke_key(simulator.SAP_KEY)
    await until(
        hass, lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)), "reauth"
    )
    assert hass.states.get(STATUS).state == STATE_UNAVAILABLE
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == "reauth"
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"api_key": simulator.SAP_KEY}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    simulator.faults.restore_key(simulator.SAP_KEY)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"api_key": simulator.SAP_KEY}
    )
    assert result["reason"] == "reauth_successful"
    await until(
        hass, lambda: entry.state is ConfigEntryState.LOADED and entry.runtime_data.connected
    )
    await until(hass, lambda: hass.states.get(STATUS).state == "scheduled", "back")


@pytest.mark.parametrize("access", ["direct", "rapidapi"])
async def test_soccerfootball_team_goals(
    hass: HomeAssistant, simulator: Simulator, access: str
) -> None:
    direct = access == "direct"
    key = simulator.SF_TOKEN if direct else simulator.SF_RAPIDAPI_KEY
    url = simulator.soccerfootball_rest_url if direct else simulator.soccerfootball_rapidapi_url
    result = await configure(hass, "soccerfootball", {"access": access, "api_key": key}, url)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry = result["result"]
    simulator.load_scenario("goals")
    await until(hass, lambda: entry.runtime_data.connected, "connected")
    await simulator.advance(1)
    goals = async_capture_events(hass, EVENT_GOAL)
    # Typed before the feed has mentioned the team: kept as typed...
    result = await follow(hass, entry.entry_id, "team", "mallorca")
    assert result["data"] == {"team": "mallorca", "spoiler_delay": 0, "delay_scoreboard": False}
    [subentry] = entry.subentries.values()
    # ...and resolved once the match starts and the feed names it.
    await simulator.advance(120)
    await until(hass, lambda: bool(entry.runtime_data.games()), "indexed")
    await until(hass, lambda: "team_id" in subentry.data, "resolved")
    assert subentry.data["team_id"] == "a1b2c3d4e5f60142"  # goals.toml
    await _play(
        hass, simulator, scores=("sensor.mallorca_team_score", "sensor.mallorca_opponent_score")
    )
    await until(hass, lambda: hass.states.get("sensor.mallorca_status").state == "finished")
    assert [(g[0], g[1], g[2]) for g in _goals(goals)] == [
        (g[0], g[1], g[2]) for g in _truth_goals(simulator)
    ]


async def test_soccerfootball_plan_not_supported(hass: HomeAssistant, simulator: Simulator) -> None:
    result = await configure(
        hass,
        "soccerfootball",
        {"access": "direct", "api_key": simulator.SF_TOKEN_BASIC},
        simulator.soccerfootball_rest_url,
    )
    assert result["errors"] == {"base": "plan_not_supported"}


async def _follow_scenario(
    hass: HomeAssistant, sim: Simulator, entry: ConfigEntry, scenario: str, key: str
) -> str:
    """Load a scenario, follow its match from the picker; return the scoreboard entity id."""
    sim.load_scenario(scenario)
    await until(hass, lambda: entry.runtime_data.connected, "connected")
    await sim.advance(1)
    sap_id = str(sim.match(key).sap_id)
    await until(hass, lambda: any(g.id == sap_id for g in entry.runtime_data.games()), "indexed")
    result = await follow(hass, entry.entry_id, "match", sap_id)
    board = f"sensor.{result['title'].lower().replace(' ', '_')}_scoreboard"
    await until(hass, lambda: hass.states.get(board).state == "PRE", "pre")
    return board


@pytest.mark.parametrize(
    ("scenario", "key", "sport", "minutes"),
    [
        ("goals", "mll-rma", "soccer", 20),
        ("basketball", "lal-bos", "basketball", 8),
        ("tennis", "sin-alc", "tennis", 40),
    ],
)
async def test_scoreboard_contract(  # noqa: PLR0917
    hass: HomeAssistant, simulator: Simulator, scenario: str, key: str, sport: str, minutes: int
) -> None:
    entry = await _sap_entry(hass, simulator)
    board = await _follow_scenario(hass, simulator, entry, scenario, key)
    match = simulator.match(key)
    state = hass.states.get(board)
    assert set(state.attributes) - {"friendly_name", "icon", "device_class", "options"} == CONTRACT
    assert state.attributes["sport"] == sport
    assert state.attributes["team_long_name"] == match.spec.home.name
    assert state.attributes["team_homeaway"] == "home"
    # Before play: no score (tennis: "0", the card prints the set's games as text).
    assert state.attributes["team_score"] == ("0" if sport == "tennis" else None)
    for _ in range(minutes):
        await simulator.advance(60)
    await simulator.push_scores()

    def shown() -> tuple[str | None, str | None]:
        attributes = hass.states.get(board).attributes
        return attributes["team_score"], attributes["opponent_score"]

    if sport == "tennis":
        # The card shows the games of the set being played; sets won apart.
        games = match.sets[-1]
        expected = (str(games[0]), str(games[1]))
    else:
        expected = (str(match.home_score), str(match.away_score))
    await until(hass, lambda: shown() == expected, f"scores {expected}")
    state = hass.states.get(board)
    assert state.state == "IN"
    assert set(state.attributes) - {"friendly_name", "icon", "device_class", "options"} == CONTRACT
    assert state.attributes["opponent_long_name"] == match.spec.away.name
    assert state.attributes["league"] == match.spec.competition
    assert state.attributes["last_update"] is not None
    if sport == "tennis":
        assert state.attributes["team_sets_won"] == match.home_score
        assert state.attributes["opponent_sets_won"] == match.away_score
        assert state.attributes["last_play"].startswith("Set 1: ")
    else:
        assert state.attributes["clock"]
        assert state.attributes["team_sets_won"] is None
