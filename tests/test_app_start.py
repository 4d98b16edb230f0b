"""The app provisions the map's vendored files itself: a fresh checkout needs no separate step."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import assets

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


def _own_files(static_dir: Path) -> None:
    """The project's own map files, which live in static/ (the vendored ones are copied)."""
    static_dir.mkdir(parents=True, exist_ok=True)
    for name in ("dashboard-map.js", "dashboard-map.css"):
        (static_dir / name).write_bytes((assets.STATIC_DIR / name).read_bytes())


def test_ensure_assets_copies_what_is_missing_once(tmp_path):
    static = tmp_path / "static"
    _own_files(static)
    assert "vendor/leaflet/leaflet.js" in assets.missing_assets(static)
    written = assets.ensure_assets(static)
    assert static / "vendor/leaflet/leaflet.js" in written
    assert assets.missing_assets(static) == []
    assert not list(static.rglob("*.partial"))  # copied through a temporary name, none left behind
    assert assets.ensure_assets(static) == []  # present: nothing copied again


def test_ensure_assets_restores_a_deleted_file(tmp_path):
    static = tmp_path / "static"
    _own_files(static)
    assets.ensure_assets(static)
    (static / "vendor/jquery/jquery.min.js").unlink()
    assert assets.ensure_assets(static) == [static / "vendor/jquery/jquery.min.js"]


def test_ensure_assets_names_a_folder_it_cannot_write(tmp_path):
    blocker = tmp_path / "static"
    blocker.write_text("a file where the folder should be", encoding="utf-8")  # fails even for root
    with pytest.raises(assets.AssetError, match=r"cannot be copied into .*static/vendor.*dashboard assets"):
        assets.ensure_assets(blocker)


def test_ensure_assets_reports_missing_own_files(tmp_path):
    with pytest.raises(assets.AssetError, match="dashboard-map.js"):
        assets.ensure_assets(tmp_path / "static")


def test_the_app_provisions_the_files_at_start(monkeypatch):
    calls = []
    monkeypatch.setattr(assets, "ensure_assets", lambda: calls.append(True) or [])
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert calls == [True]


def test_the_app_says_why_when_it_cannot_provision(monkeypatch):
    def refuse():
        raise assets.AssetError("The map's JavaScript files cannot be copied into /opt/x/static/vendor")

    monkeypatch.setattr(assets, "ensure_assets", refuse)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert any("cannot be copied into /opt/x/static/vendor" in e.value for e in at.error)
