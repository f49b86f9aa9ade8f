"""Supervisor: route a request, fan its parts out to the specialists in parallel, compose, judge, escalate.

The specialists and the judge are the registry's compiled subgraphs, added as nodes, so Studio can open
them and `stream(subgraphs=True)` shows their inner steps.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from theoros_agents.agents.registry import get_agent, specialists
from theoros_agents.aio import inline, warm_call
from theoros_agents.api import check_question
from theoros_agents.context import Context, RunContext, as_context, entry_context
from theoros_agents.knowledge.stores import alabel_index
from theoros_agents.models import aload_chat_model, ask_structured
from theoros_agents.prompts import amessages, render
from theoros_agents.state import RESET, InputState, OutputState, State
from theoros_agents.supervisor.classifier import router_classifier
from theoros_agents.supervisor.memory import link_question, listed_films, person_of, plan_tasks, resolve_person
from theoros_agents.supervisor.router import Route, choice_schema, fast_route, named_mentions
from theoros_agents.usage import record

AGENT = "supervisor"
MAX_FACTS = 4000
"""Characters of evidence the judge reads; a small model's context is short."""


async def route(state: State, runtime: Runtime[Context]) -> dict:
    """Check the run's settings, link the question once, and decide each part's intent."""
    # Settings are resolved here, once per run (reading the server's configuration at most once).
    context = await entry_context(runtime.context)
    started = time.perf_counter()
    # Store, index and classifier may be built on first use: that I/O stays off the event loop. Awaited one
    # after the other: warm, both are memory lookups, and gathering them would cost two tasks per request.
    index = await alabel_index(context)
    classifier = await warm_call(("router", context.home), router_classifier, context.home)
    question, entities, focus = link_question(check_question(state.get("question")), state.get("focus"), index)
    # The findings are still the last turn's here: this turn resets them below.
    listed = listed_films(state.get("findings", []))
    question, entities = resolve_person(question, entities, state.get("person"), listed)
    decision = fast_route(question, classifier, named_mentions(question, entities))
    turn: dict[str, Any] = {"question": question, "focus": focus, "escalated": False, "verdict": {}, "facts": ""}
    turn["person"] = person_of(entities, state.get("person"))
    turn |= {"findings": [RESET], "sources": [RESET], "sparql": [RESET]}
    if decision.confidence >= context.router_threshold:
        elapsed = (time.perf_counter() - started) * 1000
        tasks = plan_tasks(decision.parts, entities)
        routed = {"intents": decision.intents, "route_source": "rules", "tasks": tasks}
        return turn | routed | {"records": [RESET, record(AGENT, "route", latency_ms=elapsed)]}
    intents, source, rec = await _ask_router(question, decision, context)
    tasks = plan_tasks(decision.parts if source == "fallback" else [(question, intents[0])], entities)
    return turn | {"intents": intents, "route_source": source, "tasks": tasks, "records": [RESET, rec]}


async def _ask_router(question: str, decision: Route, context: Context) -> tuple[list[str], str, Any]:
    """One constrained model call, choosing among the classifier's best intents; on failure keep its first."""
    model_id = context.model_for(AGENT)
    options = list(decision.options)
    prompt = await amessages(context.prompt_for(AGENT), question=question, options=options)
    model = await aload_chat_model(model_id, context.temperature, context.home)
    reply = await ask_structured(model, prompt, choice_schema(tuple(options)), context.model_timeout)
    if reply.value is None:
        return decision.intents, "fallback", record(AGENT, "route", model=model_id, reply=reply)
    return [reply.value.intent], "model", record(AGENT, "route", model=model_id, reply=reply)  # type: ignore[attr-defined]


def _sends(state: State, escalated: bool) -> list[Send]:
    return [
        Send(task["agent"], {k: task[k] for k in ("question", "entities", "intent")} | {"escalated": escalated})
        for task in state.get("tasks", [])
    ]


def route_after_route(state: State) -> list[Send] | Literal["compose"]:
    """Send each part of the request to its specialist, with the entities linked for it; they run concurrently."""
    return _sends(state, escalated=False) or "compose"


async def compose(state: State, runtime: Runtime[Context]) -> dict:
    """Merge the findings in the order of the request's parts (canned replies for chit-chat and refusals)."""
    name = as_context(runtime.context).prompt_for(AGENT)
    intents = state.get("intents", [])
    if "chit_chat" in intents:
        return {"answer": await asyncio.to_thread(render, name, "greeting")}
    if not state.get("findings"):
        return {"answer": await asyncio.to_thread(render, name, "refusal")}
    order = {task["agent"]: i for i, task in reversed(list(enumerate(state.get("tasks", []))))}
    findings = sorted(state["findings"], key=lambda f: order.get(f["agent"], len(order)))
    answer = " ".join(f["text"] for f in findings if f["text"])
    facts = "\n".join(s["evidence"] for s in state.get("sources", []) if s["evidence"])
    update: dict[str, Any] = {"answer": answer, "facts": facts[:MAX_FACTS]}
    answered = {p["id"]: p for f in findings for p in f.get("result", {}).get("people", [])}
    if len(answered) == 1:  # "Who directed Jaws?": the conversation may go on about him
        update["person"] = next(iter(answered.values()))
    return update


def route_after_compose(state: State, runtime: Runtime[Context]) -> Literal["judge", "__end__"]:
    """Grade the answer only when the quality gate is on and a specialist answered."""
    if as_context(runtime.context).judge_gate and state.get("findings"):
        return "judge"
    return "__end__"


def route_after_judge(state: State, runtime: Runtime[Context]) -> Literal["escalate", "__end__"]:
    """Escalate once when the answer scored below the threshold and a model-written step can be retried."""
    context = as_context(runtime.context)
    score = state.get("verdict", {}).get("score")
    weak = isinstance(score, int) and score < context.judge_threshold
    retriable = any(f["used_model"] for f in state.get("findings", []))
    if weak and retriable and context.escalation_model and not state.get("escalated"):
        return "escalate"
    return "__end__"


async def escalate(state: State, runtime: Runtime[Context]) -> dict:
    """Keep the findings no model wrote; the others are asked again on the escalation model."""
    model = as_context(runtime.context).escalation_model
    retry = {f["agent"] for f in state["findings"] if f["used_model"]}
    kept = [f for f in state["findings"] if f["agent"] not in retry]
    sources = [s for s in state.get("sources", []) if s.get("agent") not in retry]
    return {
        "tasks": [t for t in state.get("tasks", []) if t["agent"] in retry],
        "findings": [RESET, *kept],
        "sources": [RESET, *sources],
        "escalated": True,
        "records": [record(AGENT, "escalate", model=model)],
    }


def route_after_escalate(state: State) -> list[Send]:
    """Rerun the weak specialists on the escalation model."""
    return _sends(state, escalated=True)


def build_supervisor() -> StateGraph[Any, Context, Any, Any]:
    """Build the supervisor graph (uncompiled) from the agent registry."""
    builder = StateGraph(State, context_schema=RunContext, input_schema=InputState, output_schema=OutputState)
    builder.add_node(route)
    names = [spec.name for spec in specialists()]
    for spec in specialists():
        builder.add_node(spec.name, spec.compiled())
        builder.add_edge(spec.name, "compose")
    builder.add_node(compose)
    builder.add_node("judge", get_agent("judge").compiled())
    builder.add_node(escalate)
    builder.add_edge(START, "route")
    builder.add_conditional_edges("route", inline(route_after_route), [*names, "compose"])
    builder.add_conditional_edges("compose", inline(route_after_compose), ["judge", END])
    builder.add_conditional_edges("judge", inline(route_after_judge), ["escalate", END])
    builder.add_conditional_edges("escalate", inline(route_after_escalate), names)
    return builder
