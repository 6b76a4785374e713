"""SportsAPIPro push client: one WebSocket per account, any number of matches."""

import asyncio
import logging
from typing import Any, ClassVar, override

import aiohttp
import orjson
from yarl import URL

from .api import AccountInfo, GameSummary, Targets
from .connection import PushClient
from .errors import AuthFailed, CannotConnect, FeedError, QuotaExceeded, http_error
from .model import FINAL_STATUSES, Match, Provider, Status
from .privacy import account_hash, redact
from .sockets import Frame, close_socket, open_socket, read_socket
from .sportsapipro_parser import parse_game, summarize

_LOGGER = logging.getLogger(__name__)

DEFAULT_WS_URL = "wss://v1.football.sportsapipro.com/ws"
AUTH_CLOSE_CODES = frozenset({4001, 4003, 4401, 4403, 1008})
QUOTA_CLOSE_CODES = frozenset({4029, 4429})
PING = orjson.dumps({"type": "ping"}).decode()
ALL = "all"
LIVE = "live"
# Bound the index of games: beyond this many, games that ended are dropped (oldest
# first, down to half), so that a day of thousands of matches stays a few MB.
MAX_INDEX = 1000


def rest_base(ws_url: str) -> str:
    """The REST base next to a WebSocket URL (ws→http, without the trailing /ws)."""
    url = URL(ws_url).with_query(None)
    scheme = {"ws": "http", "wss": "https"}.get(url.scheme, url.scheme)
    path = url.path
    if path.endswith("/ws"):
        path = path[: -len("/ws")]
    return str(url.with_scheme(scheme).with_path(path.rstrip("/") or "/")).rstrip("/")


def desired_channels(targets: Targets) -> set[str]:
    """The narrowest channels that carry every followed game."""
    if not targets:
        return {ALL}
    channels = {f"match:{m}" for m in targets.matches}
    if targets.teams or targets.competitions:
        if not targets.sports:
            return {ALL}
        channels.update(str(s) for s in targets.sports)
    return channels


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _key(value: Any) -> Any:
    """An id to look up in a set (None for an unhashable value from a bad frame)."""
    return value if isinstance(value, int | str | float) else None


def _id_set(ids: frozenset[str]) -> frozenset[Any]:
    """Ids as strings and, where they are numbers, as ints (game objects use ints)."""
    both: set[Any] = set(ids)
    both.update(int(i) for i in ids if i.isdigit())
    return frozenset(both)


class SportsAPIProClient(PushClient):
    """A push client for one SportsAPIPro account."""

    provider: ClassVar[Provider] = Provider.SPORTSAPIPRO

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ws_url = self._credentials.url or DEFAULT_WS_URL
        self._ws: aiohttp.ClientWebSocketResponse[bool] | None = None
        self._raw: dict[Any, dict[str, Any]] = {}
        self._channel_ids: dict[str, int] = {}
        self._subscribed: set[str] = set()
        self._sub_lock = asyncio.Lock()
        self._f_matches: frozenset[Any] = frozenset()
        self._f_teams: frozenset[Any] = frozenset()
        self._f_comps: frozenset[Any] = frozenset()
        self._welcome: dict[str, Any] = {}
        # Catching up after a (re)connect: a `match:{id}` channel may say nothing
        # until the match changes, so `live` is subscribed too until its first
        # frame (or until every followed match has been heard of).
        self._catching_up = False
        self._heard: set[str] = set()
        # Games whose match channel has spoken on this connection.
        self._on_channel: set[Any] = set()
        # The index is pruned when it grows beyond this (and MAX_INDEX).
        self._prune_at = 0

    # -- FeedClient ---------------------------------------------------------

    @override
    async def validate(self) -> AccountInfo:
        """Check the key: REST `/status`, then the WebSocket handshake."""
        info = await self._status()
        ws = await self._open()
        try:
            async with asyncio.timeout(self._timing.connect_timeout):
                while True:
                    msg = await ws.receive()
                    if msg.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                        try:
                            frame = orjson.loads(msg.data)
                        except orjson.JSONDecodeError:
                            continue
                        if isinstance(frame, dict) and frame.get("type") == "connected":
                            return info
                    elif msg.type in (
                        aiohttp.WSMsgType.CLOSE,
                        aiohttp.WSMsgType.CLOSING,
                        aiohttp.WSMsgType.CLOSED,
                        aiohttp.WSMsgType.ERROR,
                    ):
                        raise self._close_error(ws.close_code)
        except TimeoutError:
            raise CannotConnect("SportsAPIPro: no welcome on the WebSocket") from None
        finally:
            await close_socket(ws)

    @override
    def set_targets(self, targets: Targets) -> None:
        """Follow these targets from now on; subscriptions follow at once."""
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

    # -- connection ---------------------------------------------------------

    def _keyed_url(self) -> str:
        return str(URL(self._ws_url).update_query({"x-api-key": self._credentials.api_key}))

    async def _open(self) -> aiohttp.ClientWebSocketResponse[bool]:
        return await open_socket(self._session, self._keyed_url(), self._timing, "SportsAPIPro")

    async def _status(self) -> AccountInfo:
        url = f"{rest_base(self._ws_url)}/status"
        try:
            async with asyncio.timeout(self._timing.connect_timeout):
                async with self._session.get(
                    url, headers={"x-api-key": self._credentials.api_key}
                ) as resp:
                    if resp.status != 200:
                        raise http_error(resp.status, "SportsAPIPro", resp.headers)
                    body = await resp.read()
        except TimeoutError:
            raise CannotConnect("SportsAPIPro: timed out") from None
        except aiohttp.ClientError as err:
            raise CannotConnect(f"SportsAPIPro: cannot connect ({type(err).__name__})") from None
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise CannotConnect("SportsAPIPro: unreadable status answer") from None
        if not isinstance(data, dict):
            raise CannotConnect("SportsAPIPro: unreadable status answer")
        if data.get("success") is False:
            raise AuthFailed("SportsAPIPro: the key was refused")
        account = _dict(data.get("account"))
        usage = _dict(data.get("usage"))
        if usage.get("remaining") == 0:
            raise QuotaExceeded("SportsAPIPro: daily quota exceeded")
        # The account is named by its email address [doc]; only a hash of it is
        # kept. An id field is not documented: used only where no address is.
        email = account.get("email")
        raw_id = account.get("id") or account.get("account_id")
        account_id: str | None = None  # nothing tells the account: known by the key
        if isinstance(email, str) and email.strip():
            account_id = account_hash(self.provider, f"email:{email.strip().casefold()}")
        elif isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id):
            account_id = account_hash(self.provider, f"id:{raw_id}")
        plan = account.get("plan")
        return AccountInfo(
            account_id=account_id,
            plan=plan if isinstance(plan, str) else None,
            details={
                k: usage[k]
                for k in ("daily_limit", "remaining", "requests_today", "reset_at")
                if k in usage
            },
        )

    def _close_error(self, code: int | None) -> FeedError:
        if code in AUTH_CLOSE_CODES:
            return AuthFailed(f"SportsAPIPro: the key was refused (close {code})")
        if code in QUOTA_CLOSE_CODES:
            return QuotaExceeded(f"SportsAPIPro: quota exceeded (close {code})")
        return CannotConnect(f"SportsAPIPro: the connection closed (code {code})")

    @override
    async def _connect_and_serve(self) -> None:
        _LOGGER.debug("Connecting to %s", redact(self._ws_url))
        ws = await self._open()
        self._ws = ws
        self._channel_ids = {}
        self._subscribed = set()
        self._tracker.begin_resync()
        try:
            await read_socket(ws, self._timing, PING, self._on_frame, self.counters)
        finally:
            self._ws = None
            self._subscribed = set()
            await close_socket(ws)
        raise self._close_error(ws.close_code)

    @override
    async def _close_sockets(self) -> None:
        ws, self._ws = self._ws, None
        await close_socket(ws)

    def _pending(self) -> set[str]:
        """Followed matches not heard of on this connection whose state may have moved."""
        tracker = self._tracker
        return {
            m
            for m in self._targets.matches
            if m not in self._heard and tracker.status(m) not in FINAL_STATUSES
        }

    def _wanted(self) -> set[str]:
        want = desired_channels(self._targets)
        if self._catching_up and ALL not in want and self._pending():
            want.add(LIVE)
        return want

    async def _sync_subscriptions(self) -> None:
        async with self._sub_lock:
            ws = self._ws
            if ws is None or not self._subscribed:
                return
            want = self._wanted()
            have = set(self._subscribed)
            for channel in sorted(want - have):
                await ws.send_str(orjson.dumps({"type": "subscribe", "channel": channel}).decode())
                self._subscribed.add(channel)
            for channel in sorted(have - want):
                await ws.send_str(
                    orjson.dumps({"type": "unsubscribe", "channel": channel}).decode()
                )
                self._subscribed.discard(channel)
                self._channel_ids.pop(channel, None)

    # -- frames -------------------------------------------------------------

    async def _on_frame(self, frame: Frame) -> None:
        kind = frame.get("type")
        if kind in ("scores", "match-update"):
            self._frame_time(frame.get("ts"))
        if kind == "scores":
            games = frame.get("games")
            if isinstance(games, list):
                self._on_games(frame.get("channel"), frame.get("updateId"), games)
            else:
                self._count("malformed")
        elif kind == "match-update":
            game = frame.get("game")
            if isinstance(game, dict):
                self._on_games(frame.get("channel"), frame.get("updateId"), [game])
            else:
                self._count("malformed")
        elif kind == "pong":
            pass
        elif kind == "connected":
            self._welcome = {k: frame.get(k) for k in ("version", "channels")}
            self._subscribed = {ALL}  # active by default
            self._heard = set()
            self._on_channel = set()
            self._catching_up = True
            self._connected()
            await self._sync_subscriptions()
        elif kind == "error":
            self._count("server_errors")
            code = str(frame.get("code") or "").upper()
            if "AUTH" in code or code in ("UNAUTHORIZED", "FORBIDDEN", "INVALID_KEY"):
                raise AuthFailed("SportsAPIPro: the key was refused")
            if "RATE" in code or "QUOTA" in code:
                raise QuotaExceeded("SportsAPIPro: quota exceeded")
        else:
            self._count("unknown")

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
        others: list[tuple[Any, dict[str, Any]]] = []
        targets = bool(self._targets)
        catching_up = self._catching_up
        listed = not (isinstance(channel, str) and channel.startswith("match:"))
        for game in games:
            if type(game) is not dict:
                self._count("malformed")
                continue
            game_id = game.get("id")
            if type(game_id) not in (int, str):
                self._count("malformed")
                continue
            if not listed:
                self._on_channel.add(game_id)
            elif (
                channel == LIVE
                and f"match:{game_id}" in self._subscribed
                and not self._take_listed(game)
            ):
                continue
            if catching_up:
                self._heard.add(str(game_id))
            # Only a followed game is compared with its last state (a deep compare
            # costs more than the follow check); every other one is just indexed,
            # after the delivery: freeing the states it replaces need not delay it.
            if targets and self._follows(game):
                if raw.get(game_id) != game:
                    followed.append(game)
                raw[game_id] = game
            else:
                others.append((game_id, game))
        if followed:
            self._deliver(self._parse(followed, version))
        for game_id, game in others:
            raw[game_id] = game
        if len(raw) > max(MAX_INDEX, self._prune_at):
            self._prune()
        if catching_up and (channel == LIVE or not self._pending()):
            # Caught up: every followed match was heard of, or `live` sent its list.
            self._catching_up = False
        if LIVE in self._subscribed and LIVE not in self._wanted():
            self._spawn(self._sync_subscriptions())

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
            match = parse_game(game, version, self._delivered.get(str(game["id"])))
            if match is None:
                self._count("malformed")
            else:
                matches.append(match)
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
