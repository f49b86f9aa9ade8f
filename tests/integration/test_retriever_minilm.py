"""The plot store's rankers with the real MiniLM model and BM25 over IMDB descriptions and Wikipedia plots."""

import json
import re

import pytest

from theoros_agents.errors import ConfigError
from theoros_agents.knowledge import plot_store as module
from theoros_agents.knowledge.catalog import SYNOPSES
from theoros_agents.knowledge.linker import normalize
from theoros_agents.knowledge.plot_loader import load_documents
from theoros_agents.knowledge.plot_store import RANKERS, PlotStore
from theoros_agents.knowledge.readers import read_csv

pytestmark = pytest.mark.integration

MODEL = "sentence-transformers:all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, data_dir):
    """120 IMDB descriptions and 40 Wikipedia plots (as distractors) in a fresh store."""
    imdb = read_csv(data_dir / "imdb_movies.csv", "imdb", limit=120)
    plots = read_csv(data_dir / "wiki_movie_plots_sample.csv", "plots", limit=40)
    store = PlotStore.open(tmp_path_factory.mktemp("ranking"), embedding_model=MODEL)
    load_documents(store, imdb + plots)
    return store, imdb


@pytest.fixture(scope="module")
def pairs(corpus):
    """The first sentence of each starter synopsis whose film is among the IMDB rows: written independently."""
    _, imdb = corpus
    films = {(normalize(d.title), d.year): d for d in imdb}
    found = []
    for line in SYNOPSES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        doc = films.get((normalize(row["title"]), row["year"]))
        first = re.split(r"(?<=[.!?])(?<!\bDr\.)\s+(?=[A-Z])", row["synopsis"])[0]
        if doc is not None:
            found.append((first, doc.title))
    assert len(found) >= 5
    return found


@pytest.mark.parametrize("ranker", ["hybrid", "score"])
def test_fusion_finds_films_from_independently_written_descriptions(corpus, pairs, ranker):
    store, _ = corpus
    ranks = []
    for query, title in pairs:
        titles = [h.title for h in store.rank(ranker, query, 5)]
        ranks.append(titles.index(title) + 1 if title in titles else 0)
    assert sum(0 < r <= 5 for r in ranks) >= len(pairs) - 1, list(zip(pairs, ranks, strict=True))
    assert sum(r == 1 for r in ranks) >= len(pairs) // 2


def test_score_fusion_scores_every_candidate_by_both_rankers(corpus):
    store, _ = corpus
    query = "A frontiersman left for dead after a bear attack fights to survive in the wilderness."
    hits = store.score_search(query, 10)
    best_bm25 = store.lexical.search(query, 1)[0][1]
    embedding = store.embedder.embed_query(query)
    ids = [h.id for h in hits]
    vectors, bodies = store._vectors(ids), store._vectors(ids, store.bodies)
    bm25 = dict(zip(ids, store.lexical.scores(query, ids), strict=True))
    for hit in hits:
        cosine = max(float(vectors[hit.id] @ embedding), float(bodies[hit.id] @ embedding))
        assert hit.score == pytest.approx(cosine + module.FUSION_WEIGHT * bm25[hit.id] / best_bm25, abs=1e-4)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].title == "The Revenant" and hits[0].ranks


def test_feedback_and_every_ranker_honour_the_filter(corpus):
    store, _ = corpus
    where = {"source": "wikiplots"}
    for ranker in RANKERS:
        hits = store.rank(ranker, "a young woman falls in love", 5, where)
        assert hits and all(h.metadata["source"] == "wikiplots" for h in hits), ranker
    assert store.rank("prf", "a young woman falls in love", 5, {"year": 1800}) == []
    with pytest.raises(ConfigError, match="unknown ranker 'dense'"):
        store.rank("dense", "a shark", 5)
