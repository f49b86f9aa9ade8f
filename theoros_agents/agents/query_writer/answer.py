"""Compose a sentence from query rows: labels, never bare ids."""

from __future__ import annotations

from theoros_agents.agents.query_writer.paths import HOP_RELATIONS, Path, kinds
from theoros_agents.agents.query_writer.schema import Relation
from theoros_agents.knowledge.linker import REFERENCE, Entity, LabelIndex, which_film
from theoros_agents.knowledge.sparql import WD

SHOWN = 10
FIRST = 5
"""A list longer than SHOWN is given as its count and its FIRST items."""


def describe(entity: Entity) -> str:
    """Name an entity, with its year when it is a film."""
    return f"{entity.label} ({entity.year})" if entity.kind == "film" and entity.year else entity.label


def _names(rows: list[dict[str, str]], column: str, index: LabelIndex) -> list[str]:
    names: list[str] = []
    for row in rows:
        value = row.get(column, "")
        entity = index.entities.get(value.removeprefix(WD)) if value.startswith(WD) else None
        if entity:
            name = describe(entity)
        elif "T00:00:00" in value:
            name = value[:10]
        else:
            name = row.get(column + "Label") or value
        if name and name not in names:
            names.append(name)
    return names


def _join(names: list[str]) -> str:
    shown = names[:SHOWN]
    more = len(names) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def sentence(relation: Relation, entity: Entity, rows: list[dict[str, str]], index: LabelIndex) -> str:
    """Say what the rows mean for this relation and entity."""
    if entity.kind == "film":
        names = _names(rows, "value", index)
        if relation.literal:
            names = sorted(names)[:1]
        return f"{describe(entity)} {relation.phrase} {_join(names)}."
    names = _names(rows, "film", index)
    return f"Films {relation.by_phrase} {describe(entity)}: {_join(names)}."


def path_sentence(path: Path, entity: Entity, rows: list[dict[str, str]], index: LabelIndex, limit: int = 0) -> str:
    """Say what a relation path reached, e.g. 'The directors of the films starring X: A, B and C.'.

    A long answer gives its count and its first items; `limit` is the row cap the query ran under.
    """
    phrase = describe(entity)
    for hop, kind in zip(path, kinds(path, entity.kind) or [], strict=True):
        relation = HOP_RELATIONS[hop.relation]
        # The topic is left out wherever the path comes back to its kind (MetaQA's convention): say so there.
        aside = f" (other than {entity.label})" if kind == entity.kind else ""
        if hop.forward:
            phrase = f"the {relation.noun}{aside} of {phrase}"
        else:
            phrase = f"the films{aside} {relation.by_phrase} {phrase}"
    last = HOP_RELATIONS[path[-1].relation]
    names = _names(rows, "x", index)
    if last.kind == "year":
        names.sort()
    noun = last.noun if path[-1].forward else "films"
    return f"{phrase[0].upper()}{phrase[1:]}: {_counted(names, noun, bool(limit) and len(rows) >= limit)}."


def _counted(names: list[str], noun: str, capped: bool) -> str:
    if not names:
        return f"no {noun}"
    if len(names) <= SHOWN and not capped:
        return _join(names)
    count = f"at least {len(names)}" if capped else str(len(names))
    return f"{count} {noun}, among them {_join(names[:FIRST])}"


def yes_no(relation: Relation, film: Entity, value: Entity, holds: bool) -> str:
    """Answer a yes/no check in a sentence."""
    verb = relation.phrase if holds else relation.phrase.replace("was ", "was not ", 1).replace("is ", "is not ", 1)
    return f"{'Yes' if holds else 'No'}: {describe(film)} {verb} {describe(value)}."


def not_found(mention: str, suggestions: list[Entity]) -> str:
    """Say nothing matched, and offer the closest labels (or ask which film "it" is)."""
    reference = REFERENCE.search(mention)
    if not suggestions and reference:
        return which_film(reference.group(0))
    if not suggestions:
        return f"I could not find {mention!r} in the knowledge graph."
    closest = ", ".join(describe(e) for e in suggestions)
    return f"I could not find {mention!r} in the knowledge graph. Closest matches: {closest}."
