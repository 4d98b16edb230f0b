"""The audit log (``audit.csv``): every entry a real time, a rejection with its reason, an edit with its
field, and what was added present in the data.

The schema checks each cell alone (the id, the time's shape, the action and kind); these rules tie an
entry to the rest of the data, so a log edited by hand cannot name a record that is not there.
"""

from __future__ import annotations

from datetime import datetime

from dashboard.validate.problems import Collector
from dashboard.validate.tables import Table

#: The table an entry's ``record_id`` names, by its ``record_kind``.
KIND_TABLES = {
    "document": "documents",
    "claim": "claims",
    "event": "events",
    "actor": "actors",
    "place": "places",
}
#: Actions whose record must be in the data (a rejected draft row names the draft's own id instead).
RECORDED_ACTIONS = ("add", "add_report", "edit")
#: The shape of ``at`` (the schema's pattern checks the characters, this the calendar).
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def check_audit(tables: dict[str, Table], out: Collector) -> None:
    """Check every entry of the audit table against the calendar and the other tables."""
    audit = tables.get("audit")
    if audit is None:
        return
    ids = {kind: set(tables[name].by_id()) for kind, name in KIND_TABLES.items() if name in tables}
    for n, row in audit.rows:
        at = row.get("at", "")
        if at and _time_problem(at):
            out.add(audit.file, n, "at", f"{at!r} is not a time of the calendar ({_time_problem(at)})")
        action, kind, record = row.get("action", ""), row.get("record_kind", ""), row.get("record_id", "")
        if action == "reject" and not row.get("reason"):
            out.add(audit.file, n, "reason", "a rejection must say why")
        if action == "edit" and not row.get("field"):
            out.add(audit.file, n, "field", "an edit must name the field it changed")
        if action in RECORDED_ACTIONS and kind in ids and record and record not in ids[kind]:
            out.add(audit.file, n, "record_id", f"{record!r} is not in {KIND_TABLES[kind]}")


def _time_problem(at: str) -> str:
    try:
        datetime.strptime(at, TIME_FORMAT)
    except ValueError as exc:
        return str(exc)
    return ""
