"""Teams typed by name match at once, on every frame; their id is stored once learned.

A team typed as free text (before the feed mentioned it) used to be followed by
its id only, resolved by a 30 s timer: goals in the first half minute were lost.
"""

from collections.abc import Generator
from pathlib import Path
from types import MappingProxyType
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntry, ConfigSubentry, ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.live_scores.const import EVENT_GOAL
from custom_components.live_scores.feed.api import Targets
from custom_components.live_scores.feed.model import Sport, Status
from custom_components.live_scores.feed.names import normalize
from custom_components.live_scores.target import Followed, build_targets
from tests.simulator import Simulator

from .common import make_entry, setup_entry
from .fake_feed import FakeFeed, advance, make_match
from .sim_helpers import FAST, configure, follow, sap_fields, until

SCENARIO = """
name = "typed"
description = "Atletico Madrid v Sevilla: a goal just after a team is typed by its name"

[[match]]
key = "atm-sev"
sport = "football"
sap_id = 5550143
sf_id = "c0ffee0000000143"
competition = "LaLiga"
competition_id = 11
sf_league_id = "f2b16fa54cb525d"
kickoff = 0
home = { name = "Atlético Madrid", short = "ATM", id = 143, sf_id = "a1b2c3d4e5f60143", color = "#CB3524" }
away = { name = "Sevilla", short = "SEV", id = 144, sf_id = "a1b2c3d4e5f60144", color = "#FFFFFF" }
moments = [
  { minute = 5.5, type = "goal", side = "home", scorer = "Griezmann" },
]
"""
GOAL_AT = 330  # seconds of match clock


def _typed(name: str) -> ConfigSubentryData:
    return ConfigSubentryData(
        data=MappingProxyType({"team": name}),
        subentry_type="team",
        title=name,
        unique_id=f"team:{name.casefold()}",
    )


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("atletico madrid", "Atlético Madrid"),
        ("  ATLETICO-MADRID ", "Atlético Madrid"),
        ("bodo glimt", "Bodø/Glimt"),
        ("borussia monchengladbach", "Borussia Mönchengladbach"),
        ("paris saint germain", "Paris Saint-Germain"),
    ],
)
def test_normalize(typed: str, sent: str) -> None:
    assert normalize(typed) == normalize(sent) != ""


def test_normalize_refuses_what_is_not_a_name() -> None:
    assert normalize(None) == normalize(5) == normalize("") == normalize("x" * 1000) == ""
    assert normalize("Real Madrid") != normalize("Real Madrid Castilla")


def test_targets_and_followed_match_by_name() -> None:
    subentry = ConfigSubentry(
        data=MappingProxyType({"team": "atletico madrid"}),
        subentry_type="team",
        title="atletico madrid",
        unique_id=None,
    )
    followed = Followed.from_subentry(subentry)
    assert followed is not None
    assert followed.by_name
    targets = build_targets([followed])
    assert targets.team_names == {"atletico madrid"}
    assert targets.teams == {"atletico madrid"}  # as typed: it could be an id
    assert targets.follows("m1", "t1", "t2", None, "Sevilla", "Atlético  Madrid")
    assert not targets.follows("m1", "t1", "t2", None, "Sevilla", "Real Madrid")
    assert not targets.follows("m1", "t1", "t2", None, ["unhashable"], {"x": 1})
    assert Targets(team_names=frozenset({"x"}))  # a name alone is a target
    match = make_match("m1", home=("t9", "Atlético Madrid"))
    assert followed.team_in(match) == "t9"
    # Once the id is known, only the id counts (another team of that name is not it).
    resolved = Followed.from_subentry(
        ConfigSubentry(
            data=MappingProxyType({"team": "atletico madrid", "team_id": "t7"}),
            subentry_type="team",
            title="atletico madrid",
            unique_id=None,
        )
    )
    assert resolved is not None
    assert not resolved.by_name
    assert resolved.team_in(match) is None
    assert build_targets([resolved]).team_names == frozenset()


async def test_typed_team_matched_at_once_and_id_stored(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry(
        subentries=[_typed("atletico madrid"), _typed("t7"), _typed("home")],
    )
    await setup_entry(hass, entry)
    client = fake_feed.client
    goals = async_capture_events(hass, EVENT_GOAL)
    assert client.targets.team_names == {"atletico madrid", "t7", "home"}
    # The feed names the team for the first time: followed from this very frame.
    first = make_match(
        "g1", ("t9", "Atlético Madrid"), ("t7", "Osasuna"), (0, 0), Status.LIVE, minute=3
    )
    client.push(first)
    client.push(advance(first, home=advance(first.home, score=1), minute=4))
    await hass.async_block_till_done()
    assert [g.data["scoring_team"] for g in goals] == ["Atlético Madrid"]
    assert len({tuple(g.data["device_ids"]) for g in goals}) == 1
    by_title = {s.title: dict(s.data) for s in entry.subentries.values()}
    assert by_title["atletico madrid"] == {
        "team": "atletico madrid",
        "team_id": "t9",
        "team_name": "Atlético Madrid",
        "sport": "football",
    }
    assert by_title["t7"]["team_id"] == "t7"  # an id typed as text
    assert by_title["t7"]["team_name"] == "Osasuna"
    # Retargeted (not reloaded): by id now, in the sport's channels.
    assert client.targets.teams == {"t9", "t7", "home"}
    assert client.targets.team_names == {"t7", "home"}  # an id typed stays a text too
    assert client.targets.sports == frozenset()  # "home" has no sport yet
    assert len(fake_feed.clients) == 1
    # A feed that has not named its teams yet gives placeholders: never stored as ids.
    client.push(make_match("g2", ("g2:home", "Home"), ("g2:away", "Away"), sport=Sport.FOOTBALL))
    await hass.async_block_till_done()
    [home] = [s for s in entry.subentries.values() if s.title == "home"]
    assert "team_id" not in home.data
    assert entry.runtime_data.displayed(home.subentry_id) is not None


async def test_id_learned_while_unloading_is_not_stored(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry(subentries=[_typed("atletico madrid")])
    await setup_entry(hass, entry)
    fake_feed.client.push(make_match("g1", ("t9", "Atlético Madrid")))
    await entry.runtime_data.async_shutdown()  # before the id could be stored
    await hass.async_block_till_done()
    [subentry] = entry.subentries.values()
    assert "team_id" not in subentry.data


# --- against the simulator ------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_feed() -> Generator[None]:
    with patch("custom_components.live_scores.coordinator.FEED_TIMING", FAST):
        yield


async def _entry(hass: HomeAssistant, sim: Simulator, provider: str) -> ConfigEntry:
    if provider == "sportsapipro":
        result = await configure(hass, provider, sap_fields(sim), sim.sportsapipro_ws_url)
    else:
        fields = {"access": "direct", "api_key": sim.SF_TOKEN}
        result = await configure(hass, provider, fields, sim.soccerfootball_rest_url)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry: ConfigEntry = result["result"]
    await until(hass, lambda: entry.runtime_data.connected, "connected")
    return entry


@pytest.mark.parametrize("provider", ["sportsapipro", "soccerfootball"])
@pytest.mark.parametrize("mentioned", [False, True], ids=["typed-first", "feed-first"])
async def test_typed_name_goal_ten_seconds_after_following(
    hass: HomeAssistant, simulator: Simulator, tmp_path: Path, provider: str, mentioned: bool
) -> None:
    """'atletico madrid' typed; the feed sends "Atlético Madrid"; a goal 10 s later fires once."""
    scenario = tmp_path / "typed.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    entry = await _entry(hass, simulator, provider)
    coordinator = entry.runtime_data
    goals = async_capture_events(hass, EVENT_GOAL)
    if mentioned:  # the match is on before the team is typed
        simulator.load_scenario(scenario)
        await simulator.advance(GOAL_AT - 10)
        await until(hass, lambda: bool(coordinator.games()), "the feed mentioned the match")
    result = await follow(hass, entry.entry_id, "team", "atletico madrid")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [subentry_id] = entry.subentries
    if not mentioned:  # typed first: the feed mentions the match afterwards
        simulator.load_scenario(scenario)
        await simulator.advance(GOAL_AT - 10)
    await until(hass, lambda: coordinator.displayed(subentry_id) is not None, "followed at once")
    await simulator.advance(10)  # the goal
    await until(hass, lambda: len(goals) >= 1, "the goal")
    # Later frames (and a second witness, where the feed has one) add nothing.
    await simulator.advance(60)
    await simulator.push_scores()
    await until(
        hass,
        lambda: (m := coordinator.displayed(subentry_id)) is not None and (m.minute or 0) >= 6,
        "later frames",
    )
    assert [(g.data["scoring_team"], g.data["home_score"]) for g in goals] == [
        ("Atlético Madrid", 1)
    ]
    match = simulator.match("atm-sev")
    home = match.spec.home
    expected = str(home.sap_id) if provider == "sportsapipro" else home.sf_id
    await until(hass, lambda: entry.subentries[subentry_id].data.get("team_id") == expected)
    assert entry.subentries[subentry_id].data["team_name"] == "Atlético Madrid"
    assert entry.subentries[subentry_id].data["sport"] == "football"
