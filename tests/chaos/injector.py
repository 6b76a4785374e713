"""The fault table: each kind of fault is one small async function of the campaign.

A fault function returns False when it does not apply right now (nothing to unfollow,
no STATS snapshot to replay, a simulator without that fault yet); the injector then
picks another. Faults that hide the feed from the client open blind windows
(`Campaign.blackout`) and close them once the client is back (`Campaign.restore`);
the ones that span time (outages, Home Assistant down, lag, reorder) step the match
clock themselves, so goals happen inside them.
"""

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
from dataclasses import dataclass
import random
import time
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType

from custom_components.live_scores.feed import soccerfootball_rest

from .model import PROVIDER_SAP, PROVIDER_SF, match_id
from .timing import TIMING

if TYPE_CHECKING:
    from .campaign import Campaign

type FaultFn = Callable[[Campaign], Awaitable[bool]]

# Close codes that mean "reconnect" (not a refused key or a spent quota).
SAP_CLOSE_CODES = (1000, 1001, 1011, 1012, 1013, 4000, 4500)
# SoccerFootball: 4001 / 1008 are a token expiry (a new token is fetched), 4008 too many
# connections (backoff).
SF_CLOSE_CODES = (1000, 1001, 1011, 1012, 4000, 4001, 1008, 4008)


@dataclass(frozen=True, slots=True)
class Fault:
    name: str
    weight: float
    run: FaultFn
    providers: tuple[str, ...] = (PROVIDER_SAP, PROVIDER_SF)


# --- the connection ---------------------------------------------------------------------


async def abort(c: Campaign) -> bool:
    """TCP abort of every socket; the client reconnects at once."""
    old = frozenset(c.conns())
    c.blackout("abort")
    await c.sim.faults.drop(c.provider)
    await c.restore(old, "abort")
    return True


async def close_code(c: Campaign) -> bool:
    """A clean close with a close code."""
    code = c.rng.choice(SAP_CLOSE_CODES if c.sap else SF_CLOSE_CODES)
    old = frozenset(c.conns())
    c.blackout(f"close {code}")
    await c.sim.faults.drop(c.provider, code)
    c.note("close", code=code)
    await c.restore(old, f"close {code}")
    return False  # counted above with its code


async def close_no_code(c: Campaign) -> bool:
    """A close frame without a status code, then the socket goes."""
    old = frozenset(c.conns())
    c.blackout("close without code")
    for conn in old:
        with_frame = getattr(conn.ws, "send_frame", None)
        if with_frame is not None and not conn.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await with_frame(b"", WSMsgType.CLOSE)
    await asyncio.sleep(0.01)
    for conn in old:
        conn.abort()
    await c.restore(old, "close without code")
    return True


async def outage(c: Campaign) -> bool:
    """Connections refused for a while (REST too, at times) while the matches go on."""
    steps = c.rng.randint(2, 12)
    rest = not c.sap and c.rng.random() < 0.4
    old = frozenset(c.conns())
    c.blackout("outage")
    faults = c.sim.faults
    faults.set("refuse_connections", True, c.provider)
    if rest:
        faults.set("rest_error", 503, c.provider)
        faults.set("rest_error_count", -1, c.provider)
    await faults.drop(c.provider)
    for _ in range(steps):
        await c.step()
    faults.set("refuse_connections", False, c.provider)
    faults.set("rest_error", 0, c.provider)
    c.note("outage", seconds=steps * c.cfg.step, rest=rest)
    await c.restore(old, "outage")
    return False


# --- frames -----------------------------------------------------------------------------


def _action(name: str) -> FaultFn:
    async def run(c: Campaign) -> bool:
        if not c.conns():
            return False
        await getattr(c.sim.faults, name)(c.provider)
        return True

    run.__name__ = name
    return run


async def duplicate_frames(c: Campaign) -> bool:
    """For one step, every data frame is sent twice."""
    c.sim.faults.set("duplicate", True, c.provider)
    await c.step()
    c.sim.faults.set("duplicate", False, c.provider)
    return True


async def reorder(c: Campaign) -> bool:
    """For a step or two, data frames go out in swapped pairs."""
    c.sim.faults.set("reorder", True, c.provider)
    for _ in range(c.rng.randint(1, 2)):
        await c.step()
    c.sim.faults.set("reorder", False, c.provider)
    for conn in c.conns():  # a frame still held goes out now
        held, conn.held = conn.held, None
        if held is not None:
            await conn.send_raw(held)
    await c.barrier()
    return True


async def garbage_burst(c: Campaign) -> bool:
    """Several malformed frames in a row: text, a half frame, binary, an unknown type."""
    if not c.conns():
        return False
    faults = c.sim.faults
    for name in c.rng.sample(("garbage", "truncated", "binary", "unknown_type"), 3):
        await getattr(faults, name)(c.provider)
    return True


# --- SoccerFootball: STATS and MAIN, tokens ---------------------------------------------


def _rises(c: Campaign) -> list[str]:
    """Matches whose last STATS score change was a goal (not a VAR decision)."""
    before = getattr(c.sim.sf, "_before_score", {})
    now = getattr(c.sim.sf, "_stats", {})
    out = []
    for m in c.sim.matches:
        if not m.football or m.sf_id not in before or m.sf_id not in now:
            continue
        old = [int(x) for x in str(before[m.sf_id].get("score") or "0;0").split(";")]
        new = [int(x) for x in str(now[m.sf_id].get("score") or "0;0").split(";")]
        if all(n >= o for n, o in zip(new, old, strict=True)) and new != old:
            out.append(m.key)
    return out


async def stale_stats(c: Campaign) -> bool:
    """A STATS snapshot from before the match's last goal, freshly stamped: it lags a
    goal (one after a VAR decision, showing the goal again, is not played: see README)."""
    fault = getattr(c.sim.faults, "stale_stats", None)
    matches = _rises(c)
    if fault is None or not matches:
        return False
    key = c.rng.choice(matches)
    window = c.open.get(key)
    if window is not None and window.restored is not None:
        window.stale_shown = True  # seen by the client, back from a gap
    return bool(await fault(key))


async def stats_lag(c: Campaign) -> bool:
    """STATS late behind MAIN (or MAIN late behind STATS) for a while."""
    setter = getattr(c.sim, "set_stats_lag", None)
    if setter is None:
        return False
    lag = c.rng.choice((-45.0, -20.0, -8.0, -3.0, 3.0, 8.0, 20.0, 45.0))
    setter(lag)
    for _ in range(c.rng.randint(1, 6)):
        await c.step()
    setter(0.0)
    c.note("stats_lag", seconds=lag)
    return False


async def expire_tokens(c: Campaign) -> bool:
    """Every WebSocket token expires now: the sockets close, a new token is needed."""
    old = frozenset(c.conns())
    c.blackout("token expiry")
    await c.sim.faults.expire_tokens()
    await c.restore(old, "token expiry")
    return True


async def expire_tokens_on_the_way(c: Campaign) -> bool:
    """Every token expires, and the next one or two too, between the REST answer and
    the socket (whose upgrade answers 401): new tokens, never a new key."""
    c.sim.faults.sf.expired_tokens = c.rng.choice((1, 2))
    try:
        return await expire_tokens(c)
    finally:
        c.sim.faults.sf.expired_tokens = 0


def _token_counters(c: Campaign) -> tuple[int, ...]:
    client = c.client
    counters = getattr(client, "counters", {}) if client is not None else {}
    return tuple(counters.get(k, 0) for k in ("renewals", "renew_failed", "handovers", "tokens"))


async def _renew(c: Campaign, *, mode: str, refused: bool) -> bool:
    """Move the client's wall clock to its renewal time; play a step while it renews."""
    client = c.client
    token = getattr(client, "_token", None)
    if client is None or token is None or c.riding:
        return False
    c.sim.variants.sf_renew = mode  # type: ignore[assignment]
    # Expiries have a resolution of one second: a longer lifetime each time makes a
    # renewal always extend the token, whatever the wall clock's second.
    c.sim.config.token_ttl += 2.0
    if refused:
        c.sim.faults.set("refuse_renewal", True, c.provider)
    before = _token_counters(c)
    due = token.expires_at - TIMING.renew_before - sf_now()
    c.wall_offset = max(0.0, due) + 0.5
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 1.0
    await c.step()  # the matches go on while the client renews
    while _token_counters(c) == before and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.005)
    c.wall_offset = 0.0
    if refused:
        c.sim.faults.set("refuse_renewal", False, c.provider)
    if refused or _token_counters(c) == before:
        # Refused, or not extended: the client keeps its token until the socket ends.
        c.riding = True
    await c.ready(what=f"renewal {mode}")
    c.note("renewal refused" if refused else f"renewal {mode} token")
    return False


def sf_now() -> float:
    return soccerfootball_rest.wall_time()  # looked up now: the campaign moves it


async def renew_same(c: Campaign) -> bool:
    return await _renew(c, mode="same", refused=False)


async def renew_new(c: Campaign) -> bool:
    return await _renew(c, mode="new", refused=False)


async def renew_refused(c: Campaign) -> bool:
    return await _renew(c, mode="same", refused=True)


# --- SportsAPIPro: replays and counters -------------------------------------------------


async def replay_on_reconnect(c: Campaign) -> bool:
    """The next connection gets an older frame again right after a newer one."""
    fault = getattr(c.sim.faults, "replay_on_reconnect", None)
    if fault is None:
        return False
    fault(1)
    old = frozenset(c.conns())
    c.blackout("abort (with a replay)")
    await c.sim.faults.drop(c.provider)
    await c.restore(old, "replay on reconnect")
    return True


async def poison_update_id(c: Campaign) -> bool:
    """One frame with an updateId far ahead of the counter."""
    fault = getattr(c.sim.faults, "poison_update_id", None)
    if fault is None or not c.conns():
        return False
    c.raw_visible = True  # the frame carries the current games
    try:
        await fault()
    finally:
        c.raw_visible = False
    return True


# --- targets ----------------------------------------------------------------------------


def _playing(c: Campaign) -> list[str]:
    return [k for k in c.today if not c.matches[k].final and c.matches[k].spec.outcome == "play"]


async def follow_match(c: Campaign) -> bool:
    """Follow one more match (perhaps one already followed as a team: twice)."""
    mine = {f.key for f in c.followers if f.until is None and f.kind == "match"}
    candidates = [
        k for k in _playing(c) if c.quiet([k]) and match_id(c.provider, c.matches[k]) not in mine
    ]
    if not candidates:
        return False
    return await c.follow_match(c.rng.choice(candidates)) is not None


async def follow_team(c: Campaign) -> bool:
    candidates = [k for k in _playing(c) if c.quiet([k])]
    if not candidates:
        return False
    key = c.rng.choice(candidates)
    follower = await c.follow_team(key, c.rng.randrange(2))
    return follower is not None and c.quiet(c.covered(follower))


async def unfollow(c: Campaign) -> bool:
    active = [f for f in c.followers if f.until is None and c.quiet(c.covered(f))]
    if len(active) < 3:
        return False
    await c.remove_target(c.rng.choice(active))
    return True


async def refollow(c: Campaign) -> bool:
    """Follow again a target that was unfollowed."""
    candidates = [
        f for f in c.removed if f.kind != "match" and c.quiet(c.covered(f)) and not c.following(f)
    ]
    if not candidates:
        return False
    old = c.rng.choice(candidates)
    c.removed.remove(old)
    return await c.refollow(old) is not None


# --- Home Assistant ---------------------------------------------------------------------


async def reload_entry(c: Campaign) -> bool:
    assert c.entry is not None
    old = frozenset(c.conns())
    c.blackout("reload")
    c.new_epoch()
    if not await c.hass.config_entries.async_reload(c.entry.entry_id):
        c.problems["reload failed"] += 1
        await c.setup()
    await c.restore(old, "reload")
    return True


async def _restart(c: Campaign, *, clean: bool, mid_step: bool = False) -> None:
    if mid_step:
        # Killed right after a step's frames were handled, before Home Assistant's
        # clock moved: what they changed may not be on disk yet (and may fire again).
        await c.step(timers=False)
    old = frozenset(c.conns())
    c.blackout("restart" if clean else "kill")
    if clean:
        await c.unload()
    else:
        await c.kill()
    down = c.rng.choice((0, 0, 1, 2, 4, 8))  # steps while Home Assistant is down
    for _ in range(down):
        await c.step()
    await c.setup()
    name = "restart" if clean else "kill mid-step" if mid_step else "kill"
    c.note(name, down=down * c.cfg.step)
    await c.restore(old, "restart" if clean else "kill")


async def restart_clean(c: Campaign) -> bool:
    await _restart(c, clean=True)
    return False


async def restart_kill(c: Campaign) -> bool:
    await _restart(c, clean=False)
    return False


async def restart_kill_mid_step(c: Campaign) -> bool:
    await _restart(c, clean=False, mid_step=True)
    return False


FAULTS: tuple[Fault, ...] = (
    Fault("abort", 7, abort),
    Fault("close", 5, close_code),
    Fault("close without code", 2, close_no_code),
    Fault("outage", 3, outage),
    Fault("garbage", 4, _action("garbage")),
    Fault("truncated", 4, _action("truncated")),
    Fault("binary", 3, _action("binary")),
    Fault("unknown_type", 3, _action("unknown_type")),
    Fault("garbage burst", 2, garbage_burst),
    Fault("duplicate_last", 6, _action("duplicate_last")),
    Fault("duplicate frames", 3, duplicate_frames),
    Fault("stale", 6, _action("stale")),
    Fault("reorder", 4, reorder),
    Fault("stale_stats", 6, stale_stats, (PROVIDER_SF,)),
    Fault("stats_lag", 5, stats_lag, (PROVIDER_SF,)),
    Fault("token expiry", 3, expire_tokens, (PROVIDER_SF,)),
    Fault("token expired on its way", 1, expire_tokens_on_the_way, (PROVIDER_SF,)),
    Fault("renewal same token", 2, renew_same, (PROVIDER_SF,)),
    Fault("renewal new token", 2, renew_new, (PROVIDER_SF,)),
    Fault("renewal refused", 1, renew_refused, (PROVIDER_SF,)),
    Fault("replay_on_reconnect", 4, replay_on_reconnect, (PROVIDER_SAP,)),
    Fault("poison_update_id", 2, poison_update_id, (PROVIDER_SAP,)),
    Fault("follow match", 2, follow_match),
    Fault("follow team", 1, follow_team),
    Fault("unfollow", 2, unfollow),
    Fault("refollow", 1, refollow),
    Fault("reload", 1.5, reload_entry),
    Fault("restart", 1.5, restart_clean),
    Fault("kill", 1, restart_kill),
    Fault("kill mid-step", 1, restart_kill_mid_step),
)


class Injector:
    """Picks faults by weight; each applied fault is counted by kind."""

    def __init__(self, provider: str, table: tuple[Fault, ...] = FAULTS) -> None:
        self.table = [f for f in table if provider in f.providers]
        self.weights = [f.weight for f in self.table]

    async def inject(self, c: Campaign) -> None:
        # Every draw comes from a generator of its own (seed, step, fault, attempt): what
        # happens at one step does not shift what the next steps draw.
        seed = c.cfg.seed
        c.rng = random.Random(f"{seed}:{c.steps}")  # noqa: S311
        count = int(c.cfg.fault_rate) + (c.rng.random() < c.cfg.fault_rate % 1)
        for index in range(count):
            for attempt in range(5):
                c.rng = random.Random(f"{seed}:{c.steps}:{index}:{attempt}")  # noqa: S311
                fault = c.rng.choices(self.table, self.weights)[0]
                before = sum(c.fault_counts.values())
                started = time.monotonic()
                try:
                    applied = await fault.run(c)
                except Exception as err:  # noqa: BLE001 - counted, reported, recovered from
                    await c.recover(fault.name, err)
                    applied = True
                c.cost[fault.name] += round((time.monotonic() - started) * 1000)
                if applied:
                    c.note(fault.name)
                if applied or sum(c.fault_counts.values()) > before:
                    break

    async def end_of_day(self, c: Campaign) -> None:
        """Matches of the day are over: stop following them one by one (teams stay)."""
        for f in [f for f in c.followers if f.until is None and f.kind == "match"]:
            await c.remove_target(f)
        setter: Any = getattr(c.sim, "set_stats_lag", None)
        if setter is not None and c.sim.config.sf_stats_lag:
            setter(0.0)
