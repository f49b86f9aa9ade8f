"""Open the configured stores once per process (embedded by default, servers by configuration)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from theoros_agents.aio import forget, warm_call
from theoros_agents.context import Context, cache_dir
from theoros_agents.knowledge.catalog import FACTS
from theoros_agents.knowledge.graph_store import EmbeddedGraphStore, GraphStore, RemoteGraphStore
from theoros_agents.knowledge.linker import LabelIndex


def graph_store(context: Context, *, starter: bool = True) -> GraphStore:
    """Return the graph store the context names; an empty embedded one first gets the starter catalog.

    `starter=False` leaves an empty store empty, for an ingest that must hold exactly what it loads.
    """
    store = _graph_store(context.home, context.sparql_endpoint, context.query_timeout)
    if starter and isinstance(store, EmbeddedGraphStore):
        _load_starter(store)
    return store


async def agraph_store(context: Context) -> GraphStore:
    """`graph_store` for async nodes: opened (and the starter catalog loaded) on a worker thread once."""
    key = ("graph", context.home, context.sparql_endpoint, context.query_timeout)
    return await warm_call(key, graph_store, context)


@functools.lru_cache(maxsize=8)
def _graph_store(home: str, endpoint: str, timeout: float) -> GraphStore:
    # One store per location: an embedded store directory can be opened only once per process.
    if endpoint:
        return RemoteGraphStore(endpoint, timeout=timeout)
    path = Path(home).expanduser() / "graph"
    path.mkdir(parents=True, exist_ok=True)
    return EmbeddedGraphStore(path)


@functools.cache
def _load_starter(store: EmbeddedGraphStore) -> None:
    if len(store) == 0 and not store.read_only:
        store.load(FACTS)


@functools.lru_cache(maxsize=8)
def _label_index(store: Any, cache: str) -> LabelIndex:
    path = Path(cache) if cache else None
    if path is not None and path.is_file():
        try:
            return LabelIndex.load(path)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # A damaged cache is rebuilt below.
    index = LabelIndex.from_store(store)
    if path is not None:
        try:
            index.save(path)
        except OSError:
            pass  # A read-only home still links: the index stays in memory for this process.
    return index


def label_index(context: Context) -> LabelIndex:
    """Return the label index of the configured graph: from memory, from `<home>/cache/`, or built.

    An embedded store's index is cached on disk under its generation, which every load changes.
    """
    store: Any = graph_store(context)
    generation = getattr(store, "generation", "")
    cache = str(cache_dir(context.home) / f"labels-{generation}.json") if generation else ""
    return _label_index(store, cache)


async def alabel_index(context: Context) -> LabelIndex:
    """`label_index` for async nodes: opened or built on a worker thread once, then served from memory."""
    return await warm_call(("labels", context.home, context.sparql_endpoint), label_index, context)


def refresh_label_index(context: Context) -> None:
    """Forget cached label indexes after the graph changed."""
    _label_index.cache_clear()
    forget()


def plot_store(context: Context) -> Any:
    """Return the plot store the context names, loading the starter synopses into an empty one.

    Returns:
        A `PlotStore` (typed loosely so that importing this module does not import Chroma).
    """
    # The starter synopses take director, countries and genres from the embedded graph only.
    graph: Any = None if context.sparql_endpoint else graph_store(context)
    return _plot_store(context.home, context.chroma_url, context.embedding_model, graph)


@functools.lru_cache(maxsize=8)
def _plot_store(home: str, url: str, embedding_model: str, graph: Any) -> Any:
    from theoros_agents.knowledge.catalog import SYNOPSES, starter_vectors, text_key
    from theoros_agents.knowledge.plot_loader import add_bodies, load_documents
    from theoros_agents.knowledge.plot_store import PlotStore
    from theoros_agents.knowledge.readers import read_synopses

    store = PlotStore.open(Path(home).expanduser(), url=url, embedding_model=embedding_model)
    if store.count() == 0:
        vectors = starter_vectors(embedding_model)
        load_documents(store, read_synopses(SYNOPSES), graph=graph, label="starter synopses", vectors=vectors)
    missing = store.missing_bodies()
    if missing:
        # A home made before body vectors were kept: the shipped vectors complete the starter passages at once;
        # anything else waits for `theoros ingest`, which embeds what is missing (`theoros stores` says so).
        vectors = starter_vectors(embedding_model)
        if all(f"{p.id}|{text_key(p.plain)}" in vectors for p in missing):
            add_bodies(store, missing, vectors)
    return store
