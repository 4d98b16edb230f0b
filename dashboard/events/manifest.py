"""A dataset's manifest after an import: which export the store holds, and what each import changed.

The same for both stores: the embedded one writes it beside the Parquet file (``DATA/events/acled.json``),
the shared database into ``imported.manifests``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dashboard.events.datasets import dataset_info

# ``result`` below is an ``importer.ImportResult`` (not imported here: the importer imports this module).


def older_export_note(result, manifest: dict) -> str | None:
    """A note when the export being imported is older than the latest one already imported."""
    previous = manifest.get("export_date")
    if previous and result.export_date < previous:
        return (
            f"this export ({result.export_date}) is older than the latest one imported ({previous}): "
            "its events replace the stored versions"
        )
    return None


def same_export(manifest: dict, result) -> bool:
    """Whether ``result`` imported the export the manifest already names (same date and version)."""
    return manifest.get("export_date") == result.export_date and manifest.get("version", "") == result.version


def build_manifest(result, old: dict, current: int, withdrawn: int) -> dict:
    """The manifest after ``result``'s import, given the previous one and the events now stored."""
    info = dataset_info(result.dataset)
    this = {
        "source_file": result.file,
        "export_date": result.export_date,
        "version": result.version,
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": result.who,
        "added": result.added,
        "changed": result.changed,
        "withdrawn": result.withdrawn,
        "unchanged": result.unchanged,
        "rejected_rows": result.rejected,
    }
    latest = max(result.export_date, old.get("export_date", result.export_date))
    return {
        "dataset": info.key,
        "name": info.name,
        "title": info.title,
        "attribution": info.attribution,
        "citation": info.citation,
        "licence": info.licence,
        "export_date": latest,  # the latest export imported: what "known on" dates the store by
        "export_date_basis": result.export_date_basis,
        "version": result.version if latest == result.export_date else old.get("version", ""),
        "events_current": current,
        "events_withdrawn": withdrawn,
        "imports": [*old.get("imports", []), this],  # every import, oldest first
    }
