"""manifest.json and hacs.json obey the rules hassfest and HACS apply."""

import json
from pathlib import Path
import re
from urllib.parse import urlparse

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
import homeassistant
from homeassistant.const import __version__ as ha_version

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


def test_manifest_domain_is_its_folder() -> None:
    """hassfest: "Domain does not match dir name"; no clash with a core integration."""
    manifest = ROOT / "custom_components/live_scores/manifest.json"
    assert MANIFEST["domain"] == manifest.parent.name
    core = Path(homeassistant.__file__).parent / "components" / MANIFEST["domain"]
    assert not core.exists()
    # Not a home-assistant.io page: that would be a core integration's documentation.
    assert urlparse(MANIFEST["documentation"]).netloc != "www.home-assistant.io"


def test_manifest_for_hacs() -> None:
    """HACS's INTEGRATION_MANIFEST_JSON_SCHEMA: codeowners, documentation,
    issue_tracker (URLs), domain, name, version."""
    assert isinstance(MANIFEST["codeowners"], list)
    assert MANIFEST["codeowners"]
    for key in ("documentation", "issue_tracker"):
        url = urlparse(MANIFEST[key])
        assert url.scheme == "https"
        assert url.netloc
    assert AwesomeVersion(MANIFEST["version"]).valid


# HACS's HACS_MANIFEST_JSON_SCHEMA (custom_components/hacs/utils/validate.py): these
# keys and types only (extra=PREVENT_EXTRA), `name` required.
HACS_TYPES = {
    "name": str, "content_in_root": bool, "zip_release": bool, "filename": str,
    "hide_default_branch": bool, "country": (str, list), "homeassistant": str,
    "hacs": str, "persistent_directory": str, "render_readme": bool,
}  # fmt: skip


def test_hacs_json() -> None:
    assert set(HACS) <= HACS_KEYS
    assert set(HACS_KEYS) == set(HACS_TYPES)
    for key, value in HACS.items():
        assert isinstance(value, HACS_TYPES[key]), key
    assert HACS["name"] == MANIFEST["name"]
    assert AwesomeVersion(HACS["homeassistant"]).valid
    # zip_release needs a filename (HACS's hacsjson check); we ship the folder as is.
    assert not HACS.get("zip_release") or HACS.get("filename")
    assert not HACS.get("content_in_root")


def test_minimum_home_assistant() -> None:
    """hacs.json's minimum is what README says, and not newer than what we test on."""
    minimum = AwesomeVersion(HACS["homeassistant"])
    assert minimum <= AwesomeVersion(ha_version)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    required = re.search(r"Requires Home Assistant (\d{4}\.\d+)", readme)
    assert required
    assert AwesomeVersion(f"{required.group(1)}.0") == minimum
