"""The BM25 side-index: stemmed tokens, stopwords kept, an index built by another tokenizer rebuilt."""

import json

from theoros_agents.knowledge.lexical import TOKENIZER, LexicalIndex, tokenize
from theoros_agents.knowledge.plot_store import rrf

TEXTS = ["A gang kidnaps the mayor's daughter.", "She trains dogs for a circus.", "He trains horses on a ranch."]


def _index(tmp_path):
    index = LexicalIndex(tmp_path / "bm25")
    index.build(["a", "b", "c"], TEXTS, [{"n": 1}, {"n": 2}, {"n": 3}])
    return index


def test_words_are_stemmed_and_pronouns_kept():
    assert tokenize(["kidnapping", "kidnaps", "she trained"]) == [["kidnap"], ["kidnap"], ["she", "train"]]


def test_an_inflected_query_finds_the_passage_and_a_pronoun_breaks_a_tie(tmp_path):
    index = _index(tmp_path)
    assert index.search("a kidnapping", 3)[0][0] == "a"
    assert [doc for doc, _ in index.search("she is training animals", 3)][0] == "b"


def test_an_index_built_by_another_tokenizer_is_not_read(tmp_path):
    _index(tmp_path)
    state = tmp_path / "bm25" / "state.json"
    assert json.loads(state.read_text())["tokenizer"] == TOKENIZER
    state.write_text(json.dumps({"count": 3}))  # as written before the tokenizer was recorded
    stale = LexicalIndex(tmp_path / "bm25")
    assert len(stale) == 0 and stale.search("kidnaps", 3) == []


def test_weighted_fusion_lets_the_heavier_ranker_win_a_split_vote():
    rankings = {"bm25": ["x", "y"], "vector": ["y", "x"]}
    assert [d for d, _, _ in rrf(rankings, weights={"bm25": 1.5})] == ["x", "y"]
    assert [d for d, _, _ in rrf(rankings, weights={"vector": 1.5})] == ["y", "x"]
    assert rrf({"bm25": ["x"]}, k=10, weights={"bm25": 2.0})[0][1] == 2.0 / 11
