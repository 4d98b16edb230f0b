"""Domain wording shared by the map, the app's pages, slides, PDF pages and the fallback picture.

Dates at the precision the source gives, figures with their qualifier and unit, the filter window and
summary, and the sources line. Plain text only: callers that build HTML escape what they get here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

import pandas as pd

from dashboard.dates import parse_partial
from dashboard.model import UNIT_LABELS, Dataset, Filters
from dashboard.values import blank, grouped_number

BASEMAP_CREDIT = "Basemap: Natural Earth (public domain). Places: GeoNames (CC BY 4.0)."
NO_REPORT = "no report matches the filters"
#: The label of :func:`information_cutoff` on maps, pictures and slides, beside "As of" (when made).
CUTOFF_LABEL = "Information cutoff"

FILTER_LABELS = {
    "province": "Province",
    "document": "Document",
    "outlet": "Outlet",
    "relayed_by": "Relayed by",
    "claimant": "Claimant",
    "affiliation": "Affiliation",
    "group": "Group",
    "type": "Type",
    "actor": "Actor (imported events)",
    "known_on": "As known on",
}

_QUALIFIER_WORDS = {
    "on": "",
    "as_of": "as of ",
    "before": "before ",
    "about": "about ",
    "no_later_than": "no later than ",
    "no_earlier_than": "no earlier than ",
}

_FIGURE_WORDS = {
    "exact": "",
    "approximately": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
    "range": "",
}

_MONEY_SCALES = ((1e9, "billion"), (1e6, "million"))

#: A number for people: 12000 -> "12,000".
format_number = grouped_number


def format_date(text: object, precision: object = None, qualifier: object = None, end: object = None) -> str:
    """A partial ISO date for people, never more precise than it is.

    "2023-05" (month) -> "May 2023"; "2023" -> "2023"; "2023-05-25" -> "25 May 2023"; "2024-W23" (week)
    -> "week of 3 June 2024". A qualifier adds "as of", "no later than", "no earlier than" (and the older
    "before", "about"); an end date makes a span ("Feb 2023 – May 2023"), and the qualifier "between"
    reads the date and the end as bounds ("between 26 February 2024 and 31 March 2024").
    """
    if blank(text):
        return "date unknown"
    words = _one_date(str(text), None if blank(precision) else str(precision))
    if str(qualifier) == "between" and not blank(end):
        return f"between {words} and {_one_date(str(end), None)}"
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
    if parsed.precision == "week":
        return f"week of {parsed.first.day} {parsed.first.strftime('%B %Y')}"
    return f"{parsed.first.day} {parsed.first.strftime('%B %Y')}"


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


def data_span(flat_all: pd.DataFrame) -> tuple[str | None, str | None]:
    """The earliest start and the latest end of the reports' dates, ``date_end`` included.

    Partial dates compare by the days they cover: "2029" ends after "2029-06", "1992-05-15" starts after
    "1992-05". Values that do not parse are left out here (the validator reports them).
    """
    firsts, lasts = [], []
    columns = [c for c in ("date", "date_end") if c in flat_all.columns]
    for column in columns:
        for text in pd.unique(flat_all[column]):  # a few distinct dates among thousands of rows
            if not isinstance(text, str) or not text.strip():
                continue
            try:
                parsed = parse_partial(text.strip())
            except ValueError:
                continue
            firsts.append((parsed.first, parsed.text))
            lasts.append((parsed.last, parsed.text))
    return (min(firsts)[1] if firsts else None, max(lasts)[1] if lasts else None)


def filter_window(filters: Filters, flat_all: pd.DataFrame) -> str:
    """The dates the map shows: "May 2023 – June 2024", or "all (15 May 1992 – 2029)" with no date filter.

    An end the filter leaves open is the data's own (the latest ``date`` or ``date_end``).
    """
    first, last = data_span(flat_all)
    if not filters.start and not filters.end:
        if not first:
            return "all"
        return f"all ({format_date(first)} – {format_date(last)})"
    start = filters.start or first
    end = filters.end or last
    return f"{format_date(start) if start else '…'} – {format_date(end) if end else '…'}"


def filter_summary(filters: Filters, ds: Dataset) -> list[str]:
    """One plain-text line per restricting filter other than dates, with names instead of ids."""
    names = {}
    for frame in (ds.actors, ds.groups, ds.places):
        names.update(dict(zip(frame["id"], frame["name"], strict=True)))
    names.update(dict(zip(ds.documents["id"], ds.documents["title"], strict=True)))
    names.update(dict(zip(ds.documents["file"], ds.documents["title"], strict=True)))
    lines = []
    for f in fields(filters):
        values = getattr(filters, f.name)
        if f.name in ("start", "end") or not values:
            continue
        if f.name == "known_on":
            lines.append(f"{FILTER_LABELS['known_on']}: {format_date(values)}")
            continue
        if f.name == "include_retracted":
            lines.append("Retracted sources: included, marked")
            continue
        shown = [names.get(v, str(v).replace("_", " ")) for v in values]
        lines.append(f"{FILTER_LABELS.get(f.name, f.name)}: {', '.join(shown)}")
    return lines


def documents_in(flat: pd.DataFrame) -> pd.DataFrame:
    """One row per document behind the rows, in publication order."""
    return flat.drop_duplicates("document_id").sort_values(["published", "document_id"])


def source_items(flat: pd.DataFrame, with_titles: bool = False) -> list[str]:
    """ "Outlet (date)" per document, or "Title (Outlet, date)" with ``with_titles``."""
    items = []
    columns = ["document_id", "published", "published_precision", "title", "outlet"]
    for d in documents_in(flat[columns]).itertuples():  # only the columns read: the table has ~65
        when = format_date(d.published, d.published_precision)
        items.append(f"{d.title} ({d.outlet}, {when})" if with_titles else f"{d.outlet} ({when})")
    return items


def sources_line(
    flat: pd.DataFrame, with_titles: bool = False, credit: bool = True, imported: Sequence[str] = ()
) -> str:
    """ "Sources: Outlet (date); …." with the basemap credit after it (``credit``).

    ``imported`` holds the credit of each imported dataset (ACLED, UCDP GED) whose events are in the
    view (``dashboard.events.export.credits_in_view``): their terms ask to be named wherever their
    data are shown, so they follow the documents as "Imported events: …".
    """
    items = source_items(flat, with_titles)
    text = f"Sources: {'; '.join(items) if items else NO_REPORT}."
    if imported:
        credits = "; ".join(imported).rstrip(".")  # a credit may end with "et al."
        text += f" Imported events (context, not curated evidence): {credits}."
    return f"{text} {BASEMAP_CREDIT}" if credit else text


def references(flat: pd.DataFrame) -> list[str]:
    """Every document behind the rows in full: id, title, outlet, date, address and file."""
    return [
        f"[{d.document_id}] {d.title}. {d.outlet}, {format_date(d.published, d.published_precision)}. "
        f"{d.url} (file {d.document})"
        for d in documents_in(flat).itertuples()
    ]


def information_cutoff(flat: pd.DataFrame) -> str:
    """The information cutoff of a view: the latest publication date among its documents, at the
    precision the source gives ("12 April 2025", "April 2025"); "" when no document is in view.

    Not the time a picture was made: a map printed today from articles of April 2025 knows nothing
    after April 2025.
    """
    if flat.empty or "published" not in flat.columns:
        return ""
    precisions = flat["published_precision"] if "published_precision" in flat.columns else None
    latest = None
    pairs = zip(flat["published"], precisions if precisions is not None else [None] * len(flat), strict=True)
    for text, precision in set(pairs):
        if blank(text):
            continue
        try:
            parsed = parse_partial(str(text), None if blank(precision) else str(precision))
        except ValueError:
            continue
        key = (parsed.last, parsed.first)
        if latest is None or key > latest[0]:
            latest = (key, text, precision)
    return format_date(latest[1], latest[2]) if latest else ""
