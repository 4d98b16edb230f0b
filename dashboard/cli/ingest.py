"""``ingest draft`` and ``ingest accept``: bring a new article into the data, with a review between.

``ingest draft ARTICLE`` writes draft rows for a person to review; ``ingest accept DRAFT.csv`` merges
the reviewed rows into the data. The first spellings, ``ingest ARTICLE ...`` and
``ingest --accept DRAFT.csv``, still work (``modern_argv`` rewrites them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.cli.options import HelpFormatter, add_data_options
from dashboard.datafolder import LOCK_TIMEOUT
from dashboard.ingest import ArticleError, DocumentInfo, accept_draft, build_draft, write_draft
from dashboard.loader import default_seeds_dir

VERBS = ("draft", "accept")

DESCRIPTION = """\
Bring a new article into the data in two steps, with a person's review between them:

  1. ingest draft ARTICLE   reads the article and writes draft claims and events, each with its
                            verbatim quote, to a CSV file for review;
  2. ingest accept DRAFT    after review (each row's status set to 'reviewed' or 'rejected'), adds
                            the article to the documents and the reviewed rows to the data, with an
                            audit entry for each change, only if the result validates; otherwise
                            nothing changes. The rows added are marked 'published' in DRAFT.
"""

EPILOG = """\
examples:
  afghan-border-dashboard ingest draft article.txt --published 2024-10 --outlet Asia-Plus --out draft.csv
  afghan-border-dashboard ingest accept draft.csv
"""

DRAFT_EPILOG = """\
example:
  afghan-border-dashboard ingest draft saved-page.html --published 2024-10-10 --outlet Asia-Plus \\
      --title "Border guards repel incursion" --url https://example.org/wire --out draft.csv

Then review draft.csv (and draft.actors.csv, draft.places.csv if written) and run
'afghan-border-dashboard ingest accept draft.csv'.
"""

ACCEPT_EPILOG = """\
example:
  afghan-border-dashboard ingest accept draft.csv --who a.curator --reason "weekly review" --data geodata
"""


def modern_argv(argv: list[str]) -> list[str]:
    """``argv`` with the first spellings of ingest rewritten to the verbs.

    ``ingest ARTICLE ...`` becomes ``ingest draft ARTICLE ...``; ``ingest ... --accept DRAFT.csv ...``
    becomes ``ingest accept DRAFT.csv ...``. Anything else is returned as it is.
    """
    if not argv or argv[0] != "ingest" or len(argv) == 1 or argv[1] in (*VERBS, "-h", "--help"):
        return argv
    rest = argv[1:]
    for i, token in enumerate(rest):
        if token == "--accept" and i + 1 < len(rest):
            return ["ingest", "accept", rest[i + 1], *rest[:i], *rest[i + 2 :]]
        if token.startswith("--accept="):
            return ["ingest", "accept", token.split("=", 1)[1], *rest[:i], *rest[i + 1 :]]
    return ["ingest", "draft", *rest]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``ingest`` with its verbs ``draft`` and ``accept``."""
    parser = subparsers.add_parser(
        "ingest",
        help="draft claims and events from a new article; accept a reviewed draft into the data",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    verbs = parser.add_subparsers(dest="verb", metavar="{draft,accept}", required=True)
    draft = verbs.add_parser(
        "draft",
        help="read an article and write draft rows for review",
        description=(
            "Read ARTICLE (UTF-8 text or a saved .html page) and write draft rows for review to --out."
        ),
        epilog=DRAFT_EPILOG,
        formatter_class=HelpFormatter,
    )
    _add_draft_options(draft)
    add_data_options(draft)
    draft.set_defaults(func=run_draft)
    accept = verbs.add_parser(
        "accept",
        help="merge a reviewed draft into the data",
        description=(
            "Add the rows of DRAFT marked 'reviewed' (or 'accepted') to the data and the article to the "
            "documents, with an audit entry for each change. Every row must be 'reviewed' or 'rejected' "
            "('published' rows were added before). The new data is validated first: if any problem is "
            "found, each is printed as DRAFT:row:field: message and nothing is changed. The data folder "
            "is locked while it changes; a change cut short is completed or undone by the next command."
        ),
        epilog=ACCEPT_EPILOG,
        formatter_class=HelpFormatter,
    )
    accept.add_argument("draft", type=Path, metavar="DRAFT.csv", help="the reviewed draft")
    accept.add_argument(
        "--who",
        default="",
        metavar="NAME",
        help="who accepts it, for the audit log (default: the system user)",
    )
    accept.add_argument("--reason", default="", help="why, for the audit log (e.g. 'weekly border review')")
    accept.add_argument(
        "--wait",
        type=float,
        default=LOCK_TIMEOUT,
        metavar="SECONDS",
        help=f"how long to wait for another change to the data to finish (default: {LOCK_TIMEOUT:g})",
    )
    add_data_options(accept)
    accept.set_defaults(func=run_accept)


def _add_draft_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", type=Path, metavar="ARTICLE", help="the article file to ingest")
    parser.add_argument(
        "--published",
        metavar="DATE",
        required=True,
        help="publication date, as precise as known: YYYY, YYYY-MM or YYYY-MM-DD",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DRAFT.csv", help="where to write the draft"
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


def run_draft(args: argparse.Namespace) -> int:
    """Draft rows from the article; print what was written and what to do next."""
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
    from dashboard.db import DatabaseError
    from dashboard.loader import database_dirs

    try:
        # Matched against the curated data: the shared database's when one is configured.
        draft = build_draft(args.article, info, (database_dirs(args.data) or (args.data,))[0])
    except DatabaseError as exc:
        print(f"ingest: {exc}", file=sys.stderr)
        return 1
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
        "Review each row, set status to 'reviewed' or 'rejected' (with a reason), then run: "
        f"python -m dashboard ingest accept {written[0]}"
    )
    return 0


def run_accept(args: argparse.Namespace) -> int:
    """Merge the reviewed draft; print what was added, or every problem."""
    seeds = args.seeds if args.seeds is not None else default_seeds_dir(args.data)
    result = accept_draft(
        args.draft,
        args.data,
        seeds,
        who=args.who,
        reason=args.reason,
        timeout=args.wait,
        waiting=lambda: print("ingest: waiting for another change to the data to finish…", file=sys.stderr),
    )
    if not result.ok:
        print(f"ingest: refused, nothing was changed ({len(result.problems)} problem(s)):", file=sys.stderr)
        for problem in result.problems:
            print(problem, file=sys.stderr)
        return 1
    added = ", ".join(f"{n} {name}" for name, n in result.added.items())
    print(f"accepted as document {result.document_id}: added {added}")
    print(f"audit log: {len(result.audit_ids)} entries ({result.audit_ids[0]}–{result.audit_ids[-1]})")
    print(f"the draft's published rows now say 'published': {args.draft}")
    if result.reports_of_existing:
        print(
            "new reports of records already in the data: "
            + ", ".join(dict.fromkeys(result.reports_of_existing))
        )
    return 0
