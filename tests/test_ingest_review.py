"""The review workflow: statuses, ids refused by name, errors on the draft's own rows, links to records
already in the data, near-duplicates, and the audit log an accept writes."""

from __future__ import annotations

import getpass

import pytest
from drafts import ARTICLES, claim_row, read_rows, state, write_draft

from dashboard.cli import main
from dashboard.ingest import accept_draft
from dashboard.ingest.publish import Submission, publish
from dashboard.ingest.review import edits, id_problem, status, suggestions
from dashboard.loader import load_dataset


@pytest.fixture()
def dirs(make_data):
    return make_data()


def _accept(draft, dirs, **options):
    return accept_draft(draft, *dirs, who=options.pop("who", "tester"), **options)


def test_a_reviewed_row_is_published_with_its_audit_entries(dirs, tmp_path):
    data, seeds = dirs
    rejected = claim_row("one", id="n-c002", status="rejected", reason="a figure for another region")
    draft = write_draft(tmp_path, "one", [claim_row("one"), rejected])
    result = _accept(draft, dirs, reason="weekly review")
    assert result.ok, result.problems
    ds = load_dataset(data, seeds)
    claim = ds.claims[ds.claims["subject"] == "Fighters (one)"].iloc[0]
    assert claim["id"] == "c004" and claim["figure_best"] == 300
    entries = read_rows(data / "audit.csv")
    assert [(e["action"], e["record_kind"], e["record_id"]) for e in entries] == [
        ("add", "document", "d002"),
        ("add", "claim", "c004"),
        ("reject", "claim", "n-c002"),
    ]
    assert {e["who"] for e in entries} == {"tester"}
    assert entries[1]["new"] == "r007" and entries[1]["draft_row"] == "one-draft.csv:2"
    assert entries[1]["reason"] == "weekly review"
    assert entries[2]["reason"] == "a figure for another region"
    # the draft says what became of each row, so it cannot be added twice
    rows = read_rows(draft)
    assert [(r["status"], r["id"]) for r in rows] == [("published", "c004"), ("rejected", "n-c002")]
    again = _accept(draft, dirs)
    nothing = "no row is 'reviewed'; nothing to add; 1 row(s) are already published"
    assert again.problems == [f"{draft}:0:status: {nothing}"]


def test_accepted_is_still_read_as_reviewed():
    assert status({"status": "Accepted "}) == status({"status": "reviewed"}) == "reviewed"


def test_a_draft_saved_with_a_byte_order_mark_is_read(dirs, tmp_path):
    """A spreadsheet's "CSV UTF-8" starts with a BOM; it was refused as "kind: column missing"."""
    draft = write_draft(tmp_path, "one", bom=True)
    assert draft.read_bytes().startswith(b"\xef\xbb\xbf")
    result = _accept(draft, dirs)
    assert result.ok, result.problems


@pytest.mark.parametrize(
    ("row_id", "message"),
    [
        ("c999", "'c999' is not a claim in the data: give an existing claim's id"),
        ("e001", "'e001' is an event of the data; a claim row can only report a claim"),
        ("new-claim", "'new-claim' is not a claim in the data"),
    ],
)
def test_an_unknown_id_is_refused_by_name(dirs, tmp_path, row_id, message):
    """It used to become a new claim without a word."""
    draft = write_draft(tmp_path, "one", [claim_row("one", id=row_id)])
    before = state(*dirs)
    result = _accept(draft, dirs)
    assert result.problems == [f"{draft}:2:id: {message}" + result.problems[0].split(message, 1)[1]]
    assert state(*dirs) == before


def test_an_event_id_on_an_event_row_adds_a_report(dirs, tmp_path):
    row = claim_row("one", kind="event", id="e001", type="meeting", date="2023-05-25", date_precision="day")
    draft = write_draft(tmp_path, "one", [row])
    result = _accept(draft, dirs)
    assert result.ok, result.problems
    assert result.reports_of_existing == ["e001"]
    assert read_rows(dirs[0] / "audit.csv")[1]["action"] == "add_report"


def test_a_claim_of_a_rejected_event_is_refused_by_name(dirs, tmp_path):
    event = claim_row("one", kind="event", id="n-e001", type="border_incident", status="rejected")
    draft = write_draft(tmp_path, "one", [event, claim_row("one", event="n-e001")])
    result = _accept(draft, dirs)
    assert result.problems == [
        f"{draft}:3:event: 'n-e001' is neither an event of the data nor a reviewed event row of this draft"
    ]


def test_problems_of_the_new_data_name_the_drafts_row_and_field(dirs, tmp_path):
    rows = [claim_row("one", id="n-c001"), claim_row("one", id="n-c002", unit="goats", places="atlantis")]
    draft = write_draft(tmp_path, "one", rows)
    before = state(*dirs)
    result = _accept(draft, dirs)
    assert state(*dirs) == before
    unit = next(p for p in result.problems if ":unit:" in p)
    assert unit.startswith(f"{draft}:3:unit: 'goats' is not one of the allowed values")
    assert unit.endswith("(in geodata/claims.csv:6:unit)")
    assert any(p.startswith(f"{draft}:3:places: ") and "atlantis" in p for p in result.problems)
    # a claim's "topic" is the draft's "type"; a document's fields are the first row's
    draft = write_draft(tmp_path, "one", [claim_row("one", type="rumour", published="December 2023")])
    problems = _accept(draft, dirs).problems
    assert any(p.startswith(f"{draft}:2:type: 'rumour'") for p in problems)
    assert any(p.startswith(f"{draft}:2:published: ") for p in problems)


def test_linking_to_an_existing_claim_adds_a_report_with_its_own_figure(dirs, tmp_path):
    draft = write_draft(tmp_path, "one", [claim_row("one", id="c002")])
    result = _accept(draft, dirs)
    assert result.ok and result.reports_of_existing == ["c002"]
    ds = load_dataset(*dirs)
    report = ds.reports.iloc[-1]
    assert report["record_id"] == "c002" and report["figure_best"] == 300  # the claim says 4,000
    entry = read_rows(dirs[0] / "audit.csv")[1]
    assert (entry["action"], entry["record_id"], entry["new"]) == ("add_report", "c002", report["id"])


def test_the_reviewers_edits_are_in_the_audit_log(dirs):
    drafted = claim_row("one", figure_best="30", unit="troops")
    reviewed = claim_row("one")
    sub = Submission("review", [(2, reviewed)], [], ARTICLES["one"], drafted={2: drafted})
    result = publish(sub, *dirs, who="app curator")
    assert result.ok, result.problems
    entries = read_rows(dirs[0] / "audit.csv")
    changes = [(e["field"], e["old"], e["new"]) for e in entries if e["action"] == "edit"]
    assert changes == [("figure_best", "30", "300"), ("unit", "troops", "fighters")]
    assert edits(drafted, reviewed) == changes


def test_a_quote_not_in_the_article_is_refused(dirs):
    sub = Submission("review", [(2, claim_row("one", quote="Not in it."))], [], ARTICLES["one"])
    assert publish(sub, *dirs, who="a").problems == ["review:2:quote: not found verbatim in the article"]


def test_near_duplicates_are_suggested():
    claim = {"id": "c001", "claimant": "minister", "unit": "fighters", "figure_best": "300"}
    claims = [{**claim, "group": "isis-k"}]
    reports = [
        {"id": "r009", "record_kind": "claim", "record_id": "c007", "quote": ARTICLES["one"].strip().upper()},
        {"id": "r010", "record_kind": "event", "record_id": "e003", "quote": ARTICLES["one"].strip()},
    ]
    found = suggestions(claim_row("one"), claims, reports)
    assert [(s.record_id, s.why) for s in found] == [
        ("c001", "same claimant, figure and group"),
        ("c007", "the same sentence is in report r009"),
    ]


def test_id_rules():
    claims, events = {"c001"}, {"e001"}
    assert id_problem("claim", "", claims, events) == ""
    assert id_problem("claim", "n-c007", claims, events) == ""
    assert id_problem("claim", "c001", claims, events) == ""
    assert "not an event in the data" in id_problem("event", "n-c001", claims, events)


def test_who_and_reason_from_the_command_line(dirs, tmp_path, capsys):
    data, seeds = dirs
    draft = write_draft(tmp_path, "one")
    argv = ["ingest", "accept", str(draft), "--data", str(data), "--seeds", str(seeds)]
    assert main([*argv, "--who", "A. Curator", "--reason", "border review"]) == 0
    assert "audit log: 2 entries (a0001–a0002)" in capsys.readouterr().out
    who = {(e["who"], e["reason"]) for e in read_rows(data / "audit.csv")}
    assert who == {("A. Curator", "border review")}
    draft = write_draft(tmp_path, "two")
    assert main(argv[:2] + [str(draft)] + argv[3:]) == 0
    assert read_rows(data / "audit.csv")[-1]["who"] == getpass.getuser()  # the system user by default
