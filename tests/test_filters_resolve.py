"""Filter values checked against the data: unknown ones reported with close matches, aliases resolved."""

from __future__ import annotations

import csv

import pytest

from dashboard.cli import main
from dashboard.filters import FilterProblem, resolve_filters
from dashboard.model import Filters


def test_known_values_pass_and_aliases_resolve(dataset):
    filters = Filters(
        start="2023",
        province=("badakshan", "Fayzabad"),  # an alternative name of a place, and a place name
        group=("ISKP", "militants"),
        claimant=("MINISTER",),
        relayed_by=("TASS",),
        document=("d001", "000_test.txt"),
        outlet=("outlet a",),
        affiliation=("russia",),
    )
    resolved, problems = resolve_filters(filters, dataset)
    assert problems == []
    assert resolved.group == ("isis-k", "militants")
    assert resolved.province == ("Badakhshan", "Fayzabad")
    assert resolved.start == "2023" and resolved.claimant == ("minister",)  # the data's spelling


def test_the_app_label_of_a_type_resolves(dataset):
    topic = dataset.claims["topic"].iloc[0]
    resolved, problems = resolve_filters(Filters(type=(topic.replace("_", " ").upper(),)), dataset)
    assert (resolved.type, problems) == ((topic,), [])


@pytest.mark.parametrize(
    ("name", "value", "close"),
    [
        ("province", "Badakshn", "Badakhshan"),
        ("group", "iskp-x", "ISKP"),
        ("claimant", "ministr", "minister"),
        ("relayed_by", "tas", "tass"),
        ("document", "d009", None),
        ("outlet", "Outlet Z", "Outlet A"),
        ("affiliation", "Rusia", "Russia"),
        ("type", "nonsense", None),
    ],
)
def test_unknown_values_are_problems_with_close_matches(dataset, name, value, close):
    resolved, problems = resolve_filters(Filters(**{name: (value,)}), dataset)
    assert getattr(resolved, name) == ()
    assert [(p.name, p.value) for p in problems] == [(name, value)]
    if close:
        assert any(close in match for match in problems[0].close_matches), problems[0]
    assert repr(value) in str(problems[0])


def test_problem_message():
    problem = FilterProblem("group", "isis-x", ("ISIS-K", "ISIS"))
    assert str(problem) == "group: no group 'isis-x' in the data; close matches: ISIS-K, ISIS"


def test_cli_reports_an_unknown_value_and_writes_nothing(data_dirs, tmp_path, capsys):
    out = tmp_path / "x.csv"
    args = ["export", "csv", "--data", str(data_dirs[0]), "--out", str(out), "--province", "Badakshn"]
    assert main([*args, "--group", "nothing-like-it"]) == 2
    err = capsys.readouterr().err
    assert (
        "error: --province: no province or place 'Badakshn' in the data; "
        "close matches: Badakshan (Badakhshan)"
    ) in err
    assert "error: --group: no group 'nothing-like-it' in the data" in err
    assert not out.exists()


def test_cli_names_the_option_of_relayed_by(data_dirs, tmp_path, capsys):
    args = ["export", "xlsx", "--data", str(data_dirs[0]), "--out", str(tmp_path / "x.xlsx")]
    assert main([*args, "--relayed-by", "tas"]) == 2
    assert (
        "error: --relayed-by: no relaying actor 'tas' in the data; close matches: tass"
        in capsys.readouterr().err
    )


def test_cli_group_alias_of_the_bundled_data(tmp_path, capsys):
    """groups.csv lists ISIS-K among the other names of iskp; every spelling gives the same rows."""
    results = []
    for spelling in ("iskp", "isis-k", "ISIS-K"):
        out = tmp_path / f"{spelling}.csv"
        assert main(["export", "csv", "--out", str(out), "--group", spelling]) == 0, capsys.readouterr().err
        results.append([r["report_id"] for r in csv.DictReader(out.open(encoding="utf-8", newline=""))])
    assert results[0] and results[0] == results[1] == results[2]
