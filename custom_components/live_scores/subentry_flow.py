"""Subentry flows: follow a match, a team or a competition; change its spoiler delay."""

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, override

from homeassistant.config_entries import ConfigEntryState, ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
from homeassistant.util import dt as dt_util
import probatio

from .const import (
    CONF_COMPETITION,
    CONF_COMPETITION_ID,
    CONF_DELAY_SCOREBOARD,
    CONF_MATCH_ID,
    CONF_SPOILER_DELAY,
    CONF_SPORT,
    CONF_TEAM,
    CONF_TEAM_ID,
    CONF_TEAM_NAME,
    MAX_SPOILER_DELAY,
    SUBENTRY_COMPETITION,
    SUBENTRY_MATCH,
    SUBENTRY_TEAM,
)
from .coordinator import LiveScoresCoordinator
from .feed.api import GameSummary
from .feed.model import Status
from .feed.names import normalize
from .target import Followed

# Matches worth offering in the picker.
_OPEN_STATUSES = {str(Status.SCHEDULED), str(Status.LIVE), str(Status.BREAK)}


def _picker(options: list[SelectOptionDict]) -> SelectSelector:
    """A drop-down of what the feed knows that also takes free text."""
    return SelectSelector(
        SelectSelectorConfig(options=options, custom_value=True, mode=SelectSelectorMode.DROPDOWN)
    )


_DELAY_SELECTOR = NumberSelector(
    NumberSelectorConfig(
        min=0, max=MAX_SPOILER_DELAY, step=1, unit_of_measurement="s", mode=NumberSelectorMode.BOX
    )
)


def _spoiler_fields(kind: str, current: Mapping[str, Any]) -> dict[Any, Any]:
    """The spoiler delay fields, defaulting to `current`."""
    fields: dict[Any, Any] = {
        probatio.Required(
            CONF_SPOILER_DELAY, default=current.get(CONF_SPOILER_DELAY, 0)
        ): _DELAY_SELECTOR
    }
    default = current.get(CONF_DELAY_SCOREBOARD, False)
    fields[probatio.Required(CONF_DELAY_SCOREBOARD, default=default)] = BooleanSelector()
    return fields


def _spoiler_data(kind: str, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Subentry data of the spoiler fields."""
    return {
        CONF_SPOILER_DELAY: int(user_input.get(CONF_SPOILER_DELAY, 0)),
        CONF_DELAY_SCOREBOARD: bool(user_input.get(CONF_DELAY_SCOREBOARD, False)),
    }


class _FollowFlow(ConfigSubentryFlow):
    """Shared parts of the three flows."""

    def _games(self) -> list[GameSummary]:
        """Games the running feed has seen; none when the entry is not loaded."""
        entry = self._get_entry()
        if entry.state is not ConfigEntryState.LOADED:
            return []
        coordinator: LiveScoresCoordinator = entry.runtime_data
        return coordinator.games()

    def _followed_keys(self, kind: str) -> set[str]:
        entry = self._get_entry()
        return {
            f.key
            for subentry in entry.subentries.values()
            if (f := Followed.from_subentry(subentry)) is not None and f.kind == kind
        }

    def _form(
        self,
        field: str,
        options: list[SelectOptionDict],
        error: str | None,
        user_input: Mapping[str, Any] | None,
    ) -> SubentryFlowResult:
        fields = {
            # Optional: the frontend would pre-select a required drop-down's first option.
            probatio.Optional(field): _picker(options),
            **_spoiler_fields(self._subentry_type, user_input or {}),
        }
        return self.async_show_form(
            step_id="user",
            data_schema=probatio.Schema(fields),
            errors={field: error} if error else None,
        )

    def _create(
        self, title: str, data: dict[str, Any], unique_id: str, user_input: Mapping[str, Any]
    ) -> SubentryFlowResult:
        data |= _spoiler_data(self._subentry_type, user_input)
        return self.async_create_entry(title=title, data=data, unique_id=unique_id)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change how long this target's events (and sensors) are held back."""
        subentry = self._get_reconfigure_subentry()
        if user_input is not None:
            return self.async_update_and_abort(
                self._get_entry(),
                subentry,
                data_updates=_spoiler_data(self._subentry_type, user_input),
            )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=probatio.Schema(_spoiler_fields(self._subentry_type, subentry.data)),
            description_placeholders={"title": subentry.title},
        )


class MatchSubentryFlow(_FollowFlow):
    """Follow one match by id."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Pick a current or upcoming match, or type its id."""
        games = {game.id: game for game in self._games()}
        # The picker's values are its labels (a drop-down that takes free text shows the
        # value): each label stands for its match id.
        labels = _unique_labels({game.id: _game_label(game) for game in games.values()})
        if user_input is not None:
            match_id = str(user_input.get(CONF_MATCH_ID, "")).strip()
            match_id = labels.get(match_id, match_id)
            if not match_id:
                return self._form(CONF_MATCH_ID, [], "required", user_input)
            if match_id in self._followed_keys(SUBENTRY_MATCH):
                return self.async_abort(reason="already_configured")
            data: dict[str, Any] = {CONF_MATCH_ID: match_id}
            title = f"Match {match_id}"
            if game := games.get(match_id):
                data[CONF_SPORT] = str(game.sport)
                title = f"{game.home} vs {game.away}"
            return self._create(title, data, f"{SUBENTRY_MATCH}:{match_id}", user_input)
        by_id = {key: label for label, key in labels.items()}
        options = [
            SelectOptionDict(value=by_id[game.id], label=by_id[game.id])
            for game in sorted(games.values(), key=_game_order)
            if game.status in _OPEN_STATUSES
        ]
        return self._form(CONF_MATCH_ID, options, None, None)


class _NamedFlow(_FollowFlow):
    """Follow something the feed names (a team, a competition): pick it or type it."""

    kind: str  # the subentry type
    field: str  # the form's field, and the stored name
    id_field: str  # where the resolved id is stored
    name_field: str | None = None  # also store the resolved name here

    def _named(self, game: GameSummary) -> tuple[tuple[str, str], ...]:
        """The (id, name) pairs of what this flow follows in `game`."""
        raise NotImplementedError

    def _index(self) -> dict[str, tuple[str, str]]:
        """What the feed has seen: id -> (name, sport)."""
        index: dict[str, tuple[str, str]] = {}
        for game in self._games():
            for key, name in self._named(game):
                index.setdefault(key, (name, str(game.sport)))
        return index

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Pick one the feed has seen, or type a name or id."""
        index = self._index()
        labels = _unique_labels({key: f"{name} ({sport})" for key, (name, sport) in index.items()})
        if user_input is not None:
            text = str(user_input.get(self.field, "")).strip()
            text = labels.get(text, text)
            if not text:
                return self._form(self.field, [], "required", user_input)
            found = text if text in index else _by_name(index, text)
            data: dict[str, Any] = {self.field: text}
            if found is not None:
                name, sport = index[found]
                data = {self.field: name, self.id_field: found, CONF_SPORT: sport}
                if self.name_field:
                    data[self.name_field] = name
            key = str(data.get(self.id_field, text))
            if key in self._followed_keys(self.kind):
                return self.async_abort(reason="already_configured")
            unique_id = f"{self.kind}:{key.casefold()}"
            return self._create(data[self.field], data, unique_id, user_input)
        options = [SelectOptionDict(value=label, label=label) for label in sorted(labels)]
        return self._form(self.field, options, None, None)


class TeamSubentryFlow(_NamedFlow):
    """Follow a team's current or next match, across its competitions."""

    kind = SUBENTRY_TEAM
    field = CONF_TEAM
    id_field = CONF_TEAM_ID
    name_field = CONF_TEAM_NAME

    @override
    def _named(self, game: GameSummary) -> tuple[tuple[str, str], ...]:
        return ((game.home_id, game.home), (game.away_id, game.away))


class CompetitionSubentryFlow(_NamedFlow):
    """Follow every match of a competition."""

    kind = SUBENTRY_COMPETITION
    field = CONF_COMPETITION
    id_field = CONF_COMPETITION_ID

    @override
    def _named(self, game: GameSummary) -> tuple[tuple[str, str], ...]:
        if game.competition_id is None:
            return ()
        return ((game.competition_id, game.competition or game.competition_id),)


def _by_name(index: dict[str, tuple[str, str]], text: str) -> str | None:
    """The id whose name matches `text`, ignoring case, accents and punctuation."""
    wanted = normalize(text)
    if not wanted:
        return None
    return next((key for key, (name, _) in index.items() if normalize(name) == wanted), None)


def _unique_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """Id by label; a label two ids share gets the id after it."""
    counts = Counter(labels.values())
    return {
        label if counts[label] == 1 else f"{label} [{key}]": key for key, label in labels.items()
    }


def _start(game: GameSummary) -> datetime | None:
    return dt_util.parse_datetime(game.start) if game.start else None


def _game_order(game: GameSummary) -> tuple[datetime, str]:
    """By start time (unknown last), then id."""
    start = _start(game)
    return (start.astimezone(UTC) if start else datetime.max.replace(tzinfo=UTC), game.id)


def _game_label(game: GameSummary) -> str:
    """'Lazio vs Roma · Serie A · Wed 2 Dec 19:45', in Home Assistant's time zone."""
    label = f"{game.home} vs {game.away}"
    if game.competition:
        label += f" · {game.competition}"
    if start := _start(game):
        local = dt_util.as_local(start)
        label += f" · {local:%a} {local.day} {local:%b %H:%M}"
    return label
