"""The actors stage: find who acts in the text and normalise each phrase to one named actor.

"Assad's forces", "regime forces" and "the Syrian army" are one actor; "opposition factions" and
"HTS-led rebels" another; "Russian warplanes" is Russia's military. The aliases live in
`data/actors.toml`, which users extend without touching code. Three kinds of phrase are matched:
- an actor's own aliases, anywhere;
- its local aliases ("the opposition", "the junta"), only in an article about the actor's country;
- generic phrases ("government forces", "civilians", "protesters") that name the state forces,
  civilians or protesters of the country the article is about;
and "<demonym> <force noun>" ("Turkish drones", "Syrian and Russian warplanes") for any country.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from frontlines.gazetteer import country_table
from frontlines.models import Actor, ActorMention, Place
from frontlines.places import demonym_countries, demonyms

# Nouns that, after a demonym, name a state's armed forces ("Russian warplanes").
FORCE_NOUNS = (
    "forces", "troops", "army", "military", "soldiers", "warplanes", "aircraft", "planes", "jets",
    "air force", "air forces", "airstrikes", "air strikes", "drones", "navy", "warships",
    "artillery", "units", "commandos", "special forces", "air power", "aviation", "fighter jets",
)


@dataclass(frozen=True, slots=True)
class _Alias:
    phrase: str
    actor: Actor | None  # None for a generic phrase, which is filled from the article's country
    template: str | None = None
    inter: int | None = None
    local_to: str | None = None  # a local alias applies only in an article about this country


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code -> the country's short English name."""
    return {code: rec["name"] for code, rec in country_table().items()}


def government_of(country: str) -> Actor:
    return Actor(f"Government of {country_names().get(country, country)}", 1, country)


def military_of(country: str) -> Actor:
    return Actor(f"Military Forces of {country_names().get(country, country)}", 1, country)


class ActorTable:
    """The compiled alias table: two regexes (acronyms match case-sensitively) and a lookup."""

    def __init__(self, aliases: Iterable[_Alias]) -> None:
        self.by_phrase: dict[str, list[_Alias]] = {}
        self.generic_names: set[str] = set()
        for alias in aliases:
            self.by_phrase.setdefault(_fold(alias.phrase), []).append(alias)
        phrases = sorted({a.phrase for group in self.by_phrase.values() for a in group},
                         key=len, reverse=True)
        acronyms = [p for p in phrases if p.isupper()]
        words = [p for p in phrases if not p.isupper()]
        self.words_re = _alternation(words, re.IGNORECASE)
        self.acronyms_re = _alternation(acronyms, 0)
        nouns = "|".join(sorted(FORCE_NOUNS, key=len, reverse=True))
        names = "|".join(sorted((re.escape(d) for d in demonyms()), key=len, reverse=True))
        self.demonym_force_re = re.compile(
            rf"\b({names})(?:(?:-|\s+and\s+)({names}))?\s+(?:joint\s+)?(?:{nouns})\b")

    def find(self, text: str, country: str | None) -> list[ActorMention]:
        mentions: list[ActorMention] = []
        taken: list[tuple[int, int]] = []
        for match in self.demonym_force_re.finditer(text):
            for group in (1, 2):
                code = demonyms().get(match.group(group) or "")
                if code:
                    mentions.append(ActorMention(match.group(), match.start(), match.end(),
                                                 military_of(code)))
            taken.append(match.span())
        for regex in (self.acronyms_re, self.words_re):
            if regex is None:
                continue
            for match in regex.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                actor = self._resolve(match.group(), country)
                if actor is not None:
                    mentions.append(ActorMention(match.group(), match.start(), match.end(), actor))
                    taken.append(match.span())
        return sorted(mentions, key=lambda m: m.start)

    def phrase_spans(self, text: str) -> list[tuple[int, int]]:
        """Where an actor's name stands in `text`, whoever the actor turns out to be."""
        spans = []
        for regex in (self.acronyms_re, self.words_re):
            if regex is not None:
                spans += [m.span() for m in regex.finditer(text)]
        return spans

    def _resolve(self, phrase: str, country: str | None) -> Actor | None:
        aliases = self.by_phrase.get(_fold(phrase), [])
        fixed = [a.actor for a in aliases if a.actor is not None and a.local_to is None]
        if fixed:
            return fixed[0]
        local = [a.actor for a in aliases if a.local_to is not None and a.local_to == country]
        if local:
            return local[0]
        generic = [a for a in aliases if a.template is not None]
        if generic and country:
            name = generic[0].template.format(country=country_names().get(country, country))
            self.generic_names.add(name)
            return Actor(name, generic[0].inter or 0, country)
        return None


def _fold(phrase: str) -> str:
    return phrase.casefold().replace("’", "'")


def _alternation(phrases: list[str], flags: int) -> re.Pattern[str] | None:
    if not phrases:
        return None
    body = "|".join(re.escape(p).replace("'", "['’]") for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


@lru_cache(maxsize=1)
def actor_table() -> ActorTable:
    path = resources.files("frontlines").joinpath("data/actors.toml")
    with path.open("rb") as f:
        data = tomllib.load(f)
    aliases: list[_Alias] = []
    for rec in data.get("actor", []):
        actor = Actor(rec["name"], int(rec["inter"]), rec.get("country"))
        aliases += [_Alias(p, actor) for p in rec.get("aliases", [])]
        aliases += [_Alias(p, actor, local_to=actor.country) for p in rec.get("local_aliases", [])]
    for rec in data.get("generic", []):
        aliases += [_Alias(p, None, template=rec["name"], inter=int(rec["inter"]))
                    for p in rec.get("aliases", [])]
    return ActorTable(aliases)


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


def extract_actors(text: str, places: Iterable[Place]) -> list[ActorMention]:
    """The stage's entry point: every actor phrase in `text`, normalised.

    Once an article has named its armed group ("Hayat Tahrir al-Sham"), its later "the rebels" and
    "fighters" are that group, not an anonymous one.
    """
    mentions = actor_table().find(text, main_country(places, text))
    named = Counter(m.actor for m in mentions if m.actor.inter == 2 and not _is_generic(m.actor))
    if named:
        group = named.most_common(1)[0][0]
        for m in mentions:
            if _is_generic(m.actor) and m.actor.inter == 2:
                m.actor = group
    return mentions


def _is_generic(actor: Actor) -> bool:
    return actor.name in actor_table().generic_names
