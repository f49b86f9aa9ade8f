"""A second linked entity that narrows a one-hop answer instead of being asked about.

- An award family beside a film or a person keeps their awards to that family ("Which Oscars did Casablanca
  win?").
- A genre beside a person, award or country keeps the films listed to that genre ("Which westerns did John Ford
  direct?").
An empty narrowed result is the answer ("no films …"), not a reason to read the question another way: the other
reading would answer another question.
"""

from __future__ import annotations

from typing import Any

from theoros_agents.agents.query_writer import reading
from theoros_agents.agents.query_writer.answer import describe
from theoros_agents.agents.query_writer.builder import award_family
from theoros_agents.agents.query_writer.schema import RELATIONS
from theoros_agents.agents.query_writer.state import Attempt
from theoros_agents.knowledge.linker import Entity

NARROWED_KINDS = ("person", "award", "country")
"""Kinds whose films a genre beside them narrows."""


def family(candidates: list[dict[str, Any]]) -> str:
    """The award family a linked entity stands for ("Academy Award"), or ''."""
    return next((f for c in candidates if (f := award_family(reading.entity_of(c)))), "")


def subject(candidates: list[dict[str, Any]], relation: str = "") -> int:
    """Which linked entity the question is about when another one only narrows it (else the first).

    A genre beside a person, award or country: the other one (before the relation is known, its kind decides the
    relation). An award family beside a film or a person, once the relation is the award: the film, else the person.
    """
    kinds = [c["kind"] for c in candidates]
    if relation == "award" and family(candidates):
        owner = next((k for k in ("film", "person") if k in kinds), "")
        if owner:
            return kinds.index(owner)
    if relation != "genre" and "genre" in kinds:
        return next((i for i, kind in enumerate(kinds) if kind in NARROWED_KINDS), 0)
    return 0


def genre(candidates: list[dict[str, Any]], entity_index: int, relation: str) -> Entity | None:
    """The genre that narrows the films of the entity asked about, or None."""
    if relation == "genre" or candidates[entity_index]["kind"] not in NARROWED_KINDS:
        return None
    found = next((c for c in candidates if c["kind"] == "genre"), None)
    return reading.entity_of(found) if found else None


def own_family(candidates: list[dict[str, Any]], attempt: Attempt) -> str:
    """The award family an attempt kept a film's or a person's awards to, or ''."""
    if attempt["relation"] != "award" or candidates[attempt["entity"]]["kind"] not in ("film", "person"):
        return ""
    return family(candidates)


def narrowed(candidates: list[dict[str, Any]], attempt: Attempt) -> bool:
    """Whether a second entity narrowed this one-hop attempt."""
    if attempt["relation"] not in RELATIONS:
        return False
    return bool(own_family(candidates, attempt) or genre(candidates, attempt["entity"], attempt["relation"]))


def none_found(candidates: list[dict[str, Any]], attempt: Attempt) -> str:
    """Say that a narrowed attempt found nothing ("Jaws (1975) received no Academy Award …"), or ''."""
    entity = reading.entity_of(candidates[attempt["entity"]])
    if found_family := own_family(candidates, attempt):
        return f"{describe(entity)} received no {found_family} in the knowledge graph."
    narrowing = genre(candidates, attempt["entity"], attempt["relation"])
    if narrowing is None:
        return ""
    relation = RELATIONS[attempt["relation"]]
    return f"No films {relation.by_phrase} {describe(entity)} in the genre {narrowing.label} in the knowledge graph."
