"""The `triggers` screenshots: Live Scores' own trigger in the automation editor.

  docs/automation_trigger_picker.png  Add trigger → By type → Live Scores: its triggers
  docs/automation_trigger_search.png  Add trigger → search "goal": "Goal scored" found
  docs/automation_condition_picker.png  Add condition → By type → Live Scores
  docs/automation_trigger.png         an automation on live_scores.goal: its target
                                      (the followed team) and options in the editor
  docs/automation_trigger_trace.png   that automation run by live_scores.fire_test_event

Used by screenshots.py (same browser, page and API helpers). Leaves behind in
.dev/config the automation "Real Madrid scored" (turned off) with its traces.
"""

import argparse
import asyncio
from pathlib import Path
from typing import Any

from develop_demo import DOMAIN
from ha_api import Api, save_automation
from playwright.async_api import Page

AUTOMATION_ID = "live_scores_docs_goal_trigger"
VIEWPORT = {"width": 1400, "height": 900}
EDITOR_VIEWPORT = {"width": 1400, "height": 1060}
TRACE_CLIP = {"x": 0, "y": 0, "width": 1400, "height": 560}


class TriggerShotError(Exception):
    """A step of the triggers screenshots did not go as it should."""


def automation_config(device_id: str) -> dict[str, Any]:
    """An automation on the goal trigger, scored by the followed team."""
    return {
        "alias": "Real Madrid scored",
        "description": "Made by scripts/screenshots: the live_scores.goal trigger.",
        "mode": "queued",
        "triggers": [
            {
                "trigger": f"{DOMAIN}.goal",
                "target": {"device_id": device_id},
                "options": {"scored_by": "followed", "include_recovered": False},
            }
        ],
        "actions": [
            {
                "action": "persistent_notification.create",
                "data": {
                    "title": "Goal! {{ trigger.team }}",
                    "message": "{{ trigger.home }} {{ trigger.score }} {{ trigger.away }}",
                    "notification_id": "live_scores_docs_goal_trigger",
                },
            }
        ],
    }


async def ensure_automation(api: Api, device_id: str) -> str:
    """The automation (created or rewritten, and on); its entity id."""
    return await save_automation(api, AUTOMATION_ID, automation_config(device_id))


async def _run_ids(api: Api) -> dict[str, dict[str, Any]]:
    traces = await api.websocket(
        {"type": "trace/list", "domain": "automation", "item_id": AUTOMATION_ID}
    )
    return {t["run_id"]: t for t in traces}


async def run_by_test_goal(api: Api, device_id: str) -> str:
    """A test goal for the device; the run id of the automation's finished trace."""
    before = await _run_ids(api)
    await api.request(
        "POST", f"/api/services/{DOMAIN}/fire_test_event", json_body={"device_id": device_id}
    )
    for _ in range(100):
        new = [t for run_id, t in (await _run_ids(api)).items() if run_id not in before]
        if done := [t for t in new if t.get("script_execution") == "finished"]:
            return str(done[-1]["run_id"])
        await asyncio.sleep(0.2)
    raise TriggerShotError("the test goal did not run the automation to its end")


async def shot_search(page: Page, api: Api, out: Path, goto: Any, settle: Any) -> list[Path]:
    """The new automation's Add trigger dialog: Live Scores' triggers, and a search."""
    await goto(page, f"{api.url}/config/automation/edit/new", "ha-automation-trigger")
    await settle(page)
    await page.get_by_text("Add trigger", exact=True).first.click()
    search = page.locator("add-automation-element-dialog input, ha-dialog search-input input")
    await search.first.wait_for(state="visible", timeout=15000)
    dialog = page.locator("add-automation-element-dialog")
    # By type: the integrations' own triggers, under their name.
    await dialog.get_by_text("By type", exact=True).first.click()
    await dialog.get_by_text("Live Scores", exact=True).first.click()
    await dialog.get_by_text("Goal scored", exact=True).first.wait_for(state="visible")
    await settle(page)
    picker = out / "automation_trigger_picker.png"
    await page.screenshot(path=str(picker), animations="disabled")
    await search.first.fill("goal")
    await dialog.get_by_text("Goal scored", exact=True).first.wait_for(state="visible")
    await settle(page)
    path = out / "automation_trigger_search.png"
    await page.screenshot(path=str(path), animations="disabled")
    return [picker, path]


async def shot_conditions(page: Page, api: Api, out: Path, goto: Any, settle: Any) -> Path:
    """Add condition → By type → Live Scores: its conditions."""
    await goto(page, f"{api.url}/config/automation/edit/new", "ha-automation-trigger")
    await settle(page)
    await page.get_by_text("Add condition", exact=True).first.click()
    dialog = page.locator("add-automation-element-dialog")
    await dialog.get_by_text("By type", exact=True).first.click()
    await dialog.get_by_text("Live Scores", exact=True).first.click()
    await dialog.get_by_text("Match result", exact=True).first.wait_for(state="visible")
    await settle(page)
    path = out / "automation_condition_picker.png"
    await page.screenshot(path=str(path), animations="disabled")
    return path


async def shot_editor(page: Page, api: Api, out: Path, goto: Any, settle: Any) -> Path:
    """The automation's trigger opened: its target and options."""
    await page.set_viewport_size(EDITOR_VIEWPORT)  # the whole form: target and options
    await goto(
        page, f"{api.url}/config/automation/edit/{AUTOMATION_ID}", "ha-automation-trigger-row"
    )
    await settle(page)
    await page.locator("ha-automation-trigger-row").first.click()
    await page.get_by_text("Scored by", exact=True).first.wait_for(state="visible")
    await settle(page)
    path = out / "automation_trigger.png"
    await page.screenshot(path=str(path), animations="disabled")
    await page.set_viewport_size(VIEWPORT)
    return path


async def shot_trace(
    page: Page, api: Api, out: Path, run_id: str, *, goto: Any, settle: Any
) -> Path:
    """The run of the test goal: the trace timeline."""
    await goto(
        page,
        f"{api.url}/config/automation/trace/{AUTOMATION_ID}?run_id={run_id}",
        "hat-script-graph",
    )
    await page.get_by_text("Trace timeline", exact=True).first.click()
    await page.locator("ha-timeline").first.wait_for(state="visible")
    await settle(page, 2)
    path = out / "automation_trigger_trace.png"
    await page.screenshot(path=str(path), animations="disabled", clip=TRACE_CLIP)
    return path


async def shoot(
    page: Page,
    api: Api,
    out: Path,
    args: argparse.Namespace,
    *,
    device_id: str,
    goto: Any,
    settle: Any,
) -> list[Path]:
    """All three; the automation is left off (else each real goal notifies)."""
    entity_id = await ensure_automation(api, device_id)
    try:
        written = await shot_search(page, api, out, goto, settle)
        written.append(await shot_conditions(page, api, out, goto, settle))
        written.append(await shot_editor(page, api, out, goto, settle))
        run_id = await run_by_test_goal(api, device_id)
        written.append(await shot_trace(page, api, out, run_id, goto=goto, settle=settle))
        return written
    finally:
        await api.request(
            "POST", "/api/services/automation/turn_off", json_body={"entity_id": entity_id}
        )
        await api.request(
            "POST",
            "/api/services/persistent_notification/dismiss",
            json_body={"notification_id": "live_scores_docs_goal_trigger"},
        )
