"""Describe Live Scores bus events in the logbook."""

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_GOAL, EVENT_MATCH_EVENT

type Describe = Callable[[Event], dict[str, str]]

# The event types as the event entity names them (translations/en.json), in a sentence.
_EVENT_WORDS = {
    "kickoff": "kick-off",
    "goal_cancelled": "goal cancelled",
    "halftime": "half-time",
    "second_half": "second half",
    "full_time": "full time",
    "red_card": "red card",
    "score_change": "score change",
    "set_won": "set won",
    "game_won": "game won",
}


def _score(data: Mapping[str, Any]) -> str:
    def show(value: Any) -> str:
        return "-" if value is None else str(value)

    return (
        f"{data.get('home')} {show(data.get('home_score'))}"
        f"-{show(data.get('away_score'))} {data.get('away')}"
    )


@callback
def async_describe_events(
    hass: HomeAssistant, async_describe_event: Callable[[str, str, Describe], None]
) -> None:
    """Describe goals and other match events."""

    @callback
    def describe_goal(event: Event) -> dict[str, str]:
        data = event.data
        message = f"goal for {data.get('scoring_team')}"
        if data.get("scorer"):
            message += f" by {data['scorer']}"
        if data.get("minute") is not None:
            message += f" ({data['minute']}')"
        return {LOGBOOK_ENTRY_NAME: _score(data), LOGBOOK_ENTRY_MESSAGE: message}

    @callback
    def describe_match_event(event: Event) -> dict[str, str]:
        data = event.data
        kind = str(data.get("type", "event"))
        message = _EVENT_WORDS.get(kind, kind.replace("_", " "))
        if data.get("team"):
            message += f" ({data['team']})"
        if data.get("minute") is not None:
            message += f" at {data['minute']}'"
        return {LOGBOOK_ENTRY_NAME: _score(data), LOGBOOK_ENTRY_MESSAGE: message}

    async_describe_event(DOMAIN, EVENT_GOAL, describe_goal)
    async_describe_event(DOMAIN, EVENT_MATCH_EVENT, describe_match_event)
