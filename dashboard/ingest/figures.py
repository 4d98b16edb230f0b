"""Find the figures a sentence states and what each counts, with approximate wording kept as a range.

"up to 6,500 members" -> high 6500, up_to; "over 6,000" -> low 6000, more_than; "about 1.5 thousand
militants" -> best 1500, approximately; "at least several hundred" -> low 300, at_least; "$9.4 billion"
-> best 9.4e9 USD. A number is only a figure when the words after it say what it counts (or, in
"up to 6,500 members, with 4,000 located ...", when the sentence's previous figure does); years, days
of the month, ordinals and article numbers are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dashboard.ingest.units import KILLED_AFTER, KILLED_BEFORE, casualty_unit, last_unit_named, unit_after

#: Number words up to nineteen (also what relative dates count in: "two days ago").
SMALL_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a dozen": 12,
    "dozen": 12,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_MULT = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "mln": 1_000_000, "billion": 1e9, "bn": 1e9}

# "several" and "a few" give a lower bound of three of the multiplier: "several hundred" is 300 or more.
_VAGUE_MULTIPLE = {"several": 3, "a few": 3, "a couple of": 2}
# "dozens of" etc.: the smallest amount the plural allows, kept as a lower bound.
_VAGUE_PLURAL = {
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2_000,
    "tens of thousands": 20_000,
    "hundreds of thousands": 200_000,
}

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORD = "|".join(sorted(list(SMALL_NUMBERS) + list(_TENS), key=len, reverse=True))
_WORDNUM = rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|{_WORD})"
_MULTS = "|".join(_MULT)
_NUMBER = re.compile(
    rf"(?P<cur>US\$|\$|USD ?)?"
    rf"(?:(?P<digits>{_DIGITS})|(?P<a>\ban?)|(?P<vm>\b(?:several|a few|a couple of))"
    rf"|(?P<word>\b{_WORDNUM})\b)"
    rf"(?:[ \u00a0]?(?P<mult>(?:{_MULTS})\b))?"
    rf"(?:\s*(?:-|–|—|to|and)\s*(?P<digits2>{_DIGITS})(?:[ \u00a0]?(?P<mult2>(?:{_MULTS})\b))?)?",
    re.IGNORECASE,
)
_PLURAL = re.compile(
    r"\b(?P<vp>tens of thousands|hundreds of thousands|dozens|scores|hundreds|thousands)\s+of\b",
    re.IGNORECASE,
)

# Words before a number and what they make of it.
_QUALIFIERS: list[tuple[str, str]] = [
    (r"up to|as many as|fewer than|less than|under|no more than|not more than|a maximum of", "up_to"),
    (
        r"more than|over|in excess of|upwards of|above|exceeding|(?:has |have |had )?exceeded|exceeds|topped",
        "more_than",
    ),
    (r"at least|no fewer than|no less than|not less than|a minimum of|a total of at least", "at_least"),
    (
        r"approximately|about|around|some|roughly|nearly|almost|an estimated|estimated at|close to|"
        r"circa|approx\.|up to about|a reported",
        "approximately",
    ),
    (r"between|from", "range"),
]
_QUALIFIER_RE = [(re.compile(rf"\b(?:{words})\s*$", re.IGNORECASE), q) for words, q in _QUALIFIERS]

_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:article|articles|resolution|paragraph|chapter|section|no\.|number|page|stage|phase|"
    r"clause|point|since|until|till|before|after|through)\s+$)"
    r"|(?:\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+$)",
    re.IGNORECASE,
)
_MONTH_AFTER = re.compile(
    r"^\s*(?:st|nd|rd|th)?\s*(?:of\s+)?(?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b",
    re.IGNORECASE,
)


# Units a casualty verb does not turn into a casualty count ("seized 38 kilograms", "two vehicles").
_NOT_PEOPLE = frozenset(
    "equipment_items equipment_types kg tonnes km USD RUB TJS EUR AFN MW rounds border_posts schools "
    "madrassas exercises sorties organisations".split()
)
_PERSON_UNITS = ("fighters", "troops", "members", "people")
# "up from nine", "compared with 12": a bare number compared with the previous figure counts the same.
_COMPARED = re.compile(
    r"\b(?:up|down|up from|down from|compared with|against|versus|another|a further)\s+$", re.IGNORECASE
)


@dataclass(frozen=True)
class Figure:
    """A figure as a sentence states it; offsets are relative to the sentence."""

    start: int
    end: int
    text: str  # the words of the figure, qualifier included ("up to 6,500 members")
    low: float | None
    best: float | None
    high: float | None
    qualifier: str  # exact, approximately, more_than, at_least, up_to, range
    unit: str
    unit_inferred: bool = False  # the unit was taken from the sentence's previous figure


def _value(digits: str | None, word: str | None, mult: str | None) -> float:
    if digits is not None:
        base = float(digits.replace(",", ""))
    else:
        w = (word or "").lower().replace("-", " ")
        if w in ("a", "an"):
            base = 1.0
        elif w in SMALL_NUMBERS:
            base = float(SMALL_NUMBERS[w])
        else:
            parts = w.split()
            base = float(_TENS[parts[0]] + (SMALL_NUMBERS[parts[1]] if len(parts) > 1 else 0))
    if mult:
        base *= _MULT[mult.lower()]
    return base


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    return float(round(value)) if abs(value - round(value)) < 1e-6 else value


def extract_figures(sentence: str) -> list[Figure]:
    """Return every figure in ``sentence`` whose unit is known, in order of appearance."""
    figures = _plural_figures(sentence)
    taken = [(f.start, f.end) for f in figures]
    last_unit: str | None = None
    for m in _NUMBER.finditer(sentence):
        if any(a <= m.start() < b for a, b in taken):
            continue
        figure = _number_figure(sentence, m, last_unit)
        if figure is None:
            continue
        last_unit = figure.unit
        figures.append(figure)
        taken.append((figure.start, figure.end))
        if figure.unit in ("members", "fighters") and _casualty(sentence, figure.start, figure.end) == (
            "people_detained"
        ):
            # "arrested 12 members of ISKP": the group's members, and an arrest; the reviewer keeps one
            figures.append(replace(figure, unit="people_detained"))
    figures.sort(key=lambda f: f.start)
    return figures


def _plural_figures(sentence: str) -> list[Figure]:
    """ "dozens of armed men", "hundreds of fighters": the least the plural allows, as a lower bound."""
    figures = []
    for m in _PLURAL.finditer(sentence):
        unit, end = unit_after(sentence, m.end())
        if unit is None:
            end = m.end()
        verb_unit = _casualty(sentence, m.start(), end)
        unit = verb_unit or unit
        if not unit:
            continue
        low = float(_VAGUE_PLURAL[m.group("vp").lower()])
        figures.append(Figure(m.start(), end, sentence[m.start() : end], low, None, None, "at_least", unit))
    return figures


def _number_figure(sentence: str, m: re.Match[str], last_unit: str | None) -> Figure | None:
    """The figure a number match states, or None when it is no count or counts nothing named."""
    if (m.group("a") or m.group("vm")) and not m.group("mult"):
        # "a" alone is an article, "several" alone no number; but "a Taliban fighter was wounded" is one
        return _one_casualty(sentence, m) if m.group("a") else None
    digits, mult = m.group("digits"), m.group("mult")
    if digits and _is_not_count(sentence, m.start(), m.end(), digits, mult):
        return None
    extent = _number_extent(sentence, m)
    if extent is None:
        return None
    end, is_range = extent
    qualifier, q_start = _qualifier_before(sentence, m.start())
    low, best, high, qualifier = _bounds(m, qualifier, is_range)
    counted = _unit_of(sentence, m, end, q_start, last_unit)
    if counted is None:
        return None
    unit, unit_end, inferred = counted
    values = (_clean(low), _clean(best), _clean(high))
    return Figure(q_start, unit_end, sentence[q_start:unit_end], *values, qualifier, unit, inferred)


def _unit_of(
    sentence: str, m: re.Match[str], end: int, q_start: int, last_unit: str | None
) -> tuple[str, int, bool] | None:
    """(unit, where the figure ends, whether the unit was inferred) of a number; None if it counts nothing."""
    unit, unit_end = _stated_unit(sentence, m, end)
    verb_unit = _casualty(sentence, q_start, unit_end if unit else end)
    if (
        verb_unit
        and unit not in _NOT_PEOPLE
        and not (verb_unit == "people_detained" and unit in ("members", "fighters"))
    ):
        unit, unit_end = verb_unit, max(unit_end, end)
    if unit is not None:
        return unit, unit_end, False
    referred = _unit_by_reference(sentence, end, q_start, last_unit, bool(m.group("word")))
    return None if referred is None else (*referred, True)


def _number_extent(sentence: str, m: re.Match[str]) -> tuple[int, bool] | None:
    """Where the number ends and whether it is a range; None for a span of years ("2026-2027")."""
    digits, mult = m.group("digits"), m.group("mult")
    is_range = bool(m.group("digits2")) and _range_intended(sentence, m.start(), m)
    end = m.end()
    if m.group("digits2") and not is_range:
        # "2026-2027": a span of years, not a figure; otherwise keep the first number alone
        if digits and re.fullmatch(r"(?:19|20)\d\d", digits):
            return None
        end = m.end("mult") if mult else m.end("digits") if digits else m.end("word")
    return end, is_range


def _qualifier_before(sentence: str, start: int) -> tuple[str, int]:
    """The qualifier the words before a number give it ("up to", "over", ...) and where they start."""
    before = sentence[:start]
    for regex, qualifier in _QUALIFIER_RE:
        qm = regex.search(before)
        if qm:
            return qualifier, qm.start()
    return "exact", start


def _bounds(
    m: re.Match[str], qualifier: str, is_range: bool
) -> tuple[float | None, float | None, float | None, str]:
    """(low, best, high, qualifier) of a number: a bound for "over"/"up to", both ends of a range."""
    digits, mult = m.group("digits"), m.group("mult")
    if m.group("vm"):
        value = _VAGUE_MULTIPLE[m.group("vm").lower()] * _MULT[mult.lower()]
        return float(value), None, None, "at_least"
    value = _value(digits, m.group("word") or m.group("a"), mult)
    if is_range:
        return value, None, _value(m.group("digits2"), None, m.group("mult2") or mult), "range"
    if qualifier in ("more_than", "at_least"):
        return value, None, None, qualifier
    if qualifier == "up_to":
        return None, None, value, qualifier
    if qualifier == "range":  # "from 20" without a second number
        qualifier = "exact"
    return None, value, None, qualifier


def _stated_unit(sentence: str, m: re.Match[str], end: int) -> tuple[str | None, int]:
    """The unit the number's own words give ("$9.4 billion", "6,500 members") and where they end."""
    if not m.group("cur"):
        return unit_after(sentence, end)
    after = re.match(r"\s*(?:US\s)?dollars\b", sentence[end:])
    return "USD", end + after.end() if after else end


def _unit_by_reference(
    sentence: str, end: int, q_start: int, last_unit: str | None, is_word: bool
) -> tuple[str, int] | None:
    """The unit of a number that names none, taken from before it, and where the figure ends.

    "several hundred of them": what "them" counts is the last unit noun named before; "6,500 members,
    with 4,000 located ...": a number in digits followed by where they are counts the previous unit.
    """
    if re.match(r"\s+strong\b", sentence[end:]):  # "its border troops, some 16,000 strong"
        unit = last_unit_named(sentence[:q_start])
        return (unit, end) if unit else None
    if last_unit and _COMPARED.search(sentence[:q_start]):  # "14 clashes last year, up from nine"
        return last_unit, end
    of_them = re.match(r"\s+of (?:them|these|those)\b", sentence[end:])
    if of_them:
        unit = last_unit_named(sentence[:q_start]) or last_unit
        if unit:
            return unit, end + len(re.match(r"\s+of \w+", sentence[end:]).group(0))
    if last_unit is None or is_word:
        return None
    if not re.match(
        r"\s+(?:located|concentrated|based|deployed|stationed|near|along|in|on|at)\b", sentence[end:]
    ):
        return None
    return last_unit, end


def _is_not_count(sentence: str, start: int, end: int, digits: str, mult: str | None) -> bool:
    """Years, days of the month, ordinals, article numbers and the like."""
    if start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in "-/"):
        return True  # part of a word or a code ("ISIS-K", "COVID-19")
    after = sentence[end : end + 3]
    if re.match(r"\s*-?mm\b|\s*-?(?:calibre|caliber)\b", sentence[end : end + 12]):
        return True  # "152 mm howitzers": a calibre
    if re.match(r"(?:st|nd|rd|th)\b", after) or re.match(r"\s*%|\s*per ?cent", sentence[end : end + 9]):
        return True
    if (
        _NOT_A_COUNT_BEFORE.search(sentence[:start])
        and not mult
        and not re.match(
            r"\s+(?:\w+\s+){0,2}?(?:fighters|militants|members|troops|km|madrass)", sentence[end:]
        )
    ):
        return True
    if _MONTH_AFTER.match(sentence[end:]) or re.search(r"\b\d{1,2}:\s*$", sentence[:start]):
        return True
    if re.fullmatch(r"(?:19|20)\d\d", digits) and not mult:
        unit, _ = unit_after(sentence, end)
        return unit is None
    return False


def _range_intended(sentence: str, start: int, m: re.Match[str]) -> bool:
    """ "between 2,000 and 3,000 fighters", "3,000-4,000 fighters" are ranges; "2026-2027" is years."""
    joiner = sentence[m.end("digits") if m.group("digits") else start : m.start("digits2")].strip().lower()
    if joiner == "and":
        return bool(re.search(r"\bbetween\s*$", sentence[:start], re.IGNORECASE))
    if joiner == "to":
        return bool(re.search(r"\bfrom\s*$", sentence[:start], re.IGNORECASE)) or bool(
            unit_after(sentence, m.end())[0]
        )
    first = m.group("digits") or ""
    second = m.group("digits2") or ""
    both_years = all(re.fullmatch(r"(?:19|20)\d\d", x) for x in (first, second))
    return not both_years


def _casualty(sentence: str, start: int, end: int) -> str | None:
    """The unit a casualty or arrest verb around a figure gives it: "killed three members", "12 people
    were killed", "detained 27 members", "two servicemen received wounds"."""
    m = KILLED_BEFORE.search(sentence[:start])
    if m:
        return casualty_unit(m.group("verb"))
    m = KILLED_AFTER.match(sentence[end:])
    if m:
        return casualty_unit(m.group("verb") or m.group("verb2") or m.group("verb3"))
    return None


def _one_casualty(sentence: str, m: re.Match[str]) -> Figure | None:
    """ "a Taliban fighter was wounded": one person, when a person noun and a casualty verb follow."""
    unit, unit_end = unit_after(sentence, m.end())
    if unit not in _PERSON_UNITS:
        return None
    after = KILLED_AFTER.match(sentence[unit_end:])
    if not after or not re.match(r"\s+(?:was|has been|had been)\b", sentence[unit_end:]):
        return None
    verb_unit = casualty_unit(after.group("verb") or after.group("verb2") or after.group("verb3"))
    return Figure(m.start(), unit_end, sentence[m.start() : unit_end], None, 1.0, None, "exact", verb_unit)
