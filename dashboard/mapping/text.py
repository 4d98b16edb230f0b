"""Text that reaches HTML: escaped by construction.

Article text is untrusted. Leaflet sets tooltips, popups and DivIcon labels through ``innerHTML``;
folium's own templates evaluate ``${...}`` in some paths; a Markdown HTML block (the page's
presentation notes) ends at a blank line; and a right-to-left override turns "gnp.exe" into what reads
as "exe.png". So every piece of HTML is an :class:`Html` value (a ``markupsafe.Markup``) built from a
fixed template with :func:`html`: the template is trusted, and every value filled into it goes through
:func:`esc`, which

- escapes ``& < > " '`` (markupsafe),
- writes ``$``, ``{``, ``}`` and backticks as character references (no template syntax survives),
- writes line breaks as character references (the same text in HTML, but no blank line for Markdown),
- replaces the bidirectional controls U+202A–U+202E and U+2066–U+2069 with U+FFFD (see
  :func:`visible`, which plain-text displays use too).

An ``Html`` value passes through unchanged, so fragments nest; a plain ``str`` never does. The map's
elements (:mod:`.elements`) refuse HTML properties that are not ``Html``.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup
from markupsafe import escape as _escape_html

from dashboard.values import blank

#: The bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069).
BIDI_CONTROLS = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
#: What a bidirectional control becomes: visible, and without any effect on the text around it.
BIDI_MARKER = "\ufffd"

_BIDI = str.maketrans(dict.fromkeys(BIDI_CONTROLS, BIDI_MARKER))
_EXTRA = str.maketrans(
    {
        "$": "&#36;",
        "{": "&#123;",
        "}": "&#125;",
        "`": "&#96;",
        "\n": "&#10;",
        "\r": "&#13;",
        **dict.fromkeys(BIDI_CONTROLS, BIDI_MARKER),
    }
)


def visible(value: object) -> str:
    """Any value as display text: blank (None, NaN) as "", bidirectional controls made visible.

    The one rule for plain text shown by the app or the map (table cells, chart labels, widget
    options); :func:`esc` applies it to HTML and ``dashboard.ui.text.md`` to Markdown.
    """
    if _missing(value):
        return ""
    return str(value).translate(_BIDI)


def _missing(value: object) -> bool:
    """None, NaN, pandas' NA/NaT (a blank *string* is still text: it is kept)."""
    return not isinstance(value, str) and blank(value)


class Html(Markup):
    """HTML built by this project: every value added, joined or formatted into it goes through :func:`esc`."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any, /) -> Html:
        """Escape ``s`` with :func:`esc` (``Markup`` calls this for ``+``, ``%``, ``join`` and ``format``)."""
        return esc(s)

    def format(self, *args: Any, **kwargs: Any) -> Html:
        """Fill the template; each value is escaped with :func:`esc`, a blank value is ""."""
        return Html(_FORMATTER.vformat(self, args, kwargs))

    def format_map(self, mapping: Any, /) -> Html:  # type: ignore[override]
        """As :meth:`format`, from a mapping."""
        return Html(_FORMATTER.vformat(self, (), mapping))


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if hasattr(value, "__html__"):
            if format_spec:
                raise ValueError(f"format spec {format_spec!r} given for HTML")
            return value.__html__()
        if _missing(value):
            return ""
        return esc(format(value, format_spec))


_FORMATTER = _Formatter()


def esc(value: object) -> Html:
    """Escape any value for HTML text or attribute content, template syntax and bidi controls included.

    ``None`` and NaN give ""; an ``Html`` (or any object with ``__html__``) is kept as it is.
    """
    if hasattr(value, "__html__"):
        return Html(value.__html__())
    return Html(str(_escape_html(visible(value))).translate(_EXTRA))


def html(template: str, /, *args: Any, **kwargs: Any) -> Html:
    """``template`` (fixed markup written in this code, never data) with each value escaped into it.

    >>> html("<b>{}</b>: {quote}", "Claim c001", quote="<img src=x>")
    Html('<b>Claim c001</b>: &lt;img src=x&gt;')
    """
    return Html(template).format(*args, **kwargs)


def join(separator: str, items: Iterable[object]) -> Html:
    """``items`` joined by the fixed markup ``separator``; each item escaped unless already ``Html``."""
    return Html(separator).join(items)


def join_escaped(values: Iterable[object], sep: str = ", ") -> Html:
    """Escape each value and join them, skipping blanks and repeats."""
    seen: list[str] = []
    for value in values:
        if not blank(value) and str(value) not in seen:
            seen.append(str(value))
    return join(sep, seen)


def require_html(value: object, where: str) -> Html | Markup:
    """``value`` if it is escaped markup, else a ``TypeError`` naming ``where``.

    The map's elements call this on every HTML property, so a plain string (text that skipped
    :func:`esc`) stops the map from being built instead of reaching ``innerHTML``.
    """
    if not isinstance(value, Markup):
        kind = type(value).__name__
        raise TypeError(f"{where}: HTML must be built with dashboard.mapping.text.html(), not as {kind}")
    return value
