"""The retriever's fallback: ask a Wikipedia MCP tool about a film the plot store lacks, and keep what it fetched."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from langgraph.runtime import Runtime

from theoros_agents.agents.retriever.named import same_title
from theoros_agents.context import Context, as_context
from theoros_agents.knowledge.documents import PlotDocument, passages
from theoros_agents.knowledge.stores import label_index, plot_store
from theoros_agents.knowledge.wikipedia import film_year
from theoros_agents.state import SpecialistInput
from theoros_agents.tools.mcp_client import WIKIPEDIA_TOOLS, MCPServer, load_servers, server_with
from theoros_agents.tools.wikipedia import Article, WikipediaUnavailable, fetch_articles, search_terms
from theoros_agents.usage import record

AGENT = "retriever"
SOURCE = "wikipedia"
_FILM_SUFFIX = re.compile(r"\s*\((?:\d{4} )?(?:[\w ]+ )?film\)$")


def wikipedia_server(context: Context) -> str | MCPServer | None:
    """Return the server the Wikipedia fallback asks; None when there is none.

    The `wikipedia_mcp` setting when set, else the `[mcp_servers.*]` declaration whose allow-list gives the
    retriever `search_wikipedia` and `get_summary`.

    Raises:
        ConfigError: When the declarations are malformed or ambiguous.
    """
    if context.wikipedia_mcp:
        return str(context.wikipedia_mcp)
    return server_with(AGENT, WIKIPEDIA_TOOLS, load_servers())


def fallback_configured(context: Context) -> bool:
    """Whether a Wikipedia MCP server is configured for the retriever's fallback."""
    return wikipedia_server(context) is not None


def documents(articles: list[Article], index: Any) -> list[PlotDocument]:
    """Turn fetched articles into plot documents with stable ids, linked to graph ids when the title is known."""
    # The plot loader imports Chroma: only a fallback that fetched something needs it.
    from theoros_agents.knowledge.plot_loader import film_qid

    docs = []
    for article in articles:
        title = _FILM_SUFFIX.sub("", article.title).strip() or article.title
        year = film_year(article.title, article.summary)
        qid = film_qid(index, title, year) if index is not None else ""
        docs.append(PlotDocument(SOURCE, title, year, article.summary, qid=qid, url=article.url))
    return docs


def cache_articles(context: Context, articles: list[Article]) -> list[dict[str, Any]]:
    """Store the articles in the plot store (so the next ask is served locally); return them as hits, best first."""
    from theoros_agents.knowledge.plot_loader import load_documents

    docs = documents(articles, label_index(context))
    load_documents(plot_store(context), docs, label="wikipedia")
    hits: list[dict[str, Any]] = []
    for doc in docs:
        first = passages(doc)[0]
        hits.append(
            {
                "id": first.id,
                "title": doc.title,
                "year": doc.year,
                "text": first.text,
                "score": 0.0,
                "ranks": {},
                "qid": doc.qid,
                "source": SOURCE,
                "film_id": doc.film_id,
            }
        )
    return hits


def _of_film(article: Article, title: str, year: int | None) -> bool:
    """Whether an article is of the film asked about: its title, and its year when the question gave one."""
    same = same_title(title, _FILM_SUFFIX.sub("", article.title))
    return same and (year is None or film_year(article.title, article.summary) in (None, year))


class FallbackInput(SpecialistInput, total=False):
    """The question, and the film it names when the plot store has none of it."""

    missing: dict[str, Any]


async def ask_wikipedia(state: FallbackInput, runtime: Runtime[Context]) -> dict:
    """Fetch the question's film from the configured Wikipedia MCP server and cache it; report a failing tool.

    A question naming a film keeps only articles of that title (and year, when it gives one): another film's plot
    is no answer to it.
    """
    started = time.perf_counter()
    context = as_context(runtime.context)
    error = ""
    hits: list[dict[str, Any]] = []
    try:
        server = wikipedia_server(context)
        if server is None:
            raise WikipediaUnavailable("no MCP server gives the retriever search_wikipedia and get_summary")
        articles = await fetch_articles(server, state["question"])
        missing = state.get("missing") or {}
        if missing.get("title"):
            articles = [a for a in articles if _of_film(a, missing["title"], missing.get("year"))]
    except WikipediaUnavailable as exc:
        error = str(exc)
    else:
        # Embedding and rebuilding the BM25 index block: keep them off the event loop.
        hits = await asyncio.to_thread(cache_articles, context, articles) if articles else []
    asked = {"query": search_terms(state["question"]), "error": error, "found": len(hits)}
    elapsed = (time.perf_counter() - started) * 1000
    return {
        "hits": hits,
        "wikipedia": asked,
        "records": [record(AGENT, "ask_wikipedia", latency_ms=elapsed, error=error)],
    }
