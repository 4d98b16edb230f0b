"""Import one export into the store: read, check every row, resolve places, merge by event id, write.

An import is all or nothing per file: rows that fail a check are reported (``file:row:field: message``)
and left out, every good row is kept, and the dataset's Parquet file is replaced whole or not at all.
Re-importing a newer export updates events by id and reports how many were added, changed and no
longer present; those are kept and marked withdrawn, never deleted. The same file twice changes nothing.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from h3.api import numpy_int as h3

from dashboard.datafolder import default_who
from dashboard.datafolder.lock import TransactionError
from dashboard.events import acled, ucdp
from dashboard.events.datasets import CONTENT_COLUMNS, H3_RESOLUTIONS, STORED_COLUMNS, dataset_info
from dashboard.events.manifest import build_manifest, older_export_note, same_export
from dashboard.events.reading import ROW_NUMBER, ReadError, first_line, load_raw
from dashboard.events.regions import BASIS_WORDS, UNKNOWN_NAME, Regions, load_regions, resolve
from dashboard.events.spec import Spec, cell
from dashboard.events.store import EventStore, StoreError, empty_select
from dashboard.validate.problems import Problem

SPECS: dict[str, Spec] = {"acled": acled.SPEC, "ucdp": ucdp.SPEC}
#: Notes about single rows (places decided by the coordinates) shown in full up to this many.
NOTE_LIMIT = 50
#: DuckDB's memory during an import (it spills the rest to disk): a million-row export fits in 2 GB.
MEMORY_LIMIT = "1GB"


class ImportFailed(Exception):
    """Nothing was imported: the file cannot be read, lacks an essential column, or has no good row."""


@dataclass
class ImportResult:
    """What an import did."""

    dataset: str
    file: str  # the export's file name, as problems name it
    who: str = ""  # who imported it (the signed-in curator; the system user from the command line)
    export_date: str = ""
    export_date_basis: str = ""
    version: str = ""
    rows: int = 0  # data rows in the file
    added: int = 0
    changed: int = 0
    withdrawn: int = 0  # newly marked withdrawn (no longer in the export)
    unchanged: int = 0
    written: bool = False
    problems: list[Problem] = field(default_factory=list)  # rejected rows
    notes: list[str] = field(default_factory=list)  # missing optional columns, places, dates
    place_notes: list[Problem] = field(default_factory=list)  # rows placed by their coordinates
    places: dict[str, int] = field(default_factory=dict)  # place basis -> rows

    @property
    def rejected(self) -> int:
        """Rows left out because of a problem."""
        return len({p.row for p in self.problems})

    def summary(self) -> str:
        """One line: what changed."""
        name = dataset_info(self.dataset).name
        when = f"export of {self.export_date}" + (f", version {self.version}" if self.version else "")
        if not self.written:
            head = f"{name} ({when}): nothing changed"
        else:
            head = f"{name} ({when}): {self.added} added, {self.changed} changed, {self.withdrawn} withdrawn"
        return f"{head}, {self.unchanged} unchanged; {self.rejected} row(s) rejected of {self.rows}"


def import_file(
    dataset: str,
    path: Path,
    data_dir: Path,
    export_date: str | None = None,
    version: str | None = None,
    file_name: str | None = None,
    *,
    url: str | None = None,
    who: str = "",
) -> ImportResult:
    """Import the export at ``path`` into ``data_dir``'s store; raise ``ImportFailed`` when nothing can be.

    ``export_date`` (YYYY-MM-DD) is the day the export was made; without it ACLED's latest ``timestamp``
    is used, else the latest event date (the result says which). ``file_name`` names the file in
    problems (an upload's original name); by default the file's own name. ``url`` names the shared
    database the events go to (None: ``DASHBOARD_DATABASE_URL``; "": the data folder's Parquet files);
    ``data_dir`` still gives the province outlines. ``who`` (default: the system user) is recorded with
    the import in the dataset's manifest, written with the events it describes.
    """
    info = dataset_info(dataset)
    spec = SPECS[info.key]
    result = ImportResult(dataset=info.key, file=file_name or Path(path).name, who=who or default_who())
    with tempfile.TemporaryDirectory(prefix="event-import-") as spill:
        # Bounded memory: what does not fit is spilled to a temporary folder, removed afterwards.
        con = duckdb.connect(
            config={
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": spill,
                "preserve_insertion_order": True,  # rowid is the file's row order
            }
        )
        con.execute("SET enable_progress_bar = false")
        try:
            return _run(con, spec, Path(path), Path(data_dir), result, export_date, version, url)
        finally:
            con.close()


def _run(con, spec, path, data_dir, result, export_date, version, url) -> ImportResult:
    try:
        present_list = load_raw(con, path)
    except ReadError as exc:
        raise ImportFailed(f"{result.file}: {exc}") from None
    present = set(present_list)
    missing = [c for c in spec.essential if c not in present]
    if missing:
        raise ImportFailed(
            f"{result.file}:1:{missing[0]}: essential column(s) missing: {', '.join(missing)}; "
            "nothing imported"
        )
    absent = [c for c in spec.optional if c not in present]
    if absent:
        result.notes.append(f"optional column(s) not in the export, left empty: {', '.join(absent)}")
    _typed(con, spec, present, result.file)
    result.rows = con.execute("SELECT count(*) FROM typed").fetchone()[0]
    result.problems = _problems(con, spec, present, result.file)
    con.execute("CREATE TABLE bad AS SELECT DISTINCT _row FROM checks")
    con.execute(
        "CREATE TABLE bad_ids AS SELECT DISTINCT event_id FROM typed JOIN bad USING (_row) "
        "WHERE event_id IS NOT NULL"
    )
    # The bad rows leave the one copy of the rows (a delete marks them; nothing is copied again).
    con.execute("DELETE FROM typed WHERE _row IN (SELECT _row FROM bad)")
    con.execute("CREATE VIEW good AS SELECT * FROM typed")
    good = con.execute("SELECT count(*) FROM good").fetchone()[0]
    if good == 0:
        raise ImportFailed(
            f"{result.file}: no row could be imported ({result.rejected} rejected); nothing imported"
        )
    result.export_date, result.export_date_basis = _export_date(con, export_date)
    result.version = version or _version_from_name(result.file)
    regions = load_regions(data_dir)
    _resolve_places(con, regions, result)
    store = EventStore(data_dir, url)
    if store.url:
        from dashboard.events import pg_import  # psycopg only where a database is used

        pg_import.merge(con, store.url, result)  # one transaction under the dataset's advisory lock
        return result
    try:
        # Locked from reading the stored events to replacing them: a second import waits, then merges
        # into what this one wrote, and no update is lost.
        with store.writing(result.dataset) as manifest:
            _merge(con, store, result, manifest)
    except (StoreError, TransactionError) as exc:
        raise ImportFailed(str(exc)) from None
    return result


def _typed(con: duckdb.DuckDBPyConnection, spec: Spec, present: set[str], file: str) -> None:
    """The typed table, the import's one copy of the rows: stored columns by the spec's SQL, plus the
    raw text of the checked fields. The file is read here (``raw`` is a view over a CSV), so a row that
    cannot be read at all stops the import here."""
    columns = spec.columns(present)
    select = [f"{sql} AS {name}" for name, sql in columns.items()]
    select += [f"{cell(f, present)} AS raw_{f}" for f in spec.raw_fields]
    try:
        con.execute(f"CREATE TABLE typed AS SELECT {ROW_NUMBER} AS _row, {', '.join(select)} FROM raw")
    except duckdb.Error as exc:
        raise ImportFailed(f"{file}: cannot be read as CSV or XLSX: {first_line(exc)}") from None


def _problems(con, spec: Spec, present: set[str], file: str) -> list[Problem]:
    """Run every check and the duplicate-id check; keep their rows in the table ``checks``."""
    checks = spec.checks(present)
    parts = [
        f"SELECT _row, {i} AS check_no, CAST({check.value} AS VARCHAR) AS value FROM typed WHERE {check.bad}"
        for i, check in enumerate(checks)
    ]
    duplicate = len(checks)
    parts.append(
        f"SELECT _row, {duplicate} AS check_no, event_id || '\x1f' || first_row AS value FROM ("
        "SELECT _row, event_id, min(_row) OVER (PARTITION BY event_id) AS first_row FROM typed "
        "WHERE event_id IS NOT NULL) WHERE _row > first_row"
    )
    con.execute("CREATE TABLE checks AS " + " UNION ALL ".join(parts))
    problems = []
    for row, number, value in con.execute("SELECT * FROM checks ORDER BY _row, check_no").fetchall():
        if number == duplicate:
            ident, first = value.split("\x1f")
            problems.append(Problem(file, row, spec.id_column, f"event id {ident!r} repeats row {first}"))
        else:
            check = checks[number]
            problems.append(Problem(file, row, check.field, check.message.format(value=value or "")))
    return problems


def _export_date(con, given: str | None) -> tuple[str, str]:
    if given:
        try:
            return date.fromisoformat(given).isoformat(), "as given"
        except ValueError:
            raise ImportFailed(f"export date {given!r} is not a date (give YYYY-MM-DD)") from None
    stamp = con.execute(
        "SELECT CAST(to_timestamp(max(TRY_CAST(source_timestamp AS BIGINT))) AS DATE) FROM good"
    ).fetchone()[0]
    if stamp is not None:
        return stamp.isoformat(), "the export's latest timestamp"
    latest = con.execute("SELECT max(date_end) FROM good").fetchone()[0]
    return latest.isoformat(), "the latest event date in the export (give --export-date for the release date)"


def _version_from_name(name: str) -> str:
    """ "GEDEvent_v24_1.csv" -> "24.1"; "" when the name carries no version."""
    match = re.search(r"v(\d{1,2})[._-](\d{1,2})", name)
    return f"{match.group(1)}.{match.group(2)}" if match else ""


def _resolve_places(con, regions: Regions, result: ImportResult) -> None:
    """Resolve provinces, countries and H3 cells; create ``staged``: the good rows with them.

    The places go into a narrow table of their own (``places``: the row number, the province, the
    country, how it was found and the H3 cells); ``staged`` is a view joining it to the rows, so the
    rows' text is never copied a second time.

    Names are looked up once per distinct (country, admin1); points are tested as arrays; what goes
    back to the engine is numbers (codes into small lookup tables), never a million Python strings.
    """
    key = "coalesce(country, '') || '\x1f' || coalesce(admin1, '')"
    keys = [k for (k,) in con.execute(f"SELECT DISTINCT {key} FROM good").fetchall()]
    named = []
    for text in keys:
        country, admin1 = text.split("\x1f")
        found = regions.by_name(country, admin1)
        named.append(found or (UNKNOWN_NAME if admin1 else None))
    con.register("_keys", pd.DataFrame({"k": keys, "ix": np.arange(len(keys), dtype=np.int32)}))
    arrays = con.execute(
        f"SELECT g._row, g.lat, g.lon, k.ix FROM good g JOIN _keys k ON k.k = {key} ORDER BY g._row"
    ).fetchnumpy()
    con.unregister("_keys")
    rows, lat, lon = arrays["_row"], np.asarray(arrays["lat"], float), np.asarray(arrays["lon"], float)
    key_ix = np.asarray(arrays["ix"], dtype=np.int64)
    res = resolve(regions, np.array(named, dtype=object)[key_ix], lat, lon)
    bases = list(BASIS_WORDS)
    countries = sorted(set(res.country))
    placed = pd.DataFrame(
        {
            "_row": rows,
            "province_ix": res.province.astype(np.int32),
            # Codes into the small lookup tables, found by hashing (a million rows, a few values).
            "basis_ix": pd.Index(bases).get_indexer(res.basis).astype(np.int8),
            "country_ix": pd.Index(countries).get_indexer(res.country).astype(np.int16),
        }
    )
    for resolution, cells in h3_cells(lat, lon).items():
        placed[f"h3_r{resolution}"] = cells
    lookups = {
        "_provinces": pd.DataFrame(
            {
                "province_ix": np.arange(len(regions.province_ids), dtype=np.int32),
                "province_id": regions.province_ids,
                "province": regions.province_names,
            }
        ),
        "_bases": pd.DataFrame({"basis_ix": np.arange(len(bases), dtype=np.int8), "place_basis": bases}),
        "_countries": pd.DataFrame(
            {"country_ix": np.arange(len(countries), dtype=np.int16), "country_iso3": countries}
        ),
        "_placed": placed,
    }
    for name, frame in lookups.items():
        con.register(name, frame)
    h3_columns = ", ".join(f"p.h3_r{r}" for r in H3_RESOLUTIONS)
    con.execute(
        "CREATE TABLE places AS SELECT p._row, pr.province_id, pr.province, "
        "nullif(c.country_iso3, '') AS country_iso3, b.place_basis, "
        f"{h3_columns} FROM _placed p "
        "LEFT JOIN _provinces pr USING (province_ix) JOIN _bases b USING (basis_ix) "
        "JOIN _countries c USING (country_ix)"
    )
    for name in lookups:
        con.unregister(name)
    con.execute("CREATE VIEW staged AS SELECT * FROM good JOIN places USING (_row)")
    result.places = dict(pd.Series(res.basis).value_counts().sort_index().items())
    admin1 = np.array([text.split("\x1f")[1] for text in keys], dtype=object)
    _place_notes(result, rows, res, regions, admin1[key_ix])


def h3_cells(lat: np.ndarray, lon: np.ndarray) -> dict[int, np.ndarray]:
    """The H3 cell of every point at each of ``H3_RESOLUTIONS``.

    The finest is computed per point; the coarser ones from it with the index's own layout (its
    resolution field, bits 52–55, set lower and the finer digits, 3 bits each, set to 7), as
    ``cell_to_parent`` does, but over whole arrays.
    """
    finest_resolution = H3_RESOLUTIONS[-1]
    finest = np.fromiter(
        (h3.latlng_to_cell(a, b, finest_resolution) for a, b in zip(lat.tolist(), lon.tolist(), strict=True)),
        dtype=np.uint64,
        count=len(lat),
    )
    out = {finest_resolution: finest}
    for resolution in H3_RESOLUTIONS[:-1]:
        unused = sum(7 << ((15 - digit) * 3) for digit in range(resolution + 1, 16))
        cells = (finest & np.uint64(~(0xF << 52) & 0xFFFFFFFFFFFFFFFF)) | np.uint64(resolution << 52)
        out[resolution] = cells | np.uint64(unused)
    return out


def _place_notes(result: ImportResult, rows, res, regions: Regions, admin1: np.ndarray) -> None:
    """One note per row whose province came from its point although it names one."""
    basis = pd.Series(res.basis)
    for i in np.flatnonzero(basis.isin(["point-disagrees", "point-unknown-name"]).to_numpy()):
        index = int(res.province[i])
        where = regions.province_names[index] if index >= 0 else "no province of the map"
        message = f"{admin1[i]!r}: placed {BASIS_WORDS[res.basis[i]]}, in {where}"
        result.place_notes.append(Problem(result.file, int(rows[i]), "admin1", message))
    result.place_notes.sort()


def _merge(con, store: EventStore, result: ImportResult, manifest: dict) -> None:
    """Merge ``staged`` with the stored events by id; write when anything changed.

    An event changed when any of its content columns differs from the stored version (compared
    column by column, so nothing depends on a hash function staying the same between versions).
    """
    old_file = store.parquet(result.dataset)
    if old_file.is_file():
        con.execute(f"CREATE VIEW old AS SELECT * FROM read_parquet('{_literal(old_file)}')")
    else:
        con.execute(f"CREATE VIEW old AS {empty_select()}")
    note = older_export_note(result, manifest)
    if note:
        result.notes.append(note)
    # "No longer present" is judged within what the export covers (its countries and its dates), so an
    # export for one country or one year leaves the others' events as they are.
    # Every good row is staged (each has its place), so the event ids, countries and dates that the
    # export covers are read from the rows alone, without the join.
    con.execute(
        "CREATE TABLE gone AS SELECT event_id FROM old WHERE status = 'current' "
        "AND event_id NOT IN (SELECT event_id FROM good) "
        "AND event_id NOT IN (SELECT event_id FROM bad_ids) "
        "AND coalesce(country, '') IN (SELECT DISTINCT coalesce(country, '') FROM good) "
        "AND date_start BETWEEN (SELECT min(date_start) FROM good) AND (SELECT max(date_start) FROM good)"
    )
    differs = " OR ".join(f"s.{c} IS DISTINCT FROM o.{c}" for c in CONTENT_COLUMNS)
    # Keyed by the row number: the write joins it back on a number, not on a million id strings.
    con.execute(
        "CREATE TABLE matched AS SELECT s._row, o.event_id IS NOT NULL AS known, "
        f"o.event_id IS NOT NULL AND (o.status <> 'current' OR {differs}) AS changed, "
        "o.first_seen, o.changed_on FROM staged s LEFT JOIN old o ON o.event_id = s.event_id"
    )
    counts = con.execute(
        "SELECT count(*) FILTER (NOT known), count(*) FILTER (changed), "
        "count(*) FILTER (known AND NOT changed) FROM matched"
    ).fetchone()
    result.added, result.changed, result.unchanged = counts
    result.withdrawn = con.execute("SELECT count(*) FROM gone").fetchone()[0]
    if (
        old_file.is_file()
        and not (result.added or result.changed or result.withdrawn)
        and same_export(manifest, result)
    ):
        return  # the same export again: nothing to write
    export = result.export_date
    columns = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in STORED_COLUMNS.items())
    raw_columns = [c[0] for c in con.execute("DESCRIBE staged").fetchall() if c[0].startswith("raw_")]
    exclude = ", ".join(["_row", *raw_columns])
    merged = f"""
        SELECT s.* EXCLUDE ({exclude}),
            'current' AS status,
            coalesce(m.first_seen, DATE '{export}') AS first_seen,
            CASE WHEN NOT m.known OR m.changed THEN DATE '{export}' ELSE m.changed_on END AS changed_on,
            CAST(NULL AS DATE) AS withdrawn_on
        FROM staged s JOIN matched m USING (_row)
        UNION ALL BY NAME
        SELECT * REPLACE ('withdrawn' AS status, DATE '{export}' AS withdrawn_on)
        FROM old WHERE event_id IN (SELECT event_id FROM gone)
        UNION ALL BY NAME
        SELECT * FROM old WHERE event_id NOT IN (SELECT event_id FROM good)
            AND event_id NOT IN (SELECT event_id FROM gone)
    """
    kept_current, kept_withdrawn = con.execute(
        "SELECT count(*) FILTER (status = 'current'), count(*) FILTER (status <> 'current') FROM old "
        "WHERE event_id NOT IN (SELECT event_id FROM good) AND event_id NOT IN (SELECT event_id FROM gone)"
    ).fetchone()
    staged_count = con.execute("SELECT count(*) FROM good").fetchone()[0]
    current, withdrawn_total = staged_count + kept_current, kept_withdrawn + result.withdrawn
    select = f"SELECT {columns} FROM ({merged})"  # the export's order, then the older events
    store.write(con, result.dataset, select, build_manifest(result, manifest, current, withdrawn_total))
    result.written = True


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")
