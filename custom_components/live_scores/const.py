"""Constants for Live Scores."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "live_scores"

CONF_PROVIDER: Final = "provider"
CONF_ACCESS: Final = "access"
CONF_MATCH_ID: Final = "match_id"
CONF_TEAM: Final = "team"

PROVIDER_SPORTSAPIPRO: Final = "sportsapipro"
PROVIDER_SOCCERFOOTBALL: Final = "soccerfootball"

ACCESS_DIRECT: Final = "direct"
ACCESS_RAPIDAPI: Final = "rapidapi"

SUBENTRY_MATCH: Final = "match"
SUBENTRY_TEAM: Final = "team"
