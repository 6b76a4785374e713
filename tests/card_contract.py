"""What ha-teamtracker-card v0.14.17 prints from the scoreboard's attributes, per sport.

Derived from the card's source (`src/set_defaults.js`, `src/set_sports.js`,
`src/render_*.js`; the built file is vendored at
../shared/vendor/ha-teamtracker-card/ha-teamtracker-card.js):

- `STRINGIFIED`: attributes the card turns into text with `String(x)` or `+`, so
  that None prints "null";
- `FILLED`: attributes it fills into a phrase as they are (`translate(key, "%s", x)`),
  so that None or "" leaves "%s";
- `render_texts()`: the texts each state's view shows, computed as the card does.

`tests/test_card_text.py` checks this list against the vendored card when it is
there, and our attributes against these texts for every sport and state.
"""

from datetime import datetime
import math
from typing import Any

CARD_VERSION = "v0.14.17"

# By the card's sport name; "default" is every sport the card has no branch for
# (handball, rugby, American football's "football" has phrases but no branch).
STRINGIFIED: dict[str, frozenset[str]] = {
    "default": frozenset({"clock"}),  # finalTerm: clock + " - " + date
    "baseball": frozenset({"balls", "strikes", "outs"}),
    "hockey": frozenset({"team_shots_on_target", "opponent_shots_on_target"}),
    "soccer": frozenset(
        {
            "team_total_shots",
            "team_shots_on_target",
            "opponent_total_shots",
            "opponent_shots_on_target",
        }
    ),
    "tennis": frozenset(
        {
            "team_id",  # photo links: ESPN's host + id + ".png"
            "opponent_id",
            "clock",
            "down_distance_text",
            "team_score",
            "opponent_score",
            "team_shots_on_target",
            "opponent_shots_on_target",
        }
    ),
    "volleyball": frozenset({"team_score", "opponent_score"}),
}
FILLED: dict[str, frozenset[str]] = {
    "tennis": frozenset({"clock"}),
    "volleyball": frozenset({"clock"}),
}
# The sports of set_sports.js (others fall back to the defaults).
CARD_SPORTS = frozenset(
    {"baseball", "basketball", "cricket", "golf", "hockey", "mma", "racing", "soccer"}
    | {"tennis", "volleyball"}
)
# Phrases of the card's English translation that we meet.
_PHRASES = {
    "baseball": ("Balls %s", "Strikes %s", "%s Outs", "Win Probability", "%s%"),
    "hockey": (None, None, None, "Shots on Goal", "%s"),
    "soccer": (None, None, None, "Shots (On Target)", "%s"),
    "tennis": (None, None, None, "%s", "%s"),
    "volleyball": (None, None, None, "%s Score", "%s"),
}
_DEFAULT_PHRASES = ("%s", "%s", "", "Win Probability", "%s%")


def js_string(value: Any) -> str:
    """JavaScript's String(value)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, list):
        return ",".join("" if v is None else js_string(v) for v in value)
    return str(value)


def _truthy(value: Any) -> bool:
    return value not in (None, "", 0, False) and not (
        isinstance(value, float) and math.isnan(value)
    )


def translate(phrase: str, replace: Any) -> str:
    """The card's translate(key, "%s", replace): nothing is filled for a falsy value."""
    if not _truthy(replace):
        return phrase
    return phrase.replace("%s", replace if isinstance(replace, str) else js_string(replace), 1)


def _date(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _short_date(value: Any) -> str:
    when = _date(value)
    return "Invalid Date" if when is None else when.strftime("%b %d")


def render_texts(state: str, attributes: dict[str, Any]) -> list[str]:
    """The texts the card's view of `state` shows (lit prints None as nothing)."""
    a = attributes
    sport = a.get("sport") or "default"
    stat1, stat2, stat3, bar, label = _PHRASES.get(sport, _DEFAULT_PHRASES)
    stat1, stat2, stat3 = stat1 or "%s", stat2 or "%s", stat3 if stat3 is not None else ""
    texts: list[Any] = [a.get("team_name"), a.get("opponent_name")]
    texts += [a.get("team_rank"), a.get("opponent_rank"), a.get("team_record")]
    texts += [a.get("opponent_record")]
    title = a.get("event_name") if sport == "tennis" else None
    pre1, pre2, pre3 = a.get("odds"), "", a.get("tv_network")
    if a.get("overunder"):
        pre2 = translate("O/U: %s", js_string(a.get("overunder")))
    in0 = ""
    in1 = translate(stat1, a["down_distance_text"]) if a.get("down_distance_text") else ""
    in2 = translate(stat2, a["tv_network"]) if a.get("tv_network") else ""
    final = js_string(a.get("clock")) + " - " + _short_date(a.get("date"))
    game_bar = bar
    probability = [
        f"{a[key] * 100:.0f}" if _truthy(a.get(key)) else 0
        for key in ("team_win_probability", "opponent_win_probability")
    ]
    labels = [translate(label, js_string(p)) for p in probability]
    if sport == "baseball":
        in1 = translate(stat1, js_string(a.get("balls")))
        in2 = translate(stat2, js_string(a.get("strikes")))
        in0 = translate(stat3, js_string(a.get("outs")))
    elif sport == "hockey":
        labels = [
            translate(label, js_string(a.get(f"{w}_shots_on_target"))) for w in ("team", "opponent")
        ]
    elif sport == "soccer":
        labels = [
            translate(
                label,
                js_string(a.get(f"{w}_total_shots"))
                + "("
                + js_string(a.get(f"{w}_shots_on_target"))
                + ")",
            )
            for w in ("team", "opponent")
        ]
    elif sport == "tennis":
        pre1, pre2, pre3 = a.get("event_name"), a.get("overunder"), a.get("down_distance_text")
        in1, in2 = pre1, pre3
        final = (
            js_string(a.get("clock"))
            + " - "
            + _short_date(a.get("date"))
            + " ("
            + js_string(pre3)
            + ")"
        )
        game_bar = translate("%s", a.get("clock"))
        labels = []
        for w in ("team", "opponent"):
            text = js_string(a.get(f"{w}_score"))
            if _truthy(a.get("team_shots_on_target")):
                game_bar = translate("%s", js_string(a.get("clock")) + "(tiebreak)")
                text += "(" + js_string(a.get(f"{w}_shots_on_target")) + ")"
            labels.append(translate("%s", text))
    elif sport == "volleyball":
        game_bar = translate(bar, a.get("clock"))
        labels = [translate(label, js_string(a.get(f"{w}_score"))) for w in ("team", "opponent")]
    if state == "PRE":
        when = _date(a.get("date"))
        texts += [title, "Invalid Date" if when is None else when.strftime("%A %H:%M")]
        texts += [a.get("kickoff_in"), pre1, a.get("venue"), pre2, a.get("location"), pre3]
    elif state == "IN":
        texts += [title, a.get("team_score"), a.get("opponent_score"), a.get("clock"), in0]
        texts += [a.get("venue"), in1, a.get("location"), in2, a.get("last_play"), game_bar]
        texts += [*labels, a.get("series_summary")]
    elif state == "POST":
        texts += [
            title,
            a.get("team_score"),
            a.get("opponent_score"),
            final,
            a.get("series_summary"),
        ]
    elif state == "NOT_FOUND":
        term2 = "NOT_FOUND"
        if message := a.get("api_message"):
            term2 = "API Error"
            tail = message[-17:]
            if tail.endswith("Z"):
                when = _date(tail.replace("Z", "+00:00"))
                shown = "Invalid Date" if when is None else f"{when:%x}"
                term2 = f"No upcoming games through {shown}"
        texts += [a.get("league"), a.get("team_abbr"), term2]
    return [
        "" if text is None else text if isinstance(text, str) else js_string(text) for text in texts
    ]
