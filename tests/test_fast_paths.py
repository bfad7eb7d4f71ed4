"""The faster ways through the pipeline give exactly what the plain ones give.

Batches against one document at a time, frontlines' spaCy set-up against the model as
`spacy.load` gives it, the indexed attribute ruler against spaCy's own, a shared speech index
against one built afresh.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from frontlines import nlp
from frontlines.cli import sample_corpus
from frontlines.figures import extract_figures
from frontlines.ingest import iter_documents
from frontlines.models import Analysis, Document
from frontlines.nlp import MODEL_NAME, load_model, parse, parse_many, text_of
from frontlines.pipeline import analyze, analyze_batch
from frontlines.quotes import extract_quotes, speech_index

# Text that exercises the attribute ruler's rarer rules: contractions, "gonna", "y'all",
# "there is", runs of spaces and line breaks.
ODD_TEXT = ("Y'all gonna see it.  Let's go, c'mon!\n\n\nThere is no ceasefire, and there were "
            "no talks. It ain't over , gotta fight \t on.\n  \u00a0 He gets what he got.")


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    docs = [d for d in iter_documents([str(sample_corpus())]) if isinstance(d, Document)]
    skipped = replace(docs[0], id="skipped", skip_reason="not English", sha256="x")
    return docs[:5] + [skipped] + docs[5:] + [Document(id="odd", text=ODD_TEXT)]


@pytest.fixture(scope="module")
def stock_model() -> Language:
    """The model as spaCy loads it (thinc's BLIS products, the stock attribute ruler)."""
    model = spacy.load(MODEL_NAME)
    model.add_pipe("line_breaks_end_sentences", before="parser")
    return model


def findings(analysis: Analysis) -> dict[str, object]:
    fields = ("places", "dates", "actors", "events", "quotes", "figures")
    return {f: [dataclasses.asdict(x) for x in getattr(analysis, f)] for f in fields}


def annotations(doc: Doc) -> list[tuple[object, ...]]:
    return [(t.text, t.whitespace_, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i,
             t.is_sent_start, t.ent_iob_, t.ent_type_) for t in doc]


def test_a_batch_gives_what_one_document_at_a_time_gives(documents: list[Document]) -> None:
    batched = analyze_batch(documents)
    assert [a.document for a in batched] == documents
    assert [findings(a) for a in batched] == [findings(analyze(d)) for d in documents]
    assert batched[5].doc is None and batched[5].events == []  # skipped, not parsed
    assert sum(len(a.events) for a in batched) > 20


def test_frontlines_spacy_annotates_like_the_stock_model(documents: list[Document],
                                                         stock_model: Language) -> None:
    texts = [d.text for d in documents]
    parsed = list(parse_many(texts))
    assert [annotations(doc) for doc in parsed] == [annotations(stock_model(t)) for t in texts]
    assert [text_of(doc) for doc in parsed] == [doc.text for doc in parsed] == texts


def test_the_indexed_attribute_ruler_finds_the_stock_rulers_matches(documents: list[Document]
                                                                    ) -> None:
    model = load_model()
    stock, indexed = model.get_pipe("attribute_ruler"), model.get_pipe("indexed_attribute_ruler")
    assert model.disabled == ["senter", "attribute_ruler"]
    with model.select_pipes(disable=["indexed_attribute_ruler", "lemmatizer", "ner"]):
        docs = list(model.pipe([ODD_TEXT, ""] + [d.text for d in documents[:3]]))
    for doc in docs:
        assert indexed.matches(doc) == stock.match(doc)
    # The odd text reaches both kinds of rule: several-token ones ("gon na", "there is") that
    # spaCy's Matcher still finds, and the one-token ones of the table.
    spans = {end - start for *_, start, end in indexed.matches(docs[0])}
    assert spans == {1, 2}


def test_batches_are_capped_by_texts_and_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "BATCH_TEXTS", 3)
    monkeypatch.setattr(nlp, "BATCH_CHARS", 100)
    texts = ["a" * 10] * 4 + ["b" * 95, "c" * 500, "d" * 10]
    assert [len(b) for b in nlp._batches(texts)] == [3, 1, 1, 1, 1]


def test_a_text_too_long_for_one_piece_is_parsed_alone_and_whole(monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    monkeypatch.setattr(nlp, "PIECE_CHARS", 200)
    long_text = "Rebels shelled the town of Atarib on Monday.\n" * 12
    docs = list(parse_many(["Troops entered Homs.", long_text, "Aid arrived."]))
    assert [text_of(d) for d in docs] == [d.text for d in docs]
    assert docs[1].text == long_text
    assert annotations(docs[1]) == annotations(parse(long_text))


def test_quotes_and_figures_share_one_speech_index_when_their_exclusions_agree() -> None:
    text = ('"We took 21 villages and they said it was over," said Nawar Shaaban, a researcher. '
            'The army lost 30 soldiers, according to the observatory.')
    doc = parse(text)
    quotes = extract_quotes(doc)
    assert [q.speaker for q in quotes] == ["Nawar Shaaban"]
    figures = extract_figures(doc, outlet=None, quotes=quotes)
    assert [(f.quantity, f.claimant) for f in figures] == [(21, "Nawar Shaaban"),
                                                            (30, "observatory")]
    built = doc.user_data["frontlines.speech_index"]
    assert len(built) == 1  # the quotes' index served the figures too
    shared = next(iter(built.values()))
    # Built afresh for the figures' own exclusions, on a new Doc: the same speakers.
    fresh = speech_index(parse(text), exclude=[(q.start, q.end) for q in quotes])
    assert {i: s.name for i, s in fresh.by_token.items()} == \
        {i: s.name for i, s in shared.by_token.items()}
    # Excluding nothing brings in the "said" inside the quotation: another index, in which
    # Shaaban only relays what "they said" and is no longer the last speaker.
    everything = speech_index(doc)
    assert len(built) == 2
    assert [s.name for _, s in shared.timeline] == ["Nawar Shaaban", "observatory"]
    assert [s.name for _, s in everything.timeline] == ["observatory"]
