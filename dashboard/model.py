"""The typed shapes shared by the loader, filters, map builders, exports and the app.

The curated tables stay pandas DataFrames (the app filters and charts them); what crosses a boundary
between layers is named here: the loaded ``Dataset``, the ``Filters`` a user sets, and the columns of the
flat one-row-per-report table that every view and export starts from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import geopandas as gpd
import pandas as pd

#: Units a figure may count, as in the schema; labels are for people.
UNIT_LABELS: dict[str, str] = {
    "fighters": "fighters",
    "members": "members",
    "organisations": "organisations",
    "troops": "troops",
    "equipment_types": "types of military equipment",
    "equipment_items": "items of military equipment",
    "madrassas": "madrassas",
    "km": "km",
    "USD": "US dollars",
    "people_killed": "people killed",
    "people_wounded": "people wounded",
    "schools": "schools",
    "border_posts": "border posts",
    "incidents": "incidents",
    "exercises": "exercises",
    "sorties": "sorties",
    "kg": "kg",
    "tonnes": "tonnes",
    "MW": "MW",
    "rounds": "rounds of ammunition",
    "RUB": "Russian roubles",
    "TJS": "Tajik somoni",
    "EUR": "euros",
    "AFN": "Afghan afghani",
    "people": "people",
    "people_detained": "people detained",
    "people_casualties": "people killed or wounded",
}

#: ACLED's event types and, for each, its sub-event types, as the ACLED codebook names them. Curated and
#: imported events share this vocabulary (``events.event_type`` / ``events.sub_event_type``).
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

#: The ACLED pair a project event type gets when nobody has chosen one (a drafted event, for review).
ACLED_DEFAULTS: dict[str, tuple[str, str]] = {
    "border_incident": ("Battles", "Armed clash"),
    "exercise": ("Strategic developments", "Change to group/activity"),
    "withdrawal": ("Strategic developments", "Change to group/activity"),
    "treaty": ("Strategic developments", "Agreement"),
}
ACLED_FALLBACK: tuple[str, str] = ("Strategic developments", "Other")

#: What an event's ``status`` may be; an event ``alleged`` or ``denied`` is someone's assertion and names
#: its claimant.
EVENT_STATUSES: tuple[str, ...] = ("occurred", "planned", "alleged", "denied")
ASSERTED_STATUSES = frozenset({"alleged", "denied"})

#: Columns of the flat report table (one row per report), in export order. The first block is the
#: documented export contract; the rest are provenance and map helpers. ``docs/export-columns.md``
#: describes each.
FLAT_COLUMNS: tuple[str, ...] = (
    "kind",  # "claim" or "event"
    "id",  # claims.id or events.id
    "document",  # the document's file name in seeds/
    "quote",  # verbatim quote
    "date",  # the as-of time: ISO 8601 truncated to its precision, as this report gives it
    "date_precision",
    "places",  # place ids, ';'-separated (claims: the first is where the map puts it)
    "claimant",  # actor id of who asserts the claim or event ('' for an event in the document's voice)
    "relayed_by",  # actor ids, ';'-separated
    "figure_low",
    "figure_best",
    "figure_high",
    "unit",
    # provenance and descriptive columns
    "report_id",
    "date_end",
    "date_qualifier",  # on, as_of; or no_later_than, no_earlier_than, between for a bounded time
    "date_earliest",
    "date_latest",
    "date_basis",
    "said_date",  # when it was said; the publication when the document says it in its own voice
    "said_precision",
    "said_earliest",
    "said_latest",
    "said_basis",
    "type",  # claim topic or event type
    "event_type",  # ACLED event type (events)
    "sub_event_type",  # ACLED sub-event type (events)
    "event_status",  # occurred, planned, alleged, denied (events)
    "subject",  # claim subject or event title
    "group",  # group ids, ';'-separated
    "figure_qualifier",
    "figure_text",  # the figure's words as stated
    "figure_coding",  # the coding convention used, if any
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "stance",
    "claimant_name",
    "claimant_role",
    "affiliation",
    "source_reliability",  # the claimant's Admiralty grade
    "relayed_by_names",
    "participants",
    "location",  # events: the place where it happened ('' when the text names none)
    "location_name",
    "place_names",
    "place_lats",  # every place's latitude, in the order of places
    "place_lons",
    "place_precisions",
    "provinces",  # Afghan/Tajik province names the places lie in, ';'-separated
    "document_id",
    "title",
    "outlet",
    "url",
    "published",
    "published_precision",
    "info_credibility",  # the report's Admiralty grade
    "analyst_confidence",
    "lat",  # the map position: an event's location, a claim's first place
    "lon",
    "location_precision",
    "notes",
    # retraction of the document or the claimant (dashboard.retraction): kind, date and reason
    "retracted",  # "retracted" or "discredited" ('' when neither), ';'-separated when several apply
    "retracted_on",  # the earliest date of those retractions ('' when none)
    "retraction_reason",  # their reasons, ' | '-separated
)

#: The filter names used everywhere: CLI options, URL query keys and the app's widgets.
FILTER_NAMES: tuple[str, ...] = (
    "start",
    "end",
    "province",
    "document",
    "outlet",
    "relayed_by",
    "claimant",
    "affiliation",
    "group",
    "type",
    "actor",  # imported events (ACLED, UCDP GED) only: part of an actor's name, either side
    "known_on",
)


#: Columns of retractions.csv, in the schema's order.
RETRACTION_COLUMNS: tuple[str, ...] = ("id", "target", "target_kind", "kind", "date", "reason", "notes")


@dataclass(frozen=True)
class Filters:
    """What a user asked to see. Empty tuples and ``None`` mean "no restriction".

    ``start``/``end`` are ISO dates (possibly truncated: "2023", "2023-05"); a record is kept when its
    date interval overlaps the window. Multi-valued filters keep a record matching any of the values.

    ``known_on`` (an ISO date, possibly truncated) keeps only the reports that could be known then: a
    report is known on DATE when its document's publication date, taken at the last day its precision
    allows ("2024-06" -> 30 June 2024), is on or before the last day of DATE. Reports whose document or
    claimant is retracted are left out unless ``include_retracted``; a retraction dated after
    ``known_on`` does not apply yet (see ``dashboard.retraction``).
    """

    start: str | None = None
    end: str | None = None
    province: tuple[str, ...] = ()
    document: tuple[str, ...] = ()  # document ids (d000) or file names
    outlet: tuple[str, ...] = ()
    relayed_by: tuple[str, ...] = ()  # actor ids
    claimant: tuple[str, ...] = ()  # actor ids
    affiliation: tuple[str, ...] = ()
    group: tuple[str, ...] = ()  # group ids
    type: tuple[str, ...] = ()  # event types or claim topics
    actor: tuple[str, ...] = ()  # imported events' actors (part of a name, any case); curated rows ignore it
    known_on: str | None = None  # what could be known on this date (publication date, see above)
    include_retracted: bool = False  # keep reports of retracted documents and claimants, marked

    def is_empty(self) -> bool:
        """True when the filters keep every row: nothing restricted and retracted reports included.

        The default ``Filters()`` is not empty in this sense: it leaves retracted reports out, so a
        caller that skips ``apply_filters`` for empty filters still never shows them.
        """
        return self.include_retracted and all(
            not getattr(self, f.name) for f in fields(self) if f.name != "include_retracted"
        )

    def is_default(self) -> bool:
        """True when nothing was chosen: no filter set and retracted reports left out (the default)."""
        return self == Filters()


@dataclass
class Dataset:
    """Everything loaded from a data folder and its documents; validated before it is built."""

    data_dir: Path
    seeds_dir: Path
    documents: pd.DataFrame
    places: pd.DataFrame
    groups: pd.DataFrame
    actors: pd.DataFrame
    claims: pd.DataFrame
    events: pd.DataFrame
    reports: pd.DataFrame
    texts: dict[str, str] = field(default_factory=dict)  # document id -> article text
    #: retractions.csv: documents and actors retracted or discredited (nothing is deleted for them)
    retractions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RETRACTION_COLUMNS))
    geometry: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)  # "countries", "provinces", ...
