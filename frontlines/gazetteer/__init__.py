"""The place gazetteer: the bundled index, the user's GeoNames import, and national gazetteers.

`default_gazetteer()` is what analysis uses: the bundled index in the per-user data folder (built
there on first use) with the user's import attached when `frontlines gazetteer import` made one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from frontlines.config import data_dir
from frontlines.gazetteer.bundled import build_index
from frontlines.gazetteer.index import (
    INDEX_VERSION, Candidate, Gazetteer, country_centres, country_table, haversine_km,
)

__all__ = ["Candidate", "Gazetteer", "bundled_index_path", "country_centres", "country_table",
           "default_gazetteer", "haversine_km", "imported_index_path"]


def bundled_index_path() -> Path:
    return data_dir() / f"gazetteer-v{INDEX_VERSION}.sqlite"


def imported_index_path() -> Path:
    """Where `frontlines gazetteer import` writes; independent of the bundled index's version."""
    return data_dir() / "geonames-import.sqlite"


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The bundled index, built on first use, with the user's import attached if there is one."""
    path = bundled_index_path()
    if not path.exists():
        build_index(path)
    return Gazetteer(path, imported_index_path())
