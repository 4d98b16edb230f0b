"""Synthetic events for the benchmark: copies of real event reports at the data's own places and dates."""

from __future__ import annotations

import random

import pandas as pd

from dashboard.mapping.styles import EVENT_SYMBOLS
from dashboard.model import Dataset


def add_events(ds: Dataset, flat: pd.DataFrame, n: int, seed: int = 7) -> pd.DataFrame:
    """``flat`` plus ``n`` event rows (ids ``s00001``...), each at a real place with a real report's text."""
    rng = random.Random(seed)
    template = flat[flat["kind"] == "event"].iloc[0].to_dict()
    places = ds.places[["id", "name", "lat", "lon", "location_precision", "admin1"]].to_dict("records")
    types = list(EVENT_SYMBOLS)
    rows = []
    for i in range(1, n + 1):
        place = rng.choice(places)
        row = dict(template)
        row.update(
            id=f"s{i:05d}",
            report_id=f"rs{i:05d}",
            type=rng.choice(types),
            subject=f"Synthetic event {i}",
            date=f"{rng.randint(2021, 2025)}-{rng.randint(1, 12):02d}",
            date_precision="month",
            date_end="",
            location=place["id"],
            location_name=place["name"],
            places=place["id"],
            place_names=place["name"],
            provinces=place["admin1"] or "",
            lat=place["lat"] + rng.uniform(-0.6, 0.6),
            lon=place["lon"] + rng.uniform(-0.6, 0.6),
            location_precision=place["location_precision"],
        )
        rows.append(row)
    out = pd.concat([flat, pd.DataFrame(rows, columns=flat.columns)], ignore_index=True)
    out["location_precision"] = out["location_precision"].astype("Int64")
    return out
