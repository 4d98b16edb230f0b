"""What a figure counts: the noun after the number, or the verb around it for casualties and arrests.

Known nouns map to the schema's units (``fighters``, ``troops``, ``equipment_items``…) or to units a
reviewer can add (``kg``, ``people_detained``, ``incidents``…); any other plural noun right after a
number is proposed as its own unit ("19,500 places" -> ``places``), so that no countable quantity is
lost: the reviewer rejects what is not worth a record.
"""

from __future__ import annotations

import re

# What a figure counts, by the noun that follows it. Order matters: longer phrases first.
UNIT_NOUNS: list[tuple[str, str]] = [
    (r"types? of (?:\w+ )?(?:military )?(?:equipment|hardware|weapons?)", "equipment_types"),
    (r"(?:units?|pieces?|items?) of (?:[\w-]+ ){0,4}?(?:equipment|hardware)", "equipment_items"),
    (
        r"tanks|armou?red (?:personnel carriers|vehicles)|personnel carriers|infantry fighting vehicles|"
        r"vehicles|trucks|helicopters|aircraft|planes|jets|drones|UAVs|"
        r"(?:rocket|missile|launch|air defen[cs]e) systems|(?:grenade |rocket )?launchers|howitzers|guns|"
        r"artillery pieces|mortars|rifles|pistols|machine guns|weapons|firearms|(?:suicide )?vests|"
        r"explosive devices|IEDs|mines|boats|grenades",
        "equipment_items",
    ),
    (
        r"military personnel|servicem[ae]n|service ?members|soldiers|troops|personnel|border guards|"
        r"military|peacekeepers|officers",
        "troops",
    ),
    (
        r"fighters?|militants?|armed men|insurgents?|jihadists?|gunmen|combatants|mercenaries|terrorists|"
        r"extremists|bombers",
        "fighters",
    ),
    (r"members?(?! (?:states?|countries|country|nations?|governments?)\b)", "members"),
    (r"organi[sz]ations?|groups?|factions?|cells|movements|entities", "organisations"),
    (r"madrass?ah?s?|madrass?as?|religious schools|seminaries", "madrassas"),
    (r"schools", "schools"),
    (r"(?:border |frontier )?(?:out)?posts|(?:border )?commandant['’]?s? offices", "border_posts"),
    (
        r"attacks|clashes|incidents|attempts|raids|ambushes|explosions|bombings|violations|skirmishes|"
        r"provocations",
        "incidents",
    ),
    (r"exercises|drills|manoeuvres|maneuvers", "exercises"),
    (r"sorties", "sorties"),
    (r"rounds(?: of ammunition)?|cartridges|bullets", "rounds"),
    (r"km|kilomet(?:er|re)s?", "km"),
    (r"kilograms?|kilos?|kg", "kg"),
    (r"(?:metric )?tonnes?|(?:metric )?tons?", "tonnes"),
    (r"megawatts?|MW", "MW"),
    (r"dollars|US dollars|USD", "USD"),
    (r"rubles|roubles", "RUB"),
    (r"somoni", "TJS"),
    (r"euros?", "EUR"),
    (r"afghanis", "AFN"),
    (
        r"people|persons|civilians|residents|villagers|children|women|men|refugees|migrants|"
        r"asylum seekers|Afghans|Tajiks|citizens|nationals|pupils|students|workers|specialists|officials|"
        r"prisoners|pilgrims|individuals|suspects|smugglers|worshippers|protesters|violators|families|"
        r"others",
        "people",
    ),
]
UNIT_RE = [(re.compile(rf"(?:{nouns})\b", re.IGNORECASE), unit) for nouns, unit in UNIT_NOUNS]

# Plural nouns after a number that are no count worth a record: time, shares, parts of texts, sides.
_NOT_COUNTED = frozenset(
    "years months weeks days hours minutes seconds decades centuries times percent points stages phases "
    "articles paragraphs pages chapters sections clauses countries states nations sides parties provinces "
    "districts regions cities languages ways kinds steps things words lines issues questions categories "
    "levels ones items cases sessions rows letters names terms rounds decades fronts directions".split()
)
_PLURAL_WORD = re.compile(r"[a-z]{3,}s\b")
_FUNCTION_WORDS = frozenset(
    "of and or in on at to from with the who which that were was are is have had has will would does "
    "goes comes its his hers ours theirs this these those".split()
)

_CASUALTY_UNITS = {
    "killed": "people_killed",
    "dead": "people_killed",
    "died": "people_killed",
    "death": "people_killed",
    "eliminated": "people_killed",
    "neutralized": "people_killed",
    "neutralised": "people_killed",
    "shot": "people_killed",
    "lost": "people_killed",
    "wounded": "people_wounded",
    "injured": "people_wounded",
    "hurt": "people_wounded",
    "received": "people_wounded",
    "sustained": "people_wounded",
    "detained": "people_detained",
    "arrested": "people_detained",
    "captured": "people_detained",
    "apprehended": "people_detained",
    "charged": "people_detained",
    "arrest": "people_detained",
    "detention": "people_detained",
    "casualties": "people_casualties",
    "or": "people_casualties",
}
_AFTER_VERBS = (
    r"killed|dead|died|wounded|injured|hurt|eliminated|neutrali[sz]ed|detained|arrested|captured|"
    r"apprehended|charged"
)
KILLED_AFTER = re.compile(
    rf"^(?:\s+[a-z][\w’'-]*){{0,12}}?\s+(?:were|was|have been|had been|has been|are|got|had|have|has)\s+"
    rf"(?:\w+\s+)?(?P<verb>{_AFTER_VERBS})\b|"
    rf"^(?:\s+[a-z][\w’'-]*){{0,4}}?\s+(?P<verb3>received|sustained) (?:\w+ )?(?:wounds|injuries)\b|"
    r"^\s+(?:people\s+|others\s+)?(?P<verb2>dead|killed|wounded|injured|detained|arrested)\b",
    re.IGNORECASE,
)
KILLED_BEFORE = re.compile(
    r"\b(?P<verb>killed or wounded|killed or injured|killed|killing|kills|kill|eliminated|eliminating|"
    r"neutrali[sz]ed|neutrali[sz]ing|shot dead|wounded|wounding|injured|injuring|detained|detaining|"
    r"arrested|arresting|captured|capturing|apprehended|the arrest of|the detention of|"
    r"death toll (?:rose )?(?:of|to|at))\s+"
    r"(?:(?:an estimated|at least|about|some|more than|over|up to|nearly|almost|around)\s+)?$",
    re.IGNORECASE,
)


def casualty_unit(verb: str) -> str:
    """The unit a casualty or arrest verb gives a figure ("wounded" -> ``people_wounded``)."""
    words = verb.lower().split()
    if "or" in words:
        return "people_casualties"
    key = words[1] if words[0] == "the" else words[0]  # "the arrest of" -> "arrest"
    if key.startswith(("kill", "elimin", "neutrali")):
        return "people_killed"
    if key.startswith(("wound", "injur")):
        return "people_wounded"
    if key.startswith(("detain", "arrest", "captur")):
        return "people_detained"
    return _CASUALTY_UNITS.get(key, "people_killed")


def unit_after(sentence: str, pos: int) -> tuple[str | None, int]:
    """The unit named by the words right after ``pos`` and where they end.

    Up to four words may stand between the number and the noun ("30 modernized T-72B3M tanks"),
    but not a joining word ("in 20 countries' organisations" is no count of organisations). When no
    known noun comes, a plural noun right after the number is its own unit.
    """
    rest = sentence[pos:]
    lead = re.match(r"(?:-|\s*)(?:\(\w+\)\s*)?", rest)
    offset = lead.end() if lead else 0
    for skip in range(0, 5):
        m = re.match(rf"(?:[A-Za-z][\w’'-]*\s+){{{skip}}}", rest[offset:])
        if m is None:
            break
        at = offset + m.end()
        for regex, unit in UNIT_RE:
            um = regex.match(rest, at)
            if um:
                between = rest[offset:at].lower()
                if re.search(r"\b(?:of|and|or|in|on|at|to|from|with|who|which|that|the)\b", between):
                    return None, pos
                return unit, pos + um.end()
    return _plain_plural(rest, offset, pos)


def _plain_plural(rest: str, offset: int, pos: int) -> tuple[str | None, int]:
    """ "19,500 places", "30 houses": a plural noun right after the number (or one word after it)."""
    m = re.match(r"(?:(?P<adj>[a-z][\w-]*)\s+)?(?P<noun>[a-z]{3,}s)\b", rest[offset:])
    if m is None:
        return None, pos
    noun, adj = m.group("noun"), m.group("adj")
    if adj and (adj in _NOT_COUNTED or adj in _FUNCTION_WORDS or _PLURAL_WORD.fullmatch(adj)):
        return None, pos
    if noun in _NOT_COUNTED or noun in _FUNCTION_WORDS or noun.endswith(("ss", "us", "is")):
        return None, pos
    return noun, pos + offset + m.end()


def last_unit_named(text: str) -> str | None:
    """The unit of the last counted noun in ``text`` ("militants from Central Asia" -> fighters)."""
    best: tuple[int, str] | None = None
    for regex, unit in UNIT_RE:
        for m in re.finditer(rf"\b{regex.pattern}", text, re.IGNORECASE):
            if best is None or m.start() > best[0]:
                best = (m.start(), unit)
    return best[1] if best else None
