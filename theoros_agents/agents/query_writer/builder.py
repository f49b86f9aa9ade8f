"""Turn a structured reading (relation, entity, year) into SPARQL; the template strategy."""

from __future__ import annotations

from theoros_agents.agents.query_writer.schema import Relation
from theoros_agents.knowledge.linker import Entity


def award_family(entity: Entity | None) -> str:
    """The label prefix of the awards an award family stands for ("Academy Awards": "Academy Award"), or ''.

    The graph gives films "Academy Award for Best Picture" and its siblings, rarely "Academy Awards" itself, so
    a question about the family asks for any award whose label starts with its name.
    """
    if entity is None or entity.kind != "award" or not entity.label.endswith(" Awards"):
        return ""
    return entity.label.removesuffix("s")


def asks_values(relation: Relation, entity: Entity) -> bool:
    """Whether a query asks for the entity's own values (a film's, or a person's awards), not for its films."""
    return entity.kind == "film" or (entity.kind == "person" and relation.name == "award")


def _within(variable: str, family: str) -> str:
    """A pattern keeping the awards in `variable` to those of the family."""
    literal = family.replace("\\", "\\\\").replace('"', '\\"')
    return f'{variable} rdfs:label {variable}Label . FILTER(STRSTARTS(STR({variable}Label), "{literal}"))'


def build_query(
    relation: Relation, entity: Entity, year: int | None = None, family: str = "", genre: Entity | None = None
) -> str:
    """Ask for the film's value of `relation`, or for the films whose value is `entity`.

    `family` keeps the awards to those of an award family: the film's (its value) or the films' (for a family).
    `genre` keeps the films to those of that genre.
    """
    family = family or award_family(entity)
    if asks_values(relation, entity):
        if relation.literal:
            return f"SELECT DISTINCT ?value WHERE {{ wd:{entity.id} wdt:{relation.prop} ?value }}"
        label = _within("?value", family) if family else "OPTIONAL { ?value rdfs:label ?valueLabel }"
        return f"SELECT DISTINCT ?value ?valueLabel WHERE {{ wd:{entity.id} wdt:{relation.prop} ?value . {label} }}"
    filters = f' ?film wdt:P577 ?date . FILTER(SUBSTR(STR(?date), 1, 4) = "{year}")' if year is not None else ""
    filters += f" ?film wdt:P136 wd:{genre.id} ." if genre is not None else ""
    value = f"?award . {_within('?award', family)}" if family else f"wd:{entity.id} ."
    return (
        f"SELECT DISTINCT ?film ?filmLabel WHERE {{ ?film wdt:{relation.prop} {value}{filters} "
        "OPTIONAL { ?film rdfs:label ?filmLabel } }"
    )


def build_check(relation: Relation, film: Entity, value: Entity) -> str:
    """Ask whether the film has `value` for `relation` (yes/no questions); for an award family, any of its awards."""
    family = award_family(value)
    if family:
        return f"ASK {{ wd:{film.id} wdt:{relation.prop} ?award . {_within('?award', family)} }}"
    return f"ASK {{ wd:{film.id} wdt:{relation.prop} wd:{value.id} }}"
