"""Tagger: assigns genres from the fixed label set to a synopsis, constrained to that set."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from pydantic import BaseModel, Field

from theoros_agents.agents.tagger.taxonomy import GENRES
from theoros_agents.context import Context, as_context
from theoros_agents.models import ask_structured, load_chat_model
from theoros_agents.prompts import messages
from theoros_agents.state import InputState, OutputState
from theoros_agents.usage import record

AGENT = "tagger"
Genre = Literal[tuple(GENRES)]  # type: ignore[valid-type]


class Tags(BaseModel):
    """Genres for one synopsis, from the allowed set only."""

    genres: list[Genre] = Field(min_length=1, max_length=3)  # type: ignore[valid-type]


async def tag_synopsis(state: InputState, runtime: Runtime[Context]) -> dict:
    """Ask the model for one to three genres; the schema keeps it inside the label set."""
    context = as_context(runtime.context)
    text = state["question"].strip()
    if not text:
        return {
            "answer": "There is no synopsis to tag.",
            "records": [record(AGENT, "tag_synopsis", error="empty synopsis")],
        }
    model_id = context.model_for(AGENT)
    prompt = messages(context.prompt_for(AGENT), labels=list(GENRES), text=text[:4000])
    reply = await ask_structured(load_chat_model(model_id, context.temperature), prompt, Tags)
    answer = (
        f"Genres: {', '.join(dict.fromkeys(reply.value.genres))}." if reply.value else "I could not tag that synopsis."
    )
    return {"answer": answer, "records": [record(AGENT, "tag_synopsis", model=model_id, reply=reply)]}


def build_tagger() -> StateGraph[Any, Context, Any, Any]:
    """Build the tagger graph (uncompiled)."""
    builder = StateGraph(OutputState, context_schema=Context, input_schema=InputState)
    builder.add_node(tag_synopsis)
    builder.add_edge(START, "tag_synopsis")
    builder.add_edge("tag_synopsis", END)
    return builder
