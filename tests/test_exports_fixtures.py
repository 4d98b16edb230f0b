"""Test data for the export tests: the factory's tiny dataset with hostile quotes.

An event quote carries the markup/template attack from the dashboard issue, another a spreadsheet
formula; both are also written into the document text, since the validator checks quotes verbatim.
Imported by the other ``test_exports*`` modules and the export browser test.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import factory
import pytest

from dashboard.exports.briefing import Briefing

XSS = "<img src=x onerror=alert(1)>${alert(2)}"
FORMULA = '=HYPERLINK("http://example.invalid","click")'
AS_OF = datetime(2024, 6, 1, 9, 30, tzinfo=UTC)


def hostile_data(root: Path) -> tuple[Path, Path]:
    """Write the dataset: r005 (an event at Dushanbe, on the map) quotes XSS, r006 quotes FORMULA."""
    tables = factory.base_tables()
    texts = dict(factory.TEXTS)
    reports = {r["id"]: r for r in tables["reports"]}
    reports["r005"]["quote"] = XSS
    reports["r006"]["quote"] = FORMULA
    texts["d000"] += f"{XSS}\n{FORMULA}\n"
    return factory.make_data(root, tables=tables, texts=texts)


def load_hostile(root: Path):
    """(dataset, flat table) of ``hostile_data``."""
    from dashboard.flat import flat_reports
    from dashboard.loader import load_dataset

    ds = load_dataset(*hostile_data(root))
    return ds, flat_reports(ds)


def briefing(**changes) -> Briefing:
    """A briefing with a fixed "as of", a caveat and a small picture (tests stay quick)."""
    values = {"caveat": "Unclassified <b>training</b>", "as_of": AS_OF, "size": (900, 600), "scale": 1}
    values.update(changes)
    return Briefing(**values)


@pytest.fixture
def hostile(tmp_path):
    """(dataset, flat table) of the hostile dataset."""
    return load_hostile(tmp_path / "hostile")


def test_hostile_data_loads_and_carries_the_attacks(hostile):
    ds, flat = hostile
    quotes = dict(zip(flat["report_id"], flat["quote"], strict=True))
    assert quotes["r005"] == XSS
    assert quotes["r006"] == FORMULA
    # r005 is placed (the map draws its popup); r006 sits on the border line
    placed = flat.set_index("report_id").loc[["r005", "r006"], ["lat", "lon"]]
    assert placed.notna().all().all()
