"""quality_scale.yaml: every rule listed, and each one marked done names the tests showing it.

Also the rules that are about files rather than behaviour: the README's sections
(docs-*), form field descriptions, PARALLEL_UPDATES, the common modules.
"""

import json
from pathlib import Path
import re

import pytest
import yaml

from custom_components.live_scores import PLATFORMS, event, sensor
from custom_components.live_scores.entity import LiveScoresEntity

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components/live_scores"
RULES = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())["rules"]
README = (ROOT / "README.md").read_text()
STRINGS = json.loads((INTEGRATION / "strings.json").read_text())

# Home Assistant's rules, by tier (script/hassfest/quality_scale.py, ALL_RULES).
SCALE = {
    "bronze": (
        "action-setup", "appropriate-polling", "brands", "common-modules", "config-flow",
        "config-flow-test-coverage", "dependency-transparency", "docs-actions",
        "docs-conditions", "docs-high-level-description", "docs-installation-instructions",
        "docs-removal-instructions", "docs-triggers", "entity-event-setup", "entity-unique-id",
        "has-entity-name", "runtime-data", "test-before-configure", "test-before-setup",
        "unique-config-entry",
    ),
    "silver": (
        "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
        "docs-installation-parameters", "entity-unavailable", "integration-owner",
        "log-when-unavailable", "parallel-updates", "reauthentication-flow", "test-coverage",
    ),
    "gold": (
        "devices", "diagnostics", "discovery", "discovery-update-info", "docs-data-update",
        "docs-examples", "docs-known-limitations", "docs-supported-devices",
        "docs-supported-functions", "docs-troubleshooting", "docs-use-cases", "dynamic-devices",
        "entity-category", "entity-device-class", "entity-disabled-by-default",
        "entity-translations", "exception-translations", "icon-translations",
        "reconfiguration-flow", "repair-issues", "stale-devices",
    ),
    "platinum": ("async-dependency", "inject-websession", "strict-typing"),
}  # fmt: skip
ALL_RULES = {rule for rules in SCALE.values() for rule in rules}
# Not listed yet: they document the triggers and conditions, which are still being added.
NOT_YET_LISTED: set[str] = set()
# Shown by scripts/test itself rather than by a test function.
BY_SCRIPT = {
    "strict-typing": "mypy --strict custom_components",
    "test-coverage": "--cov-fail-under",
}
TEST = re.compile(r"\b(tests/[\w/]+\.py)::(\w+)")


def _status(rule: str) -> str:
    entry = RULES[rule]
    return entry if isinstance(entry, str) else str(entry["status"])


def _comment(rule: str) -> str:
    entry = RULES[rule]
    return "" if isinstance(entry, str) else " ".join(str(entry.get("comment", "")).split())


def test_every_rule_of_the_scale_is_listed() -> None:
    assert set(RULES) <= ALL_RULES
    assert set(RULES) >= ALL_RULES - NOT_YET_LISTED
    assert {_status(rule) for rule in RULES} <= {"done", "exempt", "todo"}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_rule_says_why(rule: str) -> None:
    """Done names the tests that show it; exempt and todo give their reason."""
    comment = _comment(rule)
    assert comment, rule
    if _status(rule) != "done":
        return
    if rule in BY_SCRIPT:
        assert "scripts/test" in comment
        assert BY_SCRIPT[rule] in (ROOT / "scripts/test").read_text()
        return
    shown_by = TEST.findall(comment)
    assert shown_by, f"{rule}: no tests/<file>.py::<test> in its comment"
    for path, name in shown_by:
        source = (ROOT / path).read_text()
        assert re.search(rf"^(async )?def {name}\(", source, re.M), f"{rule}: {path}::{name}"


@pytest.mark.parametrize(
    ("rule", "heading"),
    [
        ("docs-high-level-description", "# Live Scores for Home Assistant"),
        ("docs-installation-instructions", "## Install"),
        ("docs-installation-parameters", "## Set up"),
        ("docs-configuration-parameters", "## Spoiler delay"),
        ("docs-removal-instructions", "## Removal"),
        ("docs-actions", "### Trying an automation without waiting for a match"),
        ("docs-data-update", "## How data is updated"),
        ("docs-examples", "### Blueprints"),
        ("docs-triggers", "### Triggers"),
        ("docs-conditions", "### Conditions"),
        ("docs-known-limitations", "## Known limitations"),
        ("docs-supported-functions", "## Entities"),
        ("docs-supported-functions", "## Events for automations"),
        ("docs-troubleshooting", "## Troubleshooting"),
        ("docs-use-cases", "## Use cases"),
    ],
)
def test_readme_documents(rule: str, heading: str) -> None:
    assert re.search(rf"^{re.escape(heading)}$", README, re.M), rule
    section = README.split(f"{heading}\n", 1)[1].split("\n## ", 1)[0]
    assert len(section.split()) >= 25, f"{rule}: {heading} is nearly empty"


def test_readme_documents_each_action_field() -> None:
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text())
    for action, spec in services.items():
        assert f"live_scores.{action}" in README
        for field in spec["fields"]:
            assert f"{field}:" in README, field


# Where the README describes each field of the forms (docs-installation-parameters
# for the entry, docs-configuration-parameters for the followed targets).
FIELD_DOCS = {
    "provider": "**Pick the service**",
    "api_key": "API key",
    "access": "*direct* (your token) or *RapidAPI*",
    "url": "*Advanced*",
    "match_id": "**Add match**",
    "team": "**Add team**",
    "competition": "**Add competition**",
    "spoiler_delay": "*spoiler delay*",
    "delay_scoreboard": "*Delay the sensors too*",
}


def _steps() -> list[dict[str, object]]:
    steps = list(STRINGS["config"]["step"].values())
    for flow in STRINGS["config_subentries"].values():
        steps += flow["step"].values()
    return steps


def test_every_form_field_is_described_in_the_form_and_the_readme() -> None:
    for step in _steps():
        forms = [step, *step.get("sections", {}).values()]  # type: ignore[attr-defined]
        for form in forms:
            fields = set(form.get("data", {}))
            assert fields == set(form.get("data_description", {})), step
            for field in fields:
                assert FIELD_DOCS[field] in README, field


def test_platforms_set_parallel_updates() -> None:
    assert {str(platform) for platform in PLATFORMS} == {"event", "sensor"}
    assert event.PARALLEL_UPDATES == sensor.PARALLEL_UPDATES == 0


def test_entities_share_the_base_entity_and_the_coordinator() -> None:
    """common-modules: one base entity (entity.py) over one coordinator (coordinator.py)."""
    assert issubclass(sensor.LiveScoresSensor, LiveScoresEntity)
    assert issubclass(event.MatchEventEntity, LiveScoresEntity)
    assert "class LiveScoresCoordinator" in (INTEGRATION / "coordinator.py").read_text()


def test_every_entity_translation_has_an_icon() -> None:
    """icon-translations: each entity (and state) of strings.json has its icon."""
    icons = json.loads((INTEGRATION / "icons.json").read_text())["entity"]
    for platform, entities in STRINGS["entity"].items():
        assert set(entities) == set(icons[platform]), platform
        for key, entity in entities.items():
            assert "default" in icons[platform][key], key
            states = set(entity.get("state", {}))
            assert states <= set(icons[platform][key].get("state", {})), key
