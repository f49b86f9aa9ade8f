"""Wikipedia over MCP: the search and summary tools of a `wikipedia-mcp` server, over stdio or streamable HTTP."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import anyio
import httpx

from theoros_agents.errors import ConfigError, TheorosError
from theoros_agents.knowledge.linker import STOPWORDS, normalize

SERVER = "wikipedia"
SEARCH_TOOL, SUMMARY_TOOL = "search_wikipedia", "get_summary"
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


def connection(spec: str) -> dict[str, Any]:
    """Turn a `wikipedia_mcp` setting into a langchain-mcp-adapters connection.

    Args:
        spec: "stdio:<command> [args…]" (split like a shell line) or an http(s) streamable-HTTP URL.

    Raises:
        ConfigError: When the setting is neither.
    """
    if spec.startswith("stdio:"):
        argv = shlex.split(spec.removeprefix("stdio:"))
        if not argv:
            raise ConfigError(f"wikipedia_mcp {spec!r} names no command; use 'stdio:wikipedia-mcp'")
        return {"transport": "stdio", "command": argv[0], "args": argv[1:]}
    if re.match(r"https?://[^/\s]+", spec):
        return {"transport": "streamable_http", "url": spec}
    raise ConfigError(f"wikipedia_mcp must be 'stdio:<command>' or an http(s) URL, got {spec!r}")


def search_terms(question: str) -> str:
    """Keep the words of a question that can name a film, and ask for films."""
    words = [w for w in normalize(question).split() if w not in STOPWORDS and w not in {"plot", "story", "tell"}]
    return " ".join([*words, "film"])


# What a broken server, a dead connection or a failing tool raises through the MCP client.
FAILURES: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    httpx.HTTPError,
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
    anyio.EndOfStream,
)


def _failures() -> tuple[type[BaseException], ...]:
    from langchain_core.tools import ToolException
    from mcp.shared.exceptions import McpError

    return (*FAILURES, McpError, ToolException)


def _cause(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    """Return the failure an exception carries (the first one of a task group's), None when it is a bug."""
    if isinstance(exc, BaseExceptionGroup):
        matched, rest = exc.split(kinds)
        if matched is None or rest is not None:
            return None
        first: BaseException = matched
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        return first
    return exc if isinstance(exc, kinds) else None


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


async def _fetch(spec: str, query: str) -> list[Article]:
    from langchain_mcp_adapters.client import MultiServerMCPClient
    from langchain_mcp_adapters.tools import load_mcp_tools

    client = MultiServerMCPClient({SERVER: connection(spec)})  # type: ignore[dict-item]
    # One session for every call: without it the client starts the server anew for each tool call.
    async with client.session(SERVER) as session:
        tools = {tool.name: tool for tool in await load_mcp_tools(session)}
        missing = [name for name in (SEARCH_TOOL, SUMMARY_TOOL) if name not in tools]
        if missing:
            raise WikipediaUnavailable(f"the server offers no tool {missing[0]!r}; it has {sorted(tools)}")
        found = _payload(SEARCH_TOOL, await tools[SEARCH_TOOL].ainvoke({"query": query, "limit": SEARCH_LIMIT}))
        articles, errors = [], []
        for title in _titles(found):
            page = _payload(SUMMARY_TOOL, await tools[SUMMARY_TOOL].ainvoke({"title": title}))
            if page.get("summary"):
                articles.append(Article(str(page.get("title") or title), str(page["summary"]).strip()))
            else:
                errors.append(f"{title!r}: {page.get('error') or 'no summary'}")
        if errors and not articles:
            raise WikipediaUnavailable("no summary could be read: " + "; ".join(errors))
        return articles


async def fetch_articles(spec: str, question: str) -> list[Article]:
    """Search Wikipedia for the film a question is about and read the best results' summaries.

    Args:
        spec: The `wikipedia_mcp` setting naming the server.
        question: The user's question.

    Returns:
        Up to `ARTICLES` articles, best first; empty when the search found nothing.

    Raises:
        ConfigError: When `spec` is malformed.
        WikipediaUnavailable: When the server cannot be started or reached, or a tool fails.
    """
    kinds = (*_failures(), WikipediaUnavailable)
    caught: tuple[type[BaseException], ...] = (*kinds, BaseExceptionGroup)
    try:
        return await asyncio.wait_for(_fetch(spec, search_terms(question)), TIMEOUT)
    except caught as exc:
        cause = _cause(exc, kinds)
        if cause is None:
            raise
        if isinstance(cause, WikipediaUnavailable):
            # Raised inside the session, so the transport's task group may have wrapped it.
            raise WikipediaUnavailable(f"Wikipedia MCP server {spec!r}: {cause}") from exc
        if isinstance(cause, TimeoutError):
            raise WikipediaUnavailable(f"Wikipedia MCP server {spec!r} did not answer within {TIMEOUT:g} s") from exc
        raise WikipediaUnavailable(f"Wikipedia MCP server {spec!r} failed: {cause!r}") from exc
