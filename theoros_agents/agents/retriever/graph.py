"""Retriever: answers plot questions from the synopses it can find, citing them."""

from __future__ import annotations

import re
import time
from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from theoros_agents.context import Context, as_context
from theoros_agents.knowledge.catalog import synopses
from theoros_agents.knowledge.linker import STOPWORDS, normalize
from theoros_agents.knowledge.stores import label_index
from theoros_agents.state import InputState, OutputState
from theoros_agents.usage import record

AGENT = "retriever"
_WORD = re.compile(r"[a-z]{3,}")


def _keyword_search(question: str, limit: int = 3) -> list[dict]:
    """Rank synopses by shared content words with the question."""
    words = {w for w in _WORD.findall(normalize(question)) if w not in STOPWORDS}
    scored = []
    for doc in synopses().values():
        overlap = len(words & set(_WORD.findall(normalize(doc["synopsis"] + " " + doc["title"]))))
        if overlap:
            scored.append((overlap, doc))
    scored.sort(key=lambda pair: -pair[0])
    return [doc for score, doc in scored[:limit] if score >= max(2, len(words) // 3)]


async def retrieve_plots(state: InputState, runtime: Runtime[Context]) -> dict:
    """Answer from the synopsis of the film the question names, else from the best keyword matches."""
    started = time.perf_counter()
    index = label_index(as_context(runtime.context))
    films = [c.entity for c in index.mentions(state["question"]) if c.entity.kind == "film"]
    docs = [synopses()[f.id] for f in films if f.id in synopses()][:1] or _keyword_search(state["question"])
    if docs:
        answer = " ".join(f"{d['title']} ({d['year']}): {d['synopsis']}" for d in docs[:1])
        if len(docs) > 1:
            answer += " Other matches: " + ", ".join(f"{d['title']} ({d['year']})" for d in docs[1:]) + "."
    else:
        answer = "I have no plot summary that answers that."
    sources = [{"kind": "synopsis", "title": f"{d['title']} ({d['year']})", "detail": "starter catalog"} for d in docs]
    elapsed = (time.perf_counter() - started) * 1000
    return {"answer": answer, "sources": sources, "records": [record(AGENT, "retrieve_plots", latency_ms=elapsed)]}


def build_retriever() -> StateGraph[Any, Context, Any, Any]:
    """Build the retriever graph (uncompiled)."""
    builder = StateGraph(OutputState, context_schema=Context, input_schema=InputState)
    builder.add_node(retrieve_plots)
    builder.add_edge(START, "retrieve_plots")
    builder.add_edge("retrieve_plots", END)
    return builder
