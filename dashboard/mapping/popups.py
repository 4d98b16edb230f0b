"""Tooltip and popup HTML for map features, built from fixed templates with :func:`.text.html`."""

from __future__ import annotations

import pandas as pd

from dashboard.mapping.text import Html, html, join, join_escaped
from dashboard.values import blank, split_ids
from dashboard.wording import format_date, format_figure

#: Records listed in one popup; the rest are counted and left to the side panel.
POPUP_LIMIT = 6
#: The columns :func:`record_html` reads. A popup turns only these into dicts: the flat table has some
#: sixty, and converting them all for every province, country and border made most of a map's build.
RECORD_COLUMNS = (
    "kind", "id", "subject", "retracted", "retraction_reason", "figure_low", "figure_best", "figure_high",
    "figure_qualifier", "unit", "claimant_name", "claimant_role", "relayed_by_names", "date",
    "date_precision", "date_qualifier", "date_end", "published", "published_precision", "title", "outlet",
    "document", "quote",
)  # fmt: skip


def record_html(row: dict) -> Html:
    """One claim or event as the evidence behind it: what, figure, quote, who, relayed by, where, when."""
    figure = format_figure(
        row.get("figure_low"),
        row.get("figure_best"),
        row.get("figure_high"),
        row.get("figure_qualifier"),
        row.get("unit"),
    )
    kind = "Claim" if row.get("kind") == "claim" else "Event"
    head = html("<b>{} {}</b>: {}", kind, row.get("id"), row.get("subject"))
    if not blank(row.get("retracted")):  # shown only when retracted reports are asked for
        head = html("<b class='dm-retracted'>[{}]</b> ", str(row["retracted"]).upper()) + head
    if figure:
        head += html(" — <b>{}</b>", figure)
    meta = []
    if not blank(row.get("claimant_name")):
        who = html("{}", row["claimant_name"])
        if not blank(row.get("claimant_role")):
            who += html(" ({})", row["claimant_role"])
        meta.append(html("Claimant: {}", who))
    relayed = split_ids(row.get("relayed_by_names"))
    if relayed:
        meta.append(html("Relayed by: {}", join_escaped(relayed)))
    when = format_date(
        row.get("date"), row.get("date_precision"), row.get("date_qualifier"), row.get("date_end")
    )
    meta.append(html("Date: {}", when))
    published = format_date(row.get("published"), row.get("published_precision"))
    meta.append(
        html(
            "Document: {} — {}, {} ({})", row.get("title"), row.get("outlet"), published, row.get("document")
        )
    )
    if not blank(row.get("retracted")):
        meta.append(html("{}: {}", str(row["retracted"]).capitalize(), row.get("retraction_reason")))
    return html(
        "<div class='dm-record'>{}<blockquote>“{}”</blockquote><div class='dm-meta'>{}</div></div>",
        head,
        row.get("quote"),
        join("<br>", meta),
    )


def records_popup(title: str, rows: pd.DataFrame | list[dict], intro: str = "") -> Html:
    """A popup: escaped title, an optional escaped intro line, and up to ``POPUP_LIMIT`` records."""
    parts = [html("<h4>{}</h4>", title)]
    if intro:
        parts.append(html("<div class='dm-meta'>{}</div>", intro))
    total = len(rows)
    # Only the rows shown become dicts: a province may be named by thousands of reports.
    if isinstance(rows, list):
        records = rows[:POPUP_LIMIT]
    else:
        records = head_records(rows, POPUP_LIMIT, RECORD_COLUMNS)
    parts.extend(record_html(r) for r in records)
    if total > POPUP_LIMIT:
        parts.append(
            html(
                "<div class='dm-meta'>… and {} more report(s): see the side panel.</div>", total - POPUP_LIMIT
            )
        )
    if not total:
        parts.append(html("<div class='dm-meta'>No report in the current filter window.</div>"))
    return join("", parts)


def head_records(rows: pd.DataFrame, n: int, columns: tuple[str, ...]) -> list[dict]:
    """The first ``n`` rows as dicts of those of ``columns`` the table has (as ``to_dict("records")``
    gives them, without slicing the table first: a popup's few rows cost ~10x less this way)."""
    present = [c for c in columns if c in rows.columns]
    cells = (rows[c].tolist()[:n] for c in present)
    return [dict(zip(present, values, strict=True)) for values in zip(*cells, strict=True)]


def count_line(rows: pd.DataFrame) -> str:
    """ "3 claims, 1 event in 2 documents" (plain text; escape before use)."""
    pairs = list(zip(rows["kind"].tolist(), rows["id"].tolist(), strict=True))
    claims = len({ident for kind, ident in pairs if kind == "claim"})
    events = len({ident for kind, ident in pairs if kind == "event"})
    docs = len({d for d in rows["document"].tolist() if not pd.isna(d)})
    return (
        f"{claims} claim{'s' if claims != 1 else ''}, {events} event{'s' if events != 1 else ''} "
        f"in {docs} document{'s' if docs != 1 else ''}"
    )
