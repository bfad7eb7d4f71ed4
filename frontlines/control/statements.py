"""Statements of control: "opposition-held Idlib", "Aleppo, which is controlled by Assad's government",
"The city ... is now in the hands of opposition fighters".

A statement is not an event: it says who held a place when the report was written, so it is dated
to the publication day (precision "day") and has kind "statement". It counts only when the text
ties it to a place it names:
- before the place: "<holder>-held|-controlled [city|town|province ... of] <place>";
- after the place, joined only by linking words ("which is", "now", "remains", "still"):
  "<place> ... under <holder>'s control | under the control of <holder> | controlled by <holder> |
  held by <holder> | in the hands of <holder>";
- "The city|town|village[, apposition,] is now in the hands of <holder>": the locality the previous
  sentence names last.
Past tense and hedges ("previously under Assad's control", "which were under opposition control",
"formerly rebel-held") describe an earlier time the report does not date, and are left out. The
holder phrase is resolved with the actor table (`frontlines.actors`); bare words the table does not
list on their own ("government", "regime", "Assad", "opposition", "rebel") name the article's
country's state forces or its main armed group, as `extract_actors` does for "the rebels".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from frontlines.control.model import ControlChange, Level, PlaceKey, holder_side
from frontlines.models import ActorMention, Analysis, Place
from frontlines.store.base import StoredDocument

REGION_KINDS = frozenset({"governorate", "oblast", "state", "province", "region", "territory"})
LOCALITY_KINDS = frozenset({"city", "town", "village", "military base", "camp", "airport", "crossing"})

_HOLDER = r"(?P<holder>[^,.;:()\"“”]{1,80}?)"
_HOLDER_END = r"(?=\s*(?:[,.;:()\"“”]|$|\s(?:and|since|after|until|for|while|who|which|that|as|amid|in|on|at|from)\b))"
# "<holder>-held", "<holder>-controlled": the one or two words joined to the hyphen.
PREFIX = re.compile(r"\b(?P<holder>(?:[A-Z][\w’']*\s+)?[\w’']+)-(?:held|controlled)\b")
POSTFIX = (
    re.compile(rf"\bunder\s+(?:the\s+)?(?:full\s+|total\s+|complete\s+|effective\s+)?control\s+of\s+{_HOLDER}{_HOLDER_END}", re.I),
    re.compile(r"\bunder\s+(?!the\s+control\b)(?P<holder>[\w’'-]+(?:\s+[\w’'-]+){0,4}?)\s+"
               r"(?:full\s+|total\s+|complete\s+|effective\s+)?control\b", re.I),
    re.compile(rf"\b(?:controlled|held)\s+by\s+{_HOLDER}{_HOLDER_END}", re.I),
    re.compile(rf"\bin\s+the\s+hands\s+of\s+{_HOLDER}{_HOLDER_END}", re.I),
)
# What may stand between "<holder>-held" and the place: "the opposition-held city of Idlib".
PREFIX_GAP = re.compile(r"^\s+(?:(?:northern|southern|eastern|western|central|key|strategic)\s+)?"
                        r"(?:(?:city|town|village|province|governorate|region|district|enclave|stronghold|capital)\s+(?:of\s+)?)?$", re.I)
# Words that may join a place to the control phrase after it ("Idlib, which is now ...").
LINKING = frozenset("""
which that is are remains remain now still currently firmly largely fully entirely already has
have been also and province governorate city town village region district
""".split())
PAST = re.compile(r"\b(?:was|were|had|previously|formerly|once|until|before|used|earlier|then|no longer)\b", re.I)
# "The city, historically a government stronghold, is now": the sentence's subject is a locality
# named before.
ANAPHOR = re.compile(r"^\s*The\s+(?:city|town|village)\b(?:\s*,[^,.;]{1,80},)?\s+(?:is|remains)\s+(?:now\s+|still\s+)?$")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+|\n+")

# Bare words in control phrases, and the actor-table phrase that stands for them.
STATE_WORDS = re.compile(r"\b(?:government|regime|state|army|military|junta|authorities|assad|assad['’]s)\b", re.I)
GROUP_WORDS = {
    "opposition": "the opposition", "rebel": "rebels", "rebels": "rebels", "insurgent": "insurgents",
    "insurgents": "insurgents", "militant": "militants", "militants": "militants",
    "jihadist": "jihadists", "jihadists": "jihadists", "revolutionaries": "revolutionaries",
    "faction": "factions", "factions": "factions",
}


def statements_in_analysis(analysis: Analysis) -> list[ControlChange]:
    """Statements of control in an analysed document (not yet stored)."""
    doc = analysis.document
    return find_statements(doc.text, analysis.places, doc.published, source=doc.source, url=doc.url)


def statements_in_document(document: StoredDocument) -> list[ControlChange]:
    """Statements of control in a stored document, from its text and its stored place spans."""
    return find_statements(document.text, document.places, document.published,
                           source=document.source, url=document.url, document_id=document.id)


def find_statements(text: str, places: Sequence[Place], published: date | None, *,
                    source: str | None = None, url: str | None = None,
                    document_id: int | None = None) -> list[ControlChange]:
    """Every statement of control in `text` tied to one of `places`, dated `published`.

    Nothing is returned without a publication date: a statement is dated by its report.
    """
    if published is None or not text:
        return []
    from frontlines.actors import extract_actors, main_country

    located = sorted((p for p in places if p.resolved and p.name), key=lambda p: p.start)
    home = main_country(located, text)
    # "opposition-held" hides "opposition" from the actor table, which keeps out of hyphenated
    # words: read a copy with the hyphen blanked (same length, so the offsets hold).
    readable = re.sub(r"-(held|controlled)\b", r" \1", text)
    mentions = extract_actors(readable, located)
    found: dict[tuple[str, str], ControlChange] = {}
    for start, end in _sentences(text):
        sentence = text[start:end]
        for place, holder_span in _statements(text, start, end, located):
            actor = _holder(text, holder_span, mentions, place.country or home)
            if actor is None:
                continue
            key = _place_key(place)
            if key is None:
                continue
            change = ControlChange(
                place=key, holder=holder_side(actor), actor=actor, day=published, precision="day",
                window=(published, published), kind="statement", evidence=sentence.strip(),
                source=source, url=url, published=published, document_id=document_id)
            found.setdefault((key.id, change.holder), change)
    return list(found.values())


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _statements(text: str, start: int, end: int, places: Sequence[Place]
                ) -> Iterable[tuple[Place, tuple[int, int]]]:
    """(place, holder span) for each control phrase in the sentence text[start:end]."""
    in_sentence = [p for p in places if start <= p.start and p.end <= end]
    sentence = text[start:end]
    for m in PREFIX.finditer(sentence):
        if PAST.search(sentence[max(0, m.start() - 25):m.start()]):
            continue
        after = start + m.end()
        for place in in_sentence:
            if place.start >= after and PREFIX_GAP.match(text[after:place.start]):
                yield place, (start + m.start("holder"), start + m.end("holder"))
                break
    for pattern in POSTFIX:
        for m in pattern.finditer(sentence):
            at = start + m.start()
            holder = (start + m.start("holder"), start + m.end("holder"))
            before = [p for p in in_sentence if p.end <= at]
            if before and _links(text[before[-1].end:at]):
                yield before[-1], holder
                continue
            if ANAPHOR.match(sentence[:m.start()]):
                referent = _previous_locality(text, start, places)
                if referent is not None:
                    yield referent, holder


def _links(gap: str) -> bool:
    """True when only linking words join a place to the control phrase after it."""
    if PAST.search(gap):
        return False
    words = re.findall(r"[\w’']+", gap)
    return all(w.lower() in LINKING for w in words) and not re.search(r"[;:]", gap)


def _previous_locality(text: str, sentence_start: int, places: Sequence[Place]) -> Place | None:
    """The last locality the previous sentence names: what "The city" refers to."""
    previous = [s for s in _sentences(text[:sentence_start]) if s[1] <= sentence_start]
    if not previous:
        return None
    p_start, p_end = previous[-1]
    named = [p for p in places if p_start <= p.start and p.end <= p_end and p.kind in LOCALITY_KINDS]
    return named[-1] if named else None


def _holder(text: str, span: tuple[int, int], mentions: Sequence[ActorMention],
            country: str | None) -> str | None:
    """The actor a control phrase names as holder."""
    from frontlines.actors import actor_table, government_of
    from frontlines.places import demonyms

    start, end = span
    inside = [m for m in mentions if m.start < end and start < m.end]
    if inside:
        return inside[0].actor.name
    phrase = text[start:end]
    words = [w.lower() for w in re.findall(r"[\w’']+", phrase)]
    table = actor_table()
    for word in words:
        if word in GROUP_WORDS:
            found = table.find(GROUP_WORDS[word], country)
            if found:
                return _named_group(found[0].actor.name, mentions)
    if STATE_WORDS.search(phrase) and country:
        return government_of(country).name
    for word in re.findall(r"[\w’']+", phrase):
        code = demonyms().get(word)
        if code:
            return government_of(code).name
    return None


def _named_group(name: str, mentions: Sequence[ActorMention]) -> str:
    """A generic armed group ("Rebels (Syria)") is the group the article names, as in
    `extract_actors`; a named one stays itself."""
    from frontlines.actors import actor_table

    if name not in actor_table().generic_names:
        return name
    named = [m.actor.name for m in mentions if m.actor.inter == 2
             and m.actor.name not in actor_table().generic_names]
    return max(set(named), key=named.count) if named else name


def _place_key(place: Place) -> PlaceKey | None:
    if place.name is None:
        return None
    if place.kind == "country":
        level: Level = "country"
    elif place.kind in REGION_KINDS:
        level = "region"
    else:
        level = "vicinity" if place.vicinity else "locality"
    admin1 = place.admin1 if level != "region" else (place.admin1 or place.name)
    return PlaceKey.make(place.name, place.country, admin1, level, place.latitude, place.longitude,
                         place.geonameid if level in {"locality", "vicinity"} else None)
