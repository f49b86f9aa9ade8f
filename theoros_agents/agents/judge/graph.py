"""Judge: grades an output 1-5 against a rubric, or picks the better of two, by `judge_strategy`.

The default, 'classic', is a trained regression that calls no model; 'reason' is the model writing a
reason, then a score. See `strategies` for the others.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from theoros_agents.agents.judge.schema import RUBRICS, PairReply, ScoreReply
from theoros_agents.agents.judge.state import JudgeInput, JudgeOutput, JudgeState, Judgment, Verdict
from theoros_agents.agents.judge.strategies import (
    RATERS,
    NoVerdict,
    checklist_preference,
    classic_preference,
    combined,
    hybrid_preference,
    logprob_preference,
    preferred,
)
from theoros_agents.aio import inline
from theoros_agents.context import Context, RunContext, as_context, entry_context
from theoros_agents.errors import ConfigError, InvalidQuestion
from theoros_agents.models import Reply, aload_chat_model, ask_structured
from theoros_agents.prompts import amessages
from theoros_agents.state import NodeRecord
from theoros_agents.usage import record

AGENT = "judge"
# Fields each kind of judgment needs, then the ones it can do without.
FIELDS = {
    "answer": (("question", "answer"), ("facts",)),
    "subgenre_fit": (("subgenre", "description"), ("synopsis",)),
    "pairwise": (("instruction", "output_1", "output_2"), ()),
}
# Strategies whose pairwise preference does not depend on the order the outputs are shown in.
ORDER_FREE = frozenset({"classic", "hybrid", "checklist"})
# Characters kept per field, so that a long conversation or output cannot overflow a small model's context.
LIMITS = {"question": 2000, "facts": 1500, "answer": 1500, "synopsis": 2000, "instruction": 2000}
DEFAULT_LIMIT = 2500
# A conversation's latest turns are the ones a reply answers, so it is cut from the front.
KEEP_END = {"question"}


def is_pairwise(state: JudgeInput) -> bool:
    """Tell whether the input asks for a comparison of two outputs."""
    return "output_1" in state or "output_2" in state


def _clip(name: str, text: str) -> str:
    limit = LIMITS.get(name, DEFAULT_LIMIT)
    if len(text) <= limit:
        return text
    return "…" + text[-limit:] if name in KEEP_END else text[:limit] + "…"


def judge_inputs(state: JudgeInput, kind: str) -> dict[str, str]:
    """Return the prompt variables of a judgment kind, clipped; a missing required field is an error."""
    required, optional = FIELDS[kind]
    missing = [name for name in required if not isinstance(state.get(name), str)]
    if missing:
        raise InvalidQuestion(f"the judge's {kind!r} mode needs text in {', '.join(missing)}; got keys {sorted(state)}")
    return {name: _clip(name, str(state.get(name) or "")) for name in required + optional}


def route_by_mode(state: JudgeState) -> Literal["grade_output", "compare_outputs"]:
    """Two outputs are compared; one output is graded against its rubric."""
    return "compare_outputs" if is_pairwise(state) else "grade_output"


async def grade_output(state: JudgeState, runtime: Runtime[Context]) -> dict:
    """Grade one output 1-5 with the configured strategy; no usable verdict is an error, never a score."""
    context = await entry_context(runtime.context)
    rubric = state.get("rubric") or "answer"
    if rubric not in RUBRICS:
        raise ConfigError(f"unknown judge rubric {rubric!r}; rubrics are {', '.join(RUBRICS)}")
    variables = judge_inputs(state, rubric)
    if context.judge_strategy == "reason":
        return await _reasoned_grade(context, rubric, variables)
    started = time.perf_counter()
    try:
        rating = await RATERS[context.judge_strategy](context, context.prompt_for(AGENT), rubric, variables)
    except NoVerdict as exc:
        rec = record(AGENT, "grade_output", model=context.model_for(AGENT), reply=exc.reply)
        return {"verdict": Verdict(error=exc.reply.error), "records": [rec]}
    verdict = Verdict(rubric=rubric, reason=rating.reason, score=rating.score, rating=round(rating.value, 4))
    return {"verdict": verdict, "records": [_record("grade_output", context, rating.calls, started)]}


def _record(node: str, context: Context, calls: list[Reply[Any]], started: float) -> NodeRecord:
    """A record for a strategy's work: its model calls' cost, or the wall time when it made none."""
    if not calls:
        return record(AGENT, node, latency_ms=(time.perf_counter() - started) * 1000)
    return record(AGENT, node, model=context.model_for(AGENT), reply=combined(calls))


async def _reasoned_grade(context: Context, rubric: str, variables: dict[str, str]) -> dict:
    """The 'reason' strategy: the model writes a reason, then a score, as JSON."""
    prompt = await amessages(context.prompt_for(AGENT), (f"{rubric}_system", f"{rubric}_user"), **variables)
    model_id = context.model_for(AGENT)
    model = await aload_chat_model(model_id, context.temperature, context.home)
    reply = await ask_structured(model, prompt, ScoreReply, context.model_timeout)
    if reply.value is None:
        verdict = Verdict(error=reply.error)
    else:
        verdict = Verdict(rubric=rubric, reason=reply.value.reason, score=reply.value.score)
    return {"verdict": verdict, "records": [record(AGENT, "grade_output", model=model_id, reply=reply)]}


async def _reasoned_choice(context: Context, variables: dict[str, str]) -> tuple[Judgment, list[Reply[Any]]]:
    """The 'reason' strategy's choice in the order given: a reason, then 1 or 2, as JSON."""
    prompt = await amessages(context.prompt_for(AGENT), ("pairwise_system", "pairwise_user"), **variables)
    model = await aload_chat_model(context.model_for(AGENT), context.temperature, context.home)
    reply = await ask_structured(model, prompt, PairReply, context.model_timeout)
    better = reply.value.better if reply.value else None
    reason = reply.value.reason if reply.value else ""
    return Judgment(swapped=False, better=better, reason=reason, error=reply.error, probability=None), [reply]


async def _preference(context: Context, variables: dict[str, str]) -> tuple[Judgment, list[Reply[Any]]]:
    """A probability that the output shown first is better, from the configured strategy."""
    strategy, prompt = context.judge_strategy, context.prompt_for(AGENT)
    calls: list[Reply[Any]] = []
    if strategy == "checklist":
        p, calls = await checklist_preference(context, prompt, variables)
        how = "checklist"
    elif strategy == "hybrid":
        p, calls = await hybrid_preference(context, prompt, variables)
        how = "classic features and the model's preference in both orders"
    elif strategy == "classic":
        p = await asyncio.to_thread(classic_preference, variables)
        how = "classic judge"
    else:
        p, reply = await logprob_preference(context, prompt, variables)
        calls, how = [reply], "probability of answering 1"
    better = preferred(p)
    reason = f"Output 1 is better with probability {p:.2f} ({how})."
    return Judgment(swapped=False, better=better, reason=reason, error="", probability=p), calls


async def _compare(state: JudgeState, runtime: Runtime[Context], *, swapped: bool) -> dict:
    context = await entry_context(runtime.context)
    variables = judge_inputs(state, "pairwise")
    if swapped:
        variables["output_1"], variables["output_2"] = variables["output_2"], variables["output_1"]
    started = time.perf_counter()
    node = "compare_swapped" if swapped else "compare_outputs"
    try:
        if context.judge_strategy == "reason":
            judgment, calls = await _reasoned_choice(context, variables)
        else:
            judgment, calls = await _preference(context, variables)
    except NoVerdict as exc:
        judgment, calls = (
            Judgment(swapped=False, better=None, reason="", error=exc.reply.error, probability=None),
            [exc.reply],
        )
    if swapped:
        judgment = _unswapped(judgment)
    return {"judgments": [judgment], "records": [_record(node, context, calls, started)]}


def _unswapped(judgment: Judgment) -> Judgment:
    """Map a judgment made with the outputs swapped back to the original numbering."""
    better = judgment["better"]
    probability = judgment["probability"]
    return Judgment(
        swapped=True,
        better=None if better is None else 3 - better,
        reason=judgment["reason"],
        error=judgment["error"],
        probability=None if probability is None else 1 - probability,
    )


async def compare_outputs(state: JudgeState, runtime: Runtime[Context]) -> dict:
    """Ask which output follows the instruction better, in the order given."""
    return await _compare(state, runtime, swapped=False)


def route_after_compare(state: JudgeState, runtime: Runtime[Context]) -> Literal["compare_swapped", "decide_pair"]:
    """Ask again in the other order, unless that is off, the first call failed, or the strategy ignores order."""
    context = as_context(runtime.context)
    ordered = context.judge_strategy not in ORDER_FREE
    if ordered and context.judge_swap_order and not state["judgments"][-1]["error"]:
        return "compare_swapped"
    return "decide_pair"


async def compare_swapped(state: JudgeState, runtime: Runtime[Context]) -> dict:
    """Ask again with the outputs swapped, so that a preference for a position shows as disagreement."""
    return await _compare(state, runtime, swapped=True)


async def decide_pair(state: JudgeState) -> dict:
    """Merge this run's judgments: probabilities are averaged; choices that disagree are a tie."""
    first = max(i for i, j in enumerate(state["judgments"]) if not j["swapped"])
    judgments = state["judgments"][first:]
    errors = [f"{'swapped' if j['swapped'] else 'given'} order: {j['error']}" for j in judgments if j["error"]]
    if errors:
        return {"verdict": Verdict(error="; ".join(errors))}
    consistent = len({j["better"] for j in judgments}) == 1
    probabilities = [j["probability"] for j in judgments if j["probability"] is not None]
    if len(probabilities) == len(judgments):
        return {"verdict": _averaged(judgments, probabilities, consistent)}
    reason = judgments[0]["reason"]
    if not consistent:
        reason = f"The choice changed with the order of the outputs, so it is a tie. In the given order: {reason}"
    better = judgments[0]["better"] if consistent else None
    return {"verdict": Verdict(reason=reason, better=better, consistent=consistent)}


def _averaged(judgments: list[Judgment], probabilities: list[float], consistent: bool) -> Verdict:
    """The choice from the mean probability over the orders asked (exactly one half is a tie)."""
    p = sum(probabilities) / len(probabilities)
    better = preferred(p)
    reason = judgments[0]["reason"]
    if len(judgments) > 1:
        reason = f"Output 1 is better with probability {p:.2f} averaged over both orders; in the given order: {reason}"
    return Verdict(reason=reason, better=better, consistent=consistent, probability=round(p, 4))


def build_judge() -> StateGraph[Any, Context, Any, Any]:
    """Build the judge graph (uncompiled)."""
    builder = StateGraph(JudgeState, context_schema=RunContext, input_schema=JudgeInput, output_schema=JudgeOutput)
    builder.add_node(grade_output)
    builder.add_node(compare_outputs)
    builder.add_node(compare_swapped)
    builder.add_node(decide_pair)
    builder.add_conditional_edges(START, inline(route_by_mode))
    builder.add_edge("grade_output", END)
    builder.add_conditional_edges("compare_outputs", inline(route_after_compare))
    builder.add_edge("compare_swapped", "decide_pair")
    builder.add_edge("decide_pair", END)
    return builder
