"""Which words of a sentence belong to one event: realised or not, its clause, its modifiers.

The dependency parse decides whether an event happened (not "could have carried out airstrikes",
not "sought to broker agreements") and which part of the sentence is a trigger's clause, so which
places, dates and actors belong to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Token

from frontlines.events.candidates import TriggerHit
from frontlines.events.lexicon import patterns

PATTERNS = patterns("clause")

# Words on the path from a trigger to its clause's root that make the event unrealised.
MODALS = frozenset({"could", "would", "might", "may", "should", "will", "must", "can", "shall"})
UNREALISED_HEADS = frozenset("""
attempt try seek aim plan threaten vow prepare intend want hope fail prevent refuse urge call
warn pledge promise demand seek expect fear risk avoid deny reject insist need chance charge
investigate suspicion
""".split())
# Participles that, after a comma, tell an event's outcome rather than where it happened.
CONSEQUENCE_VERBS = frozenset("""
ensure allow pave force prompt mark deal raise reignite spark leave bring signal trigger open
cause give grant enable retaliate respond avenge
""".split())
# Clauses that hang under a trigger's verb but report something else.
NESTED_CLAUSE_DEPS = frozenset({"conj", "advcl", "relcl", "ccomp", "acl"})
DURATION_BEFORE = PATTERNS["DURATION_BEFORE"]
NATURAL_CAUSES = PATTERNS["NATURAL_CAUSES"]


def is_unrealised(token: Token) -> bool:
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


def is_modifier(hit: TriggerHit) -> bool:
    """A trigger that only qualifies another noun ("the chemical weapons ban", "the besieged town")."""
    if hit.token.dep_ == "acl" and hit.token.tag_ == "VBG" and hit.token.head.dep_ in {"nsubj", "nsubjpass"}:
        # "gunmen fighting alongside the army killed 13 people": who the subject is, not an event
        # (but "police dispersed students protesting the arrest" is the protest)
        return True
    return hit.token.dep_ in {"compound", "amod"} and hit.token.head.pos_ == "NOUN"


def has_natural_cause(hit: TriggerHit) -> bool:
    """"A cholera outbreak has killed 300 people": the killer is a disease, not an actor."""
    subjects = [c for node in (hit.token, *hit.token.ancestors) for c in node.children
                if c.dep_ in {"nsubj", "agent"}]
    return any(NATURAL_CAUSES.search(" ".join(t.text for t in c.subtree)) for c in subjects)


def is_campaign(hit: TriggerHit, text: str) -> bool:
    """A noun trigger given a duration names a campaign, not an event on a day and at a place.

    "The six-month offensive in Maungdaw has granted the AA control", "after months of intense
    fighting": what the campaign achieved is reported on its own.
    """
    return hit.trigger.noun and bool(DURATION_BEFORE.search(text[max(0, hit.start - 40):hit.start]))


def clause_head(token: Token) -> Token:
    node = token
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    return node


def clause_range(hit: TriggerHit, others: Sequence[TriggerHit], head: Token | None = None
                  ) -> list[tuple[int, int]]:
    """Character ranges of the trigger's clause, less the clauses coordinated with or nested in it.

    "Russian warplanes struck Atarib, and government forces shelled Darat Izza": each verb keeps
    its own places, dates and actors; so does a clause around another trigger, even one that reports
    no event ("killed two men wanted over an attack near Kedumim"). `head` widens the clause to a
    verb above the trigger's.
    """
    if head is None:
        head = clause_head(hit.token)
        if head.dep_ in {"advcl", "xcomp"} and head.tag_ == "VBG" and not _is_separate_clause(head) \
                and not has_subject(head):
            head = clause_head(head.head)  # "rampaged through Huwara, torching homes": the same where
    tokens = set(head.subtree)
    own = {hit.token, *hit.token.ancestors}
    nested_heads = [c for c in head.subtree if c.i != head.i and c.pos_ in {"VERB", "AUX"}
                    and c not in own and _is_separate_clause(c)]
    nested_heads += [clause_head(o.token) for o in others
                     if o is not hit and clause_head(o.token).i != head.i]
    for nested in nested_heads:
        if nested in tokens and hit.token not in set(nested.subtree):
            tokens -= set(nested.subtree)
    return char_ranges(tokens)


def has_subject(verb: Token) -> bool:
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


def char_ranges(tokens: Iterable[Token]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for tok in sorted(tokens, key=lambda t: t.i):
        start, end = tok.idx, tok.idx + len(tok.text)
        if ranges and tok.idx <= ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def within(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)
