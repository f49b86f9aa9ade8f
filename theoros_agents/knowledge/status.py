"""What the stores hold, read without writing: `theoros stores` creates, loads and caches nothing."""

from __future__ import annotations

from pathlib import Path

from theoros_agents.context import Context
from theoros_agents.knowledge.graph_store import EmbeddedGraphStore, RemoteGraphStore
from theoros_agents.knowledge.linker import LabelIndex

NOT_CREATED = "not created yet at {path} (the first question loads the starter catalog; `theoros ingest` loads more)"


def describe_graph(context: Context) -> str:
    """The graph store's location, triples, films and labelled entities."""
    if context.sparql_endpoint:
        remote = RemoteGraphStore(context.sparql_endpoint, timeout=context.query_timeout)
        index = LabelIndex.from_store(remote)
        return f"{remote.describe()}: {_entities(index)}"
    path = Path(context.home).expanduser() / "graph"
    if not path.is_dir():
        return NOT_CREATED.format(path=path)
    store = EmbeddedGraphStore(path, read_only=True)
    return f"{store.describe()}: {len(store)} triples, {_entities(LabelIndex.from_store(store))}"


def _entities(index: LabelIndex) -> str:
    films = sum(1 for e in index.entities.values() if e.kind == "film")
    return f"{films} films, {len(index.entities)} labelled entities"


def describe_plots(context: Context) -> str:
    """The plot store's location, passages, films and sources."""
    from theoros_agents.knowledge.plot_store import PlotStore

    home = Path(context.home).expanduser()
    if not context.chroma_url and not (home / "plots").is_dir():
        return NOT_CREATED.format(path=home / "plots")
    plots = PlotStore.open(home, url=context.chroma_url, embedding_model=context.embedding_model, read_only=True)
    stats = plots.stats()
    sources = ", ".join(f"{name} {count}" for name, count in sorted(stats["sources"].items()))
    without = stats["passages"] - stats["bodies"]
    bodies = (
        f"; {without} passages lack a body vector (a store from an older version; `theoros ingest` of plots "
        "adds them) and search uses the full-text vectors alone until all have one"
        if without > 0
        else ""
    )
    return (
        f"{plots.describe()}: {stats['passages']} passages of {stats['films']} films ({sources or 'none'}), "
        f"{stats['linked']} linked to graph ids{bodies}"
    )
