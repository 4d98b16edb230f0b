"""Migrate a data folder to the schema of issue 9: two times per record, events that say who asserts
them, grades where they belong, and the audit's corrections.

Run once, from the repository root, on a folder that still has the old columns::

    python scripts/migrate_0009_two_times.py geodata seeds

What it does, in order:

1. Mechanical: every claim, event and report gets the new columns. A ``before`` date becomes a latest
   bound (``date_latest``), since "before May 2023" in this data meant "at some time no later than May
   2023"; ``on`` and ``as_of`` dates stay as they are. The claims' empty Admiralty columns move: source
   reliability to ``actors.csv``, information credibility to ``reports.csv``.
2. Curated: the values below, read from the articles in ``seeds/`` (statement dates, bounds, who asserts
   each event, its status and ACLED types, where it happened, the figures' words), and the audit's
   corrections (``PLACES``, ``CLAIMS``, ``EVENTS``, ``REPORTS``, the new records in ``NEW_*``).

Ids are kept; nothing is deleted. The script refuses a folder that already has the new columns.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

SAID = ("said_date", "said_precision", "said_earliest", "said_latest", "said_basis")
AS_OF = ("date", "date_end", "date_precision", "date_qualifier", "date_earliest", "date_latest", "date_basis")


def latest(bound: str, basis: str) -> dict[str, str]:
    """Columns of a time the text bounds only from above."""
    return {
        "date": "",
        "date_end": "",
        "date_precision": "",
        "date_qualifier": "",
        "date_earliest": "",
        "date_latest": bound,
        "date_basis": basis,
    }


def between(first: str, last: str, basis: str) -> dict[str, str]:
    """Columns of a time the text bounds on both sides."""
    return {
        "date": "",
        "date_end": "",
        "date_precision": "",
        "date_qualifier": "",
        "date_earliest": first,
        "date_latest": last,
        "date_basis": basis,
    }


def said_on(value: str, precision: str, basis: str) -> dict[str, str]:
    return {
        "said_date": value,
        "said_precision": precision,
        "said_earliest": "",
        "said_latest": "",
        "said_basis": basis,
    }


def said_between(first: str, last: str, basis: str) -> dict[str, str]:
    return {
        "said_date": "",
        "said_precision": "",
        "said_earliest": first,
        "said_latest": last,
        "said_basis": basis,
    }


EARLIER_NOV_2023 = (
    '"Earlier this week", in an article of November 2023 whose day is not known: a week that starts '
    "between Monday 30 October and Monday 27 November 2023."
)
EARLIER_MAR_2024 = (
    '"Earlier this week", in an article of March 2024 whose day is not known: a week that starts '
    "between Monday 26 February and Monday 25 March 2024."
)
MINSK = said_on("2023-05-25", "day", "Said at the Minsk meeting of Thursday, May 25 (2023).")
JUNE_3 = said_on("2024-06-03", "day", "Said at the meeting of Monday, June 3 (2024).")
IZVESTIA = said_between("", "2025-04", "Told Izvestia for its article of April 2025; the day is not given.")
MILITANTS = "'militants' counted as fighters (project convention)"

#: Places: the audit's corrections.
PLACES = {
    "afg-tjk-border": {
        "lat": "37.54607",
        "lon": "70.0153",
        "notes": (
            "The line runs mostly along the Panj. The point shown is a vertex of the drawn line in "
            "borders.geojson (near the Takhar-Badakhshan junction), so that a record placed on the border "
            "is drawn on it. Reported length ~1,300 km (1.3 thousand km), measured length on the drawn "
            "geometry in borders.geojson."
        ),
    },
    # UCDP's 7 is international waters or air space; a part of one country larger than a province is 5.
    "northern-afghanistan": {"location_precision": "5"},
    # A region spanning several countries is no finer than country level (UCDP has no coarser code on land).
    "central-asia": {"location_precision": "6"},
    "middle-east": {"location_precision": "6"},
}

#: Actors: new ones, and notes that say how an existing one is used.
NEW_ACTORS = [
    {
        "id": "armenia",
        "name": "Government of Armenia",
        "kind": "government",
        "role": "",
        "affiliation": "Armenia",
        "country": "ARM",
        "source_reliability": "",
        "notes": "A signatory of the 1992 Collective Security Treaty.",
    },
]
ACTORS = {
    "tajik-authorities": {
        "notes": "Also Tajikistan as a signatory of the 1992 Collective Security Treaty "
        '("The leaders of ... Tajikistan were the signatories").'
    },
}

GROUPS = {
    "terrorist-groups": {
        "notes": (
            'Used only where a quote speaks of terrorist or militant groups without naming one ("more than '
            '20 active terrorist organizations", "23,000 militants", "a terrorist group"); a group the '
            "quote names gets its own id, and a quote about no group gets none."
        )
    }
}

#: Claims: the values each needs beyond the mechanical migration.
CLAIMS: dict[str, dict[str, str]] = {
    "c001": {
        "figure_text": "more than 20",
        **said_between(
            "",
            "2023-05",
            '"consistently emphasizes", in an article of late May 2023: said '
            "at times the article does not give, up to its publication.",
        ),
    },
    "c002": {
        "figure_text": "10,000",
        **said_between(
            "",
            "2023-05",
            '"consistently emphasizes", in an article of late May 2023: said '
            "at times the article does not give, up to its publication.",
        ),
    },
    "c003": {"figure_text": "approximately 4,000"},
    "c004": {
        "figure_text": "over 4,000",
        **said_between(
            "2021-10",
            "2023-05",
            '"as reported by the media", of the drills of October 2021, in an article of late May 2023.',
        ),
    },
    "c005": {"figure_text": "approximately a thousand"},
    "c006": {"figure_text": "300"},
    "c007": dict(MINSK),
    "c008": dict(MINSK),
    "c009": dict(MINSK),
    "c010": said_between(
        "",
        "2023-05",
        "Said at the SCO meeting in New Delhi, which the article of late May 2023 does not date.",
    ),
    "c011": said_between("", "2023-05", '"Previously ... had warned", in an article of late May 2023.'),
    "c012": said_on("2022-10-18", "day", "Said at the Dushanbe conference of Tuesday, October 18, 2022."),
    "c013": {
        "group": "",
        **said_between("", "2023-05", '"have consistently rejected", in an article of late May 2023.'),
    },
    "c014": {
        "group": "",
        **latest(
            "2023-11",
            '"As of today", said at a time the article does not give; reported in an '
            "article of November 2023.",
        ),
        **said_between(
            "",
            "2023-11",
            '"has said", reported through TASS in an article of November 2023; the day is not given.',
        ),
    },
    "c015": said_on("2023-03", "month", '"In March" in an article of November 2023.'),
    "c016": {
        "figure_text": "up to 6,500",
        **said_on(
            "2023-02", "month", '"In February, Anatoly Sidorov claimed", in an article of November 2023.'
        ),
    },
    "c017": {
        "figure_text": "4,000",
        **said_on(
            "2023-02", "month", '"In February, Anatoly Sidorov claimed", in an article of November 2023.'
        ),
    },
    "c018": {
        "figure_text": "three",
        "places": "tajikistan;afg-tjk-border",
        **latest(
            "2023-09",
            '"In September, Tajikistan authorities said that they killed": the statement '
            "is dated; the killing was no later.",
        ),
        **said_on("2023-09", "month", '"In September" in an article of November 2023.'),
        "notes": 'Killed inside Tajikistan ("crossed into the country"); the text does not say where, so '
        "the claim is placed at country level in Tajikistan, with the border it concerns.",
    },
    "c019": {
        "figure_text": "over 6,000",
        **between("2023-10-30", "2023-11-30", EARLIER_NOV_2023),
        **said_between("2023-10-30", "2023-11-30", EARLIER_NOV_2023),
    },
    "c020": said_between("", "2023-11", "A UN report cited without a date in an article of November 2023."),
    "c021": said_between("", "2023-11", '"has repeatedly denied", in an article of November 2023.'),
    "c022": said_on("2024-02", "month", '"In a report last month" in an article of March 2024.'),
    "c023": {
        **between("2024-02-26", "2024-03-31", EARLIER_MAR_2024),
        **said_between("2024-02-26", "2024-03-31", EARLIER_MAR_2024),
    },
    "c024": {"group": "", "figure_text": "over 1,000", **JUNE_3},
    "c025": {
        "figure_text": "approximately 20",
        **said_between("", "2024-06", "Reported without a date in an article of June 2024."),
    },
    "c026": {
        "figure_text": "around 23,000",
        "figure_coding": MILITANTS,
        **said_between("", "2024-06", "Reported without a date in an article of June 2024."),
    },
    "c027": {"group": "", **IZVESTIA},
    "c028": {"figure_text": "1.3 thousand km"},
    "c029": {"figure_text": "144 km"},
    "c030": {
        "figure_text": "about 1.5 thousand",
        "figure_coding": MILITANTS,
        **said_between(
            "2024",
            "2025-04",
            '"Last year, according to the commander of the Tajik border '
            'troops", in an article of April 2025: said no earlier than the year it describes.',
        ),
    },
    "c032": {
        "figure_text": "at least several hundred",
        "figure_coding": "at least several hundred → at_least 300 (project convention: 'several' = 3); "
        + MILITANTS,
        **latest(
            "2025-04",
            "After the capture of Damascus, which the article does not date; said to "
            "Izvestia for an article of April 2025.",
        ),
        **said_between("", "2025-04", '"explains Nikita Mendkovich", in an article of April 2025.'),
        "notes": '"the Afghan border" is not named further; mapped at country level.',
    },
    "c033": {"figure_text": "about $9.4 billion", "event": "e033"},
    "c034": {
        "places": "afg-tjk-border",
        **IZVESTIA,
        "notes": "The quotes name neither site of the 201st base; the border is the programme's.",
    },
    "c035": {
        "places": "tajikistan",
        "notes": '"Tajikistan is home to the 201st Russian military Base": the '
        "article names no site, so the claim is placed in Tajikistan.",
    },
    "c036": {"group": "", **JUNE_3},
    "c037": {"group": "", **JUNE_3},
    "c038": said_between("", "2025-04", '"explains Nikita Mendkovich", in an article of April 2025.'),
}

NEW_CLAIMS = [
    {
        "id": "c039",
        "topic": "security_assessment",
        "subject": "ISIS aims to orchestrate attacks in Europe and Asia from Afghanistan and is developing a "
        "cost-effective approach to external operations",
        "group": "islamic-state",
        "places": "afghanistan",
        **latest(
            "2023-05",
            '"a previous report by The Washington Post", in an article of late May 2023; no date given.',
        ),
        **said_between(
            "",
            "2023-05",
            "Assessments in leaked Pentagon documents reported by The Washington Post "
            "before an article of late May 2023.",
        ),
        "claimant": "us-dod",
        "stance": "assessment",
        "event": "e005",
        "analyst_confidence": "moderate",
        "notes": "The Department of Defense is the claimant; The Washington Post relayed its leaked "
        "documents.",
    },
    {
        "id": "c040",
        "topic": "security_assessment",
        "subject": "The Taliban will not allow any group or individual to use Afghan territory against other "
        "countries",
        "group": "",
        "places": "afghanistan",
        "date": "2024-03",
        "date_precision": "month",
        "date_qualifier": "as_of",
        "date_basis": '"have repeatedly claimed", reported in an article of March 2024.',
        **said_between("", "2024-03", '"have repeatedly claimed", in an article of March 2024.'),
        "claimant": "taliban",
        "stance": "pledge",
        "analyst_confidence": "high",
        "notes": "A pledge about what the Taliban will do, kept apart from the denial that any threat comes "
        "from Afghan territory (c013).",
    },
    {
        "id": "c041",
        "topic": "finance",
        "subject": "Afghanistan's blocked funds should be returned",
        "group": "",
        "places": "afghanistan",
        **between(
            "2021-08",
            "2025-04",
            '"Earlier", in an article of April 2025; the funds were blocked after '
            "the withdrawal of August 2021.",
        ),
        **said_between(
            "2021-08",
            "2025-04",
            '"Earlier, the Russian side also stated", in an article of April '
            "2025; after the funds were blocked (after August 2021).",
        ),
        "claimant": "russia",
        "stance": "assertion",
        "event": "e033",
        "analyst_confidence": "moderate",
        "notes": '"the funds" are the reserves the United States blocked (e033).',
    },
]

SD = "Strategic developments"
#: Events: ACLED types, status, claimant, where it happened and what it concerns, and dates.
EVENTS: dict[str, dict[str, str]] = {
    "e001": {"sub_event_type": "Other", "location": "minsk", "groups": ""},
    "e002": {"sub_event_type": "Other", "location": "", "groups": ""},
    "e003": {
        "sub_event_type": "Other",
        "location": "",
        **latest("2023-05", '"had previously warned" in an article of late May 2023; no date given.'),
    },
    "e004": {"sub_event_type": "Other", "location": "new-delhi"},
    "e005": {
        "sub_event_type": "Other",
        "location": "",
        "notes": "The article does not say where the report was published; the Pentagon's assessment is "
        "claim c039.",
    },
    "e006": {"sub_event_type": "Change to group/activity", "location": "afg-tjk-border"},
    "e007": {"sub_event_type": "Change to group/activity", "location": "afg-tjk-border"},
    "e008": {
        "sub_event_type": "Agreement",
        "location": "tashkent",
        "participants": "armenia;kazakhstan;kyrgyzstan;russia;tajik-authorities",
        "notes": '"The leaders of Armenia, Kazakhstan, Kyrgyzstan, Russia, and Tajikistan were the '
        'signatories."',
    },
    "e009": {
        "sub_event_type": "Agreement",
        "location": "",
        "notes": "The text names no place for the accession; the places are the three countries.",
    },
    "e010": {
        "sub_event_type": "Other",
        "location": "",
        "notes": "The text does not say where the 51st CIS summit was held; it concerns Afghanistan.",
    },
    "e011": {"sub_event_type": "Other", "location": "dushanbe", "groups": ""},
    "e012": {
        "sub_event_type": "Other",
        "location": "",
        "places": "afghanistan",
        **latest("2023-05", '"recently stated" in an article of late May 2023: no later than then.'),
        "notes": "The text names the government only; no place is given for the statement.",
    },
    "e013": {
        "sub_event_type": "Agreement",
        "location": "",
        "places": "",
        "notes": 'The text gives no place ("within the Eurasian region").',
    },
    "e014": {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "claimant": "tajik-authorities",
        "location": "tajikistan",
        "places": "tajikistan;afg-tjk-border",
        "fatalities_best": "3",
        **latest(
            "2023-09",
            '"In September, Tajikistan authorities said that they killed": the statement '
            "is dated; the killing was no later.",
        ),
        **said_on("2023-09", "month", '"In September" in an article of November 2023.'),
        "notes": 'Inside Tajikistan ("crossed into the country from Afghanistan"); the source does not '
        "say where, nor name the group. As the Tajik authorities state it.",
    },
    "e015": {"sub_event_type": "Other", "location": ""},
    "e016": {
        "sub_event_type": "Other",
        "location": "",
        "claimant": "tasmagambetov",
        **latest(
            "2024-03", "Told to TASS, reported in an article of March 2024; the approval date is not given."
        ),
        **said_between("", "2024-03", '"he said", to TASS, in an article of March 2024.'),
    },
    "e017": {"sub_event_type": "Other", "location": ""},
    "e018": {
        "sub_event_type": "Other",
        "location": "",
        **between("2024-02-26", "2024-03-31", EARLIER_MAR_2024),
    },
    "e019": {"sub_event_type": "Other", "location": "tajikistan", "groups": ""},
    "e020": {
        "sub_event_type": "Other",
        "location": "kazakhstan",
        "places": "kazakhstan",
        "notes": "Sources differ in what they say of the date: one says June 2024, the other, published in "
        'June 2024, says "recently". A decision of the government: placed in the country.',
    },
    "e021": {
        "sub_event_type": "Other",
        "location": "russia",
        "places": "russia",
        "notes": '"the Ministries of Foreign Affairs and Justice in Russia": placed in the country.',
    },
    "e022": {"sub_event_type": "Other", "location": ""},
    "e023": {"sub_event_type": "Agreement", "location": ""},
    "e024": {"sub_event_type": "Other", "location": "", "status": "planned"},
    "e025": {"sub_event_type": "Other", "location": "afg-tjk-border", "status": "planned"},
    "e026": {"sub_event_type": "Other", "location": "dushanbe"},
    "e027": {
        "sub_event_type": "Other",
        "location": "kyrgyzstan",
        "status": "alleged",
        "claimant": "mendkovich",
        "title": "Tablighi Jamaat groups alleged to have been involved in preparing a coup in Kyrgyzstan",
        **said_between("", "2025-04", '"the expert noted", in an article of April 2025.'),
        "notes": 'An allegation by the expert Nikita Mendkovich ("the expert noted"), not an established '
        "fact.",
    },
    "e028": {"sub_event_type": "Change to group/activity", "location": "afghanistan"},
    "e029": {
        "sub_event_type": "Other",
        "location": "",
        "places": "afghanistan",
        "notes": "The text gives no place for the call; it concerns Afghanistan's reserves.",
    },
    "e030": {
        "sub_event_type": "Other",
        "location": "russia",
        "places": "russia",
        "notes": 'A request to the court, not yet a change of designation; "in Russia".',
    },
    "e031": {"sub_event_type": "Other", "location": "kyrgyzstan", "places": "kyrgyzstan"},
    "e032": {
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "location": "damascus",
        **latest("2025-04", "Referred to as past in an article of April 2025; no date given."),
    },
}

NEW_EVENTS = [
    {
        "id": "e033",
        "type": "sanction",
        "event_type": SD,
        "sub_event_type": "Other",
        "title": "The United States blocks Afghanistan's foreign exchange reserves",
        "status": "occurred",
        "claimant": "",
        **between(
            "2021-08",
            "2025-04",
            '"after the withdrawal of troops in August 2021 ... the United States '
            'blocked local foreign exchange reserves", in an article of April 2025.',
        ),
        "location": "",
        "places": "afghanistan;united-states",
        "participants": "",
        "groups": "taliban",
        "notes": "The text gives no place for the decision.",
    },
]

#: Reports: corrected relays and record, and their own times where a document words them differently.
REPORTS: dict[str, dict[str, str]] = {
    "r022": latest("2024-06", '"recently" in an article of June 2024: no later than June 2024.'),
    "r050": said_between("", "2023-11", '"The regime claims", in an article of November 2023.'),
    "r051": {"record_id": "c040", **{c: "" for c in AS_OF}},
    "r054": {
        **latest("2024-03", '"had previously said" in an article of March 2024.'),
        **said_between("", "2024-03", '"had previously said" in an article of March 2024.'),
    },
    "r056": said_on("2023", "year", '"Last year, ... claimed" in an article of March 2024.'),
    "r057": {
        "figure_text": "around 6,500",
        **said_on("2023", "year", '"Last year, ... estimated" in an article of June 2024.'),
    },
    "r059": said_on("2023", "year", '"Last year, ... claimed" in an article of March 2024.'),
    "r060": {
        "figure_text": "4,000",
        **said_on("2023", "year", '"Last year, ... estimated" in an article of June 2024.'),
    },
    "r067": {"relayed_by": "tass"},
    "r082": {"relayed_by": "tass"},
}

NEW_REPORTS = [
    {
        "id": "r084",
        "document": "d000",
        "record_kind": "claim",
        "record_id": "c039",
        "relayed_by": "washington-post",
        "quote": "The United States Department of Defense assessments indicate that ISIS aims to orchestrate "
        "attacks in Europe and Asia, utilizing Afghanistan as a launching pad.",
    },
    {
        "id": "r085",
        "document": "d000",
        "record_kind": "claim",
        "record_id": "c039",
        "relayed_by": "washington-post",
        "quote": "The Washington Post also highlighted a classified Pentagon document that discloses ISIS’s "
        "development of a cost-effective approach for external operations, leveraging resources beyond "
        "Afghanistan.",
    },
    {
        "id": "r086",
        "document": "d004",
        "record_kind": "event",
        "record_id": "e033",
        "relayed_by": "",
        "quote": "The Taliban is still under sanctions, and after the withdrawal of troops in August 2021, "
        "which "
        "provoked a coup in the country, the United States blocked local foreign exchange reserves.",
    },
    {
        "id": "r087",
        "document": "d004",
        "record_kind": "claim",
        "record_id": "c041",
        "relayed_by": "",
        "quote": "Earlier, the Russian side also stated the need to return the funds.",
    },
]

DOCUMENTS = {
    "d004": {
        "published_basis": (
            'April 2025, from the text: it reports the programme\'s adoption "in November 2024", '
            "Kazakhstan's "
            'delisting "In June 2024" and Bishkek\'s "In September" as past, the capture of Damascus by the '
            'armed opposition as past, the Prosecutor General\'s request "in March", and a meeting "On April '
            '11" as recent; the first April after November 2024 is April 2025. The day is not in the text.'
        )
    }
}

#: The project's event types, and the ACLED event type each has by default (the sub-event type is curated).
ACLED_EVENT_TYPE = {"border_incident": "Battles"}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    path.write_text(out.getvalue(), encoding="utf-8")


def _columns(data_dir: Path, name: str) -> list[str]:
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == name)
    return [f["name"] for f in resource["schema"]["fields"]]


def _loose_date(row: dict[str, str]) -> None:
    """The old ``before`` qualifier as a latest bound; ``on`` and ``as_of`` stay."""
    row.setdefault("date_earliest", "")
    row.setdefault("date_latest", "")
    if row.get("date_qualifier") == "before":
        row.update(date_latest=row["date"], date="", date_end="", date_precision="", date_qualifier="")


def _apply(rows: list[dict[str, str]], changes: dict[str, dict[str, str]], table: str) -> None:
    by_id = {r["id"]: r for r in rows}
    for rid, change in changes.items():
        if rid not in by_id:
            raise SystemExit(f"{table}: no row {rid}")
        by_id[rid].update(change)


def migrate(data_dir: Path, seeds_dir: Path) -> None:
    """Rewrite the tables of ``data_dir`` and ``seeds_dir/documents.csv`` in the new schema."""
    header, claims = _read(data_dir / "claims.csv")
    if "said_date" in header:
        raise SystemExit("the data folder is migrated already")
    _, events = _read(data_dir / "events.csv")
    _, reports = _read(data_dir / "reports.csv")
    _, places = _read(data_dir / "places.csv")
    _, actors = _read(data_dir / "actors.csv")
    _, groups = _read(data_dir / "groups.csv")
    for row in (*claims, *events, *(r for r in reports if r["date"])):
        _loose_date(row)
    for row in events:
        row.update(event_type=ACLED_EVENT_TYPE.get(row["type"], SD), status="occurred", claimant="")
    _apply(claims, CLAIMS, "claims")
    _apply(events, EVENTS, "events")
    _apply(reports, REPORTS, "reports")
    _apply(places, PLACES, "places")
    _apply(actors, ACTORS, "actors")
    _apply(groups, GROUPS, "groups")
    claims += NEW_CLAIMS
    events += NEW_EVENTS
    reports += NEW_REPORTS
    actors += NEW_ACTORS
    for name, rows in (
        ("claims", claims),
        ("events", events),
        ("reports", reports),
        ("places", places),
        ("actors", actors),
        ("groups", groups),
    ):
        _write(data_dir / f"{name}.csv", _columns(data_dir, name), rows)
    doc_columns, documents = _read(seeds_dir / "documents.csv")
    _apply(documents, DOCUMENTS, "documents")
    _write(seeds_dir / "documents.csv", doc_columns, documents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the data folder (geodata/)")
    parser.add_argument("seeds", type=Path, help="the documents folder (seeds/)")
    args = parser.parse_args(argv)
    migrate(args.data, args.seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
