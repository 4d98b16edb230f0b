"""The reloading behind the app, without Streamlit: last good data kept, problems timed, files listed
while they are being removed."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.loader import DataError, data_fingerprint, load_dataset
from dashboard.reload import LastGood


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def test_last_good_serves_the_old_dataset_until_the_folder_validates(data_dirs):
    data, seeds = data_dirs
    calls = []

    def build(d, s):
        calls.append(1)
        return load_dataset(d, s)

    holder = LastGood(data, seeds, build, Clock())
    good, stale = holder.get()
    assert stale is None
    assert holder.get()[0] is good and len(calls) == 1  # unchanged files: not loaded again
    claims = data / "claims.csv"
    text = claims.read_bytes()
    claims.write_bytes(text[: len(text) // 2])
    served, stale = holder.get()
    assert served is good and stale is not None
    assert stale.problems[0].file == "geodata/claims.csv"
    assert stale.loaded_at == datetime(2026, 12, 1, 9, 1, tzinfo=UTC)
    assert stale.since == datetime(2026, 12, 1, 9, 2, tzinfo=UTC)
    message = stale.message(first=1)
    since = "The data folder has problems since 2026-12-01 09:02:00 UTC: geodata/claims.csv:"
    assert message.startswith(since)
    assert "(and " in message and "as loaded at 2026-12-01 09:01:00 UTC" in message
    holder.get()
    assert len(calls) == 2  # the broken state is not validated again on every rerun
    claims.write_bytes(text)
    fresh, stale = holder.get()
    assert stale is None and fresh is not good


def test_a_folder_that_never_loaded_raises_each_time(tmp_path):
    (tmp_path / "geodata").mkdir()
    holder = LastGood(tmp_path / "geodata", tmp_path / "seeds", load_dataset)
    for _ in range(2):
        with pytest.raises(DataError):
            holder.get()


def test_a_file_removed_while_the_folder_is_listed_is_left_out(data_dirs, monkeypatch):
    """An editor saving a file removes it for a moment: the fingerprint must not fail on it."""
    data, seeds = data_dirs
    real = os.scandir

    def listing_then_removed(path):
        entries = list(real(path))
        if os.fspath(path) == os.fspath(data):
            (data / "claims.csv").unlink()  # gone between the listing and the look at it

        class Listing:
            def __enter__(self):
                return iter(entries)

            def __exit__(self, *exc):
                return False

        return Listing()

    monkeypatch.setattr(os, "scandir", listing_then_removed)
    names = [name for _, name, _, _ in data_fingerprint(data, seeds)]
    assert "claims.csv" not in names and "places.csv" in names
