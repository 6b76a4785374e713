"""SportsAPIPro push client: one WebSocket per account, any number of matches.

The socket and its channels are `sportsapipro_sockets.py`; here each frame's
games are indexed (every game the feed mentions, for the pickers), the followed
ones parsed (`sportsapipro_parser.py`) and delivered through the tracker.

A followed game whose score and status did not change (its clock moved, say)
is parsed and tracked a little later, once the frames already read are handled
(`_defer`): a goal in the same burst of frames is not kept waiting behind them.
Each match's states still reach the tracker in order.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any, ClassVar, override

from .api import GameSummary, Targets
from .errors import AuthFailed, QuotaExceeded
from .model import Match, Provider, Status
from .sockets import Frame
from .sportsapipro_parser import ParseCache, parse_game, summarize
from .sportsapipro_sockets import ALL, LIVE, SportsAPIProSockets

# Bound the index of games: beyond this many, games that ended are dropped (oldest
# first, down to half), so that a day of thousands of matches stays a few MB.
MAX_INDEX = 1000


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _key(value: Any) -> Any:
    """An id to look up in a set (None for an unhashable value from a bad frame)."""
    return value if isinstance(value, int | str | float) else None


def _same_moment(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether a game's new object can hold no goal: its score and status are as before.

    Asked of every frame of a followed match: its lookups are written out.
    """
    if old.get("statusGroup") != new.get("statusGroup"):
        return False
    was, now = old.get("homeCompetitor"), new.get("homeCompetitor")
    if type(was) is not dict or type(now) is not dict or was.get("score") != now.get("score"):
        return False
    was, now = old.get("awayCompetitor"), new.get("awayCompetitor")
    return type(was) is dict and type(now) is dict and was.get("score") == now.get("score")


def _id_set(ids: frozenset[str]) -> frozenset[Any]:
    """Ids as strings and, where they are numbers, as ints (game objects use ints)."""
    both: set[Any] = set(ids)
    both.update(int(i) for i in ids if i.isdigit())
    return frozenset(both)


class SportsAPIProClient(SportsAPIProSockets):
    """A push client for one SportsAPIPro account."""

    provider: ClassVar[Provider] = Provider.SPORTSAPIPRO

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._raw: dict[Any, dict[str, Any]] = {}
        self._f_matches: frozenset[Any] = frozenset()
        self._f_teams: frozenset[Any] = frozenset()
        self._f_comps: frozenset[Any] = frozenset()
        # Games whose match channel has spoken on this connection.
        self._on_channel: set[Any] = set()
        # The index is pruned when it grows beyond this (and MAX_INDEX).
        self._prune_at = 0
        # Frames and games put off until the frames already read are handled
        # (`_defer`), and the ids of their games.
        self._deferred: list[tuple[Frame | None, list[dict[str, Any]], int | None]] = []
        self._deferred_ids: set[Any] = set()
        self._draining = False
        self._drain_handle: asyncio.Handle | None = None
        # Each followed game's last object and its `Match` (only what changed is read).
        self._parsed = ParseCache()

    # -- FeedClient ---------------------------------------------------------

    @override
    def set_targets(self, targets: Targets) -> None:
        """Follow these targets from now on; subscriptions follow at once."""
        self._drain_deferred()  # what was read before is handled as then followed
        self._targets = targets
        self._f_matches = _id_set(targets.matches)
        self._f_teams = _id_set(targets.teams)
        self._f_comps = _id_set(targets.competitions)
        # Matches no longer followed are forgotten: followed again later, their
        # first state is a baseline (what happened meanwhile is not news).
        raw = self._raw
        for match_id in self._tracker.match_ids():
            game = raw.get(int(match_id)) if match_id.isdigit() else raw.get(match_id)
            if game is None:
                game = raw.get(match_id)
            if game is not None and not self._follows(game):
                self._forget(match_id)
        # Games already known that are now followed get their baseline now.
        newly = [
            g for gid, g in self._raw.items() if str(gid) not in self._tracker and self._follows(g)
        ]
        if newly:
            self._deliver(m for g in newly if (m := parse_game(g)) is not None)
        if self._pending():
            self._catching_up = True
        if self._ws is not None and self._subscribed:
            self._spawn(self._sync_subscriptions())

    @override
    def games(self) -> list[GameSummary]:
        """Games the feed has mentioned since it connected, followed or not."""
        return [s for g in self._raw.values() if (s := summarize(g)) is not None]

    @override
    def diagnostics(self) -> dict[str, Any]:
        """Counters and state, nothing secret."""
        data = super().diagnostics()
        data["channels"] = sorted(self._subscribed)
        data["indexed_games"] = len(self._raw)
        data["server_version"] = self._welcome.get("version")
        return data

    # -- frames -------------------------------------------------------------

    @override
    def _on_frame(self, frame: Frame) -> Coroutine[Any, Any, None] | None:
        kind = frame.get("type")
        if kind in ("scores", "match-update"):
            self._frame_time(frame.get("ts"))
        if kind == "scores":
            games = frame.get("games")
            if isinstance(games, list):
                self._drain_deferred()  # what came before, first
                self._on_games(frame.get("channel"), frame.get("updateId"), games)
            else:
                self._count("malformed")
        elif kind == "match-update":
            game = frame.get("game")
            if isinstance(game, dict):
                self._on_update(frame, game)
            else:
                self._count("malformed")
        elif kind == "pong":
            pass
        elif kind == "connected":
            self._drain_deferred()
            self._welcome = {k: frame.get(k) for k in ("version", "channels")}
            self._subscribed = {ALL}  # active by default
            self._heard = set()
            self._on_channel = set()
            self._catching_up = True
            self._connected()
            return self._sync_subscriptions()  # (the reader awaits it before the next frame)
        elif kind == "error":
            self._count("server_errors")
            code = str(frame.get("code") or "").upper()
            if "AUTH" in code or code in ("UNAUTHORIZED", "FORBIDDEN", "INVALID_KEY"):
                raise AuthFailed("SportsAPIPro: the key was refused")
            if "RATE" in code or "QUOTA" in code:
                raise QuotaExceeded("SportsAPIPro: quota exceeded")
        else:
            self._count("unknown")
        return None

    def _on_games(self, channel: Any, update_id: Any, games: list[Any]) -> None:
        version: int | None = None
        if type(update_id) is int:
            version = update_id
            if type(channel) is str:
                if self._channel_ids.get(channel) == update_id:
                    # The same message again (a repeat): nothing new in it.
                    self._count("repeated_updates")
                    return
                # The last id only, not the highest: a stale or poisoned id is
                # judged per match by the tracker, never by the channel.
                self._channel_ids[channel] = update_id
        raw = self._raw
        followed: list[dict[str, Any]] = []
        quiet: list[dict[str, Any]] = []
        others: list[tuple[Any, dict[str, Any]]] = []
        targets = bool(self._targets)
        catching_up = self._catching_up
        listed = not (isinstance(channel, str) and channel.startswith("match:"))
        on_live = listed and channel == LIVE
        for game in games:
            if type(game) is not dict:
                self._count("malformed")
                continue
            game_id = game.get("id")
            if type(game_id) is not int and type(game_id) is not str:
                self._count("malformed")
                continue
            if not listed:
                self._on_channel.add(game_id)
            elif on_live and f"match:{game_id}" in self._subscribed and not self._take_listed(game):
                continue
            if catching_up:
                self._heard.add(str(game_id))
            # Only a followed game is compared with its last state (a deep compare
            # costs more than the follow check); every other one is just indexed,
            # after the delivery: freeing the states it replaces need not delay it.
            if targets and self._follows(game):
                old = raw.get(game_id)
                if old != game:
                    if old is not None and not self._draining and _same_moment(old, game):
                        quiet.append(game)
                    else:
                        followed.append(game)
                raw[game_id] = game
            else:
                others.append((game_id, game))
        if followed:
            self._deliver(self._parse(followed, version))
        if quiet:
            self._defer(None, quiet, version)
        for game_id, game in others:
            raw[game_id] = game
        if len(raw) > max(MAX_INDEX, self._prune_at):
            self._prune()
        if catching_up and (channel == LIVE or not self._pending()):
            # Caught up: every followed match was heard of, or `live` sent its list.
            self._catching_up = False
        if LIVE in self._subscribed and LIVE not in self._wanted():
            self._spawn(self._sync_subscriptions())

    def _on_update(self, frame: Frame, game: dict[str, Any]) -> None:
        """One game's `match-update`: now, or once the frames already read are handled."""
        game_id = game.get("id")
        try:
            old = self._raw.get(game_id)
            later = game_id in self._deferred_ids
        except TypeError:  # an unhashable id: the frame's handling counts it
            old, later = None, False
        if old is not None and not self._catching_up and _same_moment(old, game):
            self._defer(frame, [game], None)
            return
        if later:
            self._drain_deferred()  # the match's earlier states first
        self._on_games(frame.get("channel"), frame.get("updateId"), [game])

    def _defer(self, frame: Frame | None, games: list[dict[str, Any]], version: int | None) -> None:
        """Handle a frame, or parse and track games, once the frames already read are.

        The socket's reader does not yield while frames are buffered, so a
        callback of the next loop turn runs after the burst. A game whose score
        or status did not move can hold no goal: a goal read after it goes first.
        """
        self._deferred.append((frame, games, version))
        for game in games:
            self._deferred_ids.add(game["id"])
        if self._drain_handle is None:
            self._drain_handle = asyncio.get_running_loop().call_soon(self._drain_deferred)

    def _drain_deferred(self) -> None:
        """Handle what was put off now, in the order it came."""
        if self._drain_handle is not None:
            self._drain_handle.cancel()
            self._drain_handle = None
        if not self._deferred:
            return
        deferred, self._deferred = self._deferred, []
        self._deferred_ids.clear()
        self._draining = True
        try:
            for frame, games, version in deferred:
                try:
                    if frame is not None:
                        self._on_games(frame.get("channel"), frame.get("updateId"), games)
                    else:
                        self._deliver(self._parse(games, version))
                except Exception:  # noqa: BLE001 - as the reader does: count it, go on
                    self._count("frame_errors")
        finally:
            self._draining = False

    @override
    async def _connect_and_serve(self) -> None:
        try:
            await super()._connect_and_serve()
        finally:
            self._drain_deferred()

    def _take_listed(self, game: dict[str, Any]) -> bool:
        """Whether a copy from `live` (catching up) may update a game with a match channel.

        The match channel carries the game with its events (who scored): once it
        has spoken on this connection it alone is used. Before that a list copy
        helps to catch up, unless it reports a goal without its events while the
        game is in play: then the match channel tells it, scorer included, at the
        game's next change (within a game minute). At a break or at the end the
        match channel may stay quiet for long: the copy is taken as it is.
        """
        game_id = game["id"]
        if game_id in self._on_channel:
            return False
        if isinstance(game.get("events"), list):
            return True
        match = parse_game(game)
        if match is None or match.status is not Status.LIVE:
            return match is not None
        known = self._tracker.score(str(game_id))
        if known is None:
            return True
        scores = (match.home.score, match.away.score)
        return not any(
            old is not None and new is not None and new > old
            for old, new in zip(known, scores, strict=True)
        )

    def _parse(self, games: list[dict[str, Any]], version: int | None) -> list[Match]:
        matches = []
        for game in games:
            game_id = str(game["id"])
            match = parse_game(game, version, self._delivered.get(game_id), self._parsed)
            if match is None:
                self._count("malformed")
            else:
                matches.append(match)
        if len(self._parsed) > 2 * len(self._tracker) + 100:
            self._parsed.keep_only(set(self._tracker.match_ids()))  # no longer tracked
        return matches

    def _follows(self, game: dict[str, Any]) -> bool:
        """Whether a game is followed: by its id, its competition, a team's id or name.

        Asked of every game of every frame: the ids are looked up as they come,
        and only a frame with an unhashable one takes the checked way.
        """
        get = game.get
        try:
            if get("id") in self._f_matches or get("competitionId") in self._f_comps:
                return True
            teams = self._f_teams
            home, away = get("homeCompetitor"), get("awayCompetitor")
            if teams and (
                (type(home) is dict and home.get("id") in teams)
                or (type(away) is dict and away.get("id") in teams)
            ):
                return True
        except TypeError:
            return self._follows_checked(game)
        if not self._targets.team_names:
            return False
        return self._follows_checked(game)

    def _follows_checked(self, game: dict[str, Any]) -> bool:
        """`_follows` for any game, whatever its ids are."""
        if (
            _key(game.get("id")) in self._f_matches
            or _key(game.get("competitionId")) in self._f_comps
        ):
            return True
        home = _dict(game.get("homeCompetitor"))
        away = _dict(game.get("awayCompetitor"))
        teams = self._f_teams
        if teams and (_key(home.get("id")) in teams or _key(away.get("id")) in teams):
            return True
        # A team typed as text is matched by name at once, before its id is known.
        return self._targets.names_followed(home.get("name"), away.get("name"))

    def _prune(self) -> None:
        """Drop ended, unfollowed games from the index (oldest first)."""
        excess = len(self._raw) - MAX_INDEX // 2
        for game_id in list(self._raw):
            if excess <= 0:
                break
            game = self._raw[game_id]
            if game.get("statusGroup") == 4 and not self._follows(game):
                del self._raw[game_id]
                excess -= 1
        # More live or followed games than the bound: look again only after as many
        # more again, not at every frame.
        self._prune_at = len(self._raw) + MAX_INDEX // 2
