"""Province names of the region, matched within their country; points decide the rest."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.events.regions import UNKNOWN_NAME, load_regions, name_key, resolve
from dashboard.locations import own_data_dir


@pytest.fixture(scope="module")
def regions():
    return load_regions(own_data_dir())


@pytest.mark.parametrize(
    ("country", "name", "province"),
    [
        ("Afghanistan", "Badakhshan", "badakhshan"),
        ("Afghanistan", "Badachschan", "badakhshan"),
        ("Afghanistan", "Badakhchan", "badakhshan"),
        ("Afghanistan", "Badakhshan province", "badakhshan"),
        ("Afghanistan", "Kondoz", "kunduz"),
        ("Afghanistan", "Qunduz", "kunduz"),
        ("Afghanistan", "Takhâr", "takhar"),
        ("Afghanistan", "Sar-e Pol", "sari-pul"),
        ("Afghanistan", "Sar-e-Pul", "sari-pul"),
        ("Afghanistan", "Panjsher", "panjshir"),
        ("Afghanistan", "Jowzjan", "jawzjan"),
        ("4", "Kunduz", "kunduz"),  # ACLED's numeric iso column
        ("Tajikistan", "Gorno-Badakhshan", "gorno-badakhshan"),
        ("Tajikistan", "Kuhistoni Badakhshon", "gorno-badakhshan"),
        ("", "Gorno-Badakhshan Autonomous Oblast", "gorno-badakhshan"),
    ],
)
def test_names_and_spellings(regions, country, name, province):
    assert regions.by_name(country, name) == province


def test_gorno_badakhshan_is_never_afghan_badakhshan(regions):
    assert regions.by_name("Tajikistan", "Badakhshan") != "badakhshan"
    assert regions.by_name("Afghanistan", "Gorno-Badakhshan") is None
    # With no country, "Badakhshan" names Afghanistan's; a point in Gorno-Badakhshan still wins there.
    assert regions.by_name("", "Badakhshan") == "badakhshan"
    khorugh = resolve(regions, ["badakhshan"], np.array([37.4897]), np.array([71.5534]))
    assert regions.province_ids[khorugh.province[0]] == "gorno-badakhshan"
    assert khorugh.basis == ["point-disagrees"]


def test_name_key_drops_accents_case_and_unit_words():
    assert name_key("Takhâr Province") == name_key("takhar") == "takhar"


def test_the_three_fayzabads_by_point(regions):
    lat = np.array([37.1166, 36.90, 35.85])
    lon = np.array([70.58, 66.35, 64.75])
    result = resolve(regions, [None, None, None], lat, lon)
    assert [regions.province_ids[i] for i in result.province] == ["badakhshan", "jawzjan", "faryab"]


def test_a_name_that_disagrees_with_the_point_and_an_unknown_name(regions):
    lat, lon = np.array([36.90, 36.90, 37.11]), np.array([66.35, 66.35, 70.58])
    result = resolve(regions, ["badakhshan", UNKNOWN_NAME, "badakhshan"], lat, lon)
    assert [regions.province_ids[i] for i in result.province] == ["jawzjan", "jawzjan", "badakhshan"]
    assert result.basis == ["point-disagrees", "point-unknown-name", "name"]


def test_a_point_just_outside_its_named_province_keeps_the_name(regions):
    # ~1 km into Takhar from Badakhshan's simplified outline; the second point is ~13 km into Takhar
    result = resolve(regions, ["badakhshan", "badakhshan"], np.array([36.6, 36.55]), np.array([70.0, 69.9]))
    assert result.basis == ["name", "point-disagrees"]
    assert [regions.province_ids[i] for i in result.province] == ["badakhshan", "takhar"]


def test_the_tolerance_never_crosses_a_border(regions):
    # ~0.5 km from Afghan Badakhshan's outline, but across the Panj in Gorno-Badakhshan
    result = resolve(regions, ["badakhshan"], np.array([37.135]), np.array([71.44]))
    assert regions.province_ids[result.province[0]] == "gorno-badakhshan"
    assert result.basis == ["point-disagrees"]
