"""Hostile text through the whole analysis: every input ends in a result, never an exception.

Hypothesis generates the inputs here (bounded, so the suite stays fast); longer runs with atheris
are described in the README and are not part of CI.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontlines.models import Analysis, Document
from frontlines.pipeline import analyze

NEWS_WORDS = ["Rebels", "captured", "Aleppo", "on", "Friday", "said", "“", "”", "'s", "al-",
              "shelled", "Idlib", "province", "killing", "12", "civilians", ",", ".", "\n",
              "Ma’arat", "حلب", "Москва", "\u200f", "\x00", "\x07", "\t", "2024", "late", "the"]


def _check(analysis: Analysis) -> None:
    text = analysis.document.text
    for event in analysis.events:
        assert text[event.start:event.end] == event.evidence
    for place in analysis.places:
        assert 0 <= place.start < place.end <= len(text)
    for quote in analysis.quotes:
        assert text[quote.start:quote.end] == quote.text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_unicode_text_is_analysed(text: str) -> None:
    _check(analyze(Document(id="f", text=text, published=date(2024, 12, 1), language="en")))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(NEWS_WORDS), max_size=120).map(" ".join),
       st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))))
def test_news_like_word_salad_is_analysed(text: str, published: date | None) -> None:
    _check(analyze(Document(id="f", text=text, published=published, language="en")))


def test_a_very_long_single_line_is_analysed_in_pieces(monkeypatch) -> None:
    # Pieces of 2,000 characters stand in for the real 100,000, to keep the test quick.
    monkeypatch.setattr("frontlines.nlp.PIECE_CHARS", 2_000)
    sentence = "Rebels captured the town of Saraqib in Idlib province on Friday, a monitor said. "
    text = sentence * 60  # about 5,000 characters without a line break: three pieces
    analysis = analyze(Document(id="long", text=text, published=date(2024, 11, 30), language="en"))
    _check(analysis)
    assert analysis.events and all(e.location == "Saraqib" for e in analysis.events)
