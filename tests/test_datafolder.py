"""The data-folder transaction: all files or none, validated first, locked, and recovered after a kill."""

from __future__ import annotations

import json
import os

import factory
import pytest
from drafts import state

from dashboard import audit
from dashboard.datafolder import (
    ChangeRefused,
    LockTimeout,
    TransactionError,
    journal,
    reading,
    recover,
    transaction,
)
from dashboard.datafolder.lock import locked
from dashboard.loader import load_dataset
from dashboard.validate import validate

NEW_ACTOR = {"id": "outlet-c", "name": "Outlet C", "kind": "news_outlet", "country": "RUS"}


def test_a_change_writes_every_file_and_its_audit_entry(data_dirs):
    data, seeds = data_dirs
    with transaction(data, seeds, who="a.curator", reason="test") as tx:
        tx.append_rows("actors", [NEW_ACTOR])
        tx.write_file("seeds", "notes.txt", b"kept")
        audit.record(tx, "add", "actor", "outlet-c")
    ds = load_dataset(data, seeds)
    assert "outlet-c" in set(ds.actors["id"])
    (entry,) = list(_audit_rows(data))
    assert entry["who"] == "a.curator" and entry["reason"] == "test" and entry["record_id"] == "outlet-c"
    assert entry["id"] == "a0001" and entry["at"].endswith("Z")
    assert (seeds / "notes.txt").read_bytes() == b"kept"
    assert not (data / journal.STAGING).exists() and not (data / journal.MANIFEST).exists()
    assert not (seeds / journal.STAGING).exists()


def test_existing_rows_are_kept_byte_for_byte(data_dirs):
    data, seeds = data_dirs
    before = (data / "actors.csv").read_bytes()
    with transaction(data, seeds, who="a") as tx:
        tx.append_rows("actors", [NEW_ACTOR])
    assert (data / "actors.csv").read_bytes().startswith(before)


def test_write_table_replaces_a_table_in_the_schema_columns(data_dirs):
    data, seeds = data_dirs
    rows = factory.base_tables()["actors"] + [NEW_ACTOR]
    with transaction(data, seeds, who="a") as tx:
        tx.write_table("actors", rows)
    assert load_dataset(data, seeds).actors["id"].tolist()[-1] == "outlet-c"


def test_a_change_that_does_not_validate_is_refused_whole(data_dirs):
    data, seeds = data_dirs
    before = state(data, seeds)
    with pytest.raises(ChangeRefused) as refused:
        with transaction(data, seeds, who="a") as tx:
            tx.append_rows("actors", [NEW_ACTOR])
            tx.append_rows("claims", [{**factory.CLAIMS[0], "id": "c004", "unit": "goats"}])
    assert any(p.file == "geodata/claims.csv" and p.field == "unit" for p in refused.value.problems)
    assert state(data, seeds) == before  # not even the valid actor; nothing staged is left


def test_an_error_inside_the_block_changes_nothing(data_dirs):
    data, seeds = data_dirs
    before = state(data, seeds)
    with pytest.raises(RuntimeError):
        with transaction(data, seeds, who="a") as tx:
            tx.append_rows("actors", [NEW_ACTOR])
            tx.write_file("seeds", "x.txt", b"x")
            raise RuntimeError("stop")
    assert state(data, seeds) == before


def test_a_second_writer_waits_then_fails_clearly(data_dirs):
    data, seeds = data_dirs
    before = state(data, seeds)
    with locked(data, exclusive=True):  # another writer holds the folder
        with pytest.raises(LockTimeout, match="another change to the data folder is still in progress"):
            with transaction(data, seeds, who="a", timeout=0.1) as tx:
                tx.append_rows("actors", [NEW_ACTOR])
    assert state(data, seeds) == before


def test_a_reader_waits_for_a_writer(data_dirs):
    data, seeds = data_dirs
    with locked(data, exclusive=True):
        with pytest.raises(LockTimeout):
            with reading(data, seeds, timeout=0.1):
                pass
    with locked(data, exclusive=False):  # readers share the folder
        with reading(data, seeds, timeout=0.1):
            pass


def test_a_change_must_name_who_makes_it(data_dirs):
    with pytest.raises(TransactionError, match="who"):
        with transaction(*data_dirs, who=""):
            pass


def test_only_plain_file_names_are_written(data_dirs):
    with pytest.raises(TransactionError, match="plain file name"):
        with transaction(*data_dirs, who="a") as tx:
            tx.write_file("seeds", "../escape.txt", b"x")


# --- recovery -----------------------------------------------------------------------------------------


def _staged_change(data, seeds, installed: int):
    """A committed manifest with ``installed`` of its two files already renamed into place."""
    tx_id = "t1"
    actors = (data / "actors.csv").read_bytes() + b"outlet-c,Outlet C,news_outlet,,,RUS,\n"
    note = b"new document text"
    files = []
    changes = ((data, "data", "actors.csv", actors), (seeds, "seeds", "n.txt", note))
    for folder, key, name, data_bytes in changes:
        view = journal.view_dir(folder, tx_id)
        view.mkdir(parents=True, exist_ok=True)
        (view / name).write_bytes(data_bytes)
        had_old = (folder / name).exists()
        if had_old:
            journal.old_dir(folder, tx_id).mkdir(parents=True, exist_ok=True)
            os.link(folder / name, journal.old_dir(folder, tx_id) / name)
        files.append({"folder": key, "name": name, "sha256": journal.digest(view / name), "had_old": had_old})
    manifest = journal.write_manifest(data, tx_id, seeds, "a", "", files)
    for f in journal.planned(data, manifest)[:installed]:
        os.replace(f.staged, f.target)
    return actors


@pytest.mark.parametrize("installed", [0, 1, 2])
def test_a_committed_change_is_completed_by_the_next_reader(data_dirs, installed):
    data, seeds = data_dirs
    actors = _staged_change(data, seeds, installed)
    assert "completed" in recover(data, seeds)
    assert (data / "actors.csv").read_bytes() == actors
    assert (seeds / "n.txt").read_bytes() == b"new document text"
    assert not (data / journal.MANIFEST).exists()
    assert not (data / journal.STAGING).exists() and not (seeds / journal.STAGING).exists()


def test_a_change_with_a_damaged_staged_file_is_undone(data_dirs):
    data, seeds = data_dirs
    before = state(data, seeds)
    _staged_change(data, seeds, installed=1)  # actors.csv installed, n.txt staged
    (journal.view_dir(seeds, "t1") / "n.txt").write_bytes(b"damaged")
    assert "undid" in recover(data, seeds)
    assert state(data, seeds) == before


def test_a_change_that_never_reached_its_manifest_is_removed(data_dirs):
    data, seeds = data_dirs
    before = state(data, seeds)
    view = journal.view_dir(data, "t2")
    view.mkdir(parents=True)
    (view / "actors.csv").write_bytes(b"half written")
    (data / journal.MANIFEST_TMP).write_text("{", encoding="utf-8")
    load_dataset(data, seeds)  # any reader cleans up first
    assert state(data, seeds) == before


def test_an_unreadable_manifest_is_reported_not_guessed(data_dirs):
    data, seeds = data_dirs
    (data / journal.MANIFEST).write_text("not json", encoding="utf-8")
    with pytest.raises(TransactionError, match="must be checked by hand"):
        recover(data, seeds)
    assert validate(data, seeds).ok  # the data itself is untouched


def _audit_rows(data):
    import csv

    with open(data / "audit.csv", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def test_the_audit_log_is_validated(make_data):
    entry = {
        "id": "a0001",
        "at": "2026-02-30T10:00:00Z",
        "who": "a",
        "action": "add",
        "record_kind": "claim",
        "record_id": "c999",
    }
    reject = {**entry, "id": "a0002", "at": "2026-01-01T10:00:00Z", "action": "reject", "record_id": "n-c1"}
    edit = {**entry, "id": "a0003", "at": "2026-01-01T10:00:00Z", "action": "edit", "record_id": "c001"}
    tables = factory.base_tables()
    tables["audit"] = [entry, reject, edit]
    problems = {(p.row, p.field): p.message for p in validate(*make_data(tables=tables)).problems}
    assert "is not a time of the calendar" in problems[(2, "at")]
    assert problems[(2, "record_id")] == "'c999' is not in claims"
    assert problems[(3, "reason")] == "a rejection must say why"
    assert problems[(4, "field")] == "an edit must name the field it changed"
    assert len(problems) == 4


def test_manifest_names_its_files_relative_to_the_data_folder(data_dirs):
    data, seeds = data_dirs
    manifest = journal.write_manifest(data, "t3", seeds, "a", "", [])
    assert json.loads((data / journal.MANIFEST).read_text())["seeds"] == "../seeds" == manifest["seeds"]
    (data / journal.MANIFEST).unlink()
