"""Unit tests of the language work of ``ingest``: figures, dates, places, attribution, input checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.ingest.attribution import People
from dashboard.ingest.dating import Published, find_dates
from dashboard.ingest.figures import extract_figures
from dashboard.ingest.files import load_gazetteer, load_people
from dashboard.ingest.places import Gazetteer
from dashboard.ingest.reader import ArticleError, read_article
from dashboard.ingest.sentences import split_sentences

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "geodata"


def _one(sentence: str):
    figures = extract_figures(sentence)
    assert len(figures) == 1, figures
    f = figures[0]
    return f.low, f.best, f.high, f.qualifier, f.unit


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("ISKP had amassed up to 6,500 members.", (None, None, 6500, "up_to", "members")),
        ("over 6,000 TTP members reside there", (6000, None, None, "more_than", "members")),
        ("more than 20 active terrorist organizations", (20, None, None, "more_than", "organisations")),
        ("approximately a thousand troops took part", (None, 1000, None, "approximately", "troops")),
        ("about 1.5 thousand militants were concentrated", (None, 1500, None, "approximately", "fighters")),
        ("numbering around 23,000 militants", (None, 23000, None, "approximately", "fighters")),
        ("at least several hundred fighters moved", (300, None, None, "at_least", "fighters")),
        ("dozens of armed men were seen", (24, None, None, "at_least", "fighters")),
        ("they are estimated at about $9.4 billion", (None, 9.4e9, None, "approximately", "USD")),
        ("the longest border in Central Asia — 1.3 thousand km", (None, 1300, None, "exact", "km")),
        ("much smaller, at 144 km.", (None, 144, None, "exact", "km")),
        ("they killed three members of a terrorist group", (None, 3, None, "exact", "people_killed")),
        ("Two border guards were wounded in the clash", (None, 2, None, "exact", "people_wounded")),
        ("300 types of military equipment", (None, 300, None, "exact", "equipment_types")),
        ("over 1,000 religious madrassas", (1000, None, None, "more_than", "madrassas")),
        ("between 2,000 and 3,000 fighters", (2000, None, 3000, "range", "fighters")),
        ("80 units of military equipment", (None, 80, None, "exact", "equipment_items")),
    ],
)
def test_figures_with_unit_and_range(sentence, expected):
    assert _one(sentence) == expected


def test_figure_without_unit_takes_the_previous_one_and_says_so():
    figures = extract_figures("up to 6,500 members, with 4,000 located along the border")
    assert [(f.high or f.best, f.unit, f.unit_inferred) for f in figures] == [
        (6500, "members", False),
        (4000, "members", True),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The treaty was signed on May 15, 1992, in Tashkent.",
        "Deliveries are already planned for 2026-2027.",
        "According to Article 4 of the treaty, aggression against one member country is aggression "
        "against all.",
        "During the 51st summit of the CIS, he spoke.",
        "two CSTO member states are worried",
        "It has three stages.",
    ],
)
def test_numbers_that_are_not_figures(sentence):
    assert extract_figures(sentence) == []


def _dates(sentence: str, published: str):
    return [
        (d.date, d.date_end, d.precision, d.qualifier)
        for d in find_dates(sentence, Published.parse(published))
    ]


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("In February, Sidorov claimed", "2023-11", [("2023-02", "", "month", "on")]),
        ("In September, Bishkek followed", "2025-04", [("2024-09", "", "month", "on")]),
        ("Last year, he estimated", "2024-06", [("2023", "", "year", "on")]),
        ("Earlier this week, the envoy said", "2023-11", [("2023-11", "", "month", "about")]),
        ("Kazakhstan recently became the first", "2024-06", [("2024-06", "", "month", "as_of")]),
        ("In a report last month, the council said", "2024-03", [("2024-02", "", "month", "on")]),
        ("In a report last month, the council said", "2024-01", [("2023-12", "", "month", "on")]),
        ("convened in Minsk on Thursday, May 25.", "2023-05", [("2023-05-25", "", "day", "on")]),
        ("On April 11, they met in Dushanbe", "2025-04", [("2025-04-11", "", "day", "on")]),
        ("In June 2024, Kazakhstan removed", "2025-04", [("2024-06", "", "month", "on")]),
        ("The third stage (2027-2029) implies", "2025-04", [("2027", "2029", "year", "on")]),
        ("held on Tuesday, October 18, 2022, in Dushanbe", "2023-05", [("2022-10-18", "", "day", "on")]),
        ("Nazarzoda told TASS on Thursday.", "2024-10-10", [("2024-10-10", "", "day", "on")]),
        ("The minister spoke on Monday.", "2024-10-10", [("2024-10-07", "", "day", "on")]),
        ("The envoy said yesterday", "2024-10-10", [("2024-10-09", "", "day", "on")]),
    ],
)
def test_dates_resolved_against_publication(sentence, published, expected):
    assert _dates(sentence, published) == expected


def test_no_day_is_invented_when_the_day_of_publication_is_unknown():
    found = find_dates("The minister spoke on Monday.", Published.parse("2024-10"))
    assert [(d.date, d.precision) for d in found] == [("2024-10", "month")]
    assert "cannot be placed" in found[0].problem


def test_weekday_that_disagrees_with_the_date_is_flagged():
    (found,) = find_dates("They met on Friday, May 25.", Published.parse("2023-05"))
    assert found.date == "2023-05-25" and "Thursday" in found.problem


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer(DATA / "places.csv")


def test_places_and_alternative_spellings(gazetteer):
    result = gazetteer.match(
        "Clashes in Badakshan, Kondoz and Taliqan; troops at the 201st Russian military base."
    )
    assert result.ids == ["badakhshan", "kunduz", "taloqan", "base-201-dushanbe", "base-201-bokhtar"]


def test_the_two_badakhshans_are_not_confused(gazetteer):
    assert gazetteer.match("Fighters in Afghanistan's Badakhshan province").ids == [
        "afghanistan",
        "badakhshan",
    ]
    assert "gorno-badakhshan" in gazetteer.match("Clashes in Tajikistan’s Badakhshan region.").ids
    assert gazetteer.match("Gorno-Badakhshan and Badakhshan").ids == ["gorno-badakhshan", "badakhshan"]


def test_fayzabad_settled_by_context_or_left_off_the_map(gazetteer):
    assert gazetteer.match("Attack near Faizabad, the capital of Badakhshan.").ids[0] == "fayzabad-badakhshan"
    assert gazetteer.match("Attack near Fayzabad.", "Officials in Faryab said").ids == ["fayzabad-faryab"]
    alone = gazetteer.match("Attack near Fayzabad.")
    assert alone.ids == [] and "fayzabad-badakhshan or fayzabad-faryab" in alone.ambiguous[0]


def test_province_and_city_of_the_same_name(gazetteer):
    assert gazetteer.match("Fighting in Kunduz city.").ids == ["kunduz-city"]
    assert gazetteer.match("Fighting in Kunduz province.").ids == ["kunduz"]


def test_misspelling_matches_fuzzily_and_says_so(gazetteer):
    (match,) = gazetteer.match("Militants entered Kondooz overnight.").matches
    assert match.place_id == "kunduz" and match.how.startswith("fuzzy")


def test_unknown_places_are_proposed_not_mapped(gazetteer):
    result = gazetteer.match("An attack in Khost province and the district of Dand.")
    assert result.ids == []
    assert [(p.name, p.kind) for p in result.proposals] == [("Khost", "province"), ("Dand", "town")]


def test_border_between_two_named_countries(gazetteer):
    result = gazetteer.match(
        "Tajikistan is separated from Afghanistan by the longest border in Central Asia."
    )
    assert "afg-tjk-border" in result.ids


@pytest.fixture()
def people() -> People:
    return load_people(DATA, "Hasht-e Subh (8am.media, English)")


@pytest.mark.parametrize(
    ("sentence", "claimant", "relays"),
    [
        (
            "The Secretary General of CSTO, Imangali Tasmagambetov, told the Russian news agency TASS "
            "that efforts "
            "are underway.",
            "tasmagambetov",
            ["tass"],
        ),
        (
            "As reported by the Russian News Agency, TASS, the Chief of the CSTO Joint Staff, "
            "Colonel General "
            "Anatoly Sidorov, has said “there is no problem.”",
            "sidorov",
            ["tass"],
        ),
        (
            "Last year, according to the commander of the Tajik border troops, "
            "about 1.5 thousand militants were "
            "concentrated nearby.",
            "tajik-border-commander",
            [],
        ),
        (
            "Most tasks will fall on the Russian side, Omar Nessar, a researcher, told Izvestia.",
            "nessar",
            ["izvestia"],
        ),
        ("The drills drew over 4,000 military personnel, as reported by the media.", "media", ["media"]),
    ],
)
def test_claimant_and_relay(people, sentence, claimant, relays):
    result = people.attribute(sentence)
    assert (result.claimant, result.relayed_by) == (claimant, relays)


def test_the_documents_own_outlet_is_no_relay():
    people = load_people(DATA, "Izvestia (English edition)")
    result = people.attribute(
        "Most tasks will fall on the Russian side, Omar Nessar, a researcher, told Izvestia."
    )
    assert (result.claimant, result.relayed_by) == ("nessar", [])


def test_pronoun_refers_back_to_the_last_speaker(people):
    people.attribute(
        "Meanwhile, Rustam Emomali, the speaker of Tajikistan’s parliament, said that it is hard."
    )
    assert people.attribute("“It is a breeding ground,” he emphasized.").claimant == "rustam-emomali"


def test_sentences_keep_offsets():
    text = "First sentence. Second one, with Dr. Smith.\n\nA heading\n\nThird paragraph here."
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
    assert [s.text for s in split_sentences(text)][-1] == "Third paragraph here."


def test_bad_input_is_refused_naming_the_file(tmp_path):
    cases = {
        "empty.txt": b"",
        "blank.txt": b" \n\n\t",
        "binary.txt": b"PK\x03\x04\x00\x00binary",
        "latin1.txt": "Kundûz".encode("latin-1"),
        "empty.html": b"<html><body><script>x=1</script></body></html>",
    }
    messages = {
        "empty.txt": "empty",
        "blank.txt": "empty",
        "binary.txt": "NUL",
        "latin1.txt": "UTF-8",
        "empty.html": "no visible text",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ArticleError) as info:
            read_article(path)
        assert str(path) in str(info.value) and messages[name] in str(info.value)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 101)
    with pytest.raises(ArticleError, match="limit"):
        read_article(big, max_bytes=100)
    with pytest.raises(ArticleError, match="cannot read"):
        read_article(tmp_path / "missing.txt")


def test_html_page_gives_visible_text_only(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><script>var a='9,999 fighters';</script></head><body><nav>Menu</nav>"
        "<p>Up to 6,500 members &amp; more.</p><p>Second&nbsp;paragraph.</p></body></html>",
        encoding="utf-8",
    )
    article = read_article(page)
    assert article.from_html
    assert article.text == "Up to 6,500 members & more.\n\nSecond paragraph.\n"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # equipment of any kind, with words between the number and the noun
        ("The base received 30 modernized T-72B3M tanks.", (None, 30, None, "exact", "equipment_items")),
        (
            "It will get 12 Tornado-G multiple launch rocket systems.",
            (None, 12, None, "exact", "equipment_items"),
        ),
        ("at least 20 BTR-82A armoured personnel carriers", (20, None, None, "at_least", "equipment_items")),
        (
            "about 250 pieces of weapons and military equipment",
            (None, 250, None, "approximately", "equipment_items"),
        ),
        ("Police found three AK-47 rifles in the house.", (None, 3, None, "exact", "equipment_items")),
        ("The group included 16 aircraft and helicopters.", (None, 16, None, "exact", "equipment_items")),
        # weights, money in other currencies, power, ammunition
        ("Guards seized 38 kilograms of hashish.", (None, 38, None, "exact", "kg")),
        ("more than 4.5 tonnes of drugs", (4.5, None, None, "more_than", "tonnes")),
        ("The budget is 450 million rubles.", (None, 450e6, None, "exact", "RUB")),
        ("The posts cost 45 million somoni.", (None, 45e6, None, "exact", "TJS")),
        ("Trade last year exceeded $1 billion.", (1e9, None, None, "more_than", "USD")),
        ("They opened a 24-megawatt power plant.", (None, 24, None, "exact", "MW")),
        ("Soldiers seized 600 rounds of ammunition.", (None, 600, None, "exact", "rounds")),
        # organisations, schools, posts, incidents, exercises, people
        ("The list now includes 20 organisations.", (None, 20, None, "exact", "organisations")),
        ("The register names 5 entities.", (None, 5, None, "exact", "organisations")),
        ("The president opened 7 schools.", (None, 7, None, "exact", "schools")),
        ("the construction of 15 border outposts", (None, 15, None, "exact", "border_posts")),
        ("Guards recorded 14 armed clashes with smugglers.", (None, 14, None, "exact", "incidents")),
        ("The base took part in 12 joint exercises.", (None, 12, None, "exact", "exercises")),
        ("About 9,000 Afghan refugees live in the town.", (None, 9000, None, "approximately", "people")),
        # anything else counted after a number is proposed as its own unit
        ("They built 64 schools with 19,500 places.", None),
        ("At least 30 houses were searched.", (30, None, None, "at_least", "houses")),
    ],
)
def test_figures_of_every_kind(sentence, expected):
    if expected is None:  # two figures: checked by unit
        assert [(f.best, f.unit) for f in extract_figures(sentence)] == [(64, "schools"), (19500, "places")]
        return
    assert _one(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Eleven people were killed and 23 wounded.", [(11, "people_killed"), (23, "people_wounded")]),
        (
            "Gunmen killed five fighters and wounded two others.",
            [(5, "people_killed"), (2, "people_wounded")],
        ),
        ("Guards shot dead two drug smugglers.", [(2, "people_killed")]),
        ("Four violators were eliminated.", [(4, "people_killed")]),
        ("Two servicemen received wounds of moderate severity.", [(2, "people_wounded")]),
        ("At least 15 people had died.", [(15, "people_killed")]),
        ("Police detained three men suspected of smuggling.", [(3, "people_detained")]),
        (
            "Two Afghan citizens who tried to carry the cargo across the river were detained.",
            [(2, "people_detained")],
        ),
        ("Attacks killed or wounded more than 600 civilians.", [(600, "people_casualties")]),
        ("A Taliban fighter was wounded.", [(1, "people_wounded")]),
        ("The spokesman put the death toll at seven.", [(7, "people_killed")]),
    ],
)
def test_casualties_and_arrests(sentence, expected):
    assert [(f.best or f.low, f.unit) for f in extract_figures(sentence)] == expected


def test_an_arrest_of_group_members_is_proposed_as_members_and_as_an_arrest():
    units = [f.unit for f in extract_figures("The Taliban arrested 12 members of ISKP.")]
    assert units == ["members", "people_detained"]


def test_a_compared_number_and_a_strength_take_the_unit_named_before():
    figures = extract_figures("Guards recorded 14 armed clashes last year, up from nine in 2023.")
    assert [(f.best, f.unit) for f in figures] == [(14, "incidents"), (9, "incidents")]
    (f,) = extract_figures("Tajikistan relies on its border troops, some 16,000 strong.")
    assert (f.best, f.unit, f.qualifier) == (16000, "troops", "approximately")


@pytest.mark.parametrize(
    "sentence",
    [
        "Its units train on new 152 mm howitzers.",
        "In the first six months of the year, trade fell.",
        "The talks lasted two days.",
        "Three decades ago, the war began.",
        "Six CSTO member states signed.",
    ],
)
def test_calibres_time_and_states_are_not_figures(sentence):
    assert extract_figures(sentence) == []
