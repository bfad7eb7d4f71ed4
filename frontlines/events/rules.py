"""ACLED's conventions, as ordered tables of named rules: which of a sentence's events stand
(SENTENCE_RULES) and which sub-event type an event's actors and words make it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from frontlines.actors import military_of
from frontlines.events.article import Article
from frontlines.events.candidates import OVERTAKE, REGAIN, TERRITORY, TRANSFER, WITHDRAWAL, TriggerHit
from frontlines.events.clause import clause_head, clause_range, within
from frontlines.events.lexicon import patterns
from frontlines.events.when import after_clause
from frontlines.events.who import armed_sides
from frontlines.models import Actor, Place
from frontlines.nlp import span_text

PATTERNS = patterns("rules")

# When these sub-types share a sentence with another trigger, they say what the event really was:
# shells "releasing chlorine gas" are a chemical attack, a curfew enforced by troops is "Other".
DOMINANT_SUB_TYPES = ("Chemical weapon", "Suicide bomb", "Other")
CROWD_WORDS = PATTERNS["CROWD_WORDS"]
MOB_WORDS = PATTERNS["MOB_WORDS"]
PROTEST_WORDS = PATTERNS["PROTEST_WORDS"]
VIOLENT_CROWD = PATTERNS["VIOLENT_CROWD"]
LETHAL_FORCE = PATTERNS["LETHAL_FORCE"]
INTERVENTION = PATTERNS["INTERVENTION"]
NO_FIGHT = PATTERNS["NO_FIGHT"]
FIGHTING_WORDS = PATTERNS["FIGHTING_WORDS"]
PLACE_NOUNS = frozenset("town city village district hub base camp port capital region province".split())
# Objects that make "captured" or "seized" about people, not ground.
PERSON_OBJECTS = frozenset("""
leader commander chief member members suspect suspects militant militants fighter fighters soldier
soldiers man men woman women official officials journalist journalists activist activists kingpin
son brother head figure spokesman lieutenant deputy emir governor mayor minister inmates inmate
prisoners prisoner detainees escapees fugitives hostages
""".split())
COMBATANTS = frozenset("soldier soldiers fighter fighters troops militant militants combatants prisoners".split())
# Objects that make "seized" about weapons: a cache is disrupted, not ground taken.
WEAPON_OBJECTS = frozenset("""
drone drones rifle rifles gun guns weapon weapons arm arms ammunition explosive explosives rocket rockets
missile missiles grenade grenades mortar mortars cache stockpile haul rounds launcher launchers
""".split())


# --- ACLED's conventions for the events one sentence tells --------------------------------------
# Each rule takes the sentence's event triggers and returns those that stay; they run in the order of
# SENTENCE_RULES, each on what the rules before it kept.

Hits = list[TriggerHit]


def _of_type(hits: Hits, *sub_types: str) -> Hits:
    return [h for h in hits if h.trigger.sub_event_type in sub_types]


def _dominant_types(hits: Hits, sentence: Span, article: Article) -> Hits:
    for dominant in DOMINANT_SUB_TYPES:
        if _of_type(hits, dominant):
            hits = [h for h in hits if h.trigger.sub_event_type == dominant
                    or h.trigger.event_type not in {"Explosions/Remote violence", "Strategic developments"}
                    or h.trigger.sub_event_type in DOMINANT_SUB_TYPES]
            if dominant == "Other":
                hits = [h for h in hits if h.trigger.sub_event_type != "Change to group/activity"]
    return hits


def _disrupted_weapon(hits: Hits, sentence: Span, article: Article) -> Hits:
    disrupting = _of_type(hits, "Disrupted weapons use")
    stopped = {t.i for h in disrupting for t in clause_head(h.token).subtree}
    return [h for h in hits if h in disrupting or h.token.i not in stopped]


def _air_payload(hits: Hits, sentence: Span, article: Article) -> Hits:
    dropping = _of_type(hits, "Air/drone strike")
    payload = [r for h in dropping for r in clause_range(h, hits)]
    return [h for h in hits if h in dropping or not within(h.start, h.end, payload)
            or h.trigger.sub_event_type not in {"Remote explosive/landmine/IED", "Grenade",
                                                "Shelling/artillery/missile attack"}]


def _protest_outcome(hits: Hits, sentence: Span, article: Article) -> Hits:
    if not any(h.trigger.event_type in {"Protests", "Riots"} for h in hits):
        return hits
    folded = {"Arrests", "Attack"} | ({"Armed clash"} if CROWD_WORDS.search(span_text(sentence)) else set())
    # ... but "protests began after two opposition figures were shot dead" tells the killing too.
    return [h for h in hits if h.trigger.sub_event_type not in folded or after_clause(h.token)]


def _attack_or_battle(hits: Hits, sentence: Span, article: Article) -> Hits:
    if not (_of_type(hits, "Attack") and any(h.trigger.event_type == "Battles" for h in hits)):
        return hits
    dropped = "Armed clash" if armed_sides(sentence, article) < 2 else "Attack"
    return [h for h in hits if h.trigger.sub_event_type != dropped]


def _outranked_by(event_types: set[str] | None, sub_types: set[str], dropped: str):
    """A rule: when the sentence tells an event of these types, `dropped` is part of it."""
    def rule(hits: Hits, sentence: Span, article: Article) -> Hits:
        if not any(h.trigger.event_type in (event_types or ()) or h.trigger.sub_event_type in sub_types
                   for h in hits):
            return hits
        return [h for h in hits if h.trigger.sub_event_type != dropped]
    return rule


@dataclass(frozen=True, slots=True)
class SentenceRule:
    name: str
    keep: Callable[[Hits, Span, Article], Hits]


SENTENCE_RULES: tuple[SentenceRule, ...] = (
    # shells "releasing chlorine gas" are a chemical attack, a curfew enforced by troops is "Other"
    SentenceRule("a chemical weapon, a suicide bomb or a security measure is what happened", _dominant_types),
    # "intercepted a ballistic missile", "defused an explosive device": the weapon named in the
    # disrupting clause is what was stopped, not a second event
    SentenceRule("a disrupted weapon is no event of its own", _disrupted_weapon),
    # "a drone dropped an explosive device on a house": what the aircraft dropped is its strike
    SentenceRule("what an aircraft drops is its strike", _air_payload),
    # arrests and force at a protest are how it ended, coded in the protest's sub-type; a crowd
    # storming or clashing is a demonstration, never a battle
    SentenceRule("a protest's arrests and force are its sub-type", _protest_outcome),
    # "settlers stormed the village and shot dead a man": one armed side, one attack; with two
    # armed sides, those killed died in the battle
    SentenceRule("one armed side attacks, two fight", _attack_or_battle),
    # "detained 12 young men and took them to an unknown location": a disappearance
    SentenceRule("a disappearance outranks the arrest",
                 _outranked_by(None, {"Abduction/forced disappearance"}, "Arrests")),
    # "soldiers raped a girl during a raid on a village": the specific violence is the event
    SentenceRule("sexual violence outranks the attack", _outranked_by(None, {"Sexual violence"}, "Attack")),
    # "settlers rampaged through the town, torching homes": destruction in an attack is part of it
    SentenceRule("destruction in a battle or an attack is part of it",
                 _outranked_by({"Battles", "Violence against civilians"}, set(), "Looting/property destruction")),
    # "twin blasts that killed 84 people": the explosion is the event; its victims make it no
    # separate attack on civilians
    SentenceRule("an explosion's victims are no separate attack",
                 _outranked_by({"Explosions/Remote violence"}, set(), "Attack")),
    # "took Homs after government forces withdrew": one takeover, not two events
    SentenceRule("a takeover absorbs the withdrawal before it", _outranked_by(None, {TERRITORY}, WITHDRAWAL)),
)


def crowd_acts(hit: TriggerHit) -> bool:
    """True when the subject of the trigger's clause is a crowd or a mob."""
    subjects = [c for node in (hit.token, *hit.token.ancestors) for c in node.children if c.dep_ == "nsubj"][:1]
    words = " ".join(t.text for c in subjects for t in c.subtree)
    return bool(MOB_WORDS.search(words) or re.search(r"\b(?:crowds?|rioters|protesters|demonstrators|residents)\b", words, re.I))


# Nouns that count what follows "of" ("dozens of soldiers").
QUANTITY_NOUNS = frozenset("dozen dozens score scores hundred hundreds thousand thousands number group".split())


def _taken(hit: TriggerHit) -> list[Token]:
    """What was captured or seized: the object, or the passive subject, or what "150 of" or
    "dozens of" counts."""
    taken = [c for c in hit.token.children if c.dep_ in {"dobj", "nsubjpass"}]
    return taken + [g for c in taken if c.pos_ == "NUM" or c.lemma_.lower() in QUANTITY_NOUNS
                    for p in c.children if p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]


def takes_a_person(hit: TriggerHit, places: Sequence[Place]) -> bool:
    """True when what was captured or seized is a person.

    NER calls many unfamiliar towns persons; a name the places stage took for a place, or one set
    beside "a strategic town", is ground.
    """
    return any((c.lemma_.lower() in PERSON_OBJECTS or c.lower_ in PERSON_OBJECTS or c.ent_type_ == "PERSON")
               and not any(p.start <= c.idx < p.end for p in places)
               and not any(a.dep_ == "appos" and a.lemma_.lower() in PLACE_NOUNS for a in c.children)
               for c in _taken(hit))


def takes_combatants(hit: TriggerHit) -> bool:
    return any(c.lemma_.lower() in COMBATANTS or c.lower_ in COMBATANTS for c in _taken(hit))


def takes_weapons(hit: TriggerHit) -> bool:
    """"soldiers seized two drones fitted with explosive charges, 15 rifles": a cache, not ground."""
    return any(c.lemma_.lower() in WEAPON_OBJECTS or c.lower_ in WEAPON_OBJECTS for c in _taken(hit))


def demonstration_type(sub_type: str, event_type: str, sentence: str) -> tuple[str, str]:
    """ACLED's demonstration sub-types follow what the crowd and the police did."""
    protest = PROTEST_WORDS.search(sentence)
    if sub_type == "Violent demonstration" and not protest and MOB_WORDS.search(sentence):
        return "Mob violence", "Riots"  # "a mob lynched a man and set his body on fire"
    if VIOLENT_CROWD.search(sentence):
        return ("Violent demonstration", "Riots") if protest or sub_type != "Mob violence" \
            else ("Mob violence", "Riots")
    if sub_type == "Mob violence" or event_type == "Riots":
        return sub_type, event_type
    if LETHAL_FORCE.search(sentence):
        return "Excessive force against protesters", "Protests"
    if INTERVENTION.search(sentence):
        return "Protest with intervention", "Protests"
    return "Peaceful protest", "Protests"


def withdrawal(sentence: Span, side1: list[Actor], side2: list[Actor], home: str | None
                ) -> tuple[str, str, list[Actor], list[Actor]]:
    """A withdrawal after fighting is a lost battle; without fighting, a non-violent transfer."""
    leaving = side1[:1]
    taking = [a for a in side1[1:] + side2 if a not in leaving]
    if FIGHTING_WORDS.search(span_text(sentence)) and not NO_FIGHT.search(span_text(sentence)):
        return TERRITORY, "Battles", taking, leaving
    return TRANSFER, "Strategic developments", taking or leaving, leaving if taking else []


def territory(side1: list[Actor], side2: list[Actor], country: str | None
               ) -> tuple[str, list[Actor], list[Actor]]:
    taker = side1[0] if side1 else None
    if taker is None:
        return OVERTAKE, side1, side2
    if taker.inter == 1 and (taker.country is None or taker.country == country):
        loser = side2 or []
        return REGAIN, [taker], loser
    if not side2 and country:
        side2 = [military_of(country)]
    return OVERTAKE, [taker], side2
