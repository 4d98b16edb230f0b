"""Tooltip and popup HTML for map features, built from escaped text only (see :mod:`.text`)."""

from __future__ import annotations

import pandas as pd

from dashboard.mapping.text import esc, join_escaped
from dashboard.values import blank, split_ids
from dashboard.wording import format_date, format_figure

#: Records listed in one popup; the rest are counted and left to the side panel.
POPUP_LIMIT = 6


def record_html(row: dict) -> str:
    """One claim or event as the evidence behind it: what, figure, quote, who, relayed by, where, when."""
    figure = format_figure(
        row.get("figure_low"),
        row.get("figure_best"),
        row.get("figure_high"),
        row.get("figure_qualifier"),
        row.get("unit"),
    )
    kind = "Claim" if row.get("kind") == "claim" else "Event"
    head = f"<b>{esc(kind)} {esc(row.get('id'))}</b>: {esc(row.get('subject'))}"
    if figure:
        head += f" — <b>{esc(figure)}</b>"
    parts = [f"<div class='dm-record'>{head}"]
    parts.append(f"<blockquote>“{esc(row.get('quote'))}”</blockquote>")
    meta = []
    if not blank(row.get("claimant_name")):
        who = esc(row["claimant_name"])
        if not blank(row.get("claimant_role")):
            who += f" ({esc(row['claimant_role'])})"
        meta.append(f"Claimant: {who}")
    relayed = split_ids(row.get("relayed_by_names"))
    if relayed:
        meta.append(f"Relayed by: {join_escaped(relayed)}")
    when = format_date(
        row.get("date"), row.get("date_precision"), row.get("date_qualifier"), row.get("date_end")
    )
    meta.append(f"Date: {esc(when)}")
    published = format_date(row.get("published"), row.get("published_precision"))
    meta.append(
        f"Document: {esc(row.get('title'))} — {esc(row.get('outlet'))}, {esc(published)} "
        f"({esc(row.get('document'))})"
    )
    parts.append("<div class='dm-meta'>" + "<br>".join(meta) + "</div></div>")
    return "".join(parts)


def records_popup(title: str, rows: pd.DataFrame | list[dict], intro: str = "") -> str:
    """A popup: escaped title, an optional escaped intro line, and up to ``POPUP_LIMIT`` records."""
    html = [f"<h4>{esc(title)}</h4>"]
    if intro:
        html.append(f"<div class='dm-meta'>{esc(intro)}</div>")
    total = len(rows)
    # Only the rows shown become dicts: a province may be named by thousands of reports.
    records = rows[:POPUP_LIMIT] if isinstance(rows, list) else rows.head(POPUP_LIMIT).to_dict("records")
    html.extend(record_html(r) for r in records)
    if total > POPUP_LIMIT:
        html.append(
            f"<div class='dm-meta'>… and {total - POPUP_LIMIT} more report(s): see the side panel.</div>"
        )
    if not total:
        html.append("<div class='dm-meta'>No report in the current filter window.</div>")
    return "".join(html)


def count_line(rows: pd.DataFrame) -> str:
    """ "3 claims, 1 event in 2 documents" (plain text; escape before use)."""
    claims = rows.loc[rows["kind"] == "claim", "id"].nunique()
    events = rows.loc[rows["kind"] == "event", "id"].nunique()
    docs = rows["document"].nunique()
    return (
        f"{claims} claim{'s' if claims != 1 else ''}, {events} event{'s' if events != 1 else ''} "
        f"in {docs} document{'s' if docs != 1 else ''}"
    )
