"""Reciprocal rank fusion and `where` filters (the BM25 side must filter exactly as Chroma does)."""

import chromadb
import pytest
from chromadb.config import Settings

from theoros_agents.errors import ConfigError
from theoros_agents.knowledge.filters import for_chroma, matches
from theoros_agents.knowledge.plot_store import RRF_K, rrf


def test_rrf_adds_reciprocal_ranks_and_records_each_rank():
    fused = rrf({"bm25": ["a", "b", "c"], "vector": ["c", "a", "d"]})
    scores = {d: s for d, s, _ in fused}
    assert scores["a"] == pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    assert scores["d"] == pytest.approx(1 / (RRF_K + 3))
    assert [d for d, _, _ in fused] == ["a", "c", "b", "d"]  # found by both beats found once
    assert dict((d, r) for d, _, r in fused)["c"] == {"bm25": 3, "vector": 1}


def test_rrf_breaks_ties_by_id_and_accepts_empty_rankings():
    assert [d for d, _, _ in rrf({"bm25": ["x", "y"], "vector": ["y", "x"]})] == ["x", "y"]
    assert rrf({"bm25": [], "vector": []}) == []
    assert [d for d, _, _ in rrf({"bm25": [], "vector": ["v"]})] == ["v"]


METAS = [
    {"year": 1975, "source": "imdb", "genres": ["thriller", "horror"], "country": ["United States"]},
    {"year": 2001, "source": "netflix", "genres": ["dramas"], "qid": "Q1"},
    {"year": 2018, "source": "netflix", "country": ["India", "United States"], "qid": ""},
]
WHERES = [
    {"year": {"$gte": 2000}},
    {"year": 1975},
    {"source": {"$in": ["imdb", "wikiplots"]}},
    {"source": {"$nin": ["imdb"]}},
    {"genres": {"$contains": "dramas"}},
    {"genres": {"$not_contains": "dramas"}},
    {"genres": "dramas"},
    {"genres": {"$ne": "dramas"}},
    {"qid": {"$ne": ""}},
    {"country": {"$contains": "India"}},
    {"$or": [{"year": {"$lt": 1980}}, {"genres": {"$contains": "dramas"}}]},
    {"$and": [{"source": "netflix"}, {"year": {"$gt": 2010}}]},
]


@pytest.fixture(scope="module")
def chroma_collection():
    client = chromadb.EphemeralClient(settings=Settings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("filters-parity", embedding_function=None)
    collection.upsert(ids=["0", "1", "2"], embeddings=[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], metadatas=METAS)
    return collection


@pytest.mark.parametrize("where", WHERES)
def test_python_filters_agree_with_chroma(chroma_collection, where):
    expected = sorted(chroma_collection.get(where=where)["ids"])
    assert sorted(str(i) for i, meta in enumerate(METAS) if matches(where, meta)) == expected


def test_filter_errors_quote_the_operator_or_the_values():
    with pytest.raises(ConfigError, match="unknown filter operator '\\$like'"):
        matches({"title": {"$like": "x"}}, {"title": "x"})
    with pytest.raises(ConfigError, match="cannot compare"):
        matches({"year": {"$gt": "1990"}}, {"year": 2000})


def test_several_keys_become_one_and_for_chroma():
    assert for_chroma(None) is None and for_chroma({}) is None
    assert for_chroma({"year": 2000}) == {"year": 2000}
    assert for_chroma({"year": 2000, "source": "imdb"}) == {"$and": [{"year": 2000}, {"source": "imdb"}]}
    assert matches({"year": 2001, "source": "netflix"}, METAS[1]) and not matches(
        {"year": 2001, "source": "imdb"}, METAS[1]
    )
