"""SoccerFootball.info push client: frames through the parser, targets, saved identities.

Tokens come over REST (`soccerfootball_rest.py`), sockets and their handover are
`soccerfootball_sockets.py`; here the client plans what to subscribe to within
the plan's limits, passes each frame through the parser
(`soccerfootball_parser.py`: MAIN and STATS merged into one `Match`) and
delivers the followed matches through the tracker.
"""

from collections import deque
from datetime import UTC, datetime
from typing import Any, ClassVar, override

from .api import GameSummary, Targets
from .delivery import MAX_TS_AHEAD_MS
from .errors import PlanNotSupported
from .model import Match, Provider
from .privacy import redact
from .soccerfootball_parser import MAX_SAVED_IDENTITIES, SoccerFootballParser
from .soccerfootball_rest import WsToken
from .soccerfootball_sockets import Conn, Scope, SoccerFootballSockets
from .sockets import Frame

MAX_KEPT_STATES = 5000


class SoccerFootballClient(SoccerFootballSockets):
    """A push client for one SoccerFootball.info account (direct token or RapidAPI key)."""

    provider: ClassVar[Provider] = Provider.SOCCERFOOTBALL

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parser = SoccerFootballParser()
        self._refused_channels: set[str] = set()
        self._server_errors: deque[str] = deque(maxlen=20)

    # -- FeedClient ---------------------------------------------------------

    @override
    def set_targets(self, targets: Targets) -> None:
        """Follow these targets from now on; subscriptions follow at once."""
        self._targets = targets
        # A league-scope STATS frame names its league: the parser must know it.
        self._parser.leagues = set(targets.competitions)
        # Matches no longer followed are forgotten: followed again later, their
        # first state is a baseline (what happened meanwhile is not news).
        # (A match whose teams are unknown can only be followed by its id or league.)
        for match_id in self._tracker.match_ids():
            if match_id in self._parser.states and not self._follows(match_id):
                self._forget(match_id)
        # (A match known only from what a restart kept is not news: its first frame is.)
        newly = [
            m
            for match_id in self._parser.states
            if match_id not in self._tracker
            and self._parser.heard(match_id)
            and self._follows(match_id)
            and (m := self._parser.match(match_id)) is not None
        ]
        if newly:
            self._deliver(newly)
        if self._conns:
            self._spawn(self._resubscribe_all())

    @override
    def games(self) -> list[GameSummary]:
        """Matches the feed has mentioned (names only once MAIN announced them)."""
        return self._parser.summaries()

    @override
    def tracker_state(self) -> dict[str, Any]:
        """The tracker's state, and who plays in each tracked match.

        Teams and leagues arrive only with `match_start`: after a restart in the
        middle of a match they would otherwise be unknown, and a team or
        competition target could not recognise its match.
        """
        data = super().tracker_state()
        data["identities"] = self._parser.identities(set(self._tracker.match_ids()))
        return data

    @override
    def restore_tracker_state(self, data: dict[str, Any]) -> None:
        """Restore a state saved by `tracker_state` (never raises)."""
        super().restore_tracker_state(data)
        identities = data.get("identities") if isinstance(data, dict) else None
        if not isinstance(identities, dict):
            identities = {}
        tracker = self._tracker
        for match_id in tracker.match_ids():
            self._parser.seed(
                match_id,
                identities.get(match_id),
                tracker.score(match_id),
                tracker.status(match_id),
            )
        # Who plays in the matches nobody followed: a target added later places them.
        for match_id, identity in list(identities.items())[:MAX_SAVED_IDENTITIES]:
            if isinstance(match_id, str) and match_id not in tracker:
                self._parser.seed(match_id, identity, None, None)

    @override
    def diagnostics(self) -> dict[str, Any]:
        """Counters, subscriptions and server errors; nothing secret."""
        data = super().diagnostics()
        token = self._token
        data.update(
            parser={
                "duplicates": self._parser.duplicates,
                "unknown": self._parser.unknown,
                "malformed": self._parser.malformed,
                "unattributed": self._parser.unattributed,
                "stale": self._parser.stale,
                "matches": len(self._parser.states),
            },
            sockets=len(self._conns),
            subscriptions=[sorted(f"{c}:{s}:{i}" for c, s, i in c_.subs) for c_ in self._conns],
            confirmed=[len(c_.confirmed) for c_ in self._conns],
            server_errors=list(self._server_errors),
            refused_channels=sorted(self._refused_channels),
            token=None
            if token is None
            else {
                "expires_at": datetime.fromtimestamp(token.expires_at, UTC).isoformat(),
                "max_connections": token.max_connections,
                "max_subscribe_per_connection": token.max_subscribe,
                "allowed_channels": list(token.channels),
                "server": redact(token.server),
            },
        )
        return data

    # -- subscriptions ------------------------------------------------------

    def _follows(self, match_id: str) -> bool:
        targets = self._targets
        state = self._parser.states.get(match_id)
        if state is None:
            return targets.follows(match_id, None, None, None)
        known = state.followed
        if known is not None and known[0] is targets:
            return known[1]
        follows = targets.follows(
            match_id, state.home_id, state.away_id, state.league_id, state.home, state.away
        )
        state.followed = (targets, follows)
        return follows

    @override
    def plan(self, token: WsToken) -> set[Scope]:
        """What to subscribe to within the plan's limits."""
        channels = [c for c in ("MAIN", "STATS") if c in token.channels]
        channels = [c for c in channels if c not in self._refused_channels]
        limit = token.max_subscribe
        if self._limit_override is not None:
            limit = min(limit, self._limit_override)
        limit = max(1, limit)
        targets = self._targets
        scopes: list[tuple[str, str | None]]
        if not targets or targets.teams:
            scopes = [("all", None)]
        else:
            scopes = [("match", m) for m in sorted(targets.matches)]
            scopes += [("league", c) for c in sorted(targets.competitions)]
        if len(scopes) * len(channels) > limit and scopes != [("all", None)]:
            leagues: set[str] = set(targets.competitions)
            for match_id in targets.matches:
                league = self._parser.ids(match_id)[2]
                if league is None:
                    leagues = set()
                    break
                leagues.add(league)
            by_league: list[tuple[str, str | None]] = [("league", x) for x in sorted(leagues)]
            scopes = by_league if leagues and len(leagues) * len(channels) <= limit else []
            if not scopes:
                scopes = [("all", None)]
        while len(channels) > 1 and len(scopes) * len(channels) > limit:
            channels.pop()  # STATS goes first; MAIN carries the goals
        return {(c, s, i) for c in channels for s, i in scopes}

    # -- frames -------------------------------------------------------------

    @override
    def _on_frame(self, conn: Conn, frame: Frame) -> None:
        parser = self._parser
        # The usual frame first: a STATS snapshot telling nothing new but the time.
        moved = parser.documented_again(frame)
        if moved is not None:
            ts = frame["ts"]  # (an int, as `documented_again` found it)
            if self._catch_up is None and (newest := self._newest_ts) is not None:
                # `_frame_time` without a catch-up in progress, the usual case, here.
                if 0 < ts - newest < MAX_TS_AHEAD_MS and ts < 10**15:
                    self._newest_ts = ts
            else:
                self._frame_time(ts)
            if moved:
                match_id = frame["id"]
                known = parser.states[match_id].followed
                if known is None or known[0] is not self._targets or known[1]:
                    self._changed([match_id], "event")
                # (else not followed: nothing to deliver, nothing kept aside)
            return
        kind = frame.get("type")
        if kind != "event" and self._on_control(conn, kind, frame):
            return
        self._frame_time(frame.get("ts"))
        changed = parser.feed_other(frame)
        if changed:
            self._changed(changed, kind)
        if len(parser.states) > MAX_KEPT_STATES:
            parser.forget_finished(MAX_KEPT_STATES // 2)

    def _changed(self, changed: list[str], kind: Any) -> None:
        """Deliver the followed ones of the matches a frame changed."""
        parser = self._parser
        matches: list[Match] = []
        for match_id in changed:
            if not self._follows(match_id):
                if kind == "match_start":
                    self._state_changed()  # who plays: kept across a restart
                # What the frame went through is no news later, once followed: the
                # match is then taken as it stands.
                parser.take_intermediate(match_id)
                continue
            if match_id not in self._tracker and (pre := parser.take_pre_match(match_id)):
                matches.append(pre)
            matches.extend(parser.take_intermediate(match_id))
            if (match := parser.match(match_id)) is not None:
                matches.append(match)
        if matches:
            self._deliver(matches)

    def _on_control(self, conn: Conn, kind: Any, frame: Frame) -> bool:
        """Handle a frame that carries no data (pong, confirmations, errors): True if it was one."""
        if kind == "pong":
            return True
        if kind == "subscribed":
            scope = _scope_of(frame)
            if scope is not None:
                conn.confirmed.add(scope)
                if not conn.subs - conn.confirmed:
                    conn.all_confirmed.set()
            return True
        if kind == "unsubscribed":
            return True
        if kind == "error":
            self._on_error(conn, frame)
            return True
        return False

    def _on_error(self, conn: Conn, frame: Frame) -> None:
        code = str(frame.get("code") or "").upper()
        self._count("server_errors")
        self._server_errors.append(code or "UNKNOWN")
        message = str(frame.get("message") or "")
        if "EXPIRED" in code or "TOKEN" in code:
            conn.expired = True
        elif code == "CONNECTION_LIMIT":
            conn.limited = True
        elif code == "CHANNEL_NOT_ALLOWED":
            channel = next((c for c in ("STATS", "ODDS") if c in message.upper()), None)
            if channel is None or channel == "MAIN" or "MAIN " in message.upper():
                raise PlanNotSupported("SoccerFootball: the plan has no MAIN channel")
            self._refused_channels.add(channel)
            self._set_state(
                self._state, PlanNotSupported(f"SoccerFootball: the plan has no {channel} channel")
            )
            self._spawn(self._resubscribe_all())
        elif code == "SUBSCRIPTION_LIMIT":
            self._limit_override = max(1, len(conn.confirmed))
            self._spawn(self._resubscribe_all())


def _scope_of(frame: Frame) -> Scope | None:
    channel = frame.get("channel")
    scope = frame.get("scope")
    if not isinstance(channel, str) or not isinstance(scope, str):
        return None
    ident = frame.get("id")
    if ":" in scope and ident is None:
        scope, ident = scope.split(":", 1)
    return channel, scope, None if ident is None else str(ident)
