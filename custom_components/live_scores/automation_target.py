"""What the target of a Live Scores trigger or condition names, checked and resolved.

An automation names followed targets the Home Assistant way: their devices, their
entities (the event entity), or areas and labels holding them. `resolve` turns
such a target, each time it is used, into the followed targets behind it (so a
device added to an area later counts); `validate` checks one when the automation
is loaded, with translated errors; `followed_side` says which side of a match a
target follows.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_OPTIONS, CONF_TARGET
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.target import TargetSelection, async_extract_referenced_entity_ids
from homeassistant.helpers.translation import async_get_translations
from homeassistant.helpers.typing import ConfigType
import probatio

from .const import DOMAIN, SUBENTRY_MATCH, SUBENTRY_TEAM
from .coordinator import LiveScoresConfigEntry, LiveScoresCoordinator
from .feed.model import Match, Side
from .feed.names import normalize
from .target import Followed

_TARGET_KEYS = ("entity_id", "device_id", "area_id", "floor_id", "label_id")

# What an automation compares the scoring side with.
SIDE_ANY = "any"
SIDE_FOLLOWED = "followed"
SIDE_OPPONENT = "opponent"


@dataclass(frozen=True, slots=True)
class FollowedDevice:
    """The device of a followed target, in a loaded entry."""

    device_id: str
    entry: LiveScoresConfigEntry
    subentry_id: str

    @property
    def coordinator(self) -> LiveScoresCoordinator:
        """The coordinator of the device's entry."""
        return self.entry.runtime_data

    @property
    def followed(self) -> Followed | None:
        """What the device follows (None once its subentry is gone)."""
        return self.coordinator.followed.get(self.subentry_id)


def _live_scores_device(
    hass: HomeAssistant, registry: dr.DeviceRegistry, device_id: str
) -> FollowedDevice | None:
    """The followed target of a Live Scores device whose entry is loaded."""
    device = registry.async_get(device_id)
    if device is None:
        return None
    subentry_id = next((key for domain, key in device.identifiers if domain == DOMAIN), None)
    if subentry_id is None:
        return None
    entry = hass.config_entries.async_get_entry(device.config_entry_id)
    if entry is not None and entry.domain == DOMAIN and entry.state is ConfigEntryState.LOADED:
        return FollowedDevice(device_id, entry, subentry_id)
    return None


def resolve(hass: HomeAssistant, target: Mapping[str, Any]) -> dict[str, FollowedDevice]:
    """The followed targets a target names now, by device id."""
    selected = async_extract_referenced_entity_ids(
        hass, TargetSelection(dict(target)), expand_group=False
    )
    entities = er.async_get(hass)
    device_ids = set(selected.referenced_devices)
    for entity_id in selected.referenced | selected.indirectly_referenced:
        entity = entities.async_get(entity_id)
        if entity is not None and entity.platform == DOMAIN and entity.device_id:
            device_ids.add(entity.device_id)
    devices = dr.async_get(hass)
    return {
        device_id: found
        for device_id in sorted(device_ids)
        if (found := _live_scores_device(hass, devices, device_id)) is not None
    }


def followed_side(followed: Followed, match: Match | None, home: str, away: str) -> Side | None:
    """The side a target follows: its team's, home for a match; None for a competition.

    `match` is the match as the feed has it (None for a test goal's placeholder
    match): a team is found by its id there, else by its name.
    """
    if followed.kind == SUBENTRY_MATCH:
        return Side.HOME
    if followed.kind != SUBENTRY_TEAM:
        return None
    if match is not None and (team_id := followed.team_in(match)) is not None:
        return match.side_of(team_id)
    names = {normalize(followed.name or ""), normalize(followed.key)}
    if normalize(home) in names:
        return Side.HOME
    if normalize(away) in names:
        return Side.AWAY
    return None


def side_matches(wanted: str, side: str | None, followed: Side | None) -> bool:
    """Whether a scoring `side` is what `wanted` (any/followed/opponent/home/away) asks for."""
    if wanted == SIDE_ANY:
        return True
    if side is None:
        return False
    if wanted == SIDE_FOLLOWED:
        return followed is not None and side == followed
    if wanted == SIDE_OPPONENT:
        return followed is not None and side != followed
    return side == wanted


# --- validation, with errors from strings.json `exceptions` ---------------------------


async def config_error(hass: HomeAssistant, key: str, **placeholders: str) -> HomeAssistantError:
    """A translated configuration error (English, like every exception message)."""
    await async_get_translations(hass, "en", "exceptions", {DOMAIN})
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


async def validate(
    hass: HomeAssistant,
    config: ConfigType,
    schema: probatio.Schema,
    name: str,
    allowed: Mapping[str, str],
) -> ConfigType:
    """Validate the target and options of trigger or condition `name` (`live_scores.x`).

    `allowed` says, per option, what it takes (for the error message).
    """
    try:
        validated: ConfigType = schema(config)
    except probatio.Invalid as err:
        raise await schema_error(hass, err, name, allowed) or err from None
    await _validate_target(hass, validated.get(CONF_TARGET) or {}, name)
    return validated


async def schema_error(
    hass: HomeAssistant, err: probatio.Invalid, name: str, allowed: Mapping[str, str]
) -> HomeAssistantError | None:
    """The translated error for an invalid target or option (None for anything else)."""
    first = err.errors[0] if isinstance(err, probatio.MultipleInvalid) and err.errors else err
    path = [str(part) for part in first.path]
    if path[:1] == [CONF_OPTIONS] and len(path) > 1:
        option = path[1]
        if option in allowed:
            return await config_error(
                hass, "invalid_option", name=name, option=option, allowed=allowed[option]
            )
        return await config_error(
            hass, "unknown_option", name=name, option=option, options=", ".join(allowed)
        )
    if path == [CONF_TARGET]:
        return await config_error(hass, "target_missing", name=name)
    if path[:1] == [CONF_TARGET]:
        return await config_error(hass, "invalid_target", name=name)
    if path == [CONF_OPTIONS]:
        return await config_error(hass, "missing_options", name=name, options=", ".join(allowed))
    return None


async def _validate_target(hass: HomeAssistant, target: Mapping[str, Any], name: str) -> None:
    """A target must name something; the devices and entities it lists, Live Scores ones."""
    if not any(target.get(key) for key in _TARGET_KEYS):
        raise await config_error(hass, "target_missing", name=name)
    devices = dr.async_get(hass)
    for device_id in target.get("device_id") or ():
        device = devices.async_get(device_id)
        if device is None or not any(domain == DOMAIN for domain, _ in device.identifiers):
            raise await config_error(hass, "not_a_followed_device", name=name, target=device_id)
    entities = er.async_get(hass)
    for entity_id in target.get("entity_id") or ():
        entity = entities.async_get(entity_id)
        if entity is None or entity.platform != DOMAIN or entity.device_id is None:
            raise await config_error(hass, "not_a_followed_device", name=name, target=entity_id)
