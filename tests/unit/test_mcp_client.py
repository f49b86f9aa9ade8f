"""MCP servers declared in theoros.toml: parsing, allow-lists, the Wikipedia shorthand, failures reported by name."""

import re
import sys
from datetime import timedelta

import pytest
from langgraph.runtime import Runtime

from theoros_agents.agents.retriever import wikipedia as fallback
from theoros_agents.context import resolve_context
from theoros_agents.errors import ConfigError
from theoros_agents.tools import mcp_client
from theoros_agents.tools.mcp_client import MCPServer, ServerUnavailable, load_servers, server_with, servers_for

TOML = """
temperature = 0.0

[mcp_servers.wikipedia]
command = "wikipedia-mcp"
args = ["--transport", "stdio", "--language", "${WIKI_LANG}"]
tools = { retriever = ["search_wikipedia", "get_summary"] }

[mcp_servers.other]
url = "http://127.0.0.1:8765/mcp"
headers = { Authorization = "Bearer ${OTHER_TOKEN}" }
timeout = 5
tools = { tagger = ["lookup"], judge = ["lookup", "grade"] }

[mcp_servers.idle]
command = "idle-mcp"
"""


def _write(tmp_path, text):
    path = tmp_path / "theoros.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path, text, **environ):
    return load_servers(_write(tmp_path, text), environ=environ)


def test_declarations_are_read_in_order_with_variables_expanded(tmp_path):
    servers = _load(tmp_path, TOML, WIKI_LANG="en", OTHER_TOKEN="s3cret")
    assert list(servers) == ["wikipedia", "other", "idle"]
    wiki, other, idle = servers.values()
    assert (wiki.transport, wiki.command, wiki.args) == (
        "stdio",
        "wikipedia-mcp",
        ("--transport", "stdio", "--language", "en"),
    )
    assert wiki.connection() == {
        "transport": "stdio",
        "command": "wikipedia-mcp",
        "args": ["--transport", "stdio", "--language", "en"],
        "session_kwargs": {"read_timeout_seconds": timedelta(seconds=30)},
    }
    assert other.connection() == {
        "transport": "streamable_http",
        "url": "http://127.0.0.1:8765/mcp",
        "headers": {"Authorization": "Bearer s3cret"},
        "timeout": timedelta(seconds=5),
        "session_kwargs": {"read_timeout_seconds": timedelta(seconds=5)},
    }
    assert idle.tools == {} and idle.allowed("retriever") == ()


def test_allow_lists_give_each_agent_only_its_tools(tmp_path):
    servers = _load(tmp_path, TOML, WIKI_LANG="en", OTHER_TOKEN="t")
    assert servers["wikipedia"].allowed("retriever") == ("search_wikipedia", "get_summary")
    assert servers["wikipedia"].allowed("tagger") == ()
    assert servers["other"].allowed("judge") == ("lookup", "grade")
    assert [s.name for s in servers_for("retriever", servers)] == ["wikipedia"]
    assert [s.name for s in servers_for("judge", servers)] == ["other"]
    assert servers_for("query_writer", servers) == []


def test_a_declared_env_adds_to_the_safe_default_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_NOT_FOR_CHILDREN", "x")
    server = _load(tmp_path, '[mcp_servers.a]\ncommand = "a"\nenv = { MODE = "offline" }\ncwd = "/tmp"\n')["a"]
    connection = server.connection()
    assert connection["env"]["MODE"] == "offline" and "PATH" in connection["env"]
    assert "SECRET_NOT_FOR_CHILDREN" not in connection["env"] and connection["cwd"] == "/tmp"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[mcp_servers.a]\ncommand = "x"\nport = 1\n', "mcp_servers.a: unknown key 'port'; keys are"),
        ('[mcp_servers.a]\ncommand = "x"\nurl = "http://h/mcp"\n', "mcp_servers.a needs either 'command'"),
        ("[mcp_servers.a]\ntools = {}\n", "mcp_servers.a needs either 'command'"),
        ('[mcp_servers.a]\ncommand = ""\n', "mcp_servers.a.command is empty"),
        ('[mcp_servers.a]\ncommand = "x"\nargs = "--stdio"\n', "mcp_servers.a.args must be a list of text"),
        ('[mcp_servers.a]\ncommand = "x"\nargs = [1]\n', "mcp_servers.a.args[0] must be text, got 1"),
        ('[mcp_servers.a]\ncommand = "x"\nheaders = { A = "b" }\n', "mcp_servers.a.headers is for a 'url' server"),
        ('[mcp_servers.a]\nurl = "http://h/mcp"\nargs = []\n', "mcp_servers.a.args is for a 'command' server"),
        ('[mcp_servers.a]\nurl = "ftp://h/mcp"\n', "mcp_servers.a.url must be an http(s) URL, got 'ftp://h/mcp'"),
        ('[mcp_servers.a]\nurl = "http://h/mcp"\nheaders = { A = 1 }\n', "mcp_servers.a.headers.A must be text"),
        ('[mcp_servers.a]\nurl = "http://h/mcp"\ntimeout = 0\n', "mcp_servers.a.timeout must be seconds"),
        ('[mcp_servers.a]\ncommand = "x"\ntools = ["t"]\n', "mcp_servers.a.tools must be a table"),
        ('[mcp_servers.a]\ncommand = "x"\ntools = { critic = ["t"] }\n', "mcp_servers.a.tools: unknown agent 'critic'"),
        ('[mcp_servers.a]\ncommand = "x"\ntools = { judge = "t" }\n', "mcp_servers.a.tools.judge must be a list"),
        ('[mcp_servers.a]\ncommand = "x"\ntools = { judge = [""] }\n', "mcp_servers.a.tools.judge holds an empty"),
        ('[mcp_servers."a b"]\ncommand = "x"\n', "mcp_servers.a b: a server name is letters"),
        ("[mcp_servers]\na = 1\n", "mcp_servers.a must be a table, got 1"),
        ('mcp_servers = "x"\n', "mcp_servers must be a table of servers"),
        (
            '[mcp_servers.a]\nurl = "http://h/mcp"\nheaders = { A = "${NOPE}" }\n',
            "mcp_servers.a.headers.A: environment",
        ),
    ],
)
def test_a_bad_declaration_names_the_file_the_server_and_the_key(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match="^" + re.escape(f"{path}: {message}")):
        load_servers(path, environ={})


def test_an_unreadable_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read settings file"):
        load_servers(_write(tmp_path, "[mcp_servers.a\n"), environ={})


def test_servers_beside_settings_leave_the_settings_readable(tmp_path):
    path = _write(tmp_path, TOML)
    assert resolve_context(toml_path=path, environ={}).temperature == 0.0
    nested = _write(tmp_path, '[theoros]\nmax_rows = 7\n[theoros.mcp_servers.w]\ncommand = "w"\n')
    assert resolve_context(toml_path=nested, environ={}).max_rows == 7
    assert list(load_servers(nested, environ={})) == ["w"]


def test_the_settings_file_is_found_like_the_settings(tmp_path):
    path = _write(tmp_path, '[mcp_servers.w]\ncommand = "w"\n')
    assert list(load_servers(environ={"THEOROS_CONFIG": str(path)})) == ["w"]


def test_the_wikipedia_shorthand_declares_or_replaces_the_server_named_wikipedia(tmp_path):
    path = _write(tmp_path, TOML)
    servers = load_servers(
        path, wikipedia_mcp="http://10.0.0.5:8765/mcp", environ={"OTHER_TOKEN": "t", "WIKI_LANG": "en"}
    )
    wiki = servers["wikipedia"]
    assert (wiki.url, wiki.allowed("retriever")) == ("http://10.0.0.5:8765/mcp", ("search_wikipedia", "get_summary"))
    assert wiki.describe() == "Wikipedia MCP server 'http://10.0.0.5:8765/mcp'"
    only = load_servers(None, wikipedia_mcp="stdio:wikipedia-mcp --language de", environ={})
    assert (only["wikipedia"].command, only["wikipedia"].args) == ("wikipedia-mcp", ("--language", "de"))


def test_the_wikipedia_fallback_finds_the_server_whose_allow_list_fits(tmp_path):
    def servers(text):
        return load_servers(_write(tmp_path, text), environ={})

    chosen = server_with(
        "retriever",
        ("search_wikipedia", "get_summary"),
        servers(
            '[mcp_servers.wp]\ncommand = "w"\ntools = { retriever = ["get_summary", "search_wikipedia", "extra"] }\n'
        ),
    )
    assert chosen is not None and chosen.name == "wp"
    assert (
        server_with("retriever", ("search_wikipedia", "get_summary"), servers('[mcp_servers.wp]\ncommand = "w"\n'))
        is None
    )
    half = '[mcp_servers.wp]\ncommand = "w"\ntools = { retriever = ["search_wikipedia"] }\n'
    with pytest.raises(ConfigError, match="mcp_servers.wp.tools gives the retriever 'search_wikipedia' but not"):
        server_with("retriever", ("search_wikipedia", "get_summary"), servers(half))
    both = "".join(
        f'[mcp_servers.{n}]\ncommand = "w"\ntools = {{ retriever = ["search_wikipedia", "get_summary"] }}\n'
        for n in ("a", "b")
    )
    with pytest.raises(ConfigError, match="servers 'a' and 'b' both give the retriever"):
        server_with("retriever", ("search_wikipedia", "get_summary"), servers(both))


async def test_a_server_that_cannot_start_is_reported_with_its_name():
    server = MCPServer(name="ghost", command="/nonexistent/ghost-mcp")
    with pytest.raises(ServerUnavailable, match=r"^MCP server 'ghost' failed: FileNotFoundError"):
        await mcp_client.list_tools(server)


async def test_a_server_that_exits_at_once_is_reported_with_its_name():
    server = MCPServer(name="quitter", command=sys.executable, args=("-c", "pass"))
    # Which error the SDK raises depends on when the pipe closes: either names the server.
    with pytest.raises(ServerUnavailable, match=r"^MCP server 'quitter' failed: (McpError|BrokenResourceError)"):
        await mcp_client.call_tool(server, None, "anything", {})


async def test_a_failing_server_is_one_error_line_beside_the_others(tmp_path):
    servers = {
        "ghost": MCPServer(name="ghost", command="/nonexistent/ghost-mcp", tools={"judge": ("grade",)}),
        "mute": MCPServer(name="mute", command="/nonexistent/mute-mcp", tools={"tagger": ("tag",)}),
    }
    tools, errors = await mcp_client.agent_tools("judge", servers)
    assert tools == {} and len(errors) == 1 and errors[0].startswith("MCP server 'ghost' failed: FileNotFoundError")


async def test_the_fallback_node_reports_a_declared_server_that_cannot_start(tmp_path, monkeypatch):
    path = _write(
        tmp_path,
        '[mcp_servers.wikipedia]\ncommand = "/nonexistent/wikipedia-mcp"\n'
        'tools = { retriever = ["search_wikipedia", "get_summary"] }\n',
    )
    monkeypatch.setenv("THEOROS_CONFIG", str(path))
    context = resolve_context({"home": str(tmp_path)}, environ={})
    assert fallback.fallback_configured(context)
    update = await fallback.ask_wikipedia({"question": "What is Zorblax about?"}, Runtime(context=context))
    assert update["hits"] == []
    assert update["wikipedia"]["error"].startswith("MCP server 'wikipedia' failed: FileNotFoundError")
    assert update["records"][0]["error"] == update["wikipedia"]["error"]


def test_no_declared_server_means_no_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("THEOROS_CONFIG", str(_write(tmp_path, "temperature = 0.0\n")))
    assert not fallback.fallback_configured(resolve_context({"home": str(tmp_path)}, environ={}))
    legacy = resolve_context({"home": str(tmp_path), "wikipedia_mcp": "stdio:wikipedia-mcp"}, environ={})
    assert fallback.wikipedia_server(legacy) == "stdio:wikipedia-mcp"
