"""What hassfest, Home Assistant's pylint plugins and the HACS action check, offline.

None of the three can run here: hassfest (`script/hassfest` of home-assistant/core) is
not in the homeassistant wheel (it ships `homeassistant/scripts`, not `script/`) nor on
PyPI, the HACS action is a container that asks GitHub, and HA's pylint plugins live in
the core repository. So the rules we are held to are written out here, from their
sources: hassfest's icons.py, translations.py and services.py; pylint_home_assistant's
imports.py; hacs/integration's validate.py; the home-assistant/brands README for the
brand images, which Home Assistant serves from our own `brand/` folder
(homeassistant/components/brands). manifest.json and hacs.json: tests/test_metadata.py.
"""

import ast
from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any

import homeassistant
from homeassistant.components.brands.const import ALLOWED_IMAGES
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from PIL import Image
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
import yaml

from custom_components.live_scores.const import DOMAIN

ROOT = Path(__file__).parent.parent
COMPONENT = ROOT / "custom_components" / "live_scores"
BRAND = COMPONENT / "brand"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


ICONS = _json(COMPONENT / "icons.json")
STRINGS = _json(COMPONENT / "strings.json")
EN = _json(COMPONENT / "translations" / "en.json")
HA_STRINGS = _json(Path(homeassistant.__file__).parent / "strings.json")

# hassfest translations.py
RE_TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")
RE_REFERENCE = re.compile(r"\[%key:(.+?)%\]")
RE_PLACEHOLDER_IN_SINGLE_QUOTES = re.compile(r"'{\w+}'")
# cv.slug
RE_SLUG = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


def _yaml_keys(name: str) -> set[str]:
    """The actions, triggers or conditions a YAML file describes (`.name`: anchors only)."""
    described = yaml.safe_load((COMPONENT / name).read_text(encoding="utf-8")) or {}
    return {key for key in described if not key.startswith(".")}


def _leaves(tree: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, f"{path}/{key}")
    else:
        yield path, tree


# --------------------------------------------------------------------------- icons.json


def test_icons_top_level_and_values() -> None:
    """hassfest icons.py: the sections an integration may have; every icon is `mdi:`."""
    assert set(ICONS) <= {
        "config", "issues", "options", "services", "entity", "triggers", "conditions"
    }  # fmt: skip
    for path, icon in _leaves(ICONS):
        assert isinstance(icon, str), path
        assert icon.startswith("mdi:"), f"{path}: {icon} is not a Material Design Icon"
        assert "<" not in icon, path


def test_icons_entity_sections() -> None:
    """Per platform and translation key: default, state, state_attributes, valid keys."""
    for platform, keys in ICONS["entity"].items():
        assert RE_SLUG.match(platform), platform
        for key, section in keys.items():
            assert RE_TRANSLATION_KEY.match(key), f"{platform}.{key}"
            assert set(section) <= {"default", "state", "state_attributes"}, key
            for state in section.get("state", {}):
                assert RE_TRANSLATION_KEY.match(state), f"{key}.{state}"
            for attribute, icons in section.get("state_attributes", {}).items():
                assert RE_TRANSLATION_KEY.match(attribute), f"{key}.{attribute}"
                assert set(icons) <= {"default", "state"}, f"{key}.{attribute}"
                for state in icons.get("state", {}):
                    assert RE_TRANSLATION_KEY.match(state), f"{key}.{attribute}.{state}"


def test_icons_never_repeat_their_default() -> None:
    """hassfest's ensure_not_same_as_default: a state icon equal to its section's
    default is an error ("the same as the default icon and thus can be removed")."""
    repeated = []
    for platform, keys in ICONS["entity"].items():
        for key, section in keys.items():
            sections = {f"{platform}.{key}": section}
            for attribute, icons in section.get("state_attributes", {}).items():
                sections[f"{platform}.{key}.{attribute}"] = icons
            for where, icons in sections.items():
                repeated += [
                    f"{where}.{state}"
                    for state, icon in icons.get("state", {}).items()
                    if icon == icons.get("default")
                ]
    assert repeated == []


def test_icons_name_what_exists() -> None:
    """Icons for translation keys, actions, triggers and conditions that exist, and one
    for each action, trigger and condition (hassfest requires it of core integrations)."""
    for platform, keys in ICONS["entity"].items():
        assert set(keys) <= set(STRINGS["entity"][platform]), platform
    assert set(ICONS.get("services", {})) == _yaml_keys("services.yaml")
    assert set(ICONS.get("triggers", {})) == _yaml_keys("triggers.yaml")
    assert set(ICONS.get("conditions", {})) == _yaml_keys("conditions.yaml")
    for name, icons in ICONS.get("services", {}).items():
        assert set(icons) <= {"service", "sections"}, name
    for kind in ("trigger", "condition"):
        for name, icons in ICONS.get(f"{kind}s", {}).items():
            assert set(icons) == {kind}, name


# --------------------------------------------------------------------------- translations


def _resolve(value: str) -> str | None:
    """A `[%key:…%]` reference as Home Assistant's translation build resolves it; None
    for Home Assistant's own strings (`common::…`), whose wording moves between
    releases: only their existence is checked."""
    match = RE_REFERENCE.fullmatch(value)
    if not match:
        assert not RE_REFERENCE.search(value), f"combined reference in {value!r}"
        return value
    first, *parts = match.group(1).split("::")
    if first == "component":
        domain, *parts = parts
        assert domain == DOMAIN, value
        tree: Any = STRINGS
    else:
        tree, parts = HA_STRINGS, [first, *parts]
    for part in parts:
        tree = tree[part]
    assert isinstance(tree, str), value
    return _resolve(tree) if first == "component" else None


def test_english_translation_is_strings_json() -> None:
    """translations/en.json has exactly strings.json's keys, references resolved."""
    strings = dict(_leaves(STRINGS))
    english = dict(_leaves(EN))
    assert sorted(english) == sorted(strings)
    for path, value in strings.items():
        resolved = _resolve(value)
        assert english[path] == resolved or (resolved is None and english[path]), path


def test_translation_text_rules() -> None:
    """hassfest: no HTML, no placeholder in single quotes ('{name}')."""
    for path, value in _leaves(STRINGS):
        assert isinstance(value, str), path
        assert not re.search(r"<[a-z/][^>]*>", value), f"{path}: HTML in {value!r}"
        assert not RE_PLACEHOLDER_IN_SINGLE_QUOTES.search(value), path


def test_translation_keys() -> None:
    """Translation keys (entities and their states, exceptions, issues, actions,
    triggers, conditions, selectors) are [a-z0-9-_]+ without a leading, trailing or
    doubled - or _."""
    keys: list[str] = []
    for platform in STRINGS.get("entity", {}).values():
        for key, entity in platform.items():
            keys.append(key)
            keys += list(entity.get("state", {}))
            for attribute, attr in entity.get("state_attributes", {}).items():
                keys += [attribute, *attr.get("state", {})]
    for section in ("exceptions", "issues", "services", "triggers", "conditions", "selector"):
        keys += list(STRINGS.get(section, {}))
    for selector in STRINGS.get("selector", {}).values():
        keys += list(selector.get("options", {}))
    assert [key for key in keys if not RE_TRANSLATION_KEY.match(key)] == []


# --------------------------------------------------------------------------- brand images


def _png(name: str) -> Image.Image:
    image = Image.open(BRAND / name)
    assert image.format == "PNG", name
    return image


def test_brand_files() -> None:
    """The images Home Assistant serves from brand/: icon.png at least, names it knows."""
    names = {path.name for path in BRAND.iterdir()}
    assert "icon.png" in names
    assert names <= ALLOWED_IMAGES
    assert names == ALLOWED_IMAGES  # all eight: @2x and dark variants drawn too


def test_brand_sizes() -> None:
    """home-assistant/brands: icons 256x256 (512x512 @2x); logos landscape, shortest
    side 128..256 (256..512 @2x); transparency; trimmed (the mark touches the edges)."""
    for name in sorted(ALLOWED_IMAGES):
        image = _png(name)
        scale = 2 if "@2x" in name else 1
        width, height = image.size
        if "icon" in name:
            assert image.size == (256 * scale, 256 * scale), name
        else:
            assert width >= height, name
            assert 128 * scale <= height <= 256 * scale, name
        assert image.mode == "RGBA", name
        assert image.getchannel("A").getbbox() == (0, 0, width, height), f"{name}: not trimmed"


async def test_home_assistant_serves_our_brand(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, enable_custom_integrations: None
) -> None:
    """The brands integration answers with our own files, dark variants included."""
    assert await async_setup_component(hass, "brands", {})
    client = await hass_client()
    for name in ("icon.png", "dark_logo@2x.png"):
        response = await client.get(f"/api/brands/integration/{DOMAIN}/{name}")
        assert response.status == 200
        assert await response.read() == (BRAND / name).read_bytes()


# --------------------------------------------------------------------------- pylint rules

# pylint_home_assistant checkers/imports.py: components that may be imported below their
# root, and helpers whose functions are used through the module (`er.async_get`).
IGNORE_ROOT_IMPORT = {
    "bluetooth", "device_tracker", "homeassistant", "homeassistant_hardware", "http",
    "recorder",
}  # fmt: skip
NAMESPACE_IMPORT = {
    f"homeassistant.helpers.{registry}_registry": {"async_get", "async_entries_for_config_entry"}
    for registry in ("area", "category", "device", "entity", "floor", "issue", "label")
}


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(COMPONENT.rglob("*.py")):
        yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def _import_problems(where: str, node: ast.ImportFrom) -> list[str]:
    module = node.module or ""
    names = {alias.name: alias.asname for alias in node.names}
    problems = []
    if node.level == 0 and module.startswith("custom_components.live_scores"):
        problems.append("hass-relative-import")
    if node.level == 0 and module.startswith("homeassistant.components."):
        parts = module.split(".")
        if parts[2] not in IGNORE_ROOT_IMPORT and (len(parts) > 3 or "const" in names):
            problems.append("hass-component-root-import")
        if "DOMAIN" in names and not (names["DOMAIN"] or "").endswith("_DOMAIN"):
            problems.append("hass-import-constant-alias")
    if names.keys() & NAMESPACE_IMPORT.get(module, set()):
        problems.append("hass-helper-namespace-import")
    if module in ("functools", "propcache") and "cached_property" in names:
        problems.append("hass-deprecated-import (propcache.api.cached_property)")
    return [f"{where}:{node.lineno}: {problem}" for problem in problems]


def test_imports_follow_home_assistant_rules() -> None:
    """Relative imports inside the package, other components imported from their root
    (W7424 / C7405), DOMAIN aliased, registries used through their module."""
    problems = []
    for where, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                problems += _import_problems(where, node)
            elif isinstance(node, ast.Import):
                problems += [
                    f"{where}:{node.lineno}: hass-component-root-import"
                    for alias in node.names
                    if alias.name.startswith("homeassistant.components.")
                    and len(alias.name.split(".")) > 3
                ]
    assert problems == []


def test_no_float_from_a_string_constant() -> None:
    """pylint's consider-math-not-float (R6106): math.inf / math.nan, not float("inf")."""
    found = [
        f"{where}:{node.lineno}"
        for where, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "float"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
        and node.args[0].value.strip().lower().lstrip("+-") in ("inf", "infinity", "nan")
    ]
    assert found == []


# --------------------------------------------------------------------------- licence


def test_licence_is_mit() -> None:
    """HACS (and GitHub's licence detection) want an OSI licence file at the root."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 Live Scores contributors" in text
    assert "Permission is hereby granted, free of charge" in text
