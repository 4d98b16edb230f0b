"""The map's kept parts: the same arguments ``st_folium`` would send, made once per data, filters and view."""

from __future__ import annotations

import json
import shutil
from unittest import mock

import pytest
import streamlit_folium as sf
from events_helpers import ACLED_JUNE, REPO
from streamlit.testing.v1 import AppTest

from dashboard.assets import served_links
from dashboard.events.importer import import_file
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.mapping import MapOptions, build_base, build_layers, build_map_parts
from dashboard.model import Filters
from dashboard.ui import data as ui_data
from dashboard.ui import map_component, map_panel

APP = str(REPO / "dashboard" / "app.py")
RETURNED = map_panel.RETURNED


@pytest.fixture
def imported_folder(tmp_path, monkeypatch):
    """A copy of the bundled data with a small ACLED export imported, read by the app."""
    for name in ("geodata", "seeds"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("events"))
    import_file("acled", ACLED_JUNE, tmp_path / "geodata")
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(tmp_path / "geodata"))
    monkeypatch.setenv(ui_data.SEEDS_DIR_ENV, str(tmp_path / "seeds"))
    return tmp_path / "geodata"


def _sent(call) -> dict:
    """What a component call sends to the browser (the callback stays on the server)."""
    calls = []
    with mock.patch.object(sf, "_component_func", lambda **kw: calls.append(kw) or {}):
        call()
    (args,) = calls
    args.pop("on_change")
    return args


@pytest.mark.parametrize(
    ("options", "filters", "imported"),
    [
        (MapOptions(frame="focus"), Filters(), False),
        (
            MapOptions(present=True, online_tiles=True, scale=True, refit=True),
            Filters(province=("Kunduz",)),
            False,
        ),
        (MapOptions(frame="focus"), Filters(start="2023-01"), True),
    ],
    ids=["explore", "presentation-with-online-tiles", "imported-events"],
)
def test_kept_parts_send_what_st_folium_sends(options, filters, imported, request):
    data_dir = request.getfixturevalue("imported_folder") if imported else None
    ds = load_dataset(data_dir, data_dir.parent / "seeds") if data_dir else load_dataset()
    flat = flat_reports(ds)
    options = MapOptions(**{**options.__dict__, "as_of": "1 December 2026"})
    links = served_links("/app/static")

    def st_folium():
        parts = build_map_parts(ds, flat, flat, filters, options, links)
        sf.st_folium(
            parts.base,
            key="map",
            height=700,
            use_container_width=True,
            returned_objects=RETURNED,
            feature_group_to_add=parts.layers,
            layer_control=parts.control,
            center=[36.5, 70.0],
            zoom=7,
        )

    def kept():
        base = map_component.base_args(build_base(ds, options, links))
        layers = map_component.layer_args(build_layers(ds, flat, flat, filters, options)[0])
        control = map_component.control_args(build_base(ds, options, links), layers.signature)
        map_component.show(
            base,
            layers,
            control,
            key="map",
            height=700,
            returned_objects=RETURNED,
            center=[36.5, 70.0],
            zoom=7,
        )

    expected, got = _sent(st_folium), _sent(kept)
    assert expected.keys() == got.keys()
    for name in expected:
        assert got[name] == expected[name], name
    assert (
        "imported_hexagons" in got["feature_group"] or "imported_points" in got["feature_group"]
    ) == imported


def _counting(monkeypatch) -> list[int]:
    """Count the builds of the page map's curated layers from now on (nothing kept from earlier tests)."""
    builds: list[int] = []
    real = map_panel.curated_layers

    def curated_layers(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(map_panel, "curated_layers", curated_layers)
    for kept in (map_panel._base, map_panel._curated, map_panel._imported, map_panel._control):
        kept.clear()
    return builds


def _component(at: AppTest) -> dict:
    found = [x for x in at.main if type(x).__name__ == "UnknownElement" and x.type == "component_instance"]
    assert len(found) == 1
    return json.loads(found[0].proto.json_args)


def _moved(at: AppTest) -> None:
    """What a move of the map leaves in the session: the component's last report, zoomed in on Kunduz."""
    at.session_state["map"] = {
        "center": {"lat": 36.7, "lng": 68.9},
        "zoom": 10,
        "bounds": {"_southWest": {"lat": 36.5, "lng": 68.5}, "_northEast": {"lat": 36.9, "lng": 69.3}},
    }


def test_a_run_that_changes_nothing_on_the_map_builds_nothing(monkeypatch):
    builds = _counting(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    first = _component(at)
    _moved(at)  # no imported events: the layers do not depend on the view
    at.run()
    assert not at.exception, at.exception
    assert builds == [1]
    assert _component(at) == first
    at.multiselect(key="f_province").select("Kunduz").run()  # a filter: new layers
    assert builds == [1, 1]
    assert _component(at)["feature_group"] != first["feature_group"]
    assert _component(at)["script"] == first["script"]  # the base map stays: the browser keeps it


def test_imported_events_follow_the_view_and_the_curated_layers_stay(imported_folder, monkeypatch):
    builds = _counting(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    at.run()
    assert builds == [1]
    before = _component(at)["feature_group"]
    _moved(at)
    at.run()
    assert not at.exception, at.exception
    after = _component(at)["feature_group"]
    assert after != before  # the imported events' layer follows the view
    assert builds == [1]  # the curated layers were kept: a move rebuilds only the imported events'
    curated_first = before.split("imported_")[0]  # the layers drawn below the imported events
    assert len(curated_first) > 1000 and after.startswith(curated_first)


def test_popups_read_only_the_columns_they_list():
    """A popup converts only ``RECORD_COLUMNS`` to dicts: every record reads the same from them alone."""
    from dashboard.filters import apply_filters
    from dashboard.mapping.popups import RECORD_COLUMNS, record_html

    ds = load_dataset()
    rows = apply_filters(flat_reports(ds), Filters(include_retracted=True)).to_dict("records")
    # and a retracted one, whose wording reads two more columns
    rows.append({**rows[0], "retracted": "retracted", "retraction_reason": "The outlet withdrew it."})
    for row in rows:
        assert record_html({c: row[c] for c in RECORD_COLUMNS}) == record_html(row), row["id"]


def test_kept_layers_keep_the_data_they_are_keyed_on_alive():
    """The layers are keyed on the ids of the loaded data: while kept, that data must stay alive, or
    data loaded later could get the same ids and be shown the old layers."""
    import gc
    import weakref

    map_panel._curated.clear()
    ds = load_dataset()
    flat = flat_reports(ds)
    options = MapOptions(as_of="1 December 2026")
    token = (id(ds), id(flat))
    kept = map_panel._curated(token, Filters(), options, "2026-12-01", 2, _keep=(ds, flat), _flat=flat)
    (under, _), _ = kept.value
    assert "feature_group_feature_group_0" in under.feature_group
    alive = weakref.ref(flat)
    del ds, flat, kept, under
    gc.collect()
    assert alive() is not None
    map_panel._curated.clear()
    gc.collect()
    assert alive() is None


def test_layers_made_in_parts_equal_the_layers_made_at_once():
    ds = load_dataset()
    flat = flat_reports(ds)
    options = MapOptions()

    def groups():
        return build_layers(ds, flat, flat, Filters(), options)[0]

    whole = map_component.layer_args(groups())
    made = groups()
    parts = map_component.joined(
        map_component.layer_args(made[:2]),
        map_component.layer_args(made[2:3], 2),
        map_component.layer_args(made[3:], 3),
    )
    assert parts.feature_group == whole.feature_group
    assert parts.signature == whole.signature
    assert set(parts.css_links) == set(whole.css_links) and set(parts.js_links) == set(whole.js_links)


def test_a_layers_script_reaches_the_page_as_rendered_never_parsed_again():
    """Text inside a layer's data is written once, as JSON: template syntax in it is never evaluated."""
    import folium

    from dashboard.mapping.elements import JsLayer

    m = folium.Map(tiles=None)
    group = folium.FeatureGroup(name="layer").add_to(m)
    JsLayer("points", {"type": "FeatureCollection", "features": []}, {"label": "{{ 7 * 7 }}"}).add_to(group)
    page = m.get_root().render()
    assert '"label": "{{ 7 * 7 }}"' in page and '"label": "49"' not in page
    script = map_component.layer_args([group]).feature_group
    assert '"label": "{{ 7 * 7 }}"' in script
