"""The export modules import one another without a cycle, deferred (function-level) imports included."""

from __future__ import annotations

import ast
from pathlib import Path

EXPORTS = Path(__file__).resolve().parents[1] / "dashboard" / "exports"
PACKAGE = "dashboard.exports"


def _imports(path: Path) -> set[str]:
    """The ``dashboard.exports`` submodules that ``path`` imports anywhere in its text."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name for name in names if name.startswith(PACKAGE + ".")}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {f"{PACKAGE}.{p.stem}": p for p in EXPORTS.glob("*.py") if p.stem != "__init__"}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (depth-first search, grey/black marking)."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for dep in sorted(graph[node]):
            if state.get(dep) == "open":
                return path[path.index(dep) :] + [dep]
            if dep not in state and (found := visit(dep, path + [dep])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_export_modules_import_no_cycle():
    graph = _graph()
    assert f"{PACKAGE}.picture" in graph and graph[f"{PACKAGE}.fallback"]
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def _wording_names() -> set[str]:
    """The public names ``dashboard/wording.py`` defines at its top level (functions and constants)."""
    tree = ast.parse((EXPORTS.parent / "wording.py").read_text(encoding="utf-8"))
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    names |= {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets}
    return {name for name in names if not name.startswith("_")}


def _mapping_imports(path: Path) -> set[str]:
    """The names ``path`` imports from ``dashboard.mapping`` or one of its modules."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dashboard.mapping"):
            names |= {alias.name for alias in node.names}
    return names


def test_exports_take_their_words_from_wording():
    """Dates, figures, sources and filter summaries come from ``dashboard.wording``, never through the
    map package (which imports some of them itself, so they could be imported from it)."""
    wording = _wording_names()
    assert {"format_date", "format_figure", "sources_line", "filter_summary"} <= wording
    for path in sorted(EXPORTS.glob("*.py")):
        assert not _mapping_imports(path) & wording, path.name
