"""Every translations/<language>.json mirrors translations/en.json.

Same key paths, the same placeholders and `[%key:…%]` references in each string, only
non-empty strings, the languages the README promises, and hassfest's text rules
(script/hassfest/translations.py: no HTML, no placeholder in single quotes; and no
leading or trailing whitespace). en.json itself is strings.json resolved:
tests/test_validators.py.
"""

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.generated.languages import LANGUAGES
import pytest

TRANSLATIONS = Path(__file__).parent.parent / "custom_components" / "live_scores" / "translations"
SHIPPED = {"de", "el", "en", "es", "fr", "it", "nl", "pl", "pt-BR", "sk", "sv"}
FILES = sorted(TRANSLATIONS.glob("*.json"))
TRANSLATED = [path for path in FILES if path.stem != "en"]

RE_REFERENCE = re.compile(r"\[%key:[^%]+%\]")
RE_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
RE_HTML = re.compile(r"<[a-z/][^>]*>")
RE_PLACEHOLDER_IN_SINGLE_QUOTES = re.compile(r"'{\w+}'")


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        pytest.fail(f"{path.name} is not valid UTF-8 JSON: {err}")


def _leaves(tree: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(key path, value) of every value that is not a non-empty object."""
    if isinstance(tree, dict) and tree:
        for key, value in tree.items():
            yield from _leaves(value, f"{path}/{key}")
    else:
        yield path, tree


def _strings(path: Path) -> dict[str, str]:
    """The file's strings by key path; fails on anything else (null, number, list, {})."""
    tree = _load(path)
    assert isinstance(tree, dict), f"{path.name}: the top level is not an object"
    leaves = dict(_leaves(tree))
    wrong = [f"  {key}: {value!r}" for key, value in leaves.items() if not isinstance(value, str)]
    assert not wrong, f"{path.name}: values that are not strings:\n" + "\n".join(wrong)
    return leaves


ENGLISH = _strings(TRANSLATIONS / "en.json")


def _placeholders(text: str) -> set[str]:
    return set(RE_PLACEHOLDER.findall(RE_REFERENCE.sub("", text)))


def _ids(paths: list[Path]) -> list[str]:
    return [path.stem for path in paths]


def test_the_promised_languages_ship() -> None:
    """The eleven languages of the README, each a language Home Assistant knows."""
    present = {path.stem for path in FILES}
    assert not SHIPPED - present, f"missing translations: {sorted(SHIPPED - present)}"
    unknown = present - set(LANGUAGES)
    assert not unknown, f"not Home Assistant language codes: {sorted(unknown)}"


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_only_non_empty_strings(path: Path) -> None:
    empty = [f"  {key}" for key, value in _strings(path).items() if not value.strip()]
    assert not empty, f"{path.name}: empty strings:\n" + "\n".join(empty)


@pytest.mark.parametrize("path", TRANSLATED, ids=_ids(TRANSLATED))
def test_same_keys_as_english(path: Path) -> None:
    keys = set(_strings(path))
    differences = [f"  missing {key}" for key in sorted(set(ENGLISH) - keys)]
    differences += [f"  extra   {key}" for key in sorted(keys - set(ENGLISH))]
    assert not differences, f"{path.name} differs from en.json:\n" + "\n".join(differences)


@pytest.mark.parametrize("path", TRANSLATED, ids=_ids(TRANSLATED))
def test_same_placeholders_and_references_as_english(path: Path) -> None:
    """{name}-style placeholders and untranslated [%key:…%] references, string by string."""
    differences = []
    for key, text in _strings(path).items():
        english = ENGLISH.get(key)
        if english is None:
            continue  # reported by test_same_keys_as_english
        if _placeholders(text) != _placeholders(english):
            differences.append(
                f"  {key}: placeholders {sorted(_placeholders(text))},"
                f" en.json has {sorted(_placeholders(english))}"
            )
        if set(RE_REFERENCE.findall(text)) != set(RE_REFERENCE.findall(english)):
            differences.append(
                f"  {key}: references {sorted(RE_REFERENCE.findall(text))},"
                f" en.json has {sorted(RE_REFERENCE.findall(english))}"
            )
    assert not differences, f"{path.name}:\n" + "\n".join(differences)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_hassfest_text_rules(path: Path) -> None:
    """No surrounding whitespace, no '{placeholder}' in single quotes, no HTML unless
    the English string has it."""
    broken = []
    for key, text in _strings(path).items():
        if text != text.strip():
            broken.append(f"  {key}: leading or trailing whitespace in {text!r}")
        if RE_PLACEHOLDER_IN_SINGLE_QUOTES.search(text):
            broken.append(f"  {key}: placeholder in single quotes in {text!r}")
        if RE_HTML.search(text) and not RE_HTML.search(ENGLISH.get(key, "")):
            broken.append(f"  {key}: HTML in {text!r}")
    assert not broken, f"{path.name}:\n" + "\n".join(broken)


@pytest.mark.parametrize("path", TRANSLATED, ids=_ids(TRANSLATED))
def test_translated_not_copied(path: Path) -> None:
    """Most strings differ from English: a copy of en.json is not a translation
    (names such as SportsAPIPro, URL or Sport may legitimately stay the same)."""
    strings = _strings(path)
    same = sorted(f"  {key}" for key, text in strings.items() if text == ENGLISH.get(key))
    assert len(same) * 4 < len(strings), (
        f"{path.name}: {len(same)} of {len(strings)} strings are the English text:\n"
        + "\n".join(same)
    )
