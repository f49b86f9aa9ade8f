"""Who or what has the most: "Who directed the most films?", "Which film won the most Oscars?".

One counting query, ordered by the count, answers it; a one-hop template would list everything instead, or link
"actor" as a person. A question naming a person, genre or country to narrow the count is not read this way.
"""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.agents.query_writer.answer import describe, joined
from theoros_agents.agents.query_writer.builder import award_family, within
from theoros_agents.agents.query_writer.reading import entity_of
from theoros_agents.agents.query_writer.rules import cue_relations
from theoros_agents.agents.query_writer.schema import RELATIONS
from theoros_agents.knowledge.linker import Entity, LabelIndex
from theoros_agents.knowledge.sparql import WD

PREFIX = "most_"
"""An attempt's relation for such a question: "most_director", "most_award"."""
SHOWN = 3
_MOST = re.compile(
    r"\bmost\s+(?:\w+\s+)?(?:films?|movies?|awards?|oscars?|academy awards?|prizes?|roles?|credits?)\b", re.IGNORECASE
)
_FILM_FIRST = re.compile(r"\b(?:which|what) (?:film|movie)s?\b", re.IGNORECASE)
"""'Which film won the most Oscars?' counts each film's awards; 'Who won the most Oscars?' each person's."""
_DONE = {
    "director": "directed",
    "screenwriter": "wrote",
    "producer": "produced",
    "cast_member": "appeared in",
    "genre": "has",
    "country": "made",
}


def asked(question: str, candidates: list[dict[str, Any]]) -> str:
    """The relation counted ("director", "award" …) when the question asks who or what has the most, else ''."""
    # An occupation ("actor") says whose count is asked; any other entity would narrow the count.
    if _MOST.search(question) is None or any(c["kind"] not in ("award", "other") for c in candidates):
        return ""
    return next((r for r in cue_relations(question) if r in _DONE or r == "award"), "")


def build(question: str, relation: str, candidates: list[dict[str, Any]]) -> str:
    """Count the films of each value of the relation, or each film's or person's awards (of a family named)."""
    films = _FILM_FIRST.search(question) is not None
    if relation == "award":
        family = _family(candidates)
        kept = f" {within('?award', family)}" if family else ""
        # Films have release dates and people none: the graph gives awards to both.
        dated = "?value wdt:P577 ?date ." if films else "FILTER NOT EXISTS { ?value wdt:P577 ?date }"
        where = f"?value wdt:P166 ?award .{kept} {dated}"
        counted = "?award"
    else:
        where, counted = f"?film wdt:{RELATIONS[relation].prop} ?value .", "?film"
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
    if relation == "award":
        said = f"{first} received the most {_family(candidates) or 'award'}s in the knowledge graph: {top}."
    else:
        said = f"{first} {_DONE[relation]} the most films in the knowledge graph: {top}."
    return f"{said} Next: {rest}." if rest else said


def _family(candidates: list[dict[str, Any]]) -> str:
    """The award family the question names ("Academy Award" for "Oscars"), or ''."""
    return next((f for c in candidates if (f := award_family(entity_of(c)))), "")


def _named(value: str, index: LabelIndex) -> Entity | None:
    return index.entities.get(value.removeprefix(WD)) if value.startswith(WD) else None


def relation_of(attempt_relation: str) -> str:
    """The relation a most-attempt counted, or '' for any other attempt."""
    return attempt_relation.removeprefix(PREFIX) if attempt_relation.startswith(PREFIX) else ""
