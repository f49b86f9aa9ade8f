"""Judge: rates an answer 1-5 against a rubric, reason first, then score."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from pydantic import BaseModel
from typing_extensions import TypedDict

from theoros_agents.context import Context, as_context
from theoros_agents.models import ask_structured, load_chat_model
from theoros_agents.prompts import messages
from theoros_agents.usage import record

AGENT = "judge"


class Verdict(BaseModel):
    """A grade: the reason comes first so the score follows from it."""

    reason: str
    score: Literal[1, 2, 3, 4, 5]


class JudgeInput(TypedDict):
    """What the judge grades."""

    question: str
    answer: str
    facts: str


class JudgeState(JudgeInput, total=False):
    """Judge input plus its verdict."""

    verdict: dict
    records: list


async def grade_answer(state: JudgeState, runtime: Runtime[Context]) -> dict:
    """Grade once; a model that gives no valid verdict is reported as such, never scored."""
    context = as_context(runtime.context)
    model_id = context.model_for(AGENT)
    prompt = messages(
        context.prompt_for(AGENT), question=state["question"], answer=state["answer"], facts=state.get("facts", "")
    )
    reply = await ask_structured(load_chat_model(model_id, context.temperature), prompt, Verdict)
    verdict = {"reason": reply.value.reason, "score": reply.value.score} if reply.value else {"error": reply.error}
    return {"verdict": verdict, "records": [record(AGENT, "grade_answer", model=model_id, reply=reply)]}


def build_judge() -> StateGraph[Any, Context, Any, Any]:
    """Build the judge graph (uncompiled)."""
    builder = StateGraph(JudgeState, context_schema=Context, input_schema=JudgeInput)
    builder.add_node(grade_answer)
    builder.add_edge(START, "grade_answer")
    builder.add_edge("grade_answer", END)
    return builder
