"""Rules for all our Python: 3.14 idioms, and no import circle among the scripts' helpers."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).parent.parent
SOURCES = ("custom_components", "tests", "scripts")


def _python_files() -> list[Path]:
    return sorted(path for folder in SOURCES for path in (ROOT / folder).rglob("*.py"))


def test_no_future_annotations() -> None:
    """Python 3.14 defers annotations: `from __future__ import annotations` is noise."""
    found = [
        str(path.relative_to(ROOT))
        for path in _python_files()
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.ImportFrom) and node.module == "__future__"
    ]
    assert found == []


def test_scripts_lib_has_no_import_circle() -> None:
    """The helpers in scripts/lib import one another (they run from there) in one direction."""
    lib = ROOT / "scripts/lib"
    names = {path.stem for path in lib.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in lib.glob("*.py"):
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module)
        graph[path.stem] = imported & names
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as err:  # pragma: no cover - the failure's message
        raise AssertionError(f"import circle: {err.args[1]}") from None
