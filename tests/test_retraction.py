"""Retraction without deletion: the table's rules, the marks and the filter, the locked write, dependents."""

from __future__ import annotations

import fcntl

import factory
import pytest

from dashboard.filters import apply_filters
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.model import Filters
from dashboard.retraction import LOCK, dependents, locked, next_id, retract
from dashboard.validate import validate


def _with_retractions(*rows: dict) -> dict:
    tables = factory.base_tables()
    tables["retractions"] = [
        {"id": f"x{n:03d}", "kind": "retracted", "date": "2024-01-15", "reason": "Withdrawn.", **row}
        for n, row in enumerate(rows, start=1)
    ]
    return {"tables": tables}


def _problems(make_data, *rows: dict) -> list[str]:
    return [str(p) for p in validate(*make_data(**_with_retractions(*rows))).problems]


def test_an_empty_retractions_table_is_valid(data_dirs):
    assert validate(*data_dirs).ok


def test_a_retraction_of_a_known_document_or_actor_is_valid(make_data):
    rows = ({"target": "d001", "target_kind": "document"}, {"target": "taliban", "target_kind": "actor"})
    assert _problems(make_data, *rows) == []


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            {"target": "d999", "target_kind": "document"},
            "geodata/retractions.csv:2:target: 'd999' is not an id in documents",
        ),
        (
            {"target": "minister", "target_kind": "document"},
            "geodata/retractions.csv:2:target: 'minister' is an id in actors, not in documents: "
            "set target_kind to actor",
        ),
        (
            {"target": "d001", "target_kind": "document", "date": "2024-02-30"},
            "geodata/retractions.csv:2:date: '2024-02-30': day 30 does not exist in 2024-02",
        ),
        (
            {"target": "d001", "target_kind": "document", "date": "2023-10"},
            "geodata/retractions.csv:2:date: 2023-10 is before d001 was published (2023-11)",
        ),
        (
            {"target": "d001", "target_kind": "document", "date": "15 Jan 2024"},
            "geodata/retractions.csv:2:date: '15 Jan 2024' does not match the pattern",
        ),
        (
            {"target": "d001", "target_kind": "publication"},
            "geodata/retractions.csv:2:target_kind: 'publication' is not one of the allowed values",
        ),
    ],
)
def test_each_bad_retraction_is_named_by_file_row_and_field(make_data, row, problem):
    problems = _problems(make_data, row)
    assert any(p.startswith(problem) for p in problems), problems


def test_the_same_target_retracted_twice_with_the_same_kind_is_a_slip(make_data):
    row = {"target": "d001", "target_kind": "document"}
    assert _problems(make_data, row, row) == [
        "geodata/retractions.csv:3:target: 'd001' is already retracted at row 2"
    ]
    assert _problems(make_data, row, {**row, "kind": "discredited"}) == []


def test_reports_resting_on_a_retracted_document_are_marked_and_left_out(make_data):
    ds = load_dataset(*make_data(**_with_retractions({"target": "d001", "target_kind": "document"})))
    flat = flat_reports(ds)
    marked = flat[flat["retracted"] != ""]
    assert list(marked["report_id"]) == ["r002", "r003", "r004"]
    assert set(marked["retracted_on"]) == {"2024-01-15"}
    assert set(marked["retraction_reason"]) == {"d001 retracted 2024-01-15: Withdrawn."}
    shown = apply_filters(flat, Filters())
    assert list(shown["report_id"]) == ["r001", "r005", "r006"]
    # c002 and c003 had no other report: they are gone; c001 stays through r001 (d000).
    assert set(shown["id"]) == {"c001", "e001", "e002"}
    assert len(apply_filters(flat, Filters(include_retracted=True))) == len(flat) == 6


def test_a_retracted_claimant_takes_its_claims_with_it(make_data):
    ds = load_dataset(*make_data(**_with_retractions({"target": "minister", "target_kind": "actor"})))
    flat = flat_reports(ds)
    assert set(flat.loc[flat["retracted"] != "", "id"]) == {"c001", "c002"}
    assert set(apply_filters(flat, Filters())["id"]) == {"c003", "e001", "e002"}


def test_a_retraction_applies_from_its_date_in_a_known_on_view(make_data):
    ds = load_dataset(*make_data(**_with_retractions({"target": "d001", "target_kind": "document"})))
    flat = flat_reports(ds)
    # Known on 31 Dec 2023, d001 was out and not yet retracted (15 Jan 2024): shown, still marked.
    before = apply_filters(flat, Filters(known_on="2023-12-31"))
    assert {"r002", "r003", "r004"} <= set(before["report_id"])
    assert set(before.loc[before["report_id"] == "r002", "retracted"]) == {"retracted"}
    assert "r002" not in set(apply_filters(flat, Filters(known_on="2024-01-15"))["report_id"])


def test_several_retractions_of_one_report_are_all_named(make_data):
    rows = (
        {"target": "minister", "target_kind": "actor", "kind": "discredited", "date": "2024-03"},
        {"target": "d001", "target_kind": "document"},
    )
    flat = flat_reports(load_dataset(*make_data(**_with_retractions(*rows))))
    r003 = flat.loc[flat["report_id"] == "r003"].iloc[0]
    assert r003["retracted"] == "retracted;discredited" and r003["retracted_on"] == "2024-01-15"
    assert r003["retraction_reason"].count(" | ") == 1


def test_next_id_counts_on_from_the_highest():
    assert next_id(set()) == "x001" and next_id({"x001", "x007", "other"}) == "x008"


def test_retract_appends_one_row_and_keeps_the_bytes_before_it(data_dirs):
    data_dir, seeds_dir = data_dirs
    table = data_dir / "retractions.csv"
    before = table.read_bytes()
    result = retract(data_dir, "d001", "The outlet withdrew it.", when="2024-02-01")
    assert result.ok, result.problems
    after = table.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :] == b"x001,d001,document,retracted,2024-02-01,The outlet withdrew it.,\n"
    second = retract(data_dir, "taliban", "Denials contradicted.", when="2024-03", kind="discredited")
    assert second.ok and second.row["id"] == "x002" and second.row["target_kind"] == "actor"
    assert validate(data_dir, seeds_dir).ok
    assert not list(data_dir.glob("*.partial")) and not list(data_dir.glob(".retractions.csv.*"))


@pytest.mark.parametrize(
    ("target", "when", "problem"),
    [
        (
            "d999",
            "2024-02-01",
            "geodata/retractions.csv:2:target: 'd999' is not an id in documents or actors",
        ),
        ("d001", "2023-01", "geodata/retractions.csv:2:date: 2023-01 is before d001 was published (2023-11)"),
    ],
)
def test_a_refused_retraction_changes_nothing(data_dirs, target, when, problem):
    data_dir, _ = data_dirs
    files = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.name != LOCK}
    result = retract(data_dir, target, "Reason.", when=when)
    assert not result.ok and result.problems == [problem]
    assert {p.name: p.read_bytes() for p in data_dir.iterdir() if p.name != LOCK} == files


def test_retract_refuses_when_the_folder_has_other_problems(make_data):
    tables = factory.base_tables()
    tables["claims"][0]["unit"] = "soldiers"
    data_dir, _ = make_data(tables=tables)
    before = (data_dir / "retractions.csv").read_bytes()
    result = retract(data_dir, "d001", "Reason.", when="2024-02-01")
    assert not result.ok and any("claims.csv:2:unit" in p for p in result.problems)
    assert (data_dir / "retractions.csv").read_bytes() == before


def test_the_write_holds_an_exclusive_lock_on_the_data_folder(data_dirs):
    data_dir, _ = data_dirs
    with locked(data_dir), open(data_dir / LOCK, "a+b") as other:
        with pytest.raises(BlockingIOError):
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(data_dir / LOCK, "a+b") as other:  # released after the block
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_dependents_of_a_document_say_which_rest_on_it_alone(dataset):
    found = dependents(dataset, "d001")
    assert (found.target_kind, found.name) == ("document", "Fighters in Badakhshan")
    by_id = {r.id: r for r in found.records}
    assert set(by_id) == {"c001", "c002", "c003"}
    assert by_id["c001"].resting == ("r003",) and by_id["c001"].others == ("r001",)
    assert not by_id["c001"].alone and by_id["c002"].alone and by_id["c003"].alone
    assert {r.id for r in found.alone} == {"c002", "c003"}


def test_dependents_of_an_actor_are_its_claims(dataset):
    found = dependents(dataset, "minister")
    assert found.target_kind == "actor" and {r.id for r in found.records} == {"c001", "c002"}
    assert {r.id for r in found.alone} == {"c001", "c002"}
    assert dependents(dataset, "tass").records == ()  # relaying is not resting on


def test_dependents_count_an_already_retracted_report_as_gone(make_data):
    ds = load_dataset(*make_data(**_with_retractions({"target": "d000", "target_kind": "document"})))
    by_id = {r.id: r for r in dependents(ds, "d001").records}
    assert by_id["c001"].alone  # its other report, r001, is from the retracted d000


def test_dependents_of_an_unknown_id_is_an_error(dataset):
    with pytest.raises(ValueError, match="'nobody' is not the id of a document or an actor"):
        dependents(dataset, "nobody")


def test_a_date_of_the_wrong_form_is_one_problem_not_two(make_data):
    problems = _problems(make_data, {"target": "d001", "target_kind": "document", "date": "15 Jan 2024"})
    assert len(problems) == 1 and problems[0].startswith("geodata/retractions.csv:2:date: ")
