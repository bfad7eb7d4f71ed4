"""The actors stage: find who acts in the text and normalise each phrase to one named actor.

"Assad's forces", "regime forces" and "the Syrian army" are one actor; "opposition factions" and
"HTS-led rebels" another; "Russian warplanes" and "Russia's defence ministry" are Russia's military.
The phrases live in `data/actors.toml`, which users extend without touching code. Four kinds are
matched:
- an actor's own aliases, anywhere;
- its local aliases ("the opposition", "al-Shabaab" in Mozambique), only in an article about a
  country the actor is local to;
- generic phrases that carry their country ("Somali troops", "Kenyan police", "Russia's defence
  ministry", "Syrian and Russian warplanes"): that country's state forces, in any article;
- other generic phrases ("government forces", "civilians", "protesters"): the actors of the country
  the article is about.
Where phrases overlap the longest wins, at equal length an actor's own alias. "its forces" and
"their fighters" are the actor the sentence named last before them.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from frontlines.gazetteer import country_table
from frontlines.models import Actor, ActorMention, Place
from frontlines.places import demonym_countries, demonyms

# "{demonym}" and "{country}" in a generic phrase stand for any country's adjective or name.
_PLACEHOLDER = re.compile(r"\{(demonym|country)\}")
# What joins listed names or nouns: "US and British", "Syrian, Russian and Iranian".
_AND = r"(?:,\s+(?:and\s+)?|\s+and\s+)"
_AND_RE = re.compile(_AND)
# Where a sentence ends, near enough to keep a pronoun's antecedent in its sentence.
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z])|\n")
# How the text refers back to an actor by its possessive before a force noun ("its forces").
_POSSESSIVES = ("its", "their")
# Ranks of the kinds of phrase, for overlaps of equal length: the most specific wins.
_OWN, _WITH_COUNTRY, _ARTICLE_COUNTRY = 0, 1, 2


@dataclass(frozen=True, slots=True)
class _Alias:
    phrase: str
    actor: Actor | None  # None for a generic phrase, whose actor depends on a country
    template: str | None = None
    inter: int | None = None
    local_to: frozenset[str] = frozenset()  # a local alias applies only in articles about these
    article_group: bool = False  # the generic group is the group the article names, if it names one


@dataclass(frozen=True, slots=True)
class _CountryPhrases:
    """Generic phrases with the same placeholder, all with or all without words before it
    ("{demonym} troops", "{demonym} police"; "Armed Forces of {country}"): one regex over every
    country's adjective (or name), and the generic each lead and ending name.

    The regex's groups: 1 the phrase, 2 the lead, 3 the countries ("US and British"), 4 the ending.
    """

    regex: re.Pattern[str]
    codes: dict[str, str]  # adjective or name -> ISO code
    names_re: re.Pattern[str]
    by_form: dict[tuple[str, str], _Alias]  # folded lead and ending -> the generic


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    rank: int
    actors: list[Actor]


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code -> the country's short English name."""
    return {code: rec["name"] for code, rec in country_table().items()}


def government_of(country: str) -> Actor:
    return Actor(f"Government of {country_names().get(country, country)}", 1, country)


def military_of(country: str) -> Actor:
    return Actor(f"Military Forces of {country_names().get(country, country)}", 1, country)


def unidentified_group_of(country: str | None) -> Actor:
    """The armed group ACLED names when the text names none."""
    return Actor(f"Unidentified Armed Group ({country_names().get(country or '', country)})", 3, country)


def crowd_of(country: str | None, *, rioting: bool) -> Actor:
    """Demonstrators with no organisation named: rioters (5) or protesters (6) of a country."""
    name = "Rioters" if rioting else "Protesters"
    return Actor(f"{name} ({country_names().get(country or '', country)})", 5 if rioting else 6, country)


class ActorTable:
    """The compiled alias table: regexes for aliases (acronyms match case-sensitively), one per
    kind of country phrase, and for possessives; and the lookups behind them.

    Regexes rather than spaCy's PhraseMatcher: the country phrases are patterns over lists of
    names ("US, British and French warplanes"), and the table also serves callers with no parse.
    """

    def __init__(self, aliases: Iterable[_Alias], country_aliases: Iterable[_Alias],
                 placeholder_names: dict[str, dict[str, str]], possessed_nouns: Iterable[str]) -> None:
        self.by_phrase: dict[str, list[_Alias]] = {}
        self.generic_names: set[str] = set()
        self.article_group_names: set[str] = set()
        for alias in aliases:
            self.by_phrase.setdefault(_fold(alias.phrase), []).append(alias)
        phrases = sorted({a.phrase for group in self.by_phrase.values() for a in group},
                         key=len, reverse=True)
        self.words_re = _overlapping([p for p in phrases if not p.isupper()], re.IGNORECASE)
        self.acronyms_re = _overlapping([p for p in phrases if p.isupper()], 0)
        self.country_phrases = _compile_country_phrases(country_aliases, placeholder_names)
        nouns = "|".join(_pattern(n) for n in sorted(possessed_nouns, key=len, reverse=True))
        self.possessed_re = re.compile(
            rf"(?<![\w-])(?:{'|'.join(_POSSESSIVES)})\s+(?:{nouns})(?![\w-])", re.IGNORECASE) if nouns else None

    def find(self, text: str, country: str | None) -> list[ActorMention]:
        chosen = _longest_first(self._alias_candidates(text, country) + self._country_candidates(text))
        for named, noun in zip(chosen, chosen[1:]):
            # "ISWAP fighters", "AA troops": a generic armed noun right after a name is that actor.
            if (named.rank == _OWN and noun.rank == _ARTICLE_COUNTRY and text[named.end:noun.start].isspace()
                    and all(a.inter <= 4 for a in noun.actors)):
                noun.actors = named.actors
        mentions = [ActorMention(text[c.start:c.end], c.start, c.end, a) for c in chosen for a in c.actors]
        possessed = self._possessed(text, mentions)
        mentions = [m for m in mentions if not any(p.start < m.end and m.start < p.end for p in possessed)]
        return sorted(mentions + possessed, key=lambda m: m.start)

    def _alias_candidates(self, text: str, country: str | None) -> list[_Candidate]:
        candidates = []
        for start, end in self.phrase_spans(text):
            resolved = self._resolve(text[start:end], country)
            if resolved is not None:
                candidates.append(_Candidate(start, end, resolved[1], [resolved[0]]))
        return candidates

    def _country_candidates(self, text: str) -> list[_Candidate]:
        candidates = []
        for phrases in self.country_phrases:
            for match in phrases.regex.finditer(text):
                lead = _fold(match.group(2))
                forms = [(lead, _fold(e)) for e in _AND_RE.split(match.group(4))]
                if not all(form in phrases.by_form for form in forms):
                    continue  # one lead with another lead's ending
                codes = dict.fromkeys(phrases.codes[m.group()] for m in phrases.names_re.finditer(match.group(3)))
                actors = [self._generic(phrases.by_form[form], code) for code in codes for form in forms]
                candidates.append(_Candidate(*match.span(1), _WITH_COUNTRY, list(dict.fromkeys(actors))))
        return candidates

    def phrase_spans(self, text: str) -> list[tuple[int, int]]:
        """Where an actor's own or generic name stands in `text`, whoever it turns out to be.

        The places stage and the actors stage both ask for one text in turn; the regexes over a
        thousand aliases are the costly part, so the last texts' answers are kept.
        """
        return list(self._phrase_spans(text))

    @lru_cache(maxsize=4)
    def _phrase_spans(self, text: str) -> tuple[tuple[int, int], ...]:
        spans: list[tuple[int, int]] = []
        for regex in (self.acronyms_re, self.words_re):
            if regex is not None:
                spans += [m.span(1) for m in regex.finditer(text)]
        return tuple(spans)

    def _resolve(self, phrase: str, country: str | None) -> tuple[Actor, int] | None:
        aliases = self.by_phrase.get(_fold(phrase), [])
        local = [a.actor for a in aliases if a.actor is not None and country in a.local_to]
        fixed = [a.actor for a in aliases if a.actor is not None and not a.local_to]
        if local or fixed:
            return (local + fixed)[0], _OWN
        generic = next((a for a in aliases if a.template is not None), None)
        if generic is not None and country:
            return self._generic(generic, country), _ARTICLE_COUNTRY
        return None

    def _generic(self, alias: _Alias, country: str) -> Actor:
        assert alias.template is not None and alias.inter is not None
        name = alias.template.format(country=country_names().get(country, country))
        self.generic_names.add(name)
        if alias.article_group:
            self.article_group_names.add(name)
        return Actor(name, alias.inter, country)

    def _possessed(self, text: str, mentions: list[ActorMention]) -> list[ActorMention]:
        """"its forces", "their fighters": the actor the sentence named last before them.

        "Russia's defence ministry said its forces had captured Kurakhove": Russia's military;
        "the government said its troops ...": the government's military.
        """
        if self.possessed_re is None:
            return []
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        found = []
        for match in self.possessed_re.finditer(text):
            sentence_start = starts[bisect_right(starts, match.start()) - 1]
            before = [m for m in mentions if sentence_start <= m.start and m.end <= match.start()
                      and m.actor.inter not in {5, 6, 7}]
            if not before:
                continue
            last = max(m.start for m in before)
            for m in before:
                if m.start == last:
                    actor = m.actor
                    if actor.country and actor == government_of(actor.country):
                        actor = military_of(actor.country)
                    found.append(ActorMention(match.group(), match.start(), match.end(), actor))
        return found


def _longest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    """The candidates that no longer (or, at equal length, more specific) one overlaps, in text order."""
    chosen: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start - c.end, c.rank, c.start)):
        if not any(o.start < c.end and c.start < o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _fold(phrase: str) -> str:
    return " ".join(phrase.casefold().replace("’", "'").split())


def _pattern(phrase: str) -> str:
    """A phrase as a regex: either apostrophe, and any run of white space between words."""
    return re.escape(phrase).replace("'", "['’]").replace("\\ ", r"\s+")


def _overlapping(phrases: list[str], flags: int) -> re.Pattern[str] | None:
    """One regex for whole-word phrases, longest first, that finds one at every position.

    Group 1 is the phrase; the lookahead lets `finditer` report phrases that overlap, so that the
    longest can win ("government forces" over an earlier "the government"). The phrases are laid
    out as a trie: Python's `re` tries an alternation's branches one by one, and a thousand
    aliases tried at every word cost more than the rest of the stage.
    """
    if not phrases:
        return None
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here
    return re.compile(rf"(?=(?<![\w-])({_trie_body(trie)})(?![\w-]))", flags)


def _trie_body(node: dict[str, dict]) -> str:
    """The regex for a trie node: its branches, longest continuation first, optional where a
    phrase may also end (backtracking then falls back to the shorter phrase)."""
    branches = [_pattern(char) + _trie_body(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _compile_country_phrases(aliases: Iterable[_Alias], placeholder_names: dict[str, dict[str, str]]
                             ) -> list[_CountryPhrases]:
    groups: dict[tuple[str, bool], dict[tuple[str, str], tuple[str, str, _Alias]]] = {}
    for alias in aliases:
        match = _PLACEHOLDER.search(alias.phrase)
        if match is None or _PLACEHOLDER.search(alias.phrase, match.end()):
            raise ValueError(f"actors.toml: {alias.phrase!r} needs exactly one {{demonym}} or {{country}}")
        lead, ending = alias.phrase[:match.start()], alias.phrase[match.end():]
        groups.setdefault((match.group(1), bool(lead)), {})[_fold(lead), _fold(ending)] = (lead, ending, alias)
    compiled = []
    for (placeholder, _), forms in groups.items():
        codes = placeholder_names[placeholder]
        names = "|".join(re.escape(n) for n in sorted(codes, key=len, reverse=True))
        # "Syrian and Russian warplanes", "US, British and French jets", "Russian-Syrian forces"
        listed = rf"(?:{names})(?:(?:{_AND}|-)(?:{names}))*"
        leads = "|".join(_pattern(lead) for lead in sorted({f[0] for f in forms.values()}, key=len, reverse=True))
        ordered = sorted({f[1] for f in forms.values()}, key=len, reverse=True)
        endings = "|".join(_pattern(e) for e in ordered)
        # "US and British warships and fighter jets": more nouns after the first share its countries;
        # but in "Russian warplanes and government forces" the government is the article's own.
        nouns = "|".join(_pattern(e.strip()) for e in ordered if e[:1].isspace() and "government" not in e.lower())
        more = rf"(?:{_AND}(?:{nouns}))*" if nouns else ""
        the = r"(?:the\s+)?" if leads else ""
        regex = re.compile(rf"(?=(?<![\w-])((?i:({leads}){the})({listed})(?i:((?:{endings}){more})))(?![\w-]))")
        compiled.append(_CountryPhrases(regex, codes, re.compile(rf"(?<![\w-])(?:{names})(?![\w-])"),
                                        {key: alias for key, (_, _, alias) in forms.items()}))
    return compiled


@lru_cache(maxsize=1)
def actor_table() -> ActorTable:
    path = resources.files("frontlines").joinpath("data/actors.toml")
    with path.open("rb") as f:
        data = tomllib.load(f)
    return _build_table(data)


def _build_table(data: dict[str, Any]) -> ActorTable:
    aliases: list[_Alias] = []
    for rec in data.get("actor", []):
        actor = Actor(rec["name"], int(rec["inter"]), rec.get("country"))
        local_to = frozenset(rec.get("local_to", [actor.country] if actor.country else []))
        aliases += [_Alias(p, actor) for p in rec.get("aliases", [])]
        aliases += [_Alias(p, actor, local_to=local_to) for p in rec.get("local_aliases", [])]
    generic = [_Alias(p, None, template=rec["name"], inter=int(rec["inter"]),
                      article_group=bool(rec.get("article_group", False)))
               for rec in data.get("generic", []) for p in rec.get("aliases", [])]
    # An empty code in [adjectives] drops a people's name that demonyms.tsv ties to a state.
    adjectives = {word: code for word, code in
                  ({w: c for w, c in demonyms().items() if c} | data.get("adjectives", {})).items() if code}
    names = {name: code for code, name in country_names().items()} | data.get("country_names", {})
    return ActorTable(aliases + [a for a in generic if not _PLACEHOLDER.search(a.phrase)],
                      [a for a in generic if _PLACEHOLDER.search(a.phrase)],
                      {"demonym": adjectives, "country": names}, data.get("possessed_forces", []))


def main_country(places: Iterable[Place], text: str = "") -> str | None:
    """The country an article is about: the one its resolved places and demonyms name most."""
    votes: Counter[str] = Counter()
    for place in places:
        if place.country:
            votes[place.country] += 1 if place.kind == "country" else 2
    votes.update(demonym_countries(text))
    return votes.most_common(1)[0][0] if votes else None


def actor_name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of multi-word actor names ("Hayat Tahrir al-Sham", "Armed Forces of Ukraine").

    The places stage keeps out of them: "al-Sham" there is no town.
    """
    return [(s, e) for s, e in actor_table().phrase_spans(text) if " " in text[s:e] or "-" in text[s:e]]


def countries_of_named_actors(text: str) -> Counter[str]:
    """The countries of the forces and groups the text names ("RSF" -> SD, "M23" -> CD).

    The places stage counts them as evidence of where the article is, before places are known:
    "positions near Mellit" in a sentence about the RSF is Mellit in Sudan.
    """
    return Counter(m.actor.country for m in actor_table().find(text, None) if m.actor.country)


def extract_actors(text: str, places: Iterable[Place]) -> list[ActorMention]:
    """The stage's entry point: every actor phrase in `text`, normalised.

    Once an article has named its armed group ("Hayat Tahrir al-Sham", "Gran Grif"), its later "the
    rebels" and "gang members" are that group, not an anonymous one.
    """
    table = actor_table()
    mentions = table.find(text, main_country(places, text))
    for inter in {m.actor.inter for m in mentions if m.actor.name in table.article_group_names}:
        named = Counter(m.actor for m in mentions
                        if m.actor.inter == inter and m.actor.name not in table.generic_names)
        if named:
            group = named.most_common(1)[0][0]
            for m in mentions:
                if m.actor.inter == inter and m.actor.name in table.article_group_names:
                    m.actor = group
    return mentions
