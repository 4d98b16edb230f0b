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

Usage: ``python bench/score_ingest.py [--data geodata] [--seeds seeds]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard.ingest import DocumentInfo, build_draft  # noqa: E402

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


def main(argv: list[str] | None = None) -> int:
    """Print the scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / "geodata")
    parser.add_argument("--seeds", type=Path, default=REPO / "seeds")
    args = parser.parse_args(argv)
    scores = score(args.data, args.seeds)
    for name, value in scores.items():
        if name.startswith("n_"):
            continue
        print(f"{name:24s} {value:6.1%}")
    counts = ", ".join(f"{k[2:]}={int(v)}" for k, v in scores.items() if k.startswith("n_"))
    print(f"counts: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
