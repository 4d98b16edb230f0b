"""The command line: validate, export csv, the ingest verbs, help for users, and docs that cannot drift."""

from __future__ import annotations

import argparse
import csv
import re
import shutil
from pathlib import Path

import factory
import pytest

from dashboard.cli import build_parser, main
from dashboard.cli.ingest import modern_argv
from dashboard.model import FLAT_COLUMNS

REPO = Path(__file__).resolve().parents[1]


def test_validate_ok(data_dirs, capsys):
    data_dir, seeds_dir = data_dirs
    assert main(["validate", "--data", str(data_dir), "--seeds", str(seeds_dir)]) == 0
    assert capsys.readouterr().out == (
        "ok: 6 places, 2 groups, 3 actors, 3 claims, 2 events, 6 reports, 2 documents, "
        "2 geometry files checked\n"
    )


def test_validate_prints_every_problem(make_data, capsys):
    tables = factory.base_tables()
    tables["claims"][0]["unit"] = "soldiers"
    tables["places"][2].update(lat="70.58002", lon="37.11664")
    data_dir, _ = make_data(tables=tables)
    assert main(["validate", "--data", str(data_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("geodata/claims.csv:2:unit: 'soldiers' is not one of the allowed values")
    assert lines[1].startswith("geodata/places.csv:4:lat: looks like swapped lat/lon")
    assert lines[-1] == "2 problem(s) found"


def test_export_csv(data_dirs, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["export", "csv", "--data", str(data_dirs[0]), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"6 rows written to {out}\n"
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert tuple(rows[0]) == FLAT_COLUMNS
    assert (rows[0]["report_id"], rows[0]["figure_high"], rows[0]["lat"], rows[0]["location_precision"]) == (
        "r001",
        "6500",
        "36.8",
        "5",  # northern Afghanistan: part of a country (UCDP 5); 7 is water or air space
    )


def test_export_filters_and_refuses_to_overwrite(data_dirs, tmp_path, capsys):
    out = tmp_path / "out.csv"
    out.write_text("keep me", encoding="utf-8")
    args = [
        "export",
        "csv",
        "--data",
        str(data_dirs[0]),
        "--out",
        str(out),
        "--province",
        "Badakhshan",
        "--relayed-by",
        "tass",
        "--document",
        "d001",
        "--start",
        "2023",
    ]
    assert main(args) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main([*args, "--force"]) == 0
    assert capsys.readouterr().out == f"1 rows written to {out}\n"
    assert [r["report_id"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["r002"]


def test_export_rejects_a_bad_date(data_dirs, tmp_path, capsys):
    code = main(
        [
            "export",
            "csv",
            "--data",
            str(data_dirs[0]),
            "--out",
            str(tmp_path / "x.csv"),
            "--start",
            "May 2023",
        ]
    )
    assert code == 2
    assert capsys.readouterr().err.startswith("error: start: 'May 2023' is not an ISO 8601 date")
    assert not (tmp_path / "x.csv").exists()


def test_export_refuses_bad_data(make_data, tmp_path, capsys):
    tables = factory.base_tables()
    tables["claims"][0]["claimant"] = "nobody"
    data_dir, _ = make_data(tables=tables)
    assert main(["export", "csv", "--data", str(data_dir), "--out", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err
    assert "geodata/claims.csv:2:claimant: 'nobody' is not an id in actors" in err
    assert not (tmp_path / "x.csv").exists()


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


# --- ingest: two verbs, and the first spellings still work --------------------------------------------


def _parsed(argv: list[str]) -> dict:
    values = vars(build_parser().parse_args(modern_argv(argv)))
    return {k: v for k, v in values.items()}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            ["ingest", "a.txt", "--published", "2024-10", "--out", "d.csv", "--outlet", "X"],
            ["ingest", "draft", "a.txt", "--published", "2024-10", "--out", "d.csv", "--outlet", "X"],
        ),
        (
            ["ingest", "--published", "2024", "a.txt", "--out", "d.csv"],
            ["ingest", "draft", "a.txt", "--published", "2024", "--out", "d.csv"],
        ),
        (["ingest", "--accept", "d.csv", "--data", "g"], ["ingest", "accept", "d.csv", "--data", "g"]),
        (["ingest", "--data", "g", "--accept=d.csv"], ["ingest", "accept", "d.csv", "--data", "g"]),
    ],
)
def test_old_ingest_spellings_are_aliases_of_the_verbs(old, new):
    assert modern_argv(new) == new
    assert _parsed(old) == _parsed(new)


def test_ingest_without_a_verb_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["ingest"])
    assert stop.value.code == 2
    assert "draft" in capsys.readouterr().err


def test_ingest_draft_then_accept_with_the_verbs(tmp_path, capsys):
    shutil.copytree(REPO / "geodata", tmp_path / "geodata")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    data, draft = tmp_path / "geodata", tmp_path / "draft.csv"
    article = REPO / "tests" / "ingest_articles" / "wire_tajik_border.txt"
    assert (
        main(
            [
                "ingest",
                "draft",
                str(article),
                "--published",
                "2024-10-10",
                "--data",
                str(data),
                "--out",
                str(draft),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"python -m dashboard ingest accept {draft}" in out
    before = (data / "claims.csv").read_bytes()
    assert main(["ingest", "accept", str(draft), "--data", str(data)]) == 1  # nothing reviewed yet
    assert "set it to 'accepted' or 'rejected'" in capsys.readouterr().err
    assert (data / "claims.csv").read_bytes() == before


# --- help written for users ---------------------------------------------------------------------------


def _parsers(parser: argparse.ArgumentParser, prefix: str = ""):
    """(command path, parser) for the top level and every (sub)command."""
    yield prefix, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{prefix} {name}".strip())


@pytest.mark.parametrize("path", [path for path, _ in _parsers(build_parser())])
def test_every_help_has_an_example_and_no_developer_notes(path):
    parser = dict(_parsers(build_parser()))[path]
    text = parser.format_help()
    assert re.search(r"^examples?:\n  afghan-border-dashboard ", text, flags=re.M), f"'{path}' has no example"
    for note in ("FORMATS", "register(", "subparsers", "func", "A new format", "dashboard/commands"):
        assert note not in text, f"'{path} --help' speaks to developers: {note!r}"


def test_export_help_keeps_example_line_breaks(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = capsys.readouterr().out
    assert "\n  afghan-border-dashboard export csv --out reports.csv --group ISIS-K --start 2023\n" in out


# --- docs that cannot drift ---------------------------------------------------------------------------


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, set[str]]:
    """Every (sub)command path with its long options, e.g. {"export csv": {"--out", ...}}."""
    out: dict[str, set[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = f"{prefix} {name}".strip()
                options = {
                    o for a in sub._actions for o in a.option_strings if o.startswith("--") and o != "--help"
                }
                nested = _commands(sub, path)
                out.update(nested or {path: options})
    return out


def test_cli_reference_documents_every_command_and_option():
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^##+ (.+)$", text, flags=re.M))
    commands = _commands(build_parser())
    assert {"serve", "ingest draft", "ingest accept", "export csv", "export pack"} <= set(commands)
    assert {"--port", "--address", "--data", "--seeds", "--allow-unauthenticated-network"} <= commands[
        "serve"
    ]
    for path, options in commands.items():
        assert path in headings, f"docs/cli.md has no section for '{path}'"
        for option in options:
            assert f"`{option}" in text, f"docs/cli.md does not document {option} of '{path}'"


def test_export_columns_are_documented():
    text = (REPO / "docs" / "export-columns.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M)
    assert [c for c in FLAT_COLUMNS if c not in documented] == []
    assert [c for c in documented if c not in FLAT_COLUMNS] == []


def test_readme_lists_every_command():
    readme = REPO / "README.md"
    if not readme.exists():
        pytest.skip("no README yet")
    match = re.search(
        r"^## Command line\n(.*?)(?=^## |\Z)", readme.read_text(encoding="utf-8"), flags=re.M | re.S
    )
    if match is None:
        pytest.skip("README has no 'Command line' section")
    for path in _commands(build_parser()):
        command = path.split()[0]
        assert f"`{command}" in match.group(1), f"README's Command line section does not mention '{command}'"


def test_every_export_format_has_a_command():
    from dashboard.cli.export import FORMAT_HELP
    from dashboard.exports.formats import EXPORTS

    assert set(FORMAT_HELP) == {*EXPORTS, "pack"}
