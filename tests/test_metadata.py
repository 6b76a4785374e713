"""manifest.json and hacs.json obey the rules hassfest and HACS apply."""

from __future__ import annotations

import json
from pathlib import Path
import re

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy

ROOT = Path(__file__).parent.parent
MANIFEST = json.loads((ROOT / "custom_components/live_scores/manifest.json").read_text())
HACS = json.loads((ROOT / "hacs.json").read_text())

# hassfest's manifest schema for custom integrations (script/hassfest/manifest.py).
MANIFEST_KEYS = {
    "domain", "name", "integration_type", "config_flow", "mqtt", "zeroconf", "ssdp",
    "bluetooth", "homekit", "dhcp", "usb", "documentation", "issue_tracker",
    "quality_scale", "requirements", "dependencies", "after_dependencies", "codeowners",
    "loggers", "iot_class", "single_config_entry", "version", "import_executor",
    "disabled",
}  # fmt: skip
HACS_KEYS = {
    "name", "content_in_root", "zip_release", "filename", "hide_default_branch",
    "country", "homeassistant", "hacs", "persistent_directory", "render_readme",
}  # fmt: skip
INTEGRATION_TYPES = {"device", "entity", "hardware", "helper", "hub", "service", "system"}
IOT_CLASSES = {
    "assumed_state", "calculated", "cloud_polling", "cloud_push", "local_polling",
    "local_push",
}  # fmt: skip


def test_manifest_keys_and_order() -> None:
    keys = list(MANIFEST)
    assert set(keys) <= MANIFEST_KEYS
    # hassfest: domain, name, then the rest sorted.
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_values() -> None:
    assert MANIFEST["domain"] == "live_scores"
    assert MANIFEST["config_flow"] is True
    assert MANIFEST["iot_class"] == "cloud_push"
    assert MANIFEST["integration_type"] in INTEGRATION_TYPES
    assert MANIFEST["iot_class"] in IOT_CLASSES
    assert MANIFEST["requirements"] == []
    assert all(re.fullmatch(r"@[\w-]+(/[\w-]+)?", owner) for owner in MANIFEST["codeowners"])
    assert MANIFEST["documentation"].startswith("https://")
    assert MANIFEST["issue_tracker"].startswith("https://")
    version = AwesomeVersion(
        MANIFEST["version"],
        ensure_strategy=[
            AwesomeVersionStrategy.CALVER,
            AwesomeVersionStrategy.SEMVER,
            AwesomeVersionStrategy.SIMPLEVER,
            AwesomeVersionStrategy.BUILDVER,
            AwesomeVersionStrategy.PEP440,
        ],
    )
    assert version.valid


def test_hacs_json() -> None:
    assert set(HACS) <= HACS_KEYS
    assert HACS["name"] == MANIFEST["name"]
    assert AwesomeVersion(HACS["homeassistant"]).valid
