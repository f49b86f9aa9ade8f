"""A second linked entity that narrows a one-hop answer instead of being asked about.

- An award family beside a film or a person keeps their awards to that family ("Which Oscars did Casablanca
  win?").
- A genre or a country beside a person or an award keeps the films listed to it ("Which westerns did John Ford
  direct?", "Which French films won an Oscar?"); a genre beside a country does too ("Which dramas are from Italy?").
- A second person keeps a person's films to those with both, each in their role (`people.roles`): "Which films star
  Humphrey Bogart and Lauren Bacall?", "Which films did Scorsese direct starring De Niro?".
- A year keeps the films to those that came out in it ("Which films did Billy Wilder direct in 1945?").
An empty narrowed result is the answer ("no films …"), not a reason to read the question another way: the other
reading would answer another question.
"""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.agents.query_writer import reading
from theoros_agents.agents.query_writer.answer import describe, named
from theoros_agents.agents.query_writer.builder import OPEN_END, OPEN_START, Narrower, asks_values, award_family
from theoros_agents.agents.query_writer.people import ROLES, role_in_films, roles
from theoros_agents.agents.query_writer.rules import denied_relations
from theoros_agents.agents.query_writer.schema import CREDITED, RELATIONS
from theoros_agents.agents.query_writer.state import Attempt
from theoros_agents.knowledge.linker import Entity, normalize

NARROWS = {"genre": ("person", "award", "country"), "country": ("person", "award"), "award": ("person",)}
"""A narrowing kind → the kinds of entity whose films it narrows."""
PROPERTY = {"genre": "P136", "country": "P495", "award": "P166"}
"""The property a narrowing entity of each kind is read through."""
SUBJECTS = (("person", "award"), ("country",))
"""Which entity a films list is about when others narrow it: a person or an award, else a country."""


def family(candidates: list[dict[str, Any]]) -> str:
    """The award family a linked entity stands for ("Academy Award"), or ''."""
    return next((f for c in candidates if (f := award_family(reading.entity_of(c)))), "")


_ASKS_FILMS = re.compile(
    r"\b(?:which|what)\s+(?!awards?\b|oscars?\b|prizes?\b)(?:of\s+)?(?:[\w']+\s+){0,3}?(?:films?|movies?)\b",
    re.IGNORECASE,
)
"""'Which films directed by Spielberg …', 'Which of Spielberg's films …': films asked for, not awards."""


def subject(candidates: list[dict[str, Any]], relation: str = "", question: str = "") -> int:
    """Which linked entity the question is about when another one only narrows it (else the first).

    With no film linked: a person or an award, else a country (before the relation is known, its kind decides the
    relation). An award family beside a film or a person, once the relation is the award: the film, else the person.
    Of two people, the one in the relation's role.
    """
    kinds = [c["kind"] for c in candidates]
    if relation == "award" and {"award", "person"} <= set(kinds) and _ASKS_FILMS.search(question):
        return kinds.index("award")  # "Which Spielberg films won an Oscar?" lists films; Spielberg narrows them
    if "film" not in kinds and (cast := roles(question, candidates, relation)):
        return next(i for i, role in cast.items() if role == relation)  # the first in the role asked about
    if relation == "award" and family(candidates):
        owner = next((k for k in ("film", "person") if k in kinds), "")
        if owner:
            return kinds.index(owner)
    if "film" in kinds or not any(k in NARROWS for k in kinds):
        return 0
    if relation in ROLES and "person" in kinds:
        return kinds.index("person")  # "Which films starring Tom Hanks won an Oscar?": his films, kept to winners
    for group in SUBJECTS:
        found = next((i for i, kind in enumerate(kinds) if kind in group), None)
        if found is not None:
            return found
    return 0


def undenied(question: str, candidates: list[dict[str, Any]], relation: str, index: int) -> tuple[str, int]:
    """The relation and person to list films by when the one chosen is denied, and another person is not.

    "Which Hitchcock films did not star Cary Grant?" lists Hitchcock's films, without Grant's: Grant narrows them.
    """
    if not denied(question, candidates[index]["mention"]):
        return relation, index
    for i, role in roles(question, candidates, relation).items():
        if i != index and not denied(question, candidates[i]["mention"]):
            return role, i
    return relation, index


def readings(candidates: list[dict[str, Any]], found: dict[str, Any]) -> list[Entity]:
    """Every entity of the same kind that the same mention links ("drama": "drama" and "drama film")."""
    same = [c for c in candidates if c["kind"] == found["kind"] and c["mention"] == found["mention"]]
    return [reading.entity_of(c) for c in same]


def narrowers(question: str, candidates: list[dict[str, Any]], entity_index: int, relation: str) -> list[Narrower]:
    """The second person, the genre and the country that narrow the films of the entity asked about.

    A genre or a country comes with its mention's other readings ("drama": "drama" and "drama film"), and is said
    by the longest of them ("drama film").
    """
    kind = candidates[entity_index]["kind"]
    found = []
    for i, role in roles(question, candidates, relation).items():
        if i != entity_index:
            found.append(_second_person(question, candidates[i], role, relation))
    if kind == "award" and relation == "award":
        found += _people_in_films(question, candidates)
    if kind == "person" and relation in ROLES and len(reading.first_readings(candidates, "person")) == 1:
        found += _roles_denied(question, reading.entity_of(candidates[entity_index]), relation)
    for narrowing, narrowed in NARROWS.items():
        if relation != narrowing and kind in narrowed and (kept := of_kind(question, candidates, narrowing)):
            found.append(kept)
    return found


def of_kind(question: str, candidates: list[dict[str, Any]], kind: str) -> Narrower | None:
    """The first genre, country or award linked, keeping the films to it (or without it, denied), or None."""
    match = next((c for c in candidates if c["kind"] == kind), None)
    if match is None:
        return None
    group, negated = readings(candidates, match), denied(question, match["mention"])
    said = _narrowed_by(max(group, key=lambda e: len(e.label)))
    return Narrower(PROPERTY[kind], tuple(group), f" not{said}" if negated else said, negated)


def _second_person(question: str, candidate: dict[str, Any], role: str, relation: str) -> Narrower:
    """A second person keeping the films: in their role, or in any to "work with" ("Did Hanks work with Spielberg?")."""
    person, negated = reading.entity_of(candidate), denied(question, candidate["mention"])
    if role == relation and _WORKED_WITH.search(normalize(question).replace(candidate["mention"], "ENT")):
        return Narrower(CREDITED, (person,), f" {'without' if negated else 'with'} {person.label}", negated)
    return Narrower(RELATIONS[role].prop, (person,), _in_role(role, relation, person, negated), negated)


def _roles_denied(question: str, person: Entity, relation: str) -> list[Narrower]:
    """The person's other roles a question denies: "Which films did Billy Wilder write but not direct?"."""
    denied_roles = [r for r in denied_relations(question) if r in ROLES and r != relation]
    return [
        Narrower(RELATIONS[r].prop, (person,), f" but not {RELATIONS[r].by_phrase} {person.label}", negated=True)
        for r in denied_roles
    ]


def _people_in_films(question: str, candidates: list[dict[str, Any]]) -> list[Narrower]:
    """The people who keep an award's films to theirs, each in the role the question gives them."""
    found = []
    for i in reading.first_readings(candidates, "person"):
        if role := role_in_films(question, candidates, i):
            person, negated = reading.entity_of(candidates[i]), denied(question, candidates[i]["mention"])
            found.append(Narrower(RELATIONS[role].prop, (person,), _in_role(role, "award", person, negated), negated))
    return found


_WORKED_WITH = re.compile(r"\b(?:work|worked|works|working|collaborated?|team(?:ed)? up) (?:\w+ )?with ENT\b")
_NEGATIONS = frozenset({"not", "t", "without", "except", "never", "excluding", "non"})
"""Words that deny what follows them ("didn't" normalizes to "didn t")."""


def denied(question: str, mention: str) -> bool:
    """Whether one of the three words before the mention denies it ("did not star Cary Grant", "aren't westerns")."""
    before = f" {normalize(question)} ".split(f" {mention} ", 1)
    return len(before) == 2 and any(word in _NEGATIONS for word in before[0].split()[-3:])


def unplaced(question: str, candidates: list[dict[str, Any]], attempt: Attempt) -> list[str]:
    """The people the question names that a films list leaves out: neither asked about nor narrowing it.

    "Which films did Coppola direct starring Pacino and De Niro?" names three people in two roles, and no rule here
    tells which of them is in which.
    """
    if attempt["relation"] not in RELATIONS or asks_values(RELATIONS[attempt["relation"]], _asked(candidates, attempt)):
        return []
    subject = candidates[attempt["entity"]]
    used = {e.id for n in narrowers(question, candidates, attempt["entity"], attempt["relation"]) for e in n.entities}
    people = [c for c in candidates if c["kind"] == "person" and c["mention"] != subject["mention"]]
    return list(dict.fromkeys(c["label"] for c in people if c["id"] not in used))


def _asked(candidates: list[dict[str, Any]], attempt: Attempt) -> Entity:
    return reading.entity_of(candidates[attempt["entity"]])


def _in_role(role: str, relation: str, person: Entity, negated: bool = False) -> str:
    """' and Lauren Bacall' beside 'Films starring Humphrey Bogart'; ' starring Robert De Niro' beside another role.

    Denied: ' without Lauren Bacall', ' not starring Cary Grant'.
    """
    if role == relation:
        return f" {'without' if negated else 'and'} {person.label}"
    return f" {'not ' if negated else ''}{RELATIONS[role].by_phrase} {person.label}"


def phrase(question: str, candidates: list[dict[str, Any]], attempt: Attempt) -> str:
    """How the films were narrowed: ' in the genre Western from France released in 1939'."""
    said = "".join(n.said for n in narrowers(question, candidates, attempt["entity"], attempt["relation"]))
    years = _years(question, candidates, attempt)
    return said + (f" released {span(*years)}" if years is not None else "")


def span(first: int, last: int) -> str:
    """The years as an answer says them ("in 1945", "in the 1940s", "before 1940", "in 1990 or later")."""
    if first == last:
        return f"in {first}"
    if first == OPEN_START:
        return f"before {last + 1}"
    if last == OPEN_END:
        return f"in {first} or later"
    return f"in the {first}s" if first % 10 == 0 and last == first + 9 else f"from {first} to {last}"


def _years(question: str, candidates: list[dict[str, Any]], attempt: Attempt) -> tuple[int, int] | None:
    """The first and last year an attempt's films were kept to (none for a path or a film's own values)."""
    if attempt["relation"] not in RELATIONS:
        return None
    return reading.year_filter(question, reading.entity_of(candidates[attempt["entity"]]))


def _narrowed_by(entity: Entity) -> str:
    if entity.kind == "award":
        return f" that received {named(entity)}"
    return f" in the genre {named(entity)}" if entity.kind == "genre" else f" from {named(entity)}"


def own_family(candidates: list[dict[str, Any]], relation: str, entity_index: int) -> str:
    """The award family a film's or a person's awards are kept to, or ''.

    An award asked about is its own family, or none: another mention's family does not widen it.
    """
    if relation != "award" or candidates[entity_index]["kind"] not in ("film", "person"):
        return ""
    return family(candidates)


def narrowed(question: str, candidates: list[dict[str, Any]], attempt: Attempt) -> bool:
    """Whether a second entity, or the year the films came out, narrowed this one-hop attempt."""
    if attempt["relation"] not in RELATIONS:
        return False
    return bool(
        _years(question, candidates, attempt) is not None
        or own_family(candidates, attempt["relation"], attempt["entity"])
        or narrowers(question, candidates, attempt["entity"], attempt["relation"])
    )


def none_found(question: str, candidates: list[dict[str, Any]], attempt: Attempt) -> str:
    """Say that a narrowed attempt found nothing ("Jaws (1975) received no Academy Award …")."""
    entity = reading.entity_of(candidates[attempt["entity"]])
    if found_family := own_family(candidates, attempt["relation"], attempt["entity"]):
        return f"{describe(entity)} received no {found_family} in the knowledge graph."
    relation = RELATIONS[attempt["relation"]]
    narrowing = phrase(question, candidates, attempt)
    return f"No films {relation.by_phrase} {named(entity)}{narrowing} in the knowledge graph."
