"""The actor filter of imported events: in the view state (URL), the CLI's options, the one resolve path
(unknown values reported with close matches), the engine's condition and the exports."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from events_helpers import ACLED_JUNE, REPO, UCDP_SUBSET

from dashboard.cli import main
from dashboard.events.importer import import_file
from dashboard.filters import filters_from_query, filters_to_query, resolve_actors, resolve_filters
from dashboard.loader import load_dataset
from dashboard.model import Filters
from dashboard.viewstate import view_from_query, view_to_query


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A copy of the bundled data with the June ACLED fixture and the UCDP subset imported."""
    root = tmp_path_factory.mktemp("actor")
    for name in ("geodata", "seeds"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("events"))
    import_file("acled", ACLED_JUNE, root / "geodata")
    import_file("ucdp", UCDP_SUBSET, root / "geodata", export_date="2024-06-01")
    return root


def test_the_actor_is_part_of_the_url_view_state():
    state, errors = view_from_query({"actor": ["Taliban", "National Resistance"], "start": "2023"})
    assert errors == []
    assert state.filters.actor == ("Taliban", "National Resistance")
    assert view_to_query(state)["actor"] == ["Taliban", "National Resistance"]
    assert view_from_query(view_to_query(state))[0] == state
    assert filters_to_query(filters_from_query({"actor": " taliban "})) == {"actor": ["taliban"]}


def test_resolve_keeps_part_of_a_name_and_reports_an_unknown_actor():
    names = ["Taliban", "National Resistance Front", "Civilians (Afghanistan)"]
    kept, problems = resolve_actors(["TALIBAN", "resistance", "Talibn"], names)
    assert kept == ("TALIBAN", "resistance")
    assert [(p.name, p.value, p.close_matches) for p in problems] == [("actor", "Talibn", ("Taliban",))]
    assert str(problems[0]) == (
        "actor: no actor of an imported event 'Talibn' in the data; close matches: Taliban"
    )


def test_resolve_filters_checks_actors_against_the_store(folder):
    ds = load_dataset(folder / "geodata", folder / "seeds")
    resolved, problems = resolve_filters(Filters(actor=("taliban", "Nobody Known"), group=("iskp",)), ds)
    assert resolved.actor == ("taliban",) and resolved.group == ("iskp",)
    assert [(p.name, p.value) for p in problems] == [("actor", "Nobody Known")]
    # UCDP GED's sides are actors too.
    assert resolve_filters(Filters(actor=("Government of Afghanistan",)), ds)[1] == []


def test_without_imported_events_every_actor_is_unknown(dataset):
    resolved, problems = resolve_filters(Filters(actor=("Taliban",)), dataset)
    assert resolved.actor == () and [p.value for p in problems] == ["Taliban"]


def _csv_rows(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_cli_export_filters_imported_events_by_actor(folder, tmp_path):
    out = tmp_path / "taliban.csv"
    code = main(["export", "csv", "--out", str(out), "--data", str(folder / "geodata"), "--actor", "taliban"])
    assert code == 0
    rows = _csv_rows(out)
    imported = {r["event_id"] for r in rows if r["kind"] == "imported"}
    assert imported == {"AFG70001", "AFG70004", "AFG70007"}  # actor1 or actor2, any case
    assert any(r["kind"] != "imported" for r in rows)  # curated reports are not narrowed by it


def test_cli_reports_an_unknown_actor_like_other_filters(folder, tmp_path, capsys):
    out = tmp_path / "none.csv"
    code = main(["export", "csv", "--out", str(out), "--data", str(folder / "geodata"), "--actor", "Talibn"])
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    assert "error: --actor: no actor of an imported event 'Talibn' in the data; close matches: Taliban" in err
