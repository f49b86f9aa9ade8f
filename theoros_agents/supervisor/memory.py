"""Link a request once: its mentions, what "it" refers to in a thread, and each part's entities."""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from theoros_agents.agents.registry import intent_agents
from theoros_agents.agents.retriever.described import described
from theoros_agents.knowledge.linker import PERSON_REFERENCE, REFERENCE, LabelIndex, normalize
from theoros_agents.state import Task

NAMED_KINDS = ("film", "person")
FOCUS_FIELDS = ("id", "label", "kind", "year")
"""What a thread's film must hold to stand in for "it"; a thread saved by an older version may lack some."""


def link_question(
    question: str, focus: dict[str, Any] | None, index: LabelIndex
) -> tuple[str, list[dict[str, Any]], dict[str, Any] | None]:
    """Link the question's mentions once; resolve "it" to the thread's film when the question names none.

    Returns:
        The question (with the reference replaced), its linked entities, and the film it is now about.
    """
    entities = [c.as_dict() for c in index.mentions(question)]
    if not _holds(focus):
        focus = None
    # "the film where a shark …" describes another film: it is no reference to the thread's.
    pointing = REFERENCE.search(question) and not described(question)[0]
    if focus and not any(e["kind"] in NAMED_KINDS for e in entities) and pointing:
        question = REFERENCE.sub(focus["label"], question, count=1)
        entities.insert(0, dict(focus, mention=normalize(focus["label"])))
    film = next((e for e in entities if e["kind"] == "film"), None)
    return question, entities, film or focus


_THOSE = re.compile(r"\bof (?:those|these|them)(?: (?:films|movies))?\b", re.IGNORECASE)
"""'Which of those …' after a person's films were listed: the films of the thread's person."""
_OBJECT = re.compile(r"\bhim\b|(?<=\bwith )her\b|(?<=\bby )her\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\bhis\b|\bher\b(?=\s+[a-z])", re.IGNORECASE)
"""'his films', 'her earliest film': the person's; 'Did Spielberg direct her?' is no possessive."""


def resolve_person(
    question: str, entities: list[dict[str, Any]], person: dict[str, Any] | None, listed: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """Replace the first "he", "she", "his" or "her" with the thread's person when the question names no person.

    "Which films did he direct before 1980?" after "Who directed Jaws?" asks about Steven Spielberg. Beside another
    person only "him" (or "with her") is read so; "of those" is the person's films when the last answer `listed` films.
    """
    if not _holds(person) or any(e["id"] == person["id"] for e in entities):
        return question, entities
    label = str(person["label"])
    those = _THOSE.search(question) if listed and not any(e["kind"] in NAMED_KINDS for e in entities) else None
    if those is not None:
        # "Which of those won an Oscar?" after "What else did Curtiz direct?": his films.
        start, end, said = those.start(), those.end(), f"of {label}'s films"
    else:
        # Beside a person named, only an object is another one: "Did Bogart work with him again?"
        named = any(e["kind"] == "person" for e in entities)
        if (match := (_OBJECT if named else PERSON_REFERENCE).search(question)) is None:
            return question, entities
        start, end = match.span()
        said = label + ("'s" if _POSSESSIVE.match(question, start) else "")
    return question[:start] + said + question[end:], [*entities, {**person, "mention": normalize(label)}]


def listed_films(findings: list[Any]) -> bool:
    """Whether the last answer listed films (so that "which of those" means them), by its findings' rows."""
    rows = [row for f in findings if f.get("agent") == "query_writer" for row in f.get("result", {}).get("rows", [])]
    return sum("film" in row for row in rows) > 1


def person_of(entities: list[dict[str, Any]], previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """The person the conversation is about now: the first one the question names, else the one before."""
    named = next((e for e in entities if e["kind"] == "person"), None)
    if named is not None:
        return {field: named.get(field) for field in FOCUS_FIELDS}
    return previous if _holds(previous) else None


def _holds(saved: dict[str, Any] | None) -> TypeGuard[dict[str, Any]]:
    """Whether a thread's saved film or person has every field a reference needs (an older version may lack some)."""
    return isinstance(saved, dict) and all(field in saved for field in FOCUS_FIELDS)


def plan_tasks(parts: list[tuple[str, str]], entities: list[dict[str, Any]]) -> list[Task]:
    """Give each part whose intent an agent serves its own entities (or the request's film, for "it")."""
    agents = intent_agents()
    film = next((e for e in entities if e["kind"] == "film"), None)
    tasks: list[Task] = []
    for part, intent in parts:
        if intent not in agents:
            continue
        text = f" {normalize(part)} "
        own = [e for e in entities if f" {e['mention']} " in text]
        if not own and film is not None:
            own = [film]
        tasks.append(Task(agent=agents[intent], intent=intent, question=part, entities=own))
    return tasks
