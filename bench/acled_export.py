"""A generator of ACLED-shaped exports over the region, for the benchmarks (not real data).

Every standard ACLED column, dates ``YYYY-MM-DD`` from 2017 to 2025, points scattered around the region's
province centres (Afghanistan and Tajikistan) with the province named as ACLED spells it, a few
hundred characters of notes. Deterministic for a given seed.

    python bench/acled_export.py 100000 /tmp/acled_100k.csv
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
    "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
    "tags,timestamp"
).split(",")
TYPES = {
    "Battles": ("Political violence", "Armed clash"),
    "Explosions/Remote violence": ("Political violence", "Remote explosive/landmine/IED"),
    "Violence against civilians": ("Political violence", "Attack"),
    "Protests": ("Demonstrations", "Peaceful protest"),
    "Riots": ("Demonstrations", "Mob violence"),
    "Strategic developments": ("Strategic developments", "Arrests"),
}
ACTORS = (
    "Taliban", "Islamic State Khorasan Province", "National Resistance Front", "Unidentified Armed Group",
    "Military Forces of Afghanistan (2021-)", "Police Forces of Tajikistan (1994-)", "Protesters",
)  # fmt: skip


def centres() -> pd.DataFrame:
    """Province centres (representative points) and names from the project's provinces.geojson."""
    import shapely

    features = json.loads((REPO / "geodata" / "provinces.geojson").read_text())["features"]
    rows = []
    for feature in features:
        point = shapely.geometry.shape(feature["geometry"]).representative_point()
        props = feature["properties"]
        country = {"AFG": ("Afghanistan", 4), "TJK": ("Tajikistan", 762)}.get(props["country"])
        if country:
            rows.append((props["name"], country[0], country[1], point.y, point.x))
    return pd.DataFrame(rows, columns=["admin1", "country", "iso", "lat", "lon"])


def generate(n: int, seed: int = 11) -> pd.DataFrame:
    """``n`` ACLED-shaped rows."""
    rng = np.random.default_rng(seed)
    places = centres()
    pick = rng.integers(0, len(places), n)
    kinds = np.array(list(TYPES))
    kind = kinds[rng.integers(0, len(kinds), n)]
    days = pd.Timestamp("2017-01-01") + pd.to_timedelta(rng.integers(0, 9 * 365, n), unit="D")
    actors = np.array(ACTORS)
    frame = pd.DataFrame(
        {
            "event_id_cnty": [f"AFG{i:07d}" for i in range(n)],
            "event_date": days.strftime("%Y-%m-%d"),
            "year": days.year,
            "time_precision": rng.choice([1, 1, 1, 2, 3], n),
            "disorder_type": [TYPES[k][0] for k in kind],
            "event_type": kind,
            "sub_event_type": [TYPES[k][1] for k in kind],
            "actor1": actors[rng.integers(0, len(actors), n)],
            "assoc_actor_1": "",
            "inter1": 2,
            "actor2": actors[rng.integers(0, len(actors), n)],
            "assoc_actor_2": "",
            "inter2": 3,
            "interaction": 23,
            "civilian_targeting": "",
            "iso": places["iso"].to_numpy()[pick],
            "region": "Caucasus and Central Asia",
            "country": places["country"].to_numpy()[pick],
            "admin1": places["admin1"].to_numpy()[pick],
            "admin2": [f"District {d}" for d in rng.integers(0, 12, n)],
            "admin3": "",
            "location": [f"Village {v}" for v in rng.integers(0, 400, n)],
            "latitude": np.round(places["lat"].to_numpy()[pick] + rng.normal(0, 0.1, n), 4),
            "longitude": np.round(places["lon"].to_numpy()[pick] + rng.normal(0, 0.1, n), 4),
            "geo_precision": rng.choice([1, 1, 2, 3], n),
            "source": "Benchmark Agency",
            "source_scale": "National",
            "notes": [
                f"On {d}, a benchmark event ({k}) near a village; synthetic, for the notes column's length."
                for d, k in zip(days.strftime("%d %B %Y"), kind, strict=True)
            ],
            "fatalities": rng.choice([0, 0, 0, 1, 2, 3, 5, 10], n),
            "tags": "",
            "timestamp": 1_700_000_000,
        },
        columns=COLUMNS,
    )
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    generate(args.rows, args.seed).to_csv(args.out, index=False)
    print(f"{args.rows:,} rows -> {args.out} ({args.out.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
