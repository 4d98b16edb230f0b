"""``ingest``: draft claims and events from a new article, or accept a reviewed draft into the data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.commands import add_data_options
from dashboard.ingest import ArticleError, DocumentInfo, accept_draft, build_draft, write_draft
from dashboard.loader import default_seeds_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``ingest`` command."""
    parser = subparsers.add_parser(
        "ingest",
        help="draft claims and events from a new article; --accept a reviewed draft",
        description=(
            "Read ARTICLE (UTF-8 text or a saved .html page) and write draft rows for review to --out. "
            "After review (set each row's status to 'accepted' or 'rejected'), "
            "'ingest --accept DRAFT.csv' adds the article to seeds/ and the accepted rows to the data, "
            "only if the result validates."
        ),
    )
    parser.add_argument("article", nargs="?", type=Path, help="the article file to ingest")
    parser.add_argument(
        "--published",
        metavar="DATE",
        help="publication date, as precise as known: YYYY, YYYY-MM or YYYY-MM-DD",
    )
    parser.add_argument("--outlet", default="", help="the outlet that published it")
    parser.add_argument("--title", default="", help="the article's title")
    parser.add_argument("--url", default="", help="the article's address")
    parser.add_argument("--author", default="", help="the article's author, if named")
    parser.add_argument("--published-basis", default="", help="how the publication date is known")
    parser.add_argument("--language", default="en", help="two-letter language code of the text (default: en)")
    parser.add_argument(
        "--translation-note", default="", help="who translated the text, if it is a translation"
    )
    parser.add_argument("--out", type=Path, metavar="DRAFT.csv", help="where to write the draft")
    parser.add_argument(
        "--accept", type=Path, metavar="DRAFT.csv", help="merge a reviewed draft into the data"
    )
    add_data_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Draft or accept; print what was done, or every problem."""
    if args.accept:
        if args.article:
            print("ingest: give either an ARTICLE or --accept DRAFT.csv, not both", file=sys.stderr)
            return 2
        return _accept(args)
    if not args.article or not args.published or not args.out:
        print("ingest: ARTICLE, --published and --out are required to draft", file=sys.stderr)
        return 2
    info = DocumentInfo(
        published=args.published,
        outlet=args.outlet,
        title=args.title,
        url=args.url,
        author=args.author,
        published_basis=args.published_basis,
        language=args.language,
        translation_note=args.translation_note,
    )
    try:
        draft = build_draft(args.article, info, args.data)
    except ArticleError as exc:
        print(f"ingest: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a --published that is not a partial ISO date
        print(f"ingest: --published: {exc}", file=sys.stderr)
        return 2
    written = write_draft(draft, args.out)
    counts = draft.counts()
    print(
        f"{len(draft.rows)} draft rows ({counts.get('claim', 0)} claims, {counts.get('event', 0)} events; "
        f"{counts.get('needs_review', 0)} need review) written to {written[0]}"
    )
    for path in written[1:]:
        print(f"proposals for review: {path}")
    print(
        "Review each row, set status to 'accepted' or 'rejected', then run: "
        f"python -m dashboard ingest --accept {written[0]}"
    )
    return 0


def _accept(args: argparse.Namespace) -> int:
    seeds = args.seeds if args.seeds is not None else default_seeds_dir(args.data)
    result = accept_draft(args.accept, args.data, seeds)
    if not result.ok:
        print(f"ingest: refused, nothing was changed ({len(result.problems)} problem(s)):", file=sys.stderr)
        for problem in result.problems:
            print(problem, file=sys.stderr)
        return 1
    added = ", ".join(f"{n} {name}" for name, n in result.added.items())
    print(f"accepted as document {result.document_id}: added {added}")
    if result.reports_of_existing:
        print(
            "new reports of records already in the data: "
            + ", ".join(dict.fromkeys(result.reports_of_existing))
        )
    return 0
