"""Move a data folder's imported events (``DATA/events/``: Parquet files and manifests) into the shared
database and back out, inside the caller's transaction (``db load`` / ``db dump``).

:func:`load_events` replaces every imported event and manifest in the database with the folder's, after
checking the files (each problem named ``events/acled.parquet:row:field: message``); a folder without
``events/`` leaves the database's imported events as they are (reviewed data folders kept in git carry
none: the datasets' terms forbid redistributing them). :func:`dump_events` writes them back as the
embedded store keeps them: the rows in the order loaded, with the same column types, and the manifests;
so a dump equals what was loaded.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from psycopg.types.json import Json

from dashboard.events.datasets import DATASETS, STORED_COLUMNS
from dashboard.events.pg import SCHEMA, copy_in, copy_out
from dashboard.events.store import FOLDER, EventStore
from dashboard.validate.problems import Problem

#: Problems listed in full before the rest are counted.
PROBLEM_LIMIT = 50
#: Columns that may never be empty, and the values the embedded store allows in ``status``.
REQUIRED: tuple[str, ...] = (
    "dataset", "event_id", "date_start", "date_end", "lat", "lon", "status", "first_seen",
)  # fmt: skip
STATUSES: tuple[str, ...] = ("current", "withdrawn")


class EventFilesError(ValueError):
    """The folder's event files cannot be loaded; ``problems`` says where and why (nothing was loaded)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = [str(p) for p in problems[:PROBLEM_LIMIT]]
        if len(problems) > PROBLEM_LIMIT:
            shown.append(f"... and {len(problems) - PROBLEM_LIMIT} more")
        super().__init__("\n".join(shown))


def load_events(conn, data_dir: Path) -> dict[str, int] | None:
    """Replace the database's imported events with those of ``data_dir/events/``; events per dataset.

    Returns None, touching nothing, when the folder has no ``events/``. Runs in ``conn``'s transaction
    and never commits: the caller's load stands or falls as one. ``EventFilesError`` lists every
    problem found before anything is written.
    """
    folder = Path(data_dir) / FOLDER
    if not folder.is_dir():
        return None
    manifests = _check(folder)
    conn.execute(f"TRUNCATE {SCHEMA}.events")
    conn.execute(f"DELETE FROM {SCHEMA}.manifests")
    counts = {}
    duck = duckdb.connect()
    try:
        with conn.cursor() as cur:
            casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in STORED_COLUMNS.items())
            for key, manifest in manifests.items():
                source = _literal(folder / f"{key}.parquet")
                select = (
                    f"SELECT {casts}, file_row_number + 1 AS ord "
                    f"FROM read_parquet('{source}', file_row_number = true)"
                )
                copy_in(duck, select, cur, f"{SCHEMA}.events", [*STORED_COLUMNS, "ord"])
                counts[key] = duck.execute(f"SELECT count(*) FROM ({select})").fetchone()[0]
                conn.execute(
                    f"INSERT INTO {SCHEMA}.manifests (dataset, manifest) VALUES (%s, %s)",
                    (key, Json(manifest)),
                )
    finally:
        duck.close()
    conn.execute(f"ANALYZE {SCHEMA}.events")
    return counts


def dump_events(conn, data_dir: Path) -> dict[str, int]:
    """Write the database's imported events into ``data_dir/events/`` as the embedded store keeps them
    (one Parquet file and one manifest per dataset; other datasets' files there are removed); returns
    the events written per dataset. Reads in ``conn``'s transaction, so the files are one snapshot."""
    store = EventStore(Path(data_dir), url="")
    rows = conn.execute(f"SELECT dataset, manifest FROM {SCHEMA}.manifests").fetchall()
    found = dict(rows)
    counts = {}
    columns = ", ".join(STORED_COLUMNS)
    types = "{" + ", ".join(f"'{c}': '{t}'" for c, t in STORED_COLUMNS.items()) + "}"
    options = "header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"'"
    for key in (k for k in DATASETS if k in found):
        duck = duckdb.connect()
        try:
            with (
                conn.cursor() as cur,
                copy_out(
                    cur, f"SELECT {columns} FROM {SCHEMA}.events WHERE dataset = %s ORDER BY ord", (key,)
                ) as path,
            ):
                select = (
                    # '' written quoted stays '' (allow_quoted_nulls off): only an unquoted blank is NULL
                    f"SELECT * FROM read_csv('{_literal(path)}', columns = {types}, {options}, "
                    "allow_quoted_nulls = false)"
                )
                counts[key] = duck.execute(f"SELECT count(*) FROM ({select})").fetchone()[0]
                with store.writing(key):  # the folder store's lock and paired, atomic write
                    store.write(duck, key, select, found[key])
        finally:
            duck.close()
    for key in DATASETS:
        if key not in found:
            for path in (store.parquet(key), store.manifest_path(key)):
                path.unlink(missing_ok=True)
    return counts


def _check(folder: Path) -> dict[str, dict]:
    """Every problem of the folder's event files, raised together; else each dataset's manifest."""
    problems: list[Problem] = []
    manifests: dict[str, dict] = {}
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    for name in names:
        stem, _, suffix = name.partition(".")
        if stem not in DATASETS or suffix not in ("parquet", "json"):
            message = "not an imported dataset's file (acled or ucdp, .parquet or .json)"
            problems.append(Problem(f"{FOLDER}/{name}", 0, "", message))
    for key in DATASETS:
        parquet, manifest = f"{key}.parquet", f"{key}.json"
        if (parquet in names) != (manifest in names):
            have, lacking = (parquet, manifest) if parquet in names else (manifest, parquet)
            problems.append(Problem(f"{FOLDER}/{have}", 0, "", f"{lacking} is missing beside it"))
            continue
        if parquet not in names:
            continue
        found = _manifest(folder / manifest, key, problems)
        if found is not None:
            manifests[key] = found
        problems += _rows(folder / parquet, key)
    if problems:
        raise EventFilesError(problems)
    return manifests


def _manifest(path: Path, key: str, problems: list[Problem]) -> dict | None:
    name = f"{FOLDER}/{path.name}"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(name, getattr(exc, "lineno", 0), "", f"not a JSON manifest: {exc}"))
        return None
    if not isinstance(manifest, dict) or manifest.get("dataset") != key:
        problems.append(Problem(name, 0, "dataset", f'expected a manifest object with "dataset": "{key}"'))
        return None
    return manifest


def _rows(path: Path, key: str) -> list[Problem]:
    """The Parquet file's problems: columns missing or unknown, and rows the store could not hold."""
    name = f"{FOLDER}/{path.name}"
    duck = duckdb.connect()
    try:
        source = f"read_parquet('{_literal(path)}')"
        numbered = f"read_parquet('{_literal(path)}', file_row_number = true)"  # rows counted from 1
        try:
            present = [row[0] for row in duck.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        except duckdb.Error as exc:
            return [Problem(name, 0, "", f"not a readable Parquet file: {str(exc).splitlines()[0]}")]
        problems = [Problem(name, 0, c, "column missing") for c in STORED_COLUMNS if c not in present]
        extra = [c for c in present if c not in STORED_COLUMNS]
        problems += [Problem(name, 0, c, "not a column of the store") for c in extra]
        if problems:
            return problems
        checks = [(c, f"{c} IS NULL", "empty") for c in REQUIRED]
        checks += [
            ("dataset", f"dataset <> '{key}'", f"not {key!r}"),
            ("status", f"status NOT IN {STATUSES}", "neither 'current' nor 'withdrawn'"),
            ("lat", "NOT lat BETWEEN -90 AND 90", "out of range (-90 to 90)"),
            ("lon", "NOT lon BETWEEN -180 AND 180", "out of range (-180 to 180)"),
            ("event_id", "count(*) OVER (PARTITION BY event_id) > 1 AND event_id IS NOT NULL", "repeated"),
        ]
        parts = [
            f"SELECT file_row_number + 1 AS row, {i} AS check_no "
            f"FROM (SELECT *, {bad} AS bad FROM {numbered}) WHERE bad"
            for i, (_, bad, _) in enumerate(checks)
        ]
        try:
            found = duck.execute(" UNION ALL ".join(parts) + " ORDER BY row, check_no").fetchall()
        except duckdb.Error as exc:
            return [Problem(name, 0, "", f"columns of the wrong type: {str(exc).splitlines()[0]}")]
        return [Problem(name, int(row), checks[n][0], checks[n][2]) for row, n in found]
    finally:
        duck.close()


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")
