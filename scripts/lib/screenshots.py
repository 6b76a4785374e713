"""Screenshots of Live Scores in a real browser, for docs/ and the README.

Run by scripts/screenshots with .venv-dev's Python, against the Home Assistant of
scripts/develop (its demo: the simulator's feed, five followed teams, the "Live Scores"
dashboard). Drives Debian's Chromium with Playwright (no browser download):

  dashboard         docs/dashboard.png: the dashboard while matches are live
  config_flow       docs/config_flow.png, docs/config_flow_key.png: Add integration →
                    Live Scores, the provider step and the SportsAPIPro key step
  automation_trace  docs/automation_trace.png: an automation from our goal_notify
                    blueprint, run by live_scores.fire_test_event, its trace
  device            docs/device.png: a followed team's device page
  triggers          docs/automation_trigger*.png: the live_scores.goal trigger in the
                    automation editor, and its run (screenshots_triggers.py)
  cards             docs/card_<sport>.png: the real ha-teamtracker-card before, during
                    and after a match, each sport (screenshots_cards.py)
  follow            docs/follow_team.png, docs/follow_match.png: the Add team / match forms

Logs in over HTTP (HA's login flow, as the frontend does) and hands the tokens to the
page in localStorage, so no form is typed into. Talks to 127.0.0.1 only.
"""

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import json
from pathlib import Path
import re
import sys
import time
from typing import Any

import aiohttp
from develop_demo import DOMAIN, live_scores_devices
from ha_api import Api, ApiError, authenticate, load_state, save_automation
from playwright.async_api import (
    Browser,
    Error as PlaywrightError,
    Page,
    Response,
    async_playwright,
)
import screenshots_cards
import screenshots_triggers

SHOTS = ("dashboard", "config_flow", "automation_trace", "device", "triggers", "cards", "follow")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
DASHBOARD_VIEWPORT = {"width": 1400, "height": 940}
# The trace page leaves the lower part empty.
TRACE_CLIP = {"x": 0, "y": 0, "width": 1400, "height": 560}
DEVICE_CLIP = {"x": 0, "y": 0, "width": 1400, "height": 620}
# The team whose device the automation and the device page show.
TEAM = "Real Madrid"
BLUEPRINT = "live_scores/goal_notify.yaml"
AUTOMATION_ID = "live_scores_docs_goal_notify"
AUTOMATION_ALIAS = f"{TEAM}: goals and full time"


def note(message: str) -> None:
    print(f"screenshots: {message}", file=sys.stderr, flush=True)


class ShotError(Exception):
    """A screenshot could not be taken as it should be."""


# --------------------------------------------------------------------------- Home Assistant


async def team_device(api: Api) -> str:
    """The device of TEAM (else of any followed target)."""
    names, _ = await live_scores_devices(api)
    by_name = {name: device_id for device_id, name in names.items()}
    device_id = by_name.get(TEAM) or next(iter(names), None)
    if device_id is None:
        raise ShotError("no Live Scores device")
    return device_id


async def wait_live(api: Api, limit: float) -> list[str]:
    """Wait until three status sensors (all, if fewer) are `live`, or, after `limit`
    seconds, at least one; the live ones."""
    _, ours = await live_scores_devices(api)
    statuses = {ids["status"] for ids in ours.values() if "status" in ids}
    if not statuses:
        raise ShotError("no Live Scores status sensors: is the demo set up (scripts/develop)?")
    deadline = time.monotonic() + limit
    waited = False
    while True:
        states = await api.request("GET", "/api/states")
        live = sorted(
            s["entity_id"] for s in states if s["entity_id"] in statuses and s["state"] == "live"
        )
        # Several live at once makes the better picture; take one if that is all there is.
        if len(live) >= min(3, len(statuses)) or (live and time.monotonic() >= deadline):
            return live
        if time.monotonic() >= deadline:
            raise ShotError(f"no match went live within {limit:.0f} s")
        if not waited:
            note("waiting for live matches (the demo loops every few minutes)…")
            waited = True
        await asyncio.sleep(2)


async def ensure_automation(api: Api, device_id: str) -> str:
    """The blueprint automation for the device (created or rewritten); its entity id."""
    blueprints = await api.websocket({"type": "blueprint/list", "domain": "automation"})
    if BLUEPRINT not in blueprints:
        raise ShotError(
            f"Home Assistant does not see the blueprint {BLUEPRINT} "
            "(scripts/develop links the repo's blueprints into .dev/config when it starts: "
            "restart it)"
        )
    if "error" in blueprints[BLUEPRINT]:
        raise ShotError(f"blueprint {BLUEPRINT}: {blueprints[BLUEPRINT]['error']}")
    config = {
        "alias": AUTOMATION_ALIAS,
        "description": "Made by scripts/screenshots from the Live Scores goal_notify blueprint.",
        "use_blueprint": {
            "path": BLUEPRINT,
            "input": {
                "match_device": device_id,
                "notify_action": "notify.persistent_notification",
                "kickoff": False,
            },
        },
    }
    # (Off since the last run, see shot_automation_trace: on for this one.)
    return await save_automation(api, AUTOMATION_ID, config)


async def run_automation(api: Api, device_id: str) -> str:
    """A test goal for the device; waits for the automation's trace, returns its run id."""
    before = await _traces(api)
    await api.request(
        "POST", f"/api/services/{DOMAIN}/fire_test_event", json_body={"device_id": device_id}
    )
    # Real goals of other matches run the automation too (and stop at its condition):
    # ours is the new run that got to the action.
    for _ in range(100):
        new = [t for run_id, t in (await _traces(api)).items() if run_id not in before]
        done = [t for t in new if t.get("state") == "stopped"]
        if ours := [t for t in done if t.get("script_execution") == "finished"]:
            return str(ours[-1]["run_id"])
        if len(done) == len(new) and any(
            t.get("script_execution") not in ("failed_conditions", None) for t in done
        ):
            raise ShotError(f"the automation did not finish: {done}")
        await asyncio.sleep(0.2)
    raise ShotError("no finished trace of the automation after the test goal")


async def _traces(api: Api) -> dict[str, dict[str, Any]]:
    traces = await api.websocket(
        {"type": "trace/list", "domain": "automation", "item_id": AUTOMATION_ID}
    )
    return {t["run_id"]: t for t in traces}


async def abort_flows(api: Api, flow_ids: set[str]) -> None:
    """Abort the config flows the page started (HA lists no user-started flows)."""
    for flow_id in flow_ids:
        await api.request("DELETE", f"/api/config/config_entries/flow/{flow_id}", ok=(200, 404))


# --------------------------------------------------------------------------- browser


def hass_tokens(api: Api, tokens: dict[str, Any]) -> dict[str, Any]:
    """What HA's frontend keeps in localStorage['hassTokens']."""
    return {
        "access_token": tokens["access_token"],
        "token_type": "Bearer",
        "expires_in": tokens["expires_in"],
        "hassUrl": api.url,
        "clientId": api.client_id,
        "expires": int(time.time() * 1000) + int(tokens["expires_in"]) * 1000,
        "refresh_token": tokens["refresh_token"],
    }


async def open_page(browser: Browser, api: Api, tokens: dict[str, Any]) -> Page:
    context = await browser.new_context(
        viewport=VIEWPORT, device_scale_factor=1, locale="en-US", color_scheme="light"
    )
    stored = json.dumps(json.dumps(hass_tokens(api, tokens)))
    await context.add_init_script(
        f"try {{ localStorage.setItem('hassTokens', {stored}); }} catch (e) {{}}"
    )
    return await context.new_page()


async def goto(page: Page, url: str, ready: str, seconds: float = 30) -> None:
    """Open a frontend path and wait until `ready` (a selector, shadow roots pierced) shows."""
    await page.goto(url, wait_until="domcontentloaded")
    await page.locator(ready).first.wait_for(state="visible", timeout=seconds * 1000)


async def settle(page: Page, seconds: float = 1.5) -> None:
    """Let animations and late renders finish."""
    await page.wait_for_timeout(seconds * 1000)


async def save(page: Page, path: Path, **kwargs: Any) -> Path:
    await page.screenshot(path=str(path), animations="disabled", **kwargs)
    return path


# --------------------------------------------------------------------------- the shots


async def shot_dashboard(page: Page, api: Api, out: Path, args: argparse.Namespace) -> list[Path]:
    live = await wait_live(api, args.live_timeout)
    note(f"live: {', '.join(live)}")
    await page.set_viewport_size(DASHBOARD_VIEWPORT)  # the whole logbook card
    await goto(page, f"{api.url}/live-scores", "hui-markdown-card ha-markdown")
    await settle(page, 3)
    return [await save(page, out / "dashboard.png")]


async def shot_config_flow(page: Page, api: Api, out: Path, args: argparse.Namespace) -> list[Path]:
    flow_ids: set[str] = set()

    async def on_response(response: Response) -> None:
        if response.request.method == "POST" and response.url.endswith(
            "/api/config/config_entries/flow"
        ):
            with contextlib.suppress(PlaywrightError, ValueError):
                flow_ids.add((await response.json())["flow_id"])

    page.on("response", on_response)
    try:
        # The integrations page, asked to add Live Scores: it asks "Do you want to set up
        # Live Scores?" first, then opens the flow's dialog.
        await goto(
            page,
            f"{api.url}/config/integrations/dashboard/add?domain={DOMAIN}",
            "dialog-box ha-button[slot=primaryAction], dialog-data-entry-flow ha-form",
        )
        confirm = page.locator("dialog-box ha-button[slot=primaryAction]")
        if await confirm.count():
            await confirm.first.click()
        await page.locator("dialog-data-entry-flow ha-form").first.wait_for(state="visible")
        await settle(page)
        written = [await save(page, out / "config_flow.png")]
        # The provider step: choose SportsAPIPro (the default), submit.
        dialog = page.locator("dialog-data-entry-flow")
        await dialog.get_by_text("SportsAPIPro", exact=False).first.click()
        await dialog.locator("ha-button").filter(has_text=re.compile("Submit|Next")).first.click()
        # The key step: the API key, and the collapsed "Advanced" section.
        await dialog.locator("ha-form ha-expansion-panel, ha-form ha-textfield").first.wait_for(
            state="visible"
        )
        await settle(page)
        written.append(await save(page, out / "config_flow_key.png"))
        return written
    finally:
        await abort_flows(api, flow_ids)


async def shot_automation_trace(
    page: Page, api: Api, out: Path, args: argparse.Namespace
) -> list[Path]:
    device_id = await team_device(api)
    entity_id = await ensure_automation(api, device_id)
    note(f"automation {entity_id} (from {BLUEPRINT})")
    notifications = await _notification_ids(api)
    try:
        run_id = await run_automation(api, device_id)
        await goto(
            page,
            f"{api.url}/config/automation/trace/{AUTOMATION_ID}?run_id={run_id}",
            "hat-script-graph",
        )
        # The timeline tells the run's story: triggered by the goal, conditions, the action.
        await page.get_by_text("Trace timeline", exact=True).first.click()
        await page.locator("ha-timeline").first.wait_for(state="visible")
        await settle(page, 2)
        return [await save(page, out / "automation_trace.png", clip=TRACE_CLIP)]
    finally:
        # Kept (its traces too), but off: else every goal of the team's real matches
        # adds a notification in the dev instance. Those it made here go too.
        await api.request(
            "POST", "/api/services/automation/turn_off", json_body={"entity_id": entity_id}
        )
        for notification_id in await _notification_ids(api) - notifications:
            await api.request(
                "POST",
                "/api/services/persistent_notification/dismiss",
                json_body={"notification_id": notification_id},
            )


async def _notification_ids(api: Api) -> set[str]:
    found = await api.websocket({"type": "persistent_notification/get"})
    return {n["notification_id"] for n in found}


async def shot_device(page: Page, api: Api, out: Path, args: argparse.Namespace) -> list[Path]:
    device_id = await team_device(api)
    await goto(page, f"{api.url}/config/devices/device/{device_id}", "ha-device-info-card")
    await settle(page, 2)
    return [await save(page, out / "device.png", clip=DEVICE_CLIP)]


async def shot_triggers(page: Page, api: Api, out: Path, args: argparse.Namespace) -> list[Path]:
    """Live Scores' goal trigger in the automation editor (screenshots_triggers.py)."""
    device_id = await team_device(api)
    return await screenshots_triggers.shoot(
        page, api, out, args, device_id=device_id, goto=goto, settle=settle
    )


async def shot_cards(page: Page, api: Api, out: Path, args: argparse.Namespace) -> list[Path]:
    """ha-teamtracker-card for every sport and state (screenshots_cards.py)."""
    try:
        return await screenshots_cards.shoot_cards(page, api, out, args, save)
    except screenshots_cards.CardShotError as err:
        raise ShotError(str(err)) from err


async def shot_follow(page: Page, api: Api, out: Path, args: argparse.Namespace) -> list[Path]:
    """The Add team / Add match forms (screenshots_cards.py)."""
    return await screenshots_cards.shoot_follow(page, api, out, args, save)


SHOOT: dict[str, Callable[[Page, Api, Path, argparse.Namespace], Awaitable[list[Path]]]] = {
    "dashboard": shot_dashboard,
    "config_flow": shot_config_flow,
    "automation_trace": shot_automation_trace,
    "device": shot_device,
    "triggers": shot_triggers,
    "cards": shot_cards,
    "follow": shot_follow,
}


async def run(args: argparse.Namespace, out: Path, state: dict[str, Any]) -> int:
    written: list[Path] = []
    failed: list[str] = []
    async with aiohttp.ClientSession() as session:
        api = Api(session, args.url)
        tokens = await api.login(
            state.get("username", "dev"), state.get("password", "dev-password-123")
        )
        if not await authenticate(api, state):
            api.token = tokens["access_token"]
        # Playwright gives the browser a fresh user-data dir of its own (and removes it).
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True
            )
            try:
                for name in args.only or SHOTS:
                    page = await open_page(browser, api, tokens)
                    try:
                        written += await SHOOT[name](page, api, out, args)
                    except (ShotError, ApiError, PlaywrightError) as err:
                        failed.append(name)
                        note(f"{name}: {err}")
                        await save(page, Path(args.failed_dir) / f"screenshot-failed-{name}.png")
                    finally:
                        await page.context.close()
            finally:
                await browser.close()
    for path in written:
        print(path)
    if failed:
        note(f"failed: {', '.join(failed)}")
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="screenshots")
    parser.add_argument("--url", default="http://127.0.0.1:8123")
    parser.add_argument("--state", default=".dev/auth.json", help="scripts/develop's auth state")
    parser.add_argument("--out", default="docs")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument(
        "--live-timeout", type=float, default=300, help="seconds to wait for live matches"
    )
    parser.add_argument("--failed-dir", default=".dev", help="where pages that failed are shot")
    parser.add_argument("only", nargs="*", help=f"only these of {', '.join(SHOTS)} (default: all)")
    args = parser.parse_args()
    if unknown := [name for name in args.only if name not in SHOTS]:
        parser.error(f"unknown screenshot {', '.join(unknown)} (choose from {', '.join(SHOTS)})")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    Path(args.failed_dir).mkdir(parents=True, exist_ok=True)
    return asyncio.run(run(args, out, load_state(Path(args.state))))


if __name__ == "__main__":
    sys.exit(main())
