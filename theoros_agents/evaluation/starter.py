"""The built-in dev sets are answered on the starter catalog: make sure that is what the stores hold.

Their gold answers were computed on the starter graph and synopses that ship in the package. When the
configured home holds more (an ingested Wikidata graph, more plots) or the stores are servers, the
built-in sets run on a home of their own, `<home>/eval-starter`, filled with the starter catalog on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from theoros_agents.context import Context, resolve_context
from theoros_agents.knowledge.catalog import FACTS, SYNOPSES

STARTER_SOURCE = "theoros"
"""The source name the starter synopses are stored under."""


def _lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _graph_is_starter(context: Context) -> bool:
    if not (Path(context.home).expanduser() / "graph").is_dir():
        return True
    from theoros_agents.knowledge.stores import graph_store

    return len(graph_store(context)) == _lines(FACTS)  # type: ignore[arg-type]


def _plots_are_starter(context: Context) -> bool:
    if not (Path(context.home).expanduser() / "plots").is_dir():
        return True
    from theoros_agents.knowledge.stores import plot_store

    stats = plot_store(context).stats()
    return set(stats["sources"]) <= {STARTER_SOURCE} and stats["films"] in (0, _lines(SYNOPSES))


def starter_settings(settings: dict[str, Any], needs_plots: bool) -> dict[str, Any]:
    """Settings under which the stores hold exactly the starter catalog (and the retriever asks no one else)."""
    context = resolve_context(settings)
    local = not context.sparql_endpoint and not context.chroma_url
    if local and _graph_is_starter(context) and (not needs_plots or _plots_are_starter(context)):
        return settings | {"wikipedia_mcp": ""}
    home = Path(context.home).expanduser() / "eval-starter"
    return settings | {"home": str(home), "sparql_endpoint": "", "chroma_url": "", "wikipedia_mcp": ""}
