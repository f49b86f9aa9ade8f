"""Who or what has the most: "Who directed the most films?", "Which film won the most Oscars?".

One counting query, ordered by the count, answers it; a one-hop template would list everything instead, or link
"actor" as a person. A genre, a country, a person or years keep the films counted: "Who directed the most
westerns?", "Which actor appeared in the most Hitchcock films?", "Who worked with Alfred Hitchcock the most?".
"""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.agents.query_writer import narrowing, reading
from theoros_agents.agents.query_writer.answer import describe, joined
from theoros_agents.agents.query_writer.builder import (
    Narrower,
    award_family,
    first_released,
    kept_films,
    property_path,
    within,
)
from theoros_agents.agents.query_writer.people import ROLES, before_films
from theoros_agents.agents.query_writer.rules import cue_offsets, cue_relations
from theoros_agents.agents.query_writer.schema import CREDITED, RELATIONS
from theoros_agents.knowledge.linker import Entity, LabelIndex, normalize
from theoros_agents.knowledge.sparql import WD

PREFIX = "most_"
"""An attempt's relation for such a question: "most_director", "most_award"."""
ANY_ROLE = "any"
"""The relation counted for "Who worked with Hitchcock the most?": a credit in any role."""
SHOWN = 3
_MOST = re.compile(
    r"\bmost\s+(?:\w+\s+)?(?:films?|movies?|awards?|oscars?|academy awards?|prizes?|roles?|credits?"
    r"|actors|cast members|directors|screenwriters|writers|producers|genres|countries)\b"
    r"|\b(?:biggest|largest) cast\b",
    re.IGNORECASE,
)
_MOST_AT_END = re.compile(r"\bthe most$|\bmost (?:often|frequently)\b")
_WORKED = re.compile(r"\b(?:worked|collaborated|teamed up)\b")
_FILM_FIRST = re.compile(
    r"\b(?:which|what)(?: of)?(?: [\w']+){0,3}? (?:film|movie)s?\b"
    r"(?! (?:genres?|countr|director|actor|writer|producer))",  # "Which film genre …" counts genres
    re.IGNORECASE,
)
"""'Which film won the most Oscars?' counts each film's awards; 'Who won the most Oscars?' each person's."""
_KEPT_BY = ("genre", "country", "person")
_DONE = {
    "director": "directed",
    "screenwriter": "wrote",
    "producer": "produced",
    "cast_member": "appeared in",
    "genre": "has",
    "country": "made",
    ANY_ROLE: "worked on",
}


def asked(question: str, candidates: list[dict[str, Any]]) -> str:
    """The relation counted ("director", "award" …) when the question asks who or what has the most, else ''.

    An occupation ("actor") says whose count is asked; a genre, a country or one person keeps the films counted.
    """
    if any(c["kind"] not in ("award", "other", *_KEPT_BY) for c in candidates):
        return ""
    people = reading.first_readings(candidates, "person")
    text = normalize(question)
    at = _most_at(text, candidates)
    if at < 0 or len(people) > 1:
        return ""
    if not people:
        counted = next((r for r in cue_relations(question) if r in _DONE or r == "award"), "")
    else:
        # The count's cue comes before "most"; one after it gives the person's role ("… films starring X").
        before = {r: o for r, o in cue_offsets(text).items() if o < at and (r in _DONE or r == "award")}
        counted = min(before, key=before.__getitem__) if before else ANY_ROLE if _WORKED.search(text) else ""
    kept = [c for c in candidates if c["kind"] in _KEPT_BY]
    if counted in {c["kind"] for c in kept} or (counted == "award" and kept and not _FILM_FIRST.search(question)):
        return ""  # a genre counted among westerns, or people's awards kept to films: no such count
    return counted


def _most_at(text: str, candidates: list[dict[str, Any]]) -> int:
    """Where "most" asks for a count in the normalized question ("most films", "most westerns", "the most"), or -1."""
    genres = [re.escape(c["mention"]) for c in candidates if c["kind"] == "genre"]
    found = _MOST.search(text) or _MOST_AT_END.search(text)
    if found is None and genres:
        found = re.search(rf"\bmost\s+(?:\w+\s+)?(?:{'|'.join(genres)})\b", text)
    return found.start() if found else -1


def _narrowers(question: str, counted: str, candidates: list[dict[str, Any]]) -> list[Narrower]:
    """The genre, country and person keeping the films counted, each said as an answer says it."""
    at = _most_at(normalize(question), candidates)
    found = [kept for kind in ("genre", "country") if (kept := narrowing.of_kind(question, candidates, kind))]
    for index in reading.first_readings(candidates, "person"):
        person, role = reading.entity_of(candidates[index]), _role(question, candidates[index]["mention"], counted, at)
        negated = narrowing.denied(question, candidates[index]["mention"])
        said = f" {RELATIONS[role].by_phrase} {person.label}" if role else f" with {person.label}"
        found.append(Narrower(_props(role), (person,), f" not{said}" if negated else said, negated))
    return found


def _role(question: str, mention: str, counted: str, at: int) -> str:
    """The person's role in the films counted: a role cued after "most" (at `at`), else the director's, or ''.

    The director's for "Hitchcock films"; '' (any role) for "films with Cary Grant" and "worked with Hitchcock".
    """
    text = normalize(question)
    after = {r: o for r, o in cue_offsets(text).items() if o > at >= 0 and r in ROLES and r != counted}
    if after:
        return min(after, key=after.__getitem__)
    return "director" if before_films(text, mention) else ""


def _props(role: str) -> str:
    """The property of a role, or of any role (`CREDITED`)."""
    return RELATIONS[role].prop if role in RELATIONS else CREDITED


def build(question: str, relation: str, candidates: list[dict[str, Any]]) -> str:
    """Count the films of each value of the relation, or each film's or person's awards (of a family named)."""
    narrowers = _narrowers(question, relation, candidates)
    years = reading.years_said(question)
    if relation == "award":
        family = _family(candidates)
        kept = f" {within('?award', family)}" if family else ""
        films = _FILM_FIRST.search(question) is not None
        # Films have release dates and people none: the graph gives awards to both.
        dated = "?value wdt:P577 ?date ." if films else "FILTER NOT EXISTS { ?value wdt:P577 ?date }"
        if films and years is not None:
            dated = first_released(*years, film="?value")
        where = f"?value wdt:P166 ?award .{kept} {dated}{kept_films('?value', narrowers)}"
        counted = "?award"
    elif _per_film(question, relation):
        released = first_released(*years, film="?value") if years is not None else ""
        where = f"?value wdt:{RELATIONS[relation].prop} ?x .{released}{kept_films('?value', narrowers)}"
        counted = "?x"
    else:
        released = first_released(*years) if years is not None else ""
        where = f"?film {property_path(_props(relation))} ?value .{released}{kept_films('?film', narrowers)}"
        # The person keeping the films is not one of those counted: Hitchcock worked on all his films.
        people = [n.entities[0].id for n in narrowers if n.entities[0].kind == "person" and not n.negated]
        where += "".join(f" FILTER(?value != wd:{person})" for person in people)
        counted = "?film"
    return (
        f"SELECT ?value (COUNT(DISTINCT {counted}) AS ?n) WHERE {{ {where} }} "
        "GROUP BY ?value ORDER BY DESC(?n) LIMIT 50"
    )


def answer(
    question: str, relation: str, candidates: list[dict[str, Any]], rows: list[dict[str, str]], index: LabelIndex
) -> str:
    """Say who or what has the most, with the count, and the next ones."""
    ranked = [(entity, int(row["n"])) for row in rows if (entity := _named(row["value"], index)) is not None]
    if not ranked:
        return "The knowledge graph has nothing to count for that."
    top = ranked[0][1]
    first = joined([describe(e) for e, n in ranked if n == top])
    first = first[0].upper() + first[1:]
    rest = ", ".join([f"{describe(e)} ({n})" for e, n in ranked if n < top][:SHOWN])
    years = reading.years_said(question)
    kept = "".join(n.said for n in _narrowers(question, relation, candidates))
    kept += f" released {narrowing.span(*years)}" if years is not None else ""
    among = f" among the films{kept}" if kept else ""
    if relation == "award":
        said = f"{first} received the most {_family(candidates) or 'award'}s{among} in the knowledge graph: {top}."
    elif _per_film(question, relation):
        said = f"{first} has the most {RELATIONS[relation].noun}{among} in the knowledge graph: {top}."
    else:
        said = f"{first} {_DONE[relation]} the most films{kept} in the knowledge graph: {top}."
    return f"{said} Next: {rest}." if rest else said


def _per_film(question: str, relation: str) -> bool:
    """Whether each film's own values are counted: "Which film has the most actors?", "… the biggest cast?"."""
    return relation in RELATIONS and _FILM_FIRST.search(question) is not None


def _family(candidates: list[dict[str, Any]]) -> str:
    """The award family the question names ("Academy Award" for "Oscars"), or ''."""
    return next((f for c in candidates if (f := award_family(reading.entity_of(c)))), "")


def _named(value: str, index: LabelIndex) -> Entity | None:
    return index.entities.get(value.removeprefix(WD)) if value.startswith(WD) else None


def relation_of(attempt_relation: str) -> str:
    """The relation a most-attempt counted, or '' for any other attempt."""
    return attempt_relation.removeprefix(PREFIX) if attempt_relation.startswith(PREFIX) else ""
