"""The `live_scores.fire_test_event` action: a pretend goal to test automations."""

from dataclasses import replace

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
import probatio

from .const import ATTR_SCORING_SIDE, DOMAIN, SERVICE_FIRE_TEST_EVENT, SUBENTRY_COMPETITION
from .coordinator import LiveScoresConfigEntry
from .feed.model import EventType, Match, MatchEvent, Provider, Side, Sport, Status, Team
from .target import Followed

ATTR_DEVICE_ID = "device_id"

FIRE_TEST_EVENT_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Optional(ATTR_SCORING_SIDE): probatio.In([str(side) for side in Side]),
    }
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""

    async def fire_test_event(call: ServiceCall) -> None:
        device_id: str = call.data[ATTR_DEVICE_ID]
        entry, subentry_id = _target(hass, device_id)
        coordinator = entry.runtime_data
        followed = coordinator.followed[subentry_id]
        side = call.data.get(ATTR_SCORING_SIDE)
        event = sample_goal(
            followed,
            coordinator.displayed(subentry_id),
            coordinator.client.provider,
            entry.subentries[subentry_id].title,
            Side(side) if side else None,
        )
        coordinator.async_fire_test_event(subentry_id, event)

    hass.services.async_register(
        DOMAIN, SERVICE_FIRE_TEST_EVENT, fire_test_event, schema=FIRE_TEST_EVENT_SCHEMA
    )


def _target(hass: HomeAssistant, device_id: str) -> tuple[LiveScoresConfigEntry, str]:
    """The loaded entry and the followed target (subentry) of a Live Scores device."""
    device = dr.async_get(hass).async_get(device_id)
    entry: LiveScoresConfigEntry | None = None
    subentry_id: str | None = None
    if device is not None:
        subentry_id = next((key for domain, key in device.identifiers if domain == DOMAIN), None)
        found = hass.config_entries.async_get_entry(device.config_entry_id)
        if found is not None and found.domain == DOMAIN:
            entry = found
    if entry is None or subentry_id is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_device",
            translation_placeholders={"device_id": device_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"title": entry.title},
        )
    if subentry_id not in entry.runtime_data.followed:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_device",
            translation_placeholders={"device_id": device_id},
        )
    return entry, subentry_id


def sample_goal(
    followed: Followed,
    match: Match | None,
    provider: Provider,
    title: str,
    side: Side | None,
) -> MatchEvent:
    """A goal in the target's displayed match, or in a plausible placeholder match.

    The scoring side defaults to the followed team's side, else home. The score
    is the displayed one plus this goal.
    """
    if match is None:
        match = Match(
            provider=provider,
            id="test",
            sport=followed.sport or Sport.FOOTBALL,
            home=Team(id="home", name=followed.name or "Home team"),
            away=Team(id="away", name="Away team"),
            status=Status.LIVE,
            competition=title if followed.kind == SUBENTRY_COMPETITION else None,
        )
    if side is None:
        team_id = followed.team_in(match)
        side = (match.side_of(team_id) if team_id else None) or Side.HOME
    scoring, other = match.team(side), match.team(Side.AWAY if side is Side.HOME else Side.HOME)
    scored = replace(scoring, score=(scoring.score or 0) + 1)
    conceded = replace(other, score=other.score or 0)
    teams = (scored, conceded) if side is Side.HOME else (conceded, scored)
    after = replace(match, home=teams[0], away=teams[1])
    return MatchEvent(EventType.GOAL, after, key="test", side=side, minute=match.minute)
