"""Entries of a stack's list: where several symbols sit on (nearly) one spot, the map draws them spread
round a numbered disc, and clicking the disc opens one popup listing every record there.

Which symbols form a stack depends on the zoom and the screen, so the browser groups them
(``DashMap.points`` in ``dashboard-map.js``). What each record's line in the list says is written here,
once per record, with :func:`.text.html`: the symbol, the title, what and when (the date at its
precision), and who said it and where it was published. The browser only wraps each line in a
button that opens the record's own popup.
"""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.mapping.js_symbols import symbol_svg
from dashboard.mapping.text import Html, html
from dashboard.values import blank

#: Size of the symbol in front of each line of the list, in CSS pixels (grows with the map's type).
KEY_SIZE = 14


def _distinct(values: Iterable[object]) -> list[str]:
    """Non-blank values as text, each once, in order."""
    return list(dict.fromkeys(str(v).strip() for v in values if not blank(v) and str(v).strip()))


def who_line(reports: list[dict]) -> str:
    """ "Claimant: Anatoly Sidorov · Source: Izvestia" from an event's reports (plain text).

    Several claimants or outlets are listed, each once; a report with no claimant names only its source.
    """
    claimants = _distinct(r.get("claimant_name") for r in reports)
    outlets = _distinct(r.get("outlet") for r in reports)
    parts = []
    if claimants:
        parts.append(f"Claimant{'s' if len(claimants) > 1 else ''}: {'; '.join(claimants)}")
    if outlets:
        parts.append(f"Source{'s' if len(outlets) > 1 else ''}: {', '.join(outlets)}")
    return " · ".join(parts) or "No claimant or source named"


def entry_html(shape: str, colour: str, title: object, what: str, who: str) -> Html:
    """One line of a stack's list: the record's symbol, its title, what and when, and who said it."""
    return html(
        "<span class='dm-stack-key'>{}</span><span class='dm-stack-text'><b>{}</b>"
        "<span class='dm-meta'>{}<br>{}</span></span>",
        symbol_svg(shape, colour, KEY_SIZE),
        title,
        what,
        who,
    )
