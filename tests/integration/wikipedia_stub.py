"""A stand-in for `wikipedia-mcp` over stdio: the same tool names and shapes, one canned article, calls logged.

Run as `python wikipedia_stub.py CALLS_LOG`; every tool call appends its name to CALLS_LOG.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mcp.server.fastmcp import FastMCP

TITLE = "Zorblax and the Glass Orchard (2031 film)"
SUMMARY = (
    "Zorblax and the Glass Orchard is a 2031 animated fantasy film about Zorblax, a shy beekeeper who discovers an "
    "orchard of glass trees whose fruit rings like bells. When a storm shatters the orchard, Zorblax and his "
    "grandmother travel across the salt desert to find the glassblower who planted it."
)
server = FastMCP("Wikipedia", log_level="WARNING")


def _log(name: str) -> None:
    with Path(sys.argv[1]).open("a", encoding="utf-8") as out:
        out.write(name + "\n")


@server.tool()
def search_wikipedia(query: str, limit: int = 10) -> dict[str, Any]:
    """Search Wikipedia for articles matching a query."""
    _log("search_wikipedia")
    if "zorblax" not in query.lower():
        return {"query": query, "results": [], "status": "no_results", "count": 0}
    results = [
        {"title": "Zorblax", "snippet": "a surname", "pageid": 1, "wordcount": 40},
        {"title": TITLE, "snippet": 'a 2031 animated <span class="searchmatch">film</span>', "pageid": 2},
    ]
    return {"query": query, "results": results[:limit], "status": "success", "count": 2}


@server.tool()
def get_summary(title: str) -> dict[str, Any]:
    """Get a summary of a Wikipedia article."""
    _log("get_summary")
    if title == TITLE:
        return {"title": title, "summary": SUMMARY}
    return {"title": title, "summary": None, "error": f"Error retrieving summary for {title!r}"}


if __name__ == "__main__":
    server.run("stdio")
