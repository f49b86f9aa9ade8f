"""The MCP server's tools, called in-process through the SDK's memory transport (no network)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from mcp.shared.memory import create_connected_server_and_client_session
from starlette.testclient import TestClient

from tests.fakes import scripted
from theoros_agents.agents.judge.state import JudgeInput
from theoros_agents.agents.registry import get_agent
from theoros_agents.cli import build_parser
from theoros_agents.tools.mcp_command import DEFAULT_PORT
from theoros_agents.tools.mcp_server import AGENT_TOOLS, build_server
from theoros_agents.tools.mcp_transport import allowed_hosts, http_app, transport_security

TOOLS = {"ask", "sparql", "search_plots", "tag", "judge"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLASHER = "A masked killer stalks the teenage counsellors of a summer camp and murders them one by one."


@pytest.fixture
def server(own_home, monkeypatch):
    """A server whose configuration (THEOROS_HOME) names a copy of the starter stores."""
    monkeypatch.setenv("THEOROS_HOME", str(own_home))
    return build_server()


async def call(server, tool, arguments, **session):
    async with create_connected_server_and_client_session(server, **session) as client:
        return await client.call_tool(tool, arguments)


def error_text(found):
    assert found.isError, found
    return found.content[0].text


async def test_every_tool_is_listed_with_described_inputs_and_an_output_schema(server):
    async with create_connected_server_and_client_session(server) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description and tool.outputSchema and tool.title
        properties = tool.inputSchema["properties"]
        assert all(p.get("description") for p in properties.values()), tool.name
        assert "ctx" not in properties
    assert tools["tag"].inputSchema["required"] == ["question"]
    assert set(tools["tag"].inputSchema["properties"]) == {"question", "settings"}


async def test_agent_tools_take_their_description_and_fields_from_the_registry(server):
    tools = {tool.name: tool for tool in await server.list_tools()}
    for agent_tool in AGENT_TOOLS:
        assert tools[agent_tool.name].description == get_agent(agent_tool.agent).description
    assert set(tools["judge"].inputSchema["properties"]) == set(JudgeInput.__annotations__) | {"settings"}
    # A field's docstring in the agent's input schema becomes its description.
    description = tools["judge"].inputSchema["properties"]["description"]["description"]
    assert description == "The one-line description the subgenre must fit."


async def test_sparql_selects_and_asks(server):
    counted = await call(server, "sparql", {"query": COUNT})
    assert not counted.isError and counted.structuredContent["form"] == "SELECT"
    assert int(counted.structuredContent["rows"][0]["n"]) > 1000
    directors = await call(server, "sparql", {"query": "SELECT ?d WHERE { wd:Q189505 wdt:P57 ?d }", "limit": 5})
    assert directors.structuredContent["rows"] == [{"d": "http://www.wikidata.org/entity/Q8877"}]
    assert directors.content[0].text == "1 row"
    asked = await call(server, "sparql", {"query": "ASK { wd:Q189505 wdt:P57 wd:Q8877 }"})
    assert asked.structuredContent["boolean"] is True and asked.content[0].text == "ASK: true"


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { wd:Q189505 wdt:P57 wd:Q1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "PREFIX ex: <http://example.org/> INSERT { ?s ex:p 1 } WHERE { ?s ?p ?o }",
    ],
)
async def test_sparql_refuses_an_update_and_the_store_is_unchanged(server, query):
    before = (await call(server, "sparql", {"query": COUNT})).structuredContent["rows"]
    assert "refused" in error_text(await call(server, "sparql", {"query": query}))
    assert (await call(server, "sparql", {"query": COUNT})).structuredContent["rows"] == before


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "only SELECT and ASK"),
        ("SELECT ?x WHERE { ?x", "syntax error"),
    ],
)
async def test_sparql_refuses_other_forms_and_bad_syntax(server, query, message):
    assert message in error_text(await call(server, "sparql", {"query": query}))


async def test_search_plots_finds_the_film_and_honours_a_filter(server):
    found = await call(server, "search_plots", {"query": "a great white shark kills swimmers off a resort island"})
    assert not found.isError and found.structuredContent["hits"][0]["title"] == "Jaws"
    assert found.content[0].text.startswith("5 passages: Jaws (1975)")
    where = {"year": {"$gte": 2000}}
    recent = await call(server, "search_plots", {"query": "a shark", "k": 3, "where": where, "ranker": "vector"})
    hits = recent.structuredContent["hits"]
    assert len(hits) == 3 and all(hit["year"] >= 2000 for hit in hits)


async def test_search_plots_reports_a_bad_filter_and_bad_arguments(server):
    bad = await call(server, "search_plots", {"query": "a shark", "where": {"year": {"$near": 1975}}})
    assert "unknown filter operator '$near'" in error_text(bad)
    assert "less than or equal to 50" in error_text(await call(server, "search_plots", {"query": "x", "k": 500}))


async def test_tag_returns_tags_from_the_label_set(server):
    tagged = await call(server, "tag", {"question": SLASHER, "settings": {"tagger_strategy": "embedding"}})
    assert not tagged.isError, tagged.content
    (finding,) = tagged.structuredContent["findings"]
    labels = {tag["label"] for tag in finding["result"]["tags"]}
    assert "slasher film" in labels and tagged.content[0].text.startswith("Genres: horror")


async def test_judge_grades_and_compares_with_the_model_a_call_names(server):
    model, _ = scripted('{"reason": "It names the right director.", "score": 5}')
    graded = await call(
        server,
        "judge",
        {
            "question": "Who directed Jaws?",
            "answer": "Steven Spielberg.",
            "settings": {"judge_model": model, "judge_strategy": "reason"},
        },
    )
    assert graded.structuredContent["verdict"] == {
        "rubric": "answer",
        "reason": "It names the right director.",
        "score": 5,
    }
    assert graded.content[0].text == "Score 5/5. It names the right director."
    model, _ = scripted('{"reason": "Jaws is about a shark.", "better": 1}', '{"reason": "Jaws.", "better": 2}')
    pair = {
        "instruction": "Name a shark film.",
        "output_1": "Jaws",
        "output_2": "Bambi",
        "settings": {"judge_model": model, "judge_strategy": "reason"},
    }
    compared = await call(server, "judge", pair)
    assert compared.structuredContent["verdict"]["better"] == 1 and compared.content[0].text.startswith("Output 1")


async def test_judge_reports_missing_fields_and_an_unusable_reply(server):
    assert "needs text in question, answer" in error_text(await call(server, "judge", {"rubric": "answer"}))
    model, _ = scripted("not json at all")
    failed = await call(
        server,
        "judge",
        {"question": "q", "answer": "a", "settings": {"judge_model": model, "judge_strategy": "reason"}},
    )
    assert not failed.isError and set(failed.structuredContent["verdict"]) == {"error"}
    assert failed.content[0].text.startswith("No verdict: ")


async def test_ask_answers_with_intents_sources_and_records(server):
    asked = await call(server, "ask", {"question": "Who directed Jaws?"})
    assert not asked.isError, asked.content
    assert asked.content[0].text == "Jaws (1975) was directed by Steven Spielberg."
    answer = asked.structuredContent
    assert answer["intents"] == ["fact"] and "wdt:P57" in answer["sparql"][0]
    assert answer["records"] and answer["sources"]


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("ask", {"question": "Who directed Jaws?"}),
        ("tag", {"question": SLASHER}),
        ("judge", {"question": "q", "answer": "a"}),
    ],
)
@pytest.mark.parametrize(
    ("setting", "value"),
    [("home", "/x"), ("sparql_endpoint", "http://127.0.0.1:9/sparql"), ("tagger_classifier", "/etc/passwd")],
)
async def test_a_call_cannot_change_server_configuration(server, tool, arguments, setting, value):
    refused = await call(server, tool, arguments | {"settings": {setting: value}})
    assert repr(setting) in error_text(refused)


async def test_a_call_cannot_start_a_process(server, tmp_path):
    marker = tmp_path / "started"
    settings = {"wikipedia_mcp": f"stdio:touch {marker}"}
    refused = await call(server, "ask", {"question": "What is Zorblax about?", "settings": settings})
    assert "'wikipedia_mcp'" in error_text(refused) and not marker.exists()


async def test_logging_set_level_filters_what_a_session_is_sent(server):
    received = []

    async def collect(params):
        received.append((params.level, params.data))

    async with create_connected_server_and_client_session(server, logging_callback=collect) as client:
        await client.call_tool("sparql", {"query": COUNT})
        await client.call_tool("tag", {"question": SLASHER, "settings": {"tagger_strategy": "embedding"}})
        assert received == []  # the default level is warning, and nothing went wrong
        await client.set_logging_level("debug")
        await client.call_tool("tag", {"question": SLASHER, "settings": {"tagger_strategy": "embedding"}})
        assert received and all(level == "debug" for level, _ in received)
        assert any(data.startswith("tagger.score_labels: ") for _, data in received)
        received.clear()
        await client.set_logging_level("error")
        await client.call_tool("tag", {"question": SLASHER, "settings": {"tagger_strategy": "embedding"}})
    assert received == []


def test_allowed_hosts_follow_the_bound_address():
    assert allowed_hosts("127.0.0.1", 8765) == ["127.0.0.1:8765", "localhost:8765", "[::1]:8765"]
    assert allowed_hosts("0.0.0.0", 80, ["theoros-mcp", "mcp.example.org:443"]) == [
        "127.0.0.1:80",
        "localhost:80",
        "[::1]:80",
        "theoros-mcp:80",
        "mcp.example.org:443",
    ]
    assert allowed_hosts("192.168.1.5", 9000) == ["192.168.1.5:9000"]
    security = transport_security("127.0.0.1", 8765)
    assert security.enable_dns_rebinding_protection and "http://localhost:8765" in security.allowed_origins


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}},
}
ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def _post(client, **headers):
    return client.post("/mcp", content=json.dumps(INITIALIZE), headers=ACCEPT | headers)


def test_http_refuses_a_foreign_host_or_origin_and_a_missing_token(own_home, monkeypatch):
    monkeypatch.setenv("THEOROS_HOME", str(own_home))
    app = http_app(build_server(transport_security("127.0.0.1", 8765)), token="s3cret")
    good = {"Host": "127.0.0.1:8765", "Authorization": "Bearer s3cret"}
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        assert _post(client, Host="127.0.0.1:8765").status_code == 401
        assert _post(client, Host="127.0.0.1:8765", Authorization="Bearer wrong").status_code == 401
        assert _post(client, **good).status_code == 200
        assert _post(client, **(good | {"Host": "evil.example.com"})).status_code == 421
        assert _post(client, **(good | {"Origin": "http://evil.example.com"})).status_code == 403
        assert _post(client, **(good | {"Origin": "http://localhost:8765"})).status_code == 200


def test_the_documented_client_configurations_match_the_server():
    docs = Path(__file__).resolve().parents[2] / "docs"
    librechat = yaml.safe_load((docs / "librechat.yaml").read_text(encoding="utf-8"))
    servers = librechat["mcpServers"]
    stdio = servers["theoros"]
    assert stdio["type"] == "stdio" and stdio["command"] == "theoros"
    assert build_parser().parse_args(stdio["args"]).transport == "stdio"
    http = servers["theoros-http"]
    url = urlparse(http["url"])
    assert http["type"] == "streamable-http" and url.path == "/mcp" and url.port == DEFAULT_PORT
    assert http["headers"]["Authorization"] == "Bearer ${THEOROS_MCP_TOKEN}"
    # LibreChat exempts private addresses from its SSRF block only as host:port.
    assert librechat["mcpSettings"]["allowedAddresses"] == [f"{url.hostname}:{url.port}"]
    # The documented HTTP command accepts the host name LibreChat uses.
    lines = (docs / "librechat.md").read_text(encoding="utf-8").splitlines()
    (command,) = [line for line in lines if line.startswith("THEOROS_MCP_TOKEN=")]
    served = build_parser().parse_args(shlex.split(command)[2:])
    assert served.port == url.port and allowed_hosts(served.host, served.port, served.allow_host)[-1] == url.netloc
    (ollama,) = librechat["endpoints"]["custom"]
    assert ollama["name"].lower().startswith("ollama") and ollama["baseURL"].endswith("/v1/")
    claude = json.loads((docs / "claude_desktop_config.json").read_text(encoding="utf-8"))
    assert claude["mcpServers"]["theoros"]["args"] == ["mcp"]
