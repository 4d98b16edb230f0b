"""Text that reaches the map's HTML: escaping, dates with their precision, figures with their wording.

Article text is untrusted. Leaflet sets tooltips, popups and DivIcon labels through ``innerHTML``, and
folium's own templates evaluate ``${...}`` in some paths, so every string from the data goes through
:func:`esc`, which escapes HTML and also ``$``, ``{``, ``}`` and backticks. Markup is only ever built
here, around escaped text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

from dashboard.dates import parse_partial

_EXTRA = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"})

_QUALIFIER_WORDS = {"on": "", "as_of": "as of ", "before": "before ", "about": "about "}

_FIGURE_WORDS = {
    "exact": "",
    "approximately": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
    "range": "",
}


def esc(value: object) -> str:
    """Escape any value for HTML text or attribute content, template syntax included."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).translate(_EXTRA)


def blank(value: object) -> bool:
    """True for None, NaN and empty or whitespace-only strings (how pandas gives missing cells)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return str(value).strip() == ""


def format_date(text: object, precision: object = None, qualifier: object = None, end: object = None) -> str:
    """A partial ISO date for people, never more precise than it is.

    "2023-05" (month) -> "May 2023"; "2023" -> "2023"; "2023-05-25" -> "25 May 2023"; a qualifier
    adds "as of", "before" or "about"; an end date makes a span ("Feb 2023 – May 2023").
    """
    if blank(text):
        return "date unknown"
    words = _one_date(str(text), None if blank(precision) else str(precision))
    if not blank(end):
        words = f"{words} – {_one_date(str(end), None)}"
    prefix = "" if blank(qualifier) else _QUALIFIER_WORDS.get(str(qualifier), f"{qualifier} ")
    return f"{prefix}{words}"


def _one_date(text: str, precision: str | None) -> str:
    try:
        parsed = parse_partial(text, precision)
    except ValueError:
        return text  # shown as stored rather than reinterpreted
    if parsed.precision == "year":
        return parsed.text
    if parsed.precision == "month":
        return parsed.first.strftime("%B %Y")
    return f"{parsed.first.day} {parsed.first.strftime('%B %Y')}"


def format_number(value: object) -> str:
    """12000 -> "12,000"; 1.5 -> "1.5"; missing -> ""."""
    if blank(value):
        return ""
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


_MONEY_SCALES = ((1e9, "billion"), (1e6, "million"))


def format_money(value: object) -> str:
    """9.4e9 -> "US$9.4 billion"; 250000 -> "US$250,000"; missing -> "" (as a reader would say it)."""
    if blank(value):
        return ""
    number = float(value)
    for size, word in _MONEY_SCALES:
        if abs(number) >= size:
            return f"US${format_number(round(number / size, 3))} {word}"
    return f"US${format_number(number)}"


def format_figure(
    low: object, best: object, high: object, qualifier: object = None, unit: object = None
) -> str:
    """A figure as it was worded: "about 4,000 fighters", "6,000–6,500 fighters", "more than 20 ..."."""
    from dashboard.model import UNIT_LABELS

    if str(unit) == "USD":
        # Money reads as "US$9.4 billion", not "9,400,000,000 US dollars".
        lo, be, hi = format_money(low), format_money(best), format_money(high)
        unit = None
    else:
        lo, be, hi = format_number(low), format_number(best), format_number(high)
    if lo and hi and lo != hi:
        core = f"{lo}–{hi}"
        if be and be not in (lo, hi):
            core += f" (best {be})"
    else:
        core = be or lo or hi
    if not core:
        return ""
    words = "" if blank(qualifier) else _FIGURE_WORDS.get(str(qualifier), "")
    if str(qualifier) == "range" or (lo and hi and lo != hi):
        words = ""
    label = "" if blank(unit) else " " + UNIT_LABELS.get(str(unit), str(unit))
    return f"{words}{core}{label}"


def split_ids(value: object) -> list[str]:
    """';'-separated ids -> list, ignoring blanks."""
    if blank(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def join_escaped(values: Iterable[object], sep: str = ", ") -> str:
    """Escape each value and join them, skipping blanks and repeats."""
    seen: list[str] = []
    for value in values:
        if not blank(value) and str(value) not in seen:
            seen.append(str(value))
    return sep.join(esc(v) for v in seen)
