""" "As known on": the publication rule, the filter everywhere filters go, and the information cutoff."""

from __future__ import annotations

import re

import pytest

from dashboard.exports.briefing import Briefing, about, map_page
from dashboard.exports.slide import slide_content
from dashboard.exports.snapshot import FallbackOnly
from dashboard.filters import apply_filters, filter_options, filters_from_query, filters_to_query, known_by
from dashboard.mapping.panels import title_html
from dashboard.model import Filters
from dashboard.viewstate import ViewState, view_from_query, view_to_query
from dashboard.wording import filter_summary, information_cutoff


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-06", "2024-06-30"),
        ("2024", "2024-12-31"),
        ("2024-02", "2024-02-29"),
        ("2024-06-03", "2024-06-03"),
    ],
)
def test_a_publication_is_known_from_the_last_day_its_precision_allows(text, day):
    assert known_by(text).isoformat() == day


def test_a_month_dated_document_is_known_at_the_end_of_its_month_not_before(flat):
    # d001 is published "2023-11": known on 30 November, not on 15 November.
    assert set(apply_filters(flat, Filters(known_on="2023-11-15"))["document_id"]) == {"d000"}
    assert set(apply_filters(flat, Filters(known_on="2023-11-30"))["document_id"]) == {"d000", "d001"}
    # A partial known_on date is taken at its last day too: "2023-11" is 30 November.
    assert set(apply_filters(flat, Filters(known_on="2023-11"))["document_id"]) == {"d000", "d001"}
    assert apply_filters(flat, Filters(known_on="2023-04-30")).empty


def test_known_on_combines_with_the_other_filters(flat):
    kept = apply_filters(flat, Filters(known_on="2023-05", type=("force_strength",)))
    assert list(kept["report_id"]) == ["r001"]


def test_known_on_round_trips_through_the_query_and_rejects_bad_dates():
    f = filters_from_query({"known_on": "2024-03-31", "include_retracted": "true"})
    assert f == Filters(known_on="2024-03-31", include_retracted=True)
    assert filters_to_query(f) == {"known_on": ["2024-03-31"], "include_retracted": ["1"]}
    assert filters_from_query(filters_to_query(f)) == f
    with pytest.raises(ValueError, match="^known_on: "):
        filters_from_query({"known_on": "March 2024"})
    with pytest.raises(ValueError, match="^include_retracted: "):
        filters_from_query({"include_retracted": "maybe"})


def test_the_url_carries_known_on_include_retracted_and_since():
    state = ViewState(filters=Filters(known_on="2024-06-30", include_retracted=True), since="2024-03-31")
    query = view_to_query(state)
    assert query == {"known_on": ["2024-06-30"], "include_retracted": ["1"], "since": "2024-03-31"}
    assert view_from_query(query) == (state, [])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"known_on": "2024-02-30"}, "known_on: '2024-02-30': day 30 does not exist"),
        ({"include_retracted": "perhaps"}, "include_retracted: "),
        ({"since": "last week"}, "since: "),
    ],
)
def test_a_bad_time_key_in_the_url_is_named_and_the_rest_still_applies(query, message):
    state, errors = view_from_query({**query, "province": ["Kunduz"], "start": "2023"})
    assert len(errors) == 1 and message in errors[0]
    assert state.filters.province == ("Kunduz",) and state.filters.start == "2023"
    assert state.filters.known_on is None and state.since is None and not state.filters.include_retracted


def test_filter_options_offer_the_day_everything_is_known(flat):
    assert filter_options(flat)["known_on"] == [("2023-11-30", "2023-11-30")]


def test_default_filters_are_not_empty_because_they_leave_retracted_reports_out():
    assert not Filters().is_empty() and Filters().is_default()
    assert Filters(include_retracted=True).is_empty() and not Filters(include_retracted=True).is_default()
    assert not Filters(known_on="2024").is_empty()


def test_information_cutoff_is_the_latest_publication_in_view(flat):
    assert information_cutoff(flat) == "November 2023"
    assert information_cutoff(apply_filters(flat, Filters(known_on="2023-06"))) == "May 2023"
    assert information_cutoff(flat.iloc[0:0]) == ""


def test_the_bundled_data_is_cut_off_in_april_2025():
    from dashboard.flat import flat_reports
    from dashboard.loader import load_dataset

    assert information_cutoff(flat_reports(load_dataset())) == "April 2025"


def test_filter_summary_names_known_on_and_retracted_sources(dataset):
    lines = filter_summary(Filters(known_on="2024-03-31", include_retracted=True), dataset)
    assert lines == ["As known on: 31 March 2024", "Retracted sources: included, marked"]


def test_the_map_title_block_states_the_cutoff_beside_as_of(dataset, flat):
    block = str(title_html("T", "", "all", "1 May 2025, 10:00 UTC", [], "March 2024"))
    # the cutoff and the time the map was made, each in a paragraph of its own
    assert "<b>Information cutoff:</b> March 2024 (latest publication shown)</p>" in block
    assert "<p class='dm-made'><b>As of:</b> 1 May 2025, 10:00 UTC (when this map was made)</p>" in block
    assert "Information cutoff" not in str(title_html("T", "", "all", "now", []))
    known = apply_filters(flat, Filters(known_on="2023-06"))
    page = map_page(dataset, flat, known, Briefing(filters=Filters(known_on="2023-06")))
    # The panel's HTML travels inside the page's script as a JSON string (<, > as \u003c, \u003e).
    shown = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
    assert "<b>As of:</b> " in shown
    assert "<b>Information cutoff:</b> May 2023 (latest publication shown)" in shown


def test_slides_and_table_exports_state_the_cutoff_apart_from_when_they_were_made(dataset, flat):
    briefing = Briefing(filters=Filters(known_on="2023-06")).stamped()
    known = apply_filters(flat, briefing.filters)
    content = slide_content(dataset, flat, known, briefing, FallbackOnly("no browser in this test"))
    assert "Information cutoff: May 2023" in content.header and "As of " in content.header
    assert "Information cutoff: May 2023" in content.notes
    described = about(briefing, dataset, flat, known)
    assert described["Information cutoff"] == "May 2023" and described["As of"]
