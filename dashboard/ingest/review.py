"""The review of a draft: each row's status, what a reviewer may change, and the records a row may join.

A draft row goes ``draft`` (or ``needs_review``) → ``reviewed`` → ``published``, or ends ``rejected``
with a reason. ``accepted`` is the first spelling of ``reviewed`` and still means it. A reviewed row
either creates a new record (its id is the draft's own, ``n-c001``/``n-e001``, or empty) or becomes a
new report of a record already in the data (its id is that record's). Any other id is refused by name:
an id that is not in the data must never quietly turn into a new record.

Everything here works on values (draft rows as dicts, the data's rows as dicts); the command line and
the app share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.ingest.rows import same_claim

DRAFTED = ("draft", "needs_review")
REVIEWED, ACCEPTED, PUBLISHED, REJECTED = "reviewed", "accepted", "published", "rejected"
STATUSES = (*DRAFTED, REVIEWED, PUBLISHED, REJECTED)

#: The fields a reviewer edits (figure, unit, claimant, relaying agency, places, dates and precision, and
#: what the record is about); an edit of any of them is written to the audit log.
EDITABLE = (
    "figure_low",
    "figure_best",
    "figure_high",
    "figure_qualifier",
    "unit",
    "claimant",
    "relayed_by",
    "places",
    "date",
    "date_end",
    "date_precision",
    "date_qualifier",
    "group",
    "type",
    "subject",
)

#: The draft's own ids: ``n-c001`` for a claim row, ``n-e001`` for an event row.
_PROVISIONAL = {"claim": re.compile(r"n-c\d+"), "event": re.compile(r"n-e\d+")}


def status(row: dict[str, str]) -> str:
    """The row's status, normalised (``accepted`` reads as ``reviewed``; "" when empty)."""
    value = (row.get("status") or "").strip().lower()
    return REVIEWED if value == ACCEPTED else value


def provisional(kind: str, record_id: str) -> bool:
    """True for the draft's own id of a row of ``kind`` (a new record), or an empty id."""
    pattern = _PROVISIONAL.get(kind)
    return not record_id or bool(pattern and pattern.fullmatch(record_id))


def id_problem(kind: str, record_id: str, claim_ids: set[str], event_ids: set[str]) -> str:
    """Why ``record_id`` cannot be the id of a reviewed ``kind`` row ("" when it can)."""
    if provisional(kind, record_id):
        return ""
    own, other = (claim_ids, event_ids) if kind == "claim" else (event_ids, claim_ids)
    if record_id in own:
        return ""
    other_kind = "event" if kind == "claim" else "claim"
    if record_id in other:
        return (
            f"{record_id!r} is an {other_kind} of the data; a {kind} row can only report a {kind} "
            f"(or set kind to {other_kind!r})"
        )
    prefix, article = ("n-c", "a") if kind == "claim" else ("n-e", "an")
    return (
        f"{record_id!r} is not {article} {kind} in the data: give an existing {kind}'s id to add a report "
        f"of it, or the draft's own id ({prefix}001, ...) to create a new {kind}"
    )


@dataclass(frozen=True)
class Suggestion:
    """A record already in the data that a draft row may be a new report of, and why."""

    record_kind: str
    record_id: str
    why: str


def suggestions(
    row: dict[str, str],
    claims: list[dict[str, str]],
    reports: list[dict[str, str]],
) -> list[Suggestion]:
    """Near-duplicates of ``row`` in the data: the same claim (claimant, figure and group), or a record
    already reported with the same sentence. Each record once, the strongest reason first."""
    found: dict[tuple[str, str], str] = {}
    if row.get("kind") == "claim":
        for claim in claims:
            if same_claim(row, claim):
                found.setdefault(("claim", claim["id"]), "same claimant, figure and group")
    quote = _words(row.get("quote", ""))
    if quote:
        for report in reports:
            if report.get("record_kind") != row.get("kind"):
                continue
            theirs = _words(report.get("quote", ""))
            if theirs and (theirs in quote or quote in theirs):
                key = (report["record_kind"], report["record_id"])
                found.setdefault(key, f"the same sentence is in report {report['id']}")
    return [Suggestion(kind, record_id, why) for (kind, record_id), why in found.items()]


def _words(text: str) -> str:
    """Text with spacing and case evened out, to compare sentences copied by different outlets."""
    return " ".join(text.lower().split())


def edits(drafted: dict[str, str], reviewed: dict[str, str]) -> list[tuple[str, str, str]]:
    """(field, drafted value, reviewed value) for each editable field the reviewer changed."""
    return [
        (name, drafted.get(name) or "", reviewed.get(name) or "")
        for name in EDITABLE
        if (drafted.get(name) or "") != (reviewed.get(name) or "")
    ]
