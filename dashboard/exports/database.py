"""``db dump``: the shared database written out as a data folder and a documents folder.

What is written validates and equals the folder loaded (the same bytes for the tables and documents;
the same data for the GeoJSON files), so that a data folder reviewed in git and the database stay one
dataset. Everything is read in one snapshot, so a change committed meanwhile is wholly in or out; each
file is written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dashboard.db import connect, curated
from dashboard.db.migrate import require_current
from dashboard.db.transfer import Transfer, read_snapshot, snapshot_mode
from dashboard.exports.paths import OutputError, write_bytes


@dataclass
class Dumped:
    """What ``dump_folder`` wrote."""

    version: int
    files: list[Path]
    left: list[Path] = field(default_factory=list)  # files already in the folders, not in the database
    events: dict[str, int] = field(default_factory=dict)  # imported events written, by dataset


def dump_folder(
    url: str,
    out: Path,
    seeds_out: Path | None = None,
    *,
    force: bool = False,
    also: Transfer | None = None,
) -> Dumped:
    """Write the database's curated data into ``out`` and its documents into ``seeds_out``
    (default: ``seeds/`` beside ``out``). A folder that is not empty is refused unless ``force``;
    each file is written atomically."""
    out = Path(out)
    seeds_out = Path(seeds_out) if seeds_out is not None else out.parent / "seeds"
    if out.resolve() == seeds_out.resolve():
        raise OutputError(f"{out}: the data and its documents need two folders (give --seeds-out)")
    for folder in (out, seeds_out):
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{folder} is not a folder")
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise OutputError(f"{folder} is not empty; use --force to write into it")
    with connect(url) as conn:
        require_current(conn)
        conn.commit()
        snapshot_mode(conn)
        current, files = read_snapshot(conn)
        folders = {curated.DATA: out, curated.SEEDS: seeds_out}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        events = also(conn, out) if also is not None else {}  # the same snapshot as the curated files
    written = [
        write_bytes(folders[key] / name, data, force=True) for (key, name), data in sorted(files.items())
    ]
    left = [
        path
        for key, folder in folders.items()
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".") and (key, path.name) not in files
    ]
    return Dumped(current.version, written, left, events)
