"""A second linked entity that narrows a one-hop answer instead of being asked about.

- An award family beside a film or a person keeps their awards to that family ("Which Oscars did Casablanca
  win?").
- A genre or a country beside a person or an award keeps the films listed to it ("Which westerns did John Ford
  direct?", "Which French films won an Oscar?"); a genre beside a country does too ("Which dramas are from Italy?").
- A year keeps the films to those that came out in it ("Which films did Billy Wilder direct in 1945?").
An empty narrowed result is the answer ("no films …"), not a reason to read the question another way: the other
reading would answer another question.
"""

from __future__ import annotations

from typing import Any

from theoros_agents.agents.query_writer import reading
from theoros_agents.agents.query_writer.answer import describe, named
from theoros_agents.agents.query_writer.builder import award_family
from theoros_agents.agents.query_writer.schema import RELATIONS
from theoros_agents.agents.query_writer.state import Attempt
from theoros_agents.knowledge.linker import Entity

NARROWS = {"genre": ("person", "award", "country"), "country": ("person", "award")}
"""A narrowing kind → the kinds of entity whose films it narrows."""
SUBJECTS = (("person", "award"), ("country",))
"""Which entity a films list is about when others narrow it: a person or an award, else a country."""


def family(candidates: list[dict[str, Any]]) -> str:
    """The award family a linked entity stands for ("Academy Award"), or ''."""
    return next((f for c in candidates if (f := award_family(reading.entity_of(c)))), "")


def subject(candidates: list[dict[str, Any]], relation: str = "") -> int:
    """Which linked entity the question is about when another one only narrows it (else the first).

    With no film linked: a person or an award, else a country (before the relation is known, its kind decides the
    relation). An award family beside a film or a person, once the relation is the award: the film, else the person.
    """
    kinds = [c["kind"] for c in candidates]
    if relation == "award" and family(candidates):
        owner = next((k for k in ("film", "person") if k in kinds), "")
        if owner:
            return kinds.index(owner)
    if "film" in kinds or not any(k in NARROWS for k in kinds):
        return 0
    for group in SUBJECTS:
        found = next((i for i, kind in enumerate(kinds) if kind in group), None)
        if found is not None:
            return found
    return 0


def readings(candidates: list[dict[str, Any]], found: dict[str, Any]) -> list[Entity]:
    """Every entity of the same kind that the same mention links ("drama": "drama" and "drama film")."""
    same = [c for c in candidates if c["kind"] == found["kind"] and c["mention"] == found["mention"]]
    return [reading.entity_of(c) for c in same]


def narrowers(candidates: list[dict[str, Any]], entity_index: int, relation: str) -> list[list[Entity]]:
    """The genre and the country that narrow the films of the entity asked about, each with its other readings."""
    kind = candidates[entity_index]["kind"]
    found = []
    for narrowing, narrowed in NARROWS.items():
        if relation == narrowing or kind not in narrowed:
            continue
        match = next((c for c in candidates if c["kind"] == narrowing), None)
        if match is not None:
            found.append(readings(candidates, match))
    return found


def phrase(narrowing: list[list[Entity]], year: int | None = None) -> str:
    """How the films were narrowed: ' in the genre Western from France released in 1939'.

    A group of readings is named by its longest label ("drama film" of "drama" and "drama film").
    """
    said = "".join(_narrowed_by(max(group, key=lambda e: len(e.label))) for group in narrowing)
    return said + (f" released in {year}" if year is not None else "")


def _narrowed_by(entity: Entity) -> str:
    return f" in the genre {named(entity)}" if entity.kind == "genre" else f" from {named(entity)}"


def own_family(candidates: list[dict[str, Any]], attempt: Attempt) -> str:
    """The award family an attempt kept a film's or a person's awards to, or ''."""
    if attempt["relation"] != "award" or candidates[attempt["entity"]]["kind"] not in ("film", "person"):
        return ""
    return family(candidates)


def narrowed(candidates: list[dict[str, Any]], attempt: Attempt, year: int | None = None) -> bool:
    """Whether a second entity, or the year the films came out, narrowed this one-hop attempt."""
    if attempt["relation"] not in RELATIONS:
        return False
    return bool(
        year is not None
        or own_family(candidates, attempt)
        or narrowers(candidates, attempt["entity"], attempt["relation"])
    )


def none_found(candidates: list[dict[str, Any]], attempt: Attempt, year: int | None = None) -> str:
    """Say that a narrowed attempt found nothing ("Jaws (1975) received no Academy Award …")."""
    entity = reading.entity_of(candidates[attempt["entity"]])
    if found_family := own_family(candidates, attempt):
        return f"{describe(entity)} received no {found_family} in the knowledge graph."
    relation = RELATIONS[attempt["relation"]]
    narrowing = phrase(narrowers(candidates, attempt["entity"], attempt["relation"]), year)
    return f"No films {relation.by_phrase} {named(entity)}{narrowing} in the knowledge graph."
