"""Resolve an event's place to the project's provinces: by name with the region's spellings, and by point.

A name is matched within its country: Tajikistan's Gorno-Badakhshan is never Afghanistan's Badakhshan,
and a name with no country is used only when it names one province in the whole region. Place names
below the province (a "Fayzabad" lies in Badakhshan, another in Jawzjan and one in Faryab) are never
used to find a province: where the province name is missing, unknown or disagrees with the coordinates,
the point decides (point-in-polygon against ``provinces.geojson``), and the disagreement is reported.
A point a few kilometres outside the named province (simplified outlines, a village on the line) keeps
the name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

#: Spellings met in ACLED, UCDP and the press, by country and province id of ``provinces.geojson``.
#: The file's own names and alternative names are added to these (these win on a clash).
VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "AFG": {
        "badakhshan": ("Badakhshan", "Badachschan", "Badakhchan", "Badakšan", "Badakhshon Province"),
        "kunduz": ("Kunduz", "Kondoz", "Qunduz", "Qonduz", "Konduz", "Kundus"),
        "takhar": ("Takhar", "Takhâr", "Tahar", "Takar", "Tachar"),
        "sari-pul": ("Sar-e Pol", "Sar-e-Pul", "Sar-e Pul", "Sari Pul", "Sar-i-Pul", "Sar-e-Pol", "Saripul"),
        "panjshir": ("Panjshir", "Panjsher", "Panjsheer", "Panjshayr", "Panjshire"),
        "jawzjan": ("Jawzjan", "Jowzjan", "Jozjan", "Juzjan", "Jauzjan"),
        "faryab": ("Faryab", "Fariab", "Faryob"),
        "balkh": ("Balkh", "Balk"),
        "samangan": ("Samangan",),
        "baghlan": ("Baghlan",),
        "hirat": ("Herat", "Hirat", "Hérat"),
        "hilmand": ("Helmand", "Hilmand"),
        "daykundi": ("Daykundi", "Daikundi", "Dai Kundi", "Daykondi"),
        "nangarhar": ("Nangarhar", "Ningarhar"),
        "nuristan": ("Nuristan", "Nooristan"),
        "kunar": ("Kunar", "Konar", "Kunarha"),
        "laghman": ("Laghman",),
        "kapisa": ("Kapisa",),
        "parwan": ("Parwan", "Parvan"),
        "wardak": ("Wardak", "Maidan Wardak", "Maydan Wardak", "Vardak"),
        "logar": ("Logar", "Lowgar"),
        "kabul": ("Kabul",),
        "paktya": ("Paktya", "Paktia", "Paktiya"),
        "paktika": ("Paktika",),
        "khost": ("Khost", "Khowst"),
        "ghazni": ("Ghazni",),
        "zabul": ("Zabul", "Zabol"),
        "kandahar": ("Kandahar", "Qandahar"),
        "uruzgan": ("Uruzgan", "Oruzgan", "Urozgan"),
        "farah": ("Farah",),
        "nimroz": ("Nimroz", "Nimruz"),
        "ghor": ("Ghor", "Ghowr"),
        "badghis": ("Badghis",),
        "bamyan": ("Bamyan", "Bamiyan", "Bamian"),
    },
    # Never plain "Badakhshan" for Tajikistan's province: a filter or a row naming "Badakhshan" must not
    # reach Gorno-Badakhshan by a shortened alias (the point decides such a row).
    "TJK": {
        "gorno-badakhshan": (
            "Gorno-Badakhshan",
            "GBAO",
            "Kuhistoni Badakhshon",
            "Mountainous Badakhshan",
            "Gorno-Badakhshan Autonomous Oblast",
            "Viloyati Mukhtori Kuhistoni Badakhshon",
        ),
        "khatlon": ("Khatlon",),
        "leninabad": ("Sughd", "Sogd", "Leninabad", "Soghd"),
        "dushanbe": ("Dushanbe",),
        "tadzhikistan-territories": (
            "Districts of Republican Subordination",
            "Region of Republican Subordination",
            "Republican Subordination",
            "Nohiyahoi Tobei Jumhuri",
        ),
    },
}

#: Country names (and ISO numeric codes, as ACLED's ``iso`` column) of the region.
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "AFG": ("Afghanistan", "4", "004", "700"),
    "TJK": ("Tajikistan", "762", "702"),
    "UZB": ("Uzbekistan", "860", "704"),
    "TKM": ("Turkmenistan", "795", "701"),
    "KGZ": ("Kyrgyzstan", "417", "703"),
    "PAK": ("Pakistan", "586", "770"),
    "IRN": ("Iran", "364", "630"),
    "CHN": ("China", "156", "710"),
    "IND": ("India", "356", "750"),
    "KAZ": ("Kazakhstan", "398", "705"),
}

#: Words that only say what kind of unit a name is ("Badakhshan province").
_UNIT_WORDS = re.compile(
    r"\b(province|provence|wilayat|welayat|velayat|viloyati|viloyat|oblast|oblast'|region|district|"
    r"autonomous|mukhtori)\b"
)
#: How far (degrees, ~5 km) a point may lie outside the province its row names and keep that name.
NAME_TOLERANCE_DEG = 0.05

#: How a province was found (stored in ``place_basis``).
BASIS_WORDS: dict[str, str] = {
    "name": "by the dataset's province name",
    "point": "by the coordinates (no province name)",
    "point-unknown-name": "by the coordinates (province name not recognised)",
    "point-disagrees": "by the coordinates (the province name disagrees with them)",
    "outside": "outside the project's provinces",
}
#: In ``resolve``'s ``named``: the row names a province this module does not know.
UNKNOWN_NAME = "?"


def name_key(text: object) -> str:
    """A spelling reduced for matching: no accents, case, unit words, spaces or punctuation."""
    if not isinstance(text, str):
        return ""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    plain = _UNIT_WORDS.sub(" ", plain)
    return re.sub(r"[^0-9a-z]+", "", plain)


@dataclass
class Regions:
    """The province and country outlines and the name tables built from them."""

    province_ids: list[str]
    province_names: list[str]
    province_countries: list[str]
    province_shapes: list[object]
    country_ids: list[str]
    country_shapes: list[object]
    names: dict[tuple[str, str], str]  # (iso3, key) -> province id
    anywhere: dict[str, str]  # key -> province id, for names that name one province in the region
    countries: dict[str, str]  # key -> iso3

    def province_name(self, province_id: str) -> str:
        """The province's name in ``provinces.geojson``."""
        return self.province_names[self.province_ids.index(province_id)]

    def country_of(self, text: object) -> str | None:
        """ISO3 code of a country name or numeric code of the region; None when unknown."""
        raw = str(text).strip()
        return self.countries.get(raw if raw.isdigit() else name_key(raw))

    def by_name(self, country: object, admin1: object) -> str | None:
        """Province id named by ``admin1`` within ``country`` (or anywhere when the country is unknown)."""
        key = name_key(admin1)
        if not key:
            return None
        iso3 = self.country_of(country) if isinstance(country, str) and country.strip() else None
        if iso3 is not None:
            return self.names.get((iso3, key))
        return self.anywhere.get(key)


def load_regions(data_dir: Path) -> Regions:
    """Read ``provinces.geojson`` and ``countries.geojson`` of a data folder into ``Regions``."""
    provinces = _features(Path(data_dir) / "provinces.geojson")
    countries = _features(Path(data_dir) / "countries.geojson")
    ids = [str(f["properties"].get("id") or f.get("id")) for f in provinces]
    shapes = [shapely.geometry.shape(f["geometry"]) for f in provinces]
    country_shapes = [shapely.geometry.shape(f["geometry"]) for f in countries]
    for shape in shapes + country_shapes:
        shapely.prepare(shape)
    names: dict[tuple[str, str], str] = {}
    for iso3, table in VARIANTS.items():
        for pid, spellings in table.items():
            for spelling in spellings:
                names.setdefault((iso3, name_key(spelling)), pid)
    for pid, feature in zip(ids, provinces, strict=True):
        props = feature["properties"]
        iso3 = str(props.get("country", ""))
        for spelling in [props.get("name", ""), *str(props.get("name_alt") or "").split(";")]:
            if name_key(spelling):
                names.setdefault((iso3, name_key(spelling)), pid)
    by_key: dict[str, set[str]] = {}
    for (_, key), pid in names.items():
        by_key.setdefault(key, set()).add(pid)
    country_keys = {n if n.isdigit() else name_key(n): iso3 for iso3, ns in COUNTRY_NAMES.items() for n in ns}
    for feature in countries:
        props = feature["properties"]
        if props.get("iso3"):
            country_keys.setdefault(name_key(props.get("name")), props["iso3"])
    return Regions(
        province_ids=ids,
        province_names=[str(f["properties"].get("name", "")) for f in provinces],
        province_countries=[str(f["properties"].get("country", "")) for f in provinces],
        province_shapes=shapes,
        country_ids=[str(f["properties"].get("iso3") or f["properties"].get("id") or "") for f in countries],
        country_shapes=country_shapes,
        names=names,
        anywhere={key: next(iter(pids)) for key, pids in by_key.items() if len(pids) == 1},
        countries=country_keys,
    )


def _features(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("features", [])


def _containing(shapes: list[object], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Index of the first shape containing each point, -1 for none (bounding boxes first, then polygons)."""
    out = np.full(len(lat), -1, dtype=np.int32)
    for index, shape in enumerate(shapes):
        minx, miny, maxx, maxy = shape.bounds
        todo = np.flatnonzero((out < 0) & (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy))
        if len(todo):
            inside = shapely.contains_xy(shape, lon[todo], lat[todo])
            out[todo[inside]] = index
    return out


@dataclass
class Resolution:
    """Per point: the province index (-1 none), the country ISO3 and how the province was found."""

    province: np.ndarray
    country: list[str]
    basis: list[str]


def resolve(regions: Regions, named: list[str | None], lat: np.ndarray, lon: np.ndarray) -> Resolution:
    """Decide each event's province from the province its row names and its point.

    ``named`` holds per row the named province's id, None when the row names none, or ``UNKNOWN_NAME``.

    The name wins when the point lies in that province or within ``NAME_TOLERANCE_DEG`` of it; otherwise
    the point decides, and ``basis`` says why (see ``BASIS_WORDS``).
    """
    by_point = _containing(regions.province_shapes, lat, lon)
    index_of = {pid: i for i, pid in enumerate(regions.province_ids)}
    # A million rows name a few dozen provinces: look each distinct name up once.
    codes, uniques = pd.factorize(np.asarray(named, dtype=object), use_na_sentinel=True)
    lookup = np.array([index_of.get(p, -1) if p else -1 for p in uniques] + [-1], dtype=np.int32)
    named_index = lookup[codes]  # code -1 (no name) takes the last entry, -1
    chosen = by_point.copy()
    basis = np.full(len(lat), "point", dtype=object)
    has_name = named_index >= 0
    agree = has_name & (named_index == by_point)
    chosen[agree] = named_index[agree]
    basis[agree] = "name"
    differ = np.flatnonzero(has_name & ~agree)
    countries = np.array(regions.province_countries + [""], dtype=object)  # index -1: no province
    for province in np.unique(named_index[differ]):  # the named outline's distance, one province at a time
        rows = differ[named_index[differ] == province]
        near = shapely.distance(regions.province_shapes[province], shapely.points(lon[rows], lat[rows]))
        # Only within the named province's own country (or off every outline): a point across the
        # border, such as Khorugh across the Panj from Afghan Badakhshan, is never pulled over it.
        same_country = np.isin(countries[by_point[rows]], ["", regions.province_countries[province]])
        near = (near <= NAME_TOLERANCE_DEG) & same_country
        chosen[rows[near]] = province
        basis[rows[near]] = "name"
        basis[rows[~near]] = "point-disagrees"
    unknown_code = list(uniques).index(UNKNOWN_NAME) if UNKNOWN_NAME in set(uniques) else -2
    unknown = codes == unknown_code
    basis[unknown & (basis == "point")] = "point-unknown-name"
    basis[chosen < 0] = "outside"
    in_country = _containing(regions.country_shapes, lat, lon)
    # Index -1 (no province, no country) takes the "" appended last.
    of_province = np.array([*regions.province_countries, ""], dtype=object)[chosen]
    of_point = np.array([*regions.country_ids, ""], dtype=object)[in_country]
    iso = np.where(chosen >= 0, of_province, of_point)
    return Resolution(province=chosen, country=iso.tolist(), basis=basis.tolist())


@lru_cache(maxsize=4)
def _cached(folder: str, stamp: tuple) -> Regions:
    del stamp  # only the cache key
    return load_regions(Path(folder))


def regions_for(data_dir: Path) -> Regions:
    """``load_regions(data_dir)``, kept while the outline files stay the same."""
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns) if p.is_file() else (p.name, 0)
        for p in (Path(data_dir) / "provinces.geojson", Path(data_dir) / "countries.geojson")
    )
    return _cached(str(data_dir), stamp)
