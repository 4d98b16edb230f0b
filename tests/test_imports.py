"""The shape of the package: no import cycle anywhere in dashboard/, Streamlit only in the UI layer.

Imports are read with ``ast`` from the source, including those inside functions (a cycle hidden in a
function body still ties two modules together), so nothing needs importing to be checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "dashboard"
#: Where Streamlit may be imported.
UI_LAYER = ("dashboard.app", "dashboard.ui")
STREAMLIT = ("streamlit", "streamlit_folium")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, tuple[Path, ast.Module]]:
    return {
        _module_name(path): (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _imported(module: str, is_package: bool, tree: ast.Module) -> set[str]:
    """Every module name the source imports, dashboard's or not (relative imports made absolute)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(_absolute(module, is_package, node))
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the dashboard modules it imports.

    ``from package import name`` counts as importing ``package.name`` when that is a module, else as
    importing ``package``; the parent packages Python runs first are not counted (a package's
    ``__init__`` importing its own modules would otherwise always close a loop).
    """
    sources = _sources()
    graph: dict[str, set[str]] = {}
    for module, (path, tree) in sources.items():
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name in sources)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(module, path.name == "__init__.py", node)
                for alias in node.names:
                    name = f"{base}.{alias.name}"
                    targets.add(name if name in sources else base)
        graph[module] = {t for t in targets if t in sources and t != module}
    return graph


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    anchor = module.split(".") if is_package else module.split(".")[:-1]
    anchor = anchor[: len(anchor) - node.level + 1]
    return ".".join([*anchor, node.module] if node.module else anchor)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_sees_the_package():
    graph = import_graph()
    assert {"dashboard.cli", "dashboard.cli.export", "dashboard.exports.run", "dashboard.server"} <= set(
        graph
    )
    assert "dashboard.exports.run" in graph["dashboard.cli.export"]  # imports inside functions count
    assert "dashboard.exports.tabular" in graph["dashboard.exports.formats"]  # `from pkg import module`


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_the_package():
    graph = import_graph()
    assert graph["dashboard.exports.fallback"] and "dashboard.exports.picture" in graph
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The module graph folded onto dashboard's first-level parts (``dashboard.cli``, ``dashboard.exports``,
    ``dashboard.filters`` ...): two parts that import each other are tied even through different modules."""

    def part(module: str) -> str:
        return ".".join(module.split(".")[:2])

    folded: dict[str, set[str]] = {}
    for source, targets in graph.items():
        folded.setdefault(part(source), set()).update(part(t) for t in targets if part(t) != part(source))
    return folded


def test_no_import_cycle_between_parts_of_the_package():
    """``commands`` and ``exports`` once imported each other through different modules."""
    cycle = find_cycle(package_graph(import_graph()))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_exports_never_import_the_command_line():
    graph = import_graph()
    offenders = {
        module: sorted(t for t in targets if t == "dashboard.cli" or t.startswith("dashboard.cli."))
        for module, targets in graph.items()
        if module.startswith("dashboard.exports")
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def test_only_the_ui_layer_imports_streamlit():
    offenders = []
    for module, (path, tree) in _sources().items():
        if module in UI_LAYER or module.startswith(tuple(f"{u}." for u in UI_LAYER)):
            continue
        for name in _imported(module, path.name == "__init__.py", tree):
            if name.split(".")[0] in STREAMLIT:
                offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert offenders == []
