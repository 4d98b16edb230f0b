"""Exports take their words from ``dashboard.wording`` (import cycles: ``tests/test_imports.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

EXPORTS = Path(__file__).resolve().parents[1] / "dashboard" / "exports"


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
