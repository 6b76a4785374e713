"""The `cards` and `follow` screenshots: the real ha-teamtracker-card, and the follow forms.

  docs/card_<sport>.png   ha-teamtracker-card (the unmodified release, never part of this
                          project) on our scoreboard sensors: one sport before, during and
                          after a match, for each of the nine sports
  docs/follow_team.png    Live Scores → Follow a team: the picker (nothing chosen for you)
  docs/follow_match.png   Live Scores → Follow a match: matches in local time, by time

The card is the file of `$LIVE_SCORES_TEAMTRACKER_CARD` (default
../shared/vendor/ha-teamtracker-card/ha-teamtracker-card.js, where it exists): the
browser gets it at the address HACS serves it from, so the dashboard is the one a user
with the card installed has. The simulator plays `tests/simulator/scenarios/cards.toml`
(loaded through its control API); each of its matches is followed for the shots and
unfollowed after, and the dashboard removed.

Used by screenshots.py (same browser, page and API helpers).
"""

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import os
from pathlib import Path
import time
from typing import Any

import aiohttp
from develop_demo import DOMAIN
from ha_api import Api
from playwright.async_api import Page, Route

ROOT = Path(__file__).resolve().parents[2]
CARD = Path(
    os.environ.get(
        "LIVE_SCORES_TEAMTRACKER_CARD",
        ROOT.parent / "shared" / "vendor" / "ha-teamtracker-card" / "ha-teamtracker-card.js",
    )
)
CARD_URL = "/hacsfiles/ha-teamtracker-card/ha-teamtracker-card.js"
SPORTS = (
    "football", "basketball", "tennis", "hockey", "baseball", "volleyball",
    "american-football", "handball", "rugby",
)  # fmt: skip
PHASES = {"pre": "PRE", "in": "IN", "post": "POST"}
DASHBOARD = "live-scores-cards"
SCENARIO = "cards"
CARDS_VIEWPORT = {"width": 1400, "height": 900}

type Save = Callable[..., Awaitable[Path]]

# Each card scrolls `last_play` in from off its right edge, forever: for the picture,
# show it still, from the left (a style added to each card's shadow root).
SHOW_LAST_PLAY = """
const walk = (root) => {
  for (const element of root.querySelectorAll("*")) {
    if (!element.shadowRoot) continue;
    if (element.localName === "teamtracker-card") {
      const style = document.createElement("style");
      style.textContent = ".last-play p { animation: none !important; padding-left: 0 !important; }";
      element.shadowRoot.append(style);
    }
    walk(element.shadowRoot);
  }
};
walk(document);
"""


class CardShotError(Exception):
    """A step of the card screenshots did not go as it should."""


async def _simulator(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    port = os.environ.get("LIVE_SCORES_SIM_PORT", "8765")
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, f"http://127.0.0.1:{port}/_control/{path}", json=body) as reply,
    ):
        return await reply.json()


async def _entry_id(api: Api) -> str:
    entries = await api.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
    if not entries:
        raise CardShotError("no Live Scores entry: is the demo set up (scripts/develop)?")
    return str(entries[0]["entry_id"])


async def follow_cards(api: Api, entry_id: str) -> dict[str, str]:
    """Follow every match of the cards scenario; subentry id by match key."""
    await _simulator("POST", "load", {"scenario": SCENARIO})  # an error once loaded: fine
    # A match that ended before it was followed never changes again: the simulator sends
    # a followed match's current state when it is subscribed (one of the documented
    # service's possible behaviours), so that the "after" cards have their match.
    await _simulator("POST", "variant", {"name": "sap_match_snapshot", "value": True})
    state = await _simulator("GET", "state")
    wanted = {m["key"]: str(m["sap_id"]) for m in state["matches"] if m["key"].startswith("cards-")}
    if len(wanted) != len(SPORTS) * len(PHASES):
        raise CardShotError(f"the simulator plays {len(wanted)} card matches, not 27")
    await asyncio.sleep(3)  # the feed mentions them
    subentries = await api.websocket(
        {"type": "config_entries/subentries/list", "entry_id": entry_id}
    )
    followed = {s["unique_id"]: s["subentry_id"] for s in subentries}
    found: dict[str, str] = {}
    for key, sap_id in wanted.items():
        if (subentry_id := followed.get(f"match:{sap_id}")) is None:
            flow = await api.request(
                "POST",
                "/api/config/config_entries/subentries/flow",
                json_body={"handler": [entry_id, "match"]},
            )
            result = await api.request(
                "POST",
                f"/api/config/config_entries/subentries/flow/{flow['flow_id']}",
                json_body={"match_id": sap_id},
            )
            if result.get("type") != "create_entry":
                raise CardShotError(f"could not follow {key}: {result}")
            subentries = await api.websocket(
                {"type": "config_entries/subentries/list", "entry_id": entry_id}
            )
            followed = {s["unique_id"]: s["subentry_id"] for s in subentries}
            subentry_id = followed[f"match:{sap_id}"]
        found[key] = subentry_id
    return found


async def scoreboards(api: Api, subentries: dict[str, str], seconds: float) -> dict[str, str]:
    """The scoreboard sensor of each card match, once it is in its phase's state."""
    deadline = time.monotonic() + seconds
    while True:
        entities = await api.websocket({"type": "config/entity_registry/list"})
        by_subentry = {
            e.get("config_subentry_id"): e["entity_id"]
            for e in entities
            if e.get("platform") == DOMAIN and str(e.get("unique_id", "")).endswith("_scoreboard")
        }
        boards = {key: by_subentry.get(sid) for key, sid in subentries.items()}
        states = {s["entity_id"]: s["state"] for s in await api.request("GET", "/api/states")}
        pending = [
            key
            for key, board in boards.items()
            if board is None or states.get(board) != PHASES[key.rsplit("-", 1)[1]]
        ]
        if not pending:
            return {key: board for key, board in boards.items() if board}
        if time.monotonic() > deadline:
            raise CardShotError(f"not in their states after {seconds:.0f} s: {pending}")
        await asyncio.sleep(1)


async def build_dashboard(api: Api, boards: dict[str, str]) -> None:
    """One view per sport: its three cards (before, during, after)."""
    resources = await api.websocket({"type": "lovelace/resources"})
    if not any(r.get("url") == CARD_URL for r in resources):
        await api.websocket(
            {"type": "lovelace/resources/create", "res_type": "module", "url": CARD_URL}
        )
    dashboards = await api.websocket({"type": "lovelace/dashboards/list"})
    if not any(d.get("url_path") == DASHBOARD for d in dashboards):
        await api.websocket(
            {
                "type": "lovelace/dashboards/create",
                "url_path": DASHBOARD,
                "title": "Scoreboard cards",
                "icon": "mdi:scoreboard",
                "show_in_sidebar": False,
                "require_admin": False,
                "mode": "storage",
            }
        )
    views = [
        {
            "title": sport,
            "path": sport,
            "type": "sections",
            "max_columns": 3,
            "sections": [
                {
                    "type": "grid",
                    "cards": [
                        {"type": "heading", "heading": f"{sport} · {phase.upper()}"},
                        {
                            "type": "custom:teamtracker-card",
                            "entity": boards[f"cards-{sport}-{phase}"],
                            "show_league": phase != "in",
                            "grid_options": {"columns": 12},
                        },
                    ],
                }
                for phase in PHASES
            ],
        }
        for sport in SPORTS
    ]
    await api.websocket(
        {"type": "lovelace/config/save", "url_path": DASHBOARD, "config": {"views": views}}
    )


async def remove(api: Api, entry_id: str, subentries: dict[str, str]) -> None:
    """Unfollow the card matches and remove their dashboard."""
    for subentry_id in subentries.values():
        await api.websocket(
            {
                "type": "config_entries/subentries/delete",
                "entry_id": entry_id,
                "subentry_id": subentry_id,
            }
        )
    dashboards = await api.websocket({"type": "lovelace/dashboards/list"})
    for dashboard in dashboards:
        if dashboard.get("url_path") == DASHBOARD:
            await api.websocket(
                {"type": "lovelace/dashboards/delete", "dashboard_id": dashboard["id"]}
            )


async def serve_card(page: Page) -> None:
    """The browser gets the card from its file, where HACS would serve it."""
    if not await asyncio.to_thread(CARD.exists):
        raise CardShotError(f"no ha-teamtracker-card at {CARD} (set LIVE_SCORES_TEAMTRACKER_CARD)")

    async def fulfil(route: Route) -> None:
        await route.fulfill(path=str(CARD), content_type="application/javascript")

    await page.context.route(f"**{CARD_URL}*", fulfil)


async def shoot_cards(
    page: Page, api: Api, out: Path, args: argparse.Namespace, save: Save
) -> list[Path]:
    entry_id = await _entry_id(api)
    subentries = await follow_cards(api, entry_id)
    written: list[Path] = []
    try:
        boards = await scoreboards(api, subentries, 240)
        await build_dashboard(api, boards)
        await serve_card(page)
        await page.set_viewport_size(CARDS_VIEWPORT)
        for sport in SPORTS:
            await page.goto(f"{api.url}/{DASHBOARD}/{sport}", wait_until="domcontentloaded")
            cards = page.locator("teamtracker-card")
            await cards.nth(2).wait_for(state="visible", timeout=30_000)
            await page.wait_for_timeout(2500)
            box = await page.locator("hui-sections-view").first.bounding_box()
            clip = {"x": 0, "y": 56, "width": CARDS_VIEWPORT["width"], "height": 460}
            if box:
                clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": 470}
            await page.evaluate(SHOW_LAST_PLAY)
            await page.wait_for_timeout(300)
            path = out / f"card_{sport}.png"
            await page.screenshot(path=str(path), clip=clip, animations="disabled")
            written.append(path)
    finally:
        await remove(api, entry_id, subentries)
        await _simulator("POST", "variant", {"name": "sap_match_snapshot", "value": False})
    return written


async def shoot_follow(
    page: Page, api: Api, out: Path, args: argparse.Namespace, save: Save
) -> list[Path]:
    """The Follow a team and Follow a match forms, opened as a user does."""
    written: list[Path] = []
    for kind, name in (("team", "follow_team"), ("match", "follow_match")):
        await page.goto(
            f"{api.url}/config/integrations/integration/{DOMAIN}", wait_until="domcontentloaded"
        )
        await page.get_by_role("button", name=f"Follow a {kind}").first.wait_for(
            state="visible", timeout=30_000
        )
        await page.wait_for_timeout(1500)
        # The integration page's buttons for the entry's subentry types ("Follow a team").
        await page.get_by_role("button", name=f"Follow a {kind}").first.click()
        dialog = page.locator("dialog-data-entry-flow")
        await dialog.locator("ha-form").first.wait_for(state="visible", timeout=30_000)
        combo = dialog.locator("ha-combo-box, ha-selector-select").first
        await combo.click()
        await page.wait_for_timeout(1200)
        written.append(await save(page, out / f"{name}.png"))
        await page.keyboard.press("Escape")
        await page.wait_for_timeout(300)
        close = dialog.locator("ha-icon-button[dialogAction=close], ha-icon-button.close")
        if await close.count():
            await close.first.click()
    return written
