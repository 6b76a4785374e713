"""A team's score sensors follow the team, home or away; the old home/away ones move."""

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.live_scores.const import DOMAIN
from custom_components.live_scores.feed.model import Status

from .common import make_entry, setup_entry, team_subentry
from .fake_feed import FakeFeed, make_match


async def test_team_scores_wherever_it_plays(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    await setup_entry(hass, make_entry(subentries=[team_subentry("t1", "Mallorca")]))
    away = make_match("a", ("t9", "Girona"), ("t1", "Mallorca"), (3, 1), Status.LIVE, minute=50)
    fake_feed.client.push(away)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.mallorca_team_score").state == "1"
    assert hass.states.get("sensor.mallorca_opponent_score").state == "3"
    assert hass.states.get("sensor.mallorca_team_score").name == "Mallorca Team score"


async def test_old_home_away_sensors_become_team_and_opponent(
    hass: HomeAssistant, fake_feed: FakeFeed, entity_registry: er.EntityRegistry
) -> None:
    """Same entities (ids, history, customisations), new unique ids; none orphaned."""
    entry = make_entry(subentries=[team_subentry("t1", "Mallorca")])
    entry.add_to_hass(hass)
    subentry_id = next(iter(entry.subentries))
    for old in ("home_score", "away_score"):
        entity_registry.async_get_or_create(
            "sensor",
            DOMAIN,
            f"{subentry_id}_{old}",
            config_entry=entry,
            config_subentry_id=subentry_id,
            suggested_object_id=f"mallorca_{old}",
        )
    # An old sensor next to a new one of the same meaning (a half-done move): removed.
    entity_registry.async_get_or_create(
        "sensor", DOMAIN, f"{subentry_id}_opponent_score", config_entry=entry,
        config_subentry_id=subentry_id, suggested_object_id="mallorca_opponent_score",
    )  # fmt: skip
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    ours = {
        e.unique_id.removeprefix(f"{subentry_id}_"): e.entity_id
        for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        if e.domain == "sensor"
    }
    assert ours == {
        "status": "sensor.mallorca_status",
        "team_score": "sensor.mallorca_home_score",  # the entity id stays
        "opponent_score": "sensor.mallorca_opponent_score",
        "scoreboard": "sensor.mallorca_scoreboard",
    }
    fake_feed.client.push(
        make_match("a", ("t9", "Girona"), ("t1", "Mallorca"), (2, 0), Status.LIVE)
    )
    await hass.async_block_till_done()
    assert hass.states.get("sensor.mallorca_home_score").state == "0"
    assert hass.states.get("sensor.mallorca_away_score") is None
