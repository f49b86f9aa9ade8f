"""Link a request once: its mentions, what "it" refers to in a thread, and each part's entities."""

from __future__ import annotations

from typing import Any

from theoros_agents.agents.registry import intent_agents
from theoros_agents.agents.retriever.described import described
from theoros_agents.knowledge.linker import REFERENCE, LabelIndex, normalize
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
    if not isinstance(focus, dict) or any(field not in focus for field in FOCUS_FIELDS):
        focus = None
    # "the film where a shark …" describes another film: it is no reference to the thread's.
    pointing = REFERENCE.search(question) and not described(question)[0]
    if focus and not any(e["kind"] in NAMED_KINDS for e in entities) and pointing:
        question = REFERENCE.sub(focus["label"], question, count=1)
        entities.insert(0, dict(focus, mention=normalize(focus["label"])))
    film = next((e for e in entities if e["kind"] == "film"), None)
    return question, entities, film or focus


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
