"""Direct quotations and who said them.

`extract_quotes(doc)` returns every quotation of two or more words that the text attributes to a
speaker: in the same sentence ("...," said Keceli / X said "..." / According to X, "..."), or, for
a paragraph that is nothing but a quotation, the speaker named last before it. Scare quotes,
operation names and one-word quotes are left out.

Speakers are resolved across the article: a pronoun stands for the last named speaker, a surname
("Shaaban", or the variant "Shaban") for the full name introduced earlier, and a definite noun
("the army", "the researcher") for the fuller mention before it. The affiliation comes from the
words around the name where it is introduced ("spokesperson Oncu Keceli", "X, a fighter with Y").

`speech_index(doc)` exposes the same speaker resolution for every speech verb and "according to",
so `figures` can credit a number to whoever the sentence says reported it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LEMMA, LOWER, ORTH, POS
from spacy.strings import get_string_id
from spacy.symbols import VERB

from frontlines.nlp import ents_of, text_of
from frontlines.models import Quote

if TYPE_CHECKING:  # spaCy is heavy; only the types are needed here
    from spacy.tokens import Doc, Span, Token

__all__ = ["Speaker", "SpeechIndex", "extract_quotes", "speech_index"]

# --- word lists (data) -------------------------------------------------------------------------

# Lemmas of verbs that attribute words to a speaker. "call" is left out on purpose: "what he
# called 'terrorists'" names a thing, it does not quote a statement.
SPEECH_VERBS: frozenset[str] = frozenset({
    "acknowledge", "add", "admit", "affirm", "allege", "announce", "argue", "assert", "caution",
    "claim", "comment", "conclude", "confirm", "contend", "declare", "deny", "describe",
    "emphasise", "emphasize", "estimate", "explain", "highlight", "insist", "maintain", "mention",
    "note", "observe", "pledge", "point", "predict", "promise", "quote", "recall", "remark",
    "reply", "report", "respond", "reveal", "say", "state", "stress", "tell", "threaten",
    "tweet", "underline", "underscore", "urge", "vow", "warn", "write",
})

# Role nouns for someone who speaks for, or belongs to, an organisation: "Hamas spokesman X".
MEMBER_ROLES: frozenset[str] = frozenset({
    "activist", "adviser", "advisor", "aide", "analyst", "chair", "chairman", "chairwoman",
    "chief", "commander", "coordinator", "correspondent", "deputy", "director", "doctor",
    "economist", "envoy", "expert", "fellow", "fighter", "founder", "head", "historian",
    "journalist", "lawyer", "leader", "lecturer", "medic", "member", "militant", "monitor",
    "negotiator", "observer", "officer", "official", "professor", "representative",
    "reporter", "researcher", "resident", "scholar", "soldier", "source", "spokesman",
    "spokesperson", "spokeswoman", "volunteer", "witness", "worker",
})

# Titles of office that describe the speaker by themselves: "Russian Foreign Minister".
OFFICE_TITLES: frozenset[str] = frozenset({
    "ambassador", "brigadier", "captain", "chancellor", "colonel", "commissioner", "emir",
    "general", "governor", "king", "lawmaker", "lieutenant", "major", "mayor", "minister", "mp",
    "pm", "premier", "president", "prime", "prince", "queen", "secretary", "senator", "sheikh",
})

# Abbreviated ranks and honorifics, which the tokenizer keeps with their full stop.
TITLE_ABBREVIATIONS: frozenset[str] = frozenset({
    "adm.", "brig.", "capt.", "col.", "cpl.", "dr.", "gen.", "gov.", "lt.", "maj.", "mr.",
    "mrs.", "ms.", "prof.", "rep.", "sen.", "sgt.",
})

ROLE_WORDS: frozenset[str] = MEMBER_ROLES | OFFICE_TITLES | TITLE_ABBREVIATIONS

# Head nouns of organisation names: a name containing one is not a person.
ORG_HEADS: frozenset[str] = frozenset({
    "administration", "agency", "alliance", "army", "assembly", "association", "authority",
    "battalion", "brigade", "center", "centre", "coalition", "command", "commission", "committee",
    "corps", "council", "court", "department", "division", "embassy", "force", "forces", "front",
    "foundation", "government", "group", "guard", "institute", "league", "militia", "ministry",
    "mission", "movement", "network", "observatory", "office", "organisation", "organization",
    "parliament", "party", "police", "regiment", "union", "university",
})

# Prepositions that link a role to the organisation it belongs to: "researcher at X".
AFFILIATION_PREPS: frozenset[str] = frozenset({"at", "with", "of", "for", "from"})

# Lower-case pieces of Arabic, Dutch, French ... names that stay inside the name.
NAME_PARTICLES: frozenset[str] = frozenset({
    "abu", "abou", "al", "bin", "bint", "da", "de", "del", "der", "di", "el", "ibn", "la", "le",
    "ould", "van", "von",
})

PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS: frozenset[str] = frozenset({"it", "they", "them"})

# Subjects too vague to be a source of their own: "Reports indicate ...", "the statement said".
VAGUE_SPEAKERS: frozenset[str] = frozenset({"report", "reports", "statement", "statements"})

# Modifiers that date a noun rather than name it: "the latest UN data" is "UN data".
TEMPORAL_MODIFIERS: frozenset[str] = frozenset({
    "earlier", "last", "latest", "new", "previous", "recent",
})

# Function words a title keeps in lower case: "Operation Deterrence of Aggression".
TITLE_SMALL_WORDS: frozenset[str] = frozenset({
    "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
})

DOUBLE_OPENERS = "“„«"
DOUBLE_CLOSERS = "”»"
STRAIGHT_DOUBLE = '"'
SINGLE_MARKS = "‘’'"
QUOTE_MARKS = DOUBLE_OPENERS + DOUBLE_CLOSERS + STRAIGHT_DOUBLE + SINGLE_MARKS
# Characters after which a quotation mark opens a quotation rather than closes one.
OPENING_CONTEXT = "([{“\"—–-/:"
SENTENCE_END = frozenset({".", "!", "?"})
# Punctuation at the end of a quotation that hands over to an attribution: "...," he said.
HANDOVER_PUNCT = ",?!—–-…:;"

MIN_QUOTE_WORDS = 2
# A quoted noun phrase this short, of these parts of speech only, is a term, not a statement.
TERM_MAX_WORDS = 3
TERM_POS: frozenset[str] = frozenset({"ADJ", "NOUN", "PROPN", "DET", "CCONJ"})
SURNAME_SIMILARITY = 85  # rapidfuzz ratio; "Shaban" vs "Shaaban" scores 92
_WORD = re.compile(r"[^\W_][\w’'\-]*")
_DOUBLE_MARK = re.compile(f"[{re.escape(DOUBLE_OPENERS + DOUBLE_CLOSERS + STRAIGHT_DOUBLE)}]")
_SINGLE_MARK = re.compile(f"[{re.escape(SINGLE_MARKS)}]")
_SURNAME_PREFIX = re.compile(r"^(?:al|el|as|ash|ad|an|ar|at|az)-", re.IGNORECASE)


# --- records -----------------------------------------------------------------------------------

@dataclass(slots=True)
class Speaker:
    """Someone (or some body) the text credits with words."""

    name: str
    affiliation: str | None = None
    is_person: bool = True
    role: str | None = None  # the words that introduced them: "Syrian security researcher"


@dataclass(slots=True, frozen=True)
class _QuoteSpan:
    """Where a pair of quotation marks sits; `close` is None when it runs to the paragraph end."""

    open: int
    close: int | None
    start: int  # inner text, whitespace trimmed
    end: int
    para_start: int
    para_end: int


@dataclass(slots=True)
class SpeechIndex:
    """Speakers resolved for each speech verb / "according" token, and who spoke last, when."""

    by_token: dict[int, Speaker] = field(default_factory=dict)
    timeline: list[tuple[int, Speaker]] = field(default_factory=list)  # (char offset, speaker)

    def last_before(self, char: int) -> Speaker | None:
        offsets = [offset for offset, _ in self.timeline]
        k = bisect.bisect_left(offsets, char)
        return self.timeline[k - 1][1] if k else None


class _SpeakerBook:
    """Names met so far in the article, for surname and pronoun resolution."""

    def __init__(self) -> None:
        self.known: list[Speaker] = []
        self.last_person: Speaker | None = None
        self.last_group: Speaker | None = None
        self.last_mentioned_person: Speaker | None = None

    def lookup(self, name: str) -> Speaker | None:
        for speaker in reversed(self.known):  # the most recent namesake wins
            if speaker.name.lower() == name.lower():
                return speaker
            # only people go by surname: "Syrian army" is not "Turkish army"
            if speaker.is_person and _same_name(name, speaker.name):
                return speaker
        return None

    def add(self, speaker: Speaker) -> Speaker:
        self.known.append(speaker)
        if speaker.is_person:
            self.last_mentioned_person = speaker
        return speaker

    def note(self, speaker: Speaker) -> None:
        if speaker.is_person:
            self.last_person = speaker
        else:
            self.last_group = speaker

    def by_role(self, noun: str) -> Speaker | None:
        for speaker in reversed(self.known):
            if speaker.role and noun in speaker.role.lower().split():
                return speaker
        return None


# --- public API --------------------------------------------------------------------------------

def extract_quotes(doc: Doc) -> list[Quote]:
    """Attributed direct quotations of two or more words, in text order."""
    spans = _quote_spans(text_of(doc))
    index = speech_index(doc, exclude=[(s.open, s.end) for s in spans])
    quotes: list[Quote] = []
    for i, span in enumerate(spans):
        if not _quotable(doc, span):
            continue
        neighbours = spans[:i] + spans[i + 1:]
        speaker = _attribute(doc, span, neighbours, index)
        if speaker is None:
            continue
        quotes.append(Quote(
            speaker=speaker.name,
            affiliation=speaker.affiliation,
            text=text_of(doc)[span.start:span.end],
            start=span.start,
            end=span.end,
        ))
    return quotes


def speech_index(doc: Doc, *, exclude: Sequence[tuple[int, int]] = ()) -> SpeechIndex:
    """Resolve the speaker of every speech verb and "according to" outside the `exclude` spans.

    The article is read in order so that "he" and "Shaaban" resolve against what came before.
    Quotes and figures both ask, excluding slightly different spans; an index depends only on
    which of the tokens that can matter (see `_SpeechTokens`) are excluded, so when those agree
    the second caller gets the index built for the first.
    """
    tokens = _speech_tokens(doc)
    excluded = frozenset(_tokens_starting_in(doc, exclude) & tokens.relevant)
    built: dict[frozenset[int], SpeechIndex] = doc.user_data.setdefault(
        "frontlines.speech_index", {})
    if excluded not in built:
        built[excluded] = _build_speech_index(doc, tokens.candidates, excluded)
    return built[excluded]


def _build_speech_index(doc: Doc, candidates: Sequence[int], excluded: Set[int]) -> SpeechIndex:
    book = _SpeakerBook()
    index = SpeechIndex()
    for i in candidates:
        if i in excluded:
            continue
        tok = doc[i]
        if tok.ent_iob_ == "B" and tok.ent_type_ == "PERSON":
            _register_person(tok, book)
        subject = _trigger_subject(tok)
        if subject is None:
            continue
        speaker = _describe(subject, book)
        if speaker is None:
            continue
        index.by_token[tok.i] = speaker
        # A verb that only relays another source ("X reported that Y said") keeps Y, not X, as
        # the last speaker a later "it" or "he" can refer to.
        if not _is_relay(tok, excluded):
            book.note(speaker)
            index.timeline.append((tok.idx, speaker))
    return index


@dataclass(slots=True, frozen=True)
class _SpeechTokens:
    """The tokens a speech index reads, found in one pass over the Doc.

    `candidates` are the only tokens the index does anything with: the first word of a PERSON
    entity, "according", and verbs with a speech lemma (`_trigger_subject` is None for any other
    token). `relevant` adds full stops: whether a token is excluded matters only for a candidate
    (skipped or not), a speech verb inside another's clause (`_is_relay`) or a full stop between
    them (`_ends_sentence`).
    """

    candidates: tuple[int, ...]
    relevant: frozenset[int]


def _speech_tokens(doc: Doc) -> _SpeechTokens:
    cached = doc.user_data.get("frontlines.speech_tokens")
    if cached is None:
        # Read from arrays of string ids, not Token objects: this looks at every token.
        strings = doc.vocab.strings
        candidates, stops = [], []
        rows = doc.to_array([ORTH, LOWER, POS, LEMMA, ENT_IOB, ENT_TYPE]).tolist() if len(doc) else []
        for i, (orth, lower, pos, lemma, iob, ent_type) in enumerate(rows):
            if orth in _SENTENCE_END_IDS:
                stops.append(i)
            if (iob == _ENT_BEGINS and ent_type == _PERSON_ID) or lower == _ACCORDING_ID \
                    or (pos == VERB and strings[lemma].lower() in SPEECH_VERBS):
                candidates.append(i)
        cached = _SpeechTokens(tuple(candidates), frozenset(candidates + stops))
        doc.user_data["frontlines.speech_tokens"] = cached
    return cached


# The ids `_speech_tokens` compares with (`Token.ent_iob` 3 is "B").
_SENTENCE_END_IDS = frozenset(map(get_string_id, SENTENCE_END))
_PERSON_ID = get_string_id("PERSON")
_ACCORDING_ID = get_string_id("according")
_ENT_BEGINS = 3


# --- finding quotation marks -------------------------------------------------------------------

def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def _quote_spans(text: str) -> list[_QuoteSpan]:
    spans: list[_QuoteSpan] = []
    for p_start, p_end in _paragraphs(text):
        pairs = _double_pairs(text, p_start, p_end) + _single_pairs(text, p_start, p_end)
        for open_at, close_at in pairs:
            span = _make_span(text, open_at, close_at, p_start, p_end)
            if span is not None:
                spans.append(span)
    spans = [s for s in spans if not any(_nested(s, other) for other in spans)]
    return sorted(spans, key=lambda s: s.open)


def _double_pairs(text: str, p_start: int, p_end: int) -> list[tuple[int, int | None]]:
    pairs: list[tuple[int, int | None]] = []
    open_at: int | None = None
    for mark in _DOUBLE_MARK.finditer(text, p_start, p_end):  # every other character passes
        pos, ch = mark.start(), mark.group()
        if ch in DOUBLE_OPENERS:
            opens = True
        elif ch in DOUBLE_CLOSERS:
            # some texts use ” for both marks: it opens when it follows a space
            opens = open_at is None and _follows_opening_context(text, pos, p_start)
        else:
            opens = open_at is None  # straight quotes alternate
        if opens and open_at is None:
            open_at = pos
        elif not opens and open_at is not None:
            pairs.append((open_at, pos))
            open_at = None
    if open_at is not None:  # a quote paragraph continued in the next has no closing mark
        pairs.append((open_at, None))
    return pairs


def _single_pairs(text: str, p_start: int, p_end: int) -> list[tuple[int, int | None]]:
    """Single-quoted spans. ’ doubles as the apostrophe, so only a mark that follows a space
    opens and only one not followed by a letter closes; an unclosed ‘ is dropped."""
    pairs: list[tuple[int, int | None]] = []
    open_at: int | None = None
    for mark in _SINGLE_MARK.finditer(text, p_start, p_end):  # every other character passes
        pos, ch = mark.start(), mark.group()
        nxt = text[pos + 1] if pos + 1 < p_end else " "
        prev = text[pos - 1] if pos > p_start else " "
        if open_at is None:
            if nxt.isalnum() and _follows_opening_context(text, pos, p_start):
                open_at = pos
        elif ch != "‘" and not prev.isspace() and not nxt.isalnum():
            pairs.append((open_at, pos))
            open_at = None
    return pairs


def _follows_opening_context(text: str, pos: int, p_start: int) -> bool:
    return pos == p_start or text[pos - 1].isspace() or text[pos - 1] in OPENING_CONTEXT


def _make_span(text: str, open_at: int, close_at: int | None, p_start: int,
               p_end: int) -> _QuoteSpan | None:
    inner_end = close_at if close_at is not None else p_end
    raw = text[open_at + 1:inner_end]
    if not raw.strip():
        return None
    start = open_at + 1 + (len(raw) - len(raw.lstrip()))
    end = inner_end - (len(raw) - len(raw.rstrip()))
    return _QuoteSpan(open_at, close_at, start, end, p_start, p_end)


def _nested(inner: _QuoteSpan, outer: _QuoteSpan) -> bool:
    return inner is not outer and outer.open < inner.open and inner.end <= outer.end


# --- which quotations count --------------------------------------------------------------------

def _quotable(doc: Doc, span: _QuoteSpan) -> bool:
    text = text_of(doc)[span.start:span.end]
    if len(_WORD.findall(text)) < MIN_QUOTE_WORDS or _looks_like_title(text):
        return False
    return not _looks_like_term(_tokens_in(doc, span.start, span.end))


def _looks_like_term(tokens: list[Token]) -> bool:
    """Scare quotes wrap a short bare noun phrase ("humanitarian corridor", "terrorist
    groups"); a quoted claim has a verb, a number or an adverb in it."""
    words = [t for t in tokens if not t.is_punct]
    return len(words) <= TERM_MAX_WORDS and all(t.pos_ in TERM_POS for t in words)


def _looks_like_title(text: str) -> bool:
    """Operation names and headings ("Operation Deterrence of Aggression") capitalise every
    content word; quoted speech does not."""
    words = [w for w in _WORD.findall(text) if w.lower() not in TITLE_SMALL_WORDS]
    alpha = [w for w in words if w[0].isalpha()]
    return bool(alpha) and all(w[0].isupper() for w in alpha)


def _attribute(doc: Doc, span: _QuoteSpan, others: Sequence[_QuoteSpan],
               index: SpeechIndex) -> Speaker | None:
    before = _before_tokens(doc, span, others)
    after = _after_tokens(doc, span, others)
    inner = text_of(doc)[span.start:span.end]
    speaker = _after_attribution(after, inner, index)
    if speaker is None:
        speaker = _before_attribution(doc, span, before, index)
    if speaker is None and _stands_alone(before, after, inner):
        # a paragraph (or sentence) that is all quotation continues the last speaker
        speaker = index.last_before(span.open)
    return speaker


def _before_tokens(doc: Doc, span: _QuoteSpan, others: Sequence[_QuoteSpan]) -> list[Token]:
    """The start of the sentence the quotation sits in, up to its opening mark."""
    floor = max([span.para_start] + [(o.close or o.end) + 1 for o in others
                                     if span.para_start <= o.open < span.open])
    tokens = _tokens_in(doc, floor, span.open)
    for k in range(len(tokens) - 1, -1, -1):
        if tokens[k].text in SENTENCE_END:
            return tokens[k + 1:]
    return tokens


def _after_tokens(doc: Doc, span: _QuoteSpan, others: Sequence[_QuoteSpan]) -> list[Token]:
    """From the closing mark to the end of the sentence (or the next quotation)."""
    if span.close is None:
        return []
    ceiling = min([span.para_end] + [o.open for o in others
                                     if span.close < o.open < span.para_end])
    tokens = _tokens_in(doc, span.close + 1, ceiling)
    for k, tok in enumerate(tokens):
        if tok.text in SENTENCE_END:
            return tokens[:k + 1]
    return tokens


def _after_attribution(after: list[Token], inner: str, index: SpeechIndex) -> Speaker | None:
    """“...,” he said. / “...,” Ibrahim Khatir, the chief of X, told Y."""
    words = [t for t in after if not t.is_punct]
    if not words:
        return None
    for k, tok in enumerate(words):
        if tok.i in index.by_token:
            handed_over = inner[-1] in HANDOVER_PUNCT or after[0].text in HANDOVER_PUNCT
            # “Sentence.” Shaaban said. — a whole sentence, the attribution right after it
            if handed_over or (inner[-1] in SENTENCE_END and k <= 2):
                return index.by_token[tok.i]
            return None
        if tok.pos_ in ("VERB", "AUX"):
            return None  # another clause starts before any attribution
    return None


def _before_attribution(doc: Doc, span: _QuoteSpan, before: list[Token],
                        index: SpeechIndex) -> Speaker | None:
    """X said “...” / X said: “...” / According to X, “...” / stating that ... “...”."""
    inside = _tokens_in(doc, span.start, span.end)
    for k in range(len(before) - 1, -1, -1):
        trigger = before[k]
        if trigger.i not in index.by_token:
            continue
        between = [t for t in before[k + 1:] if not t.is_punct]
        if trigger.lower_ == "according":
            if all(t in set(trigger.subtree) for t in between):
                return index.by_token[trigger.i]
            continue
        governs = any(trigger in set(t.ancestors) for t in inside)
        if governs or len(between) <= 3:
            return index.by_token[trigger.i]
    return None


def _stands_alone(before: list[Token], after: list[Token], inner: str) -> bool:
    """The quotation is a sentence of its own: nothing before it in its sentence, and nothing
    after it but the end of the paragraph or the next sentence."""
    if any(not t.is_punct for t in before):
        return False
    return not any(not t.is_punct for t in after) or inner.rstrip()[-1] in SENTENCE_END


# --- speech triggers and their subjects --------------------------------------------------------

def _trigger_subject(tok: Token) -> Token | None:
    """The subject of a speech verb, or X in "according to X"; None for any other token."""
    if tok.lower_ == "according":
        return _according_to(tok)
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in SPEECH_VERBS:
        return None
    if tok.lemma_.lower() == "point" and not any(c.lower_ == "out" for c in tok.children):
        return None  # "point out" reports speech, "point" alone does not
    return _verb_subject(tok)


def _according_to(tok: Token) -> Token | None:
    doc = tok.doc
    if tok.i + 2 > len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if objects:
        return objects[0]
    return doc[tok.i + 2] if tok.i + 2 < len(doc) else None


def _verb_subject(verb: Token) -> Token | None:
    """nsubj of the verb, climbing from participles ("..., stating that") to the verb they
    hang from; "said Keceli" parses either way, so a proper noun right after also counts."""
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass"
                                         and current.lemma_.lower() == "quote"):
                return child
        if current.dep_ not in ("advcl", "conj", "xcomp") or current.head is current:
            break
        current = current.head
    doc = verb.doc
    nxt = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    # "said Keceli" but not "telling Xinhua": the listener is no speaker
    if nxt is not None and nxt.pos_ == "PROPN" and verb.lemma_.lower() != "tell" \
            and verb.tag_ != "VBG":
        return nxt
    return None


def _is_relay(verb: Token, excluded: Set[int]) -> bool:
    """A speech verb whose content holds another speech verb of the same sentence only passes
    that source on. (spaCy may parse several sentences or paragraphs as one, hence the check
    for a full stop or line break between the two.)"""
    doc = verb.doc
    for tok in verb.subtree:
        if tok is verb or tok.i in excluded or tok.pos_ != "VERB" or \
                tok.lemma_.lower() not in SPEECH_VERBS:
            continue
        lo, hi = sorted((tok.i, verb.i))
        if not any(_ends_sentence(doc[k], excluded) for k in range(lo + 1, hi)):
            return True
    return False


def _ends_sentence(tok: Token, excluded: Set[int]) -> bool:
    return "\n" in tok.text or (tok.text in SENTENCE_END and tok.i not in excluded)


# --- who the subject is ------------------------------------------------------------------------

def _describe(tok: Token, book: _SpeakerBook) -> Speaker | None:
    if tok.pos_ == "PRON":
        return _pronoun_speaker(tok, book)
    if tok.pos_ == "PROPN":
        name = _name_tokens(tok)
        if name:
            return _named_speaker(name, book)
    if tok.pos_ in ("NOUN", "PROPN"):
        name = _appositive_name(tok)
        if name:
            return _named_speaker(name, book)
        return _common_speaker(tok, book)
    return None


def _pronoun_speaker(tok: Token, book: _SpeakerBook) -> Speaker | None:
    lower = tok.lower_
    if lower in PERSON_PRONOUNS:
        return book.last_person or book.last_mentioned_person
    if lower in GROUP_PRONOUNS:
        return book.last_group or (book.last_person if lower == "they" else None)
    return None


def _register_person(tok: Token, book: _SpeakerBook) -> None:
    """Multi-word PERSON entities introduce people a later surname may refer to."""
    ent = next((e for e in ents_of(tok.doc) if e.start == tok.i), None)
    if ent is None or len([t for t in ent if not t.is_punct]) < 2:
        return
    name = _name_tokens(ent[-1] if ent[-1].pos_ == "PROPN" else tok)
    if len(name) >= 2 and book.lookup(_text(name)) is None:
        _named_speaker(name, book)


def _named_speaker(name: list[Token], book: _SpeakerBook) -> Speaker:
    text = _text(name)
    roles = _role_phrases(name)
    affiliation = _best_affiliation(roles)
    role_text = " ".join(_text(r) for r in roles) or None
    known = book.lookup(text)
    if known is not None:
        if known.affiliation is None and affiliation:
            known.affiliation, known.role = affiliation, role_text
        if len(text.split()) > len(known.name.split()):
            known.name = text  # the fuller form of a name met first by surname
        return known
    return book.add(Speaker(text, affiliation, _is_person(name, bool(roles)), role_text))


def _is_person(name: list[Token], has_role: bool) -> bool:
    words = [t.lower_ for t in name]
    if any(w in ORG_HEADS for w in words):
        return False
    if any(t.ent_type_ in ("GPE", "NORP") for t in name):
        return False
    if len(name) == 1 and name[0].text.isupper():
        return False  # acronyms: HTS, RSF, SOHR
    if has_role or any(t.ent_type_ == "PERSON" for t in name):
        return True
    return len([t for t in name if t.is_alpha]) >= 2


def _name_tokens(tok: Token) -> list[Token]:
    """The proper name around `tok`, without the titles in front ("Minister Sergey Lavrov")."""
    ent = _entity_of(tok)
    if ent is not None and ent.label_ in ("ORG", "FAC", "GPE", "NORP") and \
            any(t.pos_ == "ADP" for t in ent):
        return _strip_edges(list(ent))  # "Syrian Observatory for Human Rights"
    doc = tok.doc
    lo = hi = tok.i
    while lo - 1 >= tok.sent.start and _name_part(doc[lo - 1]):
        lo -= 1
    while hi + 1 < tok.sent.end and _name_part(doc[hi + 1]):
        hi += 1
    tokens = list(doc[lo:hi + 1])
    roles = [k for k, t in enumerate(tokens) if t.lower_ in ROLE_WORDS]
    if roles:
        tokens = tokens[roles[-1] + 1:]
    return _strip_edges(tokens)


def _name_part(tok: Token) -> bool:
    if tok.pos_ == "PROPN":
        return True
    if tok.lower_ in NAME_PARTICLES:
        return True
    # the hyphen in "al-Assad" / "Al-Estiklal", written without spaces
    return tok.text == "-" and not tok.whitespace_ and tok.i > 0 and \
        not tok.doc[tok.i - 1].whitespace_


def _strip_edges(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].is_punct or tokens[0].pos_ == "DET"
                      or (tokens[0].lower_ in NAME_PARTICLES and len(tokens) == 1)):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ == "PART"
                      or tokens[-1].lower_ in NAME_PARTICLES):
        tokens = tokens[:-1]
    return tokens


def _entity_of(tok: Token) -> Span | None:
    for ent in ents_of(tok.doc):
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _appositive_name(tok: Token) -> list[Token] | None:
    """The person a role noun introduces: "researcher at X, Nawar Shaaban," / "analyst and
    expert Ismail Ayoub"."""
    for child in tok.subtree:
        if child is tok or child.pos_ != "PROPN":
            continue
        linked = child.dep_ == "appos" or (child.dep_ == "conj" and tok.lower_ in ROLE_WORDS)
        if not linked:
            continue
        name = _name_tokens(child)
        if name and _is_person(name, False) and len(name) >= 2:
            return name
    return None


def _common_speaker(tok: Token, book: _SpeakerBook) -> Speaker | None:
    """A speaker named by a common noun: "a local official", "the army", "the researcher"."""
    lower = tok.lower_
    if lower in VAGUE_SPEAKERS or tok.lemma_.lower() in VAGUE_SPEAKERS:
        source = _source_behind(tok)
        return _describe(source, book) if source is not None else None
    modifiers = _modifiers(tok)
    is_person = tok.lemma_.lower() in ROLE_WORDS
    if modifiers:
        return _remember(book, Speaker(_text(modifiers + [tok]), None, is_person))
    if _definite(tok):
        known = book.by_role(tok.lemma_.lower()) if is_person else None
        if known is not None:
            return known
        fuller = _fuller_mention(tok)
        if fuller is not None:
            return _remember(book, Speaker(fuller, None, is_person))
    return _remember(book, Speaker(tok.text, None, is_person))


def _remember(book: _SpeakerBook, speaker: Speaker) -> Speaker:
    return book.lookup(speaker.name) or book.add(speaker)


def _source_behind(tok: Token) -> Token | None:
    """Who issued "a statement by the army" / "the army's statement"."""
    for child in tok.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects and objects[0].pos_ in ("PROPN", "NOUN"):
                return objects[0]
    return None


def _modifiers(tok: Token) -> list[Token]:
    mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod")
            and c.lower_ not in TEMPORAL_MODIFIERS]
    if not mods:
        return []
    start = min(m.left_edge.i for m in mods)
    return [t for t in tok.doc[start:tok.i] if t.pos_ != "DET" and t.text not in QUOTE_MARKS
            and t.lower_ not in TEMPORAL_MODIFIERS]


def _definite(tok: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)


def _fuller_mention(tok: Token) -> str | None:
    """The nearest earlier mention of the same noun with a name on it: "the army" after
    "the Syrian army forces" is "Syrian army". A mention written the same way wins over a
    capitalised one, so "the army" is not taken for an earlier "Free Syrian Army"; "the
    observatory" still finds "the Syrian Observatory for Human Rights"."""
    earlier = list(reversed(tok.doc[:tok.i]))
    for same_case in (True, False):
        for prior in earlier:
            matches = prior.text == tok.text if same_case else prior.lower_ == tok.lower_
            fuller = _named_form(prior) if matches else None
            if fuller:
                return fuller
    return None


def _named_form(tok: Token) -> str | None:
    """`tok` with the name around it: its entity, or the capitalised words in front."""
    ent = _entity_of(tok)
    if ent is not None and len(ent) > 1:
        return _text(_strip_edges(list(ent)))
    doc = tok.doc
    lo = tok.i
    while lo > tok.sent.start and doc[lo - 1].is_title and doc[lo - 1].pos_ in ("ADJ", "PROPN"):
        lo -= 1
    return _text(list(doc[lo:tok.i + 1])) if lo < tok.i else None


# --- affiliation -------------------------------------------------------------------------------

def _role_phrases(name: list[Token]) -> list[list[Token]]:
    """The phrases that introduce a name: a title before it ("spokesperson Oncu Keceli"), a
    role set off by commas before it ("researcher at X, Nawar Shaaban") and an apposition
    after it ("Mohamed Hussein, a fighter with Y,")."""
    title = _title_before(name)
    phrases = [title] if _has_role_word(title) else []
    for phrase in (_phrase_before_comma(name), _apposition_after(name)):
        # an apposition needs no listed role word: "X, a nurse at Y," introduces X all the same
        if _has_role_word(phrase) or _is_described_noun_phrase(phrase):
            phrases.append(phrase)
    return phrases


def _has_role_word(tokens: list[Token]) -> bool:
    roles = [t.lower_ for t in tokens if t.lower_ in ROLE_WORDS]
    # a bare rank ("Maj. Gen.") is no introduction
    return bool(roles) and not all(r in TITLE_ABBREVIATIONS for r in roles)


def _is_described_noun_phrase(tokens: list[Token]) -> bool:
    return len(tokens) >= 2 and tokens[0].lower_ in ("a", "an", "the") and \
        any(t.pos_ == "NOUN" for t in tokens)


def _best_affiliation(phrases: list[list[Token]]) -> str | None:
    """An organisation named in any phrase beats a bare role ("defense analyst")."""
    described = [a for a in (_affiliation(p) for p in phrases) if a is not None]
    organisations = [text for text, is_org in described if is_org]
    if organisations:
        return organisations[0]
    return described[0][0] if described else None


def _title_before(name: list[Token]) -> list[Token]:
    doc = name[0].doc
    k = name[0].i - 1
    floor = name[0].sent.start
    while k >= floor and (doc[k].pos_ in ("PROPN", "NOUN", "ADJ") or doc[k].lower_ == "and"
                          or _name_part(doc[k])) and doc[k].text != "\n":
        k -= 1
    tokens = list(doc[k + 1:name[0].i])
    while tokens and tokens[0].lower_ == "and":
        tokens = tokens[1:]
    return tokens


def _phrase_before_comma(name: list[Token]) -> list[Token]:
    doc = name[0].doc
    comma = name[0].i - 1
    if comma < 0 or doc[comma].text != ",":
        return []
    k = comma - 1
    while k >= name[0].sent.start and doc[k].text not in (",", ":", ";") and \
            doc[k].pos_ not in ("SPACE",):
        k -= 1
    return _clause_free(list(doc[k + 1:comma]))


def _apposition_after(name: list[Token]) -> list[Token]:
    doc = name[-1].doc
    comma = name[-1].i + 1
    if comma >= len(doc) or doc[comma].text != ",":
        return []
    k = comma + 1
    while k < name[-1].sent.end and doc[k].text not in (",", ".", ";", ")", "—", ":"):
        k += 1
    return _clause_free(list(doc[comma + 1:k]))


def _clause_free(tokens: list[Token]) -> list[Token]:
    """A role phrase is a noun phrase: one with a verb is a clause, not an apposition."""
    return [] if any(t.pos_ in ("VERB", "AUX") for t in tokens) else tokens


def _affiliation(role: list[Token]) -> tuple[str, bool] | None:
    """What a role phrase says the speaker belongs to, and whether that is an organisation."""
    tokens = [t for t in role if t.pos_ != "DET" or t.i != role[0].i]
    first_role = next((k for k, t in enumerate(tokens) if t.lower_ in ROLE_WORDS), None)
    if first_role is None:  # an apposition: its first noun is the role ("a nurse at X")
        first_role = next((k for k, t in enumerate(tokens) if t.pos_ == "NOUN"), None)
    if first_role is None:
        return None
    org = _organisation_after(tokens, first_role)
    if org:
        return org, True
    head = tokens[:first_role]
    if tokens[first_role].lower_ not in OFFICE_TITLES and head and (
            head[-1].lower_ in ORG_HEADS or all(t.pos_ == "PROPN" for t in head)):
        return _text(head), True  # "Turkish Foreign Ministry spokesperson" → the ministry
    end = first_role + 1
    while end < len(tokens) and (tokens[end].lower_ in ROLE_WORDS
                                 or (tokens[end].text == "-" and _name_part(tokens[end]))):
        end += 1  # "Prime Minister", "Secretary-General"
    title = tokens[:end]
    text = _text(title)
    return (text if any(t.pos_ == "PROPN" for t in title) else text.lower()), False


def _organisation_after(tokens: list[Token], first_role: int) -> str | None:
    """"researcher at the Harmoon Center ..." → "Harmoon Center ..."."""
    for k in range(first_role + 1, len(tokens)):
        if tokens[k].lower_ not in AFFILIATION_PREPS:
            continue
        rest = tokens[k + 1:]
        while rest and rest[0].pos_ == "DET":
            rest = rest[1:]
        if rest and (rest[0].is_title or rest[0].is_upper):
            return _text(_strip_edges(rest))
    return None


# --- small helpers -----------------------------------------------------------------------------

def _tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    return [t for t in doc.char_span(start, end, alignment_mode="contract") or []
            if not t.is_space] if start < end else []


def _tokens_starting_in(doc: Doc, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Indices of the tokens whose first character lies inside one of the character spans."""
    starts = doc.to_array(IDX).tolist()
    return {i for start, end in spans
            for i in range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))}


def _text(tokens: Sequence[Token]) -> str:
    """The tokens as written; a space wherever the text has one between them."""
    if not tokens:
        return ""
    text = text_of(tokens[0].doc)
    parts = [tokens[0].text]
    for prev, tok in zip(tokens, tokens[1:]):
        gap = text[prev.idx + len(prev.text):tok.idx]
        parts.append((" " if any(c.isspace() for c in gap) else "") + tok.text)
    return "".join(parts)


def _surname(name: str) -> str:
    parts = name.split()
    return _SURNAME_PREFIX.sub("", parts[-1]).lower() if parts else ""


def _same_name(short: str, full: str) -> bool:
    """"Shaaban", "Shaban" and "Nawar Shaaban" are one person; "Hafez al-Assad" and
    "Bashar al-Assad" are not."""
    if short.lower() == full.lower():
        return True
    short_parts, full_parts = short.split(), full.split()
    if len(short_parts) > 1 and len(full_parts) > 1 and \
            short_parts[0].lower() != full_parts[0].lower():
        return False
    return fuzz.ratio(_surname(short), _surname(full)) >= SURNAME_SIMILARITY
