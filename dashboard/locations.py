"""Where the data lives when nobody says: the one place that decides the default folders.

A checkout (or an editable install of it) reads the repository's own ``geodata/`` and ``seeds/``, so a
curator's edit shows at once. An installed wheel has no checkout around it: it carries a copy of both
folders as ``dashboard/bundled/geodata`` and ``dashboard/bundled/seeds`` (``setup.py`` maps them there)
and reads that. ``DASHBOARD_DATA_DIR`` and ``DASHBOARD_SEEDS_DIR`` point anything at another folder.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variables that point the app and the command line at another data/documents folder.
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
SEEDS_DIR_ENV = "DASHBOARD_SEEDS_DIR"

PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository around the package, when there is one.
CHECKOUT_DIR = PACKAGE_DIR.parent
#: The copy of the data an installed wheel carries (absent in a checkout).
BUNDLED_DIR = PACKAGE_DIR / "bundled"


def in_checkout() -> bool:
    """True when the package runs from the repository (a plain checkout or an editable install).

    ``pyproject.toml`` beside ``geodata/`` marks the repository: an installed package sits in
    ``site-packages``, where neither belongs.
    """
    return (CHECKOUT_DIR / "pyproject.toml").is_file() and (CHECKOUT_DIR / "geodata").is_dir()


def _own_root() -> Path:
    """The folder holding the project's own ``geodata/`` and ``seeds/``: the checkout, else the bundle."""
    return CHECKOUT_DIR if in_checkout() else BUNDLED_DIR


def own_data_dir() -> Path:
    """The project's own data folder, whatever the environment says."""
    return _own_root() / "geodata"


def own_seeds_dir() -> Path:
    """The project's own documents folder, whatever the environment says."""
    return _own_root() / "seeds"


def default_data_dir() -> Path:
    """The data folder to read when none is given: ``$DASHBOARD_DATA_DIR``, else the project's own."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else own_data_dir()


def default_seeds_dir(data_dir: Path | None = None) -> Path:
    """The documents folder to read when none is given.

    ``$DASHBOARD_SEEDS_DIR`` wins; else ``seeds/`` beside the data folder (``data_dir``, or
    :func:`default_data_dir`): a data folder and its documents travel together, and for the project's
    own data that is the project's own ``seeds/``.
    """
    override = os.environ.get(SEEDS_DIR_ENV)
    if override:
        return Path(override)
    return Path(data_dir if data_dir is not None else default_data_dir()).parent / "seeds"
