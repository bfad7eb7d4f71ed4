"""Who took part in an event: the two sides from the clause's actors, their ACLED categories,
agreement parties, and the fatalities the sentence reports."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from spacy.tokens import Span

from frontlines.actors import government_of
from frontlines.events.article import Article
from frontlines.events.candidates import TriggerHit
from frontlines.events.clause import within
from frontlines.events.lexicon import patterns
from frontlines.events.where import LOCATIVE_BEFORE, SPEECH_VERBS
from frontlines.models import Actor, ActorMention, Place
from frontlines.nlp import span_text, text_of

PATTERNS = patterns("who")

PASSIVE_AGENT_BEFORE = PATTERNS["PASSIVE_AGENT_BEFORE"]
OF_BEFORE = PATTERNS["OF_BEFORE"]
CAPITALS = {
    "Moscow": "RU", "the Kremlin": "RU", "Kremlin": "RU", "Ankara": "TR", "Tehran": "IR",
    "Damascus": "SY", "Kyiv": "UA", "Kiev": "UA", "Washington": "US", "Beijing": "CN",
    "Baghdad": "IQ", "Beirut": "LB", "Amman": "JO", "Riyadh": "SA", "Cairo": "EG",
    "Khartoum": "SD", "Naypyidaw": "MM", "Bamako": "ML", "Jerusalem": "IL", "Doha": "QA",
}
FATALITY_NUMBER = r"(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen|dozens? of)"
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12,
}
VICTIMS = (r"(?:people|persons|civilians|soldiers|fighters|combatants|troops|militants|members|"
           r"children|women|men|residents|villagers|rebels|insurgents|police(?:men| officers)?|"
           r"servicemen|protesters|worshippers|others)")
FATALITY_PATTERNS = (
    re.compile(rf"\b(?:killing|killed|leaving|left)\s+(?:at least\s+|more than\s+|over\s+|some\s+|about\s+|around\s+|nearly\s+)?"
               rf"{FATALITY_NUMBER}\s+(?:[\w-]+\s+){{0,3}}?(?:{VICTIMS}\s+)?(?:dead|{VICTIMS})\b", re.I),
    re.compile(rf"\b{FATALITY_NUMBER}\s+(?:[\w-]+\s+){{0,3}}?{VICTIMS}\s+(?:\w+\s+){{0,4}}?(?:were|have been|had been|was)?\s*"
               rf"(?:killed|dead|died)\b", re.I),
    re.compile(rf"\b{FATALITY_NUMBER}\s+(?:deaths|dead|fatalities)\b", re.I),
    re.compile(r"\bdeath toll (?:rose|rises|climbed|reached|stands at|stood at)\s+(?:to\s+)?(\d[\d,]*)\b", re.I),
)




def assign_actors(hit: TriggerHit, mentions: list[ActorMention], text: str,
                   clause: list[tuple[int, int]]) -> tuple[list[Actor], list[Actor]]:
    """Actors on the acting side and on the receiving side of the trigger.

    The acting side is, in order: a passive agent ("by the RSF"), the grammatical subject of the
    trigger's verb or of a verb above it, the actor a noun trigger governs ("the advance of
    opposition factions"), the nearest actor before the trigger.
    """
    doc = hit.token.doc
    subjects: set[int] = set()
    subject_heads: set[int] = set()
    for node in [hit.token, *hit.token.ancestors]:
        for child in node.children:
            if child.pos_ == "PRON":
                continue  # "it had taken Maungdaw, the Arakan Army said": look further up
            if child.dep_ in {"nsubj", "agent"} or (child.dep_ == "poss" and node.i == hit.token.i):
                subjects |= {t.i for t in child.subtree}
                # The subject's own head word and its compounds, not an apposition inside it.
                subject_heads |= {child.i} | {c.i for c in child.children if c.dep_ in {"compound", "amod", "det", "poss", "conj"}}
        if subjects:
            break
    governed = {t.i for t in hit.token.subtree} if hit.trigger.noun else set()

    def token_ids(m: ActorMention) -> set[int]:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        return {t.i for t in span} if span is not None else set()

    def rank(m: ActorMention) -> tuple[int, int]:
        ids = token_ids(m)
        if PASSIVE_AGENT_BEFORE.search(text[max(0, m.start - 8):m.start]) and _is_agent_of(hit, ids):
            return (0, 0)
        if ids & subject_heads:
            return (1, abs(hit.start - m.start))
        if ids & subjects:
            return (2, abs(hit.start - m.start))
        if ids & governed and OF_BEFORE.search(text[max(0, m.start - 8):m.start]):
            return (2, m.start + len(text))
        if m.start < hit.start and m.actor.inter != 7:
            in_clause = within(m.start, m.end, clause)
            return (3 if in_clause else 4, hit.start - m.start)
        return (9, m.start)

    ranked = sorted(mentions, key=rank)
    side1 = _distinct(m.actor for m in ranked if rank(m)[0] < 9)
    side1 = side1[:1] + [a for m in ranked[1:] if rank(m)[0] < 3 for a in [m.actor]
                         if a not in side1[:1] and a.inter == (side1[0].inter if side1 else a.inter)]
    side1 = _distinct(side1)
    # "..., police said": whoever only reports the event is no party to it.
    side2 = [a for a in _distinct(m.actor for m in ranked if not _only_reports(hit, token_ids(m)))
             if a not in side1]
    return side1, side2


def _only_reports(hit: TriggerHit, ids: set[int]) -> bool:
    """True when the mention is the subject of a verb of saying: the source, not the target."""
    doc = hit.token.doc
    return any(doc[i].dep_ == "nsubj" and doc[i].head.lemma_ in SPEECH_VERBS for i in ids)


def _is_agent_of(hit: TriggerHit, ids: set[int]) -> bool:
    """True when the "by" before these tokens hangs off the trigger or a word above it.

    "shelled by the RSF" names the shelling's agent; "airstrikes ... during its siege by Assad's
    regime" names the siege's.
    """
    doc = hit.token.doc
    governing = {hit.token.i, *(t.i for t in hit.token.ancestors)}
    return any(doc[i].head.lower_ == "by" and doc[i].head.head.i in governing for i in ids)


def _distinct(actors: Iterable[Actor]) -> list[Actor]:
    seen: list[Actor] = []
    for actor in actors:
        if actor not in seen:
            seen.append(actor)
    return seen


def inter(actor: Actor | None, country: str | None) -> int | None:
    if actor is None:
        return None
    if actor.inter == 1 and actor.country and country and actor.country != country:
        return 8  # state forces acting abroad are external forces in ACLED's coding
    return actor.inter


def agreement_parties(sentence: Span, places: Sequence[Place], hit: TriggerHit,
                       mentions: list[ActorMention]) -> list[Actor]:
    parties: list[Actor] = []
    text = text_of(sentence.doc)
    for place in places:
        if (sentence.start_char <= place.start < hit.start and place.kind == "country" and place.country
                and not LOCATIVE_BEFORE.search(text[max(0, place.start - 20):place.start])):
            parties.append(government_of(place.country))
    for name, code in CAPITALS.items():
        for m in re.finditer(rf"\b{re.escape(name)}\b", span_text(sentence)):
            if sentence.start_char + m.start() < hit.start:
                parties.append(government_of(code))
    parties += [m.actor for m in mentions]
    return _distinct(parties)




def fatalities(text: str) -> int | None:
    best = None
    for pattern in FATALITY_PATTERNS:
        for m in pattern.finditer(text):
            raw = m.group(1).lower().replace(",", "")
            if raw.startswith("dozen"):
                continue
            value = NUMBER_WORDS.get(raw) or (int(raw) if raw.isdigit() else None)
            if value is not None and (best is None or value > best):
                best = value
    return best


def armed_sides(sentence: Span, article: Article) -> int:
    """How many armed actors the sentence names."""
    return len({m.actor for m in article.analysis.actors
                if sentence.start_char <= m.start < sentence.end_char and m.actor.inter in {1, 2, 3, 4, 8}})


def lead_group(mentions: Sequence[ActorMention]) -> Actor | None:
    """The non-state armed group the article names most, if it names one."""
    groups = Counter(m.actor for m in mentions if m.actor.inter == 2
                     and not m.actor.name.startswith(("Rebels (", "Unidentified")))
    return groups.most_common(1)[0][0] if groups else None
