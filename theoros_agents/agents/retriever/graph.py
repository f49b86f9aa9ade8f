"""Retriever: plot and find-a-film questions answered from the plot store, citing the documents used."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from theoros_agents.agents.retriever.filters import parse_filters, to_where
from theoros_agents.agents.retriever.wikipedia import ask_wikipedia
from theoros_agents.context import Context, as_context
from theoros_agents.knowledge.stores import label_index, plot_store
from theoros_agents.state import InputState, OutputState
from theoros_agents.usage import record

AGENT = "retriever"
K = 8
MIN_SIMILARITY = 0.3
"""Below this cosine similarity the best vector hit is not about the question (measured on MiniLM)."""


class RetrieverState(OutputState, total=False):
    """Question in; filters, hits and a cited answer out."""

    film: dict[str, Any]
    filters: dict[str, Any]
    hits: list[dict[str, Any]]
    relaxed: bool
    fallback: bool
    """Whether nothing relevant is stored and a Wikipedia MCP server is configured to ask instead."""
    wikipedia: dict[str, Any]
    """What the Wikipedia fallback did: {"query", "found", "error"}; absent when it was not asked."""


def _hit_dict(hit: Any) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "year": hit.year,
        "text": hit.text,
        "score": hit.score,
        "ranks": hit.ranks,
        "qid": hit.metadata.get("qid", ""),
        "source": hit.metadata.get("source", ""),
        "film_id": hit.metadata.get("film_id", hit.id),
    }


def _search(context: Context, question: str, film: dict[str, Any] | None, filters: dict[str, Any]) -> tuple[list, bool]:
    """Search with the film or filters; when they leave nothing, search again without them.

    Returns:
        The hits (empty when even the best one is unrelated) and whether the filters were dropped.
    """
    store = plot_store(context)
    if film:
        hits = store.search(question, K, {"qid": {"$eq": film["id"]}})
        if hits:
            return hits, False
    rankers = {"hybrid": store.search, "bm25": store.bm25_search, "vector": store.vector_search}
    ranker = rankers[context.retriever_ranker]
    where, relaxed = to_where(filters), False
    hits = ranker(question, K, where)
    if not hits and where is not None:
        where, relaxed = None, True
        hits = ranker(question, K, None)
    closest = store.vector_search(question, 1, where)
    if not closest or closest[0].score < MIN_SIMILARITY:
        return [], relaxed
    return hits, relaxed


async def search_plots(state: RetrieverState, runtime: Runtime[Context]) -> dict:
    """Find passages: the named film's own, else hybrid search under the question's filters."""
    started = time.perf_counter()
    context = as_context(runtime.context)
    index = await asyncio.to_thread(label_index, context)
    named = next((c.entity for c in index.mentions(state["question"]) if c.entity.kind == "film"), None)
    film = {"id": named.id, "label": named.label} if named else None
    filters = parse_filters(state["question"])
    # Opening Chroma, embedding the query and BM25 all block: keep them off the event loop.
    hits, relaxed = await asyncio.to_thread(_search, context, state["question"], film, filters)
    elapsed = (time.perf_counter() - started) * 1000
    return {
        "film": film or {},
        "filters": filters,
        "hits": [_hit_dict(h) for h in hits],
        "relaxed": relaxed,
        "fallback": not hits and bool(context.wikipedia_mcp),
        "records": [record(AGENT, "search_plots", latency_ms=elapsed)],
    }


def route_after_search(state: RetrieverState) -> Literal["ask_wikipedia", "answer_from_plots"]:
    """Ask Wikipedia only when nothing relevant is stored and a server is configured."""
    return "ask_wikipedia" if state.get("fallback") else "answer_from_plots"


def _by_film(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the best passage of each film, in rank order."""
    seen: dict[str, dict[str, Any]] = {}
    for hit in hits:
        seen.setdefault(hit["film_id"], hit)
    return list(seen.values())


async def answer_from_plots(state: RetrieverState, runtime: Runtime[Context]) -> dict:
    """Answer from the best passages and cite them; say so when nothing relevant is stored."""
    films = _by_film(state.get("hits", []))
    asked = state.get("wikipedia")
    if not films:
        return {"answer": _nothing_found(asked), "sources": []}
    best, others = films[0], films[1:4]
    name = f"{best['title']} ({best['year']})" if best["year"] else best["title"]
    text = best["text"].split(": ", 1)[-1]
    answer = f"{name}: {text}" if state.get("film") else f"The best match is {name}: {text}"
    if asked:
        answer = f"From Wikipedia (no stored plot matched), {name}: {text}"
    if others and not state.get("film"):
        answer += " Other candidates: " + ", ".join(f"{h['title']} ({h['year']})" for h in others) + "."
    if state.get("relaxed"):
        answer += " (Nothing matched every filter in the question, so these ignore them.)"
    sources = [{"kind": "plot", "title": f"{h['title']} ({h['year']})", "detail": h["source"]} for h in [best, *others]]
    return {"answer": answer, "sources": sources}


def _nothing_found(asked: dict[str, Any] | None) -> str:
    """Say that nothing answers, and what asking Wikipedia gave when it was asked."""
    if asked and asked["error"]:
        return f"I have no plot summary that answers that, and Wikipedia could not be asked: {asked['error']}"
    if asked:
        return f"I have no plot summary that answers that, and Wikipedia found nothing for {asked['query']!r}."
    return "I have no plot summary that answers that."


def build_retriever() -> StateGraph[Any, Context, Any, Any]:
    """Build the retriever graph (uncompiled)."""
    builder = StateGraph(RetrieverState, context_schema=Context, input_schema=InputState, output_schema=OutputState)
    builder.add_node(search_plots)
    builder.add_node(ask_wikipedia)
    builder.add_node(answer_from_plots)
    builder.add_edge(START, "search_plots")
    builder.add_conditional_edges("search_plots", route_after_search, ["ask_wikipedia", "answer_from_plots"])
    builder.add_edge("ask_wikipedia", "answer_from_plots")
    builder.add_edge("answer_from_plots", END)
    return builder
