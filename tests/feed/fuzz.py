"""A seeded frame fuzzer for both providers: corpus, mutator, cost meter, harness.

The corpus is what the simulator really sends: every scenario played to its end
with its frames recorded (`Simulator.record_frames`), in two variant sets, plus
STATS `batch_update` and `stats_update_realtime` frames derived from them. The
mutator takes a corpus frame and changes one to three values in it (copy on
write: the corpus is never changed): wrong types, huge, infinite, NaN and
negative numbers, 1e308, huge strings, deep nesting, dicts and lists where ids
are, missing keys, longer lists; for the wire also truncated and binary frames,
literals orjson refuses (`1e999`, `NaN`, nesting deeper than 1024) and garbage.

`Fuzz` replays the corpus in order, every frame mutated, straight through both
parsers and the tracker (as the clients glue them), and notes what escaped (an
exception), what stalled and what each frame cost. A frame's cost is counted,
not timed: `CostMeter` counts the loop iterations (backward jumps, through
`sys.monitoring` on the feed package's code only) while the frame is handled,
and stops a frame past `STALL_LIMIT` iterations (`Stall`), so that a loop over a
score of 1e308 is reported with its line instead of hanging the run.

Used by tests/feed/test_fuzz.py (CI) and scripts/fuzz (a million frames).
"""

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
import functools
import importlib
import json
import math
from pathlib import Path
import pkgutil
import random
import statistics
import sys
import tempfile
import traceback
from types import CodeType, FunctionType
from typing import Any, override

import orjson

import custom_components.live_scores.feed as feed_package
from custom_components.live_scores.feed.api import Credentials, Targets
from custom_components.live_scores.feed.errors import FeedError
from custom_components.live_scores.feed.model import Match, Provider
from custom_components.live_scores.feed.soccerfootball import SoccerFootballClient
from custom_components.live_scores.feed.soccerfootball_parser import SoccerFootballParser
from custom_components.live_scores.feed.soccerfootball_rest import WsToken
from custom_components.live_scores.feed.soccerfootball_sockets import Conn
from custom_components.live_scores.feed.sportsapipro import SportsAPIProClient
from custom_components.live_scores.feed.sportsapipro_parser import parse_game, summarize
from custom_components.live_scores.feed.tracker import Tracker
from tests.simulator import SimConfig, Simulator

FEED_DIR = str(Path(feed_package.__file__).parent)  # as code objects name their files
SAP = "sportsapipro"
SF = "soccerfootball"
SCENARIOS = ("goals", "basketball", "tennis", "hockey", "knockout", "postponed", "league")
# The live match of the socket test (scenario "goals"): the corpus never carries
# its ids but DECOY ids instead, so that fuzzed frames never touch the real match.
REAL_SAP_ID = 4467358
REAL_SF_ID = "b01d28ac92221034"
DECOY_SAP_ID = 91_000_001
DECOY_SF_ID = "dec0dec0dec0dec0"
# A list grown by a mutation holds at most this many items and bytes (a frame over
# the clients' 64 MiB limit ends the connection, as it must: not a per-frame cost).
MAX_ITEMS = 2000
MAX_GROWN = 2 * 1024 * 1024
# Loop iterations in the feed package after which one frame is a stall.
STALL_LIMIT = 200_000


# --- corpus --------------------------------------------------------------------------


@dataclass(slots=True)
class Corpus:
    """Recorded frames of both providers, in order, with the match ids they carry."""

    sap: list[dict[str, Any]]
    sf: list[dict[str, Any]]
    sap_ids: frozenset[str]
    sf_ids: frozenset[str]


def _decoy(value: Any) -> Any:
    """The frame with the live match's ids replaced by the decoy ids (a deep copy)."""
    if isinstance(value, dict):
        return {k: _decoy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoy(v) for v in value]
    if isinstance(value, int) and value == REAL_SAP_ID:
        return DECOY_SAP_ID
    if value == REAL_SF_ID:
        return DECOY_SF_ID
    if value == f"match:{REAL_SAP_ID}":
        return f"match:{DECOY_SAP_ID}"
    return value


async def _record(
    path: Path, scenario: str, variants: dict[str, Any], step: float
) -> list[tuple[str, str]]:
    sim = Simulator(SimConfig(manual_clock=True))
    for name, value in variants.items():
        if hasattr(sim.variants, name):
            setattr(sim.variants, name, value)
    sim.record_frames(path)
    try:
        sim.load_scenario(scenario)
        await sim.advance_to_end(step=step)
    finally:
        await sim.stop()
    text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    return [(row["provider"], row["frame"]) for row in map(orjson.loads, text.splitlines())]


def _derived_sf(frame: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """A STATS frame again as `batch_update` and as `stats_update_realtime`."""
    data = frame.get("data")
    if frame.get("eventType") != "stats_update" or not isinstance(data, dict) or n % 5:
        return []
    match_id, ts = frame.get("id"), frame.get("ts")
    return [
        {
            "type": "event",
            "channel": "STATS",
            "scope": "all",
            "id": None,
            "eventType": "batch_update",
            "eventId": f"batch{n}",
            "ts": ts,
            "data": {"matches": [{**data, "id": match_id}]},
        },
        {
            "type": "stats_update_realtime",
            "channel": "STATS_REALTIME",
            "matchId": match_id,
            "leagueId": frame.get("leagueId"),
            "ts": ts,
            "data": {"changedStats": [{"stat": k, "value": v} for k, v in data.items()]},
        },
    ]


async def record_corpus(step: float = 30.0) -> Corpus:
    """Play every scenario in two variant sets and keep the frames (no sockets)."""
    variant_sets: list[dict[str, Any]] = [
        {},
        {
            "sap_scores_events": True,
            "sap_status_groups": "seen",
            "sap_games": "changed",
            "sf_main_shape": "legacy",
            "sf_goal_scorer": True,
        },
    ]
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, variants in enumerate(variant_sets):
            for scenario in SCENARIOS:
                rows += await _record(Path(tmp) / f"{scenario}{n}.jsonl", scenario, variants, step)
    sap: list[dict[str, Any]] = []
    sf: list[dict[str, Any]] = []
    sap_ids: set[str] = set()
    sf_ids: set[str] = set()
    for n, (provider, text) in enumerate(rows):
        frame = _decoy(orjson.loads(text))
        if provider == SAP:
            sap.append(frame)
            games = frame.get("games") or [frame.get("game")]
            sap_ids.update(str(g["id"]) for g in games if isinstance(g, dict))
        else:
            sf.append(frame)
            sf.extend(_derived_sf(frame, n))
            ident = frame.get("matchId") or frame.get("id")
            if isinstance(ident, str):
                sf_ids.add(ident)
    return Corpus(sap, sf, frozenset(sap_ids), frozenset(sf_ids))


@functools.cache
def corpus() -> Corpus:
    """The corpus, recorded once per process (call it outside an event loop)."""
    return asyncio.run(record_corpus())


async def corpus_async() -> Corpus:
    """The corpus from inside a running event loop (recorded once per process)."""
    return await asyncio.to_thread(corpus)


# --- values --------------------------------------------------------------------------


class Raw:
    """A literal spliced into the wire text as is (orjson would not write it)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        more = "..." if len(self.text) > 30 else ""
        return f"Raw({self.text[:30]!r}{more} {len(self.text)} chars)"


_DELETE = object()
HUGE = "x" * 1_000_000
BIG = "9" * 100_000


def _nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def _nested_dict(depth: int) -> Any:
    value: Any = {"id": 1}
    for _ in range(depth):
        value = {"id": value, "score": value}
    return value


# Numbers any JSON decoder can give (orjson included).
JSON_NUMBERS: tuple[Any, ...] = (
    *(1e308, -1e308, 1.7976931348623157e308, 1e16, 1e30, 2**63 - 1, 2**64 - 1, -(2**63)),
    *(-1, -2, -1.5, -0.0, 0.5, 99.5, 1e-300, 0, 99, 100, 999, 1000, 9999, 10**6, 10**9),
    *(True, False),
)
JSON_STRINGS: tuple[str, ...] = (
    *("", " ", "inf", "-inf", "Infinity", "nan", "NaN", "1e308", "1e999", "-5", "-1"),
    *("0x10", "1_000", " 3 ", "\u0969", "9" * 400, "9" * 5000),  # U+0969: a Devanagari 3
    *("1;2", "1e308;1", "inf;0", "0;nan", "99999999999;0", "0;99999999999999999999"),
    *("-1;-1", ";", ";;;;", "a;b", "1;2;3", "1:2", "1-2", "\x00", "\u202e\u0000\ufeff"),
    *("\U0001f4a5" * 50, "Set 1", "Set 99999999999999999999", "Set " + "9" * 5000),
    *("match:1", "match:" + "9" * 400, "A", "B", "teamA", "home", "IN_PLAY", "HALF_TIME"),
    *("ENDED", "Halftime", "2nd Half", "Postponed", "goal", "match_end", "stats_update"),
    *("x" * 10_000, BIG, HUGE),
)
JSON_CONTAINERS: tuple[Any, ...] = (
    *({}, [], [[]], [None], [1, 2], ["1", "2"], {"id": 1}, {"id": {"id": {}}}),
    *({"home": 1e308, "away": -1}, {"teamA": "inf", "teamB": []}, [1e308, 1e308]),
    *(["9" * 5000, 1], [{}] * 1000, list(range(1000)), _nested(50), _nested_dict(12)),
)
DEEP: tuple[Any, ...] = (_nested(200), _nested(1000))
# What only a Python caller can pass (JSON cannot): the parsers must not mind either.
PY_ONLY: tuple[Any, ...] = (math.inf, -math.inf, math.nan, 10**400, -(10**400), 10**5000)
# Literals for the wire that orjson refuses, or reads in odd ways.
WIRE_RAW: tuple[Raw, ...] = (
    *(Raw("1e999"), Raw("-1e999"), Raw("1" + "0" * 400), Raw("NaN"), Raw("Infinity")),
    *(Raw("-0"), Raw("1E308"), Raw("0.0000000000000000000000000000001")),
    *(Raw("[" * 1030 + "]" * 1030), Raw("[" * 1000 + "]" * 1000)),
    *(Raw('{"a":' * 600 + "1" + "}" * 600), Raw('"\\ud800"'), Raw('"\\u0000"')),
    *(Raw("tru"), Raw('"unterminated'), Raw("[1,]"), Raw("01")),
)
# Keys where ids, numbers and score pairs live: mutated more often than others.
HOT_KEYS = frozenset(
    {
        *("id", "sportId", "competitionId", "competitorId", "playerId", "matchId"),
        *("leagueId", "eventId", "score", "redCards", "homeCompetitorScore"),
        *("awayCompetitorScore", "gameTime", "statusGroup", "statusText", "updateId", "ts"),
        *("games", "game", "events", "stages", "members", "eventType", "homeCompetitor"),
        *("awayCompetitor", "data", "finalScore", "score1h", "timer", "extraTimer", "team"),
        *("side", "status", "type", "eventType", "channel", "scope", "changedStats"),
        *("matches", "name", "order", "imageVersion", "teamA", "teamB", "startTime"),
        *("startDate", "minute", "yellowCards", "value", "stat", "justEnded"),
    }
)


def _replace(node: Any, path: tuple[Any, ...], index: int, op: Callable[[Any], Any]) -> Any:
    """A copy of `node` with `op` applied at `path`: only the containers on it are copied."""
    if index == len(path):
        return op(node)
    key = path[index]
    copy: Any = dict(node) if isinstance(node, dict) else list(node)
    new = _replace(node[key], path, index + 1, op)
    if new is _DELETE:
        del copy[key]
    else:
        copy[key] = new
    return copy


def _fmt(value: Any, depth: int = 0) -> str:
    """A short description of a value (cheap, whatever its size)."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"{value[:30]!r}...({len(value)} chars)"
    if isinstance(value, bool) or value is None or isinstance(value, float | Raw):
        return repr(value)
    if isinstance(value, int):
        return repr(value) if value.bit_length() < 64 else f"<int of {value.bit_length()} bits>"
    if isinstance(value, list | dict):
        if depth > 2:
            return "[...]" if isinstance(value, list) else "{...}"
        if isinstance(value, dict):
            inner = ", ".join(f"{k!r}: {_fmt(v, depth + 1)}" for k, v in list(value.items())[:4])
        else:
            inner = ", ".join(_fmt(v, depth + 1) for v in value[:4])
        more = f", ... {len(value)} items" if len(value) > 4 else ""
        return f"{{{inner}{more}}}" if isinstance(value, dict) else f"[{inner}{more}]"
    return type(value).__name__


Mutation = tuple[tuple[Any, ...], Any]  # (path, new value)


def describe(mutations: list[Mutation]) -> str:
    """What was done to a frame, e.g. `games/0/homeCompetitor/score = inf`."""
    text = "; ".join(
        "/".join(map(str, path)) + (" deleted" if value is _DELETE else f" = {_fmt(value)}")
        for path, value in mutations
    )
    return text if len(text) <= 400 else text[:397] + "..."


class Mutator:
    """Seeded mutations of corpus frames; `last` holds what the last one changed."""

    def __init__(self, seed: int, *, wire: bool = False) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible fuzzing, not secrets
        self.wire = wire
        if wire:
            deep: list[Any] = [Raw("[" * 200 + "1" + "]" * 200), WIRE_RAW[8], WIRE_RAW[9]]
            self.pool: list[Any] = [*JSON_NUMBERS, *JSON_STRINGS[:-1], *JSON_CONTAINERS]
            self.pool += [*WIRE_RAW, None]
            self.numbers: list[Any] = [*JSON_NUMBERS, *WIRE_RAW[:8]]
        else:
            deep = list(DEEP)
            self.pool = [*JSON_NUMBERS, *JSON_STRINGS, *JSON_CONTAINERS, *DEEP, *PY_ONLY, None]
            self.numbers = [*JSON_NUMBERS, *PY_ONLY]
        self.deep = deep
        self.last: list[Mutation] = []
        self.added: list[tuple[Any, int | None]] = []
        self.whole = False
        self._key_cache: dict[int, tuple[dict[Any, Any], list[Any]]] = {}

    def _keys(self, node: dict[Any, Any], corpus_node: bool) -> list[Any]:
        """The keys to choose from (HOT_KEYS where there are some), cached for corpus nodes."""
        if corpus_node:
            cached = self._key_cache.get(id(node))
            if cached is not None and cached[0] is node:
                return cached[1]
        keys = [k for k in node if k in HOT_KEYS] or list(node)
        if corpus_node:
            self._key_cache[id(node)] = (node, keys)  # holds the node: its id stays its own
        return keys

    def _path(self, frame: Any, corpus_node: bool) -> tuple[Any, ...]:
        """A random path into the frame, mostly through HOT_KEYS."""
        rng = self.rng
        hot = rng.random() < 0.7
        path: list[Any] = []
        node = frame
        while len(path) < 12:
            key: Any
            if isinstance(node, dict) and node:
                keys = self._keys(node, corpus_node) if hot else list(node)
                key = keys[int(rng.random() * len(keys))]
            elif isinstance(node, list) and node:
                key = int(rng.random() * min(len(node), 40))
            else:
                break
            path.append(key)
            node = node[key]
            if isinstance(node, dict | list) and rng.random() < 0.15:
                break  # the container itself
        return tuple(path)

    def _value(self, old: Any) -> tuple[Any, int | None]:
        """A new value for `old`, and its size when it is not a pooled value."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.35 and isinstance(old, int | float):
            return self.numbers[int(rng.random() * len(self.numbers))], None
        if roll < 0.45 and isinstance(old, str):
            return JSON_STRINGS[int(rng.random() * 40)], None
        if roll < 0.5 and isinstance(old, list) and old:
            # Many more items (linear work), up to MAX_ITEMS and MAX_GROWN bytes.
            size = value_size(old)
            times = (2, 10, 200)[int(rng.random() * 3)]
            times = max(1, min(times, MAX_ITEMS // len(old), MAX_GROWN // size))
            return old * times, times * size
        if roll < 0.55:
            if rng.random() < 0.5:
                return [old], value_size(old)
            return {"id": old, "value": old}, 2 * value_size(old)
        if roll < 0.58:
            return self.deep[int(rng.random() * len(self.deep))], None
        return self.pool[int(rng.random() * len(self.pool))], None

    def mutate(self, frame: Any) -> Any:
        """A mutated copy of a corpus frame (the corpus frame is never changed).

        Afterwards `last` says what changed, `added` holds each value put in (with
        its size when it is not pooled), and `whole` whether the frame was replaced.
        """
        rng = self.rng
        last: list[Mutation] = []
        added: list[tuple[Any, int | None]] = []
        self.last, self.added, self.whole = last, added, False
        out: Any = frame
        for _ in range(1 + int(rng.random() ** 2 * 3)):
            path = self._path(out, out is frame)
            if not path or rng.random() < 0.02:
                out = self.pool[int(rng.random() * len(self.pool))]  # the whole frame is junk
                last.append((("<frame>",), out))
                added[:] = [(out, None)]
                self.whole = True
                break
            if rng.random() < 0.15:
                out = _replace(out, path, 0, lambda _old: _DELETE)
                last.append((path, _DELETE))
                continue
            new, size = self._value(_get(out, path))
            out = _replace(out, path, 0, lambda _old, new=new: new)
            last.append((path, new))
            added.append((new, size))
        return out

    def wire_frame(self, frame: Any) -> str | bytes:
        """A mutated frame as the socket carries it: text, or bytes for a binary frame."""
        rng = self.rng
        if rng.random() >= 0.08:
            return encode(self.mutate(frame))
        text = encode(frame)
        choice = rng.randrange(7)
        kinds = ("truncated", "binary JSON", "binary garbage", "two frames", "empty")
        self.last = [(("<wire>",), (*kinds, "not an object", "garbage")[choice])]
        if choice == 0:
            return text[: rng.randrange(max(1, len(text)))]
        if choice == 1:
            return encode(self.mutate(frame)).encode()
        if choice == 2:
            return b"\xff\xfe\x00\x89PNG\r\n\x1a\n" + text.encode()[:50]
        if choice == 3:
            return text + text
        if choice == 4:
            return ""
        if choice == 5:
            return rng.choice(("null", "[]", "1", '"x"', "[{}]", "true"))
        return "\x00}{ not JSON ]"


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


def encode(frame: Any) -> str:
    """JSON text of a (mutated) frame, with `Raw` literals spliced in."""
    raws: list[str] = []

    def default(value: Any) -> str:
        if isinstance(value, Raw):
            raws.append(value.text)
            return f"@@raw{len(raws) - 1}@@"
        raise TypeError

    try:
        text = orjson.dumps(frame, default=default).decode()
    except orjson.JSONEncodeError:  # deeper than orjson writes: the standard library
        raws.clear()
        text = json.dumps(frame, default=default)
    for n, raw in enumerate(raws):
        text = text.replace(f'"@@raw{n}@@"', raw, 1)
    return text


# --- cost meter ----------------------------------------------------------------------


class Stall(Exception):
    """One frame ran more than `STALL_LIMIT` loop iterations in the feed package."""


def _feed_code() -> set[CodeType]:
    """Every code object of the feed package (functions, methods, nested code)."""
    codes: set[CodeType] = set()

    def add(code: CodeType) -> None:
        if code in codes or not code.co_filename.startswith(FEED_DIR):
            return
        codes.add(code)
        for const in code.co_consts:
            if isinstance(const, CodeType):
                add(const)

    def visit(obj: Any, seen: set[int]) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, staticmethod | classmethod):
            obj = obj.__func__
        if isinstance(obj, property):
            for part in (obj.fget, obj.fset, obj.fdel):
                if part is not None:
                    visit(part, seen)
        elif isinstance(obj, FunctionType):
            add(obj.__code__)
        elif isinstance(obj, type) and obj.__module__.startswith(feed_package.__name__):
            for value in vars(obj).values():
                visit(value, seen)

    for info in pkgutil.iter_modules(feed_package.__path__):
        module = importlib.import_module(f"{feed_package.__name__}.{info.name}")
        seen: set[int] = set()
        for value in vars(module).values():
            visit(value, seen)
    return codes


class CostMeter:
    """Counts loop iterations (backward jumps) in the feed package's code.

    Counting, not timing: a frame's count depends only on the frame and the state
    before it, whatever the machine. Only the feed package's code is instrumented
    (`sys.monitoring.set_local_events`), so the rest runs at full speed.
    """

    def __init__(self, limit: int = STALL_LIMIT) -> None:
        self.limit = limit
        self.count = 0
        self._tool: int | None = None
        self._codes: set[CodeType] = set()

    def _on_jump(self, _code: CodeType, _offset: int, _dest: int) -> None:
        self.count += 1
        if self.count == self.limit:
            raise Stall

    def __enter__(self) -> CostMeter:
        mon = sys.monitoring
        tool = next((t for t in (3, 4, 2, 0) if mon.get_tool(t) is None), None)
        if tool is None:
            return self  # every tool id taken: nothing is counted (see `active`)
        mon.use_tool_id(tool, "live_scores fuzz")
        self._tool = tool
        mon.register_callback(tool, mon.events.JUMP, self._on_jump)
        self._codes = _feed_code()
        for code in self._codes:
            mon.set_local_events(tool, code, mon.events.JUMP)
        return self

    def __exit__(self, *exc: object) -> None:
        tool = self._tool
        if tool is None:
            return
        mon = sys.monitoring
        for code in self._codes:
            mon.set_local_events(tool, code, 0)
        mon.register_callback(tool, mon.events.JUMP, None)
        mon.free_tool_id(tool)
        self._tool = None

    @property
    def active(self) -> bool:
        """Whether it counts (a free `sys.monitoring` tool id was found)."""
        return self._tool is not None


# --- harness -------------------------------------------------------------------------


def value_size(value: Any, limit: int = 1 << 14) -> int:
    """Roughly the bytes of JSON a value takes, up to about `limit` (walked, not written:
    orjson 3.11 corrupts its heap writing some frames nested about 250 deep)."""
    total = 0
    stack = [value]
    while stack and total < limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, dict):
            total += 2 + 4 * len(item) + sum(len(k) for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            total += 2 + len(item)
            stack.extend(item)
        elif isinstance(item, Raw):
            total += len(item.text)
        else:
            total += 8
    return total


class Sizes:
    """Frame sizes in bytes: a corpus frame's, plus the values its mutations put in.

    Corpus frames and pooled values live as long as the process: their sizes are
    cached by id. Deletions are not subtracted.
    """

    def __init__(self) -> None:
        self._known: dict[int, int] = {}

    def base(self, frame: Any) -> int:
        size = self._known.get(id(frame))
        if size is None:
            size = self._known[id(frame)] = len(orjson.dumps(frame))
        return size

    def pooled(self, value: Any) -> int:
        size = self._known.get(id(value))
        if size is None:
            size = self._known[id(value)] = value_size(value, 1 << 24)
        return size


def _key(value: Any) -> Any:
    """A game id usable as a dict key, as the client would use it (else None)."""
    if isinstance(value, str) and len(value) <= 64:
        return value
    if type(value) is int and -(2**63) <= value < 2**64:
        return value
    return None


class SapPath:
    """SportsAPIPro frames → `parse_game` per changed game → the tracker, as the client does."""

    def __init__(self) -> None:
        self.tracker = Tracker()
        self.raw: dict[Any, Any] = {}
        self.previous: dict[str, Match] = {}
        self.malformed = 0
        self.parsed = 0

    def feed(self, frame: Any) -> int:
        if not isinstance(frame, dict):
            self.malformed += 1
            return 0
        kind = frame.get("type")
        games: Any
        if kind == "scores":
            games = frame.get("games")
        elif kind == "match-update":
            games = [frame.get("game")]
        else:
            return 0
        if not isinstance(games, list):
            self.malformed += 1
            return 0
        update_id = frame.get("updateId")
        version = update_id if type(update_id) is int else None
        events = 0
        raw = self.raw
        for game in games:
            if not isinstance(game, dict):
                self.malformed += 1
                continue
            key = _key(game.get("id"))
            if key is not None:
                if raw.get(key) == game:
                    continue  # unchanged since the last frame (the client's diff)
                if len(raw) > 2000:
                    raw.clear()
                raw[key] = game
            self.parsed += 1
            if not self.parsed % 4:
                summarize(game)  # what pickers call (not on the hot path)
            previous = self.previous.get(str(key)) if key is not None else None
            match = parse_game(game, version, previous)
            if match is None:
                self.malformed += 1
                continue
            if len(self.previous) > 2000:
                self.previous.clear()
            self.previous[match.id] = match
            events += len(self.tracker.update(match))
        return events


class SfPath:
    """SoccerFootball frames → the merging parser → the tracker, as the client does."""

    def __init__(self) -> None:
        self.tracker = Tracker()
        self.parser = SoccerFootballParser()

    def feed(self, frame: Any) -> int:
        if not isinstance(frame, dict):
            return 0
        parser = self.parser
        tracker = self.tracker
        events = 0
        for match_id in parser.feed(frame):
            if match_id not in tracker and (pre := parser.take_pre_match(match_id)):
                events += len(tracker.update(pre))
            match = parser.match(match_id)
            if match is not None:
                events += len(tracker.update(match))
        if len(parser.states) > 2000:
            parser.forget_finished(1000)
        return events


def where(err: BaseException) -> str:
    """`file:line in function: source` of the innermost frame in custom_components."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if "custom_components" in f.filename] or frames
    if not ours:
        return "?"
    f = ours[-1]
    name = f.filename.split("custom_components/live_scores/")[-1]
    return f"{name}:{f.lineno} in {f.name}: {(f.line or '').strip()[:90]}"


@dataclass(slots=True)
class Escape:
    """Exceptions (or stalls) of one kind raised at one place."""

    kind: str
    where: str
    count: int = 0
    message: str = ""
    examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ProviderStats:
    """What one provider's frames did."""

    frames: int = 0
    events: int = 0
    max_events: int = 0
    max_events_frame: str = ""
    costs: list[float] = field(default_factory=list)  # loop iterations per KiB
    worst_cost: float = 0.0
    worst_ops: int = 0
    worst_frame: str = ""
    ops: int = 0


@dataclass(slots=True)
class Report:
    """The outcome of a fuzz run."""

    seed: int
    frames: int = 0
    counted: bool = False
    escapes: dict[tuple[str, str], Escape] = field(default_factory=dict)
    stats: dict[str, ProviderStats] = field(default_factory=dict)

    @property
    def escaped(self) -> int:
        """How many frames raised (or stalled)."""
        return sum(e.count for e in self.escapes.values())

    def median_cost(self, provider: str) -> float:
        costs = self.stats[provider].costs
        return statistics.median(costs) if costs else 0.0

    def lines(self) -> Iterator[str]:
        for provider, s in self.stats.items():
            yield f"{provider}: {s.frames} frames, {s.events} events, at most {s.max_events} from one frame"
            if s.max_events_frame:
                yield f"  most events: {s.max_events_frame}"
            if self.counted:
                yield (
                    f"  loop iterations per KiB: median {self.median_cost(provider):.1f}, "
                    f"costliest frame {s.worst_cost:.1f} ({s.worst_ops} iterations)"
                )
                if s.worst_frame:
                    yield f"  costliest: {s.worst_frame}"
        for e in sorted(self.escapes.values(), key=lambda e: -e.count):
            yield f"ESCAPE x{e.count} {e.kind} at {e.where}"
            if e.message:
                yield f"    message: {e.message}"
            for example in e.examples:
                yield f"    input: {example}"


class Fuzz:
    """Mutated corpus frames straight through both parsers and the tracker."""

    def __init__(self, seed: int, data: Corpus, *, count: bool = True) -> None:
        self.seed = seed
        self.corpus = data
        self.mutator = Mutator(seed)
        self.paths: dict[str, SapPath | SfPath] = {SAP: SapPath(), SF: SfPath()}
        self.report = Report(seed, stats={SAP: ProviderStats(), SF: ProviderStats()})
        self.count = count
        self.sizes = Sizes()
        # scripts/fuzz times each frame in the parsers with `clock` (never asserted).
        self.clock: Callable[[], float] | None = None
        self.took = 0.0
        self._next = {SAP: 0, SF: 0}

    def _escape(self, err: BaseException, mutations: list[Mutation]) -> None:
        kind = "STALL" if isinstance(err, Stall) else type(err).__name__
        key = (kind, where(err))
        escape = self.report.escapes.get(key)
        if escape is None:
            escape = self.report.escapes[key] = Escape(kind, key[1], message=str(err)[:120])
        escape.count += 1
        if len(escape.examples) < 3:
            escape.examples.append(describe(mutations) or "<unmutated>")

    def run(self, frames: int, progress: Callable[[int], None] | None = None) -> Report:
        """Feed `frames` mutated frames, the two providers' in turn; every 20,000 the
        trackers' saved state is checked too."""
        meter = CostMeter()
        if self.count:
            meter.__enter__()
        try:
            self.report.counted = meter.active
            counting = meter if meter.active else None
            for n in range(frames):
                self._one(SAP if n % 2 == 0 else SF, counting)
                if n % 20_000 == 19_999:
                    meter.count = 0
                    self.check_snapshots()
                    if progress is not None:
                        progress(n + 1)
        finally:
            meter.__exit__()
        return self.report

    def _one(self, provider: str, meter: CostMeter | None) -> None:
        frames = self.corpus.sap if provider == SAP else self.corpus.sf
        n = self._next[provider]
        self._next[provider] = (n + 1) % len(frames)
        mutator = self.mutator
        frame = mutator.mutate(frames[n])
        stats = self.report.stats[provider]
        if meter is not None:
            meter.count = 0
        events = 0
        clock = self.clock
        start = 0.0 if clock is None else clock()
        try:
            events = self.paths[provider].feed(frame)
        except Exception as err:  # noqa: BLE001 - an escape is what we look for
            if clock is not None:
                self.took = clock() - start
            self._escape(err, mutator.last)
        else:
            if clock is not None:
                self.took = clock() - start
        self.report.frames += 1
        stats.frames += 1
        stats.events += events
        if events > stats.max_events:
            stats.max_events = events
            stats.max_events_frame = describe(mutator.last)
        if meter is not None:
            ops = meter.count
            stats.ops += ops
            if ops:
                cost = ops * 1024 / self._size(frames[n])
                stats.costs.append(cost)
                if cost > stats.worst_cost:
                    stats.worst_cost, stats.worst_ops = cost, ops
                    stats.worst_frame = describe(mutator.last)
            else:
                stats.costs.append(0.0)

    def _size(self, base: Any) -> int:
        """The last mutated frame's size in bytes, at least 1 KiB (whatever its size, a
        frame may cost a little)."""
        sizes = self.sizes
        mutator = self.mutator
        total = 0 if mutator.whole else sizes.base(base)
        for value, size in mutator.added:
            total += sizes.pooled(value) if size is None else size
        return max(1024, total)

    def check_snapshots(self) -> None:
        """The trackers' saved state is still JSON (Home Assistant stores it so)."""
        for provider, path in self.paths.items():
            try:
                Tracker().restore(orjson.loads(orjson.dumps(path.tracker.snapshot())))
            except Exception as err:  # noqa: BLE001 - an escape is what we look for
                self._escape(err, [((provider,), "tracker snapshot")])


# --- the clients' own frame handlers (no socket) ---------------------------------------


class _Quiet:
    """A listener that only counts events."""

    def __init__(self) -> None:
        self.events = 0

    def on_matches(self, matches: Any) -> None:
        pass

    def on_events(self, events: Any) -> None:
        self.events += len(events)

    def on_connection(self, state: Any, error: Any) -> None:
        pass

    def on_state_changed(self) -> None:
        pass


class ClientPath:
    """A frame into a real client's frame handler, as `read_socket` hands it over.

    The client has no socket; it follows every match of the corpus. A `FeedError`
    (the server refused us) is not an escape: it is counted in `feed_errors`.
    Run it inside an event loop (the handlers may start tasks).
    """

    def __init__(self, provider: str, data: Corpus) -> None:
        self.listener = _Quiet()
        self.feed_errors = 0
        self.client: Any
        if provider == SAP:
            creds = Credentials(Provider.SPORTSAPIPRO, "fuzz")
            self.client = SportsAPIProClient(creds, None, self.listener)  # type: ignore[arg-type]
            self.client.set_targets(Targets(matches=data.sap_ids))
            self._handle: Callable[[Any], Any] = self.client._on_frame
        else:
            creds = Credentials(Provider.SOCCERFOOTBALL, "fuzz")
            self.client = SoccerFootballClient(creds, None, self.listener)  # type: ignore[arg-type]
            self.client.set_targets(Targets(matches=data.sf_ids))
            conn = Conn(WsToken("t", "wss://x.invalid/", 0.0), None)  # type: ignore[arg-type]
            handler = self.client._on_frame
            self._handle = lambda frame: handler(conn, frame)

    def feed(self, frame: Any) -> int:
        if not isinstance(frame, dict):
            return 0  # read_socket counts it as malformed
        before = self.listener.events
        try:
            pending = self._handle(frame)  # (at once, or what is left to await)
            if pending is not None:
                pending.send(None)
        except StopIteration:
            pass
        except FeedError:
            self.feed_errors += 1
        else:  # it waited for something: not expected of a frame handler without a socket
            if pending is not None:
                pending.close()
        return self.listener.events - before


class ClientFuzz(Fuzz):
    """`Fuzz` through the clients' frame handlers instead of the bare parsers."""

    def __init__(self, seed: int, data: Corpus, *, count: bool = True) -> None:
        super().__init__(seed, data, count=count)
        self.paths = {SAP: ClientPath(SAP, data), SF: ClientPath(SF, data)}  # type: ignore[dict-item]

    @override
    def check_snapshots(self) -> None:
        for provider, path in self.paths.items():
            try:
                snapshot = path.client.tracker_state()  # type: ignore[union-attr]
                Tracker().restore(orjson.loads(orjson.dumps(snapshot)))
            except Exception as err:  # noqa: BLE001 - an escape is what we look for
                self._escape(err, [((provider,), "tracker snapshot")])
