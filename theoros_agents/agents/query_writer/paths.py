"""Relation paths: chains of typed film relations, composed into one SPARQL query.

A path starts at the linked topic entity and walks one typed relation per hop, forward (film → its
director, cast, genre, year, …) or backward (a person, genre or year → the films that have it). Like
MetaQA, the topic is never among the answers, nor among the films in the middle of a path.
"""

from __future__ import annotations

from dataclasses import dataclass

from theoros_agents.agents.query_writer.builder import property_path
from theoros_agents.agents.query_writer.schema import CREDITED, RELATIONS


@dataclass(frozen=True)
class HopRelation:
    """A relation a path can walk: its property (none for the year) and the kind of value it reaches."""

    name: str
    prop: str
    kind: str
    noun: str
    """Plural noun of its values, for answers: 'directors'."""
    by_phrase: str
    """Phrase for 'films <by_phrase> X': 'directed by'."""


def _typed(name: str, kind: str) -> HopRelation:
    relation = RELATIONS[name]
    return HopRelation(name, relation.prop, kind, relation.noun, relation.by_phrase)


HOP_RELATIONS = {
    r.name: r
    for r in (
        _typed("director", "person"),
        _typed("screenwriter", "person"),
        _typed("producer", "person"),
        _typed("cast_member", "person"),
        _typed("genre", "genre"),
        # "worked with Cary Grant": a credit in any of the four roles.
        HopRelation("credit", CREDITED, "person", "people", "with"),
        # A film's year is that of its earliest publication date (P577 has one per country).
        HopRelation("year", "", "year", "release years", "released in"),
    )
}
PREFIX = "path:"


@dataclass(frozen=True)
class Hop:
    """One relation of a path, walked forward (film → value) or backward (value → films)."""

    relation: str
    forward: bool

    def __str__(self) -> str:
        return self.relation if self.forward else "^" + self.relation


Path = tuple[Hop, ...]


def encode(path: Path) -> str:
    """Name a path for the attempt record: 'path:^screenwriter/cast_member'."""
    return PREFIX + "/".join(str(hop) for hop in path)


def decode(name: str) -> Path | None:
    """The path an attempt's relation names, or None when it names a one-hop relation."""
    if not name.startswith(PREFIX):
        return None
    parts = name.removeprefix(PREFIX).split("/")
    return tuple(Hop(p.lstrip("^"), not p.startswith("^")) for p in parts)


def kinds(path: Path, topic_kind: str) -> list[str] | None:
    """The kind of node each hop reaches, or None when the hops do not chain from a topic of that kind."""
    reached, current = [], topic_kind
    for hop in path:
        relation = HOP_RELATIONS.get(hop.relation)
        if relation is None or (current == "film") != hop.forward:
            return None
        if not hop.forward and current != relation.kind:
            return None
        current = relation.kind if hop.forward else "film"
        reached.append(current)
    return reached


def compose(path: Path, topic_id: str, topic_kind: str) -> str:
    """One SELECT query for the values at the end of `path`, walked from the topic entity (or year).

    Args:
        path: The hops, first from the topic.
        topic_id: A Q-id, or a four-digit year when the topic is a year.
        topic_kind: 'film', 'person', 'genre' or 'year'.

    Raises:
        ValueError: the hops do not chain from a topic of that kind.
    """
    reached = kinds(path, topic_kind)
    if not path or reached is None:
        raise ValueError(f"{encode(path)} does not start from a {topic_kind}")
    topic = f'"{topic_id}"' if topic_kind == "year" else f"wd:{topic_id}"
    current, parts, excluded = topic, [], []
    counters = {"film": 0, "value": 0}
    for number, (hop, kind) in enumerate(zip(path, reached, strict=True), start=1):
        node = _variable(kind, counters) if number < len(path) else "?x"
        parts.append(_walk(hop, current, node, number))
        if kind == topic_kind and topic_kind != "year":
            excluded.append(node)
        current = node
    filters = "".join(f" FILTER({node} != {topic})" for node in excluded)
    label = " OPTIONAL { ?x rdfs:label ?xLabel }" if reached[-1] != "year" else ""
    columns = "?x ?xLabel" if label else "?x"
    # Sorted, so that a long answer names the same first items every time.
    order = "LCASE(?xLabel) ?x" if label else "?x"
    return f"SELECT DISTINCT {columns} WHERE {{ {' '.join(parts)}{filters}{label} }} ORDER BY {order}"


def _variable(kind: str, counters: dict[str, int]) -> str:
    group = "film" if kind == "film" else "value"
    counters[group] += 1
    return f"?{'m' if group == 'film' else 'p'}{counters[group]}"


def _walk(hop: Hop, current: str, node: str, number: int) -> str:
    """The pattern for one hop from `current` to the new `node`."""
    relation = HOP_RELATIONS[hop.relation]
    if relation.prop:
        prop = property_path(relation.prop)
        return f"{current} {prop} {node} ." if hop.forward else f"{node} {prop} {current} ."
    film = current if hop.forward else node
    first, date = f"?first{number}", f"?date{number}"
    grouped = f"{film} " if film.startswith("?") else ""
    earliest = (
        f"{{ SELECT {grouped}(MIN(STR({date})) AS {first}) WHERE {{ {film} wdt:P577 {date} }}"
        f"{' GROUP BY ' + film if grouped else ''} }}"
    )
    if hop.forward:
        return f"{earliest} BIND(SUBSTR({first}, 1, 4) AS {node})"
    return f"{earliest} FILTER(SUBSTR({first}, 1, 4) = {current})"
