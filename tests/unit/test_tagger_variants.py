"""The decision rules `scripts/tagger_variants.py` compares."""

import numpy as np

from tests.script_loader import load_script

variants = load_script("tagger_variants")
NAMES = ["Action", "Adventure", "Animation", "Comedy", "Thriller"]


def test_the_rule_keeps_labels_over_threshold_at_least_one_at_most_as_asked():
    scores = np.array([[0.9, 0.8, 0.1, 0.7, 0.6], [0.1, 0.2, 0.1, 0.3, 0.2]])
    thresholds = np.full(5, 0.5)
    chosen = variants.decide(scores, thresholds).tolist()
    assert chosen == [[True, True, False, True, True], [False, False, False, True, False]]
    assert variants.decide(scores, thresholds, most=2)[0].tolist() == [True, True, False, False, False]


def test_imdb_order_puts_animation_first_then_keeps_the_first_three_alphabetically():
    chosen = np.array([[True, True, True, True, True]])
    kept = variants.imdb_order(chosen, NAMES)
    assert [n for n, k in zip(NAMES, kept[0], strict=True) if k] == ["Action", "Adventure", "Animation"]
    chosen = np.array([[False, True, True, True, True]])
    assert [n for n, k in zip(NAMES, variants.imdb_order(chosen, NAMES)[0], strict=True) if k] == [
        "Adventure", "Animation", "Comedy",
    ]  # fmt: skip


def test_knn_votes_weigh_the_nearest_and_count_only_those_that_know_the_label():
    rng = np.random.default_rng(0)
    near, far = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    vectors = np.vstack([near + 0.05 * rng.standard_normal((20, 2)), far + 0.05 * rng.standard_normal((40, 2))])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.zeros((60, 2))
    labels[:20, 0] = 1  # the near cluster is all label 0
    known = np.ones((60, 2))
    known[:, 1] = 0  # nobody speaks for label 1
    votes = variants.knn_votes(near[None, :], vectors, labels, known, np.ones(60), skip_self=False)
    # 30 neighbours: the 20 near ones and 10 far ones, whose cosine (about 0) weighs almost nothing.
    assert votes[0, 0] > 0.99 and votes[0, 1] == 0.0
