"""Wikipedia over MCP: the search and summary tools of a `wikipedia-mcp` server (see `mcp_client`)."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from theoros_agents.errors import TheorosError
from theoros_agents.knowledge.linker import STOPWORDS, normalize
from theoros_agents.tools import mcp_client
from theoros_agents.tools.mcp_client import MCPError, MCPServer, open_session, wikipedia_shorthand

AGENT = "retriever"
SEARCH_TOOL, SUMMARY_TOOL = mcp_client.WIKIPEDIA_TOOLS
"""Tool names as `wikipedia-mcp` lists them: search_wikipedia(query, limit), get_summary(title)."""
ARTICLES = 2
"""Summaries fetched per question: the best film-looking result and a runner-up, both cached."""
SEARCH_LIMIT = 5
TIMEOUT = 45.0
"""Seconds for the whole exchange; a stdio server spends several of them starting up on a busy machine."""
ARTICLE_URL = "https://en.wikipedia.org/wiki/"
_MARKUP = re.compile(r"<[^>]+>")


class WikipediaUnavailable(TheorosError):
    """The Wikipedia MCP server could not be reached, or its tools failed or answered in an unknown shape."""


@dataclass(frozen=True)
class Article:
    """A Wikipedia article's summary as the MCP tool returned it."""

    title: str
    summary: str

    @property
    def url(self) -> str:
        """Return the article's address on English Wikipedia."""
        return ARTICLE_URL + quote(self.title.replace(" ", "_"), safe="()'!,:")


def search_terms(question: str) -> str:
    """Keep the words of a question that can name a film, and ask for films."""
    words = [w for w in normalize(question).split() if w not in STOPWORDS and w not in {"plot", "story", "tell"}]
    return " ".join([*words, "film"])


def _payload(tool: str, result: Any) -> dict[str, Any]:
    """Read a tool's JSON object from its text content blocks."""
    if isinstance(result, list):
        result = "".join(b.get("text", "") for b in result if isinstance(b, dict) and b.get("type") == "text")
    try:
        payload = json.loads(result) if isinstance(result, str) else result
    except json.JSONDecodeError:
        raise WikipediaUnavailable(f"tool {tool!r} answered {str(result)[:200]!r}, not a JSON object") from None
    if not isinstance(payload, dict):
        raise WikipediaUnavailable(f"tool {tool!r} answered {str(result)[:200]!r}, not a JSON object")
    return payload


def _titles(found: dict[str, Any]) -> list[str]:
    """Order search results: titles or snippets that say "film" first, else the server's order."""
    if found.get("status") == "error":
        raise WikipediaUnavailable(f"search failed: {found.get('message') or json.dumps(found)}")
    results = [r for r in found.get("results") or [] if isinstance(r, dict) and r.get("title")]
    films = [r for r in results if "film" in (str(r["title"]) + _MARKUP.sub("", str(r.get("snippet", "")))).lower()]
    return [str(r["title"]) for r in films + [r for r in results if r not in films]][:ARTICLES]


async def _fetch(server: MCPServer, query: str) -> list[Article]:
    # One session for every call: without it the client starts the server anew for each tool call.
    async with open_session(server, AGENT) as session:
        found = _payload(SEARCH_TOOL, (await session.call(SEARCH_TOOL, {"query": query, "limit": SEARCH_LIMIT})).text)
        articles, errors = [], []
        for title in _titles(found):
            page = _payload(SUMMARY_TOOL, (await session.call(SUMMARY_TOOL, {"title": title})).text)
            if page.get("summary"):
                articles.append(Article(str(page.get("title") or title), str(page["summary"]).strip()))
            else:
                errors.append(f"{title!r}: {page.get('error') or 'no summary'}")
        if errors and not articles:
            raise WikipediaUnavailable("no summary could be read: " + "; ".join(errors))
        return articles


async def fetch_articles(server: str | MCPServer, question: str) -> list[Article]:
    """Search Wikipedia for the film a question is about and read the best results' summaries.

    Args:
        server: The server whose allow-list gives the retriever both tools, or a `wikipedia_mcp` setting.
        question: The user's question.

    Returns:
        Up to `ARTICLES` articles, best first; empty when the search found nothing.

    Raises:
        ConfigError: When a `wikipedia_mcp` setting is malformed.
        WikipediaUnavailable: When the server cannot be started or reached, or a tool fails.
    """
    if isinstance(server, str):
        server = wikipedia_shorthand(server)
    kinds = (*mcp_client.failure_kinds(), WikipediaUnavailable)
    caught: tuple[type[BaseException], ...] = (*kinds, BaseExceptionGroup)
    try:
        return await asyncio.wait_for(_fetch(server, search_terms(question)), TIMEOUT)
    except caught as exc:
        cause = mcp_client.failure_cause(exc, kinds)
        if cause is None:
            raise
        if isinstance(cause, WikipediaUnavailable):
            # Raised inside the session, so the transport's task group may have wrapped it.
            raise WikipediaUnavailable(f"{server.describe()}: {cause}") from exc
        if isinstance(cause, MCPError):
            raise WikipediaUnavailable(str(cause)) from exc
        if isinstance(cause, TimeoutError):
            raise WikipediaUnavailable(f"{server.describe()} did not answer within {TIMEOUT:g} s") from exc
        raise WikipediaUnavailable(f"{server.describe()} failed: {cause!r}") from exc
