"""The events stage: sentences that state an event become ACLED-coded records, one per place.

For each sentence, trigger phrases from `data/event_triggers.toml` propose an event type. The
dependency parse then decides whether the event happened (not "could have carried out airstrikes",
not "sought to broker agreements"), which part of the sentence is the trigger's clause, and so which
places, dates and actors belong to it. ACLED's rules shape the result: the final takeover is the
territory event and fighting at the same place and day folds into it; a withdrawal with no fighting
is a non-violent transfer; one event is one type, one day, one place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from spacy.tokens import Doc, Span

from frontlines.actors import crowd_of, government_of, main_country, military_of, unidentified_group_of
from frontlines.events.article import SHORT_REPORT_SENTENCES, Article
from frontlines.events.candidates import (
    OVERTAKE,
    REGAIN,
    TERRITORY,
    TRANSFER,
    WITHDRAWAL,
    TriggerHit,
    decide,
    find_triggers,
)
from frontlines.events.clause import (
    char_ranges,
    clause_head,
    clause_range,
    has_natural_cause,
    has_subject,
    is_campaign,
    is_modifier,
    is_unrealised,
)
from frontlines.events.fold import drop_restatements, drop_unplaced_restatements, fold, without_containers
from frontlines.events.learned import SUB_TYPES, EventClassifier, bundled_classifier, model_input
from frontlines.events.lexicon import patterns
from frontlines.events.rules import (
    CROWD_WORDS,
    MOB_WORDS,
    NO_FIGHT,
    PROTEST_WORDS,
    SENTENCE_RULES,
    crowd_acts,
    demonstration_type,
    takes_a_person,
    takes_combatants,
    takes_weapons,
    territory,
    withdrawal,
)
from frontlines.events.when import BACKGROUND_DAYS, EventDate, days_told, event_date, is_dateline
from frontlines.events.where import (
    country_of,
    dateline_place,
    event_places,
    event_point,
    geo_precision,
    place_referred_to,
    states_a_place,
    told_from_dateline,
)
from frontlines.events.who import agreement_parties, assign_actors, fatalities, inter, lead_group
from frontlines.models import Actor, Analysis, EventRecord, Place
from frontlines.nlp import span_text, text_of

PATTERNS = patterns("coding")

# A place resolved with less support than this (see places._score) is often the wrong namesake.
FIRM_PLACE_SCORE = 7.0
MOB_WEAPONS = PATTERNS["MOB_WEAPONS"]
UNHURT = PATTERNS["UNHURT"]
HURT = PATTERNS["HURT"]
CRIME_WORDS = PATTERNS["CRIME_WORDS"]
LONE_PERSON = PATTERNS["LONE_PERSON"]


def extract_events(analysis: Analysis, classifier: EventClassifier | None = None) -> list[EventRecord]:
    """The stage's entry point: every event the document's sentences state.

    `classifier` (the bundled model by default) says which sentences report which sub-event
    types; the trigger lexicon's hits are its features and anchor the events' clauses.
    """
    classifier = classifier or bundled_classifier()
    doc: Doc = analysis.doc
    text = text_of(doc)
    article = Article(
        analysis, analysis.document.published, main_country(analysis.places, text) or _actors_country(analysis),
        [m for m in analysis.dates if m.date is not None and not is_dateline(text, m)],
        lead_group(analysis.actors), dateline_place(text, analysis.places, analysis.document.title))
    # A headline sums up the body, where each event is stated with its details.
    sentences = [s for s in doc.sents if not _is_headline(s, analysis.document.title)]
    article.short_report = len(sentences) <= SHORT_REPORT_SENTENCES
    triggers = [find_triggers(s) for s in sentences]
    scores = classifier.probabilities(
        [model_input(span_text(s), (h.trigger.sub_event_type for h in found)) for s, found in zip(sentences, triggers)])
    events: list[EventRecord] = []
    for sentence, lexicon_hits, probabilities in zip(sentences, triggers, scores):
        found = decide(lexicon_hits, sentence, dict(zip(SUB_TYPES, map(float, probabilities))), classifier)
        hits = [h for h in found
                if not is_unrealised(h.token) and not is_campaign(h, text) and not is_modifier(h)
                and not has_natural_cause(h)]
        silent = [h for h in found if h not in hits]  # triggers that tell no event
        for rule in SENTENCE_RULES:
            hits = rule.keep(hits, sentence, article)
        told = [record for hit in hits for record in _events_for_hit(hit, hits, silent, sentence, article)]
        if not told and (article.short_report or states_a_place(sentence, article)):
            # A place the gazetteer lacks, or one left unnamed ("a village south of the town"), or
            # a short report that names none: coded near the sentence's town, or (in a short
            # report) at the country; no event is lost for want of a place.
            told = [replace(record, place_stated=False) for hit in hits
                    for record in _events_for_hit(hit, hits, silent, sentence, article, at_country=True)]
        events += without_containers(told, analysis.places)
    return drop_unplaced_restatements(drop_restatements(fold(events)))


def _actors_country(analysis: Analysis) -> str | None:
    """The country of the forces and groups the text names, when no place or demonym names one
    ("Police arrested 12 CCC activists in Budiriro": Zimbabwe's)."""
    countries = Counter(m.actor.country for m in analysis.actors if m.actor.country)
    return countries.most_common(1)[0][0] if countries else None


def _is_headline(sentence: Span, title: str | None) -> bool:
    """Part of the title line, when a body follows it; a one-line text (a wire flash, a post) is
    its body."""
    if not title:
        return False
    text = text_of(sentence.doc)
    start = len(text) - len(text.lstrip())
    first_line = text[start:].split("\n", 1)[0]
    if first_line.strip() != title.strip() or sentence.start_char >= start + len(first_line):
        return False
    return bool(text[start + len(first_line):].strip())


def _events_for_hit(hit: TriggerHit, hits: list[TriggerHit], silent: list[TriggerHit], sentence: Span,
                    article: Article, at_country: bool = False) -> list[EventRecord]:
    """The records one trigger yields; `hits` tell the sentence's events, `silent` triggers tell none.

    With `at_country`, an event none of whose places resolves is coded at its country.
    """
    analysis, home, published = article.analysis, article.home, article.published
    text = text_of(sentence.doc)
    clause = clause_range(hit, hits + silent) or [(sentence.start_char, sentence.end_char)]
    mentions = [a for a in analysis.actors if sentence.start_char <= a.start < sentence.end_char]
    side1, side2 = assign_actors(hit, mentions, text, clause)
    when = event_date(hit, sentence, clause, article.dates, published)
    if when.ongoing and not (hit.trigger.event_type == "Strategic developments" and when.day is not None):
        # Fighting "raging since May 10" is no event of a day; but a base "installed since
        # Wednesday" or a group "dissolved since Monday" was set up or changed on that day.
        return []
    sub_type, event_type = hit.trigger.sub_event_type, hit.trigger.event_type
    actor_countries = {a.country for a in side1 + side2 if a.country}
    if sub_type == "Agreement":
        parties = agreement_parties(sentence, analysis.places, hit, mentions)
        side1, side2 = parties[:1], parties[1:2]
        if side1 and not side2 and home and side1[0] != government_of(home):
            side2 = [government_of(home)]
        actor_countries = {a.country for a in parties if a.country}
    # Triggers of one sub-type ("dissolving itself and merging into the army") tell one event.
    lone = len({h.trigger.sub_event_type for h in hits}) == 1
    # A sentence's places can be borrowed when it tells one event, except those in the clauses of
    # triggers that tell none ("men wanted over an attack near Kedumim").
    heads = [clause_head(h.token) for h in silent]
    borrowable = char_ranges(set(sentence) - {t for head in heads if hit.token not in head.subtree
                                               for t in head.subtree}) if lone else []
    places = event_places(hit, sentence, clause, analysis.places, actor_countries, borrowable)
    head = clause_head(hit.token)
    if not places and head.dep_ == "conj" and not has_subject(head):
        # "soldiers surrounded a house in Burqin and killed two men": the second verb shares the
        # first one's subject, and its place.
        shared = clause_range(hit, hits + silent, clause_head(head.head))
        places = event_places(hit, sentence, shared, analysis.places, actor_countries, borrowable)
    if not places:
        places = place_referred_to(sentence, clause, article)
    if not places and told_from_dateline(sentence, article):
        places = [article.dateline[0]]  # "DHAKA: Hundreds of students staged a sit-in ..."
    if not places and at_country and sub_type != "Agreement":
        places = country_of(sentence, article)
    if sub_type == "Agreement":
        # One record per place the agreement covers ("leases for Hmeimim and Tartus"), not where
        # the parties met ("an agreement in Astana to establish a de-escalation zone in Idlib");
        # with no place named, the country at stake.
        places = [p for p in places if p.country == home] or places
        places = places or [p for p in analysis.places if p.kind == "country" and p.country == home][:1]
    if not places:
        return []
    if sub_type in {"Arrests", "Attack"} and CRIME_WORDS.search(span_text(sentence)):
        return []  # "arrested a man suspected of stealing copper cables": crime, not conflict
    if sub_type == TERRITORY and takes_combatants(hit):
        return []  # "killed or captured more than 1,000 soldiers": the battle's toll, no event of its own
    if sub_type == TERRITORY and takes_weapons(hit):
        sub_type, event_type = "Disrupted weapons use", "Strategic developments"
    elif sub_type == TERRITORY and takes_a_person(hit, analysis.places):
        # "soldiers captured a regional leader of the cartel": people seized, not ground.
        state = side1 and side1[0].inter == 1
        sub_type, event_type = ("Arrests", "Strategic developments") if state else \
            ("Abduction/forced disappearance", "Violence against civilians")
    if sub_type == WITHDRAWAL:
        sub_type, event_type, side1, side2 = withdrawal(sentence, side1, side2, home)
    records = []
    for place, when in ((p, w) for p in places for w in days_told(when, sentence, article.dates)):
        s1, s2 = list(side1), list(side2)
        st, et = sub_type, event_type
        if st == TERRITORY and not s1 and hit.takeover == REGAIN and (place.country or home):
            # "The heroic armed forces liberated the village": no force the actor table knows, but
            # the report is of the government's forces retaking ground.
            st, s1 = REGAIN, [military_of(place.country or home)]
        if st == TERRITORY:
            if not s1 and article.lead_group is not None and article.lead_group not in s2:
                # "The capture of Maungdaw ...": no taker in the sentence; the armed group the
                # article is about is the one taking ground.
                s1 = [article.lead_group]
            st, s1, s2 = territory(s1, s2, place.country or home)
        if (st in {OVERTAKE, REGAIN, "Headquarters or base established"} or (st == "Armed clash" and not hit.trigger.noun)) \
                and NO_FIGHT.search(span_text(sentence)):
            st, et = TRANSFER, "Strategic developments"
        if et == "Riots" and st == "Violent demonstration" and not CROWD_WORDS.search(span_text(sentence)):
            st, et = "Looting/property destruction", "Strategic developments"
        elif st in {"Attack", "Looting/property destruction"} and crowd_acts(hit):
            # "A crowd beat a butcher to death", "mobs torched homes": a crowd, not an armed group.
            st, et = ("Violent demonstration", "Riots") if PROTEST_WORDS.search(span_text(sentence)) \
                else ("Mob violence", "Riots")
        elif st == "Looting/property destruction" and HURT.search(span_text(sentence)) and not UNHURT.search(span_text(sentence)):
            st, et = "Attack", "Violence against civilians"  # "set fire to houses ...; 12 people were treated for injuries"
        if et in {"Protests", "Riots"}:
            st, et = demonstration_type(st, et, span_text(sentence))
            crowd = [a for a in s1 + s2 if a.inter in {5, 6, 7}]
            if st != "Mob violence" and not any(a.inter in {5, 6} for a in s1):
                s1 = [crowd_of(place.country, rioting=et == "Riots")]
            s2 = [a for a in s2 if a not in s1 and a not in crowd] if et == "Protests" else s2
        elif et == "Violence against civilians" and s1 and s1[0].inter in {5, 7}:
            if CROWD_WORDS.search(span_text(sentence)) or MOB_WORDS.search(span_text(sentence)):
                st, et = "Mob violence", "Riots"  # "residents beat a man to death": a crowd, not an armed group
            elif LONE_PERSON.search(span_text(sentence)[:max(0, hit.start - sentence.start_char)]):
                continue  # "a man shot dead his neighbour during a quarrel": a crime, not political violence
            else:
                s1 = [unidentified_group_of(place.country)]  # "seized by men in plain clothes"
        elif st == "Armed clash" and s2 and all(a.inter == 7 for a in s2) and len(s1) <= 1 \
                and not any(a.inter == 7 for a in s1):
            # "Gunmen stormed the town, shooting people in their homes": one side is unarmed.
            st, et = "Attack", "Violence against civilians"
        elif st == "Armed clash" and MOB_WEAPONS.search(span_text(sentence)) and not any(
                a.inter in {1, 2, 3} and not a.name.startswith("Unidentified") for a in s1 + s2):
            st, et = "Mob violence", "Riots"  # "rival supporters fought with sticks and machetes"
        if not s1 and et in {"Battles", "Explosions/Remote violence", "Violence against civilians"}:
            s1 = [unidentified_group_of(place.country)]
        records.append(_record(hit, sentence, place, st, et, s1, s2, when, published))
    return records


def _record(hit: TriggerHit, sentence: Span, place: Place, sub_type: str, event_type: str,
            side1: list[Actor], side2: list[Actor], when: EventDate, published: date | None
            ) -> EventRecord:
    actor1 = side1[0] if side1 else None
    actor2 = side2[0] if side2 else None
    lat, lon = event_point(place)
    precision = geo_precision(place)
    # How sure each part of the record is: the trigger, a date stated with the event rather than
    # borrowed, a named actor, a place the text pins down and the gazetteer resolved firmly.
    confidence = hit.trigger.weight if hit.probability is None else (hit.trigger.weight + hit.probability) / 2
    confidence *= 1.0 if when.stated else 0.9 if when.from_text else 0.8
    confidence *= 1.0 if actor1 and not actor1.name.startswith("Unidentified") else 0.9
    confidence *= {1: 1.0, 2: 0.95, 3: 0.85, None: 0.7}[precision]
    confidence *= 1.0 if place.score >= FIRM_PLACE_SCORE else 0.85
    background = bool(published and when.day and (published - when.day) >= timedelta(days=BACKGROUND_DAYS))
    evidence = span_text(sentence).strip()
    lead = len(span_text(sentence)) - len(span_text(sentence).lstrip())
    return EventRecord(
        event_type=event_type, sub_event_type=sub_type,
        actor1=actor1.name if actor1 else None, actor2=actor2.name if actor2 else None,
        assoc_actor_1="; ".join(a.name for a in side1[1:]) or None,
        assoc_actor_2="; ".join(a.name for a in side2[1:]) or None,
        inter1=inter(actor1, place.country), inter2=inter(actor2, place.country),
        evidence=evidence, start=sentence.start_char + lead, end=sentence.start_char + lead + len(evidence),
        event_date=when.day, date_precision=when.precision, date_window=when.window,
        # ACLED codes a village no gazetteer knows at the nearest town the report names.
        location=place.name or place.located_at,
        admin1=place.admin1, country=place.country,
        latitude=lat, longitude=lon, geo_precision=precision, geonameid=place.geonameid,
        fatalities=fatalities(span_text(sentence)), confidence=round(float(confidence), 3),
        background=background, date_stated=when.stated,
    )
