"""The server's memory as the machine sees it, read from ``/proc``: the resident size (RSS) of the
server process, and the proportional size (PSS) of it and all its descendants (Streamlit and, for
picture exports, its headless Chromium)."""

from __future__ import annotations

import statistics
import urllib.parse
from pathlib import Path

PROC = Path("/proc")


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process (those that vanish while read are skipped)."""
    parents = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the fields follow its last ')'.
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    return parents


def tree(pid: int) -> list[int]:
    """``pid`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _field_kb(path: Path, name: str) -> int:
    """The ``name:`` line of a /proc status-like file, in kB (0 when the process is gone)."""
    try:
        text = path.read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS of ``pid`` itself, PSS of its whole process tree), in MB.

    The tree's figure is the proportional set size: Chromium's processes share most of their pages,
    and summing their RSS would count those pages once per process.
    """
    own = _field_kb(PROC / str(pid) / "status", "VmRSS")
    shared = sum(_field_kb(PROC / str(member) / "smaps_rollup", "Pss") for member in tree(pid))
    return own / 1024, shared / 1024


def listening_pid(url: str) -> int | None:
    """The process listening on ``url``'s port on this machine, or None (another host, no access)."""
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if any(str(fd.readlink()) in inodes for fd in (entry / "fd").iterdir()):
                return int(entry.name)
        except OSError:
            continue
    return None


def growth(samples: list[tuple[float, float]], window_s: float) -> tuple[float, float, float] | None:
    """(MB at the window's start, MB at the end, growth in %) over the last ``window_s`` seconds.

    ``samples`` are (seconds since start, MB), in time order. Each end is the median of the samples
    within 15 s of it, so that one garbage collection or one export's browser does not decide it.
    """
    if len(samples) < 2:
        return None
    last = samples[-1][0]
    start = max(samples[0][0], last - window_s)

    def near(t: float) -> float:
        return statistics.median(mb for when, mb in samples if abs(when - t) <= 15)

    before, after = near(start), near(last)
    return before, after, (after - before) / before * 100 if before else 0.0
