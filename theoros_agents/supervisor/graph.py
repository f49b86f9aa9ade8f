"""Supervisor: route a request, fan out to specialists in parallel, compose, optionally judge."""

from __future__ import annotations

import functools
import time
from typing import Any, Literal

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
from theoros_agents.state import InputState, OutputState, State
from theoros_agents.supervisor.router import INTENT_AGENT, RouteChoice, fast_route
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
    """Decide the intents: cue words and entity links first, the routing model only when unsure."""
    context = as_context(runtime.context)
    started = time.perf_counter()
    question = state["question"]
    named = [c for c in label_index(context).mentions(question) if c.entity.kind in ("film", "person")]
    intents = fast_route(question, bool(named))
    if intents is not None:
        elapsed = (time.perf_counter() - started) * 1000
        return {"intents": intents, "route_source": "rules", "records": [record(AGENT, "route", latency_ms=elapsed)]}
    model_id = context.model_for(AGENT)
    prompt = messages(context.prompt_for(AGENT), question=question)
    reply = await ask_structured(load_chat_model(model_id, context.temperature), prompt, RouteChoice)
    chosen = reply.value.intent if reply.value else "out_of_scope"
    source = "model" if reply.value else "fallback"
    return {
        "intents": [chosen],
        "route_source": source,
        "records": [record(AGENT, "route", model=model_id, reply=reply)],
    }


def route_after_route(state: State) -> list[Send] | Literal["compose"]:
    """Send the question to every specialist an intent names; they run concurrently."""
    sends = [Send(INTENT_AGENT[i], {"question": state["question"]}) for i in state["intents"] if i in INTENT_AGENT]
    return sends or "compose"


async def _run_specialist(name: str, state: InputState, runtime: Runtime[Context]) -> dict:
    result = await _specialist(name).ainvoke({"question": state["question"]}, context=runtime.context)
    finding = {"agent": name, "text": result.get("answer", "")}
    return {
        "findings": [finding],
        "records": result.get("records", []),
        "sources": result.get("sources", []),
        "sparql": result.get("sparql", []),
    }


async def query_writer(state: InputState, runtime: Runtime[Context]) -> dict:
    """Answer a fact question with SPARQL over the knowledge graph."""
    return await _run_specialist("query_writer", state, runtime)


async def retriever(state: InputState, runtime: Runtime[Context]) -> dict:
    """Answer a plot question from the plot store."""
    return await _run_specialist("retriever", state, runtime)


async def tagger(state: InputState, runtime: Runtime[Context]) -> dict:
    """Assign genres to a synopsis."""
    return await _run_specialist("tagger", state, runtime)


async def compose(state: State, runtime: Runtime[Context]) -> dict:
    """Merge the specialists' findings in intent order; canned replies for chit-chat and refusals."""
    name = as_context(runtime.context).prompt_for(AGENT)
    intents = state.get("intents", [])
    if "chit_chat" in intents:
        return {"answer": render(name, "greeting")}
    if not state.get("findings"):
        return {"answer": render(name, "refusal")}
    order = {agent: i for i, agent in enumerate(INTENT_AGENT[x] for x in intents if x in INTENT_AGENT)}
    findings = sorted(state["findings"], key=lambda f: order.get(f["agent"], len(order)))
    return {"answer": " ".join(f["text"] for f in findings if f["text"])}


def route_after_compose(state: State, runtime: Runtime[Context]) -> Literal["judge", "__end__"]:
    """Grade the answer only when the quality gate is on."""
    has_specialist = bool(state.get("findings"))
    if as_context(runtime.context).judge_gate and has_specialist:
        return "judge"
    return "__end__"


async def judge(state: State, runtime: Runtime[Context]) -> dict:
    """Grade the composed answer against the sources it rests on."""
    facts = "\n".join(s["detail"] for s in state.get("sources", []))
    result = await _specialist("judge").ainvoke(
        {"question": state["question"], "answer": state["answer"], "facts": facts}, context=runtime.context
    )
    return {"verdict": result.get("verdict", {}), "records": result.get("records", [])}


def build_supervisor() -> StateGraph[Any, Context, Any, Any]:
    """Build the supervisor graph (uncompiled)."""
    builder = StateGraph(State, context_schema=Context, input_schema=InputState, output_schema=OutputState)
    builder.add_node(route)
    for node in (query_writer, retriever, tagger):
        builder.add_node(node)
        builder.add_edge(node.__name__, "compose")
    builder.add_node(compose)
    builder.add_node(judge)
    builder.add_edge(START, "route")
    builder.add_conditional_edges("route", route_after_route, ["query_writer", "retriever", "tagger", "compose"])
    builder.add_conditional_edges("compose", route_after_compose, ["judge", END])
    builder.add_edge("judge", END)
    return builder
