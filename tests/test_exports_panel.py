"""The app's export panel (AppTest): its controls, and one download button per format."""

from __future__ import annotations

import factory
import pytest
from streamlit.testing.v1 import AppTest


def _panel_page(data_dir: str, seeds_dir: str) -> None:
    from pathlib import Path

    from dashboard.filters import apply_filters
    from dashboard.flat import flat_reports
    from dashboard.loader import load_dataset
    from dashboard.model import Filters
    from dashboard.ui import export_panel

    ds = load_dataset(Path(data_dir), Path(seeds_dir))
    flat_all = flat_reports(ds)
    filters = Filters(document=("d001",))
    export_panel.render(
        ds,
        flat_all,
        apply_filters(flat_all, filters),
        filters,
        center=(37.0, 70.0),
        zoom=7,
        screen_size=(1100, 640),
        title="Badakhshan, November",
        subtitle="",
    )


@pytest.fixture
def stored(monkeypatch):
    """File name -> bytes of every file the page hands to Streamlit for download."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    load = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            files[filename] = bytes(path_or_data)
        return load(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


LABELS = ["PNG snapshot", "Slide (.pptx)", "PDF page", "Standalone HTML", "CSV", "GeoJSON", "Excel"]


def test_panel_offers_every_format(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CAVEAT", "Unclassified")
    data_dir, seeds_dir = factory.make_data(tmp_path / "data")
    at = AppTest.from_function(_panel_page, args=(str(data_dir), str(seeds_dir)), default_timeout=30).run()
    assert not at.exception
    assert at.text_input[0].value == "Unclassified"  # the configured caveat is the default
    assert [r.label for r in at.radio] == ["Picture size", "Pixel density"]
    assert "3 report(s) in the current filters" in at.caption[0].value
    assert sorted(b.label for b in at.button) == sorted(LABELS)
    assert at.get("download_button") == []  # nothing is made before it is asked for


def test_a_format_is_made_on_click_and_held_by_its_download_button(tmp_path, stored):
    data_dir, seeds_dir = factory.make_data(tmp_path / "data")
    at = AppTest.from_function(_panel_page, args=(str(data_dir), str(seeds_dir)), default_timeout=60).run()
    at.button(key="export_make_csv").click().run()
    assert not at.exception and not at.error
    (button,) = at.get("download_button")
    (name,) = [n for n in stored if n.endswith(".csv")]
    assert stored[name].startswith(b"kind,id")
    assert button.proto.label.startswith("Download ") and "KB)" in button.proto.label
    assert button.proto.url.endswith(".csv")  # a file held by this session, not made on a later click
    assert not button.proto.deferred_file_id
    assert button.proto.ignore_rerun  # downloading does not rerun the page
    at.run()  # the page reruns by itself (the map reports its view): the file stays offered
    assert len(at.get("download_button")) == 1
    at.button(key="export_make_geojson").click().run()
    assert len(at.get("download_button")) == 2


def test_a_file_made_for_one_view_is_not_offered_for_another(tmp_path, stored):
    data_dir, seeds_dir = factory.make_data(tmp_path / "data")
    at = AppTest.from_function(_panel_page, args=(str(data_dir), str(seeds_dir)), default_timeout=60).run()
    at.button(key="export_make_csv").click().run()
    assert len(at.get("download_button")) == 1
    at.text_input[0].set_value("RESTRICTED").run()  # another caveat: another file
    assert at.get("download_button") == []


def test_choosing_a_size_keeps_every_button(tmp_path):
    data_dir, seeds_dir = factory.make_data(tmp_path / "data")
    at = AppTest.from_function(_panel_page, args=(str(data_dir), str(seeds_dir)), default_timeout=30).run()
    for size in ("slide", "a4", "screen"):
        at.radio[0].set_value(size).run()
        assert not at.exception and not at.error
        assert sorted(b.label for b in at.button) == sorted(LABELS)


def test_a_busy_browser_gives_the_labelled_fallback(tmp_path, monkeypatch):
    import io

    from pptx import Presentation

    from dashboard.exports import formats
    from dashboard.exports.briefing import Briefing
    from dashboard.exports.snapshot import SnapshotBusy
    from dashboard.flat import flat_reports
    from dashboard.loader import load_dataset
    from dashboard.ui import export_panel

    def busy_unless_given(name, ds, flat_all, flat, briefing, renderer=None):
        if renderer is None:
            raise SnapshotBusy("too many snapshots are being made")
        return formats.export_bytes(name, ds, flat_all, flat, briefing, renderer)

    monkeypatch.setattr(export_panel, "export_bytes", busy_unless_given)
    ds = load_dataset(*factory.make_data(tmp_path / "data"))
    flat = flat_reports(ds)
    make = export_panel._maker("pptx", ds, flat, flat, Briefing(size=(800, 500)).stamped())
    notes = Presentation(io.BytesIO(make())).slides[0].notes_slide.notes_text_frame.text
    assert "static fallback rendering (too many snapshots are being made)" in notes


def test_the_as_of_is_stamped_when_the_file_is_made(tmp_path, monkeypatch):
    """A briefing without an "as of" is stamped by the call that makes the file (the button's callable
    runs at click time), and its file name carries no earlier time."""
    import io
    from datetime import UTC, datetime

    import openpyxl

    from dashboard.exports import briefing as briefing_module
    from dashboard.exports.briefing import Briefing
    from dashboard.exports.formats import file_name
    from dashboard.exports.paths import safe_name
    from dashboard.flat import flat_reports
    from dashboard.loader import load_dataset
    from dashboard.ui import export_panel

    ds = load_dataset(*factory.make_data(tmp_path / "data"))
    flat = flat_reports(ds)
    unstamped = Briefing(size=(800, 500))
    make = export_panel._maker("xlsx", ds, flat, flat, unstamped)  # drawn now, clicked later

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2031, 3, 4, 5, 6, tzinfo=UTC)

    monkeypatch.setattr(briefing_module, "datetime", Clock)
    about = openpyxl.load_workbook(io.BytesIO(make()))["About"]
    values = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert values["As of"] == "4 March 2031, 05:06 UTC"
    assert file_name("xlsx", unstamped) == f"{safe_name(unstamped.title)}.xlsx"
    assert file_name("xlsx", unstamped.stamped()) == f"{safe_name(unstamped.title)}_2031-03-04_0506.xlsx"


def test_a_failing_export_says_so(tmp_path, monkeypatch, stored):
    """A format whose file cannot be made says so under its button, with the reason as plain text,
    until a file of that format is made; no file is offered for it, and the others still work."""
    from dashboard.exports import formats
    from dashboard.ui import export_panel
    from dashboard.ui.text import md

    broken = {"pdf"}

    def failing_pdf(name, ds, flat_all, flat, briefing, renderer=None):
        if name in broken:
            raise ValueError("Unknown symbol: \\href, found '\\' <img src=x> **bold**")
        return formats.export_bytes(name, ds, flat_all, flat, briefing, renderer)

    monkeypatch.setattr(export_panel, "export_bytes", failing_pdf)
    data_dir, seeds_dir = factory.make_data(tmp_path / "data")
    at = AppTest.from_function(_panel_page, args=(str(data_dir), str(seeds_dir)), default_timeout=60).run()
    at.button(key="export_make_pdf").click().run()
    assert not at.exception
    assert len(at.error) == 1 and at.get("download_button") == []
    shown = at.error[0].value  # the Markdown source of the message
    assert shown == md(
        "PDF page: the file could not be made (Unknown symbol: \\href, found '\\' <img src=x> **bold**). "
        "Nothing was downloaded."
    )
    assert "<img" not in shown and "**bold**" not in shown  # escaped: shown as plain text
    at.run()
    assert [e.value for e in at.error] == [shown]  # a rerun of its own does not wipe it
    at.button(key="export_make_csv").click().run()
    assert [e.value for e in at.error] == [shown] and len(at.get("download_button")) == 1
    broken.clear()
    at.button(key="export_make_pdf").click().run()
    assert not at.error  # the PDF was made: the message is gone
    assert any(name.endswith(".pdf") and data.startswith(b"%PDF") for name, data in stored.items())
