"""A data file changed or removed under the running app (AppTest): the page keeps the last good data,
says why (the file, the first problems, since when), and picks the data up again once it validates.

The same for the imported events' store: a removed or truncated Parquet file is named in a warning and
its dataset left out; the rest of the page stays, and a repaired store is read again.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from events_helpers import ACLED_JULY, ACLED_JUNE, REPO, app_reads_a_copy
from streamlit.testing.v1 import AppTest

from dashboard.events.importer import import_file
from dashboard.events.store import EventStore
from dashboard.ui import data as ui_data

APP = str(REPO / "dashboard" / "app.py")


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled data, which the app reads and the tests then break under it."""
    return app_reads_a_copy(tmp_path, monkeypatch)


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def map_args(at: AppTest) -> dict:
    found = [x for x in at.main if type(x).__name__ == "UnknownElement" and x.type == "component_instance"]
    assert len(found) == 1, "the map is not on the page"
    return json.loads(found[0].proto.json_args)


def warnings(at: AppTest) -> list[str]:
    return [w.value.replace("\\", "") for w in at.warning]


def matching(at: AppTest) -> str:
    return next(c.value for c in at.sidebar.caption if "reports match" in c.value)


def bad_cell(path: Path) -> None:
    """The first claim's best figure becomes a word (saved by hand in a spreadsheet, say)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[1][rows[0].index("figure_best")] = "lots"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def removed(path: Path) -> None:
    path.unlink()


def half_written(path: Path) -> None:
    """The file as an editor leaves it half way through saving: cut in the middle of a row."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (bad_cell, "geodata/claims.csv:2:figure_best:"),
        (removed, "geodata/claims.csv:0::"),
        (half_written, "geodata/claims.csv:"),
    ],
    ids=["bad cell", "removed", "half written"],
)
def test_a_broken_data_file_keeps_the_last_good_data_with_a_warning(folder, damage, expected):
    claims = folder / "claims.csv"
    good = claims.read_bytes()
    at = start()
    assert not at.warning and not at.error
    before = (map_args(at)["feature_group"], matching(at))

    damage(claims)
    rerun(at)
    assert not at.error, [e.value for e in at.error]
    assert (map_args(at)["feature_group"], matching(at)) == before  # the same data, still on the map
    shown = warnings(at)
    assert len(shown) == 1 and expected in shown[0], shown
    assert "has problems since" in shown[0] and "shows the data as loaded at" in shown[0]

    claims.write_bytes(good)  # repaired
    rerun(at)
    assert not at.warning and not at.error
    assert (map_args(at)["feature_group"], matching(at)) == before


def test_the_warning_keeps_the_time_the_problems_began(folder):
    """A second bad edit does not move "since": the older data has been shown since the first one."""
    at = start()
    bad_cell(folder / "claims.csv")
    first = warnings(rerun(at))[0]
    half_written(folder / "places.csv")
    second = warnings(rerun(at))[0]
    since = first.split("since ", 1)[1].split(":", 3)[:3]
    assert second.split("since ", 1)[1].split(":", 3)[:3] == since
    assert "geodata/places.csv" in second or "(and" in second


def test_a_corrected_file_brings_in_the_new_data(folder):
    """Once the folder validates again the page shows what it now holds, not the old data."""
    at = start()
    before = matching(at)
    rows = list(csv.DictReader(io.StringIO((folder / "reports.csv").read_text(encoding="utf-8"))))
    half_written(folder / "reports.csv")
    rerun(at)
    assert warnings(at) and matching(at) == before
    counts = Counter(r["record_id"] for r in rows)
    drop = next(i for i, r in enumerate(rows) if counts[r["record_id"]] > 1)  # its record keeps a report
    keep = rows[:drop] + rows[drop + 1 :]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(keep)
    (folder / "reports.csv").write_text(buffer.getvalue(), encoding="utf-8")
    rerun(at)
    assert not at.warning and matching(at) != before


def test_a_folder_that_never_validated_is_still_an_error(tmp_path, monkeypatch):
    (tmp_path / "geodata").mkdir()
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(tmp_path / "geodata"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception and at.error and "data folder has problems" in at.error[0].value
    rerun(at)  # again: the same problems, not a crash
    assert at.error and "data folder has problems" in at.error[0].value


# The imported events' store ----------------------------------------------------------------------------


def _events_on_map(at: AppTest) -> bool:
    return "imported_points" in map_args(at)["feature_group"]


def test_a_removed_event_file_is_named_and_its_events_left_out(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = start()
    assert _events_on_map(at) and not at.warning
    parquet = EventStore(folder).parquet("acled")
    kept = parquet.read_bytes()
    parquet.unlink()
    rerun(at)
    assert not at.error
    shown = warnings(at)
    assert shown == ["Imported events: geodata/events/acled.parquet:0:: is missing (its manifest is there); "
                     "its events are left out"]  # fmt: skip
    assert not _events_on_map(at) and matching(at)  # the curated map is still there
    parquet.write_bytes(kept)  # restored from a backup
    rerun(at)
    assert not at.warning and _events_on_map(at)


def test_a_truncated_event_file_is_named_and_its_events_left_out(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = start()
    parquet = EventStore(folder).parquet("acled")
    kept = parquet.read_bytes()
    parquet.write_bytes(kept[: len(kept) // 2])
    rerun(at)
    assert not at.error
    shown = warnings(at)
    assert len(shown) == 1 and "geodata/events/acled.parquet:0:: cannot be read (" in shown[0], shown
    assert "left out" in shown[0] and not _events_on_map(at) and matching(at)
    parquet.write_bytes(kept)
    rerun(at)
    assert not at.warning and _events_on_map(at)


def test_an_import_into_an_unreadable_event_file_is_refused_clearly(folder):
    """Merging into events that cannot be read would lose them: the import says so and writes nothing."""
    from dashboard.events.importer import ImportFailed

    import_file("acled", ACLED_JUNE, folder)
    parquet = EventStore(folder).parquet("acled")
    parquet.write_bytes(parquet.read_bytes()[:100])
    before = sorted((p.name, p.read_bytes()) for p in parquet.parent.iterdir())
    refused = r"geodata/events/acled\.parquet:0:: cannot be read .*nothing imported"
    with pytest.raises(ImportFailed, match=refused):
        import_file("acled", ACLED_JULY, folder)
    assert sorted((p.name, p.read_bytes()) for p in parquet.parent.iterdir()) == before
