"""Normalised keys for place names, shared by the gazetteer index and the text matcher.

Transliterated Arabic, Persian, Burmese and Slavic names reach English text in many spellings:
Ma'arat / Maarat / Ma`arrat al-Nu'man, Khan Shaykhun / Sheikhoun, Tal / Tell Rifaat. Two keys
absorb that variation. `name_key` is strict (case, diacritics, ayn/hamza marks, hyphens and the
Arabic article folded away) and is what an exact lookup uses. `skeleton_key` is loose (vowels dropped
after the first letter, doubled letters collapsed, a few digraphs merged) and only proposes candidates
that a fuzzy comparison of the strict keys must then confirm.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Apostrophe-like marks that transliterations use for ʿayn and hamza; they join, never split, a word.
_MARKS = "'’‘`´ʿʾʼʻ′"
_MARKS_RE = re.compile(f"[{_MARKS}]")
_SEPARATORS_RE = re.compile(r"[\s\-‐‑–—_./,()]+")
# The Arabic definite article and its sun-letter assimilations (ad-, ash-, at-...), and the
# French/Levantine el-, as they appear before a name part.
ARTICLES = frozenset(
    "al el il ul an ad ar as at az ash ath adh en ed er es et ez ech eth".split()
)
# Digraphs that different transliteration schemes write differently for the same sound.
_DIGRAPHS = (("kh", "h"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("ph", "f"), ("ou", "u"), ("q", "k"), ("dj", "j"), ("zh", "j"), ("sch", "sh"), ("tch", "ch"), ("w", "v"))
_VOWELS_RE = re.compile(r"(?<=\w)[aeiouy]")
# Final ta marbuta is written -a, -ah or -eh ("Izza", "Izzah").
_FINAL_H_RE = re.compile(r"(?<=[aeiou])h\b")
_DOUBLES_RE = re.compile(r"(\w)\1+")


def fold(text: str) -> str:
    """Lower-case `text` and strip diacritics, keeping letters of any script (Arabic included)."""
    if text.isascii():
        return text.lower()  # nothing to decompose: most names, and a GeoNames import's bulk
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Keys are pure functions of the name; a GeoNames import and a corpus meet the same names over and
# over ("Al Qaryah", "Aleppo"), so a bounded cache pays.
@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The strict lookup key: "Ma’arat al-Nu’man" and "Maarat al Numan" give "maarat numan"."""
    words = _SEPARATORS_RE.split(_MARKS_RE.sub("", fold(name)))
    words = [w for w in words if w]
    if len(words) > 1:
        words = [w for i, w in enumerate(words) if not (w in ARTICLES and i < len(words) - 1)]
    return " ".join(words)


@lru_cache(maxsize=1 << 16)
def skeleton_key(name: str) -> str:
    """The loose key: "Khan Sheikhoun" and "Khan Shaykhun" both give "hn shn"."""
    key = _FINAL_H_RE.sub("", name_key(name))
    for old, new in _DIGRAPHS:
        key = key.replace(old, new)
    key = _VOWELS_RE.sub("", key)
    return _DOUBLES_RE.sub(r"\1", key)
