"""The review trail: who changed what in the data, when and why (``audit.csv`` in the data folder).

An entry is written by :func:`record` into the same transaction as the change it describes, so the
log and the data can never disagree: both are committed, or neither. Entries are only ever appended.
The actions:

- ``add``: a new record (``record_kind`` document, claim, event, actor or place); ``new`` names the
  report that carries it;
- ``add_report``: a new report of a claim or event already in the data; ``new`` is the report's id;
- ``edit``: a field the reviewer changed from the drafted value (``field``, ``old``, ``new``);
- ``reject``: a draft row left out, with its ``reason``; ``record_id`` is the draft's own id.
"""

from __future__ import annotations

import re

from dashboard.datafolder import Transaction, utc_now

TABLE = "audit"
ACTIONS = ("add", "add_report", "edit", "reject")


def record(
    tx: Transaction,
    action: str,
    record_kind: str,
    record_id: str,
    *,
    field: str = "",
    old: str = "",
    new: str = "",
    reason: str = "",
    draft_row: str = "",
) -> dict[str, str]:
    """Add one entry to the audit log in ``tx``; ``who`` is the transaction's, ``reason`` defaults to its."""
    if action not in ACTIONS:
        raise ValueError(f"{action!r} is not an audit action ({', '.join(ACTIONS)})")
    entry = {
        "id": _next_id(tx),
        "at": utc_now(),
        "who": tx.who,
        "action": action,
        "record_kind": record_kind,
        "record_id": record_id,
        "field": field,
        "old": old,
        "new": new,
        "reason": reason or tx.reason,
        "draft_row": draft_row,
    }
    tx.append_rows(TABLE, [entry])
    return entry


def _next_id(tx: Transaction) -> str:
    numbers = [int(m.group(1)) for r in tx.rows(TABLE) if (m := re.fullmatch(r"a(\d+)", r.get("id", "")))]
    return f"a{(max(numbers) + 1 if numbers else 1):04d}"
