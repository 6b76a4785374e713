"""Following: what each subentry follows, who follows a match, the states kept.

Subentries become `Followed` targets (`target.py`) and the feed's `Targets`.
Each match state the feed hands over is kept while a target follows it, and a
team typed as text learns its id from the first match that names it: the id is
stored in its subentry, so that from then on the feed follows the team by id.
"""

from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .const import (
    CONF_SPORT,
    CONF_TEAM_ID,
    CONF_TEAM_NAME,
    LOGGER,
    SUBENTRY_COMPETITION,
    SUBENTRY_MATCH,
    SUBENTRY_TEAM,
)
from .feed.api import FeedClient
from .feed.model import FINAL_STATUSES, Match
from .target import Followed, build_targets


class Followers:
    """The followed targets of one entry, and the matches they follow."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, client: FeedClient) -> None:
        self._hass = hass
        self._entry = entry
        self._client = client
        # By subentry id.
        self.followed: dict[str, Followed] = {}
        # The newest state of each followed match, by match id.
        self.matches: dict[str, Match] = {}
        # Who follows a match, by (kind, key): a match target by its id, a team by
        # its id, a competition by its id. Those matched by a typed name are
        # always checked.
        self._index: dict[tuple[str, str], list[str]] = {}
        self._by_name: list[str] = []
        # The ids of the kept matches each target follows, by subentry id, and
        # the targets that hold each match id there.
        self._mine: dict[str, set[str]] = {}
        self._holders: dict[str, set[str]] = {}
        # What `live` picked for a target, until a state of one of its matches
        # is kept (or the matches or the targets change).
        self._picked: dict[str, Match | None] = {}
        # Ids learned for teams typed as text, to store in their subentries.
        self._learned: dict[str, dict[str, str]] = {}
        self._closed = False

    def read(self) -> dict[str, Followed]:
        """The targets of the entry's subentries as they are now (unknown types left out)."""
        return {
            subentry_id: followed
            for subentry_id, subentry in self._entry.subentries.items()
            if (followed := Followed.from_subentry(subentry)) is not None
        }

    def follow(self, current: dict[str, Followed]) -> None:
        """Follow these targets from now on, and retarget the feed."""
        self.followed = current
        self._index = {}
        self._by_name = [sid for sid, f in current.items() if f.by_name]
        for subentry_id, followed in current.items():
            self._index.setdefault((followed.kind, followed.key), []).append(subentry_id)
        self._mine = {
            sid: {m.id for m in self.matches.values() if f.follows(m)} for sid, f in current.items()
        }
        self._holders = {}
        for subentry_id, ids in self._mine.items():
            for match_id in ids:
                self._holders.setdefault(match_id, set()).add(subentry_id)
        self._picked = {}
        self._client.set_targets(build_targets(current.values()))

    def close(self) -> None:
        """The entry unloads: no learned id is stored after this."""
        self._closed = True

    def live(self, subentry_id: str) -> Match | None:
        """The match a followed target shows, as the feed has it now.

        Each sensor asks at each write: the pick is kept until a state of a
        match the target follows is kept, or the matches or targets change.
        """
        try:
            return self._picked[subentry_id]
        except KeyError:
            pass
        followed = self.followed.get(subentry_id)
        if followed is None:
            return None
        matches = self.matches
        picked = followed.pick(
            [matches[m] for m in self._mine.get(subentry_id, ()) if m in matches]
        )
        self._picked[subentry_id] = picked
        return picked

    def of(self, match: Match) -> set[str]:
        """Who follows `match` (subentry ids); a team followed by name learns its id from it.

        Asked for every state of a followed match: the index names its followers
        (each one found there follows it by its key), only a typed name is compared.
        """
        index = self._index
        touched = set(index.get((SUBENTRY_MATCH, match.id), ()))
        if teams := index.get((SUBENTRY_TEAM, match.home.id)):
            touched.update(teams)
        if teams := index.get((SUBENTRY_TEAM, match.away.id)):
            touched.update(teams)
        if match.competition_id is not None and (
            competitions := index.get((SUBENTRY_COMPETITION, match.competition_id))
        ):
            touched.update(competitions)
        if self._by_name:
            followed = self.followed
            for subentry_id in self._by_name:
                if subentry_id in touched or followed[subentry_id].follows(match):
                    touched.add(subentry_id)
                    self._learn_team(subentry_id, match)
        return touched

    def take(self, match: Match) -> set[str]:
        """Keep the state of a followed match; return who follows it.

        The client hands states over in order (the tracker drops stale ones and
        forgets versions on each new connection), so the newest is always the
        last one given: no version is compared here, where it could never be
        reset when a reconnect restarts the service's counters.
        """
        touched = self.of(match)
        if touched:
            self.keep(match, touched)
        return touched

    def keep(self, match: Match, followers: set[str]) -> None:
        """Keep this state of a match these targets follow."""
        match_id = match.id
        self.matches[match_id] = match
        mine = self._mine
        if (holders := self._holders.get(match_id)) is None:
            holders = self._holders[match_id] = set()
        for subentry_id in followers:
            if (ids := mine.get(subentry_id)) is None:
                mine[subentry_id] = {match_id}
            else:
                ids.add(match_id)
            holders.add(subentry_id)
        # What those holding it show may change (a target no longer following it too).
        picked = self._picked
        for subentry_id in holders:
            picked.pop(subentry_id, None)

    def prune(self) -> None:
        """Forget matches nobody follows, and ended ones no target picks now."""
        picked = {m.id for sid in self.followed if (m := self.live(sid)) is not None}
        direct = {f.key for f in self.followed.values() if f.kind == SUBENTRY_MATCH}
        for match_id, match in list(self.matches.items()):
            followed = any(f.follows(match) for f in self.followed.values())
            ended = match.status in FINAL_STATUSES
            if not followed or (ended and match_id not in picked and match_id not in direct):
                del self.matches[match_id]
                for mine in self._mine.values():
                    mine.discard(match_id)
                self._holders.pop(match_id, None)
        self._picked = {}

    def _learn_team(self, subentry_id: str, match: Match) -> None:
        """Learn the id of a team typed as text, from the first match that names it.

        The name already matches on every frame (`Followed.team_in`); the id is
        stored in the subentry so that the feed follows the team by id, in its
        sport's channel. The subentry is updated just after this delivery (its
        update listener retargets the feed, which must not happen inside it).
        """
        followed = self.followed[subentry_id]
        subentry = self._entry.subentries.get(subentry_id)
        team_id = followed.team_in(match)
        if (
            subentry_id in self._learned
            or subentry is None
            or CONF_TEAM_ID in subentry.data
            or team_id is None
            # A placeholder of a feed that has not named the teams yet.
            or team_id.startswith(f"{match.id}:")
        ):
            return
        team = match.home if match.home.id == team_id else match.away
        LOGGER.debug("Team %s is %s (%s)", followed.name, team_id, match.sport)
        if not self._learned:
            self._hass.loop.call_soon(self._store_learned)
        self._learned[subentry_id] = {
            CONF_TEAM_ID: team_id,
            CONF_TEAM_NAME: team.name,
            CONF_SPORT: str(match.sport),
        }

    @callback
    def _store_learned(self) -> None:
        learned, self._learned = self._learned, {}
        for subentry_id, found in learned.items():
            subentry = self._entry.subentries.get(subentry_id)
            if self._closed or subentry is None or CONF_TEAM_ID in subentry.data:
                continue
            # The update listener retargets the feed.
            self._hass.config_entries.async_update_subentry(
                self._entry, subentry, data={**subentry.data, **found}
            )


class PerTarget[T]:
    """Callbacks registered per followed target (by subentry id)."""

    def __init__(self) -> None:
        self._items: dict[str, list[T]] = {}

    def add(self, subentry_id: str, item: T) -> Callable[[], None]:
        """Register `item` for `subentry_id`; return what removes it."""
        items = self._items.setdefault(subentry_id, [])
        items.append(item)

        def remove() -> None:
            if item in self._items.get(subentry_id, ()):
                self._items[subentry_id].remove(item)

        return remove

    def get(self, subentry_id: str) -> list[T]:
        """A copy of what is registered for `subentry_id` (callbacks may unregister)."""
        return list(self._items.get(subentry_id, ()))

    def forget(self, subentry_id: str) -> None:
        """Drop what is registered for a target that is no longer followed."""
        self._items.pop(subentry_id, None)
