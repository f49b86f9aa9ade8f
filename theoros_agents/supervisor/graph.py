"""Supervisor: route a request, fan out to specialists in parallel, compose, and optionally judge and escalate."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import time
from typing import Any, Literal

from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from theoros_agents.agents.judge import build_judge
from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.retriever import build_retriever
from theoros_agents.agents.tagger import build_tagger
from theoros_agents.context import Context, as_context
from theoros_agents.knowledge.stores import label_index
from theoros_agents.models import ask_structured, load_chat_model
from theoros_agents.prompts import messages, render
from theoros_agents.state import RESET, InputState, OutputState, State
from theoros_agents.supervisor.classifier import default_classifier
from theoros_agents.supervisor.memory import find_focus, resolve_references
from theoros_agents.supervisor.router import INTENT_AGENT, Route, choice_schema, fast_route
from theoros_agents.usage import record

AGENT = "supervisor"
SPECIALISTS = ("query_writer", "retriever", "tagger")


@functools.cache
def _specialist(name: str) -> Any:
    builders = {
        "query_writer": build_query_writer,
        "retriever": build_retriever,
        "tagger": build_tagger,
        "judge": build_judge,
    }
    return builders[name]().compile(name=name)


async def route(state: State, runtime: Runtime[Context]) -> dict:
    """Decide the intents: the classifier when it is sure, else the routing model picks among its best guesses."""
    context = as_context(runtime.context)
    started = time.perf_counter()
    # Store, index and classifier may be built on first use: that I/O stays off the event loop.
    index = await asyncio.to_thread(label_index, context)
    question = resolve_references(state["question"], state.get("focus"), index)
    decision = fast_route(question, await asyncio.to_thread(default_classifier))
    turn = {
        "question": question,
        "focus": find_focus(question, index, state.get("focus")),
        "escalated": False,
        "findings": [RESET],
        "sources": [RESET],
        "sparql": [RESET],
        "verdict": {},
    }
    if decision.confidence >= context.router_threshold:
        elapsed = (time.perf_counter() - started) * 1000
        routed = {"intents": decision.intents, "route_source": "rules"}
        return turn | routed | {"records": [RESET, record(AGENT, "route", latency_ms=elapsed)]}
    intents, source, rec = await _ask_router(question, decision, context)
    return turn | {"intents": intents, "route_source": source, "records": [RESET, rec]}


async def _ask_router(question: str, decision: Route, context: Context) -> tuple[list[str], str, Any]:
    """One constrained model call, choosing among the classifier's best intents; on failure keep its first."""
    model_id = context.model_for(AGENT)
    options = list(decision.options)
    prompt = await asyncio.to_thread(messages, context.prompt_for(AGENT), question=question, options=options)
    model = await asyncio.to_thread(load_chat_model, model_id, context.temperature)
    reply = await ask_structured(model, prompt, choice_schema(options))
    if reply.value is None:
        return decision.intents, "fallback", record(AGENT, "route", model=model_id, reply=reply)
    return [reply.value.intent], "model", record(AGENT, "route", model=model_id, reply=reply)  # type: ignore[attr-defined]


def route_after_route(state: State) -> list[Send] | Literal["compose"]:
    """Send the question to every specialist an intent names; they run concurrently."""
    agents = list(dict.fromkeys(INTENT_AGENT[i] for i in state["intents"] if i in INTENT_AGENT))
    return [Send(agent, {"question": state["question"]}) for agent in agents] or "compose"


async def _run_specialist(name: str, question: str, context: Any) -> dict:
    result = await _specialist(name).ainvoke({"question": question}, context=context)
    return {
        "findings": [{"agent": name, "text": result.get("answer", "")}],
        "records": result.get("records", []),
        "sources": result.get("sources", []),
        "sparql": result.get("sparql", []),
    }


async def query_writer(state: InputState, runtime: Runtime[Context]) -> dict:
    """Answer a fact question with SPARQL over the knowledge graph."""
    return await _run_specialist("query_writer", state["question"], runtime.context)


async def retriever(state: InputState, runtime: Runtime[Context]) -> dict:
    """Answer a plot or find-a-film question from the plot store."""
    return await _run_specialist("retriever", state["question"], runtime.context)


async def tagger(state: InputState, runtime: Runtime[Context]) -> dict:
    """Assign genres to a synopsis."""
    return await _run_specialist("tagger", state["question"], runtime.context)


async def compose(state: State, runtime: Runtime[Context]) -> dict:
    """Merge the findings in intent order (canned replies for chit-chat and refusals) and stream the answer."""
    name = as_context(runtime.context).prompt_for(AGENT)
    intents = state.get("intents", [])
    if "chit_chat" in intents:
        answer = await asyncio.to_thread(render, name, "greeting")
    elif not state.get("findings"):
        answer = await asyncio.to_thread(render, name, "refusal")
    else:
        order = {agent: i for i, agent in enumerate(INTENT_AGENT[x] for x in intents if x in INTENT_AGENT)}
        findings = sorted(state["findings"], key=lambda f: order.get(f["agent"], len(order)))
        answer = " ".join(f["text"] for f in findings if f["text"])
    writer = get_stream_writer()
    for word in answer.split(" "):
        writer({"token": word + " "})
    return {"answer": answer}


def route_after_compose(state: State, runtime: Runtime[Context]) -> Literal["judge", "__end__"]:
    """Grade the answer only when the quality gate is on and a specialist answered."""
    if as_context(runtime.context).judge_gate and state.get("findings"):
        return "judge"
    return "__end__"


async def judge(state: State, runtime: Runtime[Context]) -> dict:
    """Grade the composed answer against the sources it rests on."""
    facts = "\n".join(s["detail"] for s in state.get("sources", []))
    verdict_input = {"question": state["question"], "answer": state["answer"], "facts": facts}
    result = await _specialist("judge").ainvoke(verdict_input, context=runtime.context)
    return {"verdict": result.get("verdict", {}), "records": result.get("records", [])}


def route_after_judge(state: State, runtime: Runtime[Context]) -> Literal["escalate", "__end__"]:
    """Escalate once when the judge scored the answer below the threshold and an escalation model is set."""
    context = as_context(runtime.context)
    score = state.get("verdict", {}).get("score")
    weak = isinstance(score, int) and score < context.judge_threshold
    return "escalate" if weak and context.escalation_model and not state.get("escalated") else "__end__"


async def escalate(state: State, runtime: Runtime[Context]) -> dict:
    """Rerun the specialists that answered on the escalation model, replacing their findings."""
    context = as_context(runtime.context)
    model = context.escalation_model
    overrides: dict[str, Any] = {f"{a}_model": model for a in SPECIALISTS}
    stronger = dataclasses.replace(context, **overrides)
    agents = list(dict.fromkeys(f["agent"] for f in state.get("findings", [])))
    update: dict[str, Any] = {
        "findings": [RESET],
        "sources": [RESET],
        "escalated": True,
        "records": [record(AGENT, "escalate", model=model)],
    }
    for agent in agents:
        result = await _run_specialist(agent, state["question"], stronger)
        for key in ("findings", "sources", "records"):
            update[key] = update[key] + result[key]
        update["sparql"] = update.get("sparql", []) + result["sparql"]
    return update


def build_supervisor() -> StateGraph[Any, Context, Any, Any]:
    """Build the supervisor graph (uncompiled)."""
    builder = StateGraph(State, context_schema=Context, input_schema=InputState, output_schema=OutputState)
    builder.add_node(route)
    for node in (query_writer, retriever, tagger):
        builder.add_node(node)
        builder.add_edge(node.__name__, "compose")
    builder.add_node(compose)
    builder.add_node(judge)
    builder.add_node(escalate)
    builder.add_edge(START, "route")
    builder.add_conditional_edges("route", route_after_route, ["query_writer", "retriever", "tagger", "compose"])
    builder.add_conditional_edges("compose", route_after_compose, ["judge", END])
    builder.add_conditional_edges("judge", route_after_judge, ["escalate", END])
    builder.add_edge("escalate", "compose")
    return builder
