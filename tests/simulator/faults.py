"""Faults on demand: switches (FaultSwitches, per provider) and one-shot actions."""

import asyncio
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from .conn import Conn, FaultSwitches, dumps
from .truth import TruthFault

if TYPE_CHECKING:
    from .simulator import Simulator

PROVIDERS = ("sportsapipro", "soccerfootball")
ALIASES = {"sap": "sportsapipro", "sf": "soccerfootball"}
SWITCHES = tuple(f.name for f in fields(FaultSwitches))
ACTIONS = (
    "drop",
    "garbage",
    "truncated",
    "binary",
    "unknown_type",
    "duplicate_last",
    "stale",
    "revoke_key",
    "restore_key",
    "expire_tokens",
    "stale_stats",
    "replay_on_reconnect",
    "poison_update_id",
    "reset",
)


def _providers(provider: str | None) -> tuple[str, ...]:
    if provider is None or provider == "all":
        return PROVIDERS
    name = ALIASES.get(provider, provider)
    if name not in PROVIDERS:
        msg = f"unknown provider {provider!r}"
        raise ValueError(msg)
    return (name,)


class Faults:
    """`faults.sap` / `faults.sf` hold the switches; `set()` flips one for both.

    Switches (FaultSwitches): silent, duplicate, reorder, slow, quota_exceeded,
    rest_error, rest_error_count, refuse_renewal, refuse_connections, rest_body,
    expired_tokens.
    """

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.sap = FaultSwitches()
        self.sf = FaultSwitches()

    def switches(self, provider: str) -> FaultSwitches:
        return self.sap if ALIASES.get(provider, provider) == "sportsapipro" else self.sf

    def set(self, name: str, value: Any = True, provider: str | None = None) -> None:
        if name not in SWITCHES:
            msg = f"unknown fault switch {name!r}"
            raise ValueError(msg)
        for p in _providers(provider):
            setattr(self.switches(p), name, value)

    def reset(self) -> None:
        for sw in (self.sap, self.sf):
            for f in fields(FaultSwitches):
                setattr(sw, f.name, getattr(FaultSwitches(), f.name))

    def rest_failure(self, provider: str) -> int:
        """The status a REST request must fail with now (0: none); counts down."""
        sw = self.switches(provider)
        if not sw.rest_error or sw.rest_error_count == 0:
            return 0
        if sw.rest_error_count > 0:
            sw.rest_error_count -= 1
        return sw.rest_error

    def note(self, name: str, provider: str | None = None, **detail: Any) -> None:
        """Log an injected fault in the ground truth (sim.truth.faults)."""
        p = None if provider in (None, "all") else ALIASES.get(provider, provider)
        self.sim.truth.faults.append(TruthFault(name, self.sim.clock.now(), p, detail))

    def conns(self, provider: str | None = None) -> list[Conn]:
        out: list[Conn] = []
        for p in _providers(provider):
            out += self.sim.sap.conns if p == "sportsapipro" else self.sim.sf.conns
        return [c for c in out if not c.closed]

    async def _each(self, provider: str | None, text: str) -> int:
        conns = self.conns(provider)
        await asyncio.gather(*(c.send_raw(text) for c in conns))
        return len(conns)

    # --- actions --------------------------------------------------------------------
    async def drop(self, provider: str | None = None, code: int | None = None) -> int:
        """Drop every connection: TCP abort (code None) or a close frame with `code`."""
        conns = self.conns(provider)
        self.note("drop", provider, code=code, sockets=len(conns))
        for c in conns:
            if code is None:
                c.abort()
            else:
                await c.close(code, "Dropped by simulator")
        return len(conns)

    async def garbage(self, provider: str | None = None) -> int:
        self.note("garbage", provider)
        return await self._each(provider, "\x00}{ this is not JSON ]")

    async def truncated(self, provider: str | None = None) -> int:
        conns = self.conns(provider)
        self.note("truncated", provider)
        for c in conns:
            text = c.last_data or dumps({"type": "scores", "channel": "all", "games": []})
            await c.send_raw(text[: max(1, len(text) // 2)])
        return len(conns)

    async def binary(self, provider: str | None = None) -> int:
        conns = self.conns(provider)
        self.note("binary", provider)
        for c in conns:
            if not c.switches.silent and not c.closed:
                await c.ws.send_bytes(b"\x89PNG\r\n\x1a\n garbage")
        return len(conns)

    async def send_raw(self, provider: str | None, data: str | bytes) -> int:
        """Send `data` as is to every open connection: a text frame, or binary for bytes."""
        conns = self.conns(provider)
        for c in conns:
            if isinstance(data, str):
                await c.send_raw(data)
            elif not c.switches.silent:
                await c.ws.send_bytes(data)
        return len(conns)

    async def unknown_type(self, provider: str | None = None) -> int:
        frame = {"type": "mystery-event", "channel": "all", "data": {"x": 1}, "ts": 0}
        self.note("unknown_type", provider)
        return await self._each(provider, dumps(frame))

    async def duplicate_last(self, provider: str | None = None) -> int:
        """Re-send each connection's last data frame (same updateId / ts again)."""
        conns = [c for c in self.conns(provider) if c.last_data]
        self.note("duplicate_last", provider)
        for c in conns:
            assert c.last_data is not None
            await c.send_raw(c.last_data)
        return len(conns)

    async def stale(self, provider: str | None = None) -> int:
        """Re-send each connection's previous data frame: an older updateId after a newer."""
        conns = [c for c in self.conns(provider) if c.prev_data]
        self.note("stale", provider)
        for c in conns:
            assert c.prev_data is not None
            await c.send_raw(c.prev_data)
        return len(conns)

    async def revoke_key(self, key: str) -> None:
        """Invalidate a credential (SAP key, SF token or RapidAPI key); close its sockets."""
        self.note("revoke_key")
        await self.sim.sap.revoke(key)
        await self.sim.sf.revoke(key)

    def restore_key(self, key: str) -> None:
        if key in self.sim.sap.accounts:
            self.sim.sap.accounts[key].revoked = False
        if key in self.sim.sf.accounts:
            self.sim.sf.accounts[key].revoked = False

    async def expire_tokens(self) -> None:
        """Every SoccerFootball WebSocket token expires now."""
        self.note("expire_tokens", "sf")
        await self.sim.sf.expire_tokens()

    async def stale_stats(self, match: str | None = None) -> int:
        """SoccerFootball: send, freshly stamped (new ts and eventId), the STATS snapshot
        of `match` (key or id; None: every match) from before its last score change, on
        every socket subscribed to STATS for it (stats_update; `all` scope: a one-match
        batch_update). A lagging snapshot, not a cancellation. Returns sockets hit."""
        self.note("stale_stats", "sf", match=match)
        return await self.sim.sf.stale_stats(match)

    def replay_on_reconnect(self, n: int = 1) -> None:
        """SportsAPIPro: each of the next `n` new connections, right after its first fresh
        data frame, gets an older frame of that channel again (older updateId and game
        states: a stale replay after a reconnect). Logged as "replayed" when sent."""
        self.note("replay_on_reconnect", "sap", n=n)
        self.sim.sap.replay_budget += n

    async def poison_update_id(self, delta: int = 10**12) -> int:
        """SportsAPIPro: the current games once, on every socket and subscribed channel,
        with an updateId `delta` above the counter; the counter does not jump, so later
        frames carry lower (normal) updateIds. Returns sockets hit."""
        self.note("poison_update_id", "sap", delta=delta, update_id=self.sim.sap.update_id + delta)
        return await self.sim.sap.poison_update_id(delta)

    async def run(self, name: str, body: dict[str, Any]) -> Any:
        """Control-endpoint dispatch: a switch name or an action name."""
        provider = body.get("provider")
        if name in SWITCHES:
            self.set(name, body.get("value", True), provider)
            return {"switch": name, "value": body.get("value", True)}
        if name == "reset":
            self.reset()
            return {"reset": True}
        if name in ("revoke_key", "restore_key"):
            key = str(body["key"])
            if name == "revoke_key":
                await self.revoke_key(key)
            else:
                self.restore_key(key)
            return {name: True}
        if name == "expire_tokens":
            await self.expire_tokens()
            return {name: True}
        if name == "stale_stats":
            match = body.get("match")
            return {"sent": await self.stale_stats(None if match is None else str(match))}
        if name == "replay_on_reconnect":
            self.replay_on_reconnect(int(body.get("n", 1)))
            return {name: self.sim.sap.replay_budget}
        if name == "poison_update_id":
            return {"sent": await self.poison_update_id(int(body.get("delta", 10**12)))}
        if name == "drop":
            return {"dropped": await self.drop(provider, body.get("code"))}
        if name in ACTIONS:
            return {"sent": await getattr(self, name)(provider)}
        msg = f"unknown fault {name!r}"
        raise ValueError(msg)

    def state(self) -> dict[str, Any]:
        return {
            "sportsapipro": {n: getattr(self.sap, n) for n in SWITCHES},
            "soccerfootball": {n: getattr(self.sf, n) for n in SWITCHES},
        }
