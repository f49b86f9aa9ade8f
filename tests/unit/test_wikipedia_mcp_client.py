"""The Wikipedia MCP client: connection settings, tool payloads, and failures reported by name."""

import json
import re
import sys

import anyio
import pytest

from theoros_agents.errors import ConfigError
from theoros_agents.tools import mcp_client, wikipedia
from theoros_agents.tools.mcp_client import shorthand
from theoros_agents.tools.wikipedia import WikipediaUnavailable, fetch_articles, search_terms


def test_stdio_and_http_settings_become_connections():
    assert shorthand("stdio:wikipedia-mcp --language 'en'") == {
        "command": "wikipedia-mcp",
        "args": ("--language", "en"),
    }
    assert shorthand("http://127.0.0.1:8765/mcp") == {"url": "http://127.0.0.1:8765/mcp"}


@pytest.mark.parametrize("spec", ["wikipedia-mcp", "stdio:", "ftp://host/mcp", "http://"])
def test_a_malformed_setting_is_quoted(spec):
    with pytest.raises(ConfigError, match=re.escape(repr(spec))):
        shorthand(spec)


def test_search_terms_keep_the_title_words():
    assert search_terms("What is the plot of Zorblax and the Glass Orchard?") == "zorblax glass orchard film"


def test_payloads_are_read_from_text_blocks_or_rejected_with_the_text():
    blocks = [{"type": "text", "text": json.dumps({"title": "Jaws", "summary": "A shark."})}]
    assert wikipedia._payload("get_summary", blocks)["summary"] == "A shark."
    assert wikipedia._payload("get_summary", '{"status": "no_results"}') == {"status": "no_results"}
    with pytest.raises(WikipediaUnavailable, match="tool 'get_summary' answered 'Error: boom', not a JSON object"):
        wikipedia._payload("get_summary", "Error: boom")
    with pytest.raises(WikipediaUnavailable, match="not a JSON object"):
        wikipedia._payload("search_wikipedia", "[1, 2]")


def test_film_results_come_first_and_a_failed_search_says_why():
    found = {
        "status": "success",
        "results": [{"title": "Jaws"}, {"title": "Jaws (novel)"}, {"title": "Jaws 2", "snippet": "a <b>film</b>"}],
    }
    assert wikipedia._titles(found) == ["Jaws 2", "Jaws"]
    assert wikipedia._titles({"status": "no_results", "results": []}) == []
    with pytest.raises(WikipediaUnavailable, match="search failed: Empty search query provided"):
        wikipedia._titles({"status": "error", "message": "Empty search query provided"})


def test_a_transport_failure_inside_a_task_group_is_found_and_a_bug_is_not():
    kinds = mcp_client.failure_kinds()
    broken = anyio.BrokenResourceError()
    assert mcp_client.failure_cause(ExceptionGroup("tg", [ExceptionGroup("inner", [broken])]), kinds) is broken
    assert mcp_client.failure_cause(ExceptionGroup("tg", [broken, KeyError("x")]), kinds) is None
    assert mcp_client.failure_cause(KeyError("x"), kinds) is None


async def test_a_missing_command_is_reported_with_the_setting():
    with pytest.raises(WikipediaUnavailable, match="'stdio:/nonexistent/wikipedia-mcp' failed: FileNotFoundError"):
        await fetch_articles("stdio:/nonexistent/wikipedia-mcp", "What is Jaws about?")


async def test_a_server_that_exits_at_once_is_reported():
    with pytest.raises(WikipediaUnavailable, match="failed: McpError"):
        await fetch_articles(f"stdio:{sys.executable} -c pass", "What is Jaws about?")
