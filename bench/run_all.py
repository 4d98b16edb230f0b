"""Run every benchmark in turn and print their figures (``make bench``).

Benchmarks print timings and scores; none of them asserts anything, so a slow machine never fails a
build. Each runs in its own process so that one's warm browser or caches do not flatter the next.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ("score_ingest.py", "ingest_speed.py", "bench_snapshot.py", "bench_app.py", "bench_events.py")


def main() -> int:
    """Run each benchmark script; return non-zero if any of them crashed."""
    failed = []
    for script in SCRIPTS:
        print(f"\n=== {script}", flush=True)
        if subprocess.run([sys.executable, str(BENCH / script)], check=False).returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
