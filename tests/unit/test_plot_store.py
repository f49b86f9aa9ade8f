"""The plot store with the real offline MiniLM model, on small slices: idempotent, resumable, linked, filtered."""

from pathlib import Path

import pytest

from theoros_agents.cli import main
from theoros_agents.context import resolve_context
from theoros_agents.errors import ConfigError, CorruptInput, ModelNotAvailable
from theoros_agents.knowledge import catalog
from theoros_agents.knowledge.documents import passages
from theoros_agents.knowledge.embeddings import load_embedder
from theoros_agents.knowledge.ingest import ingest_csv
from theoros_agents.knowledge.linker import Entity, LabelIndex
from theoros_agents.knowledge.plot_loader import film_qid, load_documents
from theoros_agents.knowledge.plot_store import PlotStore
from theoros_agents.knowledge.readers import read_csv
from theoros_agents.knowledge.stores import plot_store

MODEL = "sentence-transformers:all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def docs(data_dir):
    return read_csv(data_dir / "imdb_movies.csv", "imdb", limit=12) + read_csv(
        data_dir / "netflix_movies.csv", "netflix", limit=6
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, docs):
    """A store holding the slice, and the report of loading it."""
    home = tmp_path_factory.mktemp("plots")
    store = PlotStore.open(home, embedding_model=MODEL)
    return store, load_documents(store, docs), home


def test_a_second_load_adds_nothing(loaded, docs):
    store, first, _ = loaded
    assert first.documents == first.added == 18 and first.skipped == 0 and store.count() == 18
    again = load_documents(store, docs)
    assert (again.added, again.passages, again.skipped) == (0, 0, 18) and store.count() == 18


def test_hybrid_search_finds_a_paraphrase_and_reports_both_ranks(loaded):
    store, _, _ = loaded
    hits = store.search("scientists travel to a far moon looking for where humans came from", k=3)
    assert hits[0].title == "Prometheus" and hits[0].year == 2012
    assert set(hits[0].ranks) <= {"bm25", "vector"} and hits[0].ranks
    assert hits[0].metadata["director"] == "Ridley Scott" and hits[0].text.startswith("Prometheus (2012): ")
    assert (
        store.vector_search("scientists travel to a far moon looking for where humans came from", 1)[0].title
        == "Prometheus"
    )
    assert store.bm25_search("intergalactic criminals", 1)[0].title == "Guardians of the Galaxy"


def test_passages_by_exact_title_and_ranked_among_given_ids(loaded):
    store, _, _ = loaded
    (film,) = store.films_titled("Prometheus").items()
    assert film[1] == 2012 and store.titled("prometheus") == [] and store.films_titled("Nowhere") == {}
    others = store.titled("Guardians of the Galaxy")
    hits = store.vector_search("scientists travel to a far moon", 5, ids=others)
    assert [h.title for h in hits] == ["Guardians of the Galaxy"]  # only the given ids, however far
    assert store.vector_search("scientists travel to a far moon", 5, ids=[]) == []


def test_filters_apply_to_both_rankers(loaded):
    store, _, _ = loaded
    where = {"source": "netflix"}
    for hits in (
        store.search("a family", 10, where),
        store.bm25_search("a family", 10, where),
        store.vector_search("a family", 10, where),
    ):
        assert hits and all(h.metadata["source"] == "netflix" for h in hits)
    recent = store.search(
        "adventure in space", 10, {"$and": [{"year": {"$gte": 2014}}, {"genres": {"$contains": "sci-fi"}}]}
    )
    assert recent and all(h.year >= 2014 and "sci-fi" in h.metadata["genres"] for h in recent)
    assert store.search("adventure in space", 5, {"year": 1800}) == []


def test_bm25_index_is_rebuilt_when_missing_or_stale(loaded):
    store, _, home = loaded
    lexical = home / "bm25"
    assert (lexical / "state.json").is_file()
    for path in sorted(lexical.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    lexical.rmdir()
    reopened = PlotStore.open(home, embedding_model=MODEL)
    assert len(reopened.lexical) == 18 and reopened.bm25_search("intergalactic criminals", 1)


def test_an_interrupted_load_resumes_where_it_stopped(tmp_path, docs):
    store = PlotStore.open(tmp_path, embedding_model=MODEL)
    store.upsert([p for d in docs[:5] for p in passages(d)])  # as if a run died after its first batch
    report = load_documents(store, docs)
    assert report.skipped == 5 and report.added == 13 and store.count() == 18 and len(store.lexical) == 18


def test_a_corrupt_csv_after_a_good_one_loses_nothing(tmp_path, data_dir):
    home = tmp_path / "home"
    store = PlotStore.open(home, embedding_model=MODEL)
    load_documents(store, read_csv(data_dir / "imdb_movies.csv", "imdb", limit=3))
    bad = tmp_path / "bad.csv"
    rows = (data_dir / "imdb_movies.csv").read_text(encoding="utf-8").splitlines()[:6]
    bad.write_text("\n".join(rows[:4] + ["7,Broken,Drama"] + rows[4:]) + "\n", encoding="utf-8")
    with pytest.raises(CorruptInput, match=f"{bad}:5: expected 12 fields, found 3"):
        ingest_csv(resolve_context({"home": str(home)}), bad, "imdb")
    assert store.count() == 3 and len(store.lexical) == 3


def test_documents_link_to_graph_ids_by_title_and_year_and_relink_later(tmp_path, docs):
    index = LabelIndex()
    for entity in (Entity("Q3", "Prometheus", "film", 2012), Entity("Q4", "Prometheus", "film", 1960)):
        index.add(entity)
    assert film_qid(index, "prometheus", 2012) == "Q3" and film_qid(index, "Prometheus", 2013) == "Q3"
    assert film_qid(index, "Prometheus", None) == "" and film_qid(index, "Prometheus", 1990) == ""
    store = PlotStore.open(tmp_path, embedding_model=MODEL)
    assert load_documents(store, docs[:3]).linked == 0
    later = load_documents(store, docs[:3], index=index)
    assert (later.added, later.relinked, later.linked) == (0, 1, 1)
    assert store.search("Prometheus", 1, where={"qid": "Q3"})[0].title == "Prometheus"


def test_another_embedding_model_is_refused_on_an_existing_store(loaded):
    _, _, home = loaded
    with pytest.raises(ConfigError, match="was built with embedding model 'sentence-transformers:all-MiniLM-L6-v2'"):
        PlotStore.open(home, embedding_model="sentence-transformers:all-minilm-l6-v2")  # same files, other id


def test_embedding_models_by_id():
    ollama = load_embedder("ollama:nomic-embed-text")  # constructed only: no Ollama server here
    assert ollama.model_id == "ollama:nomic-embed-text"
    with pytest.raises(ConfigError, match="unknown embedding model 'bert'"):
        load_embedder("bert")
    with pytest.raises(ModelNotAvailable, match="model folder not found"):
        load_embedder("sentence-transformers:/nowhere/model")
    vector = load_embedder(MODEL).embed_query("a shark")
    assert len(vector) == 384 and abs(sum(v * v for v in vector) - 1.0) < 1e-3


def test_starter_synopses_fill_an_empty_store_with_facts_from_the_graph(tmp_path, monkeypatch, capsys):
    few = tmp_path / "synopses.jsonl"
    lines = catalog.SYNOPSES.read_text(encoding="utf-8").splitlines()
    few.write_text("\n".join(line for line in lines if '"Jaws"' in line or '"Alien"' in line) + "\n", encoding="utf-8")
    monkeypatch.setattr(catalog, "SYNOPSES", few)
    home = tmp_path / "home"
    store = plot_store(resolve_context({"home": str(home)}))
    assert store.count() == 2 and plot_store(resolve_context({"home": str(home)})) is store
    jaws = store.search("a shark attacks a beach town", 1)[0]
    assert (
        jaws.title == "Jaws" and jaws.metadata["qid"] == "Q189505" and jaws.metadata["director"] == "Steven Spielberg"
    )
    assert main(["stores", "--home", str(home)]) == 0
    out = capsys.readouterr().out
    assert f"embedded Chroma at {Path(home) / 'plots'}" in out and "2 passages of 2 films (theoros 2), 2 linked" in out
