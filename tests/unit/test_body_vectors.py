"""Each passage's second vector, of its text without the "Title (Year): " heading, with the real MiniLM model."""

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings

from theoros_agents.cli import main
from theoros_agents.context import resolve_context
from theoros_agents.knowledge import catalog, stores
from theoros_agents.knowledge.documents import body_of, heading, passages
from theoros_agents.knowledge.embeddings import load_embedder
from theoros_agents.knowledge.plot_loader import load_documents
from theoros_agents.knowledge.plot_store import BODIES, FUSION_WEIGHT, PlotStore
from theoros_agents.knowledge.readers import read_csv

MODEL = "sentence-transformers:all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def docs(data_dir):
    return read_csv(data_dir / "imdb_movies.csv", "imdb", limit=8)


@pytest.fixture(scope="module")
def store(tmp_path_factory, docs):
    store = PlotStore.open(tmp_path_factory.mktemp("bodies"), embedding_model=MODEL)
    load_documents(store, docs)
    return store


def _cosine(a, b) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def _drop_bodies(home) -> None:
    """Make the store look like one built before body vectors were kept."""
    client = chromadb.PersistentClient(path=str(home / "plots"), settings=Settings(anonymized_telemetry=False))
    client.delete_collection(BODIES)


def test_a_passage_body_is_its_text_without_the_heading(docs):
    part = passages(docs[0])[0]
    assert part.text == f"{heading(docs[0].title, docs[0].year)}: {part.body}" and part.plain == part.body
    assert body_of(part.text, part.metadata) == part.body
    assert body_of("Another (1999): text", part.metadata) == ""  # a heading that is not this film's stays
    assert heading("Jaws", None) == "Jaws"


def test_every_passage_gets_a_body_vector_of_its_bare_text(store):
    assert store.bodies.count() == store.count() == 8 and store.bodies_complete
    assert store.missing_bodies() == []
    text, meta = store._passages(["imdb:prometheus:2012#0"])["imdb:prometheus:2012#0"]
    body = store._vectors(["imdb:prometheus:2012#0"], store.bodies)["imdb:prometheus:2012#0"]
    full = store._vectors(["imdb:prometheus:2012#0"])["imdb:prometheus:2012#0"]
    assert _cosine(body, load_embedder(MODEL).embed([body_of(text, meta)])[0]) > 0.999
    assert _cosine(body, full) < 0.99


def test_a_passage_is_as_near_as_the_nearer_of_its_two_vectors(store):
    text, meta = store._passages(["imdb:prometheus:2012#0"])["imdb:prometheus:2012#0"]
    embedder = load_embedder(MODEL)
    for query in (body_of(text, meta), "Prometheus (2012)"):
        vector = np.asarray(embedder.embed_query(query), dtype=np.float32)
        expected = max(
            float(v["imdb:prometheus:2012#0"] @ vector)
            for v in (
                store._vectors(["imdb:prometheus:2012#0"]),
                store._vectors(["imdb:prometheus:2012#0"], store.bodies),
            )
        )
        hit = store.vector_search(query, 1)[0]
        assert hit.id == "imdb:prometheus:2012#0" and hit.score == pytest.approx(expected, abs=1e-4)
        # A passage only BM25 found is scored by the nearer of its vectors too.
        fused = dict(store._fuse(query, vector.tolist(), [], {"imdb:prometheus:2012#0": 1.0}))
        assert fused["imdb:prometheus:2012#0"] == pytest.approx(expected + FUSION_WEIGHT, abs=1e-4)
    # The bare description is nearer its body vector than its full text: the body decides.
    assert store.vector_search(body_of(text, meta), 1)[0].score > 0.99
    # The retriever's relevance floor reads the full-text vectors alone, on which it was set.
    vector = np.asarray(embedder.embed_query(body_of(text, meta)), dtype=np.float32)
    full = float(store._vectors(["imdb:prometheus:2012#0"])["imdb:prometheus:2012#0"] @ vector)
    only_full = store.vector_search(body_of(text, meta), 1, bodies=False)[0]
    assert only_full.id == "imdb:prometheus:2012#0" and only_full.score == pytest.approx(full, abs=1e-4)
    assert full < 0.99
    assert store.vector_search(body_of(text, meta), 1, {"source": "imdb"}, bodies=False)[0].score == only_full.score


def test_a_store_from_before_body_vectors_gets_them_at_the_next_load(tmp_path, docs, capsys):
    store = PlotStore.open(tmp_path, embedding_model=MODEL)
    load_documents(store, docs[:4])
    _drop_bodies(tmp_path)
    assert PlotStore.open(tmp_path, embedding_model=MODEL, read_only=True).bodies is None  # a status writes nothing
    old = PlotStore.open(tmp_path, embedding_model=MODEL)
    assert not old.bodies_complete and len(old.missing_bodies()) == 4
    assert old.vector_search("an alien world", 2)  # full-text vectors alone until every passage has a body
    assert main(["stores", "--home", str(tmp_path)]) == 0
    assert "4 passages lack a body vector" in capsys.readouterr().out
    report = load_documents(old, docs[:6])
    assert (report.added, report.bodies, old.bodies.count(), old.count()) == (2, 4, 6, 6) and old.bodies_complete
    assert "4 stored passages got their body vector" in report.summary()
    assert main(["stores", "--home", str(tmp_path)]) == 0
    assert "lack a body vector" not in capsys.readouterr().out


def test_an_old_starter_home_gets_its_body_vectors_from_the_shipped_ones(tmp_path, monkeypatch):
    few = tmp_path / "synopses.jsonl"
    lines = catalog.SYNOPSES.read_text(encoding="utf-8").splitlines()
    few.write_text("\n".join(line for line in lines if '"Jaws"' in line or '"Alien"' in line) + "\n", encoding="utf-8")
    monkeypatch.setattr(catalog, "SYNOPSES", few)
    home = tmp_path / "home"
    context = resolve_context({"home": str(home)})
    assert stores.plot_store(context).bodies_complete
    _drop_bodies(home)
    stores._plot_store.cache_clear()

    def no_embedding(texts):
        raise AssertionError(f"embedded {len(texts)} texts: the shipped vectors should have served")

    monkeypatch.setattr(load_embedder(MODEL), "embed", no_embedding)
    reopened = stores.plot_store(context)
    assert reopened.bodies_complete and reopened.bodies.count() == 2
    stores._plot_store.cache_clear()
