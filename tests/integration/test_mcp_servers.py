"""MCP servers declared in theoros.toml, against real servers: `wikipedia-mcp` over stdio, a FastMCP one over HTTP."""

import socket
import sys
from pathlib import Path

import pytest
from langgraph.runtime import Runtime

from tests.integration.conftest import _binary, free_port, serve
from theoros_agents.agents.retriever import wikipedia as fallback
from theoros_agents.context import resolve_context
from theoros_agents.tools.mcp_client import (
    ServerUnavailable,
    ToolFailed,
    ToolNotAllowed,
    list_tools,
    load_servers,
    open_session,
)
from theoros_agents.tools.wikipedia import fetch_articles

pytestmark = pytest.mark.integration

STUB = Path(__file__).with_name("wikipedia_stub.py")
QUESTION = "What is Zorblax and the Glass Orchard about?"


def _offline() -> None:
    """Skip when Wikipedia is reachable: these tests pin down what the server says offline."""
    try:
        socket.getaddrinfo("en.wikipedia.org", 443)
    except OSError:
        return
    pytest.skip("en.wikipedia.org resolves here; the offline behaviour cannot be observed")


def _declare(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "theoros.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def wikipedia_toml(tmp_path):
    """A theoros.toml declaring the real `wikipedia-mcp` over stdio, its search and summary allowed to the retriever."""
    command = _binary("wikipedia-mcp")
    return _declare(
        tmp_path,
        f'[mcp_servers.wikipedia]\ncommand = "{command}"\nargs = ["--transport", "stdio", "--log-level", "ERROR"]\n'
        'tools = { retriever = ["search_wikipedia", "get_summary"] }\n',
    )


async def test_real_wikipedia_mcp_over_stdio_lists_only_the_allowed_tools_and_searches(wikipedia_toml):
    _offline()
    server = load_servers(wikipedia_toml)["wikipedia"]
    async with open_session(server, "retriever") as session:
        assert sorted(session.tools) == ["get_summary", "search_wikipedia"]
        assert {"get_article", "search_wikipedia", "get_summary"} <= set(session.offered)
        assert len(session.offered) > 5
        found = (await session.call("search_wikipedia", {"query": "zorblax glass orchard film", "limit": 3})).json()
        assert found["status"] == "no_results" and found["results"] == []
        with pytest.raises(ToolNotAllowed, match="tool 'get_article' is not allowed for the retriever"):
            await session.call("get_article", {"title": "Jaws (film)"})


async def test_the_retriever_fallback_asks_the_declared_server(wikipedia_toml, tmp_path, monkeypatch):
    _offline()
    monkeypatch.setenv("THEOROS_CONFIG", str(wikipedia_toml))
    context = resolve_context({"home": str(tmp_path)}, environ={})
    update = await fallback.ask_wikipedia({"question": QUESTION}, Runtime(context=context))
    assert update["wikipedia"] == {"query": "zorblax glass orchard film", "error": "", "found": 0}
    assert update["hits"] == [] and update["records"][0]["error"] == ""


@pytest.fixture
def stub_over_http(tmp_path):
    """The FastMCP stand-in over streamable HTTP; yields its URL and its call log."""
    calls = tmp_path / "calls.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    with serve([sys.executable, str(STUB), str(calls), str(port)], url, "FastMCP stub"):
        yield url, calls


async def test_a_streamable_http_server_gets_its_headers_filters_tools_and_reports_a_failing_tool(
    stub_over_http, tmp_path
):
    url, calls = stub_over_http
    toml = _declare(
        tmp_path,
        f'[mcp_servers.stub]\nurl = "{url}"\nheaders = {{ Authorization = "Bearer ${{STUB_TOKEN}}" }}\n'
        'tools = { retriever = ["search_wikipedia", "get_summary"], judge = ["always_fails"] }\n',
    )
    server = load_servers(toml, environ={"STUB_TOKEN": "tok-42"})["stub"]
    assert await list_tools(server, "retriever") == ["get_summary", "search_wikipedia"]
    assert await list_tools(server, "judge") == ["always_fails"]
    assert await list_tools(server) == ["always_fails", "get_summary", "search_wikipedia"]
    async with open_session(server, "judge") as session:
        with pytest.raises(ToolFailed, match=r"^MCP server 'stub': tool 'always_fails' failed: .*quota exceeded"):
            await session.call("always_fails", {"reason": "quota exceeded"})
    articles = await fetch_articles(server, QUESTION)
    assert [a.title for a in articles] == ["Zorblax and the Glass Orchard (2031 film)"]
    assert calls.read_text().splitlines() == [
        "always_fails\tBearer tok-42",
        "search_wikipedia\tBearer tok-42",
        "get_summary\tBearer tok-42",
        "get_summary\tBearer tok-42",
    ]


async def test_an_unreachable_url_is_reported_with_the_server_name(tmp_path, unused_port):
    toml = _declare(tmp_path, f'[mcp_servers.far]\nurl = "http://127.0.0.1:{unused_port}/mcp"\n')
    with pytest.raises(ServerUnavailable, match=r"^MCP server 'far' failed: "):
        await list_tools(load_servers(toml)["far"])
