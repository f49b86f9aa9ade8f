"""Compose a sentence from query rows: labels, never bare ids."""

from __future__ import annotations

import re

from theoros_agents.agents.query_writer.builder import asks_values, award_family, genre_family
from theoros_agents.agents.query_writer.paths import HOP_RELATIONS, Path, kinds
from theoros_agents.agents.query_writer.schema import Relation
from theoros_agents.knowledge.linker import (
    PERSON_REFERENCE,
    REFERENCE,
    Entity,
    LabelIndex,
    normalize,
    which_film,
    which_person,
)
from theoros_agents.knowledge.names import names_in
from theoros_agents.knowledge.sparql import WD

SHOWN = 10
FIRST = 5
"""A list longer than SHOWN is given as its count and its FIRST items."""
COUNT = re.compile(r"\b(how many|number of|count)\b", re.IGNORECASE)
"""A question asking how many things there are: its answer starts with the count."""
_SAID_WITH_FILM = frozenset({"horror", "science fiction"})
"""Genre nouns that name no film on their own: "a horror film", not "a horror"."""


def asks_count(question: str) -> bool:
    """Whether the question asks how many ("How many films did Capra direct?")."""
    return bool(COUNT.search(question))


def describe(entity: Entity) -> str:
    """Name an entity, with its year when it is a film."""
    return f"{entity.label} ({entity.year})" if entity.kind == "film" and entity.year else entity.label


def _names(rows: list[dict[str, str]], column: str, index: LabelIndex, kind: str = "") -> list[str]:
    """The rows' values in `column` by name, each once; with `kind`, entities of another kind are left out.

    Films are listed oldest first: a list in the store's order reads as no order at all.
    """
    named = _named_values(rows, column, index, kind)
    if any(year is not None for year, _ in named):
        named.sort(key=lambda pair: (pair[0] is None, pair[0] or 0))  # an entry without a year last
    return [name for _, name in named]


def _named_values(
    rows: list[dict[str, str]], column: str, index: LabelIndex, kind: str
) -> list[tuple[int | None, str]]:
    """Each distinct value's name, with its year when it is a film (else None)."""
    named: list[tuple[int | None, str]] = []
    for row in rows:
        value = row.get(column, "")
        entity = index.entities.get(value.removeprefix(WD)) if value.startswith(WD) else None
        if entity and kind and entity.kind != kind:
            continue  # The graph gives awards to people too: "films that received" lists films only.
        if entity is None and kind == "person":
            continue  # An entry without a label has no known kind: "people who received" lists people only.
        if entity:
            name = describe(entity)
        elif "T00:00:00" in value:
            name = value[:10]
        elif not (name := row.get(column + "Label", "")) and value.startswith(WD):
            name = f"an entry the graph gives no name ({value.removeprefix(WD)})"  # never a bare IRI
        else:
            name = name or value
        if name and name not in (n for _, n in named):
            named.append((entity.year if entity and entity.kind == "film" else None, name))
    return named


def listed(rows: list[dict[str, str]], index: LabelIndex, column: str = "value") -> str:
    """The rows' values in `column`, named and joined ("A, B and C")."""
    return joined(_names(rows, column, index))


def joined(names: list[str]) -> str:
    """The names as a sentence lists them ("A, B and C"), the first SHOWN and how many more."""
    shown = names[:SHOWN]
    more = len(names) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def sentence(
    relation: Relation,
    entity: Entity,
    rows: list[dict[str, str]],
    index: LabelIndex,
    count: bool = False,
    limit: int = 0,
    narrowed: str = "",
    who: bool = False,
    pick: str = "",
    some: int = 0,
) -> str:
    """Say what the rows mean for this relation and entity; `count`: lead with how many there are.

    `limit` is the row cap the query ran under: a count that reached it is a lower bound. `narrowed` says how the
    films were narrowed (" in the genre Western film"). `who`: the question asks who, so an award's people are
    listed, not its films (the graph gives awards to both). `pick`: "earliest" or "latest" asks for one end of the
    films list (`reading.extreme`), which a capped list cannot tell. `some`: how many films the question asks
    for ("Name three westerns"), 0 for all.
    """
    capped = bool(limit) and len(rows) >= limit
    if asks_values(relation, entity):
        names = _names(rows, "value", index)
        if relation.literal:
            return f"{describe(entity)} {relation.phrase} {joined(sorted(names)[:1])}."
        if count:
            verb = "received" if relation.name == "award" else "has"  # "How many Oscars did Titanic win?"
            return f"{describe(entity)} {verb} {_how_many(len(names), relation.noun, capped)}: {joined(names)}."
        return f"{describe(entity)} {relation.phrase} {joined(names)}."
    people = _names(rows, "film", index, kind="person") if who and relation.name == "award" else []
    if people:
        return _list_said(people, "people", f"who received {named(entity)}{narrowed}", capped, count, some)
    return films_said(f"{relation.by_phrase} {named(entity)}{narrowed}", rows, index, count, limit, pick, some)


def films_said(
    which: str,
    rows: list[dict[str, str]],
    index: LabelIndex,
    count: bool,
    limit: int,
    pick: str,
    some: int,
    ordered: bool = False,
) -> str:
    """Say the films of the rows' `film` column, `which` saying which they are ("directed by Billy Wilder").

    The arguments are `sentence`'s; `ordered`: the rows came in the order `pick` asks for, so a capped list holds
    its end.
    """
    names, capped = _names(rows, "film", index, kind="film"), bool(limit) and len(rows) >= limit
    if names and pick and (ordered or not capped) and (end := _end(rows, index, pick)):
        said = " ".join(["The", pick, "film" if len(end) == 1 else "films", *([which] if which else [])])
        return f"{said} in the knowledge graph: {joined(end)}."
    return _list_said(names, "films", which, capped, count, some)


def _list_said(names: list[str], noun: str, which: str, capped: bool, count: bool, some: int) -> str:
    if not names:  # The rows were all of another kind (a television series in a genre, say).
        return f"The knowledge graph has no {noun} {which}."
    if count:
        counted = _how_many(len(names), noun, capped)
        return f"{counted[0].upper()}{counted[1:]} {which}: {joined(names)}."
    if 0 < some < len(names):
        return f"{noun.capitalize()} {which} ({some} of {_how_many(len(names), noun, capped)}): {joined(names[:some])}."
    return f"{noun.capitalize()} {which}: {joined(names)}."


def _end(rows: list[dict[str, str]], index: LabelIndex, pick: str) -> list[str]:
    """The films of the earliest or the latest year among the rows' films with a year."""
    dated = [(year, name) for year, name in _named_values(rows, "film", index, "film") if year is not None]
    if not dated:
        return []
    year = (min if pick == "earliest" else max)(y for y, _ in dated)
    return [name for y, name in dated if y == year]


def nothing_for(relation: Relation, entity: Entity) -> str:
    """Say that the graph holds no answer ("The knowledge graph has no awards for Steven Spielberg.")."""
    if entity.kind == "other":
        # An entry of no known kind (a film the graph only names as someone's work): no "films directed by" it.
        return f"The knowledge graph names {entity.label!r} but holds no {relation.noun} for it."
    if asks_values(relation, entity):
        return f"The knowledge graph has no {relation.noun} for {describe(entity)}."
    return f"The knowledge graph has no films {relation.by_phrase} {named(entity)}."


def named(entity: Entity) -> str:
    """Name an entity as an answer's object, as a sentence says it.

    An award family as one of its awards ("an Academy Award"); a genre noun alone, as it stands for all its kinds
    ("drama"); a country with its article where it takes one ("the United States", "the Soviet Union", "the
    Netherlands").
    """
    if family := award_family(entity):
        return f"{'an' if family[0].lower() in 'aeiou' else 'a'} {family}"
    if noun := genre_family(entity):
        return f"{noun} film" if normalize(noun) in _SAID_WITH_FILM else noun
    if entity.kind == "country" and (
        entity.label.startswith(("United ", "Soviet ", "People's ")) or entity.label.endswith("s")
    ):
        return f"the {entity.label}"
    return describe(entity)


def _how_many(number: int, noun: str, capped: bool) -> str:
    """'7 films', '1 film', 'at least 200 actors'."""
    if number == 1 and not capped:
        noun = "person" if noun == "people" else noun[:-3] + "y" if noun.endswith("ies") else noun.removesuffix("s")
    return f"{'at least ' if capped else ''}{number} {noun}"


def path_sentence(
    path: Path, entity: Entity, rows: list[dict[str, str]], index: LabelIndex, limit: int = 0, count: bool = False
) -> str:
    """Say what a relation path reached, e.g. 'The directors of the films starring X: A, B and C.'.

    A long answer, or one to a question asking how many (`count`), gives its count and its first items; `limit`
    is the row cap the query ran under.
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
    return f"{phrase[0].upper()}{phrase[1:]}: {_counted(names, noun, bool(limit) and len(rows) >= limit, count)}."


def _counted(names: list[str], noun: str, capped: bool, count: bool = False) -> str:
    if not names:
        return f"no {noun}"
    if len(names) <= SHOWN and not capped:
        return f"{_how_many(len(names), noun, False)} ({joined(names)})" if count else joined(names)
    return f"{_how_many(len(names), noun, capped)}, among them {joined(names[:FIRST])}"


def released_in(film: Entity, rows: list[dict[str, str]], years: tuple[int, int], said: str) -> str:
    """Answer whether a film came out in `years` (`said` as "in 1972", "before 1950"), by its earliest release date.

    The graph has one date per country.
    """
    first = min(row["value"][:10] for row in rows)
    if years[0] <= int(first[:4]) <= years[1]:
        within = "" if years[0] == years[1] else f", {said}"
        return f"Yes: {describe(film)} was first released in {first[:4]} ({first}){within}."
    return f"No: {describe(film)} was first released in {first[:4]} ({first}), not {said}."


def yes_no(relation: Relation, film: Entity, value: Entity, holds: bool) -> str:
    """Answer a yes/no check in a sentence."""
    verb = relation.phrase if holds else relation.negated
    return f"{'Yes' if holds else 'No'}: {describe(film)} {verb} {named(value)}."


def not_found(mention: str, suggestions: list[Entity]) -> str:
    """Say nothing matched, and offer the closest labels (or ask which film "it" is)."""
    reference = REFERENCE.search(mention)
    if not suggestions and reference:
        return which_film(reference.group(0))
    missing = " or ".join(repr(name) for name in names_in(mention)) or repr(mention)
    if not suggestions:
        return f"I could not find {missing} in the knowledge graph."
    closest = ", ".join(describe(e) for e in suggestions)
    return f"I could not find {missing} in the knowledge graph. Closest matches: {closest}."


def nothing_named(question: str, suggestions: list[Entity]) -> str:
    """Say the question names nothing the graph holds: its names when it says some, or else not the whole question."""
    if names_in(question) or REFERENCE.search(question):
        return not_found(question, suggestions)
    if person := PERSON_REFERENCE.search(question):
        return which_person(person.group(0))
    text = "I could not find anything the question names in the knowledge graph."
    return f"{text} Closest matches: {', '.join(describe(e) for e in suggestions)}." if suggestions else text


def left_out(name: str) -> str:
    """Say beside an answer which name of the question it could not find, and so left out."""
    return f"(I could not find {name!r} in the knowledge graph, so the answer leaves it out.)"


RECORDED = "who directed, wrote, produced and starred in films, their genres, countries, awards and release dates"


def unrecorded(what: str) -> str:
    """Say the graph does not record what the question asks, and what it does record."""
    return f"The knowledge graph does not record {what}. It holds {RECORDED}."


def leaves_out(what: str) -> str:
    """Say beside an answer which part of the question the graph does not record, and so the answer leaves out."""
    return f"(The knowledge graph does not record {what}, so the answer leaves that out.)"
