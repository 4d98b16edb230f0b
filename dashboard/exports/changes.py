"""The "what changed" report (:class:`dashboard.changes.Changes`) as plain text, Markdown or CSV.

Plain text is for a terminal; Markdown for a brief (every value escaped, so a quote cannot turn into a
link, an image or a heading); CSV has one row per item, every text cell quoted and neutralised as in
the table exports (:func:`dashboard.exports.tabular.neutralise`), so no cell runs as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from dashboard.changes import Changes, Said
from dashboard.exports.tabular import neutralise

#: File extensions and what they hold.
FORMATS = {".md": "markdown", ".markdown": "markdown", ".csv": "csv"}
CSV_COLUMNS = (
    "section",
    "kind",
    "id",
    "subject",
    "report_id",
    "document_id",
    "outlet",
    "published",
    "claimant",
    "relayed_by",
    "figure",
    "quote",
    "previous_report_id",
    "previous_document_id",
    "previous_outlet",
    "previous_published",
    "previous_claimant",
    "previous_figure",
    "previous_quote",
    "retracted",
    "note",
)
_SECTIONS = {
    "new": "New claims and events",
    "corroborated": "New reports of claims and events already known (corroboration)",
    "moved": "Figures that moved",
    "retractions": "Retractions",
}


def _who(s: Said) -> str:
    who = s.claimant or "no claimant named"
    relayed = f", relayed by {s.relayed_by}" if s.relayed_by else ""
    mark = f" [{s.retracted.upper()}]" if s.retracted else ""
    return f"{who}{relayed} — {s.outlet}, {s.published} ({s.document_id}, {s.report_id}){mark}"


def _lines(ch: Changes, text: Callable[[str], str], markdown: bool) -> list[str]:
    """The report's lines; ``text`` escapes values (Markdown) or leaves them as they are."""
    bullet, quote = "- ", "> " if markdown else ""
    out = [f"{'# ' if markdown else ''}{text('What changed ' + ch.window)}", ""]
    if ch.empty:
        return [*out, text("Nothing became known in this window under these filters.")]
    for key, title in _SECTIONS.items():
        items = getattr(ch, key)
        if items:
            out += [f"{'## ' if markdown else ''}{text(f'{title} ({len(items)})')}", ""]
            for item in items:
                out += _item(key, item, text, bullet, quote)
            out.append("")
    return out


def _said(s: Said, text: Callable[[str], str], bullet: str, quote: str, label: str = "") -> list[str]:
    figure = f"{s.figure}: " if s.figure else ""
    return [
        f"    {bullet}{text(label + figure + _who(s))}",
        f"      {quote}{text('“' + s.quote + '”')}",
    ]


def _item(key: str, item, text, bullet: str, quote: str) -> list[str]:
    if key == "new":
        lines = [f"{bullet}{text(f'New {item.kind} {item.id}: {item.subject}')}"]
        for s in item.reports:
            lines += _said(s, text, bullet, quote)
        return lines
    if key == "corroborated":
        lines = [f"{bullet}{text(f'{item.kind.capitalize()} {item.id}: {item.subject}')}"]
        for s in item.new:
            lines += _said(s, text, bullet, quote, "new report: ")
        known = ", ".join(f"{s.outlet} ({s.published})" for s in item.known)
        lines.append(f"    {bullet}{text('known before from: ' + known)}")
        return lines
    if key == "moved":
        head = f"{item.series}: {item.old.figure} → {item.new.figure}"
        lines = [f"{bullet}{text(head)}"]
        lines += _said(item.old, text, bullet, quote, f"before ({item.old.kind} {item.old.record_id}): ")
        lines += _said(item.new, text, bullet, quote, f"now ({item.new.kind} {item.new.record_id}): ")
        return lines
    shown = f"{item.target_kind} {item.target} {item.kind} on {item.date} ({item.id}): {item.reason}"
    return [f"{bullet}{text(shown + f' — {item.reports} report(s) in this view rest on it')}"]


def changes_text(ch: Changes) -> str:
    """The report for a terminal."""
    return "\n".join(_lines(ch, str, markdown=False)).rstrip() + "\n"


#: Inline markup (emphasis, code, links, images, HTML, tables, maths) and what GFM links by itself
#: ("https://", "www.", "name@host"). Values never start a line (each follows a fixed prefix), so the
#: marks that matter only there (#, -, +, 1.) are left as they are, which keeps the file readable.
_MD_INLINE = re.compile(r"[\\`*_{}\[\]<>!|~$&@]|(?<=[A-Za-z]):(?=//)|(?<=\bwww)\.")


def md_text(value: str) -> str:
    """A value escaped for Markdown (a backslash before each mark in ``_MD_INLINE``, which CommonMark
    allows before any ASCII punctuation); line breaks become spaces."""
    return _MD_INLINE.sub(lambda m: "\\" + m.group(), " ".join(str(value).splitlines()))


def changes_markdown(ch: Changes) -> bytes:
    """The report as a Markdown document (UTF-8)."""
    lines = _lines(ch, md_text, markdown=True)  # quotes indented under their item stay inside it
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _row(section: str, s: Said, previous: Said | None = None, note: str = "") -> dict[str, str]:
    row = {
        "section": section,
        "kind": s.kind,
        "id": s.record_id,
        "subject": s.subject,
        "report_id": s.report_id,
        "document_id": s.document_id,
        "outlet": s.outlet,
        "published": s.published,
        "claimant": s.claimant,
        "relayed_by": s.relayed_by,
        "figure": s.figure,
        "quote": s.quote,
        "retracted": s.retracted,
        "note": note,
    }
    if previous is not None:
        row.update(
            previous_report_id=previous.report_id,
            previous_document_id=previous.document_id,
            previous_outlet=previous.outlet,
            previous_published=previous.published,
            previous_claimant=previous.claimant,
            previous_figure=previous.figure,
            previous_quote=previous.quote,
        )
    return row


def changes_rows(ch: Changes) -> list[dict[str, str]]:
    """One row per report (new, corroborating, moved) and per retraction, in ``CSV_COLUMNS``."""
    rows = [_row("new", s) for item in ch.new for s in item.reports]
    rows += [_row("corroborated", s) for item in ch.corroborated for s in item.new]
    rows += [_row("moved", m.new, m.old, m.series) for m in ch.moved]
    for r in ch.retractions:
        rows.append(
            {
                "section": "retraction",
                "kind": r.target_kind,
                "id": r.target,
                "subject": r.reason,
                "report_id": r.id,
                "published": r.date,
                "retracted": r.kind,
                "note": f"{r.reports} report(s) in this view rest on it",
            }
        )
    return rows


def changes_csv(ch: Changes) -> bytes:
    """The report as CSV (UTF-8, header row, every cell quoted and neutralised)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in changes_rows(ch):
        writer.writerow([neutralise(row.get(c, "")) for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


def changes_bytes(ch: Changes, suffix: str) -> bytes:
    """The report in the format the file extension ``suffix`` names (".md", ".csv"); ValueError else."""
    kind = FORMATS.get(suffix.lower())
    if kind is None:
        raise ValueError(f"out: {suffix or 'no extension'} is not one of {', '.join(FORMATS)}")
    return changes_markdown(ch) if kind == "markdown" else changes_csv(ch)
