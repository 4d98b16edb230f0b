"""The journal of a change in progress, and what the next process does with one left behind.

A change is staged inside each folder it touches, under ``.staging/<id>/``:

- ``view/<folder name>/`` holds the folder as it will be (new files, and hard links to the unchanged
  ones, so that the validator reads the whole new state without a copy of the data);
- ``old/`` holds hard links to the files about to be replaced, so a change can still be undone.

The commit point is the manifest, ``.transaction.json`` in the data folder: written to a temporary name,
flushed to disk and renamed into place only once every staged file is on disk and the new state has
validated. Then each staged file is renamed over its target, and the manifest is removed.

:func:`recover` runs (under the exclusive lock) before any reader or writer uses the folder. With no
manifest, a change never reached its commit point: its staging folders are removed (rolled back). With a
manifest, the change is completed when every file of it is ready (staged with the right digest, or
already in place); otherwise every file already installed is put back from ``old/``. Either way the
folder holds the old data or the new, never a mix, and nothing staged is left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from dashboard.datafolder.lock import TransactionError
from dashboard.durable import fsync_dir

MANIFEST = ".transaction.json"
MANIFEST_TMP = ".transaction.json.tmp"
STAGING = ".staging"


@dataclass(frozen=True)
class Planned:
    """One file of a change: where it goes, its staged copy, the old file's link, the new digest."""

    target: Path
    staged: Path
    old: Path
    sha256: str
    had_old: bool

    def ready(self) -> bool:
        """True when the new file is staged intact or already in place."""
        return digest(self.staged) == self.sha256 or digest(self.target) == self.sha256


def staging_root(folder: Path, txid: str) -> Path:
    """Where a change stages its files for ``folder``."""
    return Path(folder) / STAGING / txid


def view_dir(folder: Path, txid: str) -> Path:
    """The folder as it will be, named like the folder so that problems name files the same way."""
    return staging_root(folder, txid) / "view" / Path(folder).name


def old_dir(folder: Path, txid: str) -> Path:
    """Hard links to the files a change replaces."""
    return staging_root(folder, txid) / "old"


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, or "" when there is no such file."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def write_manifest(
    data_dir: Path, txid: str, seeds_dir: Path, who: str, reason: str, files: list[dict]
) -> dict:
    """Write the manifest durably: a temporary name, flushed, then renamed (the commit point)."""
    body = {
        "id": txid,
        "who": who,
        "reason": reason,
        "seeds": os.path.relpath(seeds_dir, data_dir),
        "files": files,
    }
    tmp = data_dir / MANIFEST_TMP
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(body, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, data_dir / MANIFEST)
    fsync_dir(data_dir)
    return body


def planned(data_dir: Path, manifest: dict) -> list[Planned]:
    """The files a manifest lists, with their paths resolved."""
    folders = {"data": data_dir, "seeds": data_dir / manifest["seeds"]}
    txid = manifest["id"]
    out = []
    for entry in manifest["files"]:
        folder = folders[entry["folder"]]
        name = entry["name"]
        if name != Path(name).name or name in ("", ".", ".."):
            raise TransactionError(f"{MANIFEST}: {name!r} is not a plain file name")
        out.append(
            Planned(
                target=folder / name,
                staged=view_dir(folder, txid) / name,
                old=old_dir(folder, txid) / name,
                sha256=entry["sha256"],
                had_old=bool(entry["had_old"]),
            )
        )
    return out


def install(files: list[Planned]) -> None:
    """Rename every staged file over its target (one already in place is left as it is)."""
    for f in files:
        if f.staged.exists():
            os.replace(f.staged, f.target)
    for folder in {f.target.parent for f in files}:
        fsync_dir(folder)


def undo(files: list[Planned]) -> None:
    """Put back the old file of every target already replaced; remove files the change added."""
    for f in files:
        if digest(f.target) != f.sha256:
            continue  # not installed yet: the old file is still there
        if f.had_old:
            if not f.old.exists():
                raise TransactionError(f"{f.target.name}: cannot be put back: its old copy is missing")
            os.replace(f.old, f.target)
        else:
            f.target.unlink()
    for folder in {f.target.parent for f in files}:
        fsync_dir(folder)


def remove_staging(*folders: Path) -> bool:
    """Remove the staging folders of ``folders``; True when there was one."""
    found = False
    for folder in folders:
        staging = Path(folder) / STAGING
        if staging.exists():
            shutil.rmtree(staging)
            found = True
    return found


def pending(data_dir: Path, seeds_dir: Path) -> bool:
    """True when a change was left behind (or is in progress): a manifest or a staging folder."""
    return any(
        p.exists()
        for p in (data_dir / MANIFEST, data_dir / MANIFEST_TMP, data_dir / STAGING, seeds_dir / STAGING)
    )


def recover(data_dir: Path, seeds_dir: Path) -> str:
    """Complete or undo a change left behind; return what was done ("" when there was nothing).

    Call with the folder's exclusive lock held. Running it again after it was interrupted is safe.
    """
    data_dir, seeds_dir = Path(data_dir), Path(seeds_dir)
    outcome = ""
    manifest_path = data_dir / MANIFEST
    folders = [data_dir, seeds_dir]
    if manifest_path.exists():
        manifest = _read(manifest_path)
        files = planned(data_dir, manifest)
        folders.append(data_dir / manifest["seeds"])
        if all(f.ready() for f in files):
            install(files)
            outcome = f"completed the change {manifest['id']} by {manifest.get('who', '')}"
        else:
            undo(files)
            outcome = f"undid the change {manifest['id']} by {manifest.get('who', '')}"
        manifest_path.unlink()
        fsync_dir(data_dir)
    (data_dir / MANIFEST_TMP).unlink(missing_ok=True)
    if remove_staging(*folders) and not outcome:
        outcome = "removed an unfinished change"
    return outcome


def _read(path: Path) -> dict:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
            raise ValueError("not a manifest")
        manifest["id"], manifest["seeds"]  # noqa: B018 (both must be there)
    except (OSError, ValueError, KeyError) as exc:
        # Written by rename after a flush, a manifest is whole or absent: an unreadable one was damaged
        # by something else, and guessing which files it covered could mix old and new data.
        raise TransactionError(
            f"{path.parent.name}/{MANIFEST}: cannot be read ({exc}); the change it records must be "
            "checked by hand"
        ) from exc
    return manifest
