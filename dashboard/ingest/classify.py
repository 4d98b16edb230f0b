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
    (
        "report",
        r"\b(?:a|the|previous|in a|latest|new) report\b|report by|report of the|"
        r"(?:monitoring|team|UN|U\.N\.|annual) report\b",
    ),
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


# Verbs that tell a happening by themselves, with the event type they most often mean. A sentence with
# no event word above but one of these is still an event: recall first, the reviewer rejects the rest.
HAPPENING_VERBS: list[tuple[str, str]] = [
    (
        "border_incident",
        r"crossed|exchanged fire|opened fire from|fired (?:rockets|shells|mortars?) (?:from|across|at)|"
        r"fled across|broke through",
    ),
    (
        "security_incident",
        r"killed|killing|ambushed|attacked|detonated|exploded|ripped through|blew up|shot dead|"
        r"(?:were|was) (?:killed|wounded|injured|detained|arrested|eliminated|neutrali[sz]ed|captured)|"
        r"detained|arrested|captured|seized|raided|dismantled|deported|neutrali[sz]ed|eliminated|"
        r"launched an operation|carried out|opened fire|abducted|kidnapped|occurred|happened|clashed",
    ),
    (
        "designation_change",
        r"removed .{0,60}\blist|excluded .{0,60}\blist|suspended the ban|lifted the ban|"
        r"(?:first )?designated|(?:was|were) banned|granted .{0,20}exemption|delisting",
    ),
    ("treaty", r"signed|ratified|extended the agreement"),
    ("founding", r"(?:were|was) (?:created|founded|established|formed)|reorgani[sz]ed as"),
    ("withdrawal", r"withdrew|froze its participation|(?:were|was) (?:reportedly )?moved to|pulled out"),
    (
        "programme_milestone",
        r"delivered|received|(?:have|has|had) arrived|arrived at|put into operation|commissioned|inaugurated|"
        r"opened a|(?:was|were) opened|began training|is to close|will be built|construction .{0,30}began|"
        r"(?:is|are) due to start|supplied|began|begun|started|ended|concluded|completed",
    ),
    (
        "meeting",
        r"\bmet\b|will visit|to visit|visited|arrived in|observed|took part|held talks|is expected in|"
        r"(?:will be|was|were) held|took place|held on|held in|ceremony|(?:was|were) attended|"
        r"(?:due|expected) to review|will review|considered the case|heard the case",
    ),
    (
        "statement",
        r"claimed responsibility|instructed|recommended|ordered|complained|expressed (?:regret|concern)|"
        r"called on|promised|pledged|approved|adopted|submitted|asked for|requested|"
        r"decision was (?:taken|made)|decided|took a (?:\w+ )?step",
    ),
]
_HAPPENING_RE = [(t, re.compile(rf"\b(?:{w})", re.IGNORECASE)) for t, w in HAPPENING_VERBS]
# Words telling that a sentence goes on about the incident just told ("in the clash", "during searches").
INCIDENT_BACKREF = re.compile(
    r"\b(?:the|this|that)\s+(?:\w+\s+)?(?:clash|attack|ambush|raid|blast|bombing|explosion|incident|"
    r"operation|shooting|exchange of fire|assault|seizure|crossing|convoy|drills|exercise|manoeuvres)\b|"
    r"\bduring (?:the )?(?:searches|operation|raid)\b|\bat the scene\b|\b(?:was|were) also\b",
    re.IGNORECASE,
)


def happening(sentence: str) -> tuple[str, int] | None:
    """The event type and position of the first verb telling a happening, if the sentence has one."""
    found = [(m.start(), t) for t, regex in _HAPPENING_RE for m in [regex.search(sentence)] if m]
    if not found:
        return None
    position, event_type = min(found)
    return event_type, position


#: Units of figures that tell an incident (its casualties, arrests, seizures) and the event types of one.
INCIDENT_UNITS = ("people_killed", "people_wounded", "people_detained", "people_casualties")
INCIDENT_TYPES = ("border_incident", "security_incident")
