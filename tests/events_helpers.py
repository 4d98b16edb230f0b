"""Helpers for the imported-event tests: a data folder with the basemap outlines, and the fixtures.

The fixtures in ``tests/fixtures/events/`` are small exports written after the ACLED and UCDP GED
codebooks (column names, date forms, precision codes); their notes say what each row is for.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from dashboard.ui import data as ui_data

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "events"
ACLED_JUNE = FIXTURES / "acled_2023-06-30.csv"
ACLED_JULY = FIXTURES / "acled_2023-07-31.csv"
ACLED_OLD_SUBSET = FIXTURES / "acled_old_subset.csv"
UCDP_SUBSET = FIXTURES / "GEDEvent_v24_1_subset.csv"


def outline_folder(folder: Path) -> Path:
    """A data folder holding the project's province and country outlines (all an import needs)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("provinces.geojson", "countries.geojson"):
        shutil.copy(REPO / "geodata" / name, folder / name)
    return folder


def csv_to_xlsx(source: Path, target: Path) -> Path:
    """The CSV's cells, all as text, in the first sheet of an XLSX workbook."""
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    with source.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(target)
    return target


#: Points inside each province (checked against provinces.geojson by the tests that use them).
PROVINCE_POINTS = {
    "Badakhshan": (37.1166, 70.58),
    "Kunduz": (36.729, 68.857),
    "Takhar": (36.7361, 69.5345),
    "Baghlan": (36.13, 68.7),
    "Balkh": (36.7, 67.1),
    "Gorno-Badakhshan": (37.4897, 71.5534),
    "Khatlon": (37.8365, 68.7776),
}


def synthetic_acled(path: Path, n: int, seed: int = 3, start_year: int = 2020) -> Path:
    """An ACLED-shaped CSV of ``n`` events spread around ``PROVINCE_POINTS`` (for map and engine tests)."""
    import csv

    rng = random.Random(seed)
    types = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots"]
    names = list(PROVINCE_POINTS)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["event_id_cnty", "event_date", "event_type", "actor1", "actor2", "country", "admin1",
                      "admin2", "location", "latitude", "longitude", "fatalities", "notes"])  # fmt: skip
        for i in range(n):
            name = names[i % len(names)]
            lat, lon = PROVINCE_POINTS[name]
            country = "Tajikistan" if name in ("Gorno-Badakhshan", "Khatlon") else "Afghanistan"
            out.writerow(
                [
                    f"SYN{i:07d}",
                    f"{start_year + rng.randrange(4)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    types[i % len(types)],
                    rng.choice(["Taliban", "Islamic State (Afghanistan)", "Unidentified Armed Group"]),
                    "Civilians",
                    country,
                    name,
                    f"District {i % 3}",
                    f"Place {i % 11}",
                    round(lat + rng.uniform(-0.4, 0.4), 4),
                    round(lon + rng.uniform(-0.4, 0.4), 4),
                    rng.choice([0, 0, 1, 2, 5]),
                    f"Synthetic event {i}.",
                ]
            )
    return path


def app_reads_a_copy(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the bundled data (no imported events) in ``tmp_path``, which the app then reads; its
    geodata/ folder."""
    for name in ("geodata", "seeds"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("events"))
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(tmp_path / "geodata"))
    monkeypatch.setenv(ui_data.SEEDS_DIR_ENV, str(tmp_path / "seeds"))
    return tmp_path / "geodata"
