"""Where things are. Every path the project reads or writes is named here once."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("NKREPORT_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"
REPORT = ROOT / "report"
CACHE = ROOT / ".cache"
DATAPACKAGE = DATA / "datapackage.json"

#: The folder holding the seed document's text. It lives beside every checkout and CI
#: run (../shared/seed); NKREPORT_SEED_DIR points elsewhere.
SEED_DIR_DEFAULT = ROOT.parent / "shared" / "seed"


def seed_dir() -> Path:
    return Path(os.environ.get("NKREPORT_SEED_DIR", SEED_DIR_DEFAULT))


def data_dir() -> Path:
    """The data folder; NKREPORT_DATA_DIR points at another copy (tests, benchmark)."""
    return Path(os.environ.get("NKREPORT_DATA_DIR", DATA))
