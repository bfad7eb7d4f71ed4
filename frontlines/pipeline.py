"""From one `Document` to one `Analysis`: the stages in the order they run.

Each stage is a function with a typed input and output; this module only wires them together, the
way spaCy's `Language.__call__` passes one Doc through its components.
"""

from __future__ import annotations

from frontlines.actors import actor_name_spans, countries_of_named_actors, extract_actors
from frontlines.dates import resolve_dates
from frontlines.events import extract_events
from frontlines.figures import extract_figures
from frontlines.models import Analysis, Document
from frontlines.nlp import parse
from frontlines.places import extract_places
from frontlines.quotes import extract_quotes


def analyze(document: Document) -> Analysis:
    """Run every stage on one document; a skipped document (not English) comes back empty."""
    analysis = Analysis(document=document)
    if document.skip_reason:
        return analysis
    doc = parse(document.text)
    analysis.doc = doc
    analysis.places = extract_places(doc, names_of_actors=actor_name_spans(document.text),
                                     actor_countries=countries_of_named_actors(document.text))
    analysis.dates = resolve_dates(doc, document.published)
    analysis.actors = extract_actors(document.text, analysis.places)
    analysis.quotes = extract_quotes(doc)
    analysis.figures = extract_figures(doc, outlet=document.source, quotes=analysis.quotes)
    analysis.events = extract_events(analysis)
    return analysis
