"""The demo `scripts/develop` sets up: Live Scores following simulated matches.

Through Home Assistant's own APIs (as a user would in the UI): a config entry for
the simulator's SportsAPIPro feed, a few followed teams (subentries), and a
"Live Scores" dashboard of built-in cards. Idempotent: what exists is kept.
"""

import asyncio
from collections import defaultdict
import json
from typing import Any

from ha_api import Api

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
    await _wait_for_teams(api, entry_id, wait=4)
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


async def _wait_for_teams(api: Api, entry_id: str, wait: float) -> None:
    """Until the team picker lists the demo's teams (the feed has sent them), so that
    they resolve at once; at most `wait` seconds."""
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        flow = await api.request(
            "POST",
            "/api/config/config_entries/subentries/flow",
            json_body={"handler": [entry_id, "team"]},
        )
        await api.request(
            "DELETE",
            f"/api/config/config_entries/subentries/flow/{flow['flow_id']}",
            ok=(200, 404),
        )
        listed = json.dumps(flow.get("data_schema"), ensure_ascii=False)
        if all(team in listed for team in DEMO_TEAMS):
            return
        if asyncio.get_running_loop().time() >= deadline:
            return
        await asyncio.sleep(0.25)


async def live_scores_devices(api: Api) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Live Scores' devices: their names by device id, and their entities (by translation key)."""
    devices = await api.websocket({"type": "config/device_registry/list"})
    entities = await api.websocket({"type": "config/entity_registry/list"})
    by_device: dict[str, dict[str, str]] = defaultdict(dict)
    for entity in entities:
        if entity.get("platform") == DOMAIN and entity.get("device_id"):
            key = entity.get("translation_key") or entity["entity_id"]
            by_device[entity["device_id"]][key] = entity["entity_id"]
    names = {
        d["id"]: str(d.get("name_by_user") or d.get("name") or "Match")
        for d in devices
        if d["id"] in by_device
    }
    return names, dict(by_device)


async def build_dashboard(api: Api, note: Any) -> None:
    """A 'Live Scores' dashboard: a scoreboard and the entities of each followed team.

    Only when there is none: once created it is the user's (edits are kept); delete
    it (or `scripts/develop --reset`) to get a new one.
    """
    dashboards = await api.websocket({"type": "lovelace/dashboards/list"})
    if any(d.get("url_path") == DASHBOARD for d in dashboards):
        return
    names, by_device = await live_scores_devices(api)
    cards: list[dict[str, Any]] = []
    for device_id, found in sorted(by_device.items(), key=lambda i: names[i[0]]):
        cards.append(_device_card(names[device_id], found))
    # The event entity's translation key names its sport (match_event_<sport>).
    events = [
        e for ids in by_device.values() for k, e in ids.items() if k.startswith("match_event")
    ]
    if events:
        cards.append(
            {"type": "logbook", "title": "Match events", "entities": events, "hours_to_show": 6}
        )
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
                    f"{{% set ts, os = {a}'team_score'), {a}'opponent_score') %}}"
                    f"## {{{{ {a}'team_name') or '{name}' }}}}"
                    f"{{% if {a}'opponent_name') %}} {{{{ (ts ~ ' {DASH} ' ~ os)"
                    f" if ts not in [none, ''] and os not in [none, ''] else '{DASH}' }}}}"
                    f" {{{{ {a}'opponent_name') }}}}{{% endif %}}\n" + _status_line(status, a)
                ),
            }
        )
    # A team has team/opponent scores, a match home/away ones; the event entity is per sport.
    keys = ("status", "team_score", "opponent_score", "home_score", "away_score")
    rows = [ids[key] for key in keys if key in ids]
    rows += [e for key, e in ids.items() if key.startswith("match_event")]
    if rows:
        cards.append({"type": "entities", "entities": rows})
    return {"type": "vertical-stack", "title": name, "cards": cards}


def _status_line(status: str | None, attr: str) -> str:
    """'LaLiga · Live · 67'': the league, the translated status (none while unknown or
    unavailable), and the clock while live or at a break, or when a scheduled match
    kicks off. The clock alone otherwise repeats the status ("Postponed · Postponed")."""
    if status is None:
        return f"{{{{ {attr}'league') or '' }}}}"
    return (
        f"{{% set s = states('{status}') %}}"
        f"{{{{ [{attr}'league') or '',"
        f" state_translated('{status}') if s not in ['unknown', 'unavailable'] else '',"
        f" ({attr}'clock') or '') if s in ['live', 'break'] else"
        f" (({attr}'kickoff_in') or '') if s == 'scheduled' else '')]"
        " | select | join(' · ') }}"
    )


async def set_up(api: Api, sim_port: int, note: Any) -> None:
    """Entry, followed teams and dashboard."""
    entry_id = await create_entry(api, sim_port, note)
    if entry_id is None:
        return
    await follow_teams(api, entry_id, note)
    await build_dashboard(api, note)
