"""Judge: grades an output 1-5 against a rubric, or picks the better of two; reason first."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from theoros_agents.agents.judge.schema import RUBRICS, PairReply, ScoreReply
from theoros_agents.agents.judge.state import JudgeInput, JudgeOutput, JudgeState, Judgment, Verdict
from theoros_agents.context import Context, RunContext, as_context, entry_context
from theoros_agents.errors import ConfigError, InvalidQuestion
from theoros_agents.models import ask_structured, load_chat_model
from theoros_agents.prompts import render
from theoros_agents.usage import record

AGENT = "judge"
# Fields each kind of judgment needs, then the ones it can do without.
FIELDS = {
    "answer": (("question", "answer"), ("facts",)),
    "subgenre_fit": (("subgenre", "description"), ("synopsis",)),
    "pairwise": (("instruction", "output_1", "output_2"), ()),
}
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


def judge_messages(prompt: str, kind: str, variables: dict[str, str]) -> list[dict[str, str]]:
    """Render the `<kind>_system` and `<kind>_user` sections of the judge prompt."""
    return [
        {"role": "system", "content": render(prompt, f"{kind}_system", **variables)},
        {"role": "user", "content": render(prompt, f"{kind}_user", **variables)},
    ]


def route_by_mode(state: JudgeState) -> Literal["grade_output", "compare_outputs"]:
    """Two outputs are compared; one output is graded against its rubric."""
    return "compare_outputs" if is_pairwise(state) else "grade_output"


async def grade_output(state: JudgeState, runtime: Runtime[Context]) -> dict:
    """Grade one output 1-5; a model that gives no valid verdict is reported as an error, never scored."""
    context = await entry_context(runtime.context)
    rubric = state.get("rubric") or "answer"
    if rubric not in RUBRICS:
        raise ConfigError(f"unknown judge rubric {rubric!r}; rubrics are {', '.join(RUBRICS)}")
    prompt = judge_messages(context.prompt_for(AGENT), rubric, judge_inputs(state, rubric))
    model_id = context.model_for(AGENT)
    model = load_chat_model(model_id, context.temperature)
    reply = await ask_structured(model, prompt, ScoreReply, context.model_timeout)
    if reply.value is None:
        verdict = Verdict(error=reply.error)
    else:
        verdict = Verdict(rubric=rubric, reason=reply.value.reason, score=reply.value.score)
    return {"verdict": verdict, "records": [record(AGENT, "grade_output", model=model_id, reply=reply)]}


async def _compare(state: JudgeState, runtime: Runtime[Context], *, swapped: bool) -> dict:
    context = await entry_context(runtime.context)
    variables = judge_inputs(state, "pairwise")
    if swapped:
        variables["output_1"], variables["output_2"] = variables["output_2"], variables["output_1"]
    model_id = context.model_for(AGENT)
    prompt = judge_messages(context.prompt_for(AGENT), "pairwise", variables)
    model = load_chat_model(model_id, context.temperature)
    reply = await ask_structured(model, prompt, PairReply, context.model_timeout)
    better = None
    if reply.value is not None:
        better = 3 - reply.value.better if swapped else reply.value.better
    reason = reply.value.reason if reply.value else ""
    judgment = Judgment(swapped=swapped, better=better, reason=reason, error=reply.error)
    node = "compare_swapped" if swapped else "compare_outputs"
    return {"judgments": [judgment], "records": [record(AGENT, node, model=model_id, reply=reply)]}


async def compare_outputs(state: JudgeState, runtime: Runtime[Context]) -> dict:
    """Ask which output follows the instruction better, in the order given."""
    return await _compare(state, runtime, swapped=False)


def route_after_compare(state: JudgeState, runtime: Runtime[Context]) -> Literal["compare_swapped", "decide_pair"]:
    """Ask again in the other order, unless that is switched off or the first call already failed."""
    if as_context(runtime.context).judge_swap_order and not state["judgments"][-1]["error"]:
        return "compare_swapped"
    return "decide_pair"


async def compare_swapped(state: JudgeState, runtime: Runtime[Context]) -> dict:
    """Ask again with the outputs swapped, so that a preference for a position shows as disagreement."""
    return await _compare(state, runtime, swapped=True)


async def decide_pair(state: JudgeState) -> dict:
    """Merge this run's judgments: agreement is a choice, disagreement a tie, a failure an error."""
    first = max(i for i, j in enumerate(state["judgments"]) if not j["swapped"])
    judgments = state["judgments"][first:]
    errors = [f"{'swapped' if j['swapped'] else 'given'} order: {j['error']}" for j in judgments if j["error"]]
    if errors:
        return {"verdict": Verdict(error="; ".join(errors))}
    consistent = len({j["better"] for j in judgments}) == 1
    reason = judgments[0]["reason"]
    if not consistent:
        reason = f"The choice changed with the order of the outputs, so it is a tie. In the given order: {reason}"
    better = judgments[0]["better"] if consistent else None
    return {"verdict": Verdict(reason=reason, better=better, consistent=consistent)}


def build_judge() -> StateGraph[Any, Context, Any, Any]:
    """Build the judge graph (uncompiled)."""
    builder = StateGraph(JudgeState, context_schema=RunContext, input_schema=JudgeInput, output_schema=JudgeOutput)
    builder.add_node(grade_output)
    builder.add_node(compare_outputs)
    builder.add_node(compare_swapped)
    builder.add_node(decide_pair)
    builder.add_conditional_edges(START, route_by_mode)
    builder.add_edge("grade_output", END)
    builder.add_conditional_edges("compare_outputs", route_after_compare)
    builder.add_edge("compare_swapped", "decide_pair")
    builder.add_edge("decide_pair", END)
    return builder
