"""Score fusion, query normalisation and Rocchio feedback: the ranking pieces of the plot store's hybrid search."""

import math

import pytest

from theoros_agents.knowledge.ranking import combine, normalize_query, rocchio


def test_combine_scales_bm25_by_the_best_score_and_weights_it():
    fused = dict(combine({"a": 0.5, "b": 0.6, "c": 0.2}, {"a": 10.0, "c": 5.0}, weight=0.3))
    assert fused["a"] == pytest.approx(0.5 + 0.3)
    assert fused["b"] == pytest.approx(0.6)
    assert fused["c"] == pytest.approx(0.2 + 0.15)


def test_combine_orders_best_first_and_breaks_ties_by_id():
    assert [d for d, _ in combine({"b": 0.5, "a": 0.5, "c": 0.9}, {}, weight=0.3)] == ["c", "a", "b"]
    # A lead on one ranker survives: rank fusion would tie a (first by BM25) with b (first by vectors).
    assert [d for d, _ in combine({"a": 0.40, "b": 0.80}, {"a": 9.0, "b": 1.0}, weight=0.3)][0] == "b"
    assert [d for d, _ in combine({"a": 0.40, "b": 0.45}, {"a": 9.0, "b": 1.0}, weight=0.3)][0] == "a"


def test_combine_without_bm25_evidence_is_the_cosine_order():
    assert combine({"x": 0.1, "y": 0.3}, {"x": 0.0}, weight=1.0) == [("y", 0.3), ("x", 0.1)]
    assert combine({}, {"x": 2.0}, weight=1.0) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("In this gripping drama, a widowed farmer fights a railroad.", "A widowed farmer fights a railroad."),
        ("This documentary follows three climbers up K2.", "Three climbers up K2."),
        ("In this sequel, the hero returns to Mars.", "The hero returns to Mars."),
        ("With this film, a director revisits her hometown.", "A director revisits her hometown."),
    ],
)
def test_normalize_query_cuts_the_catalogue_frame(query, expected):
    assert normalize_query(query) == expected


def test_normalize_query_keeps_descriptions_without_a_frame_and_unifies_punctuation():
    assert normalize_query("A comedy about a dog.") == "A comedy about a dog."
    assert normalize_query("In this town, nobody sleeps.") == "In this town, nobody sleeps."
    assert normalize_query("In this film.") == "In this film."
    assert normalize_query("Ana\u2019s \u201cbig\u201d day \u2014 ruined") == 'Ana\'s "big" day - ruined'


def test_rocchio_moves_toward_the_feedback_and_stays_unit_length():
    moved = rocchio([1.0, 0.0], [[0.0, 1.0], [0.0, 1.0]], beta=1.0)
    assert moved == pytest.approx([1 / math.sqrt(2), 1 / math.sqrt(2)])
    assert math.hypot(*rocchio([0.6, 0.8], [[1.0, 0.0]], beta=0.3)) == pytest.approx(1.0)


def test_rocchio_without_feedback_or_weight_leaves_the_query():
    assert rocchio([0.6, 0.8], [], beta=0.5) == [0.6, 0.8]
    assert rocchio([0.6, 0.8], [[1.0, 0.0]], beta=0.0) == [0.6, 0.8]
