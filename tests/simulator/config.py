"""Configuration: variants for every open protocol question, plans, credentials."""

from dataclasses import dataclass, field
from typing import Literal

HOST = "127.0.0.1"  # the simulator never binds or talks to anything else

# Default credentials (also exposed as Simulator class constants).
SAP_KEY = "sap-test-key-pro"
SAP_KEY_FREE = "sap-test-key-free"
SAP_KEY_SUSPENDED = "sap-test-key-suspended"
# A second key of SAP_KEY's account (e.g. after regenerating it), and a key of
# another account: `/status` names the account only by its email [doc].
SAP_KEY_2 = "sap-test-key-pro-2"
SAP_KEY_OTHER = "sap-test-key-other"
SAP_EMAIL = "dev@example.invalid"
SF_TOKEN = "sf-test-token-ultra"
SF_TOKEN_PRO = "sf-test-token-pro"
SF_TOKEN_MEGA = "sf-test-token-mega"
SF_TOKEN_BASIC = "sf-test-token-basic"  # no WebSocket access
SF_RAPIDAPI_KEY = "sf-rapidapi-key-ultra"
# A second direct token of SF_TOKEN's account (same `reference` in
# /v1/token/status), a token of another account, a second RapidAPI key.
SF_TOKEN_2 = "sf-test-token-ultra-2"
SF_TOKEN_OTHER = "sf-test-token-other"
SF_RAPIDAPI_KEY_2 = "sf-rapidapi-key-ultra-2"
SF_REFERENCE = "dev@example.invalid"
SF_RAPIDAPI_HOST = "soccer-football-info.p.rapidapi.com"

SF_CHANNELS = ("MAIN", "STATS", "ODDS", "MAIN_REALTIME", "STATS_REALTIME", "ODDS_REALTIME")


@dataclass(slots=True)
class Variants:
    """One switch per open question in PROTOCOLS.md section 3."""

    # Q2: `scores.games[]` holds every game of the channel ("full") or only changed ones.
    sap_games: Literal["full", "changed"] = "full"
    # Q1: bad/revoked key on the socket: HTTP 401 at the upgrade ("http"), or the
    # upgrade succeeds and the server closes with 4001 "Unauthorized" ("close") [guess].
    sap_bad_key: Literal["http", "close"] = "http"
    # Q4: statusGroup table. "doc": 1 upcoming, 2 postponed/cancelled, 3 live, 4 ended.
    # "seen": 2 scheduled, 3 live, 4 ended and postponed/cancelled (told apart by statusText).
    sap_status_groups: Literal["doc", "seen"] = "doc"
    # Q3: `events` (and `stages`) in `match-update.game`.
    sap_update_events: bool = True
    # `events` in the games of `scores` frames.
    sap_scores_events: bool = False
    # `match:{id}` subscribe answered at once with a `match-update` carrying the
    # current game (True), or nothing until the game changes (False) [undocumented].
    sap_match_snapshot: bool = False
    # Q5: a WebSocket connection costs one request of the daily quota.
    sap_ws_counts_quota: bool = False
    # Q7: expired SoccerFootball token on an open socket: close 4001 "Token expired"
    # ("close") or an error frame TOKEN_EXPIRED followed by close 1008 ("error") [guess].
    sf_token_expiry: Literal["close", "error"] = "close"
    # Q6: /v1/ws/renew extends the same token ("same") or issues a new one ("new");
    # with "new" the old token keeps working until its own expiry.
    sf_renew: Literal["same", "new"] = "same"
    # MAIN payloads: "doc" = the documented data fields (goal {score, timer, team "A"|"B"},
    # halftime / second_half_start {score}, match_end {finalScore, score1h}); "legacy" = the
    # simulator's older guesses (goal {team {id, name}, side, minute, player, kind, score},
    # the others {score, minute}).
    sf_main_shape: Literal["doc", "legacy"] = "doc"
    # The MAIN `goal` event carries the new score in `data` (either shape).
    sf_goal_score: bool = True
    # The doc-shape MAIN `goal` also carries an (undocumented, optional) `player` name.
    sf_goal_scorer: bool = False
    # STATS `stats_update` for a league-scope subscription: "league" = scope "league", `id` =
    # the league id and no match id anywhere (the documented reading); "match_id" = `id` = the
    # match id plus `leagueId` (the simulator's older guess); "data" = `id` = the league id and
    # `data.matchId` = the match.
    sf_league_stats: Literal["league", "match_id", "data"] = "league"
    # Q7: connection beyond max_connections: HTTP 429 at upgrade ("http"), close 4008
    # "Too many connections" ("close"), or error frame CONNECTION_LIMIT then close ("error").
    sf_connection_limit: Literal["http", "close", "error"] = "error"


@dataclass(frozen=True, slots=True)
class SapPlan:
    name: str
    daily_limit: int


SAP_PLANS = {
    "Free": SapPlan("Free", 100),
    "Pro": SapPlan("Pro", 7500),
    "Ultra": SapPlan("Ultra", 75000),
    "Mega": SapPlan("Mega", 150000),
}


@dataclass(frozen=True, slots=True)
class SfPlan:
    name: str
    ws: bool  # may create WebSocket tokens (PRO and above)
    max_connections: int
    max_subscribe_per_connection: int
    allowed_channels: tuple[str, ...]
    hourly_limit: int


SF_PLANS = {
    "BASIC": SfPlan("BASIC", False, 0, 0, (), 100),
    "PRO": SfPlan("PRO", True, 2, 2, ("MAIN",), 1000),
    "ULTRA": SfPlan("ULTRA", True, 3, 5, ("MAIN", "STATS", "ODDS"), 5000),
    "MEGA": SfPlan("MEGA", True, 5, 20, SF_CHANNELS, 20000),
}


def _sap_keys() -> dict[str, str]:
    return {
        SAP_KEY: "Pro",
        SAP_KEY_2: "Pro",
        SAP_KEY_OTHER: "Pro",
        SAP_KEY_FREE: "Free",
        SAP_KEY_SUSPENDED: "Pro",
    }


def _sap_emails() -> dict[str, str]:
    return {
        SAP_KEY: SAP_EMAIL,
        SAP_KEY_2: SAP_EMAIL,
        SAP_KEY_OTHER: "other@example.invalid",
        SAP_KEY_FREE: "free@example.invalid",
        SAP_KEY_SUSPENDED: "suspended@example.invalid",
    }


def _sf_tokens() -> dict[str, str]:
    return {
        SF_TOKEN: "ULTRA",
        SF_TOKEN_2: "ULTRA",
        SF_TOKEN_OTHER: "ULTRA",
        SF_TOKEN_PRO: "PRO",
        SF_TOKEN_MEGA: "MEGA",
        SF_TOKEN_BASIC: "BASIC",
    }


def _sf_references() -> dict[str, str]:
    return {
        SF_TOKEN: SF_REFERENCE,
        SF_TOKEN_2: SF_REFERENCE,
        SF_TOKEN_OTHER: "other@example.invalid",
        SF_TOKEN_PRO: "pro@example.invalid",
        SF_TOKEN_MEGA: "mega@example.invalid",
        SF_TOKEN_BASIC: "basic@example.invalid",
    }


def _sf_rapidapi_keys() -> dict[str, str]:
    return {SF_RAPIDAPI_KEY: "ULTRA", SF_RAPIDAPI_KEY_2: "ULTRA"}


@dataclass(slots=True)
class SimConfig:
    """Everything a Simulator needs. All times are seconds."""

    port: int = 0
    # Match seconds per wall second (60: a 90-minute match in 90 s).
    time_factor: float = 1.0
    # Manual clock: time only moves on `await sim.advance(s)`; no background loop.
    manual_clock: bool = False
    variants: Variants = field(default_factory=Variants)
    # SoccerFootball WebSocket token lifetime, wall seconds.
    token_ttl: float = 1500.0
    # key -> plan name (SAP_PLANS / SF_PLANS).
    sap_keys: dict[str, str] = field(default_factory=_sap_keys)
    # key -> the account's email in `/status` (keys of one account share it; a key
    # missing here gets an address of its own).
    sap_emails: dict[str, str] = field(default_factory=_sap_emails)
    sap_suspended: set[str] = field(default_factory=lambda: {SAP_KEY_SUSPENDED})
    sf_tokens: dict[str, str] = field(default_factory=_sf_tokens)
    # direct token -> `reference` in /v1/token/status (tokens of one account share it).
    sf_references: dict[str, str] = field(default_factory=_sf_references)
    sf_rapidapi_keys: dict[str, str] = field(default_factory=_sf_rapidapi_keys)
    # Path the SoccerFootball socket is advertised at in `server` ("/" or "/sf/ws").
    sf_ws_path: str = "/"
    # Real-time mode: floor of the `scores` cadence in wall seconds after scaling
    # (1 s live / 2 s idle, divided by time_factor).
    min_push_interval: float = 0.05
    # STATS `all` scope `batch_update` period, match seconds (scaled like the cadence).
    sf_batch_interval: float = 30.0
    # MAIN and STATS are separate sources with their own latency, in match seconds.
    # Positive: STATS frames go out that long after the state they describe (after MAIN's
    # frames of the same moment); negative: MAIN events go out |lag| late. Change it at run
    # time with Simulator.set_stats_lag() or POST /_control/stats_lag {"seconds"}.
    sf_stats_lag: float = 0.0
    # Seed for everything random (stats, auto scoring, firehose).
    seed: int = 1
