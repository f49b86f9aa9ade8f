"""The plot store over HttpClient against a real `chroma run` server."""

import pytest

from theoros_agents.cli import main
from theoros_agents.context import resolve_context
from theoros_agents.errors import StoreError
from theoros_agents.knowledge import catalog
from theoros_agents.knowledge.plot_loader import load_documents
from theoros_agents.knowledge.plot_store import PlotStore
from theoros_agents.knowledge.readers import read_csv
from theoros_agents.knowledge.stores import plot_store

pytestmark = pytest.mark.integration
MODEL = "sentence-transformers:all-MiniLM-L6-v2"


def test_configured_server_gets_the_starter_synopses_and_stores_reports_it(
    chroma_server, tmp_path, monkeypatch, capsys
):
    few = tmp_path / "synopses.jsonl"
    lines = catalog.SYNOPSES.read_text(encoding="utf-8").splitlines()
    few.write_text("\n".join(line for line in lines if '"Jaws"' in line or '"Alien"' in line) + "\n", encoding="utf-8")
    monkeypatch.setattr(catalog, "SYNOPSES", few)
    context = resolve_context({"home": str(tmp_path), "chroma_url": chroma_server})
    store = plot_store(context)
    assert (
        store.count() == 2 and store.search("a crew is hunted by a creature on their spaceship", 1)[0].title == "Alien"
    )
    assert not (tmp_path / "plots").exists()  # vectors live on the server; only BM25 is local
    assert main(["stores", "--home", str(tmp_path), "--set", f"chroma_url={chroma_server}"]) == 0
    assert f"plots: Chroma server {chroma_server}" in capsys.readouterr().out


def test_ingest_search_and_filters_over_http_are_idempotent(chroma_server, tmp_path, data_dir):
    store = PlotStore.open(tmp_path, url=chroma_server, embedding_model=MODEL)
    before = store.count()
    docs = read_csv(data_dir / "imdb_movies.csv", "imdb", limit=8)
    assert load_documents(store, docs).added == 8 and store.count() == before + 8
    hit = store.search("scientists find a structure on a distant moon", 3, where={"source": "imdb"})[0]
    assert hit.title == "Prometheus" and hit.ranks
    assert all(h.metadata["source"] == "imdb" for h in store.vector_search("a moon", 5, where={"source": "imdb"}))
    reopened = PlotStore.open(tmp_path, url=chroma_server, embedding_model=MODEL)
    assert load_documents(reopened, docs).added == 0 and reopened.count() == before + 8
    assert reopened.lexical.path.name.startswith("bm25-http---127-0-0-1-")


def test_a_server_that_is_down_is_a_store_error(tmp_path, unused_port):
    with pytest.raises(StoreError, match=f"Chroma server http://127.0.0.1:{unused_port} unreachable"):
        PlotStore.open(tmp_path, url=f"http://127.0.0.1:{unused_port}", embedding_model=MODEL)
