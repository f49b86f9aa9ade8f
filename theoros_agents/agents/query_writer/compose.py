"""The query writer's answer sentence: from the rows its queries returned, or why there are none."""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.agents.query_writer import answer as say
from theoros_agents.agents.query_writer import most, narrowing, paths, reading, several
from theoros_agents.agents.query_writer.builder import OPEN_END, OPEN_START
from theoros_agents.agents.query_writer.people import asks_either
from theoros_agents.agents.query_writer.schema import RELATIONS, Relation
from theoros_agents.agents.query_writer.state import Attempt, QueryWriterState
from theoros_agents.knowledge.linker import Entity
from theoros_agents.knowledge.sparql import WD

EVIDENCE_ROWS = 50
FILMS_RELEASED = "films_released"
"""The reading of a question for the films of some years that names nothing else."""


def people(rows: list[dict[str, str]], index: Any) -> list[dict[str, Any]]:
    """The people the rows name (at most three): a conversation may go on about one of them ("his films")."""
    found: dict[str, dict[str, Any]] = {}
    for value in (v for row in rows for v in row.values() if v.startswith(WD)):
        entity = index.entities.get(value.removeprefix(WD))
        if entity is not None and entity.kind == "person" and len(found) < 3:
            found[entity.id] = {"id": entity.id, "label": entity.label, "kind": entity.kind, "year": entity.year}
    return list(found.values())


def _label(value: str, index: Any) -> str:
    entity = index.entities.get(value.removeprefix(WD)) if value.startswith(WD) else None
    return f"{entity.label} ({entity.id})" if entity else value


def evidence(rows: list[dict[str, str]], index: Any) -> str:
    """The rows as lines of labelled values, so a judge can check the answer against them."""
    lines = []
    for row in rows[:EVIDENCE_ROWS]:
        values = [_label(value, index) for value in row.values()]
        lines.append(", ".join(f"{k}={v}" for k, v in zip(row, values, strict=True)))
    return "\n".join(lines)


def sentence(state: QueryWriterState, index: Any, attempts: list[Attempt], limit: int) -> str:
    """The answer: from the rows of the last query that worked, or why there is none."""
    identified = state.get("described", {})
    if identified and not identified["film"]:
        return f"I could not tell which film {identified['phrase']!r} is from the plot summaries I have."
    text = _graph_sentence(state, index, attempts, limit)
    if identified:
        phrase = identified["phrase"]
        return f"{phrase[0].upper()}{phrase[1:]} is, by its plot summary, {identified['film']}. {text}"
    return text


_WHO = re.compile(r"\s*who\b", re.IGNORECASE)


def _graph_sentence(state: QueryWriterState, index: Any, attempts: list[Attempt], limit: int) -> str:
    """The answer, saying which name of the question it could not find: instead of a yes or a no, or beside a list."""
    candidates, question = state.get("entities", []), state["question"]
    ran = bool(attempts) and attempts[-1]["error"] in ("", "empty result")
    if ran and attempts[-1]["relation"] == several.ALL:
        return several.answer_all(several.in_common(question, candidates), state.get("rows", []), index)
    if attempts and (counted := most.relation_of(attempts[-1]["relation"])):
        if not ran:
            return f"I could not count that in the knowledge graph ({attempts[-1]['error']})."
        return most.answer(question, counted, candidates, state.get("rows", []), index)
    if not candidates and attempts and attempts[-1]["relation"] == FILMS_RELEASED:
        return _films_released_said(state, index, limit)
    if not candidates:
        suggestions = [reading.entity_of(s) for s in state.get("suggestions", [])]
        return say.nothing_named(question.strip(), suggestions)
    unlinked = reading.unlinked_name(question, candidates)
    if unlinked and reading.is_yes_no(question):
        return say.not_found(unlinked, [])
    text = _found_sentence(state, index, attempts, limit)
    return f"{text} {say.left_out(unlinked)}" if unlinked else text


def _films_released_said(state: QueryWriterState, index: Any, limit: int) -> str:
    question = state["question"]
    years = reading.films_in_years(question) or (OPEN_START, OPEN_END)
    which = "" if years == (OPEN_START, OPEN_END) else f"released {narrowing.span(*years)}"
    count, some, pick = say.asks_count(question), reading.asked_number(question), reading.extreme(question)
    return say.films_said(which, state["rows"], index, count, limit, pick, some, ordered=True)


def _found_sentence(state: QueryWriterState, index: Any, attempts: list[Attempt], limit: int) -> str:
    candidates = state["entities"]
    good = next((a for a in reversed(attempts) if not a["error"]), None)
    if good is None and attempts and narrowing.narrowed(state["question"], candidates, attempts[-1]):
        return narrowing.none_found(state["question"], candidates, attempts[-1])
    # The first reading that ran and found nothing says more than the error of the last one tried after it.
    empty = next((a for a in attempts if a["error"] == "empty result" and a["relation"] in RELATIONS), None)
    if good is None and empty is not None:
        return say.nothing_for(RELATIONS[empty["relation"]], reading.entity_of(candidates[empty["entity"]]))
    if good is None:
        mentioned = ", ".join(dict.fromkeys(c["label"] for c in candidates))
        reason = attempts[-1]["error"] if attempts else "no query was written"
        return f"I found {mentioned} in the knowledge graph but could not answer that ({reason})."
    relation = RELATIONS.get(good["relation"])
    entity = reading.entity_of(candidates[good["entity"]])
    count = say.asks_count(state["question"])
    path = paths.decode(good["relation"])
    if path is not None:
        return say.path_sentence(path, entity, state["rows"], index, limit, count)
    if relation is None:
        return "; ".join(str(next(iter(r.values()), "")) for r in state["rows"][:10])
    if films := several.films_asked(state["question"], candidates, good["relation"]):
        return several.answer(state["question"], relation, films, state["rows"], index)
    if answered := _yes_or_no(state, relation, entity, good):
        return answered
    narrowed = narrowing.phrase(state["question"], candidates, good)
    who = bool(_WHO.match(state["question"]))
    pick = reading.extreme(state["question"])
    some = reading.asked_number(state["question"])
    text = say.sentence(relation, entity, state["rows"], index, count, limit, narrowed, who, pick, some)
    namesakes = [
        c for c in candidates if c["label"] == entity.label and c["id"] != entity.id and c["kind"] == entity.kind
    ]
    if namesakes:
        years = ", ".join(str(c["year"]) for c in namesakes if c["year"])
        text += f" (Other entries named {entity.label}{': ' + years if years else ''}; add the year to ask about one.)"
    if unplaced := narrowing.unplaced(state["question"], candidates, good):
        why = "one query answers for one of them" if asks_either(state["question"]) else "I could not tell their roles"
        text += f" (Not narrowed by {' or '.join(unplaced)}: {why}.)"
    return text


def _yes_or_no(state: QueryWriterState, relation: Relation, entity: Entity, good: Attempt) -> str:
    """The yes or no of a check ("Does Casablanca star Tom Hanks?") or of a film's year, or ''."""
    years = reading.asked_years(state["question"])
    if relation.literal and years is not None and state["rows"]:
        return say.released_in(entity, state["rows"], years, narrowing.span(*years))
    pair = reading.yes_no_pair(state["question"], state["entities"])
    if pair is not None and good["sparql"].lstrip().upper().startswith("ASK"):
        return say.yes_no(relation, *pair, state["rows"][0]["value"] == "true")
    return ""
