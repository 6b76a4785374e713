"""The moments a trigger fired for, until their other deliveries have passed.

A match followed twice with different spoiler delays reaches the bus once per
delay, each bus event naming its own followers' devices. A trigger whose target
names several of them fires at the first delivery and swallows the later ones
of the same moment: it remembers, per moment, which targeted followers are still
to get it. A later goal to the same score (after a VAR cancellation) comes
after those deliveries, so it fires again.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from homeassistant.core import HomeAssistant

from .automation_target import FollowedDevice
from .const import ATTR_SCORING_SIDE, MAX_SPOILER_DELAY

# A moment's other deliveries are awaited this long at most (then forgotten).
AWAIT_OTHER_DELIVERIES = MAX_SPOILER_DELAY + 60

type Moment = tuple[Any, ...]


def moment_of(data: Mapping[str, Any]) -> Moment:
    """What tells one goal or moment from another, from its bus event's data."""
    side = data.get(ATTR_SCORING_SIDE, data.get("side"))
    return (
        data.get("config_entry_id"),
        data.get("match_id"),
        data.get("type"),
        side,
        data.get("home_score"),
        data.get("away_score"),
        data.get("test"),
    )


class FiredMoments:
    """Per moment fired for: the targeted followers whose delivery of it is to come."""

    def __init__(self, hass: HomeAssistant) -> None:
        self._hass = hass
        self._awaited: dict[Moment, tuple[set[str], float]] = {}

    def delivered_again(self, data: Mapping[str, Any], named: Sequence[str]) -> bool:
        """Whether this is a later delivery of a moment already fired for (and so swallowed)."""
        now = self._hass.loop.time()
        for moment, (_, until) in list(self._awaited.items()):
            if until < now:
                del self._awaited[moment]
        moment = moment_of(data)
        if moment not in self._awaited:
            return False
        awaited = self._awaited[moment][0]
        if awaited.isdisjoint(named):
            return False
        awaited.difference_update(named)
        if not awaited:
            del self._awaited[moment]
        return True

    def add(
        self, data: Mapping[str, Any], named: Sequence[str], targets: Mapping[str, FollowedDevice]
    ) -> None:
        """Fired for the followers `named`: the other targeted followers get it later."""
        if data.get("test"):
            return  # a test event goes to one follower only
        others = set()
        for device_id, device in targets.items():
            followed = device.followed
            match = device.coordinator.matches.get(data.get("match_id") or "")
            if device_id in named or followed is None or match is None:
                continue
            if device.entry.entry_id == data.get("config_entry_id") and followed.follows(match):
                others.add(device_id)
        if others:
            until = self._hass.loop.time() + AWAIT_OTHER_DELIVERIES
            self._awaited[moment_of(data)] = (others, until)
