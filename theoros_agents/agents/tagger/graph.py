"""Tagger: assigns genres and subgenres from a label set to a synopsis, never a label outside that set.

prepare_synopsis ─▶ score_labels ─┬─▶ check_label × shortlist (slm: one yes/no call each, in parallel) ─┐
        │                         ├─▶ pick_labels (slm_pick: one call over the shortlist) ──────────────┼─▶ compose_tags
        └─ (empty, not English) ──┴─▶ (embedding, tfidf, minilm, ensemble: no model call) ──────────────┘
"""

from __future__ import annotations

import time
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from theoros_agents.agents.tagger import scoring
from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.agents.tagger.record import from_fields, split_record
from theoros_agents.agents.tagger.schema import LabelCheck, pick_schema
from theoros_agents.agents.tagger.state import CheckInput, TaggerOutput, TaggerState, Verdict
from theoros_agents.agents.tagger.text import opening, prepare
from theoros_agents.aio import inline
from theoros_agents.context import Context, RunContext, as_context, entry_context
from theoros_agents.models import aload_chat_model, ask_structured
from theoros_agents.prompts import amessages
from theoros_agents.state import Finding, SpecialistInput
from theoros_agents.usage import record

AGENT = "tagger"


async def prepare_synopsis(state: SpecialistInput, runtime: Runtime[Context]) -> dict:
    """Clean and cut the synopsis, say why it cannot be tagged, and settle the strategy (no model call)."""
    started = time.perf_counter()
    context = await entry_context(runtime.context)
    text, film = split_record(state["question"]) if isinstance(state["question"], str) else (state["question"], None)
    synopsis = prepare(text)
    strategy = scoring.resolve_strategy(context, load_labels(context.tagger_labels))
    elapsed = (time.perf_counter() - started) * 1000
    return {
        "synopsis": synopsis.text,
        "film_record": film.as_dict() if film else {},
        "problem": synopsis.problem,
        "truncated": synopsis.truncated,
        "strategy": strategy,
        "records": [record(AGENT, "prepare_synopsis", latency_ms=elapsed, error=synopsis.problem)],
    }


def route_after_prepare(state: TaggerState) -> Literal["score_labels", "compose_tags"]:
    """A synopsis that cannot be tagged goes straight to the answer."""
    return "compose_tags" if state["problem"] else "score_labels"


async def score_labels(state: TaggerState, runtime: Runtime[Context]) -> dict:
    """Score the labels without a model: the final tags, or the shortlist the model will check."""
    started = time.perf_counter()
    context = as_context(runtime.context)
    film = from_fields(state.get("film_record") or {})
    candidates = scoring.candidates(state["strategy"], state["synopsis"], context, film)
    elapsed = (time.perf_counter() - started) * 1000
    return {"candidates": candidates, "records": [record(AGENT, "score_labels", latency_ms=elapsed)]}


def route_after_score(state: TaggerState) -> list[Send] | Literal["pick_labels", "compose_tags"]:
    """Fan the shortlist out to parallel per-label checks, or ask for one pick, or finish."""
    if state["strategy"] == "slm":
        text = opening(state["synopsis"])
        escalated = state.get("escalated", False)
        checks = [CheckInput(synopsis=text, label=c["label"], escalated=escalated) for c in state["candidates"]]
        return [Send("check_label", check) for check in checks]
    return "pick_labels" if state["strategy"] == "slm_pick" else "compose_tags"


async def check_label(state: CheckInput, runtime: Runtime[Context]) -> dict:
    """Ask the model whether the film belongs to one label: a constrained yes or no."""
    context = as_context(runtime.context)
    labels = load_labels(context.tagger_labels)
    label = labels.get(state["label"])
    variables = {"text": state["synopsis"], "label": label.name, "description": label.description or label.name}
    prompt = await amessages(context.prompt_for(AGENT), ("check_system", "check_user"), **variables)
    model_id = context.model_for(AGENT, state["escalated"])
    model = await aload_chat_model(model_id, context.temperature, context.home)
    reply = await ask_structured(model, prompt, LabelCheck, context.model_timeout)
    chosen = reply.value is not None and reply.value.answer == "yes"
    verdict = Verdict(label=label.name, chosen=chosen, error=reply.error)
    return {"verdicts": [verdict], "records": [record(AGENT, "check_label", model=model_id, reply=reply)]}


async def pick_labels(state: TaggerState, runtime: Runtime[Context]) -> dict:
    """Ask the model to pick labels from the shortlist; drop, and report, any label outside it."""
    context = as_context(runtime.context)
    labels = load_labels(context.tagger_labels)
    shortlist = [labels.get(c["label"]) for c in state["candidates"]]
    lines = [label.prompt_text() for label in shortlist]
    prompt = await amessages(context.prompt_for(AGENT), labels=lines, text=opening(state["synopsis"]))
    schema = pick_schema(tuple(label.name for label in shortlist), context.tagger_max_labels)
    model_id = context.model_for(AGENT, state.get("escalated", False))
    model = await aload_chat_model(model_id, context.temperature, context.home)
    reply = await ask_structured(model, prompt, schema, context.model_timeout)
    picked = list(dict.fromkeys(getattr(reply.value, "labels", [])))
    allowed = {label.name for label in shortlist}
    outside = [name for name in picked if name not in allowed]
    error = reply.error or (f"the model answered outside the label set: {outside}" if outside else "")
    verdicts = [Verdict(label=name, chosen=True, error="") for name in picked if name in allowed]
    rec = record(AGENT, "pick_labels", model=model_id, reply=reply, error=error)
    return {"verdicts": verdicts, "records": [rec]}


async def compose_tags(state: TaggerState, runtime: Runtime[Context]) -> dict:
    """Validate the tags against the label set, add each subgenre's genre, and say them in one sentence."""
    context = as_context(runtime.context)
    if state.get("problem"):
        text = f"I cannot tag this: {state['problem']}."
        return {"tags": [], "answer": text, "findings": [_finding(text, [], state)]}
    labels = load_labels(context.tagger_labels)
    tags, dropped, note = scoring.final_tags(state, labels)
    records = [record(AGENT, "compose_tags", error=f"dropped labels outside the set: {dropped}")] if dropped else []
    answer = scoring.sentence(tags) + (f" ({note[0].upper()}{note[1:]}.)" if note else "")
    if state.get("truncated"):
        answer += f" (Only the first {len(state['synopsis'].split())} words were read.)"
    return {"tags": tags, "answer": answer, "records": records, "findings": [_finding(answer, tags, state)]}


def _finding(text: str, tags: list, state: TaggerState) -> Finding:
    used_model = any(r["model"] for r in state.get("records", []))
    return Finding(
        agent=AGENT, text=text, result={"tags": tags, "strategy": state.get("strategy", "")}, used_model=used_model
    )


def build_tagger() -> StateGraph[Any, Context, Any, Any]:
    """Build the tagger graph (uncompiled)."""
    builder = StateGraph(
        TaggerState, context_schema=RunContext, input_schema=SpecialistInput, output_schema=TaggerOutput
    )
    builder.add_node(prepare_synopsis)
    builder.add_node(score_labels)
    builder.add_node(check_label)
    builder.add_node(pick_labels)
    builder.add_node(compose_tags)
    builder.add_edge(START, "prepare_synopsis")
    builder.add_conditional_edges("prepare_synopsis", inline(route_after_prepare))
    builder.add_conditional_edges(
        "score_labels", inline(route_after_score), ["check_label", "pick_labels", "compose_tags"]
    )
    builder.add_edge("check_label", "compose_tags")
    builder.add_edge("pick_labels", "compose_tags")
    builder.add_edge("compose_tags", END)
    return builder
