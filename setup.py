"""What pyproject.toml cannot express: the bundled dataset and the vendored map files in the wheel.

The repository keeps its data in ``geodata/`` and ``seeds/`` beside ``dashboard/`` (the docs, tests and
curators refer to them there). An installed wheel has no checkout around it, so it carries both folders
as ``dashboard/bundled/geodata`` and ``dashboard/bundled/seeds``; ``dashboard.locations`` reads them
there. It also carries the Leaflet, jQuery and MarkerCluster copies under ``dashboard/static/vendor/``
(which Streamlit serves), so an installed package serves its map even where it cannot write; an
editable install copies them into the checkout, and the app copies any that are missing at start.
Everything else about the package is in pyproject.toml.
"""

import importlib.util
import sys
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent

#: Data-only packages in the wheel -> the repository folder each one is built from.
BUNDLED = {
    "dashboard.bundled.geodata": "geodata",
    "dashboard.bundled.seeds": "seeds",
}


def _assets_module():
    """``dashboard/assets.py`` alone: it needs only the standard library and the xstatic packages, which
    the build environment has (``[build-system] requires``), not the package's other dependencies."""
    spec = importlib.util.spec_from_file_location("_dashboard_assets", HERE / "dashboard" / "assets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class BuildPyWithVendor(build_py):
    """``build_py`` that also copies the vendored map files where the installed app serves them from:
    into the built ``dashboard/static/`` for a wheel, into the checkout's for an editable install (so the
    files are there before the first ``streamlit run``; the app also copies them at start when missing).
    """

    def run(self):
        super().run()
        if not self.editable_mode:
            _assets_module().install_assets(Path(self.build_lib) / "dashboard" / "static")
            return
        try:
            _assets_module().install_assets(HERE / "dashboard" / "static")
        except (OSError, RuntimeError) as exc:  # the app copies them at start, or says why it cannot
            self.warn(f"map files not copied into the checkout: {exc}")


setup(
    packages=find_packages(include=["dashboard", "dashboard.*"]) + list(BUNDLED),
    package_dir=BUNDLED,
    cmdclass={"build_py": BuildPyWithVendor},
)
