"""The demo `scripts/develop` sets up: Live Scores following simulated matches.

Through Home Assistant's own APIs (as a user would in the UI): a config entry for
the simulator's SportsAPIPro feed, a few followed teams (subentries), and a
"Live Scores" dashboard of built-in cards. Idempotent: what exists is kept.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from develop_onboard import Api

DOMAIN = "live_scores"
# The simulator's default SportsAPIPro key (tests/simulator/config.py).
SIM_KEY = "sap-test-key-pro"
# Teams of the demo scenario (tests/simulator/scenarios/demo.toml), several sports.
DEMO_TEAMS = ("Real Madrid", "Liverpool", "Los Angeles Lakers", "Jannik Sinner", "New York Rangers")
DASHBOARD = "live-scores"
DASH = "\u2013"  # an en dash between the scores


async def create_entry(api: Api, sim_port: int, note: Any) -> str | None:
    """The config entry for the simulator's feed; its id (existing or new)."""
    entries = await api.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
    if entries:
        return str(entries[0]["entry_id"])
    flow = await api.request(
        "POST", "/api/config/config_entries/flow", json_body={"handler": DOMAIN}
    )
    answers = {
        "user": {"provider": "sportsapipro"},
        "sportsapipro": {
            "api_key": SIM_KEY,
            "advanced": {"url": f"ws://127.0.0.1:{sim_port}/ws"},
        },
    }
    for _ in range(len(answers) + 1):
        if flow.get("type") == "create_entry":
            note(f"demo: created the config entry {flow['title']!r}")
            return str(flow["result"]["entry_id"])
        step = flow.get("step_id")
        if flow.get("type") != "form" or step not in answers or flow.get("errors"):
            note(f"demo: the config flow stopped at {step!r}: {flow.get('errors') or flow}")
            await api.request(
                "DELETE", f"/api/config/config_entries/flow/{flow['flow_id']}", ok=(200, 404)
            )
            return None
        flow = await api.request(
            "POST",
            f"/api/config/config_entries/flow/{flow['flow_id']}",
            json_body=answers[step],
        )
    return None


async def follow_teams(api: Api, entry_id: str, note: Any) -> None:
    """Follow the demo teams, unless the entry already follows something."""
    entries = await api.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
    entry = next(e for e in entries if e["entry_id"] == entry_id)
    if entry.get("num_subentries"):
        return
    # Give the feed a moment to list the teams it carries, so they resolve at once.
    await asyncio.sleep(4)
    for team in DEMO_TEAMS:
        flow = await api.request(
            "POST",
            "/api/config/config_entries/subentries/flow",
            json_body={"handler": [entry_id, "team"]},
        )
        result = await api.request(
            "POST",
            f"/api/config/config_entries/subentries/flow/{flow['flow_id']}",
            json_body={"team": team},
        )
        if result.get("type") == "create_entry":
            note(f"demo: following {team}")
        else:
            note(f"demo: could not follow {team}: {result.get('errors') or result}")


async def build_dashboard(api: Api, note: Any) -> None:
    """A 'Live Scores' dashboard: a scoreboard and the entities of each followed team."""
    entities = await api.websocket({"type": "config/entity_registry/list"})
    devices = await api.websocket({"type": "config/device_registry/list"})
    names = {d["id"]: d.get("name_by_user") or d.get("name") for d in devices}
    by_device: dict[str, dict[str, str]] = defaultdict(dict)
    for entity in entities:
        if entity.get("platform") == DOMAIN and entity.get("device_id"):
            key = entity.get("translation_key") or entity["entity_id"]
            by_device[entity["device_id"]][key] = entity["entity_id"]
    cards: list[dict[str, Any]] = []
    for device_id, found in sorted(by_device.items(), key=lambda i: names.get(i[0]) or ""):
        cards.append(_device_card(names.get(device_id) or "Match", found))
    events = [ids["match_event"] for ids in by_device.values() if "match_event" in ids]
    if events:
        cards.append(
            {"type": "logbook", "title": "Match events", "entities": events, "hours_to_show": 6}
        )
    dashboards = await api.websocket({"type": "lovelace/dashboards/list"})
    if not any(d.get("url_path") == DASHBOARD for d in dashboards):
        await api.websocket(
            {
                "type": "lovelace/dashboards/create",
                "url_path": DASHBOARD,
                "title": "Live Scores",
                "icon": "mdi:scoreboard-outline",
                "show_in_sidebar": True,
                "require_admin": False,
                "mode": "storage",
            }
        )
    config = {"title": "Live Scores", "views": [{"title": "Matches", "cards": cards}]}
    await api.websocket({"type": "lovelace/config/save", "url_path": DASHBOARD, "config": config})
    note(f"demo: dashboard {api.url}/{DASHBOARD} with {len(by_device)} followed teams")


def _device_card(name: str, ids: dict[str, str]) -> dict[str, Any]:
    """A scoreboard line (markdown, live) over the device's sensors."""
    board = ids.get("scoreboard")
    status = ids.get("status")
    cards: list[dict[str, Any]] = []
    if board:
        a = f"state_attr('{board}', "
        cards.append(
            {
                "type": "markdown",
                "content": (
                    f"## {{{{ {a}'team_name') or '{name}' }}}} "
                    f"{{{{ {a}'team_score') or '' }}}} {DASH} {{{{ {a}'opponent_score') or '' }}}} "
                    f"{{{{ {a}'opponent_name') or '' }}}}\n"
                    f"{{{{ {a}'league') or '' }}}}" + (_status_line(status, a) if status else "")
                ),
            }
        )
    rows = [ids[key] for key in ("status", "home_score", "away_score", "match_event") if key in ids]
    if rows:
        cards.append({"type": "entities", "entities": rows})
    return {"type": "vertical-stack", "title": name, "cards": cards}


def _status_line(status: str, attr: str) -> str:
    """' · Live · 67'' (translated state; the clock unless the match is over)."""
    return (
        f" · {{{{ state_translated('{status}') }}}}"
        f"{{% if {attr}'clock') and not is_state('{status}', 'finished') %}}"
        f" · {{{{ {attr}'clock') }}}}{{% endif %}}"
    )


async def set_up(api: Api, sim_port: int, note: Any) -> None:
    """Entry, followed teams and dashboard."""
    entry_id = await create_entry(api, sim_port, note)
    if entry_id is None:
        return
    await follow_teams(api, entry_id, note)
    await build_dashboard(api, note)
