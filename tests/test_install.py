"""The package as a user gets it: the wheel built from the checkout, installed into a fresh virtual
environment (no site-packages of the environment running the tests), run from an empty folder.

Also the packaging rules that keep it so: dependencies as compatible ranges with the exact versions in
``constraints.txt``, test tools only in the ``test`` extra, a setuptools that reads the SPDX licence.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
CONSTRAINTS = REPO / "constraints.txt"
SCRIPT = "afghan-border-dashboard"
TEST_TOOLS = {"pytest", "pytest-timeout", "ruff", "frictionless", "markdown-it-py", "oidc-provider-mock"}
#: Anything that would let the installed program read the checkout instead of what it carries.
LEAKY_ENV = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DASHBOARD_DATA_DIR", "DASHBOARD_SEEDS_DIR")


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _pins() -> dict[str, str]:
    """``constraints.txt`` as {canonical name: exact version}."""
    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = version.strip()
    return pins


# --- packaging rules (fast) -------------------------------------------------------------------------------


def test_dependencies_are_ranges_and_constraints_pin_each_inside_its_range():
    project = _pyproject()["project"]
    pins = _pins()
    requirements = [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]
    ]
    for req in requirements:
        operators = {spec.operator for spec in req.specifier}
        assert operators == {">=", "<"}, (
            f"{req}: give a compatible range (>=low,<next major), not {operators}"
        )
        name = canonicalize_name(req.name)
        assert name in pins, f"constraints.txt has no exact version of {req.name}"
        assert req.specifier.contains(pins[name]), (
            f"constraints.txt pins {req.name}=={pins[name]}, outside {req}"
        )


def test_test_tools_are_only_in_the_test_extra():
    project = _pyproject()["project"]
    runtime = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    extra = {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["test"]}
    assert runtime & TEST_TOOLS == set()
    assert extra == TEST_TOOLS
    # What the product itself needs at run time.
    assert {"python-slugify", "markupsafe", "playwright"} <= runtime


def test_build_requires_a_setuptools_that_reads_an_spdx_licence_and_the_pinned_map_files():
    config = _pyproject()
    assert isinstance(config["project"]["license"], str)  # an SPDX expression: setuptools 77 and later
    build = {
        canonicalize_name(Requirement(r).name): Requirement(r) for r in config["build-system"]["requires"]
    }
    setuptools = build["setuptools"].specifier
    assert not setuptools.contains("76.1") and setuptools.contains("77.0")
    pins = _pins()
    for name in ("xstatic-leaflet", "xstatic-jquery", "xstatic-leaflet-markercluster"):
        # The wheel's vendored files are copied from these: the same versions the app is tested with.
        assert str(build[name].specifier) == f"=={pins[name]}"


def test_pytest_imports_the_checkout_without_path_edits_in_tests():
    assert _pyproject()["tool"]["pytest"]["ini_options"]["pythonpath"] == ["."]
    edits = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"sys\.path\.(insert|append)", line)
    ]
    assert edits == []


# --- the installed wheel (one fresh environment for the module) --------------------------------------------


def _run(cmd: list, cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{cmd} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


class Installed:
    """A fresh virtual environment with the wheel installed, and an empty folder to run it in."""

    def __init__(self, root: Path, wheel: Path):
        self.root = root
        self.wheel = wheel
        self.venv = root / "venv"
        self.bin = self.venv / "bin"
        self.env = {k: v for k, v in os.environ.items() if k not in LEAKY_ENV}
        self.workdir = root / "elsewhere"
        self.workdir.mkdir()

    def run(self, *args, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run the console script from the empty folder."""
        return _run([self.bin / SCRIPT, *args], self.workdir, self.env, timeout)

    def python(self, code: str) -> str:
        return _run([self.bin / "python", "-c", code], self.workdir, self.env).stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_ENV}
    # Built from a copy, so the build leaves nothing in the checkout and cannot pick up its vendor/ copies.
    source = root / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "artifacts", "*.egg-info", "__pycache__", ".*_cache", "vendor"
        ),
    )
    wheels = root / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, source], root, env)
    (wheel,) = wheels.glob("*.whl")
    box = Installed(root, wheel)
    _run([sys.executable, "-m", "venv", box.venv], root, env)
    _run(
        [box.bin / "python", "-m", "pip", "install", "--quiet", "--no-compile", "-c", CONSTRAINTS, wheel],
        root,
        env,
        timeout=1200,
    )
    return box


def test_the_environment_is_fresh_and_imports_the_installed_package(installed):
    config = (installed.venv / "pyvenv.cfg").read_text(encoding="utf-8")
    assert re.search(r"include-system-site-packages\s*=\s*false", config)
    location = Path(installed.python("import dashboard; print(dashboard.__file__)"))
    assert location.is_relative_to(installed.venv)
    data_dir = Path(
        installed.python("from dashboard.locations import default_data_dir; print(default_data_dir())")
    )
    assert data_dir.is_relative_to(installed.venv) and data_dir.parts[-2:] == ("bundled", "geodata")


def test_the_wheel_carries_static_files_the_bundled_data_and_json(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = {
        "dashboard/static/dashboard-map.js",
        "dashboard/static/dashboard-map.css",
        "dashboard/static/vendor/leaflet/leaflet.js",
        "dashboard/static/vendor/leaflet/images/marker-icon.png",
        "dashboard/static/vendor/jquery/jquery.min.js",
        "dashboard/static/vendor/markercluster/leaflet.markercluster.js",
        "dashboard/app.py",
    }
    for folder in ("geodata", "seeds"):
        expected |= {f"dashboard/bundled/{folder}/{p.name}" for p in (REPO / folder).iterdir() if p.is_file()}
    expected |= {
        path.relative_to(REPO).as_posix() for path in (REPO / "dashboard").rglob("*.json")
    }  # the data contract and any other JSON of the package
    expected |= {
        path.relative_to(REPO).as_posix() for path in (REPO / "dashboard/db/migrations").glob("*.sql")
    }  # the shared store's schema
    assert expected - names == set()
    assert not any(name.startswith(("tests/", "geodata/", "seeds/")) for name in names)


def test_validate_from_an_empty_folder(installed):
    out = installed.run("validate").stdout
    assert out.startswith("ok") and "documents" in out


def test_export_csv_from_an_empty_folder(installed):
    installed.run("export", "csv", "--out", "a.csv")
    lines = (installed.workdir / "a.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("kind,id,document,quote") and len(lines) > 10


def test_export_html_from_an_empty_folder_inlines_the_map_files(installed):
    installed.run("export", "html", "--out", "a.html")
    html = (installed.workdir / "a.html").read_text(encoding="utf-8")
    assert html.count('<script src="data:text/javascript;base64,') >= 4  # Leaflet, jQuery, cluster, ours
    assert 'href="data:text/css;base64,' in html
    linked = re.findall(r"""(?:src|href)\s*=\s*["']?(https?://[^"'\s>]+)""", html)
    assert [url for url in linked if re.search(r"\.(js|css)\b", url)] == []


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_export_png_from_an_empty_folder(installed):
    result = installed.run("export", "png", "--out", "a.png")
    assert "fallback" not in result.stderr  # drawn by Chromium, not the static stand-in
    assert (installed.workdir / "a.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


def test_serve_from_an_empty_folder_answers_and_serves_leaflet(installed):
    probe = subprocess.run(
        [installed.bin / SCRIPT, "serve", "--help"],
        cwd=installed.workdir,
        env=installed.env,
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("this version has no `serve` command")
    port = _free_port()
    log = installed.root / f"serve-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [installed.bin / SCRIPT, "serve", "--port", str(port)],
            cwd=installed.workdir,
            env=installed.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, f"serve exited {proc.returncode}: {log.read_text()[-2000:]}"
            try:
                if _get(f"{base}/_stcore/health") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"serve did not answer: {log.read_text()[-2000:]}"
            time.sleep(0.5)
        assert _get(f"{base}/app/static/vendor/leaflet/leaflet.js") == 200
        assert _get(f"{base}/app/static/dashboard-map.js") == 200
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
