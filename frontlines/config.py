"""Where frontlines keeps its files, overridable by environment variables.

`FRONTLINES_DB` names the default event store; `FRONTLINES_HOME` moves the per-user data folder
(the default store and the gazetteer index built on first use).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    home = os.environ.get("FRONTLINES_HOME")
    path = Path(home) if home else Path(platformdirs.user_data_dir("frontlines"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db() -> str:
    return os.environ.get("FRONTLINES_DB") or str(data_dir() / "frontlines.db")
