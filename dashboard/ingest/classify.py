"""What kind of record a sentence holds: the event type its words name, the topic of a figure.

Keyword rules, kept small and visible: they propose, the reviewer decides.
"""

from __future__ import annotations

import re

#: Event types and the words that name them, most specific first.
EVENT_WORDS: list[tuple[str, str]] = [
    ("exercise", r"exercises?|drills?|manoeuvres|maneuvers|war games"),
    ("treaty", r"treaty(?! organi[sz]ation)|signing of|signed an? (?:agreement|accord)"),
    ("founding", r"(?:formed|established|founded|created) in"),
    (
        "designation_change",
        r"(?:list|register) of (?:terrorist|banned|prohibited)|delist\w*|designat\w+|"
        r"ban on the activities|suspend the ban|lifted the ban|recogni[sz]ed as a terrorist",
    ),
    (
        "programme_milestone",
        r"program(?:me)?\b.*\b(?:adopted|approved|developed|launched|presented)|deliveries|"
        r"construction of|(?:was|were) completed|inaugurated|"
        r"(?:first|second|third|final) stage|(?:adopted|approved) (?:the|a) .*program",
    ),
    ("withdrawal", r"withdrawal|withdrew|pull-?out|pulled out"),
    (
        "border_incident",
        r"crossed into|crossing into|(?:tried|attempted|trying) to cross|incursion|"
        r"border guards? (?:killed|detained|repelled)|border (?:clash|incident|skirmish|violation)|"
        r"(?:killed|wounded|detained) .* (?:who|after) (?:had )?crossed|"
        r"clash(?:es)? (?:on|at|along) the border",
    ),
    (
        "security_incident",
        r"coup|attacks? (?:on|in|at|against)|bombing|explosion|(?:capture|seizure|fall) of|ambush|"
        r"assassinat\w+|"
        r"hostage|shelling",
    ),
    ("meeting", r"meeting|met\b|convened|summit|conference|talks with|session of|visited"),
    ("report", r"\b(?:a|the|previous|in a|latest|new) report\b|report by|report of the"),
    (
        "statement",
        r"statement|press release|called for|warned|criticized|criticised|declared|advised|"
        r"announced|issued a warning",
    ),
]
_EVENT_RE = [(t, re.compile(rf"\b(?:{w})", re.IGNORECASE)) for t, w in EVENT_WORDS]
# Words that refer back to an event already told ("the meeting", "this exercise"): no new event.
_BACK = re.compile(r"\b(?:this|that|these|those|such)\s+(?:\w+\s+)?$|\b(?:the|its|their)\s+$", re.IGNORECASE)
# Types strong enough to make an event even without a date in the sentence.
UNDATED_TYPES = (
    "meeting",
    "exercise",
    "report",
    "statement",
    "security_incident",
    "withdrawal",
    "programme_milestone",
    "designation_change",
)

#: Topic of a claim by the unit of its figure.
UNIT_TOPICS = {
    "fighters": "force_strength",
    "members": "force_strength",
    "organisations": "organisations",
    "troops": "force_strength",
    "equipment_types": "force_strength",
    "equipment_items": "force_strength",
    "madrassas": "infrastructure",
    "km": "border_length",
    "USD": "finance",
    "people_killed": "casualties",
    "people_wounded": "casualties",
}
_LOCATED = re.compile(
    r"\b(?:located|concentrated|concentration|relocated|deployed|stationed|based|massed|"
    r"moved to|along|near)\b",
    re.IGNORECASE,
)
_EXERCISE = re.compile(r"\b(?:exercises?|drills?|manoeuvres|maneuvers)\b", re.IGNORECASE)


def event_types(sentence: str) -> list[tuple[str, int, bool]]:
    """The event types a sentence names: (type, position, refers_back) in order of position."""
    found = []
    for event_type, regex in _EVENT_RE:
        for m in regex.finditer(sentence):
            back = bool(_BACK.search(sentence[: m.start()])) and event_type in (
                "meeting",
                "exercise",
                "statement",
            )
            found.append((event_type, m.start(), back))
            break
    # a plain "the meeting" names no new event even when another type word is in the sentence
    for m in re.finditer(
        r"\b(?:during|at|after|before) the (meeting|exercises?|drills?|summit|talks)\b",
        sentence,
        re.IGNORECASE,
    ):
        kind = "meeting" if m.group(1).lower() in ("meeting", "summit", "talks") else "exercise"
        found = [(t, p, b or (t == kind)) for t, p, b in found]
    found.sort(key=lambda t: t[1])
    return found


#: Types that only describe how something was said: another type in the same sentence names the event.
WEAK_TYPES = ("statement", "report")


def topic_for(unit: str, sentence: str, around: str = "") -> str:
    """The claim topic of a figure counting ``unit`` in ``sentence``; ``around`` is the figure's own words
    and those right after it ("4,000 located along ...": a location, not a strength)."""
    if unit in ("troops", "equipment_types", "equipment_items") and _EXERCISE.search(sentence):
        return "exercise_strength"
    topic = UNIT_TOPICS.get(unit, "force_strength")
    if topic == "force_strength" and unit in ("fighters", "members") and _LOCATED.search(around or sentence):
        return "force_location"
    return topic
