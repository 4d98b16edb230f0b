"""The curated data in the shared database: the schema, `db load` (validated, whole) and `db dump`
(a folder that validates and equals the one loaded)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import dbstore
import factory

from dashboard.cli import main
from dashboard.db import connect, curated
from dashboard.validate import validate

REPO = dbstore.REPO


def _folder_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_every_table_of_the_contract_is_a_table_of_cell_text_in_row_order(database_url):
    with connect(database_url) as conn:
        found = conn.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'curated' ORDER BY table_name, ordinal_position"
        ).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in found:
        columns.setdefault(table, []).append((column, kind))
    for spec in curated.tables().values():
        have = columns[spec.name]
        assert have[0] == ("position", "integer"), spec.name
        assert [c for c, _ in have[1 : 1 + len(spec.columns)]] == list(spec.columns), spec.name
        assert {k for _, k in have[1 : 1 + len(spec.columns)]} == {"text"}, spec.name
        assert [c for c, _ in have[1 + len(spec.columns) :]] == (["geom"] if spec.name == "places" else [])
    assert {"dataset_state", "layers", "features", "files", "csv_layout"} <= set(columns)


def test_load_then_dump_gives_back_the_bundled_folder(database_url, tmp_path, capsys):
    assert (
        main(
            [
                "db",
                "load",
                "--data",
                str(REPO / "geodata"),
                "--seeds",
                str(REPO / "seeds"),
                "--url",
                database_url,
            ]
        )
        == 0
    )
    assert "now version 1" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["db", "dump", "--out", str(out / "geodata"), "--url", database_url]) == 0
    for name in ("geodata", "seeds"):
        loaded, dumped = _folder_files(REPO / name), _folder_files(out / name)
        assert sorted(dumped) == sorted(loaded)
        for file, data in loaded.items():
            if file.endswith(".geojson"):
                assert json.loads(dumped[file]) == json.loads(data), file  # equal as data
            else:
                assert dumped[file] == data, file  # tables, documents, datapackage.json: byte for byte
    assert validate(out / "geodata", out / "seeds").ok
    assert main(["validate", "--data", str(out / "geodata")]) == 0


def test_places_and_map_layers_are_postgis_geometries(database_url):
    dbstore.load(database_url, REPO / "geodata", REPO / "seeds")
    with connect(database_url) as conn:
        x, y, srid = conn.execute(
            "SELECT ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM curated.places "
            "WHERE id = 'fayzabad-badakhshan'"
        ).fetchone()
        inside = conn.execute(
            "SELECT f.id FROM curated.features f JOIN curated.places p ON ST_Contains(f.geom, p.geom) "
            "WHERE f.layer = 'provinces' AND p.id = 'fayzabad-badakhshan'"
        ).fetchall()
        invalid = conn.execute("SELECT count(*) FROM curated.features WHERE NOT ST_IsValid(geom)").fetchone()[
            0
        ]
        properties = conn.execute(
            "SELECT properties->>'name' FROM curated.features WHERE layer = 'provinces' AND id = %s",
            (inside[0][0],),
        ).fetchone()[0]
    assert (round(x, 5), round(y, 5), srid) == (70.58002, 37.11664, 4326)
    assert len(inside) == 1 and properties == "Badakhshan"
    assert invalid == 0


def test_cells_stay_text_and_a_file_comes_back_in_its_own_layout(database_url, make_data, tmp_path):
    tables = factory.base_tables()
    tables["places"][0]["notes"] = "012"
    tables["places"][1]["notes"] = "NA"
    data_dir, seeds_dir = make_data(tables=tables)
    claims = data_dir / "claims.csv"  # written by a spreadsheet: every cell quoted, Windows line ends
    lines = claims.read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    claims.write_bytes(buffer.getvalue().encode("utf-8"))
    assert validate(data_dir, seeds_dir).ok
    dbstore.load(database_url, data_dir, seeds_dir)
    with connect(database_url) as conn:
        notes = [r[0] for r in conn.execute("SELECT notes FROM curated.places ORDER BY position LIMIT 2")]
    assert notes == ["012", "NA"]
    out = tmp_path / "out"
    assert main(["db", "dump", "--out", str(out / "geodata"), "--url", database_url]) == 0
    assert _folder_files(out / "geodata")["claims.csv"] == claims.read_bytes()
    assert _folder_files(out / "geodata")["places.csv"] == (data_dir / "places.csv").read_bytes()


def test_a_folder_that_does_not_validate_is_refused_and_the_database_stays(
    database_url, make_data, tmp_path, capsys
):
    good, good_seeds = make_data()
    dbstore.load(database_url, good, good_seeds)
    before = dbstore.files(database_url)
    tables = factory.base_tables()
    tables["claims"][0]["unit"] = "soldiers"
    bad, _ = factory.make_data(tmp_path / "bad", tables=tables)
    capsys.readouterr()
    assert main(["db", "load", "--data", str(bad), "--url", database_url]) == 1
    err = capsys.readouterr().err
    assert "claims.csv:2:unit" in err and "the database was not changed" in err
    assert dbstore.files(database_url) == before
    assert dbstore.version(database_url).version == 1


def test_dump_refuses_a_folder_that_is_not_empty_unless_forced(database_url, data_dirs, tmp_path, capsys):
    dbstore.load(database_url, *data_dirs)
    out = tmp_path / "out" / "geodata"
    out.mkdir(parents=True)
    (out / "mine.txt").write_text("kept", encoding="utf-8")
    assert main(["db", "dump", "--out", str(out), "--url", database_url]) == 1
    assert "is not empty; use --force" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    assert main(["db", "dump", "--out", str(out), "--url", database_url, "--force"]) == 0
    assert "mine.txt is not in the database and was left as it was" in capsys.readouterr().out
    assert (out / "mine.txt").read_text(encoding="utf-8") == "kept"
    assert (out / "claims.csv").read_bytes() == (data_dirs[0] / "claims.csv").read_bytes()
    assert not list(out.glob(".*partial"))


def test_dump_of_an_empty_database_says_to_load_first(database_url, tmp_path, capsys):
    assert main(["db", "dump", "--out", str(tmp_path / "out"), "--url", database_url]) == 1
    assert "load a data folder with `db load`" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_load_needs_the_schema_upgraded(pg_cluster, data_dirs, capsys):
    url = pg_cluster.new_database()
    assert main(["db", "load", "--data", str(data_dirs[0]), "--url", url]) == 1
    assert "run `db upgrade`" in capsys.readouterr().err


def test_load_then_dump_carries_the_imported_events_too(database_url, tmp_path, capsys):
    import shutil

    import duckdb
    from events_helpers import ACLED_JUNE

    from dashboard.events.importer import import_file

    root = tmp_path / "root"
    shutil.copytree(REPO / "geodata", root / "geodata")
    shutil.copytree(REPO / "seeds", root / "seeds")
    import_file("acled", ACLED_JUNE, root / "geodata", url="")

    def rows(folder):
        return duckdb.connect().execute(f"FROM read_parquet('{folder}/events/acled.parquet')").fetchall()

    stored = len(rows(root / "geodata"))
    assert main(["db", "load", "--data", str(root / "geodata"), "--url", database_url]) == 0
    assert f"imported events: {stored} acled" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["db", "dump", "--out", str(out / "geodata"), "--url", database_url]) == 0
    assert f"imported events: {stored} acled" in capsys.readouterr().out
    assert stored and rows(out / "geodata") == rows(root / "geodata")
    assert validate(out / "geodata", out / "seeds").ok


def test_validate_checks_the_shared_database_when_one_is_set(
    database_url, make_data, tmp_path, monkeypatch, capsys
):
    data_dir, seeds_dir = make_data()
    dbstore.load(database_url, data_dir, seeds_dir)
    dbstore.use_database(monkeypatch, database_url, tmp_path / "cache")
    capsys.readouterr()
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("the shared database at postgresql://") and "ok:" in out
    # A cell changed in the database behind the app's back (no `db load` would take it): found.
    with connect(database_url) as conn:
        conn.execute(
            "UPDATE curated.claims SET unit = 'soldiers' "
            "WHERE position = (SELECT min(position) FROM curated.claims)"
        )
        conn.execute("UPDATE curated.dataset_state SET version = version + 1")
    assert main(["validate"]) == 1
    assert "claims.csv:2:unit" in capsys.readouterr().out
    # Naming a folder still checks that folder, not the database.
    assert main(["validate", "--data", str(data_dir), "--seeds", str(seeds_dir)]) == 0
    assert "shared database" not in capsys.readouterr().out
