"""The events stage's regular expressions, kept as data (`data/event_patterns.toml`).

Each module of the stage reads its own section: `PATTERNS = patterns("where")`.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources


@cache
def _load() -> dict[str, dict]:
    with resources.files("frontlines").joinpath("data/event_patterns.toml").open("rb") as f:
        return tomllib.load(f)


def patterns(section: str) -> dict[str, re.Pattern[str]]:
    """The compiled patterns of one module's section."""
    return {name: re.compile(entry["pattern"], _flags(entry.get("flags", ())))
            for name, entry in _load()[section].items()}


def _flags(names) -> re.RegexFlag:
    flags = re.RegexFlag(0)
    for name in names:
        flags |= re.RegexFlag[name]
    return flags
