"""Turn an article into draft rows for review: one row per report of a figure, an event or an assertion.

Rows have the flat columns of ``export csv`` (``model.FLAT_COLUMNS``) plus the quote's offsets, a status
(``draft`` when everything was found, ``needs_review`` with the reasons in ``review`` otherwise), the
place matches and proposals. Ids are provisional (``n-c001``, ``n-e001``) unless the row reports a claim
already in the data (same claimant, figure and group), whose id it then carries.

``draft_article`` works on values (the article's text, what is known about it, the data's places,
people and claims); reading and writing files is ``files``'s business.
"""

from __future__ import annotations

from dashboard.ingest.columns import DRAFT_COLUMNS
from dashboard.ingest.context import Draft, DraftContext, Sources
from dashboard.ingest.dating import Published
from dashboard.ingest.document import DocumentInfo, check_document_info
from dashboard.ingest.places import PlaceContext
from dashboard.ingest.reader import Article
from dashboard.ingest.rows import SentenceRows, same_claim
from dashboard.ingest.sentences import Sentence, split_sentences

#: How much of the article's start settles a shared place name when its paragraph does not.
ARTICLE_CONTEXT = 4000

__all__ = ["DRAFT_COLUMNS", "DocumentInfo", "Draft", "Sources", "draft_article", "same_claim"]


def draft_article(article: Article, info: DocumentInfo, sources: Sources) -> Draft:
    """Propose the figures, dated events and assertions of ``article`` as draft rows.

    Raise ``DocumentInfoError`` for a refused value in ``info`` (an address that is not http(s)) and
    ``ValueError`` for a publication date that is not a partial ISO date.
    """
    check_document_info(info)
    ctx = DraftContext(info, Published.parse(info.published), sources, Draft(article))
    sentences = split_sentences(article.text)
    contexts = _paragraph_contexts(sentences, article.text[:ARTICLE_CONTEXT])
    for sentence in sentences:
        SentenceRows(ctx, sentence, contexts[sentence.paragraph]).run()
    return ctx.draft


def _paragraph_contexts(sentences: list[Sentence], article_start: str) -> dict[int, PlaceContext]:
    """One place context per paragraph: its sentences, then the start of the article.

    Built once per paragraph and shared by its sentences, so a long paragraph is not re-read per sentence.
    """
    texts: dict[int, list[str]] = {}
    for s in sentences:
        texts.setdefault(s.paragraph, []).append(s.text)
    return {
        paragraph: PlaceContext(" " + " ".join(parts) + " " + article_start)
        for paragraph, parts in texts.items()
    }
