"""From one `Document` to one `Analysis`: the stages in the order they run.

Each stage is a function with a typed input and output; this module only wires them together, the
way spaCy's `Language.__call__` passes one Doc through its components.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from frontlines.actors import actor_name_spans, countries_of_named_actors, extract_actors
from frontlines.dates import resolve_dates
from frontlines.events import extract_events
from frontlines.events.learned import EventClassifier
from frontlines.figures import extract_figures
from frontlines.models import Analysis, Document
from frontlines.nlp import parse, parse_many
from frontlines.places import extract_places
from frontlines.quotes import extract_quotes


def analyze(document: Document, *, event_model: EventClassifier | None = None) -> Analysis:
    """Run every stage on one document; a skipped document (not English) comes back empty.

    `event_model` replaces the bundled event model (training and the ablations of `eval` use it).
    """
    if document.skip_reason:
        return Analysis(document=document)
    return _analyze_parsed(document, parse(document.text), event_model)


def analyze_batch(documents: Sequence[Document], *, event_model: EventClassifier | None = None
                  ) -> list[Analysis]:
    """`analyze` of each document, in order, with spaCy parsing the texts together (cheaper).

    Every Analysis keeps its spaCy Doc, so memory grows with the batch: pass a few dozen
    documents at a time, not a whole corpus.
    """
    wanted = [d for d in documents if not d.skip_reason]
    docs = iter(parse_many(d.text for d in wanted))
    return [Analysis(document=d) if d.skip_reason else _analyze_parsed(d, next(docs), event_model)
            for d in documents]


def _analyze_parsed(document: Document, doc: Doc, event_model: EventClassifier | None = None) -> Analysis:
    analysis = Analysis(document=document, doc=doc)
    analysis.places = extract_places(doc, names_of_actors=actor_name_spans(document.text),
                                     actor_countries=countries_of_named_actors(document.text))
    analysis.dates = resolve_dates(doc, document.published)
    analysis.actors = extract_actors(document.text, analysis.places)
    analysis.quotes = extract_quotes(doc)
    analysis.figures = extract_figures(doc, outlet=document.source, quotes=analysis.quotes)
    analysis.events = extract_events(analysis, event_model)
    return analysis
