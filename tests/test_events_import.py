"""Importing ACLED and UCDP GED exports: row checks, places, the living dataset, all or nothing."""

from __future__ import annotations

import os

import duckdb
import pytest
from events_helpers import (
    ACLED_JULY,
    ACLED_JUNE,
    ACLED_OLD_SUBSET,
    UCDP_SUBSET,
    csv_to_xlsx,
    outline_folder,
)

from dashboard.cli import main
from dashboard.datafolder import default_who
from dashboard.events.importer import ImportFailed, import_file
from dashboard.events.store import EventStore


@pytest.fixture
def data(tmp_path):
    return outline_folder(tmp_path / "data")


def stored(data, dataset="acled") -> dict[str, dict]:
    con = duckdb.connect()
    path = EventStore(data).parquet(dataset)
    cursor = con.execute(f"SELECT * FROM read_parquet('{path}')")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {r["event_id"]: r for r in rows}


def test_acled_import_keeps_good_rows_and_reports_the_bad_one(data):
    result = import_file("acled", ACLED_JUNE, data)
    assert [str(p) for p in result.problems] == [
        "acled_2023-06-30.csv:8:event_date: not a date: '31/02/2023' "
        "(give YYYY-MM-DD or DD Month YYYY, e.g. 28 September 2019)"
    ]
    assert (result.rows, result.rejected, result.added) == (9, 1, 8)
    events = stored(data)
    assert "AFG70006" not in events and len(events) == 8
    first = events["AFG70001"]
    assert (first["fatalities"], first["time_precision"], first["geo_precision"]) == (3, 1, 1)
    assert str(first["date_start"]) == "2023-03-14" and first["status"] == "current"
    assert str(first["first_seen"]) == result.export_date == "2023-06-30"  # the latest timestamp's day


def test_provinces_by_name_variants_and_by_point(data):
    result = import_file("acled", ACLED_JUNE, data)
    events = stored(data)
    province = {k: (v["province"], v["place_basis"]) for k, v in events.items()}
    assert province["AFG70001"] == ("Badakhshan", "name")  # Fayzabad, Badakhshan
    assert province["AFG70002"] == ("Jawzjan", "name")  # "Jowzjan": the Fayzabad of Jawzjan
    assert province["AFG70003"] == ("Faryab", "point")  # a Fayzabad with no province: the point decides
    assert province["AFG70004"] == ("Jawzjan", "point-disagrees")  # named Badakhshan, lies in Jawzjan
    assert province["AFG70005"] == ("Kunduz", "name")  # "Qunduz"
    assert province["AFG70007"] == ("Takhar", "name")  # "Takhâr"
    assert province["TJK5001"] == ("Gorno-Badakhshan", "name")  # never Afghanistan's Badakhshan
    assert events["TJK5001"]["country_iso3"] == "TJK"
    assert province["UZB1001"] == (None, "outside") and events["UZB1001"]["country_iso3"] == "UZB"
    assert [str(n) for n in result.place_notes] == [
        "acled_2023-06-30.csv:5:admin1: 'Badakhshan': placed by the coordinates "
        "(the province name disagrees with them), in Jawzjan"
    ]
    assert all(events[k]["h3_r6"] and events[k]["h3_r3"] for k in events)


def test_the_same_file_twice_changes_nothing(data):
    import_file("acled", ACLED_JUNE, data)
    store = EventStore(data)
    before = (store.parquet("acled").stat().st_mtime_ns, store.manifest_path("acled").read_bytes())
    again = import_file("acled", ACLED_JUNE, data)
    assert (again.added, again.changed, again.withdrawn, again.unchanged) == (0, 0, 0, 8)
    assert not again.written
    assert (store.parquet("acled").stat().st_mtime_ns, store.manifest_path("acled").read_bytes()) == before


def test_a_newer_export_updates_by_id_and_marks_the_missing_one_withdrawn(data):
    import_file("acled", ACLED_JUNE, data)
    result = import_file("acled", ACLED_JULY, data)
    assert (result.added, result.changed, result.withdrawn, result.unchanged) == (1, 1, 1, 6)
    events = stored(data)
    assert len(events) == 9  # nothing deleted
    assert events["AFG70001"]["fatalities"] == 4
    assert str(events["AFG70001"]["changed_on"]) == result.export_date
    assert str(events["AFG70001"]["first_seen"]) == "2023-06-30"
    gone = events["AFG70005"]
    assert gone["status"] == "withdrawn" and str(gone["withdrawn_on"]) == result.export_date
    assert events["AFG70008"]["province"] == "Panjshir"  # "Panjsher"
    manifest = EventStore(data).manifest("acled")
    assert manifest["events_current"] == 8 and manifest["events_withdrawn"] == 1
    assert [i["source_file"] for i in manifest["imports"]] == [ACLED_JUNE.name, ACLED_JULY.name]
    assert (
        manifest["attribution"] == "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com"
    )
    again = import_file("acled", ACLED_JULY, data)
    assert (again.added, again.changed, again.withdrawn) == (0, 0, 0) and not again.written


def test_an_export_for_other_dates_withdraws_nothing_outside_them(data):
    import_file("acled", ACLED_JUNE, data)
    result = import_file("acled", ACLED_OLD_SUBSET, data)  # 2019, same country
    assert result.withdrawn == 0 and result.added == 2
    assert all(e["status"] == "current" for e in stored(data).values())


def test_an_old_subset_export_with_day_month_year_dates(data):
    result = import_file("acled", ACLED_OLD_SUBSET, data)
    assert any("optional column(s) not in the export" in n and "geo_precision" in n for n in result.notes)
    assert [str(p) for p in result.problems] == [
        "acled_old_subset.csv:4:event_date: not a date: '14 Octobre 2019' "
        "(give YYYY-MM-DD or DD Month YYYY, e.g. 28 September 2019)",
        "acled_old_subset.csv:4:fatalities: not a whole number of 0 or more: 'x'",
    ]
    events = stored(data)
    assert str(events["AFG1201"]["date_start"]) == "2019-09-28"  # "28 September 2019"
    assert events["AFG1201"]["province"] == "Badakhshan"  # "Badachschan"
    assert events["AFG1202"]["province"] == "Sari Pul"  # "Sar-e-Pul"
    assert events["AFG1201"]["geo_precision"] is None  # absent column: left empty


def test_xlsx_export_imports_like_the_csv(data, tmp_path):
    xlsx = csv_to_xlsx(ACLED_JUNE, tmp_path / "acled_2023-06-30.xlsx")
    result = import_file("acled", xlsx, data)
    assert [str(p) for p in result.problems] == [
        "acled_2023-06-30.xlsx:8:event_date: not a date: '31/02/2023' "
        "(give YYYY-MM-DD or DD Month YYYY, e.g. 28 September 2019)"
    ]
    events = stored(data)
    assert events["TJK5001"]["province"] == "Gorno-Badakhshan" and events["AFG70001"]["fatalities"] == 3


def test_a_missing_essential_column_imports_nothing(data, tmp_path):
    lines = ACLED_JUNE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cut = header.index("latitude")
    broken = tmp_path / "no_latitude.csv"
    broken.write_text(
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != cut) for line in lines[:3]) + "\n"
    )
    with pytest.raises(ImportFailed, match=r"no_latitude.csv:1:latitude: essential column\(s\) missing"):
        import_file("acled", broken, data)
    assert not (data / "events").exists()


def test_duplicate_ids_in_one_file_are_reported(data, tmp_path):
    lines = ACLED_JUNE.read_text(encoding="utf-8").splitlines()
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("\n".join([*lines[:3], lines[1]]) + "\n")
    result = import_file("acled", doubled, data)
    assert [str(p) for p in result.problems] == [
        "doubled.csv:4:event_id_cnty: event id 'AFG70001' repeats row 2"
    ]


def test_a_failed_write_leaves_the_stored_file_as_it_was(data, monkeypatch):
    import_file("acled", ACLED_JUNE, data)
    store = EventStore(data)
    before = store.parquet("acled").read_bytes()

    def refuse(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        import_file("acled", ACLED_JULY, data)
    assert store.parquet("acled").read_bytes() == before
    assert sorted(p.name for p in store.folder.iterdir()) == ["acled.json", "acled.parquet"]


def test_ucdp_subset(data):
    result = import_file("ucdp", UCDP_SUBSET, data)
    assert result.version == "24.1"
    assert [str(p) for p in result.problems] == [
        "GEDEvent_v24_1_subset.csv:5:best: low, best and high are out of order: 9 / 10 / 8"
    ]
    events = stored(data, "ucdp")
    first = events["410001"]
    assert (first["fatalities"], first["fatalities_low"], first["fatalities_high"]) == (7, 7, 9)
    assert (first["deaths_a"], first["deaths_b"], first["event_type"]) == (2, 5, "State-based conflict")
    assert str(first["date_start"]) == "2021-07-04"  # "2021-07-04 00:00:00.000"
    assert first["province"] == "Badakhshan" and first["admin2"] == "Fayzabad district"
    month = events["410002"]
    assert (month["time_precision"], str(month["date_end"])) == (4, "2021-08-31")
    assert events["410003"]["province"] == "Gorno-Badakhshan"  # "Gorno-Badakhshan Autonomous Oblast"
    assert events["410003"]["geo_precision"] == 2


def test_cli_import_prints_rows_and_summary(data, capsys):
    status = main(["import", "acled", str(ACLED_JUNE), "--data", str(data)])
    out = capsys.readouterr().out
    assert status == 1
    assert "acled_2023-06-30.csv:8:event_date: not a date: '31/02/2023'" in out
    assert (
        "ACLED (export of 2023-06-30): 8 added, 0 changed, 0 withdrawn, 0 unchanged; 1 row(s) rejected of 9"
        in out
    )
    status = main(["import", "ucdp", str(UCDP_SUBSET), "--data", str(data), "--export-date", "2024-06-01"])
    assert status == 1 and "UCDP GED (export of 2024-06-01, version 24.1): 3 added" in capsys.readouterr().out


def test_each_import_records_who_made_it_with_the_events(data):
    main(["import", "acled", str(ACLED_JUNE), "--data", str(data), "--who", "a.curator"])
    import_file("acled", ACLED_JULY, data)  # from code, with nobody named: the system user
    imports = EventStore(data).manifest("acled")["imports"]
    assert [i["who"] for i in imports] == ["a.curator", default_who()]


def test_cli_import_refuses_a_folder_that_is_not_a_data_folder(tmp_path, capsys):
    assert main(["import", "acled", str(ACLED_JUNE), "--data", str(tmp_path)]) == 1
    assert "not a data folder" in capsys.readouterr().err


def test_a_row_that_cannot_be_read_far_into_the_file_imports_nothing(data, tmp_path):
    # The CSV is read once, while its rows are typed (past the part DuckDB samples for the header):
    # an unreadable row there stops the import with the file's name, and nothing is written.
    export = tmp_path / "late_bad_bytes.csv"
    with export.open("wb") as out:
        out.write(b"event_id_cnty,event_date,latitude,longitude,notes\n")
        out.write(b"".join(f"X{i},2023-01-01,36.7,68.8,fine\n".encode() for i in range(40_000)))
        out.write(b"Y1,2023-01-01,36.7,68.8,bad \xff\xfe bytes\n")
    with pytest.raises(ImportFailed, match=r"^late_bad_bytes\.csv: cannot be read as CSV or XLSX"):
        import_file("acled", export, data)
    assert not (data / "events" / "acled.parquet").exists()
