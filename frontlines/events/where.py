"""Where an event happened: the places of its clause, the dateline, a place referred back to,
and the fallbacks ACLED uses when the report is vaguer (near a named town, the region, the country).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span

from frontlines.events.article import Article
from frontlines.events.candidates import TriggerHit
from frontlines.events.clause import char_ranges, clause_head, within
from frontlines.events.lexicon import patterns
from frontlines.gazetteer import country_centres, country_table
from frontlines.models import Place
from frontlines.nlp import span_text, text_of
from frontlines.places import LIST_SEPARATOR

PATTERNS = patterns("where")

# A town named only as a reference point stands in for an unknown place this close to it.
NEAR_KM = 30.0
DISTANCE_BEFORE = PATTERNS["DISTANCE_BEFORE"]
REGION_KINDS = frozenset({"governorate", "oblast", "state", "province", "region", "territory"})
TOPIC_BEFORE = PATTERNS["TOPIC_BEFORE"]
ROAD_NAME = PATTERNS["ROAD_NAME"]
TOWARD_BEFORE = PATTERNS["TOWARD_BEFORE"]
DIRECTION_BEFORE = PATTERNS["DIRECTION_BEFORE"]
NOUN_OBJECT_BETWEEN = PATTERNS["NOUN_OBJECT_BETWEEN"]
REFERENCE_BETWEEN = PATTERNS["REFERENCE_BETWEEN"]
QUALIFIER_BETWEEN = PATTERNS["QUALIFIER_BETWEEN"]
BETWEEN_BEFORE = PATTERNS["BETWEEN_BEFORE"]
AND_BETWEEN = PATTERNS["AND_BETWEEN"]
ANAPHORIC_PLACE = PATTERNS["ANAPHORIC_PLACE"]
TOWN_KINDS = frozenset({"city", "town", "village", "camp"})
PLACE_WORDS = PATTERNS["PLACE_WORDS"]
CAMP_AFTER = PATTERNS["CAMP_AFTER"]
NATURAL_FEATURE_KINDS = frozenset({"lake", "sea", "river", "strait", "gulf", "mountain", "continent", "country"})
POSSESSIVE_AFTER = PATTERNS["POSSESSIVE_AFTER"]
# Verbs of saying: their subject reports an event, it does not take part in it.
SPEECH_VERBS = frozenset("say tell report announce confirm add state claim quote cite allege".split())
# Verbs whose subject, when a place, stands for its government ("Kinshasa blamed the M23").
SPEAKING_VERBS = SPEECH_VERBS | frozenset("blame accuse condemn deny warn urge demand insist vow threaten".split())
EXCEPTION_BEFORE = PATTERNS["EXCEPTION_BEFORE"]
LOCATIVE_BEFORE = PATTERNS["LOCATIVE_BEFORE"]
DATELINE_PLACE = PATTERNS["DATELINE_PLACE"]




def event_places(hit: TriggerHit, sentence: Span, clause: list[tuple[int, int]],
                  places: Sequence[Place], actor_countries: set[str],
                  borrowable: Sequence[tuple[int, int]]) -> list[Place]:
    """The places of one trigger's event: those it governs or its clause names; failing those, the
    sentence's places in `borrowable` (the sentence less other events' clauses, when the sentence
    tells one event)."""
    text = text_of(sentence.doc)
    datelines = [_dateline_span(m) for m in DATELINE_PLACE.finditer(text, sentence.start_char, sentence.end_char)]
    in_sentence = [p for p in places if p.resolved and sentence.start_char <= p.start < sentence.end_char
                   and not within(p.start, p.end, datelines) and not _speaks(p, sentence.doc)
                   and not EXCEPTION_BEFORE.search(text[sentence.start_char:p.start])
                   and not DIRECTION_BEFORE.search(text[max(0, p.start - 30):p.start])
                   and not TOPIC_BEFORE.search(text[max(0, p.start - 40):p.start])
                   and (hit.trigger.event_type == "Explosions/Remote violence"
                        or not TOWARD_BEFORE.search(text[max(0, p.start - 30):p.start]))]
    governed = char_ranges(hit.token.subtree) if hit.trigger.noun else []
    governed_places = [p for p in in_sentence if p.kind not in {"country", "continent"} and (
        within(p.start, p.end, governed)
        or (p.start >= hit.end and NOUN_OBJECT_BETWEEN.match(text[hit.end:p.start])))]
    if hit.trigger.noun and (governed_places or hit.token.dep_ not in {"nsubj", "nsubjpass"}):
        # "clashes in El Fasher", "the capture of Hama": a noun carries the places it governs; a
        # noun that is its clause's subject and governs none ("Fighting broke out in Omdurman")
        # takes the clause's.
        chosen = governed_places
    else:
        in_clause = _with_listed([p for p in in_sentence if within(p.start, p.end, clause)],
                                 in_sentence, text)
        after = [p for p in in_clause if p.start >= hit.end]
        # Borrow the sentence's places only when nothing else in it could claim them.
        alone = clause_head(hit.token).dep_ != "relcl"
        borrowed = [p for p in in_sentence if within(p.start, p.end, borrowable)] if alone else []
        chosen = after or in_clause or borrowed
    # "Abu Shouk camp, north of El Fasher": the second name only says where the first one is; so
    # does the far end of "the road between Boni and Hombori", where ACLED codes the first town.
    # The first name need not be resolved: "entered Minova, on the shore of Lake Kivu" is not at the lake.
    # The first name need not be resolved: "entered Minova, on the shore of Lake Kivu" is not at the
    # lake; but "the Mugunga camp near Goma", with Mugunga unknown, is coded near Goma.
    unknown = [p for p in places if not p.resolved and sentence.start_char <= p.start < sentence.end_char]
    # "the Red Sea port of Hodeidah": the first name qualifies the second.
    chosen = [p for p in chosen if not any(
        p.end <= q.start and QUALIFIER_BETWEEN.match(text[p.end:q.start]) for q in chosen)]
    chosen = [p for p in chosen if not any(
        q.end <= p.start and (REFERENCE_BETWEEN.match(text[q.end:p.start])
                              or (BETWEEN_BEFORE.search(text[max(0, q.start - 30):q.start])
                                  and AND_BETWEEN.match(text[q.end:p.start])))
        for q in chosen + [u for u in unknown if p.kind in NATURAL_FEATURE_KINDS])]
    # With the first name unknown, the second stands in for it, near it; a town 60 km away does not.
    by_reference = {id(p): m for p in chosen for q in unknown
                    if q.end <= p.start and (m := REFERENCE_BETWEEN.match(text[q.end:p.start]))}
    chosen = [p if id(p) not in by_reference else replace(p, vicinity=True) for p in chosen
              if id(p) not in by_reference or _reference_km(by_reference[id(p)]) <= NEAR_KM]
    # "blocked the Kisumu-Kakamega highway" in Kisumu: a road's name says where it runs, not where
    # the event was, unless nothing else does.
    off_road = [p for p in chosen if not _names_a_road(p, text)]
    chosen = off_road or chosen
    finer = [p for p in chosen if p.kind not in {"country", "continent"}]
    if finer:
        chosen = [p for p in finer if not any(_contains(p, q) for q in finer if q is not p)]
    else:
        # A country is where an event happened only when the text says so ("in Syria"), not when
        # it names a party ("Turkiye and Russia signed") or qualifies a noun ("Syria's second city").
        chosen = [p for p in chosen if LOCATIVE_BEFORE.search(text[max(0, p.start - 20):p.start])
                  and not POSSESSIVE_AFTER.match(text[p.end:p.end + 3])
                  and p.country not in actor_countries]
    unique: dict[tuple, Place] = {}
    for place in chosen:
        unique.setdefault((place.name, place.latitude, place.longitude), place)
    return list(unique.values())


def _dateline_span(match: re.Match[str]) -> tuple[int, int]:
    return match.span(1) if match.group(1) else match.span(2)


def dateline_place(text: str, places: Sequence[Place], title: str | None) -> tuple[Place, int] | None:
    """The place a story was filed from, and where its lead ends (the end of the dateline's line).

    Only the first line of the body (after the headline) can carry a dateline.
    """
    start = len(title) if title and text.startswith(title) else 0
    start = len(text) - len(text[start:].lstrip())
    match = DATELINE_PLACE.match(text, start)
    if match is None:
        return None
    first, last = _dateline_span(match)
    place = next((p for p in places if p.resolved and first <= p.start and p.end <= last), None)
    if place is None:
        return None
    line_end = text.find("\n", match.end())
    return place, len(text) if line_end == -1 else line_end


def place_referred_to(sentence: Span, clause: list[tuple[int, int]], article: Article) -> list[Place]:
    """The place "the capital" or "the town" stands for, when the article named it before.

    "In the capital, police exchanged fire with gangs": the capital of the country the article is
    about. "on the outskirts of the town": the last town named before the sentence.
    """
    text = text_of(sentence.doc)
    match = next((m for m in ANAPHORIC_PLACE.finditer(text, sentence.start_char, sentence.end_char)
                  if within(m.start("noun"), m.end("noun"), clause)), None)
    if match is None:
        return []
    earlier = [p for p in article.analysis.places if p.start < sentence.start_char]
    noun = match.group("noun").lower()
    if noun == "capital":
        # The capital last named, else the capital of the article's country.
        capitals = {rec.get("capital") for rec in country_table().values()}
        home_capital = country_table().get(article.home or "", {}).get("capital")
        found = [p for p in earlier if p.resolved and p.kind in TOWN_KINDS and p.name in capitals] or \
            [p for p in article.analysis.places if p.resolved and home_capital and p.name == home_capital]
    elif noun == "country":
        # The country the sentence names ("South Sudan's government imposed a curfew across the
        # country"), else the article's.
        named = [p for p in article.analysis.places if p.resolved and p.kind == "country"
                 and sentence.start_char <= p.start < sentence.end_char]
        found = named or [p for p in article.analysis.places if p.resolved and p.kind == "country"
                          and p.country == article.home]
    elif noun == "camp":
        text_all = text_of(sentence.doc)
        found = [p for p in earlier if p.resolved and (p.kind == "camp" or CAMP_AFTER.match(text_all[p.end:p.end + 25]))]
    else:
        # The last town named, resolved or not: an unknown one cannot be replaced by an older one.
        found = [p for p in earlier if not p.resolved or (p.kind in TOWN_KINDS and p.country == article.home)]
    if not found or not found[-1].resolved:
        return []
    place = found[-1]
    if match.group("near"):
        place = replace(place, vicinity=True)
    return [place]


def states_a_place(sentence: Span, article: Article) -> bool:
    """The sentence names a place, resolved or not, or speaks of one ("a village", "the area")."""
    return any(sentence.start_char <= p.start < sentence.end_char and p.kind != "country"
               for p in article.analysis.places) or bool(PLACE_WORDS.search(span_text(sentence)))


def _farther_than_near(before: str) -> bool:
    distance = DISTANCE_BEFORE.search(before)
    if distance is None:
        return False
    km = float(distance.group("amount").replace(",", ""))
    return (km * 1.609 if distance.group("unit").startswith("mile") else km) > NEAR_KM


def country_of(sentence: Span, article: Article) -> list[Place]:
    """Where an event is coded when none of its clause's places could be.

    ACLED codes an event at the most precise place the report supports: a village the gazetteer
    lacks is coded near the town the sentence names (geo_precision 2); in a short report, else at
    the country the sentence or the report is about (3), else nowhere (no coordinates, no
    precision). No event is lost for want of a place.
    """
    named = [p for p in article.analysis.places if p.resolved and sentence.start_char <= p.start < sentence.end_char]
    text = text_of(sentence.doc)
    # "a settlement about 60 km east of Wad Madani": a town that far away does not stand in.
    towns = [p for p in named if p.kind != "country" and p.kind not in NATURAL_FEATURE_KINDS
             and not _farther_than_near(text[max(sentence.start_char, p.start - 60):p.start])]
    if towns:
        # The sentence puts the event in or near the place it names: coded there, as near it.
        return [replace(towns[0], vicinity=True)]
    if not article.short_report:
        # In an article, an event told with no place to code it at is a summary, a quote or an
        # aside; the article's placed events carry the news.
        return []
    if any(p.kind == "country" for p in named):
        return [next(p for p in named if p.kind == "country")]
    centre = country_centres().get(article.home or "")
    if centre is None:
        # Not even a country: the event is kept, unlocated, for the analyst to place.
        return [Place(mention="", start=sentence.start_char, end=sentence.start_char)]
    name = country_table().get(article.home, {}).get("name", article.home)
    return [Place(mention=name, start=sentence.start_char, end=sentence.start_char, name=name, kind="country",
                  country=article.home, latitude=centre[0], longitude=centre[1])]


def told_from_dateline(sentence: Span, article: Article) -> bool:
    """True for a lead sentence that names no place finer than a country but its dateline's."""
    if article.dateline is None or sentence.start_char >= article.dateline[1]:
        return False
    filed_from = article.dateline[0]
    return not any(p is not filed_from and p.kind not in {"country", "continent"}
                   and sentence.start_char <= p.start < sentence.end_char for p in article.analysis.places)


def _speaks(place: Place, doc: Doc) -> bool:
    """"Kinshasa blamed the M23", "Moscow said": a capital standing for its government."""
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    return span is not None and span.root.dep_ == "nsubj" and span.root.head.lemma_ in SPEAKING_VERBS


def _names_a_road(place: Place, text: str) -> bool:
    start = max(0, place.start - 25)
    return any(m.start() <= place.start - start < m.end() for m in ROAD_NAME.finditer(text[start:place.end + 25]))


def _reference_km(match: re.Match[str]) -> float:
    """The distance a reference states ("about 55 km south-west of"), 0 when it states none."""
    if not match.group("distance"):
        return 0.0
    value = float(match.group("distance").replace(",", ""))
    return value * {"miles": 1.609, "nautical miles": 1.852}.get(match.group("unit").lower(), 1.0)


def _with_listed(chosen: list[Place], candidates: list[Place], text: str) -> list[Place]:
    """Add the places listed after chosen ones ("A, B, and C"), which the parse often misattaches."""
    chosen = list(chosen)
    for place in sorted(candidates, key=lambda p: p.start):
        if place not in chosen and any(
                q.end <= place.start and LIST_SEPARATOR.match(text[q.end:place.start]) for q in chosen):
            chosen.append(place)
    return chosen


def _contains(outer: Place, inner: Place) -> bool:
    """True when `outer` is a region or country that holds `inner`."""
    if outer.country != inner.country or outer.kind == inner.kind:
        return False
    if outer.kind == "country":
        return True
    return outer.kind in REGION_KINDS and inner.admin1 == outer.admin1 and inner.kind != "country"


def geo_precision(place: Place) -> int | None:
    if not place.resolved:
        return None  # an event the report gives no place or country for
    if place.kind == "country" or place.kind in REGION_KINDS:
        return 3
    return 2 if place.vicinity or place.located_at or place.kind in {"county", "district"} else 1


def event_point(place: Place) -> tuple[float | None, float | None]:
    """ACLED codes an event known only to a region at the region's capital."""
    if place.anchor_latitude is not None:
        return place.anchor_latitude, place.anchor_longitude
    return place.latitude, place.longitude
