"""Numbers the text claims: "at least 850 square kilometers", "half a million Syrians".

`extract_figures(doc, outlet=..., quotes=...)` reads each number written in digits or words,
keeps those that count something (a noun follows: the unit), and records the qualifier in front
("at least", "more than", "over") and who makes the claim: the speaker when the number is inside
a quotation, else the source the sentence credits ("..., the observatory reported", "according
to X"), else the outlet itself.

Dates, years, clock times, ordinals, list numbers, ages and numbers that are part of a name
("Battalion No. 5", "Operation 1027") are not figures, and neither are vague counts ("hundreds
of shells", "dozens of villages"): a figure's quantity is always a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.attrs import IDX, LOWER
from spacy.strings import get_string_id

from frontlines.nlp import text_of
from frontlines.models import Figure, Quote
from frontlines.quotes import SpeechIndex, speech_index

if TYPE_CHECKING:  # spaCy is heavy; only the types are needed here
    from spacy.tokens import Doc, Token

__all__ = ["extract_figures"]

# --- word lists (data) -------------------------------------------------------------------------

# "one" is left out: "on one front", "one of the reasons" are rarely counts worth recording.
NUMBER_WORDS: dict[str, int] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
# The second half of "twenty-five".
DIGIT_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
}
SCALES: dict[str, float] = {
    "dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000,
}
# Determiners that stand for "one" before a scale word: "a million", "a dozen".
ONE_WORDS: frozenset[str] = frozenset({"a", "an", "one"})

# Qualifiers, longest first so "no fewer than" wins over "fewer than"; value = how it is recorded.
QUALIFIERS: dict[str, str] = {
    "no fewer than": "at least", "no less than": "at least", "as many as": "as many as",
    "at least": "at least", "at most": "at most", "more than": "more than",
    "less than": "less than", "fewer than": "fewer than", "up to": "up to",
    "close to": "close to", "upwards of": "more than", "just over": "just over",
    "well over": "well over", "just under": "just under", "an estimated": "estimated",
    "an additional": "another", "a further": "another", "estimated": "estimated",
    "approximately": "approximately", "roughly": "roughly", "nearly": "nearly",
    "almost": "almost", "some": "about", "another": "another", "about": "about",
    "around": "around", "over": "over", "under": "under", "above": "above", "below": "below",
}
# These are prepositions too: "control over 108 villages" has no qualifier.
PREPOSITIONAL_QUALIFIERS: frozenset[str] = frozenset({
    "about", "above", "around", "below", "over", "under",
})

# Adjectives that belong to the unit: "square kilometers".
MEASURE_ADJECTIVES: frozenset[str] = frozenset({"square", "cubic", "metric", "nautical"})
TIME_UNITS: frozenset[str] = frozenset({
    "second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
})
# "three days ago", "two weeks away": a point in time, not a quantity.
RELATIVE_TIME: frozenset[str] = frozenset({"ago", "earlier", "later", "away", "hence"})
MONTHS: frozenset[str] = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
})
CLOCK_WORDS: frozenset[str] = frozenset({
    "am", "pm", "a.m.", "p.m.", "gmt", "utc", "hrs", "o'clock", "local",
})
AGE_CUES: frozenset[str] = frozenset({"aged", "age", "ages"})
# A number after these is an identifier: "Battalion No. 5", "Resolution number 2254".
IDENTIFIER_CUES: frozenset[str] = frozenset({"no", "no.", "nr", "nr.", "number", "#"})
# With no noun after the number, these verbs say what was counted: "kills 89", "25 Killed".
CASUALTY_LEMMAS: frozenset[str] = frozenset({
    "kill", "die", "injure", "wound", "dead", "death", "killed", "injured", "wounded",
})
CASUALTY_UNIT = "people"
CURRENCIES: dict[str, str] = {"$": "US dollars", "€": "euros", "£": "pounds"}
PERCENT_WORDS: frozenset[str] = frozenset({"%", "percent", "per cent"})
# Nouns that take the unit of the figure before them: "25 people ... and 30 others".
PLACEHOLDER_UNITS: frozenset[str] = frozenset({"others", "more"})
YEARS = range(1900, 2101)
SENTENCE_END = frozenset({".", "!", "?"})
MAX_UNIT_DISTANCE = 4  # tokens between the number and its head noun

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_OPENING_IDS = frozenset(map(get_string_id, {"half", *ONE_WORDS, *NUMBER_WORDS}))
_QUALIFIER_WORDS = [(phrase, phrase.split())
                    for phrase in sorted(QUALIFIERS, key=lambda p: -len(p.split()))]


@dataclass(slots=True, frozen=True)
class _Number:
    value: float
    start: int  # token indices, end exclusive
    end: int


@dataclass(slots=True, frozen=True)
class _Unit:
    text: str
    last: int  # index of the unit's last token


# --- public API --------------------------------------------------------------------------------

def extract_figures(doc: Doc, *, outlet: str | None, quotes: Sequence[Quote]) -> list[Figure]:
    """Counted quantities with unit, qualifier and claimant, in text order."""
    index = speech_index(doc, exclude=[(q.start, q.end) for q in quotes])
    figures: list[Figure] = []
    i = 0  # the first token not yet read
    for start in _number_openers(doc):
        if start < i:
            continue  # part of the number read last
        number = _read_number(doc, start)
        if number is None:
            continue
        i = number.end
        figure = _figure(doc, number, figures, outlet, quotes, index)
        if figure is not None:
            figures.append(figure)
    return figures


def _figure(doc: Doc, number: _Number, earlier: list[Figure], outlet: str | None,
            quotes: Sequence[Quote], index: SpeechIndex) -> Figure | None:
    qualifier = _qualifier(doc, number.start)
    if _not_a_count(doc, number, qualified=qualifier is not None):
        return None
    unit = _unit(doc, number)
    if unit is None:
        return None
    first = qualifier[1] if qualifier else _currency_start(doc, number.start)
    start = doc[first].idx
    end = doc[unit.last].idx + len(doc[unit.last].text)
    unit_text = unit.text
    if unit_text.lower() in PLACEHOLDER_UNITS:
        unit_text = _previous_unit(doc, number, earlier) or unit_text
    return Figure(
        quantity=number.value,
        unit=unit_text,
        qualifier=qualifier[0] if qualifier else None,
        claimant=_claimant(doc[number.start], quotes, index, outlet),
        text=text_of(doc)[start:end],
        start=start,
        end=end,
    )


# --- reading numbers ---------------------------------------------------------------------------

def _number_openers(doc: Doc) -> list[int]:
    """The tokens `_read_number` can start at (digits, "half", "a", "one", a number word), found
    in one pass over arrays of ids and offsets so that it is not tried at every token."""
    text = text_of(doc)
    rows = doc.to_array([IDX, LOWER]).tolist() if len(doc) else []
    # _DIGITS needs a decimal digit (\d, Unicode category Nd, as str.isdecimal) first.
    return [i for i, (idx, lower) in enumerate(rows) if lower in _OPENING_IDS
            or (text[idx].isdecimal() and _DIGITS.match(doc[i].text))]


def _read_number(doc: Doc, i: int) -> _Number | None:
    """A number written in digits or words starting at token i, with its scale words."""
    read = _digits(doc, i) or _fraction_of_scale(doc, i) or _one_scale(doc, i) or \
        _number_word(doc, i)
    if read is None:
        return None
    value, j = read
    while j < len(doc) and doc[j].lower_ in SCALES:  # "10.7 million", "two dozen"
        value *= SCALES[doc[j].lower_]
        j += 1
    return _Number(value, i, j)


def _digits(doc: Doc, i: int) -> tuple[float, int] | None:
    if not _DIGITS.match(doc[i].text):
        return None
    return float(doc[i].text.replace(",", "")), i + 1


def _fraction_of_scale(doc: Doc, i: int) -> tuple[float, int] | None:
    """"half a million" → 500000."""
    if i + 2 < len(doc) and doc[i].lower_ == "half" and doc[i + 1].lower_ in ONE_WORDS and \
            doc[i + 2].lower_ in SCALES:
        return 0.5 * SCALES[doc[i + 2].lower_], i + 3
    return None


def _one_scale(doc: Doc, i: int) -> tuple[float, int] | None:
    """"a dozen", "a million" (the scale is applied by the caller)."""
    if i + 1 < len(doc) and doc[i].lower_ in ONE_WORDS and doc[i + 1].lower_ in SCALES:
        return 1.0, i + 1
    return None


def _number_word(doc: Doc, i: int) -> tuple[float, int] | None:
    word = doc[i].lower_
    if word not in NUMBER_WORDS:
        return None
    value, j = float(NUMBER_WORDS[word]), i + 1
    if j + 1 < len(doc) and doc[j].text == "-" and not doc[i].whitespace_ and \
            doc[j + 1].lower_ in DIGIT_WORDS and value >= 20:  # "twenty-five"
        value += DIGIT_WORDS[doc[j + 1].lower_]
        j += 2
    return value, j


# --- what is not a count -----------------------------------------------------------------------

def _not_a_count(doc: Doc, number: _Number, *, qualified: bool) -> bool:
    return (
        (_is_year(doc, number) and not qualified)
        or _next_to_month(doc, number)
        or _is_clock_time(doc, number)
        or _is_list_number(doc, number)
        or _is_age(doc, number)
        or _in_name(doc, number)
        or doc[number.start].ent_type_ == "ORDINAL"
    )


def _is_year(doc: Doc, number: _Number) -> bool:
    text = doc[number.start].text
    return number.end - number.start == 1 and text.isdigit() and len(text) == 4 and \
        int(text) in YEARS


def _next_to_month(doc: Doc, number: _Number) -> bool:
    prev = doc[number.start - 1].lower_.rstrip(".") if number.start > 0 else ""
    nxt = doc[number.end].lower_.rstrip(".") if number.end < len(doc) else ""
    return prev in MONTHS or nxt in MONTHS


def _is_clock_time(doc: Doc, number: _Number) -> bool:
    nxt = doc[number.end].lower_ if number.end < len(doc) else ""
    return ":" in doc[number.start].text or nxt in CLOCK_WORDS


def _is_list_number(doc: Doc, number: _Number) -> bool:
    """"1." or "2)" opening a line, or "(3)" on its own."""
    nxt = doc[number.end].text if number.end < len(doc) else ""
    prev = doc[number.start - 1] if number.start > 0 else None
    line_start = prev is None or "\n" in prev.text or prev.text in ("-", "*", "•")
    return (line_start and nxt in (".", ")")) or (prev is not None and prev.text == "("
                                                  and nxt == ")")


def _is_age(doc: Doc, number: _Number) -> bool:
    before = [t.lower_ for t in doc[max(0, number.start - 2):number.start]]
    after = [t.lower_ for t in doc[number.end:number.end + 4]]
    if before and (before[-1] in AGE_CUES or before == ["age", "of"]):
        return True
    # "25-year-old", "25 years old"
    return "old" in after and any(word.startswith("year") for word in after[:3])


def _in_name(doc: Doc, number: _Number) -> bool:
    """"Battalion No. 5", "Operation 1027", "Military Operation Command 15"."""
    if number.start == 0:
        return False
    prev = doc[number.start - 1]
    if prev.lower_ in IDENTIFIER_CUES:
        return True
    if prev.text == "." and number.start > 1 and doc[number.start - 2].lower_ in IDENTIFIER_CUES:
        return True
    return prev.pos_ == "PROPN" and prev.is_title and not prev.is_sent_start and \
        prev.lower_ not in MONTHS


# --- unit and qualifier ------------------------------------------------------------------------

def _unit(doc: Doc, number: _Number) -> _Unit | None:
    j = number.end
    if j < len(doc) and doc[j].lower_ in PERCENT_WORDS:
        return _Unit("percent", j)
    if number.start > 0 and doc[number.start - 1].text in CURRENCIES:
        return _Unit(CURRENCIES[doc[number.start - 1].text], number.end - 1)
    unit = _hyphen_unit(doc, number) or _noun_unit(doc, number)
    if unit is not None:
        return None if _is_point_in_time(doc, unit) else unit
    return _casualty_unit(doc, number)


def _hyphen_unit(doc: Doc, number: _Number) -> _Unit | None:
    """"270-kilometer border" counts kilometers, not borders."""
    j = number.end
    if j + 1 >= len(doc) or doc[j].text != "-" or doc[number.end - 1].whitespace_:
        return None
    measure = doc[j + 1]
    if measure.pos_ not in ("NOUN", "ADJ") or not measure.is_alpha:
        return None
    return _Unit(measure.text.lower(), j + 1)


def _noun_unit(doc: Doc, number: _Number) -> _Unit | None:
    """The head noun the number counts, with the compounds in front of it: "108 villages",
    "850 square kilometers", "10.7 million people"."""
    head = doc[number.end - 1].head
    if not (number.end <= head.i < number.end + MAX_UNIT_DISTANCE
            and head.pos_ in ("NOUN", "PROPN")):
        head = doc[number.end] if number.end < len(doc) and \
            doc[number.end].pos_ == "NOUN" else None
    if head is None:
        return None
    between = doc[number.end:head.i]
    if any(t.pos_ not in ("ADJ", "NOUN", "PROPN") for t in between):
        return None  # "two or three weeks": "two" counts nothing by itself
    words = [t.text for t in between if t.pos_ == "NOUN" or t.lower_ in MEASURE_ADJECTIVES]
    return _Unit(" ".join(words + [head.text]), head.i)


def _casualty_unit(doc: Doc, number: _Number) -> _Unit | None:
    """"kills 89", "25 Killed": the verb says people were counted."""
    last = doc[number.end - 1]
    nxt = doc[number.end] if number.end < len(doc) else None
    if last.head.lemma_.lower() in CASUALTY_LEMMAS or (
            nxt is not None and nxt.lemma_.lower() in CASUALTY_LEMMAS):
        return _Unit(CASUALTY_UNIT, number.end - 1)
    return None


def _is_point_in_time(doc: Doc, unit: _Unit) -> bool:
    head = doc[unit.last]
    nxt = doc[unit.last + 1].lower_ if unit.last + 1 < len(doc) else ""
    return head.lemma_.lower() in TIME_UNITS and nxt in RELATIVE_TIME


def _qualifier(doc: Doc, start: int) -> tuple[str, int] | None:
    """The qualifier right before the number and the index of its first token."""
    first = _currency_start(doc, start)
    word_before = doc[first - 1].lower_ if first > 0 else None
    for phrase, words in _QUALIFIER_WORDS:
        k = first - len(words)
        if k < 0 or words[-1] != word_before or [t.lower_ for t in doc[k:first]] != words:
            continue
        if len(words) == 1 and phrase in PREPOSITIONAL_QUALIFIERS and \
                doc[k].dep_ not in ("quantmod", "advmod"):
            continue
        return QUALIFIERS[phrase], k
    return None


def _currency_start(doc: Doc, start: int) -> int:
    return start - 1 if start > 0 and doc[start - 1].text in CURRENCIES else start


def _previous_unit(doc: Doc, number: _Number, earlier: list[Figure]) -> str | None:
    sent = doc[number.start].sent
    for figure in reversed(earlier):
        if figure.start >= sent.start_char and figure.unit.lower() not in PLACEHOLDER_UNITS:
            return figure.unit
    return None


# --- claimant ----------------------------------------------------------------------------------

def _claimant(tok: Token, quotes: Sequence[Quote], index: SpeechIndex,
              outlet: str | None) -> str | None:
    for quote in quotes:
        if quote.start <= tok.idx < quote.end and quote.speaker:
            return quote.speaker
    lo, hi = _sentence_bounds(tok)
    for ancestor in tok.ancestors:  # "X reported that ... 21 villages": the nearest reporter
        if not lo <= ancestor.i < hi:
            break
        if ancestor.i in index.by_token:
            return index.by_token[ancestor.i].name
    credited = [i for i in range(lo, hi) if i in index.by_token]
    according = [i for i in credited if tok.doc[i].lower_ == "according"]
    if according or credited:
        return index.by_token[(according or credited)[0]].name
    return outlet


def _sentence_bounds(tok: Token) -> tuple[int, int]:
    """Token range of the sentence around `tok`, cut at full stops and line breaks: spaCy's
    own sentences sometimes run across both."""
    doc = tok.doc
    lo = tok.i
    while lo > 0 and not _ends_sentence(doc[lo - 1]):
        lo -= 1
    hi = tok.i + 1
    while hi < len(doc) and not _ends_sentence(doc[hi - 1]):
        hi += 1
    return lo, hi


def _ends_sentence(tok: Token) -> bool:
    return "\n" in tok.text or tok.text in SENTENCE_END
