"""The key figures of a briefing slide: one row per claim, with every document that reports it.

A claim reported by three articles is one number, not three: its row gives the figure and date as
one report states them (the report that words it as the claim does, when it is in the selection) and
lists the other documents after it, noting where one words the figure differently ("4,000 fighters"
for "4,000 members"), dates it differently or cites a relay. Head counts of fighters and members,
what the map shades, come first; then the other figures; each by date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard.mapping.strength import STRENGTH_UNITS
from dashboard.values import blank
from dashboard.wording import format_date, format_figure

_FIGURE = ("figure_low", "figure_best", "figure_high", "figure_qualifier", "unit")
_MONTHS = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"
)
#: "Collective Security Treaty Organization (CSTO)" -> "CSTO" in a table cell (a long word in a narrow
#: column would break mid-word).
_ACRONYM = re.compile(r"^.{12,}\(([A-Z][A-Za-z]*[A-Z])\)")
#: Longest claim label before it is cut at its first clause (the full text goes in the notes).
SHORT_CLAIM = 60


@dataclass(frozen=True)
class KeyFigure:
    """One claim that gives a figure, with the source and date of the figure shown beside it.

    ``figure``, ``date`` and ``source`` are those of the first report; ``also`` names the other
    documents reporting the claim, each with what it says differently; ``documents`` lists every
    document id, the first report's first.
    """

    claim_id: str
    subject: str
    figure: str
    claimant: str
    date: str
    outlet: str
    document: str
    also: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    head_count: bool = True

    @property
    def claim(self) -> str:
        """The subject, cut to its first clause when long (the full text is in :attr:`subject`)."""
        return short_claim(self.subject)

    @property
    def source(self) -> str:
        """The first report's outlet and document: "KabulNow [d001]"."""
        return f"{self.outlet} [{self.document}]"

    def sources(self, short: bool = True) -> str:
        """ "Feb 2023 · KabulNow [d001]; also d002, d003 (says 4,000 fighters)"; ``short`` cuts the
        month and outlet names for a table cell."""
        if short:
            text = f"{short_date(self.date)} · {short_name(self.outlet)} [{self.document}]"
        else:
            text = f"{self.date} · {self.source}"
        return f"{text}; also {', '.join(self.also)}" if self.also else text

    def cells(self) -> tuple[str, str, str, str]:
        """The four table cells: claim, figure, claimant, date and sources (names cut to fit)."""
        claimant = _ACRONYM.sub(r"\1", self.claimant)
        return self.claim, self.figure, claimant, self.sources()

    def full_text(self) -> str:
        """The row in full, for the slide's notes."""
        return f"{self.subject}: {self.figure} ({self.claimant}). {self.sources(short=False)}."


def short_claim(subject: str, limit: int = SHORT_CLAIM) -> str:
    """The subject's first clause when it is longer than ``limit``, marked with an ellipsis.

    A clause ends at ";" or at a comma followed by a lower-case word; a comma before a capital starts
    the next item of a list of names ("Badakhshan, Kunduz and Takhar") and never cuts it.
    """
    if len(subject) <= limit:
        return subject
    match = re.search(r";|,\s+(?=[a-z])", subject)
    return subject[: match.start()].rstrip() + "…" if match else subject


def short_name(outlet: str) -> str:
    """An outlet's name for a table cell: "Hasht-e Subh (8am.media, English)" -> "Hasht-e Subh"
    (the full name is in the notes' source list)."""
    return re.sub(r"\s+\([^()]*\)$", "", outlet) or outlet


def short_date(text: str) -> str:
    """ "as of February 2023" -> "as of Feb 2023" (month names cut to three letters; June, July kept)."""
    return _MONTHS.sub(lambda m: m.group(1) if m.group(1) in ("June", "July") else m.group(1)[:3], text)


def _figure(row: dict) -> str:
    return format_figure(*(row[c] for c in _FIGURE))


def _date(row: dict) -> str:
    return format_date(row["date"], row["date_precision"], row["date_qualifier"], row["date_end"])


def _same_when(a: dict, b: dict) -> bool:
    """Two reports date a claim alike when one date is the other at a coarser precision ("2023" and
    "2023-02") and their spans agree."""
    da, db = str(a["date"]), str(b["date"])
    return (da.startswith(db) or db.startswith(da)) and str(a["date_end"]) == str(b["date_end"])


def _states_claim(row: dict, claim: dict | None) -> bool:
    """Whether a report gives the figure and date exactly as the claim record does."""
    if claim is None:
        return False
    same = [blank(row[c]) and blank(claim[c]) or str(row[c]) == str(claim[c]) for c in (*_FIGURE, "date")]
    return all(same)


def _first(reports: list[dict], claim: dict | None) -> dict:
    """The report whose figure the row shows: the one stating the claim as recorded, else the one with
    the most precise date, then the earliest published."""
    stating = [r for r in reports if _states_claim(r, claim)]
    if stating:
        return stating[0]
    return max(reports, key=lambda r: (len(str(r["date"])), -reports.index(r)))


def _via(row: dict) -> str:
    return "" if blank(row["relayed_by_names"]) else "via " + str(row["relayed_by_names"]).replace(";", ", ")


def _also(first: dict, others: list[dict]) -> tuple[str, ...]:
    """The other documents, each once, with what it says differently from the first report."""
    out: dict[str, list[str]] = {}
    for row in others:
        doc = str(row["document_id"])
        notes = out.setdefault(doc, [])
        if not _same_when(row, first):
            notes.append(short_date(_date(row)))
        if _via(row) and _via(row) != _via(first):
            notes.append(_via(row))
        if _figure(row) != _figure(first):
            notes.append(f"says {_figure(row)}")
    outlet = first["outlet"]
    names = {str(r["document_id"]): (r["outlet"], r["document_id"]) for r in others}
    text = []
    for doc, notes in out.items():
        label = doc if names[doc][0] == outlet else f"{short_name(names[doc][0])} [{doc}]"
        unique = list(dict.fromkeys(n for n in notes if n))
        text.append(f"{label} ({', '.join(unique)})" if unique else label)
    return tuple(text)


def key_figures(flat: pd.DataFrame, claims: pd.DataFrame | None = None) -> list[KeyFigure]:
    """One entry per claim in ``flat`` that gives a figure (see the module docstring).

    ``claims`` (the dataset's claims table) tells which report states the claim as recorded; without
    it the report with the most precise date is shown first.
    """
    rows = flat[flat["kind"] == "claim"].sort_values(["published", "document_id", "report_id"], kind="stable")
    records = {} if claims is None else {c["id"]: c for c in claims.to_dict("records")}
    out: list[tuple[tuple, KeyFigure]] = []
    for claim_id, group in rows.groupby("id", sort=False):
        reports = [r for r in group.to_dict("records") if _figure(r)]
        if not reports:
            continue
        first = _first(reports, records.get(claim_id))
        others = [r for r in reports if r is not first]
        claimant = first["claimant_name"] if not blank(first["claimant_name"]) else "unnamed"
        if _via(first) and first["relayed_by_names"] != first["claimant_name"]:
            claimant += f" ({_via(first)})"
        fig = KeyFigure(
            claim_id=str(claim_id),
            subject=str(first["subject"]),
            figure=_figure(first),
            claimant=claimant,
            date=_date(first),
            outlet=str(first["outlet"]),
            document=str(first["document_id"]),
            also=_also(first, others),
            documents=tuple(dict.fromkeys(str(r["document_id"]) for r in [first, *others])),
            head_count=str(first["unit"]) in STRENGTH_UNITS,
        )
        # by the date the row shows (ISO text sorts in time order; an undated claim goes last)
        out.append(
            ((not fig.head_count, "9999" if blank(first["date"]) else str(first["date"]), fig.claim_id), fig)
        )
    return [fig for _, fig in sorted(out, key=lambda pair: pair[0])]
