"""A stand-in for `wikipedia-mcp`: the same tool names and shapes, one canned article, calls logged.

Run as `python wikipedia_stub.py CALLS_LOG` (stdio) or `python wikipedia_stub.py CALLS_LOG PORT` (streamable
HTTP on 127.0.0.1:PORT/mcp). Every tool call appends its name to CALLS_LOG, over HTTP followed by a tab and
the request's Authorization header. `always_fails` is a third tool that answers with a tool error.
While a file CALLS_LOG.crash exists, any tool call kills the server process (a crash mid-request).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from mcp.server.fastmcp import Context, FastMCP

TITLE = "Zorblax and the Glass Orchard (2031 film)"
SUMMARY = (
    "Zorblax and the Glass Orchard is a 2031 animated fantasy film about Zorblax, a shy beekeeper who discovers an "
    "orchard of glass trees whose fruit rings like bells. When a storm shatters the orchard, Zorblax and his "
    "grandmother travel across the salt desert to find the glassblower who planted it."
)
server = FastMCP("Wikipedia", log_level="WARNING")


def _log(name: str, ctx: Context) -> None:
    if Path(sys.argv[1] + ".crash").exists():
        os._exit(3)
    request = ctx.request_context.request
    line = name if request is None else f"{name}\t{request.headers.get('authorization', '')}"
    with Path(sys.argv[1]).open("a", encoding="utf-8") as out:
        out.write(line + "\n")


@server.tool()
def search_wikipedia(query: str, ctx: Context, limit: int = 10) -> dict[str, Any]:
    """Search Wikipedia for articles matching a query."""
    _log("search_wikipedia", ctx)
    if "zorblax" not in query.lower():
        return {"query": query, "results": [], "status": "no_results", "count": 0}
    results = [
        {"title": "Zorblax", "snippet": "a surname", "pageid": 1, "wordcount": 40},
        {"title": TITLE, "snippet": 'a 2031 animated <span class="searchmatch">film</span>', "pageid": 2},
    ]
    return {"query": query, "results": results[:limit], "status": "success", "count": 2}


@server.tool()
def get_summary(title: str, ctx: Context) -> dict[str, Any]:
    """Get a summary of a Wikipedia article."""
    _log("get_summary", ctx)
    if title == TITLE:
        return {"title": title, "summary": SUMMARY}
    return {"title": title, "summary": None, "error": f"Error retrieving summary for {title!r}"}


@server.tool()
def always_fails(reason: str, ctx: Context) -> str:
    """Fail with the reason given."""
    _log("always_fails", ctx)
    raise ValueError(reason)


if __name__ == "__main__":
    if len(sys.argv) > 2:
        server.settings.port = int(sys.argv[2])
        server.run("streamable-http")
    else:
        server.run("stdio")
