"""The retriever's Wikipedia fallback against real MCP servers: `wikipedia-mcp` offline, and a FastMCP stand-in."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from theoros_agents.agents.retriever import build_retriever
from theoros_agents.context import resolve_context
from theoros_agents.tools.wikipedia import fetch_articles

pytestmark = pytest.mark.integration

GRAPH = build_retriever().compile(name="retriever")
QUESTION = "What is Zorblax and the Glass Orchard about?"
STUB = Path(__file__).with_name("wikipedia_stub.py")


def _wikipedia_mcp() -> str:
    path = Path(sys.executable).parent / "wikipedia-mcp"
    found = str(path) if path.is_file() else shutil.which("wikipedia-mcp")
    if not found:
        message = "'wikipedia-mcp' not installed (pip install -e '.[dev]')"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return str(found)


def _offline() -> None:
    """Skip when Wikipedia is reachable: these tests pin down what the server says offline."""
    try:
        socket.getaddrinfo("en.wikipedia.org", 443)
    except OSError:
        return
    pytest.skip("en.wikipedia.org resolves here; the offline behaviour cannot be observed")


def _context(home, spec):
    return resolve_context({"home": str(home), "wikipedia_mcp": spec}, environ={})


async def test_real_wikipedia_mcp_offline_gives_a_graceful_nothing_found(own_home):
    _offline()
    spec = f"stdio:{_wikipedia_mcp()} --log-level ERROR"
    result = await GRAPH.ainvoke({"question": QUESTION}, context=_context(own_home, spec))
    assert result["answer"] == (
        "I know no film called 'Zorblax and the Glass Orchard' and have no plot summary of it, and Wikipedia found "
        "nothing for 'zorblax glass orchard film'."
    )
    assert result["sources"] == []


@pytest.fixture
def http_server():
    """`wikipedia-mcp` over streamable HTTP on a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = [_wikipedia_mcp(), "--transport", "streamable-http", "--port", str(port), "--log-level", "ERROR"]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url, timeout=2)
            break
        except httpx.HTTPError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"wikipedia-mcp did not answer at {url}")
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=20)


async def test_real_wikipedia_mcp_over_streamable_http_finds_nothing_offline(http_server):
    _offline()
    assert await fetch_articles(http_server, QUESTION) == []


async def test_a_fetched_article_is_answered_cited_and_served_locally_the_second_time(own_home, tmp_path):
    calls = tmp_path / "calls.log"
    spec = f"stdio:{sys.executable} {STUB} {calls}"
    first = await GRAPH.ainvoke({"question": QUESTION}, context=_context(own_home, spec))
    assert first["answer"].startswith("From Wikipedia (no stored plot matched), Zorblax and the Glass Orchard (2031):")
    assert "shy beekeeper" in first["answer"]
    assert [(s["agent"], s["kind"], s["title"], s["detail"]) for s in first["sources"]] == [
        ("retriever", "plot", "Zorblax and the Glass Orchard (2031)", "wikipedia")
    ]
    assert "shy beekeeper" in first["sources"][0]["evidence"]
    # The surname page has no summary; the film page does.
    assert calls.read_text().split() == ["search_wikipedia", "get_summary", "get_summary"]
    again = await GRAPH.ainvoke({"question": QUESTION}, context=_context(own_home, spec))
    # Now stored, the film the question names is answered as itself.
    assert again["answer"].startswith("Zorblax and the Glass Orchard (2031): ")
    assert again["sources"][0]["detail"] == "wikipedia"
    assert calls.read_text().split() == ["search_wikipedia", "get_summary", "get_summary"]
