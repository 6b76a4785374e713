"""What users see, as snapshots: entities per sport and match phase, diagnostics, flows.

The feed is scripted (`FakeFeed`) but its game objects go through the real
SportsAPIPro parser and the real tracker (`snapshot_games.py`). Time is frozen
and every id is fixed, so a snapshot changes only when what users see changes.
Regenerate with `--snapshot-update`, then read the diff: it is a statement of
what users see.
"""

from collections.abc import Generator
from datetime import timedelta
from types import MappingProxyType
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigSubentryDataWithId
from homeassistant.const import Platform
from homeassistant.core import Event, HomeAssistant, State
from homeassistant.data_entry_flow import FlowResult
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.util import slugify
import probatio
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_restore_state_shutdown_restart,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.api import ConnectionState, GameSummary
from custom_components.live_scores.feed.errors import AuthFailed

from .common import API_KEY
from .fake_feed import FakeFeed
from .snapshot_games import FIXTURES, KICKOFF, POSTPONEMENT, STORIES, game_id, state

ENTRY_ID = "01KLIVESCORESSNAPSHOT00000"
SPORTS = list(STORIES)


def _match(sport: str, *, return_fixture: bool = False) -> ConfigSubentryDataWithId:
    """A followed match, as the match picker stores it."""
    match_id = game_id(sport, return_fixture=return_fixture)
    fixture = FIXTURES[sport]
    home, away = (fixture.away, fixture.home) if return_fixture else (fixture.home, fixture.away)
    return ConfigSubentryDataWithId(
        data=MappingProxyType({"match_id": match_id, "sport": sport}),
        subentry_type="match",
        title=f"{home.name} vs {away.name}",
        unique_id=f"match:{match_id}",
        subentry_id=f"sub_match_{match_id}",
    )


def _followed(
    subentry_type: str, key: str, name: str, data: dict[str, Any]
) -> ConfigSubentryDataWithId:
    return ConfigSubentryDataWithId(
        data=MappingProxyType(data),
        subentry_type=subentry_type,
        title=name,
        unique_id=f"{subentry_type}:{key}",
        subentry_id=f"sub_{subentry_type}_{key}",
    )


def _team(sport: str) -> ConfigSubentryDataWithId:
    """The away side of a sport's story, followed as a team."""
    team = FIXTURES[sport].away
    data = {"team": team.name, "team_id": str(team.id), "team_name": team.name, "sport": sport}
    return _followed("team", str(team.id), team.name, data)


def _competition(sport: str) -> ConfigSubentryDataWithId:
    competition_id, name = FIXTURES[sport].competition
    data = {"competition": name, "competition_id": str(competition_id), "sport": sport}
    return _followed("competition", str(competition_id), name, data)


async def _setup(hass: HomeAssistant, *subentries: ConfigSubentryDataWithId) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        title="SportsAPIPro (Pro)",
        unique_id="sportsapipro:account:acct-0001",
        minor_version=2,
        data={"provider": "sportsapipro", "api_key": API_KEY},
        subentries_data=subentries,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _states(hass: HomeAssistant, title: str) -> dict[str, State | None]:
    """The sensors and the event entity of the device named `title`."""
    name = slugify(title)
    return {
        entity_id: hass.states.get(entity_id)
        for entity_id in (
            *(
                f"sensor.{name}_{key}"
                for key in ("status", "home_score", "away_score", "scoreboard")
            ),
            f"event.{name}_match_event",
        )
    }


@pytest.fixture
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """The clock two hours before kick-off of every story."""
    freezer.move_to(KICKOFF - timedelta(hours=2))
    return freezer


@pytest.fixture
def only(request: pytest.FixtureRequest) -> Generator[None]:
    """Load only the platform the test names (`snapshot_platform` takes one)."""
    with patch("custom_components.live_scores.PLATFORMS", [request.param]):
        yield


@pytest.mark.parametrize("sport", SPORTS)
async def test_match_phases(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    frozen: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
    sport: str,
) -> None:
    """A followed match from its schedule to the final whistle, and a postponed one."""
    await _setup(hass, _match(sport), _match(sport, return_fixture=True))
    client = fake_feed.client
    title, other = FIXTURES[sport].title, _match(sport, return_fixture=True)["title"]
    for version, phase in enumerate(STORIES[sport], start=1):
        frozen.move_to(KICKOFF + timedelta(minutes=phase.minutes))
        client.push(state(sport, phase, version=version))
        await hass.async_block_till_done()
        if phase.name is not None:
            assert _states(hass, title) == snapshot(name=phase.name)
    for version, phase in enumerate(POSTPONEMENT, start=1):
        client.push(state(sport, phase, return_fixture=True, version=version))
    await hass.async_block_till_done()
    assert _states(hass, other) == snapshot(name="postponed")


@pytest.mark.parametrize("only", [Platform.SENSOR], indirect=True)
@pytest.mark.usefixtures("only")
async def test_sensor_entities(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    frozen: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Registry entries and states of a match and a team (the away side), live."""
    await _setup(hass, _match("football"), _team("football"))
    frozen.move_to(KICKOFF + timedelta(minutes=23))
    fake_feed.client.push(state("football", STORIES["football"][1]))
    await hass.async_block_till_done()
    await snapshot_platform(hass, entity_registry, snapshot, ENTRY_ID)


@pytest.mark.parametrize("only", [Platform.EVENT], indirect=True)
@pytest.mark.usefixtures("only")
async def test_event_entities(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    frozen: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every target has an event entity, a competition too; here after a goal."""
    await _setup(hass, _match("football"), _team("football"), _competition("football"))
    story = STORIES["football"]
    fake_feed.client.push(state("football", story[0], version=1))
    frozen.move_to(KICKOFF + timedelta(minutes=story[1].minutes))
    fake_feed.client.push(state("football", story[1], version=2))
    await hass.async_block_till_done()
    await snapshot_platform(hass, entity_registry, snapshot, ENTRY_ID)


async def test_feed_down_and_after_restart(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    frozen: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    """Before the feed sends the match, while the feed is down, and after a restart."""
    entry = await _setup(hass, _match("football"))
    title = FIXTURES["football"].title
    assert _states(hass, title) == snapshot(name="before the feed sends it")
    story = STORIES["football"]
    fake_feed.client.push(state("football", story[0], version=1))
    frozen.move_to(KICKOFF + timedelta(minutes=story[1].minutes))
    fake_feed.client.push(state("football", story[1], version=2))
    fake_feed.client.connection(ConnectionState.DISCONNECTED)
    await hass.async_block_till_done()
    assert _states(hass, title) == snapshot(name="feed down")
    await entry.runtime_data.async_on_stop(Event("homeassistant_stop"))
    assert await hass.config_entries.async_unload(entry.entry_id)
    await async_mock_restore_state_shutdown_restart(hass)
    frozen.tick(timedelta(minutes=5))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert _states(hass, title) == snapshot(name="restored")


async def test_diagnostics(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    frozen: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """What diagnostics hold, keys and account redacted.

    The client's own section comes from `FakeFeed` here (the real clients'
    counters are pinned by the feed's tests), so it is left out.
    """
    entry = await _setup(hass, _match("football"), _team("tennis"), _competition("hockey"))
    fake_feed.client.push(state("football", STORIES["football"][1]))
    await hass.async_block_till_done()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics == snapshot(exclude=props("client"))
    assert API_KEY not in str(diagnostics)


def _frontend(result: FlowResult) -> dict[str, Any]:
    """A flow result as the frontend receives it: the form's schema as a field list."""
    frontend = dict(result)
    if (schema := frontend.get("data_schema")) is not None:
        frontend["data_schema"] = probatio.to_field_list(
            schema, custom_serializer=cv.custom_serializer
        )
    return frontend


async def test_config_flow(
    hass: HomeAssistant, fake_feed: FakeFeed, snapshot: SnapshotAssertion
) -> None:
    """The account forms, an error on them, and the entry they create."""
    flow = hass.config_entries.flow
    result = await flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert _frontend(result) == snapshot(name="user")
    flow_id = result["flow_id"]
    result = await flow.async_configure(flow_id, {"provider": "soccerfootball"})
    assert _frontend(result) == snapshot(name="soccerfootball")
    result = await flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await flow.async_configure(result["flow_id"], {"provider": "sportsapipro"})
    assert _frontend(result) == snapshot(name="sportsapipro")
    fake_feed.validate_error = AuthFailed("refused")
    result = await flow.async_configure(result["flow_id"], {"api_key": "bad", "advanced": {}})
    assert _frontend(result) == snapshot(name="sportsapipro invalid_auth")
    fake_feed.validate_error = None
    result = await flow.async_configure(result["flow_id"], {"api_key": API_KEY, "advanced": {}})
    assert _frontend(result) == snapshot(name="sportsapipro created", exclude=props("api_key"))


async def test_reauth_and_reconfigure(
    hass: HomeAssistant, fake_feed: FakeFeed, snapshot: SnapshotAssertion
) -> None:
    """The forms that take a new key of the same account."""
    entry = await _setup(hass)
    assert _frontend(await entry.start_reauth_flow(hass)) == snapshot(name="reauth")
    assert _frontend(await entry.start_reconfigure_flow(hass)) == snapshot(name="reconfigure")


async def test_subentry_flows(
    hass: HomeAssistant, fake_feed: FakeFeed, snapshot: SnapshotAssertion
) -> None:
    """The pickers list what the feed carries; what following one creates."""
    stories = [state(sport, STORIES[sport][0]) for sport in SPORTS]
    fake_feed.games = [GameSummary.of(match) for match in stories]
    entry = await _setup(hass)
    subentries = hass.config_entries.subentries
    for kind, field, value in (
        ("match", "match_id", game_id("tennis")),
        ("team", "team", "real madrid"),
        ("competition", "competition", "NHL"),
    ):
        result = await subentries.async_init(
            (entry.entry_id, kind), context={"source": SOURCE_USER}
        )
        assert _frontend(result) == snapshot(name=f"{kind} picker")
        spoiler = {"spoiler_delay": 30, "delay_scoreboard": True}
        result = await subentries.async_configure(result["flow_id"], {field: value, **spoiler})
        assert _frontend(result) == snapshot(name=f"{kind} followed")
    await hass.async_block_till_done()
    [competition] = [s for s in entry.subentries.values() if s.subentry_type == "competition"]
    result = await entry.start_subentry_reconfigure_flow(hass, competition.subentry_id)
    assert _frontend(result) == snapshot(name="competition reconfigure")
