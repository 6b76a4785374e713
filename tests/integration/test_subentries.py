"""Following matches, teams and competitions as subentries."""

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er

from custom_components.live_scores.feed.model import Status

from .common import make_entry, match_subentry, setup_entry
from .fake_feed import FakeFeed, make_match, summary

LIVE = make_match("m1", score=(0, 0), status=Status.LIVE, minute=5)
UPCOMING = make_match("m2", ("t3", "Barcelona"), ("t1", "Mallorca"), competition=("c2", "Copa"))
# What a subentry made with the form's defaults stores besides its target.
NO_DELAY = {"spoiler_delay": 0, "delay_scoreboard": False}
ENDED = make_match("m3", ("t4", "Sevilla"), ("t5", "Betis"), (1, 1), Status.FINISHED)


async def _add(hass: HomeAssistant, entry_id: str, kind: str, value: str) -> dict:
    result = await hass.config_entries.subentries.async_init(
        (entry_id, kind), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], {kind if kind != "match" else "match_id": value}
    )


async def test_match_picker_and_free_text(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    fake_feed.games = [summary(LIVE), summary(UPCOMING), summary(ENDED)]
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "match"), context={"source": SOURCE_USER}
    )
    selector = result["data_schema"].schema["match_id"]
    values = [o["value"] for o in selector.config["options"]]
    # The ended match is not offered; each value is its label, standing for its id.
    assert len(values) == 2
    assert values == [o["label"] for o in selector.config["options"]]
    assert selector.config["custom_value"] is True
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"match_id": " m1 "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Mallorca vs Real Madrid"
    assert result["data"] == {"match_id": "m1", "sport": "football", **NO_DELAY}
    result = await _add(hass, entry.entry_id, "match", "999")
    assert result["title"] == "Match 999"
    assert result["data"] == {"match_id": "999", **NO_DELAY}
    await hass.async_block_till_done()
    assert fake_feed.client.targets.matches == {"m1", "999"}
    assert fake_feed.client.targets.sports == frozenset()  # 999's sport is unknown
    result = await _add(hass, entry.entry_id, "match", "m1")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    result = await _add(hass, entry.entry_id, "match", "  ")
    assert result["errors"] == {"match_id": "required"}


async def test_team_picker_by_id_name_and_text(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    fake_feed.games = [summary(LIVE), summary(UPCOMING)]
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "team"), context={"source": SOURCE_USER}
    )
    labels = [o["label"] for o in result["data_schema"].schema["team"].config["options"]]
    assert labels == [
        "Barcelona (football)",
        "Mallorca (football)",
        "Real Madrid (football)",
    ]
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], {"team": "t1"})
    assert result["title"] == "Mallorca"
    assert result["data"] == {
        "team": "Mallorca",
        "team_id": "t1",
        "team_name": "Mallorca",
        "sport": "football",
        **NO_DELAY,
    }
    result = await _add(hass, entry.entry_id, "team", "real madrid")
    assert result["data"]["team_id"] == "t2"
    result = await _add(hass, entry.entry_id, "team", "Unknown FC")
    assert result["data"] == {"team": "Unknown FC", **NO_DELAY}
    result = await _add(hass, entry.entry_id, "team", "MALLORCA")
    assert result["reason"] == "already_configured"
    result = await _add(hass, entry.entry_id, "team", "")
    assert result["errors"] == {"team": "required"}
    await hass.async_block_till_done()
    assert fake_feed.client.targets.teams == {"t1", "t2", "Unknown FC"}


async def test_competition(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    fake_feed.games = [summary(LIVE), summary(UPCOMING)]
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await _add(hass, entry.entry_id, "competition", "laliga")
    assert result["data"] == {
        "competition": "LaLiga",
        "competition_id": "c1",
        "sport": "football",
        "spoiler_delay": 0,
        "delay_scoreboard": False,  # a competition has sensors too
    }
    result = await _add(hass, entry.entry_id, "competition", "c2")
    assert result["title"] == "Copa"
    result = await _add(hass, entry.entry_id, "competition", "x9")
    assert result["data"] == {"competition": "x9", "spoiler_delay": 0, "delay_scoreboard": False}
    result = await _add(hass, entry.entry_id, "competition", "c1")
    assert result["reason"] == "already_configured"
    result = await _add(hass, entry.entry_id, "competition", " ")
    assert result["errors"] == {"competition": "required"}
    await hass.async_block_till_done()
    assert fake_feed.client.targets.competitions == {"c1", "c2", "x9"}
    # A competition device has an event entity and the sensors of its current match.
    state = hass.states.get("event.laliga_match_event")
    assert state is not None
    assert hass.states.get("sensor.laliga_status") is not None
    assert hass.states.get("sensor.laliga_home_score") is not None
    fake_feed.client.push(LIVE, UPCOMING)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.laliga_status").attributes["match_id"] == "m1"
    assert hass.states.get("sensor.laliga_scoreboard").state == "IN"


async def test_pickers_empty_when_not_loaded(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry()
    entry.add_to_hass(hass)
    for kind, field in (("match", "match_id"), ("team", "team"), ("competition", "competition")):
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, kind), context={"source": SOURCE_USER}
        )
        assert result["data_schema"].schema[field].config["options"] == []


async def test_add_and_remove_without_reload(
    hass: HomeAssistant,
    fake_feed: FakeFeed,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    client = fake_feed.client
    client.push(LIVE, UPCOMING)
    result = await _add(hass, entry.entry_id, "team", "t3")  # Barcelona: not in the index
    await hass.async_block_till_done()
    assert result["data"] == {"team": "t3", **NO_DELAY}
    assert len(fake_feed.clients) == 1  # not reloaded
    assert client.targets.teams == {"t3"}
    client.push(UPCOMING)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.t3_status").state == "scheduled"
    assert hass.states.get("sensor.t3_status").attributes["home"] == "Barcelona"
    [team_sub] = [s for s in entry.subentries.values() if s.subentry_type == "team"]
    device = device_registry.async_get_device_by_identifier(
        ("live_scores", team_sub.subentry_id), entry.entry_id
    )
    assert device is not None
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert len(er.async_entries_for_device(entity_registry, device.id)) == 5

    hass.config_entries.async_remove_subentry(entry, team_sub.subentry_id)
    await hass.async_block_till_done()
    assert len(fake_feed.clients) == 1
    assert client.targets.teams == frozenset()
    assert hass.states.get("sensor.t3_status") is None
    assert (
        device_registry.async_get_device_by_identifier(
            ("live_scores", team_sub.subentry_id), entry.entry_id
        )
        is None
    )
    assert "m2" not in entry.runtime_data.matches
    # The match device still works.
    client.push(make_match("m1", score=(1, 0), status=Status.LIVE, minute=9))
    await hass.async_block_till_done()
    assert hass.states.get("sensor.mallorca_vs_real_madrid_home_score").state == "1"
