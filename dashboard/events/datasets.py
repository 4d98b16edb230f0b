"""The datasets that can be imported: their names, licence and attribution, and the stored columns.

The attribution texts are what each dataset's terms ask users to show with the data: ACLED's
attribution policy asks for a prominent acknowledgement with a citation and a link to its website;
UCDP asks that users cite the GED's presentation article and the yearly article of the version used.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.wording import format_date


@dataclass(frozen=True)
class Dataset:
    """One importable dataset."""

    key: str  # "acled" or "ucdp": the CLI's word and the store's file name
    name: str  # short name for labels and credits
    title: str
    attribution: str  # the credit shown on maps, pictures, slides and exports
    citation: str  # the full citation for references and the manifest
    licence: str
    precision_words: dict[int, str]  # time precision code -> words
    place_words: dict[int, str]  # location precision code -> words


ACLED = Dataset(
    key="acled",
    name="ACLED",
    title="Armed Conflict Location & Event Data Project",
    attribution="Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com",
    citation=(
        "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com. "
        "Raleigh, Clionadh, Andrew Linke, Håvard Hegre and Joakim Karlsen (2010). Introducing ACLED: "
        "An Armed Conflict Location and Event Dataset. Journal of Peace Research 47(5): 651–660."
    ),
    licence=(
        "ACLED Terms of Use and Attribution Policy (www.acleddata.com): acknowledge ACLED prominently "
        "with a citation and a link to its website, state how the data were changed, and do not "
        "redistribute the raw data."
    ),
    precision_words={1: "exact day", 2: "within a week", 3: "within a month"},
    place_words={1: "exact place", 2: "near the place or in its district", 3: "provincial level"},
)

UCDP = Dataset(
    key="ucdp",
    name="UCDP GED",
    title="UCDP Georeferenced Event Dataset",
    attribution=(
        "UCDP Georeferenced Event Dataset (UCDP GED), Uppsala Conflict Data Program; "
        "Sundberg & Melander 2013; Davies et al."
    ),
    citation=(
        "Sundberg, Ralph and Erik Melander (2013). Introducing the UCDP Georeferenced Event Dataset. "
        "Journal of Peace Research 50(4): 523–532. Davies, Shawn, Therese Pettersson and Magnus "
        "Öberg: the 'Organized violence 1989–…' article in the Journal of Peace Research for the GED "
        "version used (for example 2023, 'Organized violence 1989–2022, and the return of conflicts "
        "between states', 60(4)). Uppsala Conflict Data Program, ucdp.uu.se."
    ),
    licence="UCDP data are free to use with the citations above (CC BY 4.0); give the GED version used.",
    precision_words={
        1: "exact day",
        2: "within 2–6 days",
        3: "within a week",
        4: "within a month",
        5: "within a year or more",
    },
    place_words={
        1: "exact place",
        2: "within about 25 km",
        3: "district (second-order unit)",
        4: "province (first-order unit)",
        5: "a linear feature or area between provinces",
        6: "country",
        7: "international waters or airspace",
    },
)

#: Every importable dataset by key.
DATASETS: dict[str, Dataset] = {d.key: d for d in (ACLED, UCDP)}


def dataset_info(key: str) -> Dataset:
    """The dataset named ``key``; ValueError listing the known ones otherwise."""
    try:
        return DATASETS[key]
    except KeyError:
        raise ValueError(f"unknown dataset {key!r}; known: {', '.join(DATASETS)}") from None


#: The stored columns, in order, with their DuckDB types. Both datasets share them; a column one
#: dataset lacks is NULL. Fatalities are kept as each dataset states them: ACLED's ``fatalities``, UCDP's
#: ``best`` with ``low``/``high`` and the per-side deaths.
STORED_COLUMNS: dict[str, str] = {
    "dataset": "VARCHAR",
    "event_id": "VARCHAR",
    "date_start": "DATE",
    "date_end": "DATE",
    "time_precision": "TINYINT",  # ACLED time_precision (1-3) or UCDP date_prec (1-5), as given
    "event_type": "VARCHAR",  # ACLED event_type; UCDP type of violence in words
    "sub_event_type": "VARCHAR",
    "disorder_type": "VARCHAR",
    "conflict_name": "VARCHAR",  # UCDP only
    "actor1": "VARCHAR",  # ACLED actor1, UCDP side_a
    "assoc_actor_1": "VARCHAR",
    "actor2": "VARCHAR",  # ACLED actor2, UCDP side_b
    "assoc_actor_2": "VARCHAR",
    "country": "VARCHAR",
    "admin1": "VARCHAR",  # as the dataset gives it
    "admin2": "VARCHAR",
    "admin3": "VARCHAR",
    "location": "VARCHAR",
    "lat": "DOUBLE",
    "lon": "DOUBLE",
    "geo_precision": "TINYINT",  # ACLED geo_precision (1-3) or UCDP where_prec (1-7), as given
    "fatalities": "INTEGER",  # ACLED fatalities, UCDP best
    "fatalities_low": "INTEGER",
    "fatalities_high": "INTEGER",
    "deaths_a": "INTEGER",
    "deaths_b": "INTEGER",
    "deaths_civilians": "INTEGER",
    "deaths_unknown": "INTEGER",
    "source": "VARCHAR",
    "source_scale": "VARCHAR",
    "notes": "VARCHAR",
    "tags": "VARCHAR",
    "source_timestamp": "VARCHAR",
    # resolved at import
    "province_id": "VARCHAR",  # feature id in provinces.geojson
    "province": "VARCHAR",  # its name there
    "country_iso3": "VARCHAR",
    "place_basis": "VARCHAR",  # how the province was found, see regions.BASIS_WORDS
    "h3_r3": "UBIGINT",
    "h3_r4": "UBIGINT",
    "h3_r5": "UBIGINT",
    "h3_r6": "UBIGINT",
    # the living dataset
    "status": "VARCHAR",  # "current" or "withdrawn"
    "first_seen": "DATE",  # export date of the first export that had it
    "changed_on": "DATE",  # export date of the last change
    "withdrawn_on": "DATE",  # export date of the first export that no longer had it
}

#: Columns whose content decides whether an event changed between exports.
CONTENT_COLUMNS: tuple[str, ...] = tuple(list(STORED_COLUMNS)[1:33])

#: H3 resolutions stored per event (coarse to fine).
H3_RESOLUTIONS: tuple[int, ...] = (3, 4, 5, 6)


def credit_line(dataset: str, manifest: dict) -> str:
    """ "ACLED, export of 27 July 2023: Armed Conflict Location & Event Data Project (ACLED); ..." """
    info = dataset_info(dataset)
    when = format_date(manifest["export_date"], "day") if manifest.get("export_date") else "date unknown"
    version = f", version {manifest['version']}" if manifest.get("version") else ""
    return f"{info.name}, export of {when}{version}: {manifest.get('attribution') or info.attribution}"
