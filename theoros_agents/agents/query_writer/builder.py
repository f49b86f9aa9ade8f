"""Turn a structured reading (relation, entity, year) into SPARQL; the template strategy."""

from __future__ import annotations

from theoros_agents.agents.query_writer.schema import Relation
from theoros_agents.knowledge.linker import Entity


def build_query(relation: Relation, entity: Entity, year: int | None = None) -> str:
    """Ask for the film's value of `relation`, or for the films whose value is `entity`."""
    if entity.kind == "film":
        if relation.literal:
            return f"SELECT DISTINCT ?value WHERE {{ wd:{entity.id} wdt:{relation.prop} ?value }}"
        return (
            f"SELECT DISTINCT ?value ?valueLabel WHERE {{ wd:{entity.id} wdt:{relation.prop} ?value . "
            "OPTIONAL { ?value rdfs:label ?valueLabel } }"
        )
    year_filter = f' ?film wdt:P577 ?date . FILTER(SUBSTR(STR(?date), 1, 4) = "{year}")' if year is not None else ""
    return (
        f"SELECT DISTINCT ?film ?filmLabel WHERE {{ ?film wdt:{relation.prop} wd:{entity.id} .{year_filter} "
        "OPTIONAL { ?film rdfs:label ?filmLabel } }"
    )


def build_check(relation: Relation, film: Entity, value: Entity) -> str:
    """Ask whether the film has `value` for `relation` (yes/no questions)."""
    return f"ASK {{ wd:{film.id} wdt:{relation.prop} wd:{value.id} }}"
