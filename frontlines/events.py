"""The events stage: sentences that state an event become ACLED-coded records, one per place.

For each sentence, trigger phrases from `data/event_triggers.toml` propose an event type. The
dependency parse then decides whether the event happened (not "could have carried out airstrikes",
not "sought to broker agreements"), which part of the sentence is the trigger's clause, and so which
places, dates and actors belong to it. ACLED's rules shape the result: the final takeover is the
territory event and fighting at the same place and day folds into it; a withdrawal with no fighting
is a non-violent transfer; one event is one type, one day, one place.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from frontlines.nlp import text_of
from frontlines.places import LIST_SEPARATOR
from frontlines.actors import government_of, main_country, military_of
from frontlines.dates import lead_word
from frontlines.models import Actor, ActorMention, Analysis, DateMention, EventRecord, Place

TERRITORY = "territory"
WITHDRAWAL = "withdrawal"
OVERTAKE = "Non-state actor overtakes territory"
REGAIN = "Government regains territory"
TRANSFER = "Non-violent transfer of territory"
BACKGROUND_DAYS = 90
LEAD_LOOKAHEAD = 600
LEAD_LINES = 2
REGION_KINDS = frozenset({"governorate", "oblast", "state", "province", "region", "territory"})

# Words on the path from a trigger to its clause's root that make the event unrealised.
MODALS = frozenset({"could", "would", "might", "may", "should", "will", "must", "can", "shall"})
UNREALISED_HEADS = frozenset("""
attempt try seek aim plan threaten vow prepare intend want hope fail prevent refuse push urge call
warn pledge promise demand seek expect fear risk avoid deny reject insist need chance charge
investigate
""".split())
# When these sub-types share a sentence with another trigger, they say what the event really was:
# shells "releasing chlorine gas" are a chemical attack, a curfew enforced by troops is "Other".
DOMINANT_SUB_TYPES = ("Chemical weapon", "Suicide bomb", "Other")
# Crowds make demonstrations; armed men burning houses are destroying property.
CROWD_WORDS = re.compile(r"\b(?:protest\w*|demonstrat\w*|rioters?|crowds?|mobs?|youths|students|residents)\b", re.I)
PROTEST_WORDS = re.compile(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied)|march(?:ed|ers)?|sit-in)\b", re.I)
VIOLENT_CROWD = re.compile(
    r"\b(?:torched|set fire|set ablaze|hurl(?:ed|ing) (?:stones|rocks|petrol bombs)|thr(?:ew|owing) (?:stones|rocks|petrol bombs)|"
    r"stone-pelting|rioted|rioting|vandali[sz]ed|looted|burn(?:ed|t|ing) (?:tyres|tires|cars|vehicles|buildings)|ransacked|stormed)\b", re.I)
LETHAL_FORCE = re.compile(
    r"\b(?:opened fire|fired (?:live|on|at|into)|live (?:ammunition|rounds|fire|bullets)|shot (?:dead|and killed)|"
    r"killing (?:\w+ )?(?:protesters|demonstrators)|(?:protesters|demonstrators) (?:were )?killed)\b", re.I)
INTERVENTION = re.compile(
    r"\b(?:tear ?gas|water cannons?|rubber bullets|dispers(?:ed|e|ing)|batons?|baton-charged|"
    r"arrest(?:ed|ing)|detain(?:ed|ing)|broke up|beat(?:en|ing)?|pepper spray|stun grenades)\b", re.I)
# A takeover stated with these words happened without a fight: a non-violent transfer.
NO_FIGHT = re.compile(r"\b(?:without (?:a |any )?(?:fight|fighting|resistance|a shot being fired|firing a shot)|unopposed|uncontested)\b", re.I)
# Verbs whose clause is about fighting, which turns a withdrawal into a lost battle.
FIGHTING_WORDS = re.compile(
    r"\b(?:broke through|breach(?:ed|ing)|clash(?:es|ed)|fighting|battles?|assault|stormed|"
    r"captured|seized|offensive|attack(?:ed)?)\b", re.I)
DIRECTION_BEFORE = re.compile(r"\b(?:toward|towards|to the (?:north|south|east|west) of|headed for|heading for|bound for|(?:road|highway|route|motorway)s? (?:between|from|linking|connecting|to))\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
NOUN_OBJECT_BETWEEN = re.compile(r"^\s*(?:the\s+)?(?:(?:city|town|village|strategic city|key city|provincial capital)\s+of\s+)?$", re.I)
REFERENCE_BETWEEN = re.compile(
    r"^(?:\s+camp)?,?\s*(?:(?:just|some|about|\d+\s*(?:km|kilometres|kilometers|miles))\s+)?"
    r"(?:near|outside|in|(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+(?:of|outskirts of)|on the outskirts of)"
    r"\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$", re.I)
POSSESSIVE_AFTER = re.compile(r"^['’]s\b")
PASSIVE_AGENT_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$", re.I)
# Clauses that hang under a trigger's verb but report something else.
NESTED_CLAUSE_DEPS = frozenset({"conj", "advcl", "relcl", "ccomp", "acl"})
EXCEPTION_BEFORE = re.compile(
    r"(?:except(?:ion of| for)?|excluding|apart from|other than|save for)\b[^.;]*$", re.I)
LOCATIVE_BEFORE = re.compile(r"\b(?:in|into|across|throughout|inside|over|on|at)\s+(?:the\s+)?$", re.I)
ONGOING = re.compile(r"\b(?:has|have) been\b|\bcontinu(?:es|ing)\b|\bongoing\b", re.I)
DATELINE_BEFORE = re.compile(r"^\s*(?:\([^)]*\)\s*)?[A-Z][\w .'’-]{1,40},\s*$")
# "KHARTOUM, Aug 28 (IANS) -": where the story was filed, not where anything happened.
DATELINE_PLACE = re.compile(
    r"^[ \t]*(?:\([^)\n]*\)[ \t]*)?([A-Z][\w .'’-]{1,40}),[ \t]*(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}|\d{1,2}[ \t]+[A-Z][a-z]{2,8})",
    re.M)
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


@dataclass(frozen=True, slots=True)
class Trigger:
    sub_event_type: str
    event_type: str
    weight: float
    noun: bool
    pattern: re.Pattern[str]


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


def _find_triggers(sentence: Span) -> list[TriggerHit]:
    """Non-overlapping trigger matches in a sentence, longest first."""
    doc, offset = sentence.doc, sentence.start_char
    # `sentence.text` joins the sentence's tokens anew on every access; this slice is the same
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


def _is_unrealised(token: Token) -> bool:
    """True when the trigger sits under a modal, a negation, or a verb of intent or attempt."""
    node: Token | None = token
    steps = 0
    while node is not None and steps < 8:
        for child in node.children:
            if child.dep_ == "neg":
                return True
            if child.dep_ in {"aux", "auxpass"} and child.lower_ in MODALS:
                return True
        if node.i != token.i and node.lemma_.lower() in UNREALISED_HEADS:
            return True
        if node.head.i == node.i:
            break
        node = node.head
        steps += 1
    return False


def _clause_head(token: Token) -> Token:
    node = token
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    return node


def _clause_range(hit: TriggerHit, others: Sequence[TriggerHit]) -> list[tuple[int, int]]:
    """Character ranges of the trigger's clause, less the clauses coordinated with or nested in it.

    "Russian warplanes struck Atarib, and government forces shelled Darat Izza": each verb keeps
    its own places, dates and actors.
    """
    head = _clause_head(hit.token)
    tokens = set(head.subtree)
    own = {hit.token, *hit.token.ancestors}
    nested_heads = [c for c in head.subtree if c.i != head.i and c.pos_ in {"VERB", "AUX"}
                    and c not in own and _is_separate_clause(c)]
    nested_heads += [_clause_head(o.token) for o in others
                     if o is not hit and _clause_head(o.token).i != head.i]
    for nested in nested_heads:
        if nested in tokens and hit.token not in set(nested.subtree):
            tokens -= set(nested.subtree)
    return _char_ranges(tokens)


def _is_separate_clause(verb: Token) -> bool:
    """A coordinated predicate, or a nested clause with a subject of its own, reports its own event.

    "conducted airstrikes using vacuum missiles around Atarib" keeps its participle; "withdrew
    after insurgents breached its defences" and "and later entrenched themselves in Idlib" do not.
    """
    if verb.dep_ == "conj":
        return True
    has_subject = any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children)
    return verb.dep_ in NESTED_CLAUSE_DEPS and has_subject


def _char_ranges(tokens: Iterable[Token]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for tok in sorted(tokens, key=lambda t: t.i):
        start, end = tok.idx, tok.idx + len(tok.text)
        if ranges and tok.idx <= ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def _within(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


# --- where -------------------------------------------------------------------------------------


def _event_places(hit: TriggerHit, sentence: Span, clause: list[tuple[int, int]],
                  places: Sequence[Place], actor_countries: set[str], lone: bool) -> list[Place]:
    text = text_of(sentence.doc)
    datelines = [m.span(1) for m in DATELINE_PLACE.finditer(text, sentence.start_char, sentence.end_char)]
    in_sentence = [p for p in places if p.resolved and sentence.start_char <= p.start < sentence.end_char
                   and not _within(p.start, p.end, datelines)
                   and not EXCEPTION_BEFORE.search(text[sentence.start_char:p.start])
                   and not DIRECTION_BEFORE.search(text[max(0, p.start - 30):p.start])]
    governed = _char_ranges(hit.token.subtree) if hit.trigger.noun else []
    governed_places = [p for p in in_sentence if p.kind not in {"country", "continent"} and (
        _within(p.start, p.end, governed)
        or (p.start >= hit.end and NOUN_OBJECT_BETWEEN.match(text[hit.end:p.start])))]
    if hit.trigger.noun and (governed_places or hit.token.dep_ not in {"nsubj", "nsubjpass"}):
        # "clashes in El Fasher", "the capture of Hama": a noun carries the places it governs; a
        # noun that is its clause's subject and governs none ("Fighting broke out in Omdurman")
        # takes the clause's.
        chosen = governed_places
    else:
        in_clause = _with_listed([p for p in in_sentence if _within(p.start, p.end, clause)],
                                 in_sentence, text)
        after = [p for p in in_clause if p.start >= hit.end]
        # Borrow the sentence's places only when nothing else in it could claim them.
        alone = lone and _clause_head(hit.token).dep_ not in {"relcl", "acl"}
        chosen = after or in_clause or (in_sentence if alone else [])
    # "Abu Shouk camp, north of El Fasher": the second name only says where the first one is.
    chosen = [p for p in chosen if not any(
        q.end <= p.start and REFERENCE_BETWEEN.match(text[q.end:p.start]) for q in chosen)]
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


def _geo_precision(place: Place) -> int:
    if place.kind == "country" or place.kind in REGION_KINDS:
        return 3
    return 2 if place.vicinity or place.kind in {"county", "district"} else 1


def _event_point(place: Place) -> tuple[float | None, float | None]:
    """ACLED codes an event known only to a region at the region's capital."""
    if place.anchor_latitude is not None:
        return place.anchor_latitude, place.anchor_longitude
    return place.latitude, place.longitude


# --- when --------------------------------------------------------------------------------------


def _is_dateline(text: str, mention: DateMention) -> bool:
    line_start = text.rfind("\n", 0, mention.start) + 1
    return bool(DATELINE_BEFORE.match(text[line_start:mention.start]))


@dataclass(slots=True)
class EventDate:
    day: date | None
    precision: str
    window: tuple[date, date] | None
    from_text: bool
    ongoing: bool = False


def _event_date(hit: TriggerHit, sentence: Span, clause: list[tuple[int, int]],
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
    pool = own or [m for m in in_sentence if _within(m.start, m.end, clause)] or in_sentence
    if pool:
        best = min(pool, key=lambda m: min(abs(m.start - hit.end), abs(hit.start - m.end)))
        ongoing = lead_word(text, best) == "since" and bool(ONGOING.search(sentence.text))
        return EventDate(best.date, best.precision, best.window, True, ongoing)
    if _after_clause(hit.token) and published:
        # "This comes after insurgents captured Aleppo": a prior event given no time at all.
        return EventDate(date(published.year, 1, 1), "year", None, False)
    earlier = [m for m in usable if m.end <= sentence.start_char and _is_recent(m, published)]
    if earlier:
        # The narrative date: the story goes on from the last day it named.
        anchor = earlier[-1]
        return EventDate(anchor.date, anchor.precision, anchor.window, True)
    later = [m for m in usable if sentence.end_char <= m.start < sentence.end_char + LEAD_LOOKAHEAD
             and _is_recent(m, published)]
    if later and not _past_the_lead(text, sentence.start_char):
        # A news lead states what happened and leaves the day to the next paragraph.
        return EventDate(later[0].date, later[0].precision, later[0].window, True)
    if published:
        return EventDate(published, "day", None, False)
    return EventDate(None, "unknown", None, False)


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


def _after_clause(token: Token) -> bool:
    for node in [token, *token.ancestors]:
        if any(c.dep_ in {"mark", "prep"} and c.lower_ == "after" for c in node.children):
            return True
        if node.dep_ in {"pcomp", "pobj"} and node.head.lower_ == "after":
            return True
    return False


# --- who ---------------------------------------------------------------------------------------


def _assign_actors(hit: TriggerHit, mentions: list[ActorMention], text: str,
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
            if child.dep_ in {"nsubj", "nsubjpass", "agent"} or (child.dep_ == "poss" and node.i == hit.token.i):
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
        if PASSIVE_AGENT_BEFORE.search(text[max(0, m.start - 8):m.start]):
            return (0, 0)
        if ids & subject_heads:
            return (1, abs(hit.start - m.start))
        if ids & subjects:
            return (2, abs(hit.start - m.start))
        if ids & governed and OF_BEFORE.search(text[max(0, m.start - 8):m.start]):
            return (2, m.start + len(text))
        if m.start < hit.start and m.actor.inter != 7:
            in_clause = _within(m.start, m.end, clause)
            return (3 if in_clause else 4, hit.start - m.start)
        return (9, m.start)

    ranked = sorted(mentions, key=rank)
    side1 = _distinct(m.actor for m in ranked if rank(m)[0] < 9)
    side1 = side1[:1] + [a for m in ranked[1:] if rank(m)[0] < 3 for a in [m.actor]
                         if a not in side1[:1] and a.inter == (side1[0].inter if side1 else a.inter)]
    side1 = _distinct(side1)
    side2 = [a for a in _distinct(m.actor for m in ranked) if a not in side1]
    return side1, side2


def _distinct(actors: Iterable[Actor]) -> list[Actor]:
    seen: list[Actor] = []
    for actor in actors:
        if actor not in seen:
            seen.append(actor)
    return seen


def _inter(actor: Actor | None, country: str | None) -> int | None:
    if actor is None:
        return None
    if actor.inter == 1 and actor.country and country and actor.country != country:
        return 8  # state forces acting abroad are external forces in ACLED's coding
    return actor.inter


def _agreement_parties(sentence: Span, places: Sequence[Place], hit: TriggerHit,
                       mentions: list[ActorMention]) -> list[Actor]:
    parties: list[Actor] = []
    text = text_of(sentence.doc)
    for place in places:
        if (sentence.start_char <= place.start < hit.start and place.kind == "country" and place.country
                and not LOCATIVE_BEFORE.search(text[max(0, place.start - 20):place.start])):
            parties.append(government_of(place.country))
    for name, code in CAPITALS.items():
        for m in re.finditer(rf"\b{re.escape(name)}\b", sentence.text):
            if sentence.start_char + m.start() < hit.start:
                parties.append(government_of(code))
    parties += [m.actor for m in mentions]
    return _distinct(parties)


# --- fatalities --------------------------------------------------------------------------------


def _fatalities(text: str) -> int | None:
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


# --- the stage ---------------------------------------------------------------------------------


def extract_events(analysis: Analysis) -> list[EventRecord]:
    """The stage's entry point: every event the document's sentences state."""
    doc: Doc = analysis.doc
    text = text_of(doc)
    published = analysis.document.published
    home = main_country(analysis.places, text)
    dates = [m for m in analysis.dates if m.date is not None and not _is_dateline(text, m)]
    lead_group = _lead_group(analysis.actors)
    events: list[EventRecord] = []
    for sentence in doc.sents:
        if _is_headline(sentence, analysis.document.title):
            continue  # a headline sums up the body, where each event is stated with its details
        hits = [h for h in _find_triggers(sentence) if not _is_unrealised(h.token)]
        for dominant in DOMINANT_SUB_TYPES:
            if any(h.trigger.sub_event_type == dominant for h in hits):
                hits = [h for h in hits if h.trigger.sub_event_type == dominant
                        or h.trigger.event_type not in {"Explosions/Remote violence", "Strategic developments"}
                        or h.trigger.sub_event_type in DOMINANT_SUB_TYPES]
                if dominant == "Other":
                    hits = [h for h in hits if h.trigger.sub_event_type != "Change to group/activity"]
        disrupting = [h for h in hits if h.trigger.sub_event_type == "Disrupted weapons use"]
        if disrupting:
            # "intercepted a ballistic missile", "defused an explosive device": the weapon named
            # in the disrupting clause is what was stopped, not a second event.
            stopped = {t.i for h in disrupting for t in _clause_head(h.token).subtree}
            hits = [h for h in hits if h in disrupting or h.token.i not in stopped]
        if any(h.trigger.event_type in {"Protests", "Riots"} for h in hits):
            # Arrests and force at a protest are how it ended, coded in the protest's sub-type.
            hits = [h for h in hits if h.trigger.sub_event_type not in {"Arrests", "Attack"}]
        if any(h.trigger.sub_event_type == TERRITORY for h in hits):
            # "took Homs after government forces withdrew": one takeover, not two events.
            hits = [h for h in hits if h.trigger.sub_event_type != WITHDRAWAL]
        for hit in hits:
            events += _events_for_hit(hit, hits, sentence, analysis, home, published, dates,
                                      lead_group)
    return _fold(events, published)


def _lead_group(mentions: Sequence[ActorMention]) -> Actor | None:
    """The non-state armed group the article names most, if it names one."""
    groups = Counter(m.actor for m in mentions if m.actor.inter == 2
                     and not m.actor.name.startswith(("Rebels (", "Unidentified")))
    return groups.most_common(1)[0][0] if groups else None


def _is_headline(sentence: Span, title: str | None) -> bool:
    return bool(title) and sentence.start_char == 0 and sentence.text.strip() == title.strip()


def _events_for_hit(hit: TriggerHit, hits: list[TriggerHit], sentence: Span, analysis: Analysis,
                    home: str | None, published: date | None,
                    dates: Sequence[DateMention], lead_group: Actor | None) -> list[EventRecord]:
    text = text_of(sentence.doc)
    clause = _clause_range(hit, hits) or [(sentence.start_char, sentence.end_char)]
    mentions = [a for a in analysis.actors if sentence.start_char <= a.start < sentence.end_char]
    side1, side2 = _assign_actors(hit, mentions, text, clause)
    when = _event_date(hit, sentence, clause, dates, published)
    if when.ongoing:
        return []
    sub_type, event_type = hit.trigger.sub_event_type, hit.trigger.event_type
    actor_countries = {a.country for a in side1 + side2 if a.country}
    if sub_type == "Agreement":
        parties = _agreement_parties(sentence, analysis.places, hit, mentions)
        side1, side2 = parties[:1], parties[1:2]
        if side1 and not side2 and home and side1[0] != government_of(home):
            side2 = [government_of(home)]
        actor_countries = {a.country for a in parties if a.country}
    places = _event_places(hit, sentence, clause, analysis.places, actor_countries, len(hits) == 1)
    if sub_type == "Agreement":
        # One record per place the agreement covers ("leases for Hmeimim and Tartus"); with no
        # place named, the country at stake.
        places = places or [p for p in analysis.places if p.kind == "country" and p.country == home][:1]
    if not places:
        return []
    if sub_type == WITHDRAWAL:
        sub_type, event_type, side1, side2 = _withdrawal(sentence, side1, side2, home)
    records = []
    for place in places:
        s1, s2 = list(side1), list(side2)
        st, et = sub_type, event_type
        if st == TERRITORY:
            if not s1 and lead_group is not None and lead_group not in s2:
                # "The capture of Maungdaw ...": no taker in the sentence; the armed group the
                # article is about is the one taking ground.
                s1 = [lead_group]
            st, s1, s2 = _territory(s1, s2, place.country or home)
        if (st in {OVERTAKE, REGAIN} or (st == "Armed clash" and not hit.trigger.noun)) \
                and NO_FIGHT.search(sentence.text):
            st, et = TRANSFER, "Strategic developments"
        if et == "Riots" and st == "Violent demonstration" and not CROWD_WORDS.search(sentence.text):
            st, et = "Looting/property destruction", "Strategic developments"
        if et in {"Protests", "Riots"}:
            st, et = _demonstration_type(st, et, sentence.text)
            crowd = [a for a in s1 + s2 if a.inter in {5, 6, 7}]
            if st != "Mob violence" and not any(a.inter in {5, 6} for a in s1):
                s1 = [Actor(f"{'Rioters' if et == 'Riots' else 'Protesters'} ({place.country})",
                            5 if et == "Riots" else 6, place.country)]
            s2 = [a for a in s2 if a not in s1 and a not in crowd] if et == "Protests" else s2
        elif et == "Violence against civilians" and s1 and s1[0].inter in {5, 7}:
            st, et = "Mob violence", "Riots"  # "residents beat a man to death": a crowd, not an armed group
        if not s1 and et in {"Battles", "Explosions/Remote violence", "Violence against civilians"}:
            s1 = [Actor(f"Unidentified Armed Group ({place.country})", 3, place.country)]
        records.append(_record(hit, sentence, place, st, et, s1, s2, when, published))
    return records


def _demonstration_type(sub_type: str, event_type: str, sentence: str) -> tuple[str, str]:
    """ACLED's demonstration sub-types follow what the crowd and the police did."""
    protest = PROTEST_WORDS.search(sentence)
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


def _withdrawal(sentence: Span, side1: list[Actor], side2: list[Actor], home: str | None
                ) -> tuple[str, str, list[Actor], list[Actor]]:
    """A withdrawal after fighting is a lost battle; without fighting, a non-violent transfer."""
    leaving = side1[:1]
    taking = [a for a in side1[1:] + side2 if a not in leaving]
    if FIGHTING_WORDS.search(sentence.text) and not NO_FIGHT.search(sentence.text):
        return TERRITORY, "Battles", taking, leaving
    return TRANSFER, "Strategic developments", taking or leaving, leaving if taking else []


def _territory(side1: list[Actor], side2: list[Actor], country: str | None
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


def _record(hit: TriggerHit, sentence: Span, place: Place, sub_type: str, event_type: str,
            side1: list[Actor], side2: list[Actor], when: EventDate, published: date | None
            ) -> EventRecord:
    actor1 = side1[0] if side1 else None
    actor2 = side2[0] if side2 else None
    lat, lon = _event_point(place)
    precision = _geo_precision(place)
    confidence = hit.trigger.weight
    confidence *= 1.0 if when.from_text else 0.8
    confidence *= 1.0 if actor1 else 0.8
    confidence *= {1: 1.0, 2: 0.95, 3: 0.85}[precision]
    background = bool(published and when.day and (published - when.day) >= timedelta(days=BACKGROUND_DAYS))
    evidence = sentence.text.strip()
    lead = len(sentence.text) - len(sentence.text.lstrip())
    return EventRecord(
        event_type=event_type, sub_event_type=sub_type,
        actor1=actor1.name if actor1 else None, actor2=actor2.name if actor2 else None,
        assoc_actor_1="; ".join(a.name for a in side1[1:]) or None,
        assoc_actor_2="; ".join(a.name for a in side2[1:]) or None,
        inter1=_inter(actor1, place.country), inter2=_inter(actor2, place.country),
        evidence=evidence, start=sentence.start_char + lead, end=sentence.start_char + lead + len(evidence),
        event_date=when.day, date_precision=when.precision, date_window=when.window,
        location=place.name, admin1=place.admin1, country=place.country,
        latitude=lat, longitude=lon, geo_precision=precision, geonameid=place.geonameid,
        fatalities=_fatalities(sentence.text), confidence=round(confidence, 3),
        background=background,
    )


def _fold(events: list[EventRecord], published: date | None) -> list[EventRecord]:
    """Apply ACLED's one-event rules within a document.

    The same type, place and day is one event. A takeover absorbs fighting and a no-fight transfer
    at the same place and day (the final acquisition is the territory event).
    """
    territory = {(e.location, e.event_date) for e in events if e.sub_event_type in {OVERTAKE, REGAIN}}
    territory |= {(e.location, e.start) for e in events if e.sub_event_type in {OVERTAKE, REGAIN}}
    kept: dict[tuple, EventRecord] = {}
    for event in events:
        same_day = (event.location, event.event_date) in territory
        same_sentence = (event.location, event.start) in territory
        if (same_day or same_sentence) and event.sub_event_type in {"Armed clash", TRANSFER}:
            continue
        key = (event.sub_event_type, event.location, event.latitude, event.longitude, event.event_date)
        if key in kept:
            first = kept[key]
            if event.fatalities and (first.fatalities or 0) < event.fatalities:
                first.fatalities = event.fatalities
            first.confidence = max(first.confidence, event.confidence)
            continue
        kept[key] = event
    del published
    return list(kept.values())
