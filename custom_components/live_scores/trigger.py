"""Automation triggers: `live_scores.goal` and `live_scores.match_event`.

Both listen to the bus events the integration fires once a follower's spoiler
delay has passed (`live_scores_goal`, `live_scores_match_event`, fired by
fanout.py) and keep those that name a device of the trigger's target. So a
trigger fires when the target's own events are due, never for another target's.

A match followed twice (say as a match and as a team) with different spoiler
delays is delivered once per delay. A trigger whose target names both fires at
the first of those deliveries that passes its filters and swallows the others
of that same moment (`fired_moments.py`).
"""

from collections.abc import Mapping
from typing import Any, ClassVar, override

from homeassistant.const import CONF_OPTIONS, CONF_TARGET
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.translation import async_get_translations
from homeassistant.helpers.trigger import (
    NotTriggeredInfo,
    Trigger,
    TriggerActionRunner,
    TriggerConfig,
    TriggerNotTriggeredReporter,
)
from homeassistant.helpers.typing import ConfigType
import probatio

from .automation_target import (
    SIDE_ANY,
    SIDE_FOLLOWED,
    SIDE_OPPONENT,
    FollowedDevice,
    followed_side,
    resolve,
    schema_error,
    side_matches,
    validate,
)
from .const import ATTR_SCORING_SIDE, DOMAIN, EVENT_GOAL, EVENT_MATCH_EVENT
from .feed.model import EventType, Side
from .fired_moments import FiredMoments

CONF_SCORED_BY = "scored_by"
CONF_INCLUDE_RECOVERED = "include_recovered"
CONF_INCLUDE_TEST = "include_test"
CONF_TYPES = "types"

SCORED_BY = (SIDE_ANY, SIDE_FOLLOWED, SIDE_OPPONENT, str(Side.HOME), str(Side.AWAY))
# Every moment but the goal, which has a trigger of its own.
MATCH_EVENT_TYPES = tuple(str(t) for t in EventType if t is not EventType.GOAL)

_BOOLEAN = "true, false"
_TARGET = {probatio.Required(CONF_TARGET): cv.TARGET_FIELDS}
_FILTERS = {
    probatio.Optional(CONF_INCLUDE_RECOVERED, default=False): cv.boolean,
    probatio.Optional(CONF_INCLUDE_TEST, default=True): cv.boolean,
}
GOAL_SCHEMA = probatio.Schema(
    {
        **_TARGET,
        probatio.Optional(CONF_OPTIONS, default=dict): {
            probatio.Optional(CONF_SCORED_BY, default=SIDE_ANY): probatio.In(SCORED_BY),
            **_FILTERS,
        },
    }
)
MATCH_EVENT_SCHEMA = probatio.Schema(
    {
        **_TARGET,
        probatio.Required(CONF_OPTIONS): {
            probatio.Required(CONF_TYPES): probatio.All(
                cv.ensure_list, probatio.Length(min=1), [probatio.In(MATCH_EVENT_TYPES)]
            ),
            probatio.Optional(CONF_INCLUDE_RECOVERED, default=False): cv.boolean,
        },
    }
)


class _LiveScoresEventTrigger(Trigger):
    """Fire for the bus events of a target's followed matches."""

    event_type: ClassVar[str]
    key: ClassVar[str]  # "goal": the trigger is `live_scores.goal`
    schema: ClassVar[probatio.Schema]
    allowed: ClassVar[Mapping[str, str]]  # per option, what it takes

    @override
    @classmethod
    async def async_validate_complete_config(
        cls, hass: HomeAssistant, complete_config: ConfigType
    ) -> ConfigType:
        """Validate the whole trigger; a malformed target gets our translated error too."""
        try:
            return await super().async_validate_complete_config(hass, complete_config)
        except probatio.Invalid as err:
            raise await schema_error(hass, err, cls.name(), cls.allowed) or err from None

    @override
    @classmethod
    async def async_validate_config(cls, hass: HomeAssistant, config: ConfigType) -> ConfigType:
        """Validate the target and options, with translated errors."""
        return await validate(hass, config, cls.schema, cls.name(), cls.allowed)

    @classmethod
    def name(cls) -> str:
        """The trigger's name in automations: `live_scores.goal`."""
        return f"{DOMAIN}.{cls.key}"

    def __init__(self, hass: HomeAssistant, config: TriggerConfig) -> None:
        """Keep the validated target and options."""
        super().__init__(hass, config)
        self._target: dict[str, Any] = config.target or {}
        self._options: dict[str, Any] = config.options or {}
        self._fired = FiredMoments(hass)

    @override
    async def async_attach_runner(
        self,
        run_action: TriggerActionRunner,
        did_not_trigger: TriggerNotTriggeredReporter | None = None,
    ) -> CALLBACK_TYPE:
        """Listen to the bus events of the target's followed matches."""
        language = self._hass.config.language
        texts = await async_get_translations(self._hass, language, "common", {DOMAIN})
        texts |= await async_get_translations(self._hass, language, "selector", {DOMAIN})

        @callback
        def skipped(reason: str, data: Mapping[str, Any]) -> None:
            """A moment of the target's that the options leave out, for the trace."""
            if did_not_trigger is not None:
                fields = ("match_id", "home", "away", "home_score", "away_score")
                did_not_trigger(NotTriggeredInfo(reason, {k: data.get(k) for k in fields}))

        @callback
        def received(event: Event[dict[str, Any]]) -> None:
            data = event.data
            if not self.wanted(data):
                return
            targets = resolve(self._hass, self._target)
            named = [d for d in data.get("device_ids") or () if d in targets]
            if not named or self._fired.delivered_again(data, named):
                return
            if data.get("test") and not self._options.get(CONF_INCLUDE_TEST, True):
                skipped("test_event", data)
                return
            if data.get("recovered") and not self._options[CONF_INCLUDE_RECOVERED]:
                skipped("recovered", data)
                return
            sides = {d: self._followed_side(targets[d], data) for d in named}
            firing = [d for d in named if self.side_wanted(data, sides[d])]
            if not firing:
                skipped("scored_by", data)
                return
            self._fired.add(data, named, targets)
            payload = self._variables(data, firing, targets[firing[0]], sides[firing[0]])
            run_action(payload, self.describe(payload, texts))

        return self._hass.bus.async_listen(self.event_type, received)

    def wanted(self, data: Mapping[str, Any]) -> bool:
        """Whether this kind of moment is one the trigger is for."""
        return True

    def side_wanted(self, data: Mapping[str, Any], followed: Side | None) -> bool:
        """Whether the moment's side is one the trigger is for, seen by this follower."""
        return True

    def describe(self, payload: Mapping[str, Any], texts: Mapping[str, str]) -> str:
        """The trace's description of a run, translated."""
        raise NotImplementedError

    @staticmethod
    def _followed_side(device: FollowedDevice, data: Mapping[str, Any]) -> Side | None:
        followed = device.followed
        if followed is None:
            return None
        match = device.coordinator.matches.get(data.get("match_id") or "")
        return followed_side(followed, match, data.get("home") or "", data.get("away") or "")

    def _variables(
        self, data: Mapping[str, Any], firing: list[str], device: FollowedDevice, side: Side | None
    ) -> dict[str, Any]:
        """`trigger.*`: the bus event's fields, named for the target's device."""
        entities = er.async_get(self._hass)
        event_entity = next(
            (
                entity.entity_id
                for entity in er.async_entries_for_device(entities, device.device_id)
                if entity.platform == DOMAIN and entity.domain == "event"
            ),
            None,
        )
        scoring = data.get(ATTR_SCORING_SIDE, data.get("side"))
        match = device.coordinator.matches.get(data.get("match_id") or "")
        colours = {"home": match.home.colour, "away": match.away.colour} if match else {}
        return {
            **data,
            "type": data.get("type", str(EventType.GOAL)),
            "device_id": device.device_id,
            "device_ids": firing,
            "entity_id": event_entity,
            "side": scoring,
            "team": data.get("scoring_team", data.get("team")),
            "followed_side": str(side) if side else None,
            "score": f"{data.get('home_score')}–{data.get('away_score')}",  # noqa: RUF001
            "color": data.get("scoring_team_color") or colours.get(scoring or ""),
            "home_color": colours.get("home"),
            "away_color": colours.get("away"),
        }


class GoalTrigger(_LiveScoresEventTrigger):
    """A goal in a match the target follows, scored by the chosen side."""

    event_type = EVENT_GOAL
    key = "goal"
    schema = GOAL_SCHEMA
    allowed: ClassVar[Mapping[str, str]] = {
        CONF_SCORED_BY: ", ".join(SCORED_BY),
        CONF_INCLUDE_RECOVERED: _BOOLEAN,
        CONF_INCLUDE_TEST: _BOOLEAN,
    }

    @override
    def side_wanted(self, data: Mapping[str, Any], followed: Side | None) -> bool:
        return side_matches(self._options[CONF_SCORED_BY], data.get(ATTR_SCORING_SIDE), followed)

    @override
    def describe(self, payload: Mapping[str, Any], texts: Mapping[str, str]) -> str:
        kind = "test_goal" if payload.get("test") else "goal"
        kind = "recovered_goal" if payload.get("recovered") else kind
        text = texts.get(f"component.{DOMAIN}.common.{kind}_description", "{team}: {score}")
        return format_text(text, payload)


class MatchEventTrigger(_LiveScoresEventTrigger):
    """A kick-off, break, red card… in a match the target follows."""

    event_type = EVENT_MATCH_EVENT
    key = "match_event"
    schema = MATCH_EVENT_SCHEMA
    allowed: ClassVar[Mapping[str, str]] = {
        CONF_TYPES: ", ".join(MATCH_EVENT_TYPES),
        CONF_INCLUDE_RECOVERED: _BOOLEAN,
    }

    @override
    def wanted(self, data: Mapping[str, Any]) -> bool:
        return data.get("type") in self._options[CONF_TYPES]

    @override
    def describe(self, payload: Mapping[str, Any], texts: Mapping[str, str]) -> str:
        kind = payload["type"]
        name = texts.get(f"component.{DOMAIN}.selector.match_event_type.options.{kind}", kind)
        text = texts.get(f"component.{DOMAIN}.common.match_event_description", "{event}")
        return format_text(text, {**payload, "event": name})


class _Fields(dict[str, Any]):
    """A payload to format a translation with: a field it lacks stays as written."""

    def __missing__(self, key: str) -> str:
        return f"{{{key}}}"


def format_text(text: str, payload: Mapping[str, Any]) -> str:
    """A translation with the payload's fields in it."""
    try:
        return text.format_map(_Fields({k: "" if v is None else v for k, v in payload.items()}))
    except ValueError, IndexError:  # a translation that is not a valid format string
        return text


TRIGGERS: dict[str, type[Trigger]] = {
    GoalTrigger.key: GoalTrigger,
    MatchEventTrigger.key: MatchEventTrigger,
}


async def async_get_triggers(hass: HomeAssistant) -> dict[str, type[Trigger]]:
    """The triggers of Live Scores."""
    return TRIGGERS
