"""Automation conditions: `live_scores.match_status` and `live_scores.result`.

Both look at the match a targeted follower displays, as its sensors do (late by
the spoiler delay when *Delay the sensors too* is set, so a condition never
tells more than the screen). With several followers targeted, the condition holds
when it holds for any of them.
"""

from collections.abc import Mapping
from typing import Any, ClassVar, Unpack, override

from homeassistant.const import CONF_OPTIONS, CONF_TARGET
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.condition import (
    Condition,
    ConditionCheckParams,
    ConditionConfig,
    condition_trace_update_result,
)
from homeassistant.helpers.typing import ConfigType
import probatio

from .automation_target import FollowedDevice, followed_side, resolve, schema_error, validate
from .const import DOMAIN
from .feed.model import Match, Side, Status

CONF_STATUS = "status"
CONF_OUTCOME = "outcome"

STATUSES = (Status.SCHEDULED, Status.LIVE, Status.BREAK, Status.FINISHED)
OUTCOME_WINNING = "winning"
OUTCOME_DRAWING = "drawing"
OUTCOME_LOSING = "losing"
OUTCOMES = (OUTCOME_WINNING, OUTCOME_DRAWING, OUTCOME_LOSING)


def _choices(key: str, values: tuple[str, ...]) -> probatio.Schema:
    return probatio.Schema(
        {
            probatio.Required(CONF_TARGET): cv.TARGET_FIELDS,
            probatio.Required(CONF_OPTIONS): {
                probatio.Required(key): probatio.All(
                    cv.ensure_list, probatio.Length(min=1), [probatio.In(values)]
                ),
            },
        }
    )


class _FollowedCondition(Condition):
    """Holds when it holds for the match one of the targeted followers displays."""

    key: ClassVar[str]  # "result": the condition is `live_scores.result`
    option: ClassVar[str]
    values: ClassVar[tuple[str, ...]]

    @override
    @classmethod
    async def async_validate_complete_config(
        cls, hass: HomeAssistant, complete_config: ConfigType
    ) -> ConfigType:
        """Validate the whole condition; a malformed target gets our translated error too."""
        try:
            return await super().async_validate_complete_config(hass, complete_config)
        except probatio.Invalid as err:
            raise await schema_error(hass, err, cls.name(), cls.allowed()) or err from None

    @override
    @classmethod
    async def async_validate_config(cls, hass: HomeAssistant, config: ConfigType) -> ConfigType:
        """Validate the target and options, with translated errors."""
        schema = _choices(cls.option, cls.values)
        return await validate(hass, config, schema, cls.name(), cls.allowed())

    @classmethod
    def name(cls) -> str:
        """The condition's name in automations: `live_scores.result`."""
        return f"{DOMAIN}.{cls.key}"

    @classmethod
    def allowed(cls) -> dict[str, str]:
        """What the option takes (for error messages)."""
        return {cls.option: ", ".join(cls.values)}

    def __init__(self, hass: HomeAssistant, config: ConditionConfig) -> None:
        """Keep the validated target and options."""
        super().__init__(hass, config)
        self._target: dict[str, Any] = config.target or {}
        self._wanted = frozenset((config.options or {})[self.option])

    @override
    def _async_check(self, **kwargs: Unpack[ConditionCheckParams]) -> bool:
        found: dict[str, str | None] = {}
        for device_id, device in resolve(self._hass, self._target).items():
            found[device_id] = self.value(device, device.coordinator.displayed(device.subentry_id))
        condition_trace_update_result(**{self.option: found})
        return any(value in self._wanted for value in found.values())

    def value(self, device: FollowedDevice, match: Match | None) -> str | None:
        """What the follower displays, in the option's terms (None: nothing to compare)."""
        raise NotImplementedError


class MatchStatusCondition(_FollowedCondition):
    """The displayed match is scheduled, live, at a break or finished."""

    key = "match_status"
    option = CONF_STATUS
    values = tuple(str(status) for status in STATUSES)

    @override
    def value(self, device: FollowedDevice, match: Match | None) -> str | None:
        return None if match is None else str(match.status)


class ResultCondition(_FollowedCondition):
    """The followed side is winning, drawing or losing the displayed match."""

    key = "result"
    option = CONF_OUTCOME
    values = OUTCOMES

    @override
    def value(self, device: FollowedDevice, match: Match | None) -> str | None:
        followed = device.followed
        if match is None or followed is None or match.status is Status.SCHEDULED:
            return None
        side = followed_side(followed, match, match.home.name, match.away.name)
        ours, theirs = (match.home, match.away) if side is Side.HOME else (match.away, match.home)
        if side is None or ours.score is None or theirs.score is None:
            return None
        if ours.score == theirs.score:
            return OUTCOME_DRAWING
        return OUTCOME_WINNING if ours.score > theirs.score else OUTCOME_LOSING


CONDITIONS: Mapping[str, type[Condition]] = {
    MatchStatusCondition.key: MatchStatusCondition,
    ResultCondition.key: ResultCondition,
}


async def async_get_conditions(hass: HomeAssistant) -> dict[str, type[Condition]]:
    """The conditions of Live Scores."""
    return dict(CONDITIONS)
