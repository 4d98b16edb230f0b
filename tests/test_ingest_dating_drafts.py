"""Dates and events in whole drafts: what one sentence tells another (the following day, the incident
a casualty figure belongs to) and events told by their verb alone. Sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

from dashboard.ingest import DocumentInfo, Sources, draft_article
from dashboard.ingest.attribution import People
from dashboard.ingest.places import Gazetteer
from dashboard.ingest.reader import parse_article

PLACES = [{"id": "khatlon", "name": "Khatlon", "kind": "province", "country": "TJK", "admin1": "Khatlon"}]


def _draft(text: str, published: str):
    article = parse_article(Path("a.txt"), text.encode("utf-8"))
    sources = Sources(Gazetteer.from_rows(PLACES), People.from_rows([], [], "Wire"), [])
    return draft_article(article, DocumentInfo(published, "Wire"), sources).rows


def _events(rows):
    return [(r["date"], r["date_end"], r["date_precision"]) for r in rows if r["kind"] == "event"]


def _figures(rows):
    return [(r["unit"], r["date"]) for r in rows if r["kind"] == "claim" and r["unit"]]


def test_an_event_without_a_topic_word_is_drafted_with_its_date():
    rows = _draft("Back in September 2010, the base received its first armoured vehicles.\n", "2025-08")
    assert _events(rows) == [("2010-09", "", "month")]


def test_an_undated_happening_is_drafted_at_the_publication_date_for_review():
    rows = _draft("Security forces launched an operation to find the attackers.\n", "2025-06-02")
    (event,) = [r for r in rows if r["kind"] == "event"]
    # "before the publication" is kept as a latest bound: the data has no loose 'before' qualifier
    assert (event["date"], event["date_qualifier"], event["date_latest"]) == ("", "", "2025-06-02")
    assert "without a date" in event["review"]


def test_a_casualty_figure_without_a_date_takes_the_incident_told_before():
    text = (
        "Border guards clashed with smugglers in Khatlon on Monday.\n\n"
        "One border guard was wounded in the exchange of fire.\n"
    )
    rows = _draft(text, "2025-03-12")
    assert ("people_wounded", "2025-03-10") in _figures(rows)
    assert _events(rows) == [("2025-03-10", "", "day")]  # the wound is no second event


def test_the_following_day_counts_from_the_incident_not_from_the_telling():
    text = (
        "Guards killed two men on the night of July 4-5, the committee told TASS on Monday.\n\n"
        "The following day, police detained three suspects.\n"
    )
    rows = _draft(text, "2024-07-08")
    assert ("people_detained", "2024-07-05") in _figures(rows)
    assert ("2024-07-04", "", "day") in _events(rows)
    assert ("2024-07-08", "", "day") not in _events(rows)  # the telling is no event


def test_a_span_bounds_but_does_not_date_an_event():
    rows = _draft("In October 2012, the two governments extended the agreement until 2042.\n", "2025-11")
    assert _events(rows) == [("2012-10", "", "month")]


def test_two_dated_happenings_in_one_sentence_are_two_events():
    rows = _draft(
        "In 2019 it received new radars, and this year it began training on howitzers.\n", "2025-11"
    )
    assert _events(rows) == [("2019", "", "year"), ("2025", "", "year")]


def test_a_figure_stated_now_is_dated_to_the_publication_not_to_an_older_year():
    rows = _draft("The list, first compiled in 2005, now includes 20 organisations.\n", "2023-12-29")
    assert ("organisations", "2023-12-29") in _figures(rows)
