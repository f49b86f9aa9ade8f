"""Turn a structured reading (relation, entity, year) into SPARQL; the template strategy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from theoros_agents.agents.query_writer.schema import Relation
from theoros_agents.knowledge.linker import GENRE_NOUNS, Entity, normalize

OPEN_START, OPEN_END = 0, 9999
"""The first and last year of a span open at that end ("before 1940": OPEN_START to 1939)."""


@dataclass(frozen=True)
class Narrower:
    """Keeps the films to those whose `prop` is one of `entities` (one mention's readings).

    `said` is how an answer says it: " in the genre Western", " starring Robert De Niro".
    """

    prop: str
    """One property, or alternatives ("P57|P161": directed or starred in)."""
    entities: tuple[Entity, ...]
    said: str
    negated: bool = False
    """Keep the films whose `prop` is none of `entities` instead ("Which Hitchcock films did not star Cary Grant?")."""


def award_family(entity: Entity | None) -> str:
    """The label prefix of the awards an award family stands for ("Academy Awards": "Academy Award"), or ''.

    The graph gives films "Academy Award for Best Picture" and its siblings, rarely "Academy Awards" itself, so
    a question about the family asks for any award whose label starts with its name.
    """
    if entity is None or entity.kind != "award" or not entity.label.endswith(" Awards"):
        return ""
    return entity.label.removesuffix("s")


def genre_family(entity: Entity | None) -> str:
    """The genre noun a genre stands for with all its kinds ("comedy film": "comedy"), or ''.

    The graph files a film under "romantic comedy" or "black comedy film" as often as under "comedy film", with no
    hierarchy between them, so a question about comedies asks for any genre whose label holds the noun.
    """
    if entity is None or entity.kind != "genre":
        return ""
    noun = entity.label.removesuffix(" film")
    return noun if normalize(noun) in GENRE_NOUNS else ""


def asks_values(relation: Relation, entity: Entity) -> bool:
    """Whether a query asks for the entity's own values (a film's, or a person's awards), not for its films."""
    return entity.kind == "film" or (entity.kind == "person" and relation.name == "award")


def within(variable: str, family: str) -> str:
    """A pattern keeping the awards in `variable` to those of the family."""
    return f"{variable} rdfs:label {variable}Label . FILTER(STRSTARTS(STR({variable}Label), {_literal(family)}))"


def _of_genre(variable: str, noun: str) -> str:
    """A pattern keeping the genres in `variable` to those whose label holds the noun as words ("black comedy")."""
    pattern = "(^|[^a-z])" + "[^a-z]+".join(normalize(noun).split()) + "([^a-z]|$)"
    return f'{variable} rdfs:label {variable}Label . FILTER(REGEX(STR({variable}Label), {_literal(pattern)}, "i"))'


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _genre_or_family(variable: str, entities: Sequence[Entity]) -> str:
    """The genres one mention links: a genre noun's family ("comedy": any comedy), else `_one_of` them.

    An award family ("Academy Awards") stands for any of its awards in the same way.
    """
    if awards := next((f for e in entities if (f := award_family(e))), ""):
        return f"{variable} . {within(variable, awards)}"
    noun = next((n for e in entities if (n := genre_family(e))), "")
    return f"{variable} . {_of_genre(variable, noun)}" if noun else _one_of(variable, entities)


def build_query(
    relation: Relation,
    entity: Entity,
    years: tuple[int, int] | None = None,
    family: str = "",
    narrowers: Sequence[Narrower] = (),
) -> str:
    """Ask for the film's value of `relation`, or for the films whose value is `entity`.

    `family` keeps the awards to those of an award family: the film's (its value) or the films' (for a family).
    `narrowers` keep the films to those of a genre, from a country or with a second person: each a group of entities
    one mention links, any of which will do. A genre noun stands for its kinds too (`genre_family`), as the question's
    subject or as a narrower.
    """
    family = family or award_family(entity)
    if asks_values(relation, entity):
        if relation.literal:
            return f"SELECT DISTINCT ?value WHERE {{ wd:{entity.id} wdt:{relation.prop} ?value }}"
        label = within("?value", family) if family else "OPTIONAL { ?value rdfs:label ?valueLabel }"
        return f"SELECT DISTINCT ?value ?valueLabel WHERE {{ wd:{entity.id} wdt:{relation.prop} ?value . {label} }}"
    filters = (first_released(*years) if years is not None else "") + kept_films("?film", narrowers)
    if family:
        value = f"?award . {within('?award', family)}"
    else:
        value = f"{_genre_or_family('?genre', [entity])} ."
    return (
        f"SELECT DISTINCT ?film ?filmLabel WHERE {{ ?film wdt:{relation.prop} {value}{filters} "
        "OPTIONAL { ?film rdfs:label ?filmLabel } }"
    )


def property_path(prop: str) -> str:
    """A property ("P57": "wdt:P57") or alternatives ("P57|P161": "wdt:P57|wdt:P161") as a SPARQL path."""
    return "|".join(f"wdt:{one}" for one in prop.split("|"))


def kept_films(variable: str, narrowers: Sequence[Narrower]) -> str:
    """Patterns keeping the films in `variable` to each narrower's, or to those without it when it is denied."""
    filters = ""
    for number, narrower in enumerate(narrowers, start=1):
        kept = f"{variable} {property_path(narrower.prop)} {_genre_or_family(f'?n{number}', narrower.entities)}"
        filters += f" FILTER NOT EXISTS {{ {kept} }}" if narrower.negated else f" {kept} ."
    return filters


def _one_of(variable: str, entities: Sequence[Entity]) -> str:
    """One entity by its id; several (one mention's readings) as a variable bound to any of them."""
    if len(entities) == 1:
        return f"wd:{entities[0].id}"
    return f"{variable} . VALUES {variable} {{ {' '.join(f'wd:{e.id}' for e in entities)} }}"


def build_check(relation: Relation, film: Entity, value: Entity, also: Sequence[Entity] = ()) -> str:
    """Ask whether the film has `value` for `relation` (yes/no questions); for an award family, any of its awards.

    `also` holds other readings of the value's mention ("drama" and "drama film"): any of them makes it a yes, and
    a genre noun's kinds do too ("Is Some Like It Hot a comedy?": it is a romantic comedy).
    """
    family = award_family(value)
    if family:
        return f"ASK {{ wd:{film.id} wdt:{relation.prop} ?award . {within('?award', family)} }}"
    readings = [value, *(e for e in also if e.id != value.id)]
    return f"ASK {{ wd:{film.id} wdt:{relation.prop} {_genre_or_family('?value', readings)} }}"


def first_released(first: int, last: int, film: str = "?film") -> str:
    """A pattern keeping the films in `film` to those first released from year `first` to year `last`.

    A film has a P577 date per country, and its year is the earliest: "films of 1997" leaves out a 1996 film
    released in France in 1997.
    """
    return (
        f' {film} wdt:P577 ?date . FILTER(SUBSTR(STR(?date), 1, 4) >= "{first:04d}"'
        f' && SUBSTR(STR(?date), 1, 4) <= "{last:04d}")'
        f" FILTER NOT EXISTS {{ {film} wdt:P577 ?earlier . FILTER(STR(?earlier) < STR(?date)) }}"
    )


def build_roles(person: str, relations: Sequence[Relation]) -> str:
    """Count the person's films in each of the relations' roles."""
    props = " ".join(f"wdt:{r.prop}" for r in relations)
    return (
        f"SELECT ?role (COUNT(DISTINCT ?film) AS ?n) WHERE {{ VALUES ?role {{ {props} }} ?film ?role wd:{person} }} "
        "GROUP BY ?role"
    )


def build_films_released(first: int, last: int, latest: bool = False) -> str:
    """Ask for the films first released from year `first` to year `last` (a question naming nothing else).

    Oldest first, or newest first for `latest`: a list cut at the row cap still holds the end asked for.
    """
    label = "OPTIONAL { ?film rdfs:label ?filmLabel }"
    order = "DESC(?date)" if latest else "?date"
    return f"SELECT DISTINCT ?film ?filmLabel ?date WHERE {{{first_released(first, last)} {label} }} ORDER BY {order}"
