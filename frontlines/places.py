"""The places stage: find the place names in an article and resolve each to a gazetteer entry.

Recognition does not trust spaCy's NER alone (en_core_web_sm tags Aleppo NORP and Hama ORG): every
capitalised run of words in the text is looked up in the gazetteer, NER labels only veto (people,
organisations, works) or vouch (GPE, LOC), and cue words around a name ("the town of X", "X province",
"X's countryside", "north of X") say what kind of place is meant and how exactly it is located.

Resolution ranks each name's candidates against context computed once per document: the countries
the article names (directly or through demonyms such as "Syrian"), the regions it names, "X in Y" and
"X, Y" pairs, and the places already resolved nearby. A "none of these" option is always on the
table: a name whose best candidate has no support stays unresolved instead of snapping to a famous
namesake.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Protocol

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc
from wordfreq import zipf_frequency

from frontlines.nlp import ents_of, text_of
from frontlines.gazetteer import Candidate, Gazetteer, country_table, default_gazetteer, haversine_km
from frontlines.gazetteer.index import CITY_POPULATION
from frontlines.models import Place
from frontlines.toponyms import ARTICLES, name_key


class CandidateSource(Protocol):
    """What the resolver needs from a gazetteer (a fake in tests, the SQLite index in use)."""

    def lookup(self, mentions: Iterable[str]) -> dict[str, list[Candidate]]: ...


# --- word lists --------------------------------------------------------------------------------

MAX_NAME_WORDS = 5
# Words that end an organisation's name; a place inside one ("Aleppo University", "Armed Forces
# of Ukraine") is not a place mention.
ORG_WORDS = frozenset("""
center centre university ministry observatory forces army front organization organisation committee
council party agency news post times brigade brigades battalion command hospital college school
airlines company corps union movement group network institute foundation court office
department government police guard unit division operation operations room tribune herald journal club
press tv radio channel daily gazette federation league association commission authority
""".split())
NAME_CONNECTORS = ("of", "de", "on", "da", "do", "dos", "das", "del", "di", "du", "des")
# Words that end a facility's name ("Aden Adde International Airport"), the words that qualify it,
# and words that begin a natural feature's ("Lake Kivu", "Cape of Good Hope").
FACILITY_WORDS = frozenset("""
airport airfield airbase stadium station bridge dam hotel mosque church cathedral market prison
palace refinery terminal mall tower road street avenue highway
""".split())
FACILITY_QUALIFIERS = frozenset("""
international military national central main grand regional municipal air naval railway bus
nuclear power
""".split())
LEADING_FEATURE_WORDS = frozenset({"lake", "cape", "gulf", "bay", "strait", "sea"})
LEADING_NON_NAMES = frozenset({"the", "in", "on", "at", "from", "to", "by"})
# Titles begin a person's name ("Dr Ahmed", "Gen. Milley"); written in capitals ("DR Congo")
# they are not titles.
TITLES = frozenset({"mr", "mrs", "ms", "dr", "gen", "lt", "col", "capt", "sgt", "rev", "sen", "rep",
                    "gov", "maj", "prof"})
# Ranks and offices written before a person's name ("Lieutenant General Igor Kirillov", "President
# Putin"): the name after them is a person's, and so is its last word met alone later.
PERSON_TITLES = ("general", "lieutenant", "colonel", "brigadier", "sergeant", "captain", "commander",
                 "president", "minister", "governor", "mayor", "senator", "ambassador", "sheikh",
                 "imam", "emir", "prince", "king", "queen", "pope", "chancellor", "spokesman",
                 "spokeswoman", "spokesperson", "envoy", "premier")
_TITLED_NAME_RE = re.compile(
    rf"\b(?:(?i:{'|'.join(PERSON_TITLES)})\s+)+((?:[A-Z][\w’'-]+\s+){{0,2}}[A-Z][\w’'-]+)")
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# NER labels that make a capitalised run unlikely, but not impossible, to be a place.
NOT_PLACE_LABELS = frozenset({"PERSON", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
# Capitalised words that begin a sentence or a headline and are also names of some hamlet.
MONTHS_AND_DAYS = frozenset("""
january february march april may june july august september october november december monday
tuesday wednesday thursday friday saturday sunday
""".split())
COMMON_WORD_ZIPF = 4.0
# Words that begin names ("South Ossetia", "New London") but alone name nothing one can map.
NAME_PARTS = frozenset("""
north south east west northern southern eastern western central upper lower new old saint san
santa mount lake fort port great little greater
""".split())
UNKNOWN_TOWN_POPULATION = 5_000
# A village or quarter from a GeoNames import, where GeoNames gives no population, ranks like one
# of a few hundred people: it needs the article's country to win, as a cities500 town does not.
UNKNOWN_VILLAGE_POPULATION = 300
VILLAGE_KINDS = frozenset({"village", "neighbourhood"})
# Landmarks a GeoNames import adds (hills, roads, dams ...) are named far less often than the
# towns sharing their names: they win with a cue or the article's country, not alone.
LANDMARK_KINDS = frozenset({"hill", "mountain", "pass", "road", "dam", "bridge", "prison"})
LANDMARK_PRIOR = 1.5
# How far a neighbourhood named as part of a town ("Imphal's Khurai") may lie from it.
PART_OF_TOWN_KM = 40
# A second-level division named without its feature word ranks with a town of ~4,000 people.
BARE_DIVISION_PRIOR = 1.8
DIVISION_WORDS = frozenset("county district raion rayon municipality parish department "
                           "prefecture cercle zone".split())
# A national capital is the best-known bearer of its name ("WASHINGTON" heading a wire story).
CAPITAL_BONUS = 0.5
# Below the prior of a town of ~10,000: a region needs more than its name to win a town's place.
REGION_UNDER_CITY_CUE = 2.0
DOMINANT_RATIO = 20
NEARBY_KM = 150
# A place the text ties to another ("X, south of Y") lies within reach of it.
TIE_KM = 100
TIE_BONUS = 2.0
# A town in the state or province most of the article's other places lie in.
HOME_REGION_BONUS = 1.0
FAR_FROM_ARTICLE_KM = 500
FAR_FROM_ARTICLE_PENALTY = 1.5
NEARBY_BONUS = 0.75
NEARBY_BONUS_CAP = 2.25
# GeoNames' alternate names include historical and mistaken ones ("Mansfield" for Carnegie, PA).
ALTERNATE_NAME_PENALTY = 0.5
# Kinds whose names stand for themselves even when the word is also common ("Turkey", "Jordan").
SELF_EVIDENT_KINDS = frozenset({"country", "continent", "sea", "region", "territory"})
REGION_SUFFIXES = frozenset("province governorate oblast region state krai prefecture".split())
TOWN_SUFFIXES = frozenset("city town village township district".split())
REGION_KIND_BY_COUNTRY = {
    "SY": "governorate", "IQ": "governorate", "EG": "governorate", "JO": "governorate",
    "YE": "governorate", "LB": "governorate", "PS": "governorate",
    "UA": "oblast", "RU": "oblast", "BY": "oblast", "KZ": "region",
    "US": "state", "MM": "state", "SD": "state", "SS": "state", "NG": "state", "IN": "state",
    "MX": "state", "BR": "state", "ET": "region", "ML": "region", "BF": "region", "FR": "region",
}

_PARTICLE = r"(?:(?:al|el|ad|an|ar|as|ash|at|az|ed|en|er|es|et|ez)[-‐]|(?:al|el) )"
# Abbreviations with stops ("U.S.", "W.Va.", "Fla.") are words only when the gazetteer has them.
_ABBREVIATION = r"(?:[A-Z][a-z]{0,3}\.)(?:\s?[A-Z][a-z]{0,3}\.)*"
_WORD = rf"(?:{_ABBREVIATION}(?![\w’'])|[A-ZÀ-ÞĀ-Ž][\w’'‘`\-]*)"
_RUN_RE = re.compile(
    rf"(?<![\w’'‘`-]){_PARTICLE}?{_WORD}(?:(?: | of | de | da | do | dos | das | del | di | du | des |-){_PARTICLE}?{_WORD})*"
)
# Words of a run: "al-Nu’man" is one word, "Russia-Turkey" two.
_RUN_WORD_RE = re.compile(rf"{_PARTICLE}?[^\s-]+(?:-[a-z][^\s-]*)*")
_POSSESSIVE_RE = re.compile(r"(?:['’‘]s?)?$")
_INNER_POSSESSIVE = re.compile(r"['’‘]s?\s")

_REGION_BEFORE = re.compile(
    r"(?:province|governorate|oblast|region|state|countryside|rural (?:areas?|parts|districts))\s+of\s+(?:the\s+)?$",
    re.I)
_REGION_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:(?:northern|southern|eastern|western|northeastern|northwestern|southeastern|"
    r"southwestern|northwest|northeast|southwest|southeast|north|south|east|west|rural|central)\s+)?"
    r"(?:provinces?|governorates?|oblasts?|regions?|countryside|state)\b", re.I)
_CITY_BEFORE = re.compile(r"(?:city|town|village|capital)\s+of\s+$", re.I)
_OF_NAME_AFTER = re.compile(r"^ of (?:the )?[A-Z]")
_HELD_BY = re.compile(r"-(?:held|controlled|backed|led|run|occupied|allied|based|linked)$", re.I)
_POSSESSIVE_BETWEEN = re.compile(r"^['’]s\s+$")
# "Lido beach in", "Majengo neighbourhood of": a lowercase landmark word, then the town it is in.
_PART_IN_BETWEEN = re.compile(
    r"^\s+(?:beach|market|square|bridge|road|street|avenue|junction|roundabout|neighbou?rhood|quarter|"
    r"district|area|suburb|camp|hill|port)\s+(?:in|of)\s+(?:the\s+)?(?:(?:city|town|capital)\s+of\s+)?$", re.I)
_TOWN_APPOSITION = re.compile(
    r"^,\s+(?:a|an|the|two|three|four|five|several|both)\s+(?:[\w-]+\s+){0,3}"
    r"(?:towns?|city|cities|villages?|localit(?:y|ies)|hamlets?|settlements?)\b", re.I)
_CITY_AFTER = re.compile(r"^\s+(?:city|town|village)\b", re.I)
# "the Dasht-e-Barchi area", "Ali Sher district", "Zaina camp": a name the gazetteer lacks, followed
# by the kind of place it is, is a place (the cue says nothing about its size, so no city cue).
_PLACE_WORD_AFTER = re.compile(
    r"^\s+(?:district|area|neighbou?rhood|quarter|suburb|camp|crossing|border\s+crossing)\b", re.I)
_VICINITY_BEFORE = re.compile(
    r"(?:\bnear|\baround|outskirts\s+of|vicinity\s+of|suburbs?\s+of|outside|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of|countryside\s+of)"
    r"\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$", re.I)
_VICINITY_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:outskirts|suburbs?|countryside|environs|(?:\w+ern\s+)?neighbou?rhoods)\b",
    re.I)
# A wire dateline opens a paragraph with the reporter's city in capitals, then the region or the
# date and the agency, then a dash: "KYIV, Jan 6 (Reuters) -", "GOMA, DR Congo (AFP) -",
# "WASHINGTON/SANAA, Jan 12 (Reuters) -", "CHARLESTON, W.Va. --".
_DATELINE_RE = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Z.'’ -]*[A-Z.](?:/[A-Z][A-Z.'’ -]*[A-Z.])*)"
    r"(?=(?:,[^\n()]{1,40}?)?\s*(?:\([^()\n]{1,40}\))?\s*(?:-{1,2}|[—–])\s)")
_ADJECTIVAL_AFTER = re.compile(r"^-(?:backed|based|led|linked|allied|aligned|affiliated|born)\b")
LIST_SEPARATOR = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
_CONTAINER_BETWEEN = re.compile(r"^(?:,\s*|\s+in\s+(?:the\s+)?(?:(?:province|state|region)\s+of\s+)?)$",
                                re.I)

# "the village of X south of Y", "X, a village near Y", "X, 10 km east of Y", "X in the western
# countryside of Y", "X on the outskirts of Y": what lies between an unknown place and the town the
# text ties it to.
_TIED_TO = re.compile(
    r"^(?:\s+(?:district|area|neighbou?rhood|quarter|suburb|camp))?(?:\s*,)?\s+(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:towns?|villages?|city|hamlets?|localit(?:y|ies)|"
    r"settlements?|area)\s+)?(?:(?:just|some|about|around|roughly|located|situated|lying)\s+)*"
    r"(?:(?:\d+(?:\.\d+)?|a few|several)\s*(?:km|kilometres|kilometers|miles)\s+(?:to\s+the\s+)?)?"
    r"(?:(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of)|near|"
    r"outside|close\s+to|next\s+to|on\s+the\s+(?:outskirts|edge)\s+of|"
    r"in\s+(?:the\s+)?(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+|rural\s+)?"
    r"(?:countryside|outskirts|suburbs|environs|vicinity|district)\s+of|"
    r"in(?=\s+\S+(?:['’]s)?\s+(?:(?:\w+ern)\s+)?(?:countryside|outskirts|suburbs|environs)))"
    r"\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$", re.I)
_BEFORE_NEXT_NAME = re.compile(r"^(.{1,80}?)(?=[A-Z])", re.S)
_DIRECTION_WORDS = re.compile(
    r"\b(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?|countryside|"
    r"outskirts|km|kilometres|kilometers|miles)\b", re.I)
_MEASURED_TIE_WORDS = re.compile(r"\b(?:km|kilometres|kilometers|miles|countryside|outskirts)\b", re.I)
# Kinds a place can be tied to by their own point; a region lends its capital's ("the countryside
# of Aleppo"), and one without a capital ties nothing (an unknown village "in Idlib province" is
# located by the events stage at the province, with its precision).
_TIE_KINDS = frozenset({"city", "town", "village", "district", "county", "neighbourhood", "camp",
                        "military base", "airport"})


@lru_cache(maxsize=1)
def neighbours() -> dict[str, tuple[str, ...]]:
    """ISO code -> bordering countries."""
    return {code: tuple(n for n in (rec.get("neighbours") or "").split(",") if n)
            for code, rec in country_table().items()}


@lru_cache(maxsize=1)
def weapon_names() -> frozenset[str]:
    """Name keys of weapon systems that are also place names ("Tomahawk", "Patriot")."""
    path = resources.files("frontlines").joinpath("data/weapon_names.txt")
    with path.open(encoding="utf-8") as f:
        return frozenset(name_key(line) for line in f if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def news_outlet_pattern() -> re.Pattern[str]:
    """The names of news agencies and broadcasters (data/news_outlets.txt), never places."""
    path = resources.files("frontlines").joinpath("data/news_outlets.txt")
    with path.open(encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    names.sort(key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(n) for n in names)})(?![\w-])")


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str | None]:
    """Demonym -> ISO country code (None for peoples without one state, e.g. "Kurdish")."""
    path = resources.files("frontlines").joinpath("data/demonyms.tsv")
    with path.open(encoding="utf-8") as f:
        return {rec["demonym"]: (rec["country"] or None) for rec in csv.DictReader(f, delimiter="\t")}


# --- recognition -------------------------------------------------------------------------------


@dataclass(slots=True)
class NameSpan:
    """A stretch of text that may name a place, with what its surroundings say about it."""

    text: str
    start: int
    end: int
    ner_label: str | None = None
    region_cue: bool = False
    city_cue: bool = False
    vicinity: bool = False
    whole_run: bool = False
    # The other words of the hyphenated name this span is a part of ("Sondé" for "Pont" in
    # "Pont-Sondé"); empty when the span does not cut a hyphenated name.
    hyphen_siblings: tuple[str, ...] = ()
    candidates: list[Candidate] = field(default_factory=list)


def _label_at(doc: Doc, start: int, end: int) -> str | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for token in span:
        if token.ent_type_:
            return token.ent_type_
    return None


def _blocked_ranges(doc: Doc, *, embedded: bool = False
                    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character ranges that are organisations or operations, and ranges NER calls a person.

    spaCy's small model calls many Arabic and Burmese place names persons ("Khan Shaykhun",
    "Kafr Nabl", "Rakhine State"), so a person label only bars the words inside a longer name
    ("Ismail" in "Ismail Ayoub"); a whole person span is still looked up, with a penalty.
    """
    blocked, persons = [], []
    for ent in ents_of(doc):
        words = {w.lower().strip("’'") for w in ent.text.split()}
        if ent.label_ in NOT_PLACE_LABELS:
            # A possessive ends the name NER ran on ("Aleppo’s eastern" as a work of art): what
            # follows it is not part of that name, so it cannot bar the name itself.
            cut = next((t.idx for t in ent if t.tag_ == "POS"), ent.end_char)
            persons.append((ent.start_char, cut))
        elif ent.label_ == "ORG" and words & ORG_WORDS and not embedded:
            # Only up to the organisation word: NER often runs an organisation into the words
            # after it ("The Rapid Support Forces shelled El Fasher").
            last = max(t.idx + len(t.text) for t in ent if t.lower_.strip("’'") in ORG_WORDS)
            names = [t for t in ent if t.pos_ == "PROPN"]
            # "the Quetta Press Club", "the Lahore High Court": a town's name before the
            # organisation word still says where it is.
            start = names[1].idx if len(names) > 1 and names[0].i + 1 == names[1].i \
                and names[1].lower_ in ORG_WORDS \
                and zipf_frequency(names[0].lower_, "en") < COMMON_WORD_ZIPF else ent.start_char
            blocked.append((start, last))
    # Runs that end in an organisation word are organisations whatever NER said.
    for match in ([] if embedded else _RUN_RE.finditer(text_of(doc))):
        words = match.group().split()
        if words[-1].lower() in ORG_WORDS:
            # As above, a town's name right before the organisation word stays open.
            lead = len(words[0]) + 1 if len(words) > 2 and words[1].lower() in ORG_WORDS \
                and zipf_frequency(words[0].lower(), "en") < COMMON_WORD_ZIPF else 0
            blocked.append((match.start() + lead, match.end()))
    # "KABUL (Reuters) -", "told AFP": the sources of a report are no places.
    blocked += [m.span() for m in news_outlet_pattern().finditer(text_of(doc))]
    # Operation names follow the word "Operation" ("Operation 1027", "Operation Deterrence ...").
    for match in re.finditer(r"\bOperation\s+(?:[A-Z0-9][\w-]*\s*)+", text_of(doc)):
        blocked.append((match.start(), match.end()))
    return blocked, persons


def _inside(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def _strictly_inside(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e and (s, e) != (start, end) for s, e in ranges)


def _starts_name(word: str) -> bool:
    """"Aleppo" and "al-Qusayr" start a name; "the" and "of" do not."""
    return word[:1].isupper() or bool(re.match(_PARTICLE + "[A-Z]", word))


def _name_spans(doc: Doc, names_of_actors: Sequence[tuple[int, int]] = (), *,
                embedded: bool = False) -> list[NameSpan]:
    """Every sub-span (up to MAX_NAME_WORDS words) of every capitalised run, longest first."""
    text = text_of(doc)
    blocked, persons = _blocked_ranges(doc, embedded=embedded)
    blocked += list(names_of_actors)
    spans: list[NameSpan] = []
    for match in _RUN_RE.finditer(text):
        words = [(m.start() + match.start(), m.end() + match.start())
                 for m in _RUN_WORD_RE.finditer(match.group())]
        # A possessive ends the name ("Idlib's countryside"); so does a full stop after a
        # one-part word ("in Iraq."), which a lookup would ignore anyway.
        cut = [len(_POSSESSIVE_RE.search(text[s:e]).group()) for s, e in words]
        words = [(s, e - n) for (s, e), n in zip(words, cut)]
        words = [(s, e - 1) if text[s:e].endswith(".") and text[s:e].count(".") == 1 else (s, e)
                 for s, e in words]
        compound = _hyphen_compounds(words, text)
        feature = _feature_name(words, cut, text, embedded=embedded)
        # Words after a possessive belong to another name: "Goma" is the whole of "Goma's
        # Majengo neighbourhood" as far as being a whole name goes.
        segment = [sum(1 for n in cut[:k] if n) for k in range(len(words))]
        for i in range(len(words)):
            first = text[words[i][0]:words[i][1]]
            if not _starts_name(first) or first.lower() in LEADING_NON_NAMES or (
                    first.rstrip(".").lower() in TITLES and not first.isupper()):
                continue
            for j in range(min(len(words), i + MAX_NAME_WORDS), i, -1):
                start, end = words[i][0], words[j - 1][1]
                last = text[words[j - 1][0]:end]
                if start >= end or not _starts_name(last) or last.lower() in NAME_CONNECTORS:
                    continue
                if _inside(start, end, blocked) or _strictly_inside(start, end, persons):
                    continue
                if feature and (i >= feature[1] or feature[0] <= i and j <= feature[1] and (
                        (i, j) != feature[:2] or not feature[2])):
                    continue
                rest = [text[s:e].lower() for k, (s, e) in enumerate(words)
                        if not i <= k < j and segment[k] in (segment[i], segment[j - 1])]
                # An organisation's words after a town's name leave it whole ("Quetta Press Club").
                whole = all(w in MONTHS_AND_DAYS or w in STOP_WORDS for w in rest) or (
                    j < len(words) and text[words[j][0]:words[j][1]].lower() in ORG_WORDS)
                # An abbreviation joined by a hyphen is a label, not part of the name: the
                # party of "R-Charleston", the school of "Watertown-ML".
                siblings = tuple(text[s:e] for k, (s, e) in enumerate(words)
                                 if compound[k] in (compound[i], compound[j - 1])
                                 and not i <= k < j
                                 and not (text[s:e].isupper() and e - s <= 4))
                spans.append(NameSpan(text[start:end], start, end, whole_run=whole,
                                      hyphen_siblings=siblings))
    return spans


def _feature_name(words: list[tuple[int, int]], cut: list[int], text: str, *,
                  embedded: bool) -> tuple[int, int, bool] | None:
    """The words that name a facility or a natural feature in a run, and whether they may stand
    for a place on their own.

    "Mogadishu's Aden Adde International Airport" is an airport named "Aden Adde": that name may
    be a town's ("Kyiv's Boryspil International Airport"), but a piece of it ("Aden") is not.
    "Lake Kivu" and "Cape of Good Hope" are a lake and a cape: "Kivu" and "Good Hope" alone are
    other places, if any. Places inside facility names are counted in `embedded` mode.
    """
    lowered = [text[s:e].lower() for s, e in words]
    if len(words) > 1 and lowered[0] in LEADING_FEATURE_WORDS:
        return 1, len(words), False
    if embedded or not lowered or lowered[-1] not in FACILITY_WORDS:
        return None
    hi = len(words) - 1
    while hi > 0 and lowered[hi - 1] in FACILITY_WORDS | FACILITY_QUALIFIERS:
        hi -= 1
    # The name starts after a possessive owner ("Mogadishu's").
    lo = max((k + 1 for k in range(hi) if cut[k]), default=0)
    return (lo, hi, True) if lo < hi else None


def _hyphen_compounds(words: list[tuple[int, int]], text: str) -> list[int]:
    """For each word of a run, the index of the hyphenated name it belongs to.

    "Pont-Sondé" is one name of two words: a word joined to the next by a hyphen shares its index.
    """
    compound = [0] * len(words)
    for k in range(1, len(words)):
        joined = words[k][0] == words[k - 1][1] + 1 and text[words[k - 1][1]] in "-‐"
        compound[k] = compound[k - 1] if joined else compound[k - 1] + 1
    return compound


def _strip_feature_word(span: NameSpan) -> NameSpan | None:
    """"Chin State" -> "Chin" with a region cue; "Maungdaw Township" -> "Maungdaw" with a town cue."""
    head, _, tail = span.text.rpartition(" ")
    if not head:
        return None
    tail = tail.lower()
    if tail not in REGION_SUFFIXES and tail not in TOWN_SUFFIXES:
        return None
    return NameSpan(head, span.start, span.start + len(head), region_cue=tail in REGION_SUFFIXES,
                    city_cue=tail in TOWN_SUFFIXES, whole_run=span.whole_run)


def _apply_cues(span: NameSpan, text: str) -> None:
    before, after = text[max(0, span.start - 60):span.start], text[span.end:span.end + 60]
    span.region_cue = span.region_cue or bool(_REGION_BEFORE.search(before) or _REGION_AFTER.match(after))
    span.city_cue = span.city_cue or bool(_CITY_BEFORE.search(before) or _CITY_AFTER.match(after))
    span.vicinity = bool(_VICINITY_BEFORE.search(before) or _VICINITY_AFTER.match(after))


def _is_unknown_place(span: NameSpan, doc: Doc, taken: bytearray) -> bool:
    """A whole capitalised name the text itself calls a town ("the town of X", "X, a village")."""
    if not span.whole_run or any(taken[span.start:span.end]) or span.text.lower() in STOP_WORDS \
            or span.text.lower() in MONTHS_AND_DAYS or _HELD_BY.search(span.text) \
            or _INNER_POSSESSIVE.search(span.text):
        # "a TNLA-held town" names who holds it, not the town; "Goma's Majengo" is two names.
        return False
    text = text_of(doc)
    before, after = text[max(0, span.start - 40):span.start], text[span.end:span.end + 60]
    return bool(_CITY_BEFORE.search(before) or _CITY_AFTER.match(after) or _TOWN_APPOSITION.match(after)
                or _PLACE_WORD_AFTER.match(after) or _tied_by_direction(span, doc))


def _tied_by_direction(span: NameSpan, doc: Doc) -> bool:
    """"Umm Jurf in the western countryside of Aleppo", "Zemlyanka, 12 km north of Pokrovsk": only
    a place lies north of, or in the countryside of, another; a person or a group does not."""
    lead = _BEFORE_NEXT_NAME.match(text_of(doc)[span.end:span.end + 80])
    if not (lead and _TIED_TO.match(lead.group(1)) and _DIRECTION_WORDS.search(lead.group(1))):
        return False
    label = _label_at(doc, span.start, span.end)
    # NER calls many Arabic village names persons; "12 km north of" or "the countryside of" still
    # says place, where a bare "north of" after a name may be where a person stood.
    return label not in NOT_PLACE_LABELS | {"ORG", "NORP"} or (
        label == "PERSON" and bool(_MEASURED_TIE_WORDS.search(lead.group(1))))


def _is_plausible(span: NameSpan, doc: Doc) -> bool:
    """Reject names that are more likely ordinary words than the hamlet that shares them.

    Only where capitals say nothing: at the start of a sentence, in a headline-cased or an
    upper-case line. A capitalised word inside a sentence is a name ("a Columbia woman").
    """
    words = span.text.split()
    if len(words) == 1:
        word = words[0].lower().strip("’'")
        if span.text.isupper() and len(span.text) <= 4 and span.candidates:
            return True  # "US", "UK", "DRC": only countries' acronyms reach here
        if word in MONTHS_AND_DAYS or word in ARTICLES or word in NAME_PARTS or word in STOP_WORDS:
            return False  # "We" is no hamlet in New Caledonia
        common = zipf_frequency(word, "en") >= COMMON_WORD_ZIPF
        if common and _OF_NAME_AFTER.match(text_of(doc)[span.end:span.end + 40]):
            return False  # "Line" of "the Line of Control" is a word of a longer name
        if common and span.ner_label not in {"GPE", "LOC"} and _capitals_uninformative(span, doc):
            return any(c.kind in SELF_EVIDENT_KINDS or c.population >= 1_000_000
                       for c in span.candidates)
    return True


def _followed_by_container(span: NameSpan, chosen: list[NameSpan], text: str) -> bool:
    """"Greer, South Carolina": a name placed in a region or country is a place."""
    following = [o for o in chosen if o.start > span.end]
    if not following:
        return False
    nearest = min(following, key=lambda o: o.start)
    return bool(_CONTAINER_BETWEEN.match(text[span.end:nearest.start])) and any(
        c.kind in {"region", "country"} for c in nearest.candidates)


def _capitals_uninformative(span: NameSpan, doc: Doc) -> bool:
    token = doc.char_span(span.start, span.end, alignment_mode="expand")
    if token is None or span.text.isupper():
        return True
    first = token[0]
    # At a sentence's start, or after an opening quotation mark or bracket there ('"Constant
    # enemy shelling ...').
    while first.i > 0 and not first.is_sent_start and (first.nbor(-1).is_quote or first.nbor(-1).is_left_punct):
        first = first.nbor(-1)
    if first.is_sent_start:
        return True
    line_start = text_of(doc).rfind("\n", 0, span.start) + 1
    line_end = text_of(doc).find("\n", span.end)
    line = text_of(doc)[line_start: line_end if line_end != -1 else len(text_of(doc))].split()
    # A headline capitalises most of its words.
    return len(line) > 3 and sum(w[:1].isupper() for w in line) / len(line) > 0.6


def _listed_with_places(span: NameSpan, chosen: list[NameSpan], text: str) -> bool:
    """"Gwa, Taungup, and Ann": a common word in a list of places is a place too."""
    for other in chosen:
        between = text[other.end:span.start] if other.end <= span.start else text[span.end:other.start]
        if LIST_SEPARATOR.match(between):
            return True
    return False


def _is_name_pair(span: NameSpan, found: dict[str, list[Candidate]]) -> bool:
    """A part of a hyphenated name stands alone only in a pair of places ("Russia-Ukraine",
    "Kherson-Mykolaiv"), or when it names a country or region ("Israel-Hamas"): "Pont" of the
    town "Pont-Sondé" is no French "Pont-sur-Yonne"."""
    return all(w in found for w in span.hyphen_siblings) or any(
        c.kind in SELF_EVIDENT_KINDS for c in span.candidates)


def recognize_places(doc: Doc, gazetteer: CandidateSource,
                     names_of_actors: Sequence[tuple[int, int]] = (), *,
                     embedded: bool = False) -> list[NameSpan]:
    """Non-overlapping name spans that the gazetteer knows, longest match first, in text order.

    `names_of_actors` are spans of organisation names known to the actors table; no place is
    looked for inside them. `embedded` also reports places inside organisation names ("Ohio State
    University"), which frontlines' own annotation excludes but LGL's counts.
    """
    text = text_of(doc)
    raw = _name_spans(doc, names_of_actors, embedded=embedded)
    variants = [v for v in (_strip_feature_word(s) for s in raw) if v is not None]
    spans = raw + variants
    found = gazetteer.lookup({s.text for s in spans})
    # A name the text once calls a town is a place wherever else it appears ("entered Minova").
    unknown_towns = {s.text for s in spans if not found.get(s.text)
                     and _is_unknown_place(s, doc, bytearray(len(text) + 1))}
    demonym_words = demonyms()
    chosen: list[NameSpan] = []
    # One flag per character: is it already part of a chosen (longer) name?
    taken = bytearray(len(text) + 1)
    # Longer spans first, then spans with a cue-stripped variant before the bare name.
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if span.text in demonym_words or _ADJECTIVAL_AFTER.match(text[span.end:span.end + 12]):
            continue
        span.candidates = found.get(span.text, [])
        if not span.candidates:
            if span.text in unknown_towns and span.whole_run and not any(taken[span.start:span.end]):
                # "captured Adan Yabaal, a strategic town": a place the gazetteer lacks, reported
                # unresolved (never snapped to a namesake) so later stages know a place is named.
                span.city_cue = True
                chosen.append(span)
                taken[span.start:span.end] = b"\x01" * (span.end - span.start)
            continue
        span.candidates = [c for c in span.candidates if c.exact or span.whole_run]
        if span.hyphen_siblings and not _is_name_pair(span, found):
            continue
        # An acronym ("ARA", "RSF") names a country or nothing; a dotted abbreviation ("S.C.",
        # "D.C.", "N.Y.") is the written short form of a place's name, as the gazetteer has it.
        if span.text.isupper() and len(span.text) <= 4 and "." not in span.text:
            span.candidates = [c for c in span.candidates if c.kind == "country"]
        if not span.candidates or any(taken[span.start:span.end]):
            continue
        span.ner_label = _label_at(doc, span.start, span.end)
        if not _is_plausible(span, doc) and not _listed_with_places(span, chosen, text):
            continue
        _apply_cues(span, text)
        chosen.append(span)
        taken[span.start:span.end] = b"\x01" * (span.end - span.start)
    chosen.sort(key=lambda s: s.start)
    # "Lt Gen Igor Kirillov ... Kirillov said": a person's name, met again alone, is still a person.
    person_words = {ent.text.split()[-1] for ent in ents_of(doc) if ent.label_ == "PERSON" and len(ent) > 1
                    and not any(s.start <= ent.start_char and ent.end_char <= s.end for s in chosen)}
    titled = [m.span(1) for m in _TITLED_NAME_RE.finditer(text)]
    person_words |= {text[start:end].split()[-1] for start, end in titled}
    chosen = [s for s in chosen if not _inside(s.start, s.end, titled)
              or any(c.kind in SELF_EVIDENT_KINDS for c in s.candidates)]
    chosen = [s for s in chosen if " " in s.text or s.text not in person_words
              or any(c.kind in SELF_EVIDENT_KINDS for c in s.candidates)
              or _followed_by_container(s, chosen, text)]
    # "Tomahawk cruise missiles", "Patriot batteries": a weapon's name is a place only when the
    # text says so ("the town of Tomahawk", "Tomahawk, Wisconsin").
    weapons = weapon_names()
    chosen = [s for s in chosen if name_key(s.text) not in weapons or s.city_cue or s.region_cue
              or _followed_by_container(s, chosen, text)]
    # A dateline names the city the report was filed from, never a region ("WASHINGTON").
    datelines = [m.span(1) for m in _DATELINE_RE.finditer(text)]
    for span in chosen:
        if _inside(span.start, span.end, datelines):
            span.city_cue = True
    # "the countryside of Aleppo and Idlib", "Aleppo and Idlib provinces": a cue covers the list.
    for left, right in zip(chosen, chosen[1:]):
        if LIST_SEPARATOR.match(text[left.end:right.start]) and (left.region_cue or right.region_cue):
            left.region_cue = right.region_cue = True
    return chosen


# --- resolution --------------------------------------------------------------------------------


@dataclass(slots=True)
class DocumentContext:
    """What the whole article says about where it is, computed once before ranking any name.

    The countries the first pass settled on are kept per name as well, so that a name's own
    guess is no evidence for itself in the second pass: "Red Sea" said four times, once taken
    for Egypt's Red Sea governorate, does not make Egypt the article's country for it.
    """

    countries: Counter[str]
    neighbours: set[str]
    regions: Counter[tuple[str, str]]
    containers: dict[int, NameSpan]  # span start -> the span named as its container ("X in Y")
    # span start -> the place the text ties it to ("X, south of Y", "X in the countryside of Y")
    ties: dict[int, NameSpan] = field(default_factory=dict)
    settled: dict[str, Counter[str]] = field(default_factory=dict)  # name key -> countries
    # name key -> the country its candidates all lie in, counted as evidence of the article's
    # country, so that evidence from the other names can be told apart.
    self_support: dict[str, Counter[str]] = field(default_factory=dict)
    # The places the first pass settled on, each with its name key.
    settled_points: list[tuple[str, Candidate]] = field(default_factory=list)
    # name key -> its home region, asked for by every candidate of the name: computed once.
    home_regions: dict[str, tuple[str, str] | None] = field(default_factory=dict)

    def settle(self, name: str, code: str) -> None:
        self.countries[code] += 1
        self.settled.setdefault(name_key(name), Counter())[code] += 1

    def settle_point(self, name: str, cand: Candidate) -> None:
        if cand.kind not in SELF_EVIDENT_KINDS:
            self.settled_points.append((name_key(name), cand))
            self.home_regions.clear()

    def home_region(self, name: str) -> tuple[str, str] | None:
        """The first-level division most of the other settled places lie in, when at least two
        of them and more than in any other ("Alexandria" among Minnesota towns)."""
        key = name_key(name)
        if key not in self.home_regions:
            self.home_regions[key] = self._home_region(key)
        return self.home_regions[key]

    def _home_region(self, key: str) -> tuple[str, str] | None:
        counts = Counter((c.country, c.admin1_code) for k, c in self.settled_points
                         if k != key and c.admin1_code)
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]

    def without(self, name: str) -> DocumentContext:
        """The context without what the first pass settled for `name` itself."""
        own = self.settled.get(name_key(name))
        if not own:
            return self
        return DocumentContext(self.countries - own, self.neighbours, self.regions,
                               self.containers, self.ties, self_support=self.self_support,
                               settled_points=self.settled_points, home_regions=self.home_regions)


def _document_context(doc: Doc, spans: list[NameSpan], actor_countries: Counter[str]) -> DocumentContext:
    countries: Counter[str] = Counter()
    regions: Counter[tuple[str, str]] = Counter()
    self_support: dict[str, Counter[str]] = {}
    countries.update(demonym_countries(text_of(doc)))
    countries.update(actor_countries)
    for span in spans:
        kinds = {c.kind for c in span.candidates}
        codes = {c.country for c in span.candidates if c.country}
        if "country" in kinds:
            countries.update(c.country for c in span.candidates if c.kind == "country")
        elif len(codes) == 1 and span.whole_run and span.ner_label not in NOT_PLACE_LABELS:
            code = codes.pop()
            countries[code] += 1
            self_support.setdefault(name_key(span.text), Counter())[code] += 1
        for cand in span.candidates:
            if cand.kind == "region" and (span.region_cue or len(span.candidates) <= 2):
                regions[(cand.country, cand.admin1_code)] += 1
    containers, ties = {}, {}
    for inner, outer in zip(spans, spans[1:]):
        between = text_of(doc)[inner.end:outer.start]
        if _CONTAINER_BETWEEN.match(between):
            containers[inner.start] = outer
        elif _TIED_TO.match(between):
            ties[inner.start] = outer
    borders = neighbours()
    named = {code for code, count in countries.items() if count > 0}
    near = {n for code in named for n in borders.get(code, ())} - named
    return DocumentContext(countries, near, regions, containers, ties, self_support=self_support)


def _kind_prior(cand: Candidate, span: NameSpan) -> float:
    if cand.kind == "country":
        return 4.0
    if cand.kind in {"continent", "sea", "territory"}:
        return 3.5
    if cand.kind == "region" and cand.admin1_code is not None:
        if span.city_cue and not span.region_cue:
            return REGION_UNDER_CITY_CUE  # "the town of X", a dateline: X is a town
        # A region's own name, uncued, still usually means the region ("Minnesota", "Idlib"
        # in "Aleppo and Idlib"); the city-or-region choice is made afterwards.
        return 3.5 if span.region_cue else max(2.5, min(3.4, math.log10(cand.population + 10) / 2))
    if cand.kind in {"county", "district"}:
        # "Walker County", "Loroum province" name the division; a bare "Pokrovsk" is the town.
        named = span.region_cue or span.text.rsplit(" ", 1)[-1].lower() in DIVISION_WORDS
        return 3.0 if named else BARE_DIVISION_PRIOR
    if cand.kind in {"military base", "camp", "border crossing", "airport", "river", "strait",
                     "power plant", "lake", "cape", "canal"}:
        return 3.0
    if cand.geonameid is None and cand.admin1_code is None:
        # A place the team added to the supplement on purpose ("Middle East", a camp, a town
        # GeoNames lacks): it outranks GeoNames' hamlets that happen to share its name.
        return 3.5 if cand.kind == "region" else 2.5
    if cand.kind in LANDMARK_KINDS:
        return LANDMARK_PRIOR
    # cities500 lists a place with population 0 when GeoNames has no figure for a real town.
    return (math.log10(_size(cand) + 10) / 2 + (0.5 if span.city_cue else 0.0)
            + (CAPITAL_BONUS if cand.capital else 0.0))


def _score(cand: Candidate, span: NameSpan, ctx: DocumentContext,
           resolved: list[Candidate]) -> float:
    score = _kind_prior(cand, span)
    total = sum(ctx.countries.values()) or 1
    # A sea or a lake is in context when any country on its shores is.
    named = max((ctx.countries[code] for code in cand.country_codes), default=0)
    if named:
        score += 1.5 + 2.5 * named / total
    elif cand.country in ctx.neighbours:
        score += 1.0
    elif not span.whole_run:
        # Part of a longer capitalised run ("Ismail" of "Ismail Ayoub") in a country the article
        # never mentions: most likely a word of a person's or an organisation's name.
        score -= 1.0
    if cand.country and cand.admin1_code and ctx.regions[(cand.country, cand.admin1_code)]:
        score += 1.0  # the text names its region
    elif cand.kind not in SELF_EVIDENT_KINDS and cand.admin1_code \
            and ctx.home_region(span.text) == (cand.country, cand.admin1_code):
        score += HOME_REGION_BONUS  # most of the article's other places lie in its region
    container = ctx.containers.get(span.start)
    if container is not None and any(_contains(outer, cand) for outer in container.candidates):
        score += 4.0
    tie = ctx.ties.get(span.start)
    anchors = [a for a in tie.candidates if a.kind not in SELF_EVIDENT_KINDS] if tie else []
    if anchors:
        # "Shaqra, west of El Fasher": a namesake far from the town the text ties it to is not it.
        near_anchor = any(haversine_km(cand.latitude, cand.longitude, a.latitude, a.longitude) < TIE_KM
                          for a in anchors)
        score += TIE_BONUS if near_anchor else -TIE_BONUS
    own_support = ctx.self_support.get(name_key(span.text), Counter())
    named_by_others = max((ctx.countries[code] - own_support[code] for code in cand.country_codes),
                          default=0)
    if not named_by_others and len(ctx.settled_points) >= 2 and cand.kind not in SELF_EVIDENT_KINDS \
            and cand.population < CITY_POPULATION and all(
            haversine_km(cand.latitude, cand.longitude, c.latitude, c.longitude) > FAR_FROM_ARTICLE_KM
            for key, c in ctx.settled_points if key != name_key(span.text)):
        # A town in a country the article never names, far from every place it does name: an
        # article about Aleppo's districts does not visit an Iraqi namesake of one of them. A city
        # of 100,000 people is news in its own right ("Gaza", "Arlington") and is spared.
        score -= FAR_FROM_ARTICLE_PENALTY
    if resolved and cand.kind not in {"country", "continent"}:
        # Places an article names cluster: each resolved neighbour within reach is evidence.
        neighbours = sum(1 for r in resolved if r.kind not in {"country", "continent"}
                         and r.id != cand.id and haversine_km(cand.latitude, cand.longitude,
                                                              r.latitude, r.longitude) < NEARBY_KM)
        score += min(NEARBY_BONUS_CAP, NEARBY_BONUS * neighbours)
    score -= (100 - cand.match_ratio) / 10
    if not cand.primary_name:
        score -= ALTERNATE_NAME_PENALTY
    if span.ner_label == "PERSON":
        # Only a person label counts against a name: the small model's PRODUCT, LAW or
        # WORK_OF_ART on an unfamiliar town ("Manbij") is noise.
        score -= 0.5
    elif span.ner_label in PLACE_LABELS:
        score += 0.5
    return score + _namesake_bonus(cand, span)


def _namesake_bonus(cand: Candidate, span: NameSpan) -> float:
    """Support from the name itself: one country has it, or one namesake dwarfs the others.

    "Sargodha" or "Butembo" need no context; "Kherson" the Ukrainian city needs none against a
    Greek hamlet. A famous namesake gets no bonus against a local place of real size.
    """
    exact = [c for c in span.candidates if c.exact]
    if cand not in exact or not span.whole_run:  # "al-Jadida" of an unknown "Qaryat ... al-Jadida"
        return 0.0
    if cand.kind not in SELF_EVIDENT_KINDS:
        # "Zaporizhzhia" is the city of 700,000, not one of the villages of its name that lie
        # nearer the article's other places: the clustering bonus never outweighs such a size.
        # Only among one country's places: abroad, "London" the capital against London, Ontario,
        # is the article's context to decide (below).
        rivals = [c for c in exact if c is not cand and c.kind not in SELF_EVIDENT_KINDS]
        if rivals and all(c.country == cand.country for c in rivals) and \
                _size(cand) >= DOMINANT_RATIO * max(_size(c) for c in rivals):
            return NEARBY_BONUS_CAP + 1.0
    if len({c.country for c in exact}) == 1:
        return 1.0
    rivals = [c.population for c in exact if c.country != cand.country]
    if cand.population >= DOMINANT_RATIO * max(rivals, default=0):
        return 0.75
    return 0.0


def _size(cand: Candidate) -> int:
    """A place's population, or what a place of unknown size is taken to have."""
    return cand.population or (UNKNOWN_VILLAGE_POPULATION if cand.kind in VILLAGE_KINDS
                               else UNKNOWN_TOWN_POPULATION)


def _contains(outer: Candidate, inner: Candidate) -> bool:
    if outer.kind == "country":
        return inner.country == outer.country and inner.kind != "country"
    if outer.kind == "region":
        return inner.country == outer.country and inner.admin1_code == outer.admin1_code \
            and inner.kind != "region"
    return False


# A name resolves only when its best candidate has at least this much support; below it the
# "none of these" answer wins. A town of ~5,000 with its country named scores above it; the same
# town with no context does not.
NIL_THRESHOLD = 3.0


def _is_capital_of(a: Candidate, b: Candidate) -> bool:
    """True when one of the two is a region and the other its capital town."""
    region, town = (a, b) if a.kind == "region" else (b, a)
    return region.anchor_latitude is not None and haversine_km(
        region.anchor_latitude, region.anchor_longitude, town.latitude, town.longitude) < 2


def _prefer_city_or_region(best: Candidate, ranked: list[tuple[float, Candidate]],
                           span: NameSpan) -> Candidate:
    """"Aleppo" is both a governorate and its capital: the text's cue decides, the city by default.

    So for a national capital and a region of its country that share a name ("Washington"):
    without "state" or "province" the capital is meant.
    """
    twins = [c for _, c in ranked if c.country == best.country and c.kind != best.kind
             and {c.kind, best.kind} & {"region"}
             and ((c.admin1_code == best.admin1_code and _is_capital_of(c, best))
                  or (c.exact and (c.capital or best.capital)))]
    if not twins:
        return best
    twin = twins[0]
    region, city = (best, twin) if best.kind == "region" else (twin, best)
    return region if span.region_cue and not span.city_cue else city


# With all of GeoNames imported a name may have thousands of namesakes ("Santa Maria"): beyond
# this many, only those in the countries the article names or borders, and the largest, are ranked.
MAX_CANDIDATES = 50


def _plausible_candidates(candidates: list[Candidate], ctx: DocumentContext) -> list[Candidate]:
    if len(candidates) <= MAX_CANDIDATES:
        return candidates
    in_context = [c for c in candidates if any(ctx.countries[code] or code in ctx.neighbours
                                               for code in c.country_codes)]
    largest = sorted(candidates, key=lambda c: (-c.population, c.id))[:MAX_CANDIDATES]
    kept = {c.id: c for c in largest + in_context[:MAX_CANDIDATES * 4]}
    return list(kept.values())


def resolve_places(doc: Doc, spans: list[NameSpan], actor_countries: Counter[str] | None = None) -> list[Place]:
    """Each span's best candidate, or none; `actor_countries` are the countries of the forces and
    groups the text names, evidence of where the article is like its demonyms."""
    ctx = _document_context(doc, spans, actor_countries or Counter())
    for span in spans:
        span.candidates = _plausible_candidates(span.candidates, ctx)
    # "al-Qusayr in Homs": a name that contains another is the region, not its namesake town.
    for outer in ctx.containers.values():
        outer.region_cue = True
    choice = _rank_all(spans, ctx)
    # Second pass: the countries the first pass settled on are context for the rest ("Athens"
    # in an article whose other places all lie in Georgia, USA).
    settled = [(span.text, choice[span.start][0]) for span in spans
               if choice[span.start][0] is not None and choice[span.start][0].country]
    if settled:
        for name, cand in settled:
            ctx.settle(name, cand.country)
            ctx.settle_point(name, cand)
        choice = _rank_all(spans, ctx)
    places = []
    for span in spans:
        cand, score = choice[span.start]
        places.append(_to_place(span, cand, score))
    return _tie_unknown_places(_within_owners(places, text_of(doc)), ctx.ties)


def _within_owners(places: list[Place], text: str) -> list[Place]:
    """"Imphal's Khurai area", "Lido beach in Mogadishu": a part of a town lies in the town; a
    namesake far away is not it, and the part is left unresolved."""
    for i in range(1, len(places)):
        first, second = places[i - 1], places[i]
        between = text[first.end:second.start]
        if _POSSESSIVE_BETWEEN.match(between):
            owner, part, index = first, second, i
        elif _PART_IN_BETWEEN.match(between):
            owner, part, index = second, first, i - 1
        else:
            continue
        if (owner.resolved and part.resolved and owner.kind in {"city", "town", "village"}
                and part.kind not in SELF_EVIDENT_KINDS
                and haversine_km(owner.latitude, owner.longitude, part.latitude, part.longitude) > PART_OF_TOWN_KM):
            places[index] = Place(mention=part.mention, start=part.start, end=part.end,
                                  vicinity=part.vicinity, score=part.score)
    return places


def _tie_unknown_places(places: list[Place], ties: dict[int, NameSpan]) -> list[Place]:
    """A place no gazetteer knows, tied by the text to one it does (`DocumentContext.ties`), is
    located there (precision 2): its record has no gazetteer name and says whose point it carries;
    it is never snapped to a namesake."""
    by_start = {p.start: p for p in places}
    for i, place in enumerate(places):
        tie = ties.get(place.start)
        if place.resolved or tie is None:
            continue
        anchor = by_start[tie.start]
        if not anchor.resolved or anchor.located_at:
            continue
        if anchor.kind in _TIE_KINDS:
            lat, lon = anchor.latitude, anchor.longitude
        elif anchor.anchor_latitude is not None:  # "the countryside of Aleppo": by its capital
            lat, lon = anchor.anchor_latitude, anchor.anchor_longitude
        else:
            continue
        places[i] = Place(mention=place.mention, start=place.start, end=place.end,
                          kind="village", country=anchor.country,
                          admin1=anchor.admin1, latitude=lat, longitude=lon,
                          score=place.score, vicinity=True, located_at=anchor.name)
    return places


# Villages of one name far apart, none of them supported by the text more than the others by this
# much: the text has not said which one it means.
UNDECIDED_MARGIN = 0.5
NAMESAKES_APART_KM = 50


def _undecided_namesakes(ranked: list[tuple[float, Candidate]]) -> bool:
    """A national gazetteer has a dozen "Tha Yet Pin"s: with nothing in the text to prefer one,
    the answer is none of them, not whichever sorts first."""
    best_score, best = ranked[0]
    if best.population or best.kind not in VILLAGE_KINDS:
        return False
    return any(best_score - score < UNDECIDED_MARGIN and haversine_km(
        best.latitude, best.longitude, other.latitude, other.longitude) > NAMESAKES_APART_KM
        for score, other in ranked[1:])


def _rank_all(spans: list[NameSpan], ctx: DocumentContext) -> dict[int, tuple[Candidate | None, float]]:
    # Distinct places only: a town named forty times is one neighbour, not forty. Each is kept
    # with the name it was resolved for, which is no neighbour of its own namesakes.
    resolved: dict[int, tuple[str, Candidate]] = {}
    # Resolve the least ambiguous names first so they can anchor the rest.
    order = sorted(spans, key=lambda s: len(s.candidates))
    choice: dict[int, tuple[Candidate | None, float]] = {}
    for span in order:
        key = name_key(span.text)
        others = [c for k, c in resolved.values() if k != key]
        span_ctx = ctx.without(span.text)
        ranked = sorted(((_score(c, span, span_ctx, others), c) for c in span.candidates),
                        key=lambda sc: (-sc[0], -sc[1].population))
        if not ranked:  # a place the text names but the gazetteer lacks
            choice[span.start] = (None, 0.0)
            continue
        best_score, best = ranked[0]
        if best_score < NIL_THRESHOLD or _undecided_namesakes(ranked):
            choice[span.start] = (None, best_score)
            continue
        best = _prefer_city_or_region(best, ranked, span)
        choice[span.start] = (best, best_score)
        resolved[best.id] = (key, best)
    return choice


def _to_place(span: NameSpan, cand: Candidate | None, score: float) -> Place:
    place = Place(mention=span.text, start=span.start, end=span.end, vicinity=span.vicinity,
                  score=round(score, 3))
    if cand is None:
        return place
    place.name = cand.name
    place.kind = REGION_KIND_BY_COUNTRY.get(cand.country or "", "province") \
        if cand.kind == "region" else cand.kind
    place.country = cand.country
    place.admin1 = cand.admin1
    place.latitude = round(cand.latitude, 4)
    place.longitude = round(cand.longitude, 4)
    place.geonameid = cand.geonameid
    place.population = cand.population
    place.located_at = cand.located_at
    if cand.anchor_latitude is not None:
        place.anchor_latitude = cand.anchor_latitude
        place.anchor_longitude = cand.anchor_longitude
    return place


@lru_cache(maxsize=1)
def _demonym_re() -> re.Pattern[str]:
    words = sorted(demonyms(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def demonym_countries(text: str) -> Counter[str]:
    """How often the text uses each country's adjective ("Syrian", "Russian warplanes")."""
    codes = demonyms()
    return Counter(code for m in _demonym_re().finditer(text) if (code := codes[m.group()]))


def demonym_places(text: str, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Adjectival uses of country names ("Sudanese", "Israeli") as places of their country.

    frontlines' own annotation keeps demonyms out of the places list, but benchmark corpora such
    as LGL count them as toponyms, so the benchmark harness asks for them explicitly.
    """
    gaz = gazetteer or default_gazetteer()
    found = []
    for m in _demonym_re().finditer(text):
        code = demonyms()[m.group()]
        country = gaz.country(code) if code else None
        if country is not None:
            found.append(_to_place(NameSpan(m.group(), m.start(), m.end()), country, 0.0))
    return found


def extract_places(doc: Doc, gazetteer: CandidateSource | None = None, *,
                   names_of_actors: Sequence[tuple[int, int]] = (), embedded: bool = False,
                   actor_countries: Counter[str] | None = None) -> list[Place]:
    """The stage's entry point: every place name in `doc`, resolved where the evidence allows.

    An unresolved name is kept only when something other than the gazetteer says it is a place
    (NER's GPE/LOC/FAC or a cue such as "the town of"), so stray capitalised words are not reported.
    """
    gaz = gazetteer or default_gazetteer()
    spans = recognize_places(doc, gaz, names_of_actors, embedded=embedded)
    evidence = {s.start for s in spans if s.ner_label in PLACE_LABELS or s.region_cue or s.city_cue}
    return [p for p in resolve_places(doc, spans, actor_countries) if p.resolved or p.start in evidence]
