"""Constants for Live Scores."""

import logging
from typing import Final

DOMAIN: Final = "live_scores"
LOGGER: Final = logging.getLogger(__package__)

CONF_PROVIDER: Final = "provider"
CONF_ACCESS: Final = "access"
CONF_MATCH_ID: Final = "match_id"
CONF_TEAM: Final = "team"
CONF_TEAM_ID: Final = "team_id"
CONF_TEAM_NAME: Final = "team_name"
CONF_COMPETITION: Final = "competition"
CONF_COMPETITION_ID: Final = "competition_id"
CONF_SPORT: Final = "sport"
# Per followed target: hold back its events (and optionally its sensors) by seconds.
CONF_SPOILER_DELAY: Final = "spoiler_delay"
CONF_DELAY_SCOREBOARD: Final = "delay_scoreboard"
MAX_SPOILER_DELAY: Final = 300

PROVIDER_SPORTSAPIPRO: Final = "sportsapipro"
PROVIDER_SOCCERFOOTBALL: Final = "soccerfootball"
PROVIDERS: Final = (PROVIDER_SPORTSAPIPRO, PROVIDER_SOCCERFOOTBALL)
PROVIDER_NAMES: Final = {
    PROVIDER_SPORTSAPIPRO: "SportsAPIPro",
    PROVIDER_SOCCERFOOTBALL: "SoccerFootball.info",
}

ACCESS_DIRECT: Final = "direct"
ACCESS_RAPIDAPI: Final = "rapidapi"

# Config entry unique ids (entry minor version 2). The account, where the service
# names it (a hash: SportsAPIPro's email, SoccerFootball.info's token reference);
# else (RapidAPI) a hash of the key, which any working key may replace.
UNIQUE_ID_ACCOUNT: Final = "{provider}:account:{account_id}"
UNIQUE_ID_KEY: Final = "{provider}:key:{key_hash}"

# The services' default URLs, and the URL schemes each takes, are the feed's:
# `feed.DEFAULT_URLS`, `feed.default_url`, `feed.is_default_url`, `feed.url_accepted`.

SUBENTRY_MATCH: Final = "match"
SUBENTRY_TEAM: Final = "team"
SUBENTRY_COMPETITION: Final = "competition"

# Bus events for automations.
EVENT_GOAL: Final = "live_scores_goal"
EVENT_MATCH_EVENT: Final = "live_scores_match_event"

SERVICE_FIRE_TEST_EVENT: Final = "fire_test_event"
ATTR_SCORING_SIDE: Final = "scoring_side"

STORAGE_VERSION: Final = 1
STORAGE_KEY: Final = "live_scores.{entry_id}"
# Tracker state is written at most this often (and always at unload and stop).
SAVE_DELAY: Final = 10

ISSUE_QUOTA: Final = "quota_exceeded_{entry_id}"
ISSUE_PLAN: Final = "plan_not_supported_{entry_id}"
