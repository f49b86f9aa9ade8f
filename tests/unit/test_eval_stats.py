"""Metrics and statistics against values computed by hand."""

import math

import pytest

from theoros_agents.evaluation import agreement
from theoros_agents.evaluation.metrics import (
    first_relevant_rank,
    label_scores,
    mean_of,
    mean_reciprocal_rank,
    recall_at_k,
    set_f1,
)
from theoros_agents.evaluation.stats import bootstrap_ci, compare, mcnemar_exact, paired_bootstrap, verdict

MEAN = mean_of("right")


def test_set_f1_by_hand():
    # precision 2/3, recall 2/4: F1 = 2 * (2/3 * 1/2) / (2/3 + 1/2) = 4/7
    assert set_f1({"a", "b", "x"}, {"a", "b", "c", "d"}) == pytest.approx(4 / 7)
    assert set_f1(set(), {"a"}) == 0.0 and set_f1(set(), set()) == 1.0


def test_label_f1_by_hand():
    # A: 1 hit, 1 guess, 2 gold -> F1 2/3; B: 1 hit, 2 guesses, 1 gold -> 2/3; C: 0 of 1 -> 0.
    scores = label_scores([{"A"}, {"A", "B"}, {"C"}], [{"A"}, {"B"}, {"B"}])
    assert scores["per_label"]["A"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 0) / 3, abs=1e-3)
    # micro: 2 hits, 3 guesses, 4 gold -> 4/7
    assert scores["micro_f1"] == pytest.approx(4 / 7, abs=1e-4)


def test_recall_at_k_and_mrr_by_hand():
    ranks = [
        first_relevant_rank(["x", "a"], {"a"}),
        first_relevant_rank(["a"], {"a"}),
        first_relevant_rank(["x"], {"a"}),
    ]
    assert ranks == [2, 1, 0]
    assert recall_at_k(ranks, 1) == pytest.approx(1 / 3) and recall_at_k(ranks, 5) == pytest.approx(2 / 3)
    assert mean_reciprocal_rank(ranks) == pytest.approx((1 / 2 + 1 + 0) / 3)
    assert recall_at_k([], 5) is None


def test_weighted_kappa_and_spearman_by_hand():
    # Observed disagreement: one pair off by 1 (weight 1/16) over 3 items; expected from the margins: 13/24 * ...
    predicted, gold = [1, 3, 4], [1, 3, 5]
    # rows (predicted) 1,3,4; cols (gold) 1,3,5; expected weighted disagreement = sum w_ij r_i c_j / n
    weights = {(i, j): (i - j) ** 2 / 16 for i in (1, 3, 4) for j in (1, 3, 5)}
    expected = sum(weights.values()) / 3
    observed = weights[(4, 5)]
    assert agreement.quadratic_weighted_kappa(predicted, gold) == pytest.approx(1 - observed / expected)
    # Spearman: ranks of [1, 2, 2, 3] are [1, 2.5, 2.5, 4]; against [1, 2, 3, 4] the Pearson of ranks:
    ranks_x, ranks_y = [1, 2.5, 2.5, 4], [1, 2, 3, 4]
    mean = 2.5
    cov = sum((x - mean) * (y - mean) for x, y in zip(ranks_x, ranks_y, strict=True))
    var_x, var_y = sum((x - mean) ** 2 for x in ranks_x), sum((y - mean) ** 2 for y in ranks_y)
    assert agreement.spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(cov / math.sqrt(var_x * var_y))
    assert agreement.spearman([2, 2, 2], [1, 2, 3]) is None


def test_bootstrap_ci_on_fixed_data():
    constant = [{"right": True}] * 10
    assert bootstrap_ci(constant, MEAN) == (1.0, 1.0)
    data = [{"right": i < 30} for i in range(40)]  # 0.75
    low, high = bootstrap_ci(data, MEAN)
    assert bootstrap_ci(data, MEAN) == (low, high)  # a fixed seed: the same interval every time
    # Close to the normal approximation 0.75 +- 1.96 * sqrt(0.75 * 0.25 / 40) = [0.616, 0.884].
    assert low == pytest.approx(0.616, abs=0.04) and high == pytest.approx(0.884, abs=0.04)
    assert bootstrap_ci([], MEAN) is None
    # A statistic undefined on most resamples (a constant series) has no interval.
    assert bootstrap_ci([{"x": 1}, {"x": 1}], lambda rows: None) is None


def test_paired_bootstrap_and_mcnemar_on_fixed_data():
    a = [{"right": i < 10} for i in range(40)]  # 0.25
    b = [{"right": i < 10 or i >= 30} for i in range(40)]  # 0.5: b alone right on 10 items
    diff, interval, p = paired_bootstrap(a, b, MEAN)
    assert diff == pytest.approx(0.25) and interval[0] > 0 and p < 0.05
    assert paired_bootstrap(a, a, MEAN)[0] == 0.0
    # McNemar exact: 1 vs 9 discordant pairs: p = 2 * (C(10,0) + C(10,1)) / 2^10 = 22/1024.
    assert mcnemar_exact(1, 9) == pytest.approx(22 / 1024)
    assert mcnemar_exact(0, 0) == 1.0 and mcnemar_exact(5, 5) == 1.0
    assert mcnemar_exact(0, 10) == pytest.approx(2 / 1024)
    result = compare("accuracy", a, b, MEAN, "right")
    assert (result.a_only, result.b_only, result.mcnemar_p) == (0, 10, pytest.approx(2 / 1024))


def test_verdicts():
    a = [{"right": i < 10} for i in range(40)]
    b = [{"right": i < 10 or i >= 30} for i in range(40)]
    line = verdict(compare("accuracy", a, b, MEAN, "right"), "rules", "intent", use_mcnemar=True)
    assert line.startswith("intent is better by 0.25 [") and "p=0.002 (McNemar)" in line
    flipped = verdict(compare("accuracy", b, a, MEAN, "right"), "intent", "rules", use_mcnemar=True)
    assert flipped.startswith("intent is better by 0.25")
    close = [{"right": i < 11} for i in range(40)]
    assert verdict(compare("accuracy", a, close, MEAN, "right"), "a", "b", use_mcnemar=True).startswith(
        "no detectable difference between a and b"
    )
