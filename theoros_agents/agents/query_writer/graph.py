"""Query writer: link entities, write SPARQL (template or free), check, run, repair, answer."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

import httpx
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from theoros_agents.agents.query_writer import answer as say
from theoros_agents.agents.query_writer import compose, hops, most, narrowing, reading, several
from theoros_agents.agents.query_writer.builder import (
    asks_values,
    build_check,
    build_films_released,
    build_query,
    build_roles,
)
from theoros_agents.agents.query_writer.compose import FILMS_RELEASED
from theoros_agents.agents.query_writer.people import ROLES
from theoros_agents.agents.query_writer.schema import RELATIONS, CannotAnswer, FreeQuery, QueryIntent
from theoros_agents.agents.query_writer.state import Attempt, QueryWriterState
from theoros_agents.agents.retriever.described import described, described_film
from theoros_agents.aio import inline
from theoros_agents.context import Context, RunContext, as_context, entry_context
from theoros_agents.errors import QueryRejected, StoreError
from theoros_agents.knowledge.graph_store import EmbeddedGraphStore, GraphStore
from theoros_agents.knowledge.linker import STOPWORDS, normalize
from theoros_agents.knowledge.names import names_in
from theoros_agents.knowledge.sparql import WDT, entity_ids, is_entity_id
from theoros_agents.knowledge.stores import agraph_store, alabel_index
from theoros_agents.models import aload_chat_model, ask_structured
from theoros_agents.prompts import amessages
from theoros_agents.state import Finding, NodeRecord, Source, SpecialistInput, SpecialistOutput
from theoros_agents.usage import record

AGENT = "query_writer"
LISTS_WITHOUT = "it asks for the films without them, and names nothing else to list films by"
"""Why a question for the films without its only name is not queried: no other reading would answer it."""
SUGGEST_WORDS = 5
"""A question of more content words than this names no misspelt title: no closest matches are offered."""
SUGGEST_SCORE = 60.0
"""The least fuzzy-match score (0-100) of a title offered as a closest match."""


def route_at_start(
    state: QueryWriterState, runtime: Runtime[Context]
) -> Literal["link_entities", "write_query", "compose_answer"]:
    """The supervisor links each part of a request once: link here only when it found nothing or sent nothing.

    A question describing its film ("the film where …") is linked here too: the supervisor links only names.
    """
    if not state.get("entities") or _describes(state) or not _well_formed(state["entities"]):
        return "link_entities"
    return route_after_link(state, runtime)


def _well_formed(entities: list[dict[str, Any]]) -> bool:
    """Whether every entity a caller sent has a graph id: an id is written into the query, so no other is used."""
    return all(isinstance(e, dict) and is_entity_id(e.get("id")) for e in entities)


def _describes(state: QueryWriterState) -> str:
    """The plot words of a film the question describes and does not name (no film linked outside them), or ''.

    A title inside the description is part of it: "the movie about a boxer from Philadelphia" is not Philadelphia.
    """
    phrase, plot = described(state["question"])
    inside = f" {normalize(phrase)} "
    if any(e["kind"] == "film" and f" {e['mention']} " not in inside for e in state.get("entities", [])):
        return ""
    return plot


async def link_entities(state: QueryWriterState, runtime: Runtime[Context]) -> dict:
    """Find the question's mentions in the label index, or the closest labels (no model); a described film by plot."""
    started = time.perf_counter()
    context = await entry_context(runtime.context)
    update = await (_identify(state["question"], context) if _describes(state) else _link(state, context))
    elapsed = (time.perf_counter() - started) * 1000
    return update | {"records": [record(AGENT, "link_entities", latency_ms=elapsed)]}


async def _link(state: QueryWriterState, context: Context) -> dict[str, Any]:
    # The store and its label index may be opened on first use: keep that I/O off the event loop.
    index = await alabel_index(context)
    question = state["question"]
    # An empty list from the supervisor means its exact linking found nothing: go straight to close matches.
    given = state.get("entities")
    entities = given if given is not None and _well_formed(given) else [c.as_dict() for c in index.mentions(question)]
    if not entities:
        entities = [c.as_dict() for c in index.close_mentions(question)]
    update: dict[str, Any] = {"entities": entities}
    # "Who directed the most films in the 1930s?" counts them instead of listing them.
    if not entities and (years := reading.films_in_years(question)) is not None and not most.asked(question, []):
        return update | await _films_released(context, years, reading.extreme(question) == "latest")
    if not entities:
        update["suggestions"] = [c.as_dict() for c in _suggestions(question, index)]
    return update


async def _films_released(context: Context, years: tuple[int, int], latest: bool) -> dict[str, Any]:
    """Run the one query a question for the films of some years asks ("Which films came out in 1999?")."""
    query = build_films_released(*years, latest)
    draft = Attempt(sparql=query, relation=FILMS_RELEASED, entity=-1, error="", rows=0)
    rows, draft["error"] = await _run(context, draft)
    draft["rows"] = len(rows)
    return {"attempts": [draft], "rows": rows, "sparql": [draft["sparql"]]}


def _suggestions(question: str, index: Any) -> list[Any]:
    """The film titles closest to the names a question says, or to all its words when it says none.

    A misspelt title is a few words and close to a label; "asdfghjkl" or a sentence about a plot is neither, and the
    titles sharing one of its words ("Rain Man" for "a man who wakes up …", "Out of Africa" for "came out") are no
    suggestion.
    """
    wanted = [" ".join(w for w in normalize(said).split() if w not in STOPWORDS) for said in names_in(question)]
    found: dict[str, Any] = {}
    for said in wanted or [" ".join(w for w in normalize(question).split() if w not in STOPWORDS)]:
        if said and len(said.split()) <= SUGGEST_WORDS:
            for candidate in index.link(said, kind="film", limit=3):
                if candidate.score >= SUGGEST_SCORE:
                    found.setdefault(candidate.entity.id, candidate)
    return list(found.values())[:3]


async def _identify(question: str, context: Context) -> dict[str, Any]:
    """Find the described film by its plot, and ask about it by name ("Who directed Jaws?")."""
    phrase, plot = described(question)
    try:
        film = await asyncio.to_thread(described_film, context, plot)
    except (StoreError, httpx.HTTPError, OSError):
        film = None  # A plot store that is down finds no film: the answer says which description was not matched.
    if film is None:
        return {"entities": [], "suggestions": [], "described": {"phrase": phrase, "film": ""}}
    label = say.describe(reading.entity_of(film))
    return {
        "entities": [film],
        "question": question.replace(phrase, film["label"]),
        "described": {"phrase": phrase, "film": label},
    }


def route_after_link(state: QueryWriterState, runtime: Runtime[Context]) -> Literal["write_query", "compose_answer"]:
    """Whether to query: not without a linked entity, nor for what the graph does not record.

    Nor when a yes/no question names something unlinked: the yes or no would be about something else.
    """
    entities, question = state.get("entities"), state["question"]
    if most.asked(question, entities or []):
        return "write_query"  # "Who directed the most films?" needs no entity
    refused = entities and reading.is_yes_no(question) and reading.unlinked_name(question, entities)
    unrecorded = _unrecorded(state, as_context(runtime.context))
    return "write_query" if entities and not refused and not unrecorded[1] else "compose_answer"


def _unrecorded(state: QueryWriterState, context: Context) -> tuple[str, bool]:
    """What the question asks that no template relation holds, and whether that alone (see `reading.unrecorded`).

    Model-written SPARQL is not held to the templates' relations: another graph may record running times.
    """
    if context.query_writer_strategy == "sparql":
        return "", False
    found = reading.unrecorded(state["question"], state.get("entities", []))
    return ("", False) if found[0] and _describes(state) else found  # a plot's words ask nothing of the graph


async def write_query(state: QueryWriterState, runtime: Runtime[Context]) -> dict:
    """Write the next query: a template reading, or free SPARQL from the model."""
    context = as_context(runtime.context)
    if context.query_writer_strategy == "sparql":
        return await _write_free_sparql(state, context)
    if not state.get("attempts") and (films := several.in_common(state["question"], state["entities"])):
        draft = Attempt(sparql=several.build_all(films), relation=several.ALL, entity=0, error="", rows=0)
        return {"draft": draft, "records": []}
    if not state.get("attempts") and (counted := most.asked(state["question"], state["entities"])):
        query = most.build(state["question"], counted, state["entities"])
        return {
            "draft": Attempt(sparql=query, relation=most.PREFIX + counted, entity=0, error="", rows=0),
            "records": [],
        }
    path = hops.next_path(state["question"], state["entities"], state.get("attempts", []))
    if path is not None:
        return {"draft": path, "records": []}
    attempts, candidates = state.get("attempts", []), state["entities"]
    exclude = {a["relation"] for a in attempts}
    entity_index = reading.next_entity(attempts, candidates)
    relation = attempts[-1]["relation"] if attempts else "none"
    records: list[NodeRecord] = []
    if entity_index is None or not attempts:
        entity_index = narrowing.subject(candidates)
        pair = reading.yes_no_pair(state["question"], candidates)
        # "Is Casablanca a drama?": the value asked about says which relation, as a genre alone would.
        kind = pair[1].kind if pair is not None else candidates[entity_index]["kind"]
        if _roleless(state, context, kind, exclude) and pair is None:
            # "What was Spielberg's first film?" names no role: read it in the one the person has most films in.
            relation = await _main_role(context, candidates[entity_index]["id"])
        elif reading.needs_model(context.query_writer_strategy, state["question"], exclude, kind):
            relation, records = await _ask_relation(state, context, exclude)
        else:
            relation = reading.rules_relation(state["question"], exclude, kind)
        entity_index = narrowing.subject(candidates, relation, state["question"])
        relation, entity_index = narrowing.undenied(state["question"], candidates, relation, entity_index)
    draft = Attempt(sparql="", relation=relation, entity=entity_index, error="", rows=0)
    if _lists_without(state, relation, entity_index):
        draft["error"] = LISTS_WITHOUT
    elif relation != "none":
        draft["sparql"] = _template(state, relation, entity_index)
    return {"draft": draft, "records": records}


def _lists_without(state: QueryWriterState, relation: str, entity_index: int) -> bool:
    """Whether the question asks for the films without its only subject ("Which films did not star Cary Grant?")."""
    candidate = state["entities"][entity_index]
    if relation not in RELATIONS or asks_values(RELATIONS[relation], reading.entity_of(candidate)):
        return False
    return not reading.is_yes_no(state["question"]) and narrowing.denied(state["question"], candidate["mention"])


def _roleless(state: QueryWriterState, context: Context, kind: str, exclude: set[str]) -> bool:
    """Whether a person is asked about with no role cued, at the first reading.

    A later reading follows a cued one that found nothing ("What awards did Spielberg win?"): that is the answer.
    The `intent` strategy leaves every reading to its model.
    """
    if kind != "person" or exclude or context.query_writer_strategy == "intent":
        return False
    return reading.rules_relation(state["question"], exclude, kind) == "none"


async def _main_role(context: Context, person: str) -> str:
    """The role (director, screenwriter, producer, actor) in which a person has the most films; a tie: the first."""
    query = build_roles(person, [RELATIONS[r] for r in ROLES])
    rows, error = await _run(context, Attempt(sparql=query, relation="roles", entity=0, error="", rows=0))
    props = {f"{WDT}{RELATIONS[r].prop}": r for r in ROLES}
    counted = {props[row["role"]]: int(row.get("n", "0")) for row in rows if row.get("role") in props}
    if error or not counted:
        return "none"
    return max(ROLES, key=lambda role: (counted.get(role, 0), -ROLES.index(role)))


def _template(state: QueryWriterState, relation: str, entity_index: int) -> str:
    candidates = state["entities"]
    if films := several.films_asked(state["question"], candidates, relation):
        return several.build(RELATIONS[relation], films, several.shared(state["question"]))
    entity = reading.entity_of(candidates[entity_index])
    pair = reading.yes_no_pair(state["question"], candidates)
    if pair is not None:
        value = next(c for c in candidates if c["id"] == pair[1].id)
        return build_check(RELATIONS[relation], *pair, narrowing.readings(candidates, value))
    family = narrowing.own_family(candidates, relation, entity_index)
    narrowers = narrowing.narrowers(state["question"], candidates, entity_index, relation)
    year = reading.year_filter(state["question"], entity)
    return build_query(RELATIONS[relation], entity, year, family, narrowers)


async def _ask_relation(state: QueryWriterState, context: Context, exclude: set[str]) -> tuple[str, list]:
    model_id = context.model_for(AGENT, state.get("escalated", False))
    model = await aload_chat_model(model_id, context.temperature, context.home)
    prompt = await amessages(
        context.prompt_for(AGENT),
        question=state["question"],
        candidates=state["entities"][:5],
        feedback=reading.feedback(state.get("attempts", [])),
    )
    reply = await ask_structured(model, prompt, QueryIntent, context.model_timeout)
    return reading.intent_relation(reply.value, exclude), [record(AGENT, "write_query", model=model_id, reply=reply)]


async def _write_free_sparql(state: QueryWriterState, context: Context) -> dict:
    model_id = context.model_for(AGENT, state.get("escalated", False))
    model = await aload_chat_model(model_id, context.temperature, context.home)
    name = context.prompt_for(AGENT)
    variables = {
        "question": state["question"],
        "candidates": state["entities"][:8],
        "feedback": reading.feedback(state.get("attempts", [])),
    }
    prompt = await amessages(name, ("sparql_system", "sparql_user"), **variables)
    reply = await ask_structured(model, prompt, FreeQuery, context.model_timeout)
    draft = Attempt(sparql="", relation="sparql", entity=0, error=reply.error, rows=0)
    if reply.value is not None and reply.value.result.kind == "sparql":
        draft["sparql"] = reply.value.result.query
    elif reply.value is not None and isinstance(reply.value.result, CannotAnswer):
        draft["error"] = f"cannot answer: {reply.value.result.reason}"
    return {"draft": draft, "records": [record(AGENT, "write_query", model=model_id, reply=reply)]}


def _check(draft: Attempt, candidates: list[dict[str, Any]]) -> str:
    """Reject a query before it runs: no query, unseen ids, or not a read-only query."""
    if draft["error"]:
        return draft["error"]
    if not draft["sparql"]:
        return "no supported relation in the question"
    unseen = entity_ids(draft["sparql"]) - {c["id"] for c in candidates}
    if unseen:
        return f"unknown ids {sorted(unseen)}: use only the linked entities"
    return ""


def _execute(store: GraphStore, sparql: str, max_rows: int) -> tuple[list[dict[str, str]], str]:
    """Run a checked query; return its rows and '' or why there are none."""
    try:
        if sparql.lstrip().upper().startswith("ASK"):
            rows = [{"value": "true" if store.ask(sparql) else "false"}]
        else:
            rows = store.select(sparql, max_rows=max_rows)
    except (QueryRejected, StoreError) as exc:
        return [], str(exc)
    return rows, "" if rows else "empty result"


async def _run(context: Context, draft: Attempt) -> tuple[list[dict[str, str]], str]:
    """Run the draft on the loop when it is a one-hop template on the embedded store, else on a worker thread.

    A one-hop template is an index lookup of about 0.1 ms, less than the hop to a thread and back. A relation
    path or model-written SPARQL may join much of the graph, and a remote endpoint is a network call: those
    would hold up every other request on the loop.
    """
    try:
        store = await agraph_store(context)
    except StoreError as exc:
        return [], str(exc)
    if isinstance(store, EmbeddedGraphStore) and draft["relation"] in RELATIONS:
        return _execute(store, draft["sparql"], context.max_rows)
    return await asyncio.to_thread(_execute, store, draft["sparql"], context.max_rows)


async def run_query(state: QueryWriterState, runtime: Runtime[Context]) -> dict:
    """Validate the draft, execute it on the graph store, and record the attempt."""
    started = time.perf_counter()
    draft = Attempt(**state["draft"])
    rows: list[dict[str, str]] = []
    draft["error"] = _check(draft, state["entities"])
    if not draft["error"]:
        rows, draft["error"] = await _run(as_context(runtime.context), draft)
    draft["rows"] = len(rows)
    elapsed = (time.perf_counter() - started) * 1000
    executed = [draft["sparql"]] if draft["sparql"] else []
    return {
        "attempts": [draft],
        "rows": rows,
        "sparql": executed,
        "records": [record(AGENT, "run_query", latency_ms=elapsed, error=draft["error"])],
    }


def route_after_run(state: QueryWriterState, runtime: Runtime[Context]) -> Literal["write_query", "compose_answer"]:
    """Repair while attempts remain and the failure is one a new query could fix."""
    attempts = state["attempts"]
    last = attempts[-1]
    if not last["error"] or len(attempts) >= as_context(runtime.context).query_writer_attempts:
        return "compose_answer"
    if last["relation"] == "none" and reading.next_entity(attempts, state["entities"]) is None:
        return "compose_answer"
    if last["error"] == LISTS_WITHOUT or most.relation_of(last["relation"]) or last["relation"] == several.ALL:
        return "compose_answer"
    if last["error"].startswith("empty result") and narrowing.narrowed(state["question"], state["entities"], last):
        return "compose_answer"  # Nothing of that family or genre: the answer, not a reason to read again.
    if hops.is_path(last) and hops.next_path(state["question"], state["entities"], attempts) is None:
        return "compose_answer"
    return "write_query"


async def compose_answer(state: QueryWriterState, runtime: Runtime[Context]) -> dict:
    """Turn the rows into a sentence, or say why there is none; cite the queries with the rows they returned."""
    context = as_context(runtime.context)
    index = await alabel_index(context)
    attempts = state.get("attempts", [])
    unrecorded, alone = _unrecorded(state, context)
    # Without a linked name, only a question naming nothing is about what the graph lacks ("the youngest director").
    if unrecorded and alone and (state.get("entities") or not names_in(state["question"])):
        text = say.unrecorded(unrecorded)
    else:
        text = compose.sentence(state, index, attempts, context.max_rows)
        text = f"{text} {say.leaves_out(unrecorded)}" if unrecorded and attempts else text
    good = [a for a in attempts if not a["error"]]
    evidence = compose.evidence(state.get("rows", []), index)
    sources = [
        Source(agent=AGENT, kind="sparql", title="knowledge graph", detail=a["sparql"], evidence=evidence)
        for a in good[-1:]
    ]
    used_model = any(r["model"] for r in state.get("records", []))
    rows = state.get("rows", []) if good else []
    result = {
        "rows": rows,
        "attempts": attempts,
        "entities": state.get("entities", []),
        "people": compose.people(rows, index),
    }
    finding = Finding(agent=AGENT, text=text, result=result, used_model=used_model)
    return {"answer": text, "sources": sources, "findings": [finding]}


def build_query_writer() -> StateGraph[Any, Context, Any, Any]:
    """Build the query-writer graph (uncompiled)."""
    builder = StateGraph(
        QueryWriterState, context_schema=RunContext, input_schema=SpecialistInput, output_schema=SpecialistOutput
    )
    builder.add_node(link_entities)
    builder.add_node(write_query)
    builder.add_node(run_query)
    builder.add_node(compose_answer)
    builder.add_conditional_edges(START, inline(route_at_start))
    builder.add_conditional_edges("link_entities", inline(route_after_link))
    builder.add_edge("write_query", "run_query")
    builder.add_conditional_edges("run_query", inline(route_after_run))
    builder.add_edge("compose_answer", END)
    return builder
