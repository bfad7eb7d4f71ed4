"""Dates stage: find temporal expressions in an article and resolve each to a calendar period.

Entry point: `resolve_dates(doc, published)`. Mentions come out in text order; each carries the
first day of its period (`date`), how fine that period is (`precision`) and the inclusive range of
days the words allow (`window`).

How it works, and why:
- Our own regexes (built from the word lists below) find the expressions. spaCy's DATE entities
  miss some ("yesterday", "Aug 28"), mis-span others ("28" of "Aug 28") and tag durations and
  counts as dates ("49 years", "2000 fighters"), so they are not used; spaCy's parse is, to tell a
  year from a count ("a force of 2000 fighters"). dateparser, tried on the entities the rules left
  over in the seed and dev articles, added nothing, so the stage does not use it.
- Overlapping matches keep the longest ("the day before yesterday" over "the day before"); adjacent
  appositions describing one day ("yesterday (Monday)", "Sunday (December 8)") become one mention
  resolved from its most specific part.
- Mentions are resolved in text order against a context: the publication date for deictic words
  ("today", "on Friday", "three days ago"), the latest earlier mention for narrative ones ("the
  following day", "a day earlier"), and the AP-style rule that a month-day without a year belongs
  to the year of publication.
- Periods that fit in one calendar month but have no precision of their own ("earlier this week",
  "the weekend", "27-29 November") get month precision, following the gold annotation convention;
  their `window` keeps the exact days.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from frontlines.nlp import text_of
from frontlines.models import DateMention, DatePrecision

if TYPE_CHECKING:  # spaCy is heavy; only the type is needed here
    from spacy.tokens import Doc

__all__ = ["anchor_before", "is_report_date", "lead_word", "mentions_between", "resolve_dates"]

# --------------------------------------------------------------------------------------------
# Word lists (data). Keys are lower case with single spaces; `_key()` normalises matched text.
# --------------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
# A weekday after one of these words names a day of the calendar, not a date ("Black Friday").
NOT_A_DAY_BEFORE_WEEKDAY: frozenset[str] = frozenset(
    {"black", "good", "bloody", "ash", "super", "cyber", "holy", "palm", "easter", "maundy", "shrove"}
)
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "a couple of": 2, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30,
}
# A bare year counts only after one of these ("in 2016", "By 2017"); "of"/"from" are checked
# further because they also take counts ("a force of 2000 fighters").
YEAR_PREPOSITIONS: tuple[str, ...] = (
    "in", "by", "since", "of", "during", "until", "till", "from", "before", "after", "through",
    "throughout", "between", "as of", "around", "circa",
)
COUNT_PREPOSITIONS: frozenset[str] = frozenset({"of", "from"})
# A month name without a day or year counts only after one of these ("in March"): "the Ides of
# March" or a sentence-initial "March on Damascus" are not dates.
MONTH_PREPOSITIONS: tuple[str, ...] = tuple(p for p in YEAR_PREPOSITIONS if p not in ("of", "between"))
# Part of a month -> (first day, last day); 0 or less counts back from the month's last day.
MONTH_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 10), "beginning": (1, 10), "start": (1, 10),
    "mid": (11, 20), "middle": (11, 20),
    "late": (21, 0), "end": (21, 0),
    "first half": (1, 15), "second half": (16, 0),
    "first week": (1, 7), "second week": (8, 14), "third week": (15, 21), "fourth week": (22, 28),
    "last week": (-6, 0), "final week": (-6, 0),
}
# Part of a year -> (first month, last month).
YEAR_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 4), "beginning": (1, 3), "start": (1, 3),
    "mid": (5, 8), "middle": (5, 8),
    "late": (9, 12), "end": (10, 12),
    "first half": (1, 6), "second half": (7, 12),
    "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11),
}


class Shift(NamedTuple):
    """A period counted from a base day: `offset` units of `unit` away from the one holding it.

    `clip` narrows the window to the part before ("earlier this week") or after ("later this
    month") the base day.
    """

    unit: str  # "day" | "week" | "weekend" | "month" | "year"
    offset: int
    clip: str | None = None  # "before" | "after"
    part: str | None = None  # a YEAR_PARTS key, for "the year's end"


# Resolved against the publication date: the words only make sense from the writer's today.
DEICTIC: dict[str, Shift] = {
    "today": Shift("day", 0), "earlier today": Shift("day", 0), "later today": Shift("day", 0),
    "this morning": Shift("day", 0), "this afternoon": Shift("day", 0),
    "this evening": Shift("day", 0), "tonight": Shift("day", 0),
    "yesterday": Shift("day", -1), "last night": Shift("day", -1),
    "the day before yesterday": Shift("day", -2),
    "tomorrow": Shift("day", 1), "the day after tomorrow": Shift("day", 2),
    "this week": Shift("week", 0), "earlier this week": Shift("week", 0, "before"),
    "later this week": Shift("week", 0, "after"),
    "last week": Shift("week", -1), "next week": Shift("week", 1),
    "this weekend": Shift("weekend", 0), "the weekend": Shift("weekend", 0),
    "last weekend": Shift("weekend", -1), "next weekend": Shift("weekend", 1),
    "this month": Shift("month", 0), "earlier this month": Shift("month", 0, "before"),
    "later this month": Shift("month", 0, "after"),
    "last month": Shift("month", -1), "next month": Shift("month", 1),
    "this year": Shift("year", 0), "earlier this year": Shift("year", 0, "before"),
    "later this year": Shift("year", 0, "after"),
    "last year": Shift("year", -1), "next year": Shift("year", 1),
}
# Resolved against the latest earlier mention at least as fine as the unit (the narrative date).
NARRATIVE: dict[str, Shift] = {
    "that day": Shift("day", 0), "the same day": Shift("day", 0), "that same day": Shift("day", 0),
    "later that day": Shift("day", 0), "earlier that day": Shift("day", 0),
    "hours later": Shift("day", 0), "hours earlier": Shift("day", 0),
    "the following day": Shift("day", 1), "the next day": Shift("day", 1),
    "the day after": Shift("day", 1), "the following morning": Shift("day", 1),
    "the next morning": Shift("day", 1),
    "the previous day": Shift("day", -1), "the day before": Shift("day", -1),
    "the following week": Shift("week", 1), "the next week": Shift("week", 1),
    "the previous week": Shift("week", -1), "that week": Shift("week", 0),
    "the following month": Shift("month", 1), "the next month": Shift("month", 1),
    "the previous month": Shift("month", -1), "that month": Shift("month", 0),
    "the following year": Shift("year", 1), "the next year": Shift("year", 1),
    "the previous year": Shift("year", -1), "that year": Shift("year", 0),
    "the same year": Shift("year", 0), "that same year": Shift("year", 0),
    "the year's end": Shift("year", 0, part="end"), "the end of the year": Shift("year", 0, part="end"),
    "the end of that year": Shift("year", 0, part="end"),
}
# "N <unit> <direction>": sign, and whether the count runs from the publication date.
COUNT_DIRECTIONS: dict[str, tuple[int, bool]] = {
    "ago": (-1, True), "earlier": (-1, False), "before": (-1, False), "prior": (-1, False),
    "later": (1, False), "after": (1, False),
}
COUNT_UNITS: dict[str, str] = {
    "hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week",
    "month": "month", "months": "month", "year": "year", "years": "year",
}
# Month-day dates without a year fall in the publication year unless that puts them this far
# after publication (a report of "December 28" published on January 3 means last year's).
MAX_DAYS_AFTER_PUBLICATION = 62
# How coarse a precision (or a Shift unit) is: a narrative "the following day" needs a day to count from.
PRECISION_RANK: dict[str, int] = {"day": 0, "week": 1, "weekend": 1, "month": 2, "year": 3, "unknown": 4}

# --------------------------------------------------------------------------------------------
# Regex building blocks, made from the lists above.
# --------------------------------------------------------------------------------------------


def _words(keys: Iterable[str], *, capitalised: bool = False) -> str:
    """An alternation of phrases, longest first so that the regex prefers the longest."""
    phrases = sorted(set(keys), key=len, reverse=True)
    if capitalised:  # month and weekday names are proper nouns: "may" and "march" are verbs
        variants = [v for p in phrases for v in (p.title(), p.upper())]
        return "(?:" + "|".join(re.escape(v) for v in variants) + ")"
    escaped = (re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]") for p in phrases)
    return "(?i:" + "|".join(escaped) + ")"


_YEAR = r"(?:19|20)\d{2}"
_MONTH = rf"(?P<month>{_words(list(MONTHS) + list(MONTH_ABBREVIATIONS), capitalised=True)})\.?"
_FULL_MONTH = rf"(?P<month>{_words(MONTHS, capitalised=True)})"
_WEEKDAY = rf"(?P<weekday>{_words(WEEKDAYS, capitalised=True)})"
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY = r"(?P<day>[0-3]?\d)" + _ORDINAL
_OPT_YEAR = rf"(?:,?\s+(?P<year>{_YEAR}))?\b"


def _part_pattern(parts: Iterable[str]) -> str:
    """"late", "mid-", "the end of", "the first half of": the adjectives stand alone, nouns take "the"/"of"."""
    adjectives = ("early", "mid", "late")
    nouns = _words(p for p in parts if p not in adjectives)
    return rf"(?P<part>(?i:{'|'.join(adjectives)}|(?:the\s+)?{nouns}(?:\s+of)?))"


_MONTH_PART = _part_pattern(MONTH_PARTS)
_YEAR_PART = _part_pattern(YEAR_PARTS)
_NUMBER = rf"(?P<n>\d{{1,3}}|{_words(NUMBER_WORDS)})"
_NOT_AFTER_THE = r"(?<!\bthe )(?<!\bThe )"  # "the last week" is a rolling window, not a calendar week

# Spans never read for dates: URLs, Markdown images, and slash dates (day/month order unknown).
_IGNORED = re.compile(r"https?://\S+|www\.\S+|!\[[^\]]*\]\([^)]*\)|\b\d{1,4}/\d{1,2}/\d{1,4}\b")

# --------------------------------------------------------------------------------------------
# Resolution helpers
# --------------------------------------------------------------------------------------------


class _Value(NamedTuple):
    date: date | None
    precision: DatePrecision
    window: tuple[date, date] | None
    explicit: bool


def _key(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("-", " ").split())


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return MONTHS.get(name) or MONTH_ABBREVIATIONS[name]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # "February 30", "April 31"
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _unknown(explicit: bool, window: tuple[date, date] | None = None) -> _Value:
    return _Value(None, "unknown", window, explicit)


def _day(day: date, explicit: bool) -> _Value:
    return _Value(day, "day", (day, day), explicit)


def _period(first: date, precision: DatePrecision, window: tuple[date, date], explicit: bool) -> _Value:
    """A period of `precision` starting on `first`, narrowed to `window`.

    Weeks and rolling windows that lie inside one calendar month are reported at month precision:
    the gold annotations code "earlier this week" that way, and the window keeps the exact days.
    """
    lo, hi = window
    if precision in ("week", "unknown") and (lo.year, lo.month) == (hi.year, hi.month):
        return _Value(lo.replace(day=1), "month", window, explicit)
    if precision == "unknown":
        return _unknown(explicit, window)
    return _Value(first, precision, window, explicit)


def _month_value(year: int, month: int, part: str | None, explicit: bool) -> _Value:
    first, last = date(year, month, 1), _month_end(year, month)
    if part is not None:
        lo, hi = MONTH_PARTS[_part_key(part)]
        first_day = lo if lo > 0 else last.day + lo
        last_day = hi if hi > 0 else last.day + hi
        return _Value(first, "month", (first.replace(day=first_day), last.replace(day=min(last_day, last.day))), explicit)
    return _Value(first, "month", (first, last), explicit)


def _year_value(year: int, part: str | None, explicit: bool, last_year: int | None = None) -> _Value:
    first, last = date(year, 1, 1), date(last_year or year, 12, 31)
    if part is not None:
        lo, hi = YEAR_PARTS[_part_key(part)]
        return _Value(first, "year", (date(year, lo, 1), _month_end(year, hi)), explicit)
    return _Value(first, "year", (first, last), explicit)


def _part_key(part: str) -> str:
    return _key(part).removeprefix("the ").removesuffix(" of")


def _count(number: str) -> int:
    return int(number) if number.isdigit() else NUMBER_WORDS[_key(number)]


def _shifted(base: date, shift: Shift) -> _Value:
    """The period `shift` names, counted from the day `base` (never explicit: it needs the base)."""
    if shift.unit == "day":
        return _day(base + timedelta(days=shift.offset), False)
    if shift.unit == "week":
        monday = _monday(base) + timedelta(weeks=shift.offset)
        return _period(monday, "week", _clip((monday, monday + timedelta(days=6)), base, shift.clip), False)
    if shift.unit == "weekend":
        return _weekend(base, shift.offset)
    if shift.unit == "month":
        year, month = _add_months(base.year, base.month, shift.offset)
        first = date(year, month, 1)
        return _period(first, "month", _clip((first, _month_end(year, month)), base, shift.clip), False)
    year = base.year + shift.offset
    if shift.part is not None:
        return _year_value(year, shift.part, False)
    first = date(year, 1, 1)
    return _period(first, "year", _clip((first, date(year, 12, 31)), base, shift.clip), False)


def _clip(window: tuple[date, date], base: date, clip: str | None) -> tuple[date, date]:
    if clip == "before":
        return window[0], min(window[1], base)
    if clip == "after":
        return max(window[0], base), window[1]
    return window


def _weekend(base: date, offset: int) -> _Value:
    """News reports "the weekend" after it happened: the latest Saturday-Sunday on or before `base`."""
    saturday = base - timedelta(days=(base.weekday() - 5) % 7)
    if offset > 0:
        saturday = base + timedelta(days=(5 - base.weekday()) % 7 or 7) + timedelta(weeks=offset - 1)
    elif offset < 0 and base.weekday() >= 5:  # "last weekend" said during a weekend
        saturday -= timedelta(weeks=-offset)
    monday = _monday(saturday)
    return _period(monday, "week", (saturday, saturday + timedelta(days=1)), False)


# --------------------------------------------------------------------------------------------
# Resolution context: what earlier mentions and the publication date make of relative words.
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    text: str
    published: date | None
    doc: Doc
    seen: list[DateMention]

    def narrative_base(self, unit: str) -> date | None:
        """The latest earlier mention at least as fine as `unit`, else the publication date.

        The day a source spoke ("residents said on Tuesday") is not a day of the story: "the
        following day" counts from the events told, not from the reporting.
        """
        rank = PRECISION_RANK[unit]
        for mention in reversed(self.seen):
            if mention.date is not None and PRECISION_RANK[mention.precision] <= rank \
                    and not is_report_date(self.text, mention):
                return mention.date
        return self.published

    def last_explicit_year(self) -> int | None:
        for mention in reversed(self.seen):
            if mention.explicit and mention.date is not None:
                return mention.date.year
        return None

    def year_for(self, month: int, day: int) -> int | None:
        """The year of a month-day written without one (AP style: the current year)."""
        if self.published is None:
            return self.last_explicit_year()
        year = self.published.year
        candidate = _safe_date(year, month, day) or date(year, month, 28)
        if (candidate - self.published).days > MAX_DAYS_AFTER_PUBLICATION:
            year -= 1
        return year


# --------------------------------------------------------------------------------------------
# Resolvers: one per rule, from a regex match to a value (None drops the match).
# --------------------------------------------------------------------------------------------


def _resolve_iso(m: re.Match[str], ctx: _Context) -> _Value | None:
    day = _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    return _day(day, True) if day else None


def _resolve_month_day(m: re.Match[str], ctx: _Context) -> _Value | None:
    month, day = _month_number(m["month"]), int(m["day"])
    if not 1 <= day <= 31:
        return None
    year = int(m["year"]) if m["year"] else ctx.year_for(month, day)
    if year is None:
        year = _year_from_weekday(ctx.text, m.start(), month, day)
    if year is None:
        return _unknown(True)
    found = _safe_date(year, month, day)
    return _day(found, True) if found else None


_WEEKDAY_BEFORE = re.compile(rf"{_WEEKDAY},?\s*\(?\s*$")
WEEKDAY_YEAR_SEARCH = 10


def _year_from_weekday(text: str, start: int, month: int, day: int) -> int | None:
    """"Sunday (December 8)" with no year anywhere: the latest year, up to now, that fits.

    A report names the weekday of a recent day, so the most recent matching year is the reading
    a human would take; beyond ten years back the guess is not worth making.
    """
    named = _WEEKDAY_BEFORE.search(text[max(0, start - 15):start])
    if named is None:
        return None
    weekday = WEEKDAYS[named["weekday"].lower()]
    this_year = date.today().year
    for year in range(this_year, this_year - WEEKDAY_YEAR_SEARCH, -1):
        found = _safe_date(year, month, day)
        if found and found <= date.today() and found.weekday() == weekday:
            return year
    return None


def _resolve_day_range(m: re.Match[str], ctx: _Context) -> _Value | None:
    month, lo, hi = _month_number(m["month"]), int(m["d1"]), int(m["d2"])
    year = int(m["year"]) if m["year"] else ctx.year_for(month, lo)
    if year is None:
        return _unknown(True)
    first, last = _safe_date(year, month, lo), _safe_date(year, month, hi)
    if first is None or last is None or first >= last:
        return None
    return _period(first, "unknown", (first, last), True)


def _resolve_month_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    return _month_value(int(m["year"]), _month_number(m["month"]), m["part"], True)


def _resolve_month_relative_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    if ctx.published is None:
        return _unknown(False)
    year = ctx.published.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return _month_value(year, _month_number(m["month"]), m["part"], False)


def _resolve_month_alone(m: re.Match[str], ctx: _Context) -> _Value | None:
    month, relation = _month_number(m["month"]), (m["rel"] or "").lower()
    pub = ctx.published
    if relation and pub is not None:  # "last November", "next March", "this December"
        year = pub.year
        if relation == "last" and month >= pub.month:
            year -= 1
        elif relation == "next" and month <= pub.month:
            year += 1
    elif relation:
        return _unknown(False)
    else:
        year = ctx.year_for(month, 1)
    if year is None:
        return _unknown(True)
    return _month_value(year, month, m["part"], not relation)


def _resolve_year_part(m: re.Match[str], ctx: _Context) -> _Value | None:
    return _year_value(int(m["year"]), m["part"], True)


def _resolve_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    first = int(m["year"])
    last = int(m["year2"]) if m["year2"] else None
    if last is not None and last <= first:
        last = None
    return _year_value(first, None, True, last)


def _resolve_weekday(m: re.Match[str], ctx: _Context) -> _Value | None:
    weekday = WEEKDAYS[m["weekday"].lower()]
    relation = _key(m["rel"] or "")
    if ctx.published is not None:
        base = ctx.published
        back = (base.weekday() - weekday) % 7
        if relation in ("next", "coming", "this coming"):
            return _day(base + timedelta(days=(weekday - base.weekday()) % 7 or 7), False)
        if relation in ("last", "past", "this past"):
            back = back or 7
        return _day(base - timedelta(days=back), False)  # news names days of the past week
    base = ctx.narrative_base("day")
    if base is None:
        return _unknown(False)
    ahead = (weekday - base.weekday()) % 7
    return _day(base + timedelta(days=ahead if ahead <= 3 else ahead - 7), False)  # nearest


def _resolve_deictic(m: re.Match[str], ctx: _Context) -> _Value | None:
    if ctx.published is None:
        return _unknown(False)
    return _shifted(ctx.published, DEICTIC[_key(m["body"])])


def _resolve_narrative(m: re.Match[str], ctx: _Context) -> _Value | None:
    shift = NARRATIVE[_key(m[0])]
    base = ctx.narrative_base(shift.unit)
    return _shifted(base, shift) if base is not None else _unknown(False)


def _resolve_count(m: re.Match[str], ctx: _Context) -> _Value | None:
    count = _count(m["n"])
    sign, deictic = COUNT_DIRECTIONS[m["dir"].lower()]
    unit = COUNT_UNITS[m["unit"].lower()]
    if unit == "hour":
        unit, count = "day", count // 24
    base = ctx.published if deictic else ctx.narrative_base(unit)
    if base is None:
        return _unknown(False)
    if unit == "week":
        return _shifted(base + timedelta(weeks=sign * count), Shift("week", 0))
    return _shifted(base, Shift(unit, sign * count))


def _resolve_rolling(m: re.Match[str], ctx: _Context) -> _Value | None:
    """"the past two weeks": the days up to publication, not a calendar period."""
    if ctx.published is None:
        return _unknown(False)
    count = _count(m["n"]) if m["n"] else 1
    unit = COUNT_UNITS[m["unit"].lower()]
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * count
    return _period(ctx.published, "unknown", (ctx.published - timedelta(days=days), ctx.published), False)


# --------------------------------------------------------------------------------------------
# Acceptance checks: context a regex cannot see.
# --------------------------------------------------------------------------------------------


def _word_before(text: str, start: int) -> str:
    found = re.search(r"([A-Za-z]+)[^A-Za-z\n]{0,3}$", text[max(0, start - 30):start])
    return found.group(1).lower() if found else ""


def _accept_weekday(m: re.Match[str], ctx: _Context) -> bool:
    return _word_before(ctx.text, m.start("weekday")) not in NOT_A_DAY_BEFORE_WEEKDAY


def _accept_month_alone(m: re.Match[str], ctx: _Context) -> bool:
    return bool(m["prep"] or m["part"] or m["rel"])


def _accept_rolling(m: re.Match[str], ctx: _Context) -> bool:
    """"the past week", "past two days"; plain "last week" is the calendar week (DEICTIC)."""
    return m[0].lower().startswith("the") or bool(m["n"])


def _accept_year(m: re.Match[str], ctx: _Context) -> bool:
    """"of 2000 fighters" is a count: reject a year that spaCy parses as a number on a plural noun."""
    if _key(m["prep"]) not in COUNT_PREPOSITIONS or m["the"]:
        return True
    span = ctx.doc.char_span(m.start("year"), m.end("year"), alignment_mode="expand")
    if span is None:
        return True
    token = span[0]
    return not (token.dep_ == "nummod" and token.head.tag_ == "NNS")


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------

Resolver = Callable[[re.Match[str], _Context], "_Value | None"]
Acceptor = Callable[[re.Match[str], _Context], bool]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Resolver
    accept: Acceptor | None = None
    # How exactly the rule names a single day, for appositions such as "yesterday (Monday)":
    # 0 = not a single day, 1 = deictic word, 2 = weekday, 3 = calendar date.
    day_rank: int = 0

    def span(self, m: re.Match[str]) -> tuple[int, int]:
        """The mention's characters: a rule may match context (a preposition) that is not part of it."""
        return m.span("body") if "body" in self.pattern.groupindex else m.span()


_DAY_RANGE = r"(?P<d1>[0-3]?\d)" + _ORDINAL + r"\s*(?:[-–]|and|to)\s*(?P<d2>[0-3]?\d)" + _ORDINAL
_NOT_A_NUMBER_AFTER = r"\b(?![-/.]\d)"  # "2019-20", "2019/11": not a year on its own

# Rules in order of preference: of two equally long overlapping matches, the earlier rule wins.
_RULES: tuple[_Rule, ...] = (
    # "2024-11-29"
    _Rule("iso", re.compile(rf"\b(?P<year>{_YEAR})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"), _resolve_iso, day_rank=3),
    # "November 27-29", "27-29 November 2024"
    _Rule("month_day_range", re.compile(rf"\b{_MONTH}\s+{_DAY_RANGE}{_OPT_YEAR}"), _resolve_day_range),
    _Rule("day_month_range", re.compile(rf"\b{_DAY_RANGE}\s+(?:of\s+)?{_MONTH}{_OPT_YEAR}"), _resolve_day_range),
    # "November 27, 2024", "Nov 28", "Dec. 4th"; not "Nov 28-29" nor a time "Nov 28 10:30"
    _Rule(
        "month_day",
        re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*[-–:]\s*\d){_OPT_YEAR}"),
        _resolve_month_day,
        day_rank=3,
    ),
    # "27 November 2024", "the 8th of December"
    _Rule(
        "day_month",
        re.compile(rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?![a-z]){_OPT_YEAR}"),
        _resolve_month_day,
        day_rank=3,
    ),
    # "March 2011", "late September 2015", "mid-September 2024", "December of 2024"
    _Rule(
        "month_year",
        re.compile(rf"(?:\b{_MONTH_PART}[\s-]+)?\b{_MONTH},?\s+(?:of\s+)?(?P<year>{_YEAR})\b"),
        _resolve_month_year,
    ),
    # "February last year", "in March this year", "late November of last year"
    _Rule(
        "month_relative_year",
        re.compile(
            rf"(?:\b{_MONTH_PART}[\s-]+)?\b{_FULL_MONTH},?\s+(?:of\s+)?(?P<rel>(?i:last|this|next))\s+year\b"
        ),
        _resolve_month_relative_year,
    ),
    # "in March", "late November", "last November" (a bare "March" is too often a word)
    _Rule(
        "month_alone",
        re.compile(
            rf"(?:\b(?P<prep>{_words(MONTH_PREPOSITIONS)})\s+)?"
            rf"(?P<body>(?:\b(?P<rel>(?i:last|next|this))\s+|\b{_MONTH_PART}[\s-]+)?\b{_FULL_MONTH})"
            r"\b(?!\.?\s*\d)"
        ),
        _resolve_month_alone,
        _accept_month_alone,
    ),
    # "late 2019", "the end of 2019", "the summer of 2016"
    _Rule("year_part", re.compile(rf"\b{_YEAR_PART}[\s-]+(?P<year>{_YEAR}){_NOT_A_NUMBER_AFTER}"), _resolve_year_part),
    # "in 2016", "By 2017", "between 2019 and 2020": the preposition is context, not mention
    _Rule(
        "year",
        re.compile(
            rf"\b(?P<prep>{_words(YEAR_PREPOSITIONS)})\s+(?P<the>the\s+(?:year\s+)?)?"
            rf"(?P<body>(?P<year>{_YEAR})(?:\s*(?:[-–]|and|to|through)\s*(?P<year2>{_YEAR}))?)"
            + _NOT_A_NUMBER_AFTER
        ),
        _resolve_year,
        _accept_year,
    ),
    # "the 2020 battles", "Syria's 2011 uprising": a year used as an adjective
    _Rule(
        "attributive_year",
        re.compile(rf"(?:\b(?i:the)|['’]s)\s+(?P<body>(?P<year>{_YEAR}))(?P<year2>)\s+(?=[a-z])"),
        _resolve_year,
    ),
    # "Friday", "Wednesday's clashes", "last Friday"
    _Rule(
        "weekday",
        re.compile(
            r"(?P<body>(?:\b(?P<rel>(?i:this\s+past|this\s+coming|last|next|past|coming))\s+)?"
            rf"\b{_WEEKDAY}\b)"
        ),
        _resolve_weekday,
        _accept_weekday,
        day_rank=2,
    ),
    # "today", "yesterday", "earlier this week", "last year"; not "the last week of November"
    _Rule(
        "deictic",
        re.compile(rf"{_NOT_AFTER_THE}\b(?P<body>{_words(DEICTIC)})\b(?!\s+of\b)"),
        _resolve_deictic,
        day_rank=1,
    ),
    # "the following day", "that year"
    _Rule("narrative", re.compile(rf"\b{_words(NARRATIVE)}\b"), _resolve_narrative),
    # "three days ago", "a day earlier"; "two days after the attack" counts from an event: skipped
    _Rule(
        "count",
        re.compile(
            rf"\b{_NUMBER}\s+(?P<unit>(?i:{'|'.join(COUNT_UNITS)}))\s+"
            r"(?P<dir>(?i:ago|earlier|later|prior(?!\s+to\b)|(?:before|after)(?=\s*(?:[,.;:)]|$))))"
        ),
        _resolve_count,
    ),
    # "the past two weeks": days up to publication
    _Rule(
        "rolling",
        re.compile(
            rf"\b(?i:(?:the\s+)?(?:past|last|previous))\s+(?:{_NUMBER}\s+)?"
            r"(?P<unit>(?i:days?|weeks?|months?|years?))\b(?!\s+of\b)"
        ),
        _resolve_rolling,
        _accept_rolling,
    ),
)


# --------------------------------------------------------------------------------------------
# Finding candidates
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    rule: _Rule
    match: re.Match[str]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < hi and lo < end for lo, hi in spans)


def _rule_candidates(ctx: _Context, ignored: list[tuple[int, int]]) -> list[_Candidate]:
    found = []
    for rule in _RULES:
        for m in rule.pattern.finditer(ctx.text):
            start, end = rule.span(m)
            if _overlaps(start, end, ignored) or (rule.accept and not rule.accept(m, ctx)):
                continue
            found.append(_Candidate(start, end, rule, m))
    return found


def _longest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep non-overlapping candidates, longer ones first ("late September 2015" over "2015").

    The sort is stable, so of two equally long matches the one from the earlier rule wins.
    """
    kept: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        if not _overlaps(cand.start, cand.end, [(k.start, k.end) for k in kept]):
            kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


_APPOSITION_GAP = re.compile(r"[^\S\n]*(?P<sep>,|\()?[^\S\n]*")  # on one line
_CLOSING_PAREN = re.compile(r"[^\S\n]*\)")


def _apposition_end(text: str, first: _Candidate, second: _Candidate) -> int | None:
    """Where the pair "first, second" / "first (second)" ends, if the two name one day together."""
    ranks = (first.rule.day_rank, second.rule.day_rank)
    if 0 in ranks or ranks[0] == ranks[1]:  # "on Monday, Tuesday and Wednesday" is a list
        return None
    gap = _APPOSITION_GAP.fullmatch(text, first.end, second.start)
    if gap is None:
        return None
    if gap["sep"] != "(":
        return second.end
    closing = _CLOSING_PAREN.match(text, second.end)
    return closing.end() if closing else None


def _merge_appositions(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """One mention for two adjacent names of the same day, resolved from the more exact one.

    "yesterday (Monday)" takes the weekday, "Sunday (December 8)" and "Friday, November 29" the
    calendar date: a writer who adds the second name does so to pin the day down.
    """
    merged: list[_Candidate] = []
    for cand in candidates:
        end = _apposition_end(text, merged[-1], cand) if merged else None
        if end is None:
            merged.append(cand)
            continue
        prev = merged[-1]
        primary = prev if prev.rule.day_rank > cand.rule.day_rank else cand
        merged[-1] = _Candidate(prev.start, end, primary.rule, primary.match)
    return merged


def _candidates(ctx: _Context) -> list[_Candidate]:
    ignored = [m.span() for m in _IGNORED.finditer(ctx.text)]
    return _merge_appositions(ctx.text, _longest_first(_rule_candidates(ctx, ignored)))


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def resolve_dates(doc: Doc, published: date | None = None) -> list[DateMention]:
    """The temporal expressions in `doc`, in text order, each resolved to a calendar period.

    `published` anchors deictic words ("today", "on Friday", "three days ago"); narrative words
    ("the following day") count from the latest earlier mention, or from `published` when no
    earlier mention is fine enough. Without either, a mention is kept with precision "unknown".
    """
    if isinstance(published, datetime):
        published = published.date()
    ctx = _Context(text_of(doc), published, doc, [])
    for cand in _candidates(ctx):
        value = cand.rule.resolve(cand.match, ctx)
        if value is None:
            continue
        ctx.seen.append(
            DateMention(
                text=text_of(doc)[cand.start:cand.end], start=cand.start, end=cand.end, date=value.date,
                precision=value.precision, window=value.window, explicit=value.explicit,
            )
        )
    return ctx.seen


def anchor_before(mentions: list[DateMention], offset: int, *, explicit_only: bool = True) -> DateMention | None:
    """The narrative date at `offset`: the last dated mention ending at or before it.

    With `explicit_only` (the default) only mentions that state a calendar date count, which is
    what an events stage should fall back to for a sentence that names no date itself.
    """
    for mention in reversed(mentions):
        if mention.end <= offset and mention.date is not None and (mention.explicit or not explicit_only):
            return mention
    return None


def mentions_between(mentions: list[DateMention], start: int, end: int) -> list[DateMention]:
    """The mentions lying inside `[start, end)`, e.g. one sentence's."""
    return [m for m in mentions if m.start >= start and m.end <= end]


# "residents said on Tuesday", "a military officer told AFP on Wednesday", "the ministry announced late Monday"
_REPORTED_BEFORE = re.compile(
    r"\b(?:said|says|told|reported|announced|confirmed|added|stated|claimed|tweeted|wrote|posted)"
    r"(?:[^\S\n]+[\w-]+){0,3}?[^\S\n]+(?:(?:late|early)[^\S\n]+)?(?:on[^\S\n]+)?(?:(?:late|early)[^\S\n]+)?$", re.I)


def is_report_date(text: str, mention: DateMention) -> bool:
    """True for the day a source spoke rather than a day something happened."""
    return bool(_REPORTED_BEFORE.search(text[max(0, mention.start - 60):mention.start]))


def lead_word(text: str, mention: DateMention) -> str:
    """The lower-case word before a mention ("since", "by", "on", "until"), or "" at the start.

    It tells an events stage how the date relates to the event: "since May 10" opens a period,
    "by November 29" closes one, "on Friday" states the day.
    """
    return _word_before(text, mention.start)
