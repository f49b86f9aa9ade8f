"""Load files and online sources into the stores; a failed load leaves what is stored untouched."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.knowledge.graph_store import EmbeddedGraphStore
from theoros_agents.knowledge.stores import graph_store, label_index, plot_store, refresh_label_index

if TYPE_CHECKING:  # the plot store imports Chroma and torch: only commands that use it pay for them
    from theoros_agents.knowledge.plot_loader import LoadReport
    from theoros_agents.knowledge.wikidata import WikidataReport
    from theoros_agents.knowledge.wikipedia import WikipediaClient


def ingest_kg(context: Context, path: Path, starter: bool = True) -> int:
    """Load an N-Triples or Turtle file into the embedded graph; return how many triples were new.

    With `starter=False` a new store holds only this file (no starter catalog first).
    """
    if not path.is_file():
        raise ConfigError(f"no such file: {str(path)!r}")
    store = _embedded_graph(context, starter)
    before = len(store)
    store.load(path)
    refresh_label_index(context)
    return len(store) - before


def _embedded_graph(context: Context, starter: bool = True) -> EmbeddedGraphStore:
    store = graph_store(context, starter=starter)
    if not isinstance(store, EmbeddedGraphStore):
        raise ConfigError(f"cannot ingest into {store.describe()}: ingest writes only to the embedded store")
    return store


def _linking(context: Context) -> dict[str, Any]:
    """Link documents through the embedded graph's label index; a remote graph is not read in bulk."""
    if context.sparql_endpoint:
        return {}
    return {"index": label_index(context), "graph": graph_store(context)}


def ingest_csv(context: Context, path: Path, kind: str, limit: int = 0) -> LoadReport:
    """Read a whole CSV ('plots', 'imdb' or 'netflix'), then store the documents not stored yet.

    Raises:
        CorruptInput: a record is malformed (file and line in the message); nothing of this file is stored.
    """
    from theoros_agents.knowledge.plot_loader import load_documents
    from theoros_agents.knowledge.readers import read_csv

    documents = read_csv(path, kind, limit)
    return load_documents(plot_store(context), documents, label=f"{kind} {path.name}", **_linking(context))


def ingest_wikipedia(
    context: Context, titles: Sequence[str], client: WikipediaClient | None = None
) -> tuple[LoadReport, list[str]]:
    """Fetch the plots of Wikipedia articles and store them; return the `LoadReport` and the titles not found."""
    from theoros_agents.knowledge.plot_loader import load_documents
    from theoros_agents.knowledge.wikipedia import WikipediaClient, fetch_documents

    linking = _linking(context)
    index = linking.get("index")

    def year_of(qid: str) -> int | None:
        entity = index.entities.get(qid) if index else None
        return entity.year if entity else None

    documents, missing = fetch_documents(client or WikipediaClient(), titles, year_of)
    return load_documents(plot_store(context), documents, label="wikipedia", **linking), missing


def ingest_wikidata(context: Context, limit: int, endpoint: str) -> WikidataReport:
    """Copy up to `limit` films from a Wikidata SPARQL endpoint into the embedded graph; return the report."""
    from theoros_agents.knowledge.wikidata import endpoint_store, load_films

    if limit <= 0:
        raise ConfigError(f"--limit must be a positive number of films, got {limit}")
    report = load_films(_embedded_graph(context), endpoint_store(endpoint), limit)
    refresh_label_index(context)
    return report
