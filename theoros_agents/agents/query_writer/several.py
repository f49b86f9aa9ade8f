"""One question about several films: the same asked of each, or what they share.

"Who directed Vertigo, Psycho and The Birds?" asks the same of each, and "Which actors appear in both Casablanca and
The Maltese Falcon?" asks what they share. Without this the query writer answers for one of the films and says
nothing of the others.
"""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.agents.query_writer import reading
from theoros_agents.agents.query_writer.answer import describe, joined, listed, nothing_for, sentence
from theoros_agents.agents.query_writer.rules import cue_relations
from theoros_agents.agents.query_writer.schema import RELATIONS, Relation
from theoros_agents.knowledge.linker import Entity, LabelIndex, normalize
from theoros_agents.knowledge.sparql import WD, WDT

_SHARED = re.compile(r"\bboth\b|\bin common\b|\bshare[sd]?\b|\bthe same\b", re.IGNORECASE)
"""Words that ask what the films have in common rather than each film's own."""
_NARROWING = frozenset({"person", "genre", "country", "award"})
"""Kinds that make a question about films something else: a check, or a narrowed list."""


def films_asked(question: str, candidates: list[dict[str, Any]], relation: str) -> list[Entity]:
    """The films, in the order said, when the question asks a film relation of two or more of them; else [].

    One reading per mention (the first: the linker ranks them). A yes/no question checks one film.
    """
    return _films(question, candidates) if relation in RELATIONS else []


def in_common(question: str, candidates: list[dict[str, Any]]) -> list[Entity]:
    """The films, when the question asks what they have in common and names no relation ("What do A and B share?")."""
    return _films(question, candidates) if shared(question) and not cue_relations(question) else []


def _films(question: str, candidates: list[dict[str, Any]]) -> list[Entity]:
    if reading.is_yes_no(question) or any(c["kind"] in _NARROWING for c in candidates):
        return []
    text = f" {normalize(question)} "
    first = [candidates[i] for i in reading.first_readings(candidates, "film")]
    said = sorted(first, key=lambda c: text.find(f" {c['mention']} "))
    return [reading.entity_of(c) for c in said] if len(said) > 1 else []


def shared(question: str) -> bool:
    """Whether the question asks what the films share ("both", "in common", "the same")."""
    return bool(_SHARED.search(question))


def build(relation: Relation, films: list[Entity], common: bool) -> str:
    """Each film's values of the relation (`?film` tells whose), or the values all of them share."""
    label = "OPTIONAL { ?value rdfs:label ?valueLabel }"
    if common:
        each = " ".join(f"wd:{f.id} wdt:{relation.prop} ?value ." for f in films)
        return f"SELECT DISTINCT ?value ?valueLabel WHERE {{ {each} {label} }}"
    ids = " ".join(f"wd:{f.id}" for f in films)
    each = f"VALUES ?film {{ {ids} }} ?film wdt:{relation.prop} ?value ."
    return f"SELECT DISTINCT ?film ?value ?valueLabel WHERE {{ {each} {label} }}"


_ORDER = re.compile(
    r"\b(?P<first>older|oldest|earlier|earliest|first)\b"
    r"|\b(?:newer|newest|later|latest|more recent|most recent|last)\b",
    re.IGNORECASE,
)
"""'Which is older, Casablanca or Vertigo?': which film came out first (or last)."""


def _order(question: str, films: list[Entity], rows: list[dict[str, str]]) -> str:
    """Which of the films came out first or last, when the question compares them by their earliest dates; else ''."""
    asked = _ORDER.search(question)
    firsts = {f.id: min((r["value"][:10] for r in rows if r.get("film") == WD + f.id), default="") for f in films}
    if asked is None or not all(firsts.values()):
        return ""
    pick = min if asked["first"] else max
    film = next(f for f in films if firsts[f.id] == pick(firsts.values()))
    return f" {describe(film)} came out {'first' if asked['first'] else 'last'}."


def answer(
    question: str, relation: Relation, films: list[Entity], rows: list[dict[str, str]], index: LabelIndex
) -> str:
    """Say each film's values in turn (and which came out first, when asked), or the values the films share."""
    if shared(question):
        together = " and ".join(describe(f) for f in films)
        if not rows:
            return f"{together} share no {relation.noun} in the knowledge graph."
        return f"{together} share these {relation.noun}: {listed(rows, index)}."
    said = []
    for film in films:
        own = [row for row in rows if row.get("film") == WD + film.id]
        said.append(sentence(relation, film, own, index) if own else nothing_for(relation, film))
    return " ".join(said) + (_order(question, films, rows) if relation.literal else "")


ALL = "shared_all"
"""The reading of "What do Casablanca and Citizen Kane have in common?": every relation they share."""
_COMMON = ("director", "screenwriter", "producer", "cast_member", "genre", "country", "award")


def build_all(films: list[Entity]) -> str:
    """The values of every relation the films all share, with the property (`?p`) that holds each."""
    props = " ".join(f"wdt:{RELATIONS[r].prop}" for r in _COMMON)
    each = " ".join(f"wd:{f.id} ?p ?value ." for f in films)
    label = "OPTIONAL { ?value rdfs:label ?valueLabel }"
    return f"SELECT DISTINCT ?p ?value ?valueLabel WHERE {{ VALUES ?p {{ {props} }} {each} {label} }}"


def answer_all(films: list[Entity], rows: list[dict[str, str]], index: LabelIndex) -> str:
    """Say what the films share, relation by relation."""
    together = joined([describe(f) for f in films])
    parts = []
    for name in _COMMON:
        own = [row for row in rows if row.get("p") == WDT + RELATIONS[name].prop]
        if own:
            parts.append(f"{RELATIONS[name].noun}: {listed(own, index)}")
    if not parts:
        kinds = "director, screenwriter, producer, actor, genre, country or award"
        return f"{together} share no {kinds} in the knowledge graph."
    return f"{together} have in common {'; '.join(parts)}."
