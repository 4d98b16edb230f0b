"""One article under review in the app: the drafted proposals, the reviewer's edits and decisions, and
publishing them. The same rules as the command line (``review``, ``publish``), kept on values.

Row numbers are those the draft would have as a CSV file (the first proposal is row 2), so that the
audit log and the problems name a proposal the same way whichever path it took.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dashboard.ingest.document import DocumentInfo
from dashboard.ingest.draft import draft_article
from dashboard.ingest.files import load_sources
from dashboard.ingest.publish import AcceptResult, Submission, publish
from dashboard.ingest.reader import Article, parse_article
from dashboard.ingest.review import (
    DRAFTED,
    EDITABLE,
    PUBLISHED,
    REJECTED,
    REVIEWED,
    Suggestion,
    provisional,
    status,
    suggestions,
)

FIRST_ROW = 2


@dataclass
class ReviewSession:
    """An article's proposals as drafted (``drafted``) and as the reviewer leaves them (``rows``)."""

    article: Article
    info: DocumentInfo
    rows: list[dict[str, str]]
    drafted: list[dict[str, str]]
    proposals: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    result: AcceptResult | None = None

    @classmethod
    def start(cls, name: str, data: bytes, info: DocumentInfo, data_dir: Path) -> ReviewSession:
        """Draft the article in ``data`` (text or an HTML page called ``name``) against ``data_dir``.

        Raises ``ArticleError`` for an article or a value about it that is refused (an address that is
        not http(s)), ``ValueError`` for a publication date that is not ``YYYY[-MM[-DD]]``.
        """
        article = parse_article(Path(name), data)
        draft = draft_article(article, info, load_sources(data_dir, info.outlet))
        return cls(
            article=article,
            info=info,
            rows=[dict(r) for r in draft.rows],
            drafted=[dict(r) for r in draft.rows],
            proposals={
                "actors": list(draft.proposed_actors.values()),
                "places": list(draft.proposed_places.values()),
            },
        )

    @property
    def label(self) -> str:
        """How problems and the audit log name this review."""
        return f"review of {self.article.path.name}"

    def counts(self) -> dict[str, int]:
        """Proposals by status: ``to review``, ``reviewed``, ``rejected``, ``published``."""
        out = {"to review": 0, REVIEWED: 0, REJECTED: 0, PUBLISHED: 0}
        for row in self.rows:
            value = status(row)
            out["to review" if value in DRAFTED or value not in out else value] += 1
        return out

    def context(self, i: int, width: int = 300) -> tuple[str, str, str]:
        """(before, sentence, after): proposal ``i``'s sentence in its article, within its paragraph."""
        text, row = self.article.text, self.rows[i]
        start, end = int(row.get("quote_start") or 0), int(row.get("quote_end") or 0)
        if text[start:end] != row.get("quote"):  # offsets always match a drafted quote; be safe anyway
            start = max(text.find(row.get("quote", "")), 0)
            end = start + len(row.get("quote", ""))
        before = text[max(0, start - width) : start].split("\n\n")[-1]
        after = text[end : end + width].split("\n\n")[0]
        return before, text[start:end], after

    def suggestions(
        self, i: int, claims: list[dict[str, str]], reports: list[dict[str, str]]
    ) -> list[Suggestion]:
        """Records already in the data that proposal ``i`` may be a new report of."""
        return suggestions(self.rows[i], claims, reports)

    def review(self, i: int, values: dict[str, str], record_id: str = "") -> None:
        """Proposal ``i`` edited and reviewed: a new record (no ``record_id``), or a report of that record."""
        row = self.rows[i]
        row.update({k: v.strip() for k, v in values.items() if k in EDITABLE})
        drafted_id = self.drafted[i].get("id", "")
        if record_id:
            row["id"] = record_id
        elif provisional(row["kind"], drafted_id):
            row["id"] = drafted_id
        else:  # the drafter had linked it to a record, and the reviewer asks for a new one
            row["id"] = self._fresh_id(row["kind"])
        row["status"], row["reason"] = REVIEWED, ""

    def _fresh_id(self, kind: str) -> str:
        used = {r.get("id") for r in self.rows}
        number = 1
        while f"n-{kind[0]}{number:03d}" in used:
            number += 1
        return f"n-{kind[0]}{number:03d}"

    def reject(self, i: int, reason: str) -> None:
        """Proposal ``i`` left out; a rejection must say why."""
        if not reason.strip():
            raise ValueError("say why the proposal is rejected")
        self.rows[i].update(status=REJECTED, reason=reason.strip())

    def publish(self, data_dir: Path, seeds_dir: Path, who: str, reason: str = "") -> AcceptResult:
        """Publish the reviewed proposals (every one must be reviewed or rejected) in one transaction."""
        undecided = [FIRST_ROW + i for i, r in enumerate(self.rows) if status(r) not in (REVIEWED, REJECTED)]
        if undecided or not who.strip():
            problems = [f"{self.label}:{n}:status: review or reject this proposal first" for n in undecided]
            if not who.strip():
                problems.append(f"{self.label}:0:who: say who you are, for the audit log")
            return AcceptResult(problems=problems)
        numbered = [(FIRST_ROW + i, row) for i, row in enumerate(self.rows)]
        sub = Submission(
            label=self.label,
            rows=[(n, r) for n, r in numbered if status(r) == REVIEWED],
            rejected=[(n, r) for n, r in numbered if status(r) == REJECTED],
            text=self.article.text,
            proposals=self.proposals,
            drafted={FIRST_ROW + i: r for i, r in enumerate(self.drafted)},
        )
        if not sub.rows:
            return AcceptResult(problems=[f"{self.label}:0:status: no proposal is reviewed; nothing to add"])
        result = publish(sub, data_dir, seeds_dir, who=who.strip(), reason=reason.strip())
        if result.ok:
            for n, record_id in result.records.items():
                self.rows[n - FIRST_ROW].update(status=PUBLISHED, id=record_id)
        self.result = result
        return result
