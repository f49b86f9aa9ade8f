"""Load files into the stores; a failed load leaves what is stored untouched."""

from __future__ import annotations

from pathlib import Path

from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.knowledge.graph_store import EmbeddedGraphStore
from theoros_agents.knowledge.stores import graph_store, refresh_label_index


def ingest_kg(context: Context, path: Path) -> int:
    """Load an N-Triples or Turtle file into the embedded graph; return how many triples were new."""
    if not path.is_file():
        raise ConfigError(f"no such file: {str(path)!r}")
    store = graph_store(context)
    if not isinstance(store, EmbeddedGraphStore):
        raise ConfigError(f"cannot ingest into {store.describe()}: ingest writes only to the embedded store")
    before = len(store)
    store.load(path)
    refresh_label_index(context)
    return len(store) - before
