"""Candidate events in a sentence: the trigger lexicon's phrases, and the model's say on them.

`find_triggers` matches the phrases of `data/event_triggers.toml`; `decide` lets the event model
veto, retype and add to them (see `learned`), so every candidate carries a word the rules can
anchor its clause on.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from frontlines.acled import SubEventType
from frontlines.events.learned import SUB_TYPES, EventClassifier
from frontlines.nlp import text_of

TERRITORY = "territory"
WITHDRAWAL = "withdrawal"
OVERTAKE = SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY
REGAIN = SubEventType.GOVERNMENT_REGAINS_TERRITORY
TRANSFER = SubEventType.NON_VIOLENT_TRANSFER_OF_TERRITORY


@dataclass(frozen=True, slots=True)
class Trigger:
    sub_event_type: str
    event_type: str
    weight: float
    noun: bool
    pattern: re.Pattern[str] | None  # None for an event the model proposed where no phrase matched


@lru_cache(maxsize=1)
def load_triggers() -> tuple[Trigger, ...]:
    path = resources.files("frontlines").joinpath("data/event_triggers.toml")
    with path.open("rb") as f:
        data = tomllib.load(f)
    triggers = []
    for rec in data["trigger"]:
        body = "|".join(rec["phrases"])
        triggers.append(Trigger(
            rec["sub_event_type"], rec["event_type"], float(rec["weight"]), bool(rec.get("noun")),
            re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.I)))
    return tuple(triggers)


@dataclass(slots=True)
class TriggerHit:
    trigger: Trigger
    start: int
    end: int
    token: Token
    # The model's probability for the trigger's sub-event type in its sentence.
    probability: float | None = None
    # Of the two takeovers, the one the model prefers: who took ground when no taker is named.
    takeover: SubEventType | None = None


def find_triggers(sentence: Span) -> list[TriggerHit]:
    """Non-overlapping trigger matches in a sentence, longest first."""
    doc, offset = sentence.doc, sentence.start_char
    # `span_text(sentence)` joins the sentence's tokens anew on every access; this slice is the same
    # string, built once for all the patterns.
    sentence_text = text_of(doc)[offset:sentence.end_char]
    hits: list[TriggerHit] = []
    found = []
    for trigger in load_triggers():
        for m in trigger.pattern.finditer(sentence_text):
            found.append((m.start() + offset, m.end() + offset, trigger))
    for start, end, trigger in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if any(h.start < end and start < h.end for h in hits):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        # The word that carries the event: the span's syntactic head.
        hits.append(TriggerHit(trigger, start, end, span.root))
    return sorted(hits, key=lambda h: h.start)


# The model's sub-event types a lexicon trigger stands for: a takeover's type depends on who takes
# (the rules decide) and on what was taken (weapons seized are a disrupted cache, people seized an
# arrest or an abduction); a withdrawal's on whether anyone fought for the place.
TRIGGER_CLASSES: dict[str, tuple[SubEventType, ...]] = {
    TERRITORY: (OVERTAKE, REGAIN, TRANSFER, SubEventType.DISRUPTED_WEAPONS_USE, SubEventType.ARRESTS,
                SubEventType.ABDUCTION_FORCED_DISAPPEARANCE),
    WITHDRAWAL: (TRANSFER, OVERTAKE, REGAIN),
}
# What a proposed event of these types is handed to the rules as: the taker decides the type.
PROPOSED_AS = {OVERTAKE: TERRITORY, REGAIN: TERRITORY}
# Parts of speech that can carry an event (the anchor of a proposed event's clause).
EVENT_WORD_POS = frozenset({"VERB", "NOUN", "ADJ"})
# A word in these relations qualifies its head ("live ammunition", "artillery shells").
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})


def _classes_of(trigger: Trigger) -> tuple[SubEventType, ...]:
    return TRIGGER_CLASSES.get(trigger.sub_event_type) or (SubEventType(trigger.sub_event_type),)


def decide(found: list[TriggerHit], sentence: Span, probability: dict[SubEventType, float],
            classifier: EventClassifier) -> list[TriggerHit]:
    """The sentence's event triggers once the model has had its say.

    A lexicon hit stays unless the model all but rules its sub-type out (`veto`); it takes the
    type the model prefers within the same event type ("shelled" said of aircraft is an air
    strike); and each sub-type the model is sure of (`propose`) that no hit names becomes a hit of
    its own, anchored on the sentence's word that speaks most for it, so that the rules find its
    clause, actors, place and date as for any trigger.
    """
    decision = classifier.decision
    kept: list[TriggerHit] = []
    for hit in found:
        classes = _classes_of(hit.trigger)
        support = max(probability[c] for c in classes)
        if support < decision.veto:
            continue
        if len(classes) == 1:
            own = classes[0]
            rival = max((c for c in own.event_type.sub_event_types if c is not own), key=probability.__getitem__,
                        default=own)
            if probability[rival] >= decision.propose and probability[rival] - support >= decision.retype_margin:
                hit = replace(hit, trigger=replace(hit.trigger, sub_event_type=rival.value))
                support = probability[rival]
        hit.probability = support
        hit.takeover = max((OVERTAKE, REGAIN), key=probability.__getitem__)
        kept.append(hit)
    covered = {c for h in kept for c in _classes_of(h.trigger)}
    for sub_type in SUB_TYPES:
        if probability[sub_type] < decision.propose or sub_type in covered:
            continue
        anchor = _anchor(sentence, sub_type, kept, classifier)
        if anchor is None:
            continue
        trigger = Trigger(PROPOSED_AS.get(sub_type, sub_type.value), sub_type.event_type.value,
                          probability[sub_type], anchor.pos_ == "NOUN", None)
        kept.append(TriggerHit(trigger, anchor.idx, anchor.idx + len(anchor.text), anchor, probability[sub_type],
                               max((OVERTAKE, REGAIN), key=probability.__getitem__)))
        covered.add(sub_type)
    return sorted(kept, key=lambda h: h.start)


def _anchor(sentence: Span, sub_type: SubEventType, taken: Sequence[TriggerHit],
            classifier: EventClassifier) -> Token | None:
    """Where a proposed event's clause hangs: the verb that governs the sentence's word saying most
    for `sub_type` ("fired" for "live ammunition", "pounded" for "artillery shells"), or that
    word's head noun when no verb governs it; never a span already taken."""
    words = [t for t in sentence if t.pos_ in EVENT_WORD_POS]
    if not words:
        return None
    best = max(words, key=lambda t: (classifier.word_weight(t.text, sub_type), t.pos_ == "VERB"))
    governing = [best, *best.ancestors]
    verb = next((t for t in governing if t.pos_ in {"VERB", "AUX"} and t.sent == best.sent), None)
    anchor = verb or next((t for t in governing if t.dep_ not in MODIFIER_DEPS), best)
    return None if any(h.start <= anchor.idx < h.end for h in taken) else anchor
