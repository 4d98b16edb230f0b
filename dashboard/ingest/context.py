"""What the drafting of one article works with: the data it matches against, and the draft so far.

``Sources`` is what the data folder knows (gazetteer, actors and groups, claims already there);
``DraftContext`` groups it with the article, what the reviewer said about it, its publication date,
the rows drafted so far and what earlier sentences established, so each sentence gets one object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.ingest.attribution import People
from dashboard.ingest.dating import DateMention, Published
from dashboard.ingest.document import DocumentInfo
from dashboard.ingest.places import Gazetteer
from dashboard.ingest.reader import Article


@dataclass
class Sources:
    """The known places, people and claims an article is matched against.

    ``people`` remembers the last speaker of the article it reads: use a fresh one for each article.
    """

    gazetteer: Gazetteer
    people: People
    claims: list[dict[str, str]] = field(default_factory=list)  # rows of claims.csv


@dataclass
class Draft:
    """The draft rows of one article and the proposals that go with them."""

    article: Article
    rows: list[dict[str, str]] = field(default_factory=list)
    proposed_actors: dict[str, dict[str, str]] = field(default_factory=dict)
    proposed_places: dict[str, dict[str, str]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many rows of each kind and status."""
        out: dict[str, int] = {}
        for row in self.rows:
            for key in (row["kind"], row["status"]):
                out[key] = out.get(key, 0) + 1
        return out


@dataclass
class Story:
    """What earlier sentences established: the date of each event told, the last speaker's date, the
    last day told (what "the following day" counts from) and the date of the last incident told (what
    "two border guards were wounded in the clash" takes)."""

    event_dates: dict[str, DateMention] = field(default_factory=dict)
    speaker: str = ""
    speaker_date: DateMention | None = None
    last_day: DateMention | None = None
    incident: DateMention | None = None


@dataclass
class DraftContext:
    """Everything the sentences of one article share while their rows are drafted."""

    info: DocumentInfo
    published: Published
    sources: Sources
    draft: Draft
    story: Story = field(default_factory=Story)
    counters: dict[str, int] = field(default_factory=lambda: {"claim": 0, "event": 0})

    @property
    def article(self) -> Article:
        """The article being drafted."""
        return self.draft.article

    def new_id(self, kind: str) -> str:
        """The next provisional id of a ``claim`` (``n-c001``) or an ``event`` (``n-e001``)."""
        self.counters[kind] += 1
        return f"n-{kind[0]}{self.counters[kind]:03d}"
