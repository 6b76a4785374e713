"""The ha-teamtracker-card attribute contract, pinned for three sports."""

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.live_scores.feed.model import (
    Match,
    PeriodScore,
    Provider,
    Sport,
    Status,
    Team,
)
from custom_components.live_scores.teamtracker import (
    ATTRIBUTE_KEYS,
    UNRECORDED_ATTRIBUTES,
    card_attributes,
    card_state,
)
from custom_components.live_scores.teamtracker_plays import last_score_text

NOW = datetime(2026, 4, 4, 15, 0, tzinfo=UTC)

# Exactly the keys the card reads (ha-teamtracker's sensor attributes).
CONTRACT = {
    "sport", "league", "league_logo", "team_abbr", "opponent_abbr", "event_name", "date",
    "kickoff_in", "venue", "location", "tv_network", "odds", "overunder", "quarter", "clock",
    "possession", "last_play", "down_distance_text", "outs", "balls", "strikes", "on_first",
    "on_second", "on_third", "series_summary", "event_url", "api_message", "last_update",
    *(
        f"{who}_{key}"
        for who in ("team", "opponent")
        for key in (
            "id", "name", "long_name", "abbr", "logo", "url", "colors", "score", "homeaway",
            "record", "rank", "winner", "timeouts", "win_probability", "shots_on_target",
            "total_shots", "sets_won",
        )
    ),
}  # fmt: skip


def football(status: Status = Status.LIVE, home: int | None = 1, away: int | None = 2) -> Match:
    return Match(
        provider=Provider.SPORTSAPIPRO,
        id="4467358",
        sport=Sport.FOOTBALL,
        home=Team("142", "Mallorca", "Mallorca", "MLL", home, "#D40034", "https://x/142", 0),
        away=Team("131", "Real Madrid", None, "RMA", away, None, None, 1),
        status=status,
        status_text="2nd Half",
        competition="LaLiga",
        start=NOW - timedelta(minutes=70),
        clock="67'",
        minute=67,
        period="2nd Half",
        venue="Estadi Mallorca Son Moix",
    )


def test_keys_are_exactly_the_contract() -> None:
    assert set(ATTRIBUTE_KEYS) == CONTRACT
    attrs = card_attributes(football(), "131", now=NOW, last_update=NOW)
    assert set(attrs) == CONTRACT
    assert set(card_attributes(None, "131", now=NOW, last_update=None)) == CONTRACT
    assert UNRECORDED_ATTRIBUTES <= CONTRACT


def test_football_from_the_away_team() -> None:
    attrs = card_attributes(football(), "131", now=NOW, last_update=NOW)
    assert attrs["sport"] == "soccer"
    assert attrs["league"] == "LaLiga"
    assert attrs["event_name"] == "RMA @ MLL"
    assert attrs["date"] == "2026-04-04T13:50:00+00:00"
    assert attrs["kickoff_in"] == "1 hour ago"
    assert attrs["clock"] == "67'"
    assert attrs["quarter"] == 2
    assert attrs["venue"] == "Estadi Mallorca Son Moix"
    assert attrs["team_id"] == "131"
    assert attrs["team_name"] == "Real Madrid"
    assert attrs["team_long_name"] == "Real Madrid"
    assert attrs["team_abbr"] == "RMA"
    assert attrs["team_score"] == "2"
    assert attrs["team_homeaway"] == "away"
    # No colour: a default one that shows on a light card.
    assert attrs["team_colors"] == ["#8C4A4A", "#8C4A4A"] or attrs["team_colors"] == ["#4A6FA5"] * 2
    assert attrs["opponent_abbr"] == "MLL"
    assert attrs["opponent_score"] == "1"
    assert attrs["opponent_colors"] == ["#D40034", "#D40034"]
    assert attrs["opponent_logo"] == "https://x/142"
    assert attrs["opponent_homeaway"] == "home"
    assert attrs["team_winner"] is None
    assert attrs["last_update"] == NOW.isoformat()
    assert card_state(football()) == "IN"


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (Status.SCHEDULED, "PRE"),
        (Status.LIVE, "IN"),
        (Status.BREAK, "IN"),
        (Status.FINISHED, "POST"),
        (Status.POSTPONED, "POST"),
        (Status.CANCELLED, "POST"),
    ],
)
def test_states(status: Status, state: str) -> None:
    assert card_state(football(status)) == state


def test_not_found() -> None:
    assert card_state(None) == "NOT_FOUND"
    attrs = card_attributes(None, "131", now=NOW, last_update=None)
    # The card shows "No upcoming games through <date>" for a message ending in a time.
    assert (
        attrs["api_message"] == "No current or upcoming match in the feed as of 2026-04-04T15:00Z"
    )
    assert attrs["team_abbr"] == "—"
    assert attrs["team_score"] is None
    named = card_attributes(None, None, now=NOW, last_update=None, followed_name="Lazio")
    assert (named["team_abbr"], named["team_name"]) == ("LAZ", "Lazio")


def test_winner_after_full_time_and_scores_before_kickoff() -> None:
    attrs = card_attributes(football(Status.FINISHED), "131", now=NOW, last_update=None)
    assert attrs["team_winner"] is True
    assert attrs["opponent_winner"] is False
    upcoming = football(Status.SCHEDULED, None, None)
    later = card_attributes(upcoming, None, now=NOW - timedelta(hours=2), last_update=None)
    assert later["team_score"] is None
    assert later["team_homeaway"] == "home"
    assert later["kickoff_in"] == "in 50 minutes"


def test_basketball() -> None:
    match = Match(
        provider=Provider.SPORTSAPIPRO,
        id="77",
        sport=Sport.BASKETBALL,
        home=Team("1", "Boston Celtics", "Celtics", "BOS", 88),
        away=Team("2", "Los Angeles Lakers", "Lakers", None, 91),
        status=Status.LIVE,
        clock="4:12",
        period="3rd Quarter",
    )
    attrs = card_attributes(match, "1", now=NOW, last_update=None)
    assert attrs["sport"] == "basketball"
    assert attrs["quarter"] == 3
    assert attrs["clock"] == "4:12"
    assert attrs["team_score"] == "88"
    assert attrs["opponent_score"] == "91"
    assert attrs["opponent_abbr"] == "LOS"
    assert attrs["team_name"] == "Celtics"
    # No start time: the card still gets a date to show.
    assert attrs["date"] == NOW.isoformat()
    assert attrs["kickoff_in"] is None
    assert attrs["team_shots_on_target"] == 0


def test_tennis_shows_games_of_the_set_and_sets_won() -> None:
    match = Match(
        provider=Provider.SPORTSAPIPRO,
        id="9",
        sport=Sport.TENNIS,
        home=Team("10", "Carlos Alcaraz", "Alcaraz", "ALC", 1),
        away=Team("11", "Jannik Sinner", "Sinner", "SIN", 0),
        status=Status.LIVE,
        status_text="Set 2",
        period="Set 2",
        periods=(
            PeriodScore("Set 1", 6, 4),
            PeriodScore("Set 2", 3, 2),
            PeriodScore("Set 3", -1, -1),
        ),
    )
    attrs = card_attributes(match, "11", now=NOW, last_update=None)
    assert attrs["sport"] == "tennis"
    assert attrs["team_sets_won"] == 0
    assert attrs["opponent_sets_won"] == 1
    assert attrs["team_score"] == "2"
    assert attrs["opponent_score"] == "3"
    assert attrs["last_play"] == "Set 1: 4-6; Set 2: 2-3"
    assert attrs["quarter"] == 2
    # The card titles tennis with `event_name` and shows the round from down_distance_text.
    assert (attrs["event_name"], attrs["down_distance_text"]) == ("SIN @ ALC", "Match")
    assert attrs["team_id"] == "sportsapipro-11"
    finished = card_attributes(
        Match(**{**{f: getattr(match, f) for f in match.__slots__}, "status": Status.FINISHED}),
        "10",
        now=NOW,
        last_update=None,
    )
    assert finished["team_score"] == "1"
    assert finished["team_winner"] is True


def test_last_score_where_no_scorer_is_named() -> None:
    before = Match(
        provider=Provider.SPORTSAPIPRO,
        id="77",
        sport=Sport.BASKETBALL,
        home=Team("1", "Boston Celtics", "Celtics", "BOS", 88),
        away=Team("2", "Los Angeles Lakers", "Lakers", "LAL", 91),
        status=Status.LIVE,
    )
    after = Match(
        **{
            **{f: getattr(before, f) for f in before.__slots__},
            "home": Team("1", "Boston Celtics", "Celtics", "BOS", 91),
        }
    )
    assert last_score_text(before, after) == "Last score: BOS +3"
    assert last_score_text(after, after) is None
    assert last_score_text(None, after) is None
    attrs = card_attributes(after, "2", now=NOW, last_update=None, last_score="Last score: BOS +3")
    assert attrs["last_play"] == "Last score: BOS +3"
    # A colour without "#" is one; a white one would not show on a light card.
    light = Team("1", "A", colour="FFFFFF")
    dark = Team("2", "B", colour="112233")
    coloured = Match(
        **{**{f: getattr(before, f) for f in before.__slots__}, "home": light, "away": dark}
    )
    attrs = card_attributes(coloured, "1", now=NOW, last_update=None)
    assert attrs["team_colors"] == ["#4A6FA5"] * 2
    assert attrs["opponent_colors"] == ["#112233"] * 2
