"""Tests for the dates stage, on real sentences parsed by the project's spaCy pipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from frontlines.dates import anchor_before, lead_word, mentions_between, resolve_dates
from frontlines.models import DateMention
from frontlines.nlp import parse

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "corpus" / "seed" / "alestiklal-2024-12-russia-absence.md"
SEED_PUBLISHED = date(2024, 12, 4)


def dates_in(text: str, published: date | None) -> list[DateMention]:
    return resolve_dates(parse(text), published)


def find(mentions: list[DateMention], text: str) -> DateMention:
    """The mention whose text is `text` (exactly one must exist)."""
    hits = [m for m in mentions if m.text == text]
    assert len(hits) == 1, f"{text!r} not found once in {[m.text for m in mentions]}"
    return hits[0]


def d(iso: str) -> date:
    return date.fromisoformat(iso)


# ---- the seed article's sentences (Al-Estiklal, published 2024-12-04) -----------------------

SEED_OPENING = (
    "The advance of opposition factions has accelerated since November 27, 2024, under the military "
    "operation “Deterrence of Aggression,” leading to the near-total capture of Aleppo city from "
    "Assad's forces and militias by November 29.\n"
    "The Absence of Russia\n"
    "The following day, opposition factions tightened their grip on new towns and villages in "
    "Idlib's countryside, previously under Assad's control, paving the way for renewed advances "
    "toward Hama province."
)


def test_seed_opening_days_and_following_day() -> None:
    mentions = dates_in(SEED_OPENING, SEED_PUBLISHED)
    assert [(m.text, m.date, m.precision) for m in mentions] == [
        ("November 27, 2024", d("2024-11-27"), "day"),
        ("November 29", d("2024-11-29"), "day"),
        ("The following day", d("2024-11-30"), "day"),
    ]
    assert [m.explicit for m in mentions] == [True, True, False]
    assert all(SEED_OPENING[m.start:m.end] == m.text for m in mentions)


def test_lead_word_tells_since_from_by() -> None:
    mentions = dates_in(SEED_OPENING, SEED_PUBLISHED)
    assert [lead_word(SEED_OPENING, m) for m in mentions[:2]] == ["since", "by"]


def test_anchor_before_is_the_last_explicit_date() -> None:
    mentions = dates_in(SEED_OPENING, SEED_PUBLISHED)
    following = find(mentions, "The following day")
    anchor = anchor_before(mentions, following.start)
    assert anchor is not None and anchor.text == "November 29"
    # the relative mention itself is not an anchor unless asked for
    assert anchor_before(mentions, len(SEED_OPENING)).text == "November 29"  # type: ignore[union-attr]
    assert anchor_before(mentions, len(SEED_OPENING), explicit_only=False) is following
    assert anchor_before(mentions, 0) is None


@pytest.mark.parametrize(
    ("sentence", "text", "first", "precision", "window"),
    [
        (
            "The collapse of Assad's forces reflects the significant role of Russia’s military "
            "intervention, which began in late September 2015 to prevent the fall of Bashar al-Assad’s regime.",
            "late September 2015", "2015-09-01", "month", ("2015-09-21", "2015-09-30"),
        ),
        (
            "By 2017, Moscow secured long-term leases for the Khmeimim Air Base in Latakia and the naval base in Tartus.",
            "2017", "2017-01-01", "year", ("2017-01-01", "2017-12-31"),
        ),
        (
            "“In mid-September 2024, Russian aircraft carried out more than 50 airstrikes on opposition areas,” he told Al-Estiklal.",
            "mid-September 2024", "2024-09-01", "month", ("2024-09-11", "2024-09-20"),
        ),
        (
            "In 2016, Russian airstrikes on Aleppo’s eastern neighborhoods played a key role in forcing opposition forces out.",
            "2016", "2016-01-01", "year", ("2016-01-01", "2016-12-31"),
        ),
        (
            "On November 29, 2024, it said the recent attacks by the regime on northern Syria have reached a dangerous level.",
            "November 29, 2024", "2024-11-29", "day", ("2024-11-29", "2024-11-29"),
        ),
        (
            "The “bloody Russian intervention” is a turning point in the Syrian revolution, which began in March 2011.",
            "March 2011", "2011-03-01", "month", ("2011-03-01", "2011-03-31"),
        ),
        (
            "Sergey Lavrov acknowledged this in a January 2017 press conference.",
            "January 2017", "2017-01-01", "month", ("2017-01-01", "2017-01-31"),
        ),
        (
            "For the first time since the 2020 battles between opposition forces and Assad's militias, "
            "Russian warplanes were absent.",
            "2020", "2020-01-01", "year", ("2020-01-01", "2020-12-31"),
        ),
    ],
)
def test_seed_explicit_dates(sentence: str, text: str, first: str, precision: str, window: tuple[str, str]) -> None:
    mention = find(dates_in(sentence, SEED_PUBLISHED), text)
    assert (mention.date, mention.precision, mention.window) == (d(first), precision, (d(window[0]), d(window[1])))
    assert mention.explicit


def test_seed_late_and_early_year() -> None:
    sentence = (
        "These agreements outlined the boundaries of control after battles in which the regime forces took "
        "over areas in the Idlib countryside, including Ma’arat al-Nu’man, Khan Shaykhun, and Saraqib, "
        "in late 2019 and early 2020."
    )
    late, early = dates_in(sentence, SEED_PUBLISHED)
    assert (late.text, late.date, late.precision, late.window) == (
        "late 2019", d("2019-01-01"), "year", (d("2019-09-01"), d("2019-12-31"))
    )
    assert (early.text, early.date, early.precision) == ("early 2020", d("2020-01-01"), "year")
    assert early.window == (d("2020-01-01"), d("2020-04-30"))


def test_seed_the_next_day_counts_from_the_quoted_date() -> None:
    text = (
        "“Russian planes could have carried out airstrikes, at least to slow the progress of opposition "
        "factions on one front on November 27, 2024 [the day the operation was launched], but they did not.”\n"
        "“The next day, as opposition forces closed in on Aleppo, Russia had the chance to strike but held back.”"
    )
    mentions = dates_in(text, SEED_PUBLISHED)
    assert [(m.text, m.date) for m in mentions] == [
        ("November 27, 2024", d("2024-11-27")),
        ("The next day", d("2024-11-28")),
    ]


def test_year_end_counts_from_the_narrative_year() -> None:
    text = (
        "In 2016, Russian airstrikes on Aleppo’s eastern neighborhoods played a key role in forcing "
        "opposition forces out and displacing most residents by the year’s end."
    )
    end = find(dates_in(text, SEED_PUBLISHED), "the year’s end")
    assert (end.date, end.precision, end.window) == (d("2016-01-01"), "year", (d("2016-10-01"), d("2016-12-31")))


@pytest.mark.parametrize(
    "sentence",
    [
        "Moscow secured leases ensuring its presence on the Mediterranean coast for 49 years, extendable by another 25 years.",
        "Damascus was just “two or three weeks away” from falling into the hands of what he called “terrorists.”",
        "The intervention led to the deaths of half a million Syrians.",
        "The factions seized control of 21 villages in less than 12 hours since the start of the operation.",
        "Anti-Assad forces enter Aleppo 3 days into surprise offensive",
        "The fighting lasted three days and the six-month offensive continues.",
        "The army sent a force of 2000 fighters and 2,000 more to the front.",
        "The AA’s expansionist campaign has been ongoing since the launch of Operation 1027.",
        "Protesters marked Black Friday in the capital.",
    ],
)
def test_durations_counts_and_names_are_not_dates(sentence: str) -> None:
    assert dates_in(sentence, SEED_PUBLISHED) == []


# ---- relative dates resolved against the publication date -----------------------------------


def test_weekdays_are_the_latest_on_or_before_publication() -> None:
    text = (
        "Syrian rebel forces entered the city of Aleppo on Friday amid fierce clashes with the military "
        "of President Bashar Assad and allied groups.\n"
        "Rebels led by the Islamist militant group Hayat Tahrir al-Sham launched an incursion on "
        "Wednesday into a dozen towns and villages in the northwestern province of Aleppo."
    )
    mentions = dates_in(text, d("2024-11-29"))  # a Friday
    assert [(m.text, m.date, m.precision, m.explicit) for m in mentions] == [
        ("Friday", d("2024-11-29"), "day", False),
        ("Wednesday", d("2024-11-27"), "day", False),
    ]


def test_days_ago_counts_from_publication() -> None:
    text = "“The operation started three days ago and thank god we liberated the whole western countryside.”"
    (mention,) = dates_in(text, d("2024-11-29"))
    assert (mention.text, mention.date, mention.precision) == ("three days ago", d("2024-11-26"), "day")


def test_yesterday_with_weekday_takes_the_weekday() -> None:
    text = (
        "Khartoum, Aug 28 (IANS) At least 25 people were killed in an artillery attack in El Fasher.\n"
        "\"The RSF targeted the Abu Shouk camp with four shells yesterday (Monday), leaving 25 people dead,\" "
        "Ibrahim Khatir told Xinhua news agency on Tuesday."
    )
    mentions = dates_in(text, d("2024-08-28"))
    assert [(m.text, m.date, m.precision) for m in mentions] == [
        ("Aug 28", d("2024-08-28"), "day"),
        ("yesterday (Monday)", d("2024-08-26"), "day"),
        ("Tuesday", d("2024-08-27"), "day"),
    ]


def test_since_a_month_day_takes_the_publication_year() -> None:
    text = (
        "Since May 10, fierce clashes have been raging in El Fasher. Sudan has been witnessing a deadly "
        "conflict between the SAF and the RSF since April 15, 2023."
    )
    may, april = dates_in(text, d("2024-08-28"))
    assert (may.text, may.date, may.explicit) == ("May 10", d("2024-05-10"), True)
    assert (april.text, april.date) == ("April 15, 2023", d("2023-04-15"))
    assert lead_word(text, may) == "since"


def test_dateline_possessive_weekday_and_a_day_earlier() -> None:
    text = (
        "Damascus, Nov 28 The Hayat Tahrir al-Sham (HTS) rebel group and allied factions launched a major "
        "offensive on Syrian military positions in the western countryside of Aleppo province.\n\n"
        "It noted that 89 combatants died in Wednesday's clashes, including 52 fighters from the HTS.\n\n"
        "A day earlier, the military buildup of the HTS prompted significant displacement of civilians "
        "from Atarib and nearby villages."
    )
    mentions = dates_in(text, d("2024-11-28"))
    assert [(m.text, m.date, m.explicit) for m in mentions] == [
        ("Nov 28", d("2024-11-28"), True),
        ("Wednesday", d("2024-11-27"), False),
        ("A day earlier", d("2024-11-26"), False),  # a day before the clashes, the latest day named
    ]


def test_earlier_today_and_days_earlier() -> None:
    text = (
        "Earlier today, the Syrian army reported that armed groups entered the city of Aleppo after a "
        "surprise attack that began two days earlier."
    )
    today, earlier = dates_in(text, d("2024-11-30"))
    assert (today.text, today.date) == ("Earlier today", d("2024-11-30"))
    assert (earlier.text, earlier.date, earlier.precision) == ("two days earlier", d("2024-11-28"), "day")


def test_weeks_are_weeks_unless_inside_one_month() -> None:
    text = "Insurgents reached Hama earlier this week, after they captured Aleppo last week."
    this_week, last_week = dates_in(text, d("2024-12-05"))  # a Thursday
    assert (this_week.date, this_week.precision, this_week.window) == (
        d("2024-12-01"), "month", (d("2024-12-02"), d("2024-12-05"))
    )
    assert (last_week.date, last_week.precision, last_week.window) == (
        d("2024-11-25"), "week", (d("2024-11-25"), d("2024-12-01"))
    )


def test_this_month_last_month_last_year() -> None:
    text = "Fighting intensified this month after a lull last month, and the army retreated last year."
    this_month, last_month, last_year = dates_in(text, d("2024-12-04"))
    assert (this_month.date, this_month.precision) == (d("2024-12-01"), "month")
    assert (last_month.date, last_month.window) == (d("2024-11-01"), (d("2024-11-01"), d("2024-11-30")))
    assert (last_year.date, last_year.precision, last_year.explicit) == (d("2023-01-01"), "year", False)


def test_month_day_late_in_the_year_reported_in_january_is_last_year() -> None:
    (mention,) = dates_in("Rebels captured the town on December 28 after a week of fighting.", d("2025-01-03"))
    assert mention.date == d("2024-12-28")


def test_numeric_and_day_first_dates() -> None:
    text = "The siege began on 2024-11-29, a week after the raid of 22 November 2024."
    iso, day_first = dates_in(text, d("2024-12-04"))
    assert (iso.text, iso.date, iso.precision) == ("2024-11-29", d("2024-11-29"), "day")
    assert (day_first.text, day_first.date) == ("22 November 2024", d("2024-11-22"))


# ---- without a publication date -------------------------------------------------------------


def test_without_publication_or_year_a_month_day_is_unknown() -> None:
    text = (
        "The Arakan Army (AA) said it captured Maungdaw Township on December 8.\n"
        "The AA’s expansionist campaign has been ongoing since the launch of Operation 1027 last year."
    )
    december, last_year = dates_in(text, None)
    assert (december.text, december.date, december.precision) == ("December 8", None, "unknown")
    assert (last_year.text, last_year.date, last_year.precision) == ("last year", None, "unknown")


def test_without_publication_a_named_weekday_fixes_the_year() -> None:
    text = (
        "The Arakan Army (AA) has secured full control of Myanmar's 270-kilometer border with Bangladesh, "
        "culminating in the capture of Maungdaw Township on Sunday (December 8)."
    )
    (sunday,) = dates_in(text, None)
    # The latest year up to now in which December 8 fell on a Sunday.
    assert sunday.date is not None and sunday.date.weekday() == 6
    assert sunday.date.year >= 2024 and sunday.precision == "day"


def test_without_publication_a_weekday_counts_from_the_last_date() -> None:
    text = "On November 27, 2024, rebels attacked government positions. On Friday they entered Aleppo."
    attack, friday = dates_in(text, None)
    assert (friday.text, friday.date, friday.explicit) == ("Friday", d("2024-11-29"), False)


def test_without_publication_a_month_day_takes_the_last_explicit_year() -> None:
    text = "Protests began in Daraa in March 2011. On March 18, security forces opened fire on protesters."
    (_, march18) = dates_in(text, None)
    assert (march18.text, march18.date, march18.precision) == ("March 18", d("2011-03-18"), "day")


def test_mentions_between_selects_one_sentence() -> None:
    doc = parse(SEED_OPENING)
    mentions = resolve_dates(doc, SEED_PUBLISHED)
    first_sentence = next(iter(doc.sents))
    inside = mentions_between(mentions, first_sentence.start_char, first_sentence.end_char)
    assert [m.text for m in inside] == ["November 27, 2024", "November 29"]


# ---- the whole seed article -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_mentions() -> tuple[str, list[DateMention]]:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED} (../shared is absent next to the repository)")
    text = SEED.read_text(encoding="utf-8")
    return text, resolve_dates(parse(text), SEED_PUBLISHED)


def test_seed_article_mentions_in_order_with_true_offsets(seed_mentions: tuple[str, list[DateMention]]) -> None:
    text, mentions = seed_mentions
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(text[m.start:m.end] == m.text for m in mentions)
    # image lines carry dated paths (gallery/2024/11/30/...); none of them holds a mention
    line_starts = [text.rfind("\n", 0, m.start) + 1 for m in mentions]
    assert not any(text.startswith("![", start) for start in line_starts)


def test_seed_article_gold_dates(seed_mentions: tuple[str, list[DateMention]]) -> None:
    _, mentions = seed_mentions
    found = {(m.text, m.date, m.precision) for m in mentions}
    for expected in [
        ("November 27, 2024", d("2024-11-27"), "day"),
        ("November 29", d("2024-11-29"), "day"),
        ("The following day", d("2024-11-30"), "day"),
        ("late September 2015", d("2015-09-01"), "month"),
        ("2017", d("2017-01-01"), "year"),
        ("mid-September 2024", d("2024-09-01"), "month"),
        ("2016", d("2016-01-01"), "year"),
        ("2018", d("2018-01-01"), "year"),
        ("2019", d("2019-01-01"), "year"),
        ("mid-September 2017", d("2017-09-01"), "month"),
        ("late 2019", d("2019-01-01"), "year"),
        ("early 2020", d("2020-01-01"), "year"),
        ("November 29, 2024", d("2024-11-29"), "day"),
        ("November 27", d("2024-11-27"), "day"),
    ]:
        assert expected in found, expected


def test_seed_article_has_no_durations(seed_mentions: tuple[str, list[DateMention]]) -> None:
    _, mentions = seed_mentions
    texts = " | ".join(m.text for m in mentions)
    for duration in ("49 years", "25 years", "weeks", "half a million", "850", "108", "60"):
        assert duration not in texts


def test_seed_article_following_day_falls_back_to_the_narrative_date(
    seed_mentions: tuple[str, list[DateMention]],
) -> None:
    text, mentions = seed_mentions
    sentence_start = text.index("The following day, opposition factions tightened")
    anchor = anchor_before(mentions, sentence_start)
    assert anchor is not None and (anchor.text, anchor.date) == ("November 29", d("2024-11-29"))


def test_a_month_with_last_or_this_year_takes_that_year():
    mentions = resolve_dates(parse("Russian forces captured Avdiivka in February last year; in late March "
                                   "this year they reached Pokrovsk."), date(2025, 1, 6))
    assert [(m.text, m.date, m.precision) for m in mentions] == [
        ("February last year", date(2024, 2, 1), "month"),
        ("late March this year", date(2025, 3, 1), "month")]


def test_the_following_day_counts_from_the_story_not_from_the_day_a_source_spoke():
    text = ("Jihadists attacked an army camp in Djibo on Sunday, residents said on Tuesday.\n"
            "The following day, army drones struck a column of fighters north of Djibo.\n")
    following = [m for m in resolve_dates(parse(text), date(2025, 5, 13)) if m.text == "The following day"]
    assert [m.date for m in following] == [date(2025, 5, 12)]


def test_a_reporting_verb_in_the_sentence_before_does_not_make_the_next_date_a_report_date():
    text = ("The rebel group neither confirmed nor denied.\n\nOn 4 August, fighters took the airport.\n"
            "The following day, jets bombed a market.\n")
    mentions = resolve_dates(parse(text), date(2024, 8, 9))
    assert [(m.text, m.date) for m in mentions] == [("4 August", date(2024, 8, 4)),
                                                    ("The following day", date(2024, 8, 5))]
