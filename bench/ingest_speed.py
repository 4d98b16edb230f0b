"""Time ``ingest`` drafting one long paragraph: the seed articles run together, at 100, 200 and 400 KB.

Drafting must grow in proportion to the text (an article of 1.85 MB in one paragraph once took over
five minutes, because sentence splitting grew with the square of the paragraph's length). Printed per
size: the number of draft rows, wall-clock and CPU seconds, and CPU microseconds per
character; the last column should stay about flat as the size doubles. Nothing is asserted.

Usage: ``python bench/ingest_speed.py [--data geodata] [--seeds seeds] [KB ...]``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard.ingest import DocumentInfo, draft_article, load_sources  # noqa: E402
from dashboard.ingest.reader import parse_article  # noqa: E402


def one_paragraph(seeds_dir: Path, size: int) -> str:
    """The seed articles' text with blank lines removed, repeated up to ``size`` characters."""
    with open(seeds_dir / "documents.csv", encoding="utf-8", newline="") as fh:
        files = [row["file"] for row in csv.DictReader(fh)]
    text = " ".join((seeds_dir / name).read_text(encoding="utf-8") for name in files)
    text = re.sub(r"\s*\n\s*", " ", text)
    return (text * (size // len(text) + 1))[:size].rsplit(" ", 1)[0] + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the drafting time of one paragraph at each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / "geodata")
    parser.add_argument("--seeds", type=Path, default=REPO / "seeds")
    parser.add_argument("kb", type=int, nargs="*", default=[100, 200, 400])
    args = parser.parse_args(argv)
    print(f"{'size':>8s} {'rows':>6s} {'wall s':>7s} {'cpu s':>7s} {'cpu us/char':>11s}")
    for kb in args.kb:
        text = one_paragraph(args.seeds, kb * 1024)
        article = parse_article(Path("long.txt"), text.encode("utf-8"))
        info = DocumentInfo("2024-05", "Izvestia (English edition)")
        sources = load_sources(args.data, info.outlet)  # fresh: it remembers the last speaker
        wall, cpu = time.perf_counter(), time.process_time()
        draft = draft_article(article, info, sources)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{kb:>5d} KB {len(draft.rows):>6d} {wall:>7.1f} {cpu:>7.1f} {cpu / len(text) * 1e6:>11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
