"""SportsAPIPro (365Scores-style) game objects → `Match`.

Every quirk of the format stays here: scores of -1 before play, float scores,
the two readings of `statusGroup`, tennis stages, goal events with members.

Every reader is total: nothing here raises on bad input, whatever JSON can
hold, and the work done is linear in the size of the game object. A game whose
id, sport, teams, scores or red cards cannot be read is malformed and gives
None (the client counts and skips it); a bad optional value (a minute, a name,
a colour, one event or stage) is left out. Ids are ints or strings, texts are
bounded, and numbers are finite, not negative and plausible: the readers and
their ceilings are in `sportsapipro_values.py`, goal events in
`sportsapipro_scorers.py`.
"""

from collections.abc import Container
from typing import Any, override

from .api import GameSummary
from .model import Match, Provider, Sport, Status, Team
from .sportsapipro_fields import (
    read_clock,
    read_periods,
    read_round,
    read_start,
    read_status,
    read_team,
    sport_of,
    stage_ceiling,
)
from .sportsapipro_scorers import read_scorers, read_scorers_after
from .sportsapipro_values import (
    MAX_MINUTE,
    Malformed,
    id_text,
    number,
    optional_id,
    required_id,
    same,
    short_text,
)


class _Nothing(dict[str, Any]):
    """The last object of a game read for the first time: none of its values are seen."""

    @override
    def get(self, key: str, default: Any = None) -> Any:
        return _UNSEEN


_UNSEEN = object()  # `same` as nothing
_NOTHING = _Nothing()
_NO_TEAM = Team(id="", name="")
# What a game read for the first time is compared with (nothing of it is reused).
_NO_MATCH = Match(
    provider=Provider.SPORTSAPIPRO,
    id="",
    sport=Sport.FOOTBALL,
    home=_NO_TEAM,
    away=_NO_TEAM,
    status=Status.UNKNOWN,
)


class ParseCache:
    """Each followed game's last object and what it gave, to read the next one faster.

    A game's next object mostly differs from the last in its clock and perhaps
    a score: the teams, events and stages that are as they were give what they
    gave (compared whole, at C speed), and only the rest is read again. The
    result is always what a full read would give.
    """

    def __init__(self) -> None:
        self._last: dict[str, tuple[dict[str, Any], Match]] = {}

    def get(self, game_id: str) -> tuple[dict[str, Any], Match] | None:
        """The last object of a game and its `Match`."""
        return self._last.get(game_id)

    def put(self, game_id: str, game: dict[str, Any], match: Match) -> None:
        """Keep a game's object and what it gave (never changed in place)."""
        self._last[game_id] = (game, match)

    def keep_only(self, game_ids: Container[str]) -> None:
        """Forget the games not in `game_ids`."""
        self._last = {k: v for k, v in self._last.items() if k in game_ids}

    def __len__(self) -> int:
        return len(self._last)


def parse_game(
    game: Any,
    version: int | None = None,
    previous: Match | None = None,
    cache: ParseCache | None = None,
) -> Match | None:
    """Build a `Match` from a game object; None if it is not one.

    `previous` supplies what a list payload leaves out (`events`, `stages`);
    `cache` is the client's `ParseCache` (it takes the result).
    """
    try:
        match = _parse_game(game, version, previous, cache)
    except Malformed:
        return None
    if cache is not None and match is not None:
        cache.put(match.id, game, match)
    return match


def _parse_game(
    game: Any, version: int | None, previous: Match | None, cache: ParseCache | None
) -> Match | None:
    """A game object → `Match`, reusing what its unchanged values gave last time.

    Each value is compared with the last object's (`same`: equal, of the same
    types); only what changed is read again, so the result is the one a full
    read gives. A game not read before (or of another sport now) is read whole.
    """
    sport = sport_of(game)
    if sport is None:
        return None
    game_id = required_id(game.get("id"))
    last = cache.get(game_id) if cache is not None else None
    if last is None or last[1].sport is not sport:
        last = (_NOTHING, _NO_MATCH)
    old, was = last
    get, old_get = game.get, old.get
    raw = get("homeCompetitor")
    home = was.home if same(raw, old_get("homeCompetitor")) else read_team(raw, sport)
    raw = get("awayCompetitor")
    away = was.away if same(raw, old_get("awayCompetitor")) else read_team(raw, sport)
    text, group, ended = get("statusText"), get("statusGroup"), get("justEnded")
    if (
        same(text, old_get("statusText"))
        and same(group, old_get("statusGroup"))
        and same(ended, old_get("justEnded"))
    ):
        status, status_text = was.status, was.status_text
    else:
        status, status_text = read_status(group, text, ended), short_text(text)
    same_teams = was.home.id == home.id and was.away.id == away.id
    if "events" in game or previous is None:
        if same_teams and "events" in old:
            scorers = read_scorers_after(game, home.id, away.id, old, was.scorers)
        else:
            scorers = read_scorers(game, home.id, away.id)
    else:
        scorers = previous.scorers
    if "stages" in game or previous is None:
        stages = get("stages")
        if "stages" in old and same(stages, old["stages"]):
            periods = was.periods
        else:
            periods = read_periods(stages, stage_ceiling(sport))
    else:
        periods = previous.periods
    short = get("shortStatusText")
    if same(short, old_get("shortStatusText")) and same(text, old_get("statusText")):
        period = was.period
    else:
        period = short_text(short) or short_text(text)
    raw = get("competitionDisplayName")
    competition = (
        was.competition if same(raw, old_get("competitionDisplayName")) else short_text(raw)
    )
    raw = get("competitionId")
    competition_id = was.competition_id if same(raw, old_get("competitionId")) else optional_id(raw)
    raw = get("startTime")
    start = was.start if same(raw, old_get("startTime")) else read_start(raw)
    raw = get("venue")
    if same(raw, old_get("venue")):
        venue = was.venue
    else:
        venue = short_text(raw.get("name")) if isinstance(raw, dict) else None
    if (
        same(get("roundName"), old_get("roundName"))
        and same(get("stageName"), old_get("stageName"))
        and same(get("roundNum"), old_get("roundNum"))
    ):
        round_ = was.round
    else:
        round_ = read_round(game)
    return Match(
        provider=Provider.SPORTSAPIPRO,
        id=game_id,
        sport=sport,
        home=home,
        away=away,
        status=status,
        status_text=status_text,
        competition=competition,
        competition_id=competition_id,
        start=start,
        clock=read_clock(game, status),
        minute=number(get("gameTime"), MAX_MINUTE) if status is Status.LIVE else None,
        period=period,
        venue=venue,
        round=round_,
        periods=periods,
        scorers=scorers,
        version=version,
    )


def summarize(game: Any) -> GameSummary | None:
    """A cheap `GameSummary` of a game object; None if it is not one."""
    sport = sport_of(game)
    if sport is None:
        return None
    home = game.get("homeCompetitor")
    away = game.get("awayCompetitor")
    if not isinstance(home, dict) or not isinstance(away, dict):
        return None
    game_id = id_text(game.get("id"))
    home_id = id_text(home.get("id"))
    away_id = id_text(away.get("id"))
    if game_id is None or home_id is None or away_id is None:
        return None
    competition_id = id_text(game.get("competitionId"))
    status = read_status(game.get("statusGroup"), game.get("statusText"), game.get("justEnded"))
    return GameSummary(
        id=game_id,
        sport=sport,
        home_id=home_id,
        home=short_text(home.get("name")) or home_id,
        away_id=away_id,
        away=short_text(away.get("name")) or away_id,
        competition=short_text(game.get("competitionDisplayName")),
        competition_id=competition_id,
        start=short_text(game.get("startTime")),
        status=status.value,
    )
