"""What each followed target's sensors show, and telling its entities it changed.

A target shows the match `Followers.live` picks. One with a spoiler delay and
`delay_scoreboard` shows it late instead: as it was that many seconds ago; its
entities hear of each change after the delay, through the same `Delivery` as
its events, so that scoreboard and events keep the feed's order.
"""

from collections.abc import Callable, Mapping

from .delivery import Delivery
from .feed.model import Match
from .followers import Followers, PerTarget
from .target import Followed


class SensorViews:
    """The match each target's sensors show now, live or late."""

    def __init__(self, followers: Followers, delivery: Delivery) -> None:
        self._followers = followers
        self._delivery = delivery
        # What a target with a delayed scoreboard shows: the match as it was.
        self._late: dict[str, Match | None] = {}
        self._listeners = PerTarget[Callable[[], None]]()

    def displayed(self, subentry_id: str) -> Match | None:
        """The match a followed target's sensors display now (late if delayed)."""
        if subentry_id in self._late:
            return self._late[subentry_id]
        return self._followers.live(subentry_id)

    def add_listener(self, subentry_id: str, update: Callable[[], None]) -> Callable[[], None]:
        """Call `update` when what `subentry_id` shows may have changed."""
        return self._listeners.add(subentry_id, update)

    def retarget(self, current: Mapping[str, Followed]) -> None:
        """The targets are about to become `current`: start or end their late views.

        A target whose sensors start to lag starts from what it shows now.
        """
        for subentry_id, followed in current.items():
            if not followed.sensor_delay:
                self._late.pop(subentry_id, None)
            elif subentry_id not in self._late:
                self._late[subentry_id] = self.displayed(subentry_id)

    def forget(self, subentry_id: str) -> None:
        """A target is no longer followed."""
        self._listeners.forget(subentry_id)
        self._late.pop(subentry_id, None)

    def changed(self, subentry_id: str) -> None:
        """What a target shows changed: tell its sensors now, or after its delay."""
        followed = self._followers.followed[subentry_id]
        if not followed.sensor_delay:
            self.notify(subentry_id)
            return
        view = self._followers.live(subentry_id)

        def show() -> None:
            if subentry_id in self._late:
                self._late[subentry_id] = view
                self.notify(subentry_id)

        self._delivery.schedule((subentry_id,), followed.sensor_delay, show)

    def notify(self, subentry_id: str) -> None:
        """Tell a target's entities to write their state."""
        for update in self._listeners.get(subentry_id):
            update()

    def notify_all(self) -> None:
        """Tell every followed target's entities (availability changed)."""
        for subentry_id in self._followers.followed:
            self.notify(subentry_id)
