"""The curated dataset's files as rows of the ``curated`` schema (migration 0002), and back to files.

A data folder and its documents folder are handled as one mapping ``(folder, name) -> bytes``, the
folder being ``"data"`` or ``"seeds"``. Each file goes where it belongs: a table of the product's
contract (``claims.csv``...) to the table of that name, one row per record with its cells' text; a
GeoJSON file to ``layers``/``features``; anything else (the source documents, ``datapackage.json``, the
data dictionary) to ``files``, byte for byte. :func:`read_files` gives the same mapping back.

Sub-folders (``events/``, the imported events) and hidden files (a change in progress, a lock) are not
part of the curated data and are never read here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from psycopg import sql
from psycopg.types.json import Json

from dashboard.db import DatabaseError, csvlayout, geolayers
from dashboard.schema import GEODATA_CONTRACT, SEEDS_CONTRACT, product_schema

DATA, SEEDS = "data", "seeds"
SCHEMA = "curated"
FileKey = tuple[str, str]


@dataclass(frozen=True)
class TableSpec:
    """A table of the contract: its folder, file and columns."""

    name: str
    folder: str
    file: str
    columns: tuple[str, ...]


@cache
def tables() -> dict[FileKey, TableSpec]:
    """Every table of the product's contract, by (folder, file name)."""
    out = {}
    for folder, contract in ((DATA, GEODATA_CONTRACT), (SEEDS, SEEDS_CONTRACT)):
        for name, resource in product_schema(contract).items():
            out[(folder, resource.path)] = TableSpec(name, folder, resource.path, tuple(resource.field_names))
    return out


def folder_files(data_dir: Path, seeds_dir: Path) -> dict[FileKey, bytes]:
    """Every regular, visible file of the two folders (not their sub-folders), by (folder, name)."""
    out = {}
    for key, folder in ((DATA, Path(data_dir)), (SEEDS, Path(seeds_dir))):
        for path in sorted(folder.iterdir()):
            if not path.name.startswith(".") and path.is_file() and not path.is_symlink():
                out[(key, path.name)] = path.read_bytes()
    return out


def write_folder_files(files: dict[FileKey, bytes], data_dir: Path, seeds_dir: Path) -> None:
    """Write ``files`` into two existing folders (plain writes: for a private folder nobody else reads)."""
    folders = {DATA: Path(data_dir), SEEDS: Path(seeds_dir)}
    for (key, name), data in files.items():
        (folders[key] / name).write_bytes(data)


def _layer(key: FileKey) -> str | None:
    folder, name = key
    return name[: -len(".geojson")] if folder == DATA and name.endswith(".geojson") else None


# --- writing -----------------------------------------------------------------------------------------


def clear(conn) -> None:
    """Remove every curated row (tables, layers, files, layouts); ``dataset_state`` stays."""
    names = [spec.name for spec in tables().values()] + ["csv_layout", "features", "layers", "files"]
    conn.execute(sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(sql.Identifier(SCHEMA, n) for n in names)))


def store_file(conn, key: FileKey, data: bytes) -> bool:
    """Put one file in the database in place of what it held under that name; False when the bytes will
    not come back exactly (a CSV file laid out in a way of its own: its cells do)."""
    spec = tables().get(key)
    if spec is not None:
        return _store_table(conn, spec, data)
    remove_file(conn, key)
    layer = _layer(key)
    if layer is not None:
        _store_layer(conn, layer, data)
    else:
        conn.execute("INSERT INTO curated.files (folder, name, content) VALUES (%s, %s, %s)", (*key, data))
    return True


def remove_file(conn, key: FileKey) -> None:
    """Remove one file's rows (a table's rows stay: a table of the contract is never absent)."""
    layer = _layer(key)
    if layer is not None:
        conn.execute("DELETE FROM curated.layers WHERE name = %s", (layer,))
    elif key not in tables():
        conn.execute("DELETE FROM curated.files WHERE folder = %s AND name = %s", key)


def _store_table(conn, spec: TableSpec, data: bytes) -> bool:
    try:
        parsed = csvlayout.parse(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise DatabaseError(f"{spec.folder}/{spec.file}: cannot be stored ({exc})") from exc
    if tuple(parsed.header) != spec.columns:
        raise DatabaseError(f"{spec.folder}/{spec.file}:1: the header is not the contract's columns")
    table = sql.Identifier(SCHEMA, spec.name)
    columns = sql.SQL(", ").join(map(sql.Identifier, ("position", *spec.columns)))
    conn.execute(sql.SQL("DELETE FROM {}").format(table))
    with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(table, columns)) as copy:
        for n, row in enumerate(parsed.rows, start=2):  # the spreadsheet row: the header is row 1
            if len(row) != len(spec.columns):
                raise DatabaseError(
                    f"{spec.folder}/{spec.file}:{n}: has {len(row)} cells, not {len(spec.columns)}"
                )
            copy.write_row((n, *row))
    layout = parsed.layout
    conn.execute(
        "INSERT INTO curated.csv_layout (table_name, line_end, quote_all, final_newline) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT (table_name) DO UPDATE SET line_end = EXCLUDED.line_end, "
        "quote_all = EXCLUDED.quote_all, final_newline = EXCLUDED.final_newline",
        (spec.name, layout.line_end, layout.quote_all, layout.final_newline),
    )
    return parsed.exact


def _store_layer(conn, layer: str, data: bytes) -> None:
    try:
        members, rows = geolayers.parse(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise DatabaseError(f"data/{layer}.geojson: cannot be stored ({exc})") from exc
    conn.execute("INSERT INTO curated.layers (name, members) VALUES (%s, %s)", (layer, Json(members)))
    with conn.cursor().copy(
        "COPY curated.features (layer, position, id, id_member, properties, property_names, geometry_json,"
        " extra) FROM STDIN"
    ) as copy:
        for n, row in enumerate(rows, start=1):
            copy.write_row(
                (
                    layer,
                    n,
                    row.id,
                    # The id member, when there is one, as a one-item list: a null id stays apart from none.
                    json.dumps([row.id_member]) if row.has_id else None,
                    None if row.properties is None else json.dumps(row.properties),
                    row.property_names,
                    json.dumps(row.geometry),
                    json.dumps(row.extra),
                )
            )


# --- reading -----------------------------------------------------------------------------------------


def read_files(conn) -> dict[FileKey, bytes]:
    """Every curated file as the database holds it, by (folder, name)."""
    out: dict[FileKey, bytes] = {}
    layouts = {
        name: csvlayout.Layout(line_end, quote_all, final_newline)
        for name, line_end, quote_all, final_newline in conn.execute(
            "SELECT table_name, line_end, quote_all, final_newline FROM curated.csv_layout"
        )
    }
    for key, spec in tables().items():
        if spec.name not in layouts:
            continue  # never loaded: the folder had no such file
        columns = sql.SQL(", ").join(map(sql.Identifier, spec.columns))
        query = sql.SQL("SELECT {} FROM {} ORDER BY position").format(
            columns, sql.Identifier(SCHEMA, spec.name)
        )
        rows = [list(r) for r in conn.execute(query)]
        out[key] = csvlayout.render(list(spec.columns), rows, layouts[spec.name])
    for layer, members in conn.execute("SELECT name, members FROM curated.layers ORDER BY name").fetchall():
        features = conn.execute(
            "SELECT id, id_member, properties, property_names, geometry_json, extra FROM curated.features "
            "WHERE layer = %s ORDER BY position",
            (layer,),
        )
        rows = [
            geolayers.FeatureRow(
                id=fid,
                id_member=id_member[0] if id_member is not None else None,
                has_id=id_member is not None,
                properties=properties,
                property_names=names,
                geometry=geometry,
                extra=extra or {},
            )
            for fid, id_member, properties, names, geometry, extra in features
        ]
        out[(DATA, f"{layer}.geojson")] = geolayers.render(members, rows)
    for folder, name, content in conn.execute("SELECT folder, name, content FROM curated.files"):
        out[(folder, name)] = bytes(content)
    return out


__all__ = [
    "DATA",
    "SEEDS",
    "TableSpec",
    "clear",
    "folder_files",
    "read_files",
    "remove_file",
    "store_file",
    "tables",
    "write_folder_files",
]
