"""Score ``ingest`` against the curated data: run it over the seed articles and compare the drafts.

For every document in ``seeds/documents.csv`` the article is ingested with its publication date and
outlet, then each curated report of that document is looked for among the draft rows: a draft row
matches when it is of the same kind and its quote overlaps the curated quote in the article. Printed:

- recall of figures: curated claim reports with a figure matched by a draft claim with the same unit and
  the same low/best/high (the report's own figure where it has one);
- recall of events: curated event reports matched by a draft event;
- date accuracy: of the matched figures and events, the share whose draft date and precision equal the
  curated ones (the report's own date where it has one);
- recall of places: of the place ids of matched records, the share the draft names;
- claimant accuracy of matched figures;
- precision: the share of draft figures, events and assertions that match a curated report.

The same drafter is scored on the development corpus (``tests/ingest_corpus/``: articles written for the
project, each with ``NAME.expected.json``, the records an analyst drafts from it, and the class of each
expected date expression). An expected record matches a draft row of its kind whose quote holds the
record's ``quote`` words; a figure must have the same unit and low/best/high. Printed for the corpus:
recall of figures and events, precision of proposed figures and events, date accuracy (date, end and
precision) over all matched records and per class of date expression, and quotes that are not verbatim.

Usage: ``python bench/score_ingest.py [--data geodata] [--seeds seeds] [--corpus tests/ingest_corpus]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard.ingest import DocumentInfo, build_draft  # noqa: E402

CORPUS = REPO / "tests" / "ingest_corpus"

FIGURES = ("figure_low", "figure_best", "figure_high")


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _num(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _effective(report: dict[str, str], record: dict[str, str], columns: tuple[str, ...]) -> dict[str, str]:
    """The report's own values where it sets any of ``columns``, else the record's."""
    source = report if any(report.get(c) for c in columns) else record
    return {c: source.get(c, "") for c in columns}


def score(data_dir: Path, seeds_dir: Path) -> dict[str, float]:
    """Ingest every seed article and return the scores (also printed per document)."""
    documents = _read(seeds_dir / "documents.csv")
    claims = {r["id"]: r for r in _read(data_dir / "claims.csv")}
    events = {r["id"]: r for r in _read(data_dir / "events.csv")}
    reports = _read(data_dir / "reports.csv")
    tally: Counter[str] = Counter()
    for doc in documents:
        text = (seeds_dir / doc["file"]).read_text(encoding="utf-8")
        info = DocumentInfo(doc["published"], doc["outlet"], doc["title"], doc["url"])
        draft = build_draft(seeds_dir / doc["file"], info, data_dir)
        rows = [(r, (int(r["quote_start"]), int(r["quote_end"]))) for r in draft.rows]
        used: set[int] = set()
        for report in (r for r in reports if r["document"] == doc["id"]):
            start = text.find(report["quote"])
            if start < 0:
                tally["quote_not_found"] += 1
                continue
            span = (start, start + len(report["quote"]))
            if report["record_kind"] == "claim":
                _score_claim(report, claims[report["record_id"]], span, rows, used, tally)
            else:
                _score_event(report, events[report["record_id"]], span, rows, used, tally)
        for i, (row, span) in enumerate(rows):
            kind = "event" if row["kind"] == "event" else ("figure" if row["unit"] else "assertion")
            tally[f"proposed_{kind}"] += 1
            if i in used or any(
                _overlap(span, _span_of(text, r["quote"]))
                for r in reports
                if r["document"] == doc["id"] and r["record_kind"] == row["kind"] and kind == "assertion"
            ):
                tally[f"proposed_{kind}_matched"] += 1
    return _summary(tally)


def _span_of(text: str, quote: str) -> tuple[int, int]:
    start = text.find(quote)
    return (start, start + len(quote)) if start >= 0 else (-1, -1)


def _score_claim(
    report: dict[str, str],
    claim: dict[str, str],
    span: tuple[int, int],
    rows: list[tuple[dict[str, str], tuple[int, int]]],
    used: set[int],
    tally: Counter[str],
) -> None:
    figure = _effective(report, claim, FIGURES + ("figure_qualifier", "unit"))
    if not figure["unit"]:
        return  # an assertion without a figure: counted through precision only
    tally["figures"] += 1
    for i, (row, row_span) in enumerate(rows):
        if row["kind"] != "claim" or row["unit"] != figure["unit"] or not _overlap(span, row_span):
            continue
        if any(_num(row[c]) != _num(figure[c]) for c in FIGURES):
            continue
        used.add(i)
        tally["figures_found"] += 1
        tally["claimant_checked"] += 1
        tally["claimant_right"] += row["claimant"] == claim["claimant"]
        _score_common(report, claim, row, tally)
        return


def _score_event(
    report: dict[str, str],
    event: dict[str, str],
    span: tuple[int, int],
    rows: list[tuple[dict[str, str], tuple[int, int]]],
    used: set[int],
    tally: Counter[str],
) -> None:
    tally["events"] += 1
    candidates = [
        (i, row)
        for i, (row, row_span) in enumerate(rows)
        if row["kind"] == "event" and _overlap(span, row_span)
    ]
    if not candidates:
        return
    date = _effective(report, event, ("date", "date_precision"))
    # several events in one sentence: prefer the one with the curated date
    i, row = next(((i, r) for i, r in candidates if r["date"] == date["date"]), candidates[0])
    used.add(i)
    tally["events_found"] += 1
    tally["event_type_right"] += row["type"] == event["type"]
    _score_common(report, event, row, tally)


def _score_common(
    report: dict[str, str], record: dict[str, str], row: dict[str, str], tally: Counter[str]
) -> None:
    date = _effective(report, record, ("date", "date_end", "date_precision"))
    tally["dates_checked"] += 1
    tally["dates_right"] += row["date"] == date["date"] and row["date_precision"] == date["date_precision"]
    wanted = set(filter(None, record.get("places", "").split(";")))
    got = set(filter(None, row["places"].split(";")))
    tally["places"] += len(wanted)
    tally["places_found"] += len(wanted & got)


def _ratio(tally: Counter[str], part: str, whole: str) -> float:
    return tally[part] / tally[whole] if tally[whole] else float("nan")


def _summary(tally: Counter[str]) -> dict[str, float]:
    proposed = sum(tally[f"proposed_{k}"] for k in ("figure", "event", "assertion"))
    matched = sum(tally[f"proposed_{k}_matched"] for k in ("figure", "event", "assertion"))
    return {
        "figure_recall": _ratio(tally, "figures_found", "figures"),
        "event_recall": _ratio(tally, "events_found", "events"),
        "date_accuracy": _ratio(tally, "dates_right", "dates_checked"),
        "place_recall": _ratio(tally, "places_found", "places"),
        "claimant_accuracy": _ratio(tally, "claimant_right", "claimant_checked"),
        "event_type_accuracy": _ratio(tally, "event_type_right", "events_found"),
        "precision_figures": _ratio(tally, "proposed_figure_matched", "proposed_figure"),
        "precision_events": _ratio(tally, "proposed_event_matched", "proposed_event"),
        "precision_assertions": _ratio(tally, "proposed_assertion_matched", "proposed_assertion"),
        "precision_all": matched / proposed if proposed else float("nan"),
        **{f"n_{k}": float(v) for k, v in sorted(tally.items())},
    }


# --- the development corpus --------------------------------------------------------------------


def corpus_cases(corpus_dir: Path) -> list[tuple[Path, dict]]:
    """(article, expected records) for every ``NAME.expected.json`` of ``corpus_dir``, by name."""
    cases = []
    for expected_path in sorted(corpus_dir.glob("*.expected.json")):
        stem = expected_path.name.removesuffix(".expected.json")
        articles = [p for p in corpus_dir.glob(stem + ".*") if p.suffix in (".txt", ".html")]
        if len(articles) != 1:
            raise ValueError(f"{expected_path}: expected one article {stem}.txt or {stem}.html")
        cases.append((articles[0], json.loads(expected_path.read_text(encoding="utf-8"))))
    return cases


def score_corpus(corpus_dir: Path, data_dir: Path) -> dict[str, object]:
    """Draft every corpus article and compare with its expected records.

    Returns the ratios (``figure_recall``, ``event_recall``, ``date_accuracy``, ``precision_*``), the
    count of quotes that are not verbatim (``quotes_not_verbatim``), per-class date tallies
    (``date_classes``: class -> [expected, matched, dated right]) and the misses (``missed``).
    """
    tally: Counter[str] = Counter()
    classes: dict[str, list[int]] = {}
    missed: list[str] = []
    for article, expected in corpus_cases(corpus_dir):
        info = DocumentInfo(expected["published"], expected["outlet"], expected.get("title", ""), "")
        draft = build_draft(article, info, data_dir)
        text = draft.article.text
        rows = [(r, (int(r["quote_start"]), int(r["quote_end"]))) for r in draft.rows]
        tally["quotes_not_verbatim"] += sum(text[a:b] != r["quote"] for r, (a, b) in rows)
        used: set[int] = set()
        for kind in ("figures", "events"):
            for want in expected.get(kind, []):
                where = text.find(want["quote"])
                if where < 0:
                    raise ValueError(f"{article.name}: expected quote not in the article: {want['quote']!r}")
                span = (where, where + len(want["quote"]))
                tally[kind] += 1
                counts = classes.setdefault(want.get("date_class", "unclassified"), [0, 0, 0])
                counts[0] += 1
                row = _corpus_match(kind, want, span, rows, used)
                if row is None:
                    missed.append(
                        f"{article.name}: {kind[:-1]} {want.get('unit', want.get('type', ''))} "
                        f"{want['quote']!r}"
                    )
                    continue
                tally[f"{kind}_found"] += 1
                counts[1] += 1
                right = _same_date(row, want)
                counts[2] += right
                tally["dates_checked"] += 1
                tally["dates_right"] += right
                if not right:
                    missed.append(
                        f"{article.name}: date of {want['quote']!r}: drafted {_when(row)},"
                        f" expected {_when(want)} ({want.get('date_class', '')})"
                    )
        for i, (row, _) in enumerate(rows):
            kind = "event" if row["kind"] == "event" else ("figure" if row["unit"] else "assertion")
            tally[f"proposed_{kind}"] += 1
            tally[f"proposed_{kind}_matched"] += i in used
    return {
        "figure_recall": _ratio(tally, "figures_found", "figures"),
        "event_recall": _ratio(tally, "events_found", "events"),
        "date_accuracy": _ratio(tally, "dates_right", "dates_checked"),
        "precision_figures": _ratio(tally, "proposed_figure_matched", "proposed_figure"),
        "precision_events": _ratio(tally, "proposed_event_matched", "proposed_event"),
        "quotes_not_verbatim": tally["quotes_not_verbatim"],
        "counts": dict(sorted(tally.items())),
        "date_classes": dict(sorted(classes.items())),
        "missed": missed,
    }


def _corpus_match(
    kind: str,
    want: dict,
    span: tuple[int, int],
    rows: list[tuple[dict[str, str], tuple[int, int]]],
    used: set[int],
) -> dict[str, str] | None:
    """The unused draft row that reports ``want``; among several, the one with the expected date."""
    candidates = []
    for i, (row, row_span) in enumerate(rows):
        if i in used or not _overlap(span, row_span):
            continue
        if kind == "events" and row["kind"] != "event":
            continue
        if kind == "figures":
            if row["kind"] != "claim" or row["unit"] != want["unit"]:
                continue
            wanted = {k: float(want[k]) if k in want else None for k in ("low", "best", "high")}
            if any(_num(row[f"figure_{k}"]) != v for k, v in wanted.items()):
                continue
        candidates.append((i, row))
    if not candidates:
        return None
    i, row = next(((i, r) for i, r in candidates if _same_date(r, want)), candidates[0])
    used.add(i)
    return row


def _when(record: dict) -> str:
    """ "2024-05 month", "2026/2027 year": a date as the misses list prints it."""
    end = record.get("date_end") or ""
    return f"{record['date']}{'/' + end if end else ''} {record['date_precision']}"


def _same_date(row: dict[str, str], want: dict) -> bool:
    return (
        row["date"] == want["date"]
        and row["date_precision"] == want["date_precision"]
        and row["date_end"] == want.get("date_end", "")
    )


def print_corpus(scores: dict[str, object], verbose: bool = False) -> None:
    """Print the corpus scores, the per-class date table and (``verbose``) every miss."""
    for name in ("figure_recall", "event_recall", "date_accuracy", "precision_figures", "precision_events"):
        print(f"{name:24s} {scores[name]:6.1%}")
    print(f"{'quotes_not_verbatim':24s} {scores['quotes_not_verbatim']:6d}")
    print(f"counts: {', '.join(f'{k}={v}' for k, v in scores['counts'].items())}")
    print(f"{'date class':18s} {'expected':>8s} {'drafted':>8s} {'dated right':>12s}")
    for name, (n, found, right) in scores["date_classes"].items():
        share = f"{right / found:6.1%}" if found else "     -"
        print(f"{name:18s} {n:8d} {found:8d} {right:6d} {share}")
    if verbose:
        for line in scores["missed"]:
            print("  miss:", line)


def main(argv: list[str] | None = None) -> int:
    """Print the scores on the seeds, then on the development corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / "geodata")
    parser.add_argument("--seeds", type=Path, default=REPO / "seeds")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and wrong date")
    args = parser.parse_args(argv)
    print("== seed articles (curated reports)")
    scores = score(args.data, args.seeds)
    for name, value in scores.items():
        if name.startswith("n_"):
            continue
        print(f"{name:24s} {value:6.1%}")
    counts = ", ".join(f"{k[2:]}={int(v)}" for k, v in scores.items() if k.startswith("n_"))
    print(f"counts: {counts}")
    print(f"== development corpus ({args.corpus})")
    print_corpus(score_corpus(args.corpus, args.data), args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
