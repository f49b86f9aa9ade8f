"""Agreement between a judge and human labels: exact, within one, weighted kappa, Spearman, pairwise.

Undefined statistics (a correlation with a constant series, kappa when nothing can disagree)
are None, never NaN, so that they print as "n/a" and serialise as JSON null.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SCALE = (1, 2, 3, 4, 5)


def round_half_up(value: float) -> int:
    """Round a human average to the nearest score; halves go up (Python's round() goes to even)."""
    if not math.isfinite(value):
        raise ValueError(f"cannot round a non-finite score {value!r}")
    return math.floor(value + 0.5)


def _check_lengths(first: Sequence[object], second: Sequence[object]) -> None:
    if len(first) != len(second):
        raise ValueError(f"length mismatch: {len(first)} predictions for {len(second)} labels")


def exact_agreement(predicted: Sequence[int], gold: Sequence[int]) -> float | None:
    """Share of items where the two scores are equal; None for no items."""
    _check_lengths(predicted, gold)
    return sum(p == g for p, g in zip(predicted, gold, strict=True)) / len(gold) if gold else None


def within_one(predicted: Sequence[int], gold: Sequence[int]) -> float | None:
    """Share of items where the two scores differ by at most one; None for no items."""
    _check_lengths(predicted, gold)
    return sum(abs(p - g) <= 1 for p, g in zip(predicted, gold, strict=True)) / len(gold) if gold else None


def quadratic_weighted_kappa(
    predicted: Sequence[int], gold: Sequence[int], scale: Sequence[int] = SCALE
) -> float | None:
    """Cohen's kappa with quadratic weights over `scale`: 1 is perfect, 0 chance, -1 reversed.

    None when it is undefined: no items, or both raters constant on the same score.
    """
    _check_lengths(predicted, gold)
    index = {value: i for i, value in enumerate(scale)}
    unknown = sorted({v for v in (*predicted, *gold) if v not in index})
    if unknown:
        raise ValueError(f"scores {unknown} are outside the scale {list(scale)}")
    n, k = len(gold), len(scale)
    if not n:
        return None
    observed = [[0.0] * k for _ in range(k)]
    for p, g in zip(predicted, gold, strict=True):
        observed[index[p]][index[g]] += 1
    rows = [sum(row) for row in observed]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    weight = [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    disagreement = sum(weight[i][j] * observed[i][j] for i in range(k) for j in range(k))
    expected = sum(weight[i][j] * rows[i] * cols[j] / n for i in range(k) for j in range(k))
    return None if expected == 0 else 1 - disagreement / expected


def average_ranks(values: Sequence[float]) -> list[float]:
    """Rank values from 1; tied values share the average of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation; None when either series is constant or there are fewer than two items."""
    _check_lengths(xs, ys)
    if len(xs) < 2:
        return None
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0 or var_y == 0:
        return None
    return cov / math.sqrt(var_x * var_y)


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation (Pearson on average ranks, so ties are handled)."""
    return pearson(average_ranks(xs), average_ranks(ys))


def pairwise_accuracy(choices: Sequence[int | None], labels: Sequence[int]) -> float | None:
    """Share of pairs where the choice is the label; a tie (None) counts half, as a coin flip would."""
    _check_lengths(choices, labels)
    if not labels:
        return None
    points = sum(0.5 if c is None else float(c == label) for c, label in zip(choices, labels, strict=True))
    return points / len(labels)
