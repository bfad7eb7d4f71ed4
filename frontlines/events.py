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
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from frontlines.gazetteer import country_table, haversine_km
from frontlines.nlp import span_text, text_of
from frontlines.places import LIST_SEPARATOR
from frontlines.actors import crowd_of, government_of, main_country, military_of, unidentified_group_of
from frontlines.dates import is_report_date, lead_word
from frontlines.models import Actor, ActorMention, Analysis, DateMention, EventRecord, Place

TERRITORY = "territory"
WITHDRAWAL = "withdrawal"
OVERTAKE = "Non-state actor overtakes territory"
REGAIN = "Government regains territory"
TRANSFER = "Non-violent transfer of territory"
BACKGROUND_DAYS = 90
# A town named only as a reference point stands in for an unknown place this close to it.
NEAR_KM = 30.0
# A district is taken to hold a town named with it when they lie this close.
DISTRICT_KM = 75.0
# A place resolved with less support than this (see places._score) is often the wrong namesake.
FIRM_PLACE_SCORE = 7.0
# An undated restatement is the dated event it echoes when their days are this close.
RESTATEMENT_DAYS = 7
LEAD_LOOKAHEAD = 600
LEAD_LINES = 2
REGION_KINDS = frozenset({"governorate", "oblast", "state", "province", "region", "territory"})

# Words on the path from a trigger to its clause's root that make the event unrealised.
MODALS = frozenset({"could", "would", "might", "may", "should", "will", "must", "can", "shall"})
UNREALISED_HEADS = frozenset("""
attempt try seek aim plan threaten vow prepare intend want hope fail prevent refuse urge call
warn pledge promise demand seek expect fear risk avoid deny reject insist need chance charge
investigate suspicion
""".split())
# When these sub-types share a sentence with another trigger, they say what the event really was:
# shells "releasing chlorine gas" are a chemical attack, a curfew enforced by troops is "Other".
DOMINANT_SUB_TYPES = ("Chemical weapon", "Suicide bomb", "Other")
# Crowds make demonstrations; armed men burning houses are destroying property.
CROWD_WORDS = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|rioters?|crowds?|mobs?|youths|students|residents|supporters|activists|"
    r"marchers|mourners|young men)\b", re.I)
MOB_WORDS = re.compile(r"\b(?:mobs?|crowds?|lynch\w*|vigilantes?|locals|villagers|youths|traders|passers-by)\b", re.I)
# What crowds fight with: a brawl with these and no armed group named is mob violence, not a battle.
MOB_WEAPONS = re.compile(r"\b(?:sticks|machetes|stones|rocks|clubs|knives|iron rods|bricks|bamboo)\b", re.I)
PROTEST_WORDS = re.compile(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied)|march(?:ed|ers)?|sit-in)\b", re.I)
VIOLENT_CROWD = re.compile(
    r"\b(?:torched|set fire|set ablaze|hurl(?:ed|ing) (?:stones|rocks|petrol bombs)|thr(?:ew|owing) (?:stones|rocks|petrol bombs)|"
    r"stone-pelting|rioted|rioting|vandali[sz](?:ed|ing)|looted|burn(?:ed|t|ing) (?:tyres|tires|cars|vehicles|buildings)|ransacked|stormed|"
    r"set(?:ting)? (?:[\w-]+ ){0,4}(?:on fire|ablaze|alight)|pelt(?:ed|ing)|torch(?:ed|ing)|"
    r"attacked (?:the )?(?:residences?|homes?|houses?|offices?|police|vehicles?))\b", re.I)
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
# "marched in solidarity with Jenin": what a protest is about is not where it is.
TOPIC_BEFORE = re.compile(
    r"\b(?:solidarity with|in support of|support for|sympathy with|(?:war|fighting|offensive|killings?|massacre) in)"
    r"\s+(?:the\s+)?$", re.I)
# "the Kisumu-Kakamega highway": a road's name, not a place of the event.
ROAD_NAME = re.compile(r"(?:\w+[-–])?\w[\w'’]*(?:[-–]\w[\w'’]*)?\s+(?:highway|road|motorway|expressway|railway|railroad|corridor)\b",
                       re.I)
# Where forces head or a road leads is not where they are; where rockets are fired towards is
# where they land, so TOWARD_BEFORE does not apply to explosions.
TOWARD_BEFORE = re.compile(r"\b(?:toward|towards|headed for|heading for|bound for)\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
DIRECTION_BEFORE = re.compile(r"\b(?:to the (?:north|south|east|west) of|(?:road|highway|route|motorway)s? (?:from|linking|connecting|to))\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
NOUN_OBJECT_BETWEEN = re.compile(r"^\s*(?:the\s+)?(?:(?:city|town|village|strategic city|key city|provincial capital)\s+of\s+)?$", re.I)
REFERENCE_BETWEEN = re.compile(
    r"^(?:\s+(?:[\w-]+\s+)?camp)?,?\s*(?:an?\s+(?:[\w-]+\s+){0,2}(?:town|city|village|district|camp|hub|settlement)\s+)?"
    r"(?:(?:just|some|about|around|roughly|nearly|approximately)\s+)?"
    r"(?:(?P<distance>[\d.,]+)\s*(?P<unit>km|kilometres|kilometers|miles|nautical miles)\s+(?:\([^)]{1,30}\)\s+)?)?"
    r"(?:near|outside|in|(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+(?:of|outskirts of)|on the outskirts of|"
    r"on the (?:[\w-]+\s+)?(?:shores?|banks?|coast|edge) of)"
    r"\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$", re.I)
QUALIFIER_BETWEEN = re.compile(
    r"^\s+(?:port|city|town|coastal (?:city|town)|capital|border town|region|province|district)\s+of\s+(?:the\s+)?$", re.I)
BETWEEN_BEFORE = re.compile(r"\b(?:road|highway|route|motorway|axis)s?\s+between\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
AND_BETWEEN = re.compile(r"^\s+and\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$", re.I)
ANAPHORIC_PLACE = re.compile(
    r"\b(?:in|into|inside|across|at|on|near|around|outside|of|(?P<near>(?:outskirts|edge|edges|suburbs?|"
    r"vicinity|entrance|outside) of))\s+the\s+(?:[\w-]+\s+){0,2}?(?P<noun>capital|town|city|village|country|camp)\b(?!\s+(?:of|hall|council|centre|center)\b)",
    re.I)
TOWN_KINDS = frozenset({"city", "town", "village", "camp"})
CAMP_AFTER = re.compile(r"^(?:['’]s)?\s+(?:refugee |displacement |displaced people's )?camp\b", re.I)
NATURAL_FEATURE_KINDS = frozenset({"lake", "sea", "river", "strait", "gulf", "mountain", "continent", "country"})
PLACE_NOUNS = frozenset("town city village district hub base camp port capital region province".split())
POSSESSIVE_AFTER = re.compile(r"^['’]s\b")
PASSIVE_AGENT_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$", re.I)
# Verbs of saying: their subject reports an event, it does not take part in it.
SPEECH_VERBS = frozenset("say tell report announce confirm add state claim quote cite allege".split())
# Verbs whose subject, when a place, stands for its government ("Kinshasa blamed the M23").
SPEAKING_VERBS = SPEECH_VERBS | frozenset("blame accuse condemn deny warn urge demand insist vow threaten".split())
# Participles that, after a comma, tell an event's outcome rather than where it happened.
CONSEQUENCE_VERBS = frozenset("""
ensure allow pave force prompt mark deal raise reignite spark leave bring signal trigger open
cause give grant enable retaliate respond avenge
""".split())
# Clauses that hang under a trigger's verb but report something else.
NESTED_CLAUSE_DEPS = frozenset({"conj", "advcl", "relcl", "ccomp", "acl"})
EXCEPTION_BEFORE = re.compile(
    r"(?:except(?:ion of| for)?|excluding|apart from|other than|save for)\b[^.;]*$", re.I)
LOCATIVE_BEFORE = re.compile(r"\b(?:in|into|across|throughout|inside|over|on|at)\s+(?:the\s+)?$", re.I)
DURATION_BEFORE = re.compile(
    r"(?:\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many)[- ]"
    r"(?:day|week|month|year)s?(?:[- ]long)?|\b(?:days|weeks|months|years)[- ]long|"
    r"\b(?:days|weeks|months|years) of)\s+(?:[\w-]+\s+){0,2}$", re.I)
# "on Monday and again on Tuesday": a second day of the same event.
SECOND_DAY_BETWEEN = re.compile(r"^\s*,?\s*and\s+(?:again\s+|then\s+|also\s+)?(?:on\s+|late\s+on\s+|early\s+on\s+)?$", re.I)
# With "since", these make a period that runs to now ("has killed 300 people since August").
ONGOING = re.compile(r"\b(?:has|have) (?:been|\w+ed|held|fought|taken|seen|left)\b|\bcontinu(?:es|ing)\b|\bongoing\b", re.I)
FOR_PERIOD = re.compile(
    r"\bfor (?:more than |over |nearly |almost |the past |the last )?(?:a |an |one |two |three |four |five |"
    r"six |several |many |\d+ )?(?:days?|weeks?|months?|years?)\b", re.I)
UNHURT = re.compile(r"\b(?:nobody|no one|none|no casualties|no injuries|without (?:casualties|injuries))\b", re.I)
HURT = re.compile(r"\b(?:wounded|wounding|injured|injuring|injuries|treated for|hurt|killed|killing|dead)\b", re.I)
# Killers that are no actors: disease, disaster, accident.
NATURAL_CAUSES = re.compile(
    r"\b(?:cholera|outbreaks?|epidemics?|diseases?|famine|hunger|malnutrition|flood(?:s|ing|waters?)?|earthquakes?|"
    r"storms?|cyclones?|hurricanes?|typhoons?|landslides?|mudslides?|heat ?waves?|drought|accidents?|crash(?:es)?|"
    r"collapse[sd]?|fires?|blazes?|lightning|virus|measles|malaria|tankers?|dams?|overturned|capsized|derailed|stampedes?)\b",
    re.I)
# Ordinary crime, which ACLED leaves out: theft, fraud, drugs, a quarrel.
CRIME_WORDS = re.compile(
    r"\b(?:steal\w*|stole|theft|thie(?:f|ves)|robber(?:y|ies)|robbing|burglar\w*|fraud\w*|betting|gambling|"
    r"drugs?|narcotics|cocaine|heroin|bribe\w*|embezzl\w*|scam\w*|quarrel\w*|domestic dispute|dowry|"
    r"poaching|counterfeit\w*|cybercrime|racket\w*)\b", re.I)
# One person acting alone, before the trigger: a crime, not political violence.
LONE_PERSON = re.compile(r"\b(?:an?|one) (?:[\w-]+ )?(?:man|woman|person|teenager|youth|husband|wife|neighbou?r|resident)\b", re.I)
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
DATELINE_BEFORE = re.compile(r"^\s*(?:\([^)]*\)\s*)?[A-Z][\w .'’-]{1,40},\s*$")
# "KHARTOUM, Aug 28 (IANS) -", "KABUL (AFP) -", "NAIROBI, Kenya (AP) —", "DHAKA:": where the story
# was filed. It says where an event happened only when the lead names no other place.
DATELINE_PLACE = re.compile(
    r"^[ \t]*(?:\([^)\n]*\)[ \t]*)?(?:"
    r"([A-Z][\w .'’-]{1,40}),[ \t]*(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}|\d{1,2}[ \t]+[A-Z][a-z]{2,8})"
    r"|([A-Z][A-Z'’.-]+(?:[ \t][A-Z][A-Z'’.-]+){0,3})(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*){0,2})?"
    r"[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*(?:[-–—:]|(?=\n)))",
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


def _is_modifier(hit: TriggerHit) -> bool:
    """A trigger that only qualifies another noun ("the chemical weapons ban", "the besieged town")."""
    if hit.token.dep_ == "acl" and hit.token.tag_ == "VBG" and hit.token.head.dep_ in {"nsubj", "nsubjpass"}:
        # "gunmen fighting alongside the army killed 13 people": who the subject is, not an event
        # (but "police dispersed students protesting the arrest" is the protest)
        return True
    return hit.token.dep_ in {"compound", "amod"} and hit.token.head.pos_ == "NOUN"


def _has_natural_cause(hit: TriggerHit) -> bool:
    """"A cholera outbreak has killed 300 people": the killer is a disease, not an actor."""
    subjects = [c for node in (hit.token, *hit.token.ancestors) for c in node.children
                if c.dep_ in {"nsubj", "agent"}]
    return any(NATURAL_CAUSES.search(" ".join(t.text for t in c.subtree)) for c in subjects)


def _is_campaign(hit: TriggerHit, text: str) -> bool:
    """A noun trigger given a duration names a campaign, not an event on a day and at a place.

    "The six-month offensive in Maungdaw has granted the AA control", "after months of intense
    fighting": what the campaign achieved is reported on its own.
    """
    return hit.trigger.noun and bool(DURATION_BEFORE.search(text[max(0, hit.start - 40):hit.start]))


def _clause_head(token: Token) -> Token:
    node = token
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    return node


def _clause_range(hit: TriggerHit, others: Sequence[TriggerHit], head: Token | None = None
                  ) -> list[tuple[int, int]]:
    """Character ranges of the trigger's clause, less the clauses coordinated with or nested in it.

    "Russian warplanes struck Atarib, and government forces shelled Darat Izza": each verb keeps
    its own places, dates and actors; so does a clause around another trigger, even one that reports
    no event ("killed two men wanted over an attack near Kedumim"). `head` widens the clause to a
    verb above the trigger's.
    """
    if head is None:
        head = _clause_head(hit.token)
        if head.dep_ in {"advcl", "xcomp"} and head.tag_ == "VBG" and not _is_separate_clause(head) \
                and not _has_subject(head):
            head = _clause_head(head.head)  # "rampaged through Huwara, torching homes": the same where
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


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)


def _is_separate_clause(verb: Token) -> bool:
    """A coordinated predicate, or a nested clause with a subject of its own, reports its own event.

    "conducted airstrikes using vacuum missiles around Atarib" keeps its participle; "withdrew
    after insurgents breached its defences" and "and later entrenched themselves in Idlib" do not.
    """
    if verb.dep_ == "conj":
        return True
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.lemma_ in CONSEQUENCE_VERBS \
            and verb.i > 0 and verb.doc[verb.i - 1].text == ",":
        return True  # ", ensuring its presence on the Mediterranean coast": an outcome, elsewhere
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
                  places: Sequence[Place], actor_countries: set[str],
                  borrowable: Sequence[tuple[int, int]]) -> list[Place]:
    """The places of one trigger's event: those it governs or its clause names; failing those, the
    sentence's places in `borrowable` (the sentence less other events' clauses, when the sentence
    tells one event)."""
    text = text_of(sentence.doc)
    datelines = [_dateline_span(m) for m in DATELINE_PLACE.finditer(text, sentence.start_char, sentence.end_char)]
    in_sentence = [p for p in places if p.resolved and sentence.start_char <= p.start < sentence.end_char
                   and not _within(p.start, p.end, datelines) and not _speaks(p, sentence.doc)
                   and not EXCEPTION_BEFORE.search(text[sentence.start_char:p.start])
                   and not DIRECTION_BEFORE.search(text[max(0, p.start - 30):p.start])
                   and not TOPIC_BEFORE.search(text[max(0, p.start - 40):p.start])
                   and (hit.trigger.event_type == "Explosions/Remote violence"
                        or not TOWARD_BEFORE.search(text[max(0, p.start - 30):p.start]))]
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
        alone = _clause_head(hit.token).dep_ != "relcl"
        borrowed = [p for p in in_sentence if _within(p.start, p.end, borrowable)] if alone else []
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


def _dateline_place(text: str, places: Sequence[Place], title: str | None) -> tuple[Place, int] | None:
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


def _place_referred_to(sentence: Span, clause: list[tuple[int, int]], article: Article) -> list[Place]:
    """The place "the capital" or "the town" stands for, when the article named it before.

    "In the capital, police exchanged fire with gangs": the capital of the country the article is
    about. "on the outskirts of the town": the last town named before the sentence.
    """
    text = text_of(sentence.doc)
    match = next((m for m in ANAPHORIC_PLACE.finditer(text, sentence.start_char, sentence.end_char)
                  if _within(m.start("noun"), m.end("noun"), clause)), None)
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


def _told_from_dateline(sentence: Span, article: Article) -> bool:
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
    # The date is stated in the event's own clause or in the sentence just before it, not
    # borrowed from elsewhere in the sentence, from further back, from the next paragraph or from
    # the publication date.
    stated: bool = False


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
    if not own and _is_open_ended(hit.token, sentence):
        # "has been ongoing since ..., resulting in the capture of Shan State", with no day of its own
        return EventDate(None, "unknown", None, False, ongoing=True)
    stated = own or [m for m in in_sentence if _within(m.start, m.end, clause)]
    pool = stated or in_sentence
    if pool:
        best = min(pool, key=lambda m: min(abs(m.start - hit.end), abs(hit.start - m.end)))
        ongoing = lead_word(text, best) == "since" and bool(ONGOING.search(span_text(sentence)))
        return EventDate(best.date, best.precision, best.window, True, ongoing, bool(stated))
    if _after_clause(hit.token) and published:
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


def _days_told(when: EventDate, sentence: Span, dates: Sequence[DateMention]) -> list[EventDate]:
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
            in_clause = _within(m.start, m.end, clause)
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
        for m in re.finditer(rf"\b{re.escape(name)}\b", span_text(sentence)):
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


@dataclass(slots=True)
class Article:
    """What the whole article says, worked out once before any of its sentences is coded."""

    analysis: Analysis
    published: date | None
    home: str | None  # the country the article is about
    dates: list[DateMention]  # resolved date mentions, datelines left out
    lead_group: Actor | None
    dateline: tuple[Place, int] | None  # the place the story was filed from, and the lead's end


def extract_events(analysis: Analysis) -> list[EventRecord]:
    """The stage's entry point: every event the document's sentences state."""
    doc: Doc = analysis.doc
    text = text_of(doc)
    article = Article(
        analysis, analysis.document.published, main_country(analysis.places, text),
        [m for m in analysis.dates if m.date is not None and not _is_dateline(text, m)],
        _lead_group(analysis.actors), _dateline_place(text, analysis.places, analysis.document.title))
    events: list[EventRecord] = []
    for sentence in doc.sents:
        if _is_headline(sentence, analysis.document.title):
            continue  # a headline sums up the body, where each event is stated with its details
        found = _find_triggers(sentence)
        hits = [h for h in found
                if not _is_unrealised(h.token) and not _is_campaign(h, text) and not _is_modifier(h)
                and not _has_natural_cause(h)]
        silent = [h for h in found if h not in hits]  # triggers that tell no event
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
        dropping = [h for h in hits if h.trigger.sub_event_type == "Air/drone strike"]
        if dropping:
            # "a drone dropped an explosive device on a house": what the aircraft dropped is its strike.
            payload = [r for h in dropping for r in _clause_range(h, hits)]
            hits = [h for h in hits if h in dropping or not _within(h.start, h.end, payload)
                    or h.trigger.sub_event_type not in {"Remote explosive/landmine/IED", "Grenade",
                                                        "Shelling/artillery/missile attack"}]
        if any(h.trigger.event_type in {"Protests", "Riots"} for h in hits):
            # Arrests and force at a protest are how it ended, coded in the protest's sub-type;
            # a crowd storming or clashing is a demonstration, never a battle.
            folded = {"Arrests", "Attack"} | ({"Armed clash"} if CROWD_WORDS.search(span_text(sentence)) else set())
            # ... but "protests began after two opposition figures were shot dead" tells the killing too.
            hits = [h for h in hits if h.trigger.sub_event_type not in folded or _after_clause(h.token)]
        if any(h.trigger.sub_event_type == "Attack" for h in hits) and any(
                h.trigger.event_type == "Battles" for h in hits):
            # "settlers stormed the village and shot dead a man": one armed side, one attack; with
            # two armed sides, those killed died in the battle.
            dropped = "Armed clash" if _armed_sides(sentence, article) < 2 else "Attack"
            hits = [h for h in hits if h.trigger.sub_event_type != dropped]
        if any(h.trigger.sub_event_type == "Abduction/forced disappearance" for h in hits):
            # "detained 12 young men and took them to an unknown location": a disappearance.
            hits = [h for h in hits if h.trigger.sub_event_type != "Arrests"]
        if any(h.trigger.sub_event_type == "Sexual violence" for h in hits):
            # "soldiers raped a girl during a raid on a village": the specific violence is the event.
            hits = [h for h in hits if h.trigger.sub_event_type != "Attack"]
        if any(h.trigger.event_type in {"Battles", "Violence against civilians"} for h in hits):
            # "settlers rampaged through the town, torching homes": destruction in an attack is part of it.
            hits = [h for h in hits if h.trigger.sub_event_type != "Looting/property destruction"]
        if any(h.trigger.event_type == "Explosions/Remote violence" for h in hits):
            # "twin blasts that killed 84 people": the explosion is the event; its victims make it
            # no separate attack on civilians.
            hits = [h for h in hits if h.trigger.sub_event_type != "Attack"]
        if any(h.trigger.sub_event_type == TERRITORY for h in hits):
            # "took Homs after government forces withdrew": one takeover, not two events.
            hits = [h for h in hits if h.trigger.sub_event_type != WITHDRAWAL]
        told = [record for hit in hits for record in _events_for_hit(hit, hits, silent, sentence, article)]
        events += _without_containers(told, analysis.places)
    return _drop_restatements(_fold(events))


def _without_containers(records: list[EventRecord], places: Sequence[Place]) -> list[EventRecord]:
    """Within one sentence, an event of a type at a town is not also an event at its district or
    region ("fought in and around Bahir Dar, ... near the Amhara regional capital")."""
    districts = {p.name for p in places if p.resolved and p.kind in {"district", "county"}}

    def container(event: EventRecord) -> bool:
        return event.geo_precision == 3 or event.location in districts

    def holds(outer: EventRecord, inner: EventRecord) -> bool:
        if not container(outer) or container(inner) or outer.sub_event_type != inner.sub_event_type:
            return False
        if outer.geo_precision == 3:
            return bool(outer.admin1) and outer.admin1 == inner.admin1
        return haversine_km(outer.latitude, outer.longitude, inner.latitude, inner.longitude) <= DISTRICT_KM

    return [e for e in records if not any(holds(e, other) for other in records if other is not e)]


def _armed_sides(sentence: Span, article: Article) -> int:
    """How many armed actors the sentence names."""
    return len({m.actor for m in article.analysis.actors
                if sentence.start_char <= m.start < sentence.end_char and m.actor.inter in {1, 2, 3, 4, 8}})


def _lead_group(mentions: Sequence[ActorMention]) -> Actor | None:
    """The non-state armed group the article names most, if it names one."""
    groups = Counter(m.actor for m in mentions if m.actor.inter == 2
                     and not m.actor.name.startswith(("Rebels (", "Unidentified")))
    return groups.most_common(1)[0][0] if groups else None


def _is_headline(sentence: Span, title: str | None) -> bool:
    return bool(title) and sentence.start_char == 0 and span_text(sentence).strip() == title.strip()


def _events_for_hit(hit: TriggerHit, hits: list[TriggerHit], silent: list[TriggerHit], sentence: Span,
                    article: Article) -> list[EventRecord]:
    """The records one trigger yields; `hits` tell the sentence's events, `silent` triggers tell none."""
    analysis, home, published = article.analysis, article.home, article.published
    text = text_of(sentence.doc)
    clause = _clause_range(hit, hits + silent) or [(sentence.start_char, sentence.end_char)]
    mentions = [a for a in analysis.actors if sentence.start_char <= a.start < sentence.end_char]
    side1, side2 = _assign_actors(hit, mentions, text, clause)
    when = _event_date(hit, sentence, clause, article.dates, published)
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
    # Triggers of one sub-type ("dissolving itself and merging into the army") tell one event.
    lone = len({h.trigger.sub_event_type for h in hits}) == 1
    # A sentence's places can be borrowed when it tells one event, except those in the clauses of
    # triggers that tell none ("men wanted over an attack near Kedumim").
    heads = [_clause_head(h.token) for h in silent]
    borrowable = _char_ranges(set(sentence) - {t for head in heads if hit.token not in head.subtree
                                               for t in head.subtree}) if lone else []
    places = _event_places(hit, sentence, clause, analysis.places, actor_countries, borrowable)
    head = _clause_head(hit.token)
    if not places and head.dep_ == "conj" and not _has_subject(head):
        # "soldiers surrounded a house in Burqin and killed two men": the second verb shares the
        # first one's subject, and its place.
        shared = _clause_range(hit, hits + silent, _clause_head(head.head))
        places = _event_places(hit, sentence, shared, analysis.places, actor_countries, borrowable)
    if not places:
        places = _place_referred_to(sentence, clause, article)
    if not places and _told_from_dateline(sentence, article):
        places = [article.dateline[0]]  # "DHAKA: Hundreds of students staged a sit-in ..."
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
    if sub_type == TERRITORY and _takes_combatants(hit):
        return []  # "killed or captured more than 1,000 soldiers": the battle's toll, no event of its own
    if sub_type == TERRITORY and _takes_weapons(hit):
        sub_type, event_type = "Disrupted weapons use", "Strategic developments"
    elif sub_type == TERRITORY and _takes_a_person(hit, analysis.places):
        # "soldiers captured a regional leader of the cartel": people seized, not ground.
        state = side1 and side1[0].inter == 1
        sub_type, event_type = ("Arrests", "Strategic developments") if state else \
            ("Abduction/forced disappearance", "Violence against civilians")
    if sub_type == WITHDRAWAL:
        sub_type, event_type, side1, side2 = _withdrawal(sentence, side1, side2, home)
    records = []
    for place, when in ((p, w) for p in places for w in _days_told(when, sentence, article.dates)):
        s1, s2 = list(side1), list(side2)
        st, et = sub_type, event_type
        if st == TERRITORY:
            if not s1 and article.lead_group is not None and article.lead_group not in s2:
                # "The capture of Maungdaw ...": no taker in the sentence; the armed group the
                # article is about is the one taking ground.
                s1 = [article.lead_group]
            st, s1, s2 = _territory(s1, s2, place.country or home)
        if (st in {OVERTAKE, REGAIN, "Headquarters or base established"} or (st == "Armed clash" and not hit.trigger.noun)) \
                and NO_FIGHT.search(span_text(sentence)):
            st, et = TRANSFER, "Strategic developments"
        if et == "Riots" and st == "Violent demonstration" and not CROWD_WORDS.search(span_text(sentence)):
            st, et = "Looting/property destruction", "Strategic developments"
        elif st in {"Attack", "Looting/property destruction"} and _crowd_acts(hit):
            # "A crowd beat a butcher to death", "mobs torched homes": a crowd, not an armed group.
            st, et = ("Violent demonstration", "Riots") if PROTEST_WORDS.search(span_text(sentence)) \
                else ("Mob violence", "Riots")
        elif st == "Looting/property destruction" and HURT.search(span_text(sentence)) and not UNHURT.search(span_text(sentence)):
            st, et = "Attack", "Violence against civilians"  # "set fire to houses ...; 12 people were treated for injuries"
        if et in {"Protests", "Riots"}:
            st, et = _demonstration_type(st, et, span_text(sentence))
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


def _crowd_acts(hit: TriggerHit) -> bool:
    """True when the subject of the trigger's clause is a crowd or a mob."""
    subjects = [c for node in (hit.token, *hit.token.ancestors) for c in node.children if c.dep_ == "nsubj"][:1]
    words = " ".join(t.text for c in subjects for t in c.subtree)
    return bool(MOB_WORDS.search(words) or re.search(r"\b(?:crowds?|rioters|protesters|demonstrators|residents)\b", words, re.I))


def _taken(hit: TriggerHit) -> list[Token]:
    """What was captured or seized: the object, or the passive subject, or what "150 of" counts."""
    taken = [c for c in hit.token.children if c.dep_ in {"dobj", "nsubjpass"}]
    return taken + [g for c in taken if c.pos_ == "NUM" for p in c.children if p.lower_ == "of"
                    for g in p.children if g.dep_ == "pobj"]


def _takes_a_person(hit: TriggerHit, places: Sequence[Place]) -> bool:
    """True when what was captured or seized is a person.

    NER calls many unfamiliar towns persons; a name the places stage took for a place, or one set
    beside "a strategic town", is ground.
    """
    return any((c.lemma_.lower() in PERSON_OBJECTS or c.lower_ in PERSON_OBJECTS or c.ent_type_ == "PERSON")
               and not any(p.start <= c.idx < p.end for p in places)
               and not any(a.dep_ == "appos" and a.lemma_.lower() in PLACE_NOUNS for a in c.children)
               for c in _taken(hit))


def _takes_combatants(hit: TriggerHit) -> bool:
    return any(c.lemma_.lower() in COMBATANTS or c.lower_ in COMBATANTS for c in _taken(hit))


def _takes_weapons(hit: TriggerHit) -> bool:
    """"soldiers seized two drones fitted with explosive charges, 15 rifles": a cache, not ground."""
    return any(c.lemma_.lower() in WEAPON_OBJECTS or c.lower_ in WEAPON_OBJECTS for c in _taken(hit))


def _demonstration_type(sub_type: str, event_type: str, sentence: str) -> tuple[str, str]:
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


def _withdrawal(sentence: Span, side1: list[Actor], side2: list[Actor], home: str | None
                ) -> tuple[str, str, list[Actor], list[Actor]]:
    """A withdrawal after fighting is a lost battle; without fighting, a non-violent transfer."""
    leaving = side1[:1]
    taking = [a for a in side1[1:] + side2 if a not in leaving]
    if FIGHTING_WORDS.search(span_text(sentence)) and not NO_FIGHT.search(span_text(sentence)):
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
    # How sure each part of the record is: the trigger, a date stated with the event rather than
    # borrowed, a named actor, a place the text pins down and the gazetteer resolved firmly.
    confidence = hit.trigger.weight
    confidence *= 1.0 if when.stated else 0.9 if when.from_text else 0.8
    confidence *= 1.0 if actor1 and not actor1.name.startswith("Unidentified") else 0.9
    confidence *= {1: 1.0, 2: 0.95, 3: 0.85}[precision]
    confidence *= 1.0 if place.score >= FIRM_PLACE_SCORE else 0.85
    background = bool(published and when.day and (published - when.day) >= timedelta(days=BACKGROUND_DAYS))
    evidence = span_text(sentence).strip()
    lead = len(span_text(sentence)) - len(span_text(sentence).lstrip())
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
        fatalities=_fatalities(span_text(sentence)), confidence=round(confidence, 3),
        background=background, date_stated=when.stated,
    )


def _fold(events: list[EventRecord]) -> list[EventRecord]:
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
            if event.date_stated and not first.date_stated:
                # The sentence that states the date is the better evidence for the event.
                kept[key], first, event = event, event, first
            if event.fatalities and (first.fatalities or 0) < event.fatalities:
                first.fatalities = event.fatalities
            first.confidence = max(first.confidence, event.confidence)
            continue
        kept[key] = event
    return list(kept.values())


def _drop_restatements(events: list[EventRecord]) -> list[EventRecord]:
    """Leave out events that restate, with no date of their own, an event dated elsewhere.

    A lead sums up what later paragraphs tell with dates ("regaining control over large parts of
    Aleppo" before "the capture of Aleppo city ... by November 29"), and analysis goes back over it
    ("the opposition succeeded in recapturing towns in the rural areas of Aleppo"). Such a sentence
    borrows a date from afar; where the article dates an event of the same type at the same place
    (same name, same precision: a province's countryside is not its capital) within
    RESTATEMENT_DAYS of that borrowed date, it is that event told again. An event told twice
    without its date is one event too.
    """
    def place_of(event: EventRecord) -> tuple:
        return event.event_type, event.location, event.geo_precision

    dated: dict[tuple, list[EventRecord]] = defaultdict(list)
    for event in events:
        if event.date_stated and event.event_date is not None:
            dated[place_of(event)].append(event)
    kept = []
    for event in events:
        if not event.date_stated or event.event_date is None:
            told = dated[place_of(event)]
            if any(_restates(event, other) for other in told):
                continue
            told.append(event)
        kept.append(event)
    return kept


def _restates(event: EventRecord, dated: EventRecord) -> bool:
    if event.event_date is None or dated.event_date is None:
        return False
    first, last = event.date_window or (event.event_date, event.event_date)
    slack = timedelta(days=RESTATEMENT_DAYS)
    return first - slack <= dated.event_date <= last + slack
