"""What the whole article says, worked out once before any of its sentences is coded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from frontlines.models import Actor, Analysis, DateMention, Place

# A report of at most this many sentences (a wire flash, a post, a snippet) is all there is of its
# events: one it gives no place for is still coded, at the country.
SHORT_REPORT_SENTENCES = 5


@dataclass(slots=True)
class Article:
    """What the whole article says, worked out once before any of its sentences is coded."""

    analysis: Analysis
    published: date | None
    home: str | None  # the country the article is about
    dates: list[DateMention]  # resolved date mentions, datelines left out
    lead_group: Actor | None
    dateline: tuple[Place, int] | None  # the place the story was filed from, and the lead's end
    short_report: bool = False  # at most SHORT_REPORT_SENTENCES sentences
