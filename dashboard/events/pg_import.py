"""An import's merge into the shared PostgreSQL store: the embedded store's rules, in one transaction.

The export is read, checked and placed exactly as for the embedded store (``importer``, in DuckDB);
only the last step differs. The checked rows are copied (``COPY``) into a temporary table and merged by
event id into ``imported.events``: added and changed events written, events no longer in the export
(within its countries and dates) marked withdrawn, never deleted; the manifest replaced. All of it is
one transaction holding the dataset's lock: another import of the same dataset waits, readers see the
old events until the commit, and an import killed half-way leaves nothing behind. The same export
twice writes nothing.
"""

from __future__ import annotations

from psycopg.types.json import Json

from dashboard.db import connect
from dashboard.events.datasets import CONTENT_COLUMNS, STORED_COLUMNS
from dashboard.events.manifest import build_manifest, older_export_note, same_export
from dashboard.events.pg import SCHEMA, column_ddl, copy_in

#: Columns an import sets from the export's state in the store rather than from the export itself.
LIVING: tuple[str, ...] = ("status", "first_seen", "changed_on", "withdrawn_on")
#: Columns that come from the export (and the places resolved for it).
FROM_EXPORT: tuple[str, ...] = tuple(c for c in STORED_COLUMNS if c not in LIVING)
#: First key of the advisory lock an import of one dataset holds (the second is the dataset's hash).
LOCK_CLASS = 0x4556_4E54  # "EVNT"

TABLE = f"{SCHEMA}.events"
#: Memory for the staged export (PostgreSQL's default, 8MB, sends a large one to disk).
TEMP_BUFFERS = "256MB"
#: Columns whose statistics the planner uses for the filters' indexes.
ANALYZED: tuple[str, ...] = (
    "dataset",
    "status",
    "date_start",
    "date_end",
    "province_id",
    "lat",
    "lon",
    "geom",
)


def merge(duck, url: str, result) -> None:
    """Merge DuckDB's ``staged`` rows (the import's good rows) into the database at ``url``.

    Fills ``result``'s counts and notes as ``importer._merge`` does for the Parquet store.
    """
    with connect(url) as conn:
        # The export is staged in temporary tables: room for them in this session's memory (settable
        # only before its first temporary table). Durability is the commit's; nothing before it counts.
        conn.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")
        with conn.transaction():
            conn.execute("SET LOCAL synchronous_commit = off")
            _merge(duck, conn, result)


def _merge(duck, conn, result) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (LOCK_CLASS, result.dataset))
    row = conn.execute(
        f"SELECT manifest FROM {SCHEMA}.manifests WHERE dataset = %s", (result.dataset,)
    ).fetchone()
    manifest = row[0] if row else {}
    note = older_export_note(result, manifest)
    if note:
        result.notes.append(note)
    _stage(duck, conn)
    _compare(conn, result)
    if row and not (result.added or result.changed or result.withdrawn) and same_export(manifest, result):
        return  # the same export again: nothing to write
    _write(conn, result)
    current, withdrawn = conn.execute(
        f"SELECT count(*) FILTER (WHERE status = 'current'), count(*) FILTER (WHERE status <> 'current') "
        f"FROM {TABLE} WHERE dataset = %s",
        (result.dataset,),
    ).fetchone()
    conn.execute(
        f"INSERT INTO {SCHEMA}.manifests (dataset, manifest) VALUES (%s, %s) ON CONFLICT (dataset) "
        f"DO UPDATE SET manifest = EXCLUDED.manifest, revision = nextval('{SCHEMA}.revision'), "
        "changed_at = now()",
        (result.dataset, Json(build_manifest(result, manifest, current, withdrawn))),
    )
    # The planner's figures follow a large import at once; only the filtered columns (notes are long).
    conn.execute(f"ANALYZE {TABLE} ({', '.join(ANALYZED)})")
    result.written = True


def _stage(duck, conn) -> None:
    """Copy the good rows (``staged``) and the ids of the rejected ones (``bad_ids``) into the session."""
    staged = {"_row": "UBIGINT", **{c: STORED_COLUMNS[c] for c in FROM_EXPORT}}
    conn.execute(f"CREATE TEMP TABLE staged ({column_ddl(staged)}) ON COMMIT DROP")
    conn.execute(f"CREATE TEMP TABLE bad_ids ({column_ddl({'event_id': 'VARCHAR'})}) ON COMMIT DROP")
    select = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in staged.items())
    with conn.cursor() as cur:
        copy_in(duck, f"SELECT {select} FROM staged ORDER BY _row", cur, "staged", list(staged))
        copy_in(
            duck,
            "SELECT event_id FROM bad_ids",  # made before the rejected rows left ``typed``
            cur,
            "bad_ids",
            ["event_id"],
        )
    conn.execute("CREATE UNIQUE INDEX ON staged (event_id)")
    conn.execute("ANALYZE staged (event_id, country, date_start)")
    conn.execute("ANALYZE bad_ids")


def _compare(conn, result) -> None:
    """Tables ``gone`` (current events the export no longer has) and ``matched`` (each staged event:
    known before, changed); the counts into ``result``."""
    # "No longer present" is judged within what the export covers (its countries and its dates), so an
    # export for one country or one year leaves the others' events as they are.
    conn.execute(
        f"CREATE TEMP TABLE gone ON COMMIT DROP AS SELECT o.event_id FROM {TABLE} o "
        "WHERE o.dataset = %s AND o.status = 'current' "
        "AND NOT EXISTS (SELECT 1 FROM staged s WHERE s.event_id = o.event_id) "
        "AND NOT EXISTS (SELECT 1 FROM bad_ids b WHERE b.event_id = o.event_id) "
        "AND coalesce(o.country, '') IN (SELECT DISTINCT coalesce(country, '') FROM staged) "
        "AND o.date_start BETWEEN (SELECT min(date_start) FROM staged) "
        "AND (SELECT max(date_start) FROM staged)",
        (result.dataset,),
    )
    differs = " OR ".join(f"s.{c} IS DISTINCT FROM o.{c}" for c in CONTENT_COLUMNS)
    conn.execute(
        "CREATE TEMP TABLE matched ON COMMIT DROP AS SELECT s.event_id, o.event_id IS NOT NULL AS known, "
        f"o.event_id IS NOT NULL AND (o.status <> 'current' OR {differs}) AS changed, "
        f"o.first_seen, o.changed_on FROM staged s LEFT JOIN {TABLE} o "
        "ON o.dataset = %s AND o.event_id = s.event_id",
        (result.dataset,),
    )
    result.added, result.changed, result.unchanged = conn.execute(
        "SELECT count(*) FILTER (WHERE NOT known), count(*) FILTER (WHERE changed), "
        "count(*) FILTER (WHERE known AND NOT changed) FROM matched"
    ).fetchone()
    result.withdrawn = conn.execute("SELECT count(*) FROM gone").fetchone()[0]


def _write(conn, result) -> None:
    """Mark the gone events withdrawn; insert the new events and replace the changed ones.

    Unchanged events are not touched. New events go after the dataset's last row, in the export's order.
    """
    export = result.export_date
    conn.execute(
        f"UPDATE {TABLE} o SET status = 'withdrawn', withdrawn_on = %s FROM gone g "
        "WHERE o.dataset = %s AND o.event_id = g.event_id",
        (export, result.dataset),
    )
    base = conn.execute(
        f"SELECT coalesce(max(ord), 0) FROM {TABLE} WHERE dataset = %s", (result.dataset,)
    ).fetchone()[0]
    columns = ", ".join(FROM_EXPORT)
    chosen = ", ".join(f"s.{c}" for c in FROM_EXPORT)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*FROM_EXPORT[2:], *LIVING))
    conn.execute(
        f"INSERT INTO {TABLE} ({columns}, {', '.join(LIVING)}, ord) "
        f"SELECT {chosen}, 'current', coalesce(m.first_seen, %s::date), %s::date, NULL, %s + s._row "
        "FROM staged s JOIN matched m USING (event_id) WHERE NOT m.known OR m.changed ORDER BY s._row "
        f"ON CONFLICT (dataset, event_id) DO UPDATE SET {updates}",
        (export, export, base),
    )
