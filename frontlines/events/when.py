"""When an event happened: the date of its clause, the narrative's day, the lead's, the report's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from frontlines.dates import is_report_date, lead_word
from frontlines.events.candidates import TriggerHit
from frontlines.events.clause import within
from frontlines.events.lexicon import patterns
from frontlines.models import DateMention
from frontlines.nlp import span_text, text_of

PATTERNS = patterns("when")

BACKGROUND_DAYS = 90
LEAD_LOOKAHEAD = 600
LEAD_LINES = 2
SECOND_DAY_BETWEEN = PATTERNS["SECOND_DAY_BETWEEN"]
ONGOING = PATTERNS["ONGOING"]
FOR_PERIOD = PATTERNS["FOR_PERIOD"]
DATELINE_BEFORE = PATTERNS["DATELINE_BEFORE"]




def is_dateline(text: str, mention: DateMention) -> bool:
    line_start = text.rfind("\n", 0, mention.start) + 1
    return bool(DATELINE_BEFORE.match(text[line_start:mention.start]))


@dataclass(slots=True)
class EventDate:
    day: date | None
    precision: str
    window: tuple[date, date] | None
    from_text: bool
    ongoing: bool = False
    # The date is stated in the event's own clause or in the sentence just before it, not
    # borrowed from elsewhere in the sentence, from further back, from the next paragraph or from
    # the publication date.
    stated: bool = False


def event_date(hit: TriggerHit, sentence: Span, clause: list[tuple[int, int]],
                dates: Sequence[DateMention], published: date | None) -> EventDate:
    """The date of one event; `dates` are the document's resolved mentions, datelines left out."""
    text = text_of(sentence.doc)
    usable = dates
    in_sentence = [m for m in usable if sentence.start_char <= m.start < sentence.end_char]
    governing = {hit.token.i, *(t.i for t in hit.token.ancestors)}
    # A date belongs to the trigger when it hangs off the trigger's own verb or a verb above it
    # ("Earlier today, the army reported that rebels entered Aleppo"), not off a nested clause
    # ("after an attack that began two days earlier").
    own = [m for m in in_sentence if _date_head(sentence.doc, m) in governing]
    if not own and _is_open_ended(hit.token, sentence):
        # "has been ongoing since ..., resulting in the capture of Shan State", with no day of its own
        return EventDate(None, "unknown", None, False, ongoing=True)
    stated = own or [m for m in in_sentence if within(m.start, m.end, clause)]
    pool = stated or in_sentence
    if pool:
        best = min(pool, key=lambda m: min(abs(m.start - hit.end), abs(hit.start - m.end)))
        ongoing = lead_word(text, best) == "since" and bool(ONGOING.search(span_text(sentence)))
        return EventDate(best.date, best.precision, best.window, True, ongoing, bool(stated))
    if after_clause(hit.token) and published:
        # "This comes after insurgents captured Aleppo": a prior event given no time at all.
        return EventDate(date(published.year, 1, 1), "year", None, False)
    earlier = [m for m in usable if m.end <= sentence.start_char and _is_recent(m, published)
               and not is_report_date(text, m)]
    if earlier:
        # The narrative date: the story goes on from the last day it named. Named in the sentence
        # just before, it is the day the narrative is on; named further back, it is a guess.
        anchor = earlier[-1]
        previous = sentence.doc[sentence.start - 1].sent if sentence.start else sentence
        return EventDate(anchor.date, anchor.precision, anchor.window, True,
                         stated=anchor.end > previous.start_char)
    later = [m for m in usable if sentence.end_char <= m.start < sentence.end_char + LEAD_LOOKAHEAD
             and _is_recent(m, published)]
    if later and not _past_the_lead(text, sentence.start_char):
        # A news lead states what happened and leaves the day to the next paragraph.
        return EventDate(later[0].date, later[0].precision, later[0].window, True)
    if published:
        return EventDate(published, "day", None, False)
    return EventDate(None, "unknown", None, False)


def _is_open_ended(token: Token, sentence: Span) -> bool:
    """"The campaign has been ongoing since the launch of Operation 1027, resulting in the capture
    of Shan State", "clashes have continued across Amhara for more than a year": what a campaign
    has done over a period, not an event on a day."""
    return bool(ONGOING.search(span_text(sentence))) and (bool(FOR_PERIOD.search(span_text(sentence))) or any(
        child.lower_ == "since" for node in (token, *token.ancestors) for child in node.children))


def days_told(when: EventDate, sentence: Span, dates: Sequence[DateMention]) -> list[EventDate]:
    """One event a day, as ACLED codes: "on 1 and 2 August", "on Monday and again on Tuesday"."""
    if not when.stated or when.day is None:
        return [when]
    text = text_of(sentence.doc)
    named = [m for m in dates if sentence.start_char <= m.start < sentence.end_char]
    pair = next((m for m in named if " and " in m.text and m.window
                 and timedelta(days=1) <= m.window[1] - m.window[0] <= timedelta(days=2)), None)
    if pair is not None:
        first, last = pair.window
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    else:
        # The day the event was given, and a day joined to it by "and again on".
        linked = [b.date for a, b in zip(named, named[1:])
                  if a.date == when.day and a.precision == b.precision == "day" and b.date is not None
                  and SECOND_DAY_BETWEEN.match(text[a.end:b.start])]
        if not linked:
            return [when]
        days = [when.day, *[d for d in linked if d != when.day]]
    return [EventDate(day, "day", (day, day), True, stated=True) for day in days]


def _past_the_lead(text: str, offset: int) -> bool:
    """True past the lead: more than the headline and dateline come before `offset`."""
    return text.count("\n", 0, offset) > LEAD_LINES


def _date_head(doc: Doc, mention: DateMention) -> int | None:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    node = span.root
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    return node.i


def _is_recent(mention: DateMention, published: date | None) -> bool:
    """History told as background ("the 2020 battles") does not date today's news."""
    if published is None or mention.date is None:
        return True
    return timedelta(0) <= published - mention.date < timedelta(days=BACKGROUND_DAYS)


def after_clause(token: Token) -> bool:
    for node in [token, *token.ancestors]:
        if any(c.dep_ in {"mark", "prep"} and c.lower_ == "after" for c in node.children):
            return True
        if node.dep_ in {"pcomp", "pobj"} and node.head.lower_ == "after":
            return True
    return False
