"""Is a difference real? Bootstrap confidence intervals, the paired bootstrap, McNemar's exact test, a verdict.

Every resampling uses a fixed seed, so a run file always reports the same intervals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
RESAMPLES = 1000
SEED = 0
ALPHA = 0.05

Statistic = Callable[[Sequence[T]], float | None]


def _indices(n: int, resamples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def _interval(values: list[float], alpha: float) -> tuple[float, float]:
    low, high = np.quantile(values, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def bootstrap_ci(
    data: Sequence[T], statistic: Statistic[T], *, resamples: int = RESAMPLES, seed: int = SEED, alpha: float = ALPHA
) -> tuple[float, float] | None:
    """The (1 - alpha) percentile bootstrap interval of `statistic` over items resampled with replacement.

    Resamples on which the statistic is undefined (None, e.g. a correlation with a constant series) are
    skipped; when too few remain the interval is None.
    """
    if not data:
        return None
    values = []
    for row in _indices(len(data), resamples, seed):
        value = statistic([data[i] for i in row])
        if value is not None and math.isfinite(value):
            values.append(value)
    return _interval(values, alpha) if len(values) * 2 >= resamples else None


@dataclass(frozen=True)
class Paired:
    """B minus A on the same items: the difference, its interval and p-values."""

    metric: str
    a: float | None
    b: float | None
    diff: float | None
    low: float | None
    high: float | None
    p_bootstrap: float | None
    mcnemar_p: float | None = None
    """McNemar's exact test on per-item right/wrong, when the task has such an outcome."""
    a_only: int = 0
    """Items A got right and B wrong."""
    b_only: int = 0
    items: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return dict(self.__dict__)


def paired_bootstrap(
    a: Sequence[T], b: Sequence[T], statistic: Statistic[T], *, resamples: int = RESAMPLES, seed: int = SEED
) -> tuple[float | None, tuple[float, float] | None, float | None]:
    """Difference statistic(b) - statistic(a) over paired items, its percentile interval and a two-sided p-value.

    The p-value is twice the share of resampled differences on the far side of zero (capped at 1).
    """
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} and {len(b)}")
    first, second = statistic(a), statistic(b)
    if first is None or second is None or not a:
        return None, None, None
    diffs = []
    for row in _indices(len(a), resamples, seed):
        x, y = statistic([a[i] for i in row]), statistic([b[i] for i in row])
        if x is not None and y is not None:
            diffs.append(y - x)
    if len(diffs) * 2 < resamples:
        return second - first, None, None
    below = sum(d <= 0 for d in diffs) / len(diffs)
    above = sum(d >= 0 for d in diffs) / len(diffs)
    return second - first, _interval(diffs, ALPHA), min(1.0, 2 * min(below, above))


def mcnemar_exact(a_only: int, b_only: int) -> float:
    """McNemar's exact test: two-sided binomial p-value of the discordant pairs (1.0 when there are none)."""
    n = a_only + b_only
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(a_only, b_only) + 1)) / 2**n
    return min(1.0, 2 * tail)


def compare(
    metric: str,
    a: Sequence[dict[str, Any]],
    b: Sequence[dict[str, Any]],
    statistic: Statistic[dict[str, Any]],
    binary: str | None,
) -> Paired:
    """Compare two systems' per-item scores (same items, same order) on one metric."""
    diff, interval, p = paired_bootstrap(a, b, statistic)
    a_only = b_only = 0
    mcnemar = None
    if binary:
        a_only = sum(bool(x.get(binary)) and not y.get(binary) for x, y in zip(a, b, strict=True))
        b_only = sum(bool(y.get(binary)) and not x.get(binary) for x, y in zip(a, b, strict=True))
        mcnemar = mcnemar_exact(a_only, b_only)
    low, high = interval if interval else (None, None)
    return Paired(metric, statistic(a), statistic(b), diff, low, high, p, mcnemar, a_only, b_only, len(a))


def p_value(p: float) -> str:
    """'p=0.034', or 'p<0.001' for smaller values."""
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def verdict(result: Paired, name_a: str, name_b: str, *, use_mcnemar: bool) -> str:
    """One line: which is better, by how much, with the interval and p; or that no difference is detectable.

    A difference counts when the interval excludes zero and the test's p is below 0.05.
    """
    p = result.mcnemar_p if use_mcnemar and result.mcnemar_p is not None else result.p_bootstrap
    test = "McNemar" if use_mcnemar and result.mcnemar_p is not None else "paired bootstrap"
    if result.diff is None or result.low is None or result.high is None or p is None:
        return f"no comparison: {result.metric} is undefined for {name_a} or {name_b}"
    if result.low > 0 and p < ALPHA:
        return f"{name_b} is better by {result.diff:.2f} [{result.low:.2f}, {result.high:.2f}], {p_value(p)} ({test})"
    if result.high < 0 and p < ALPHA:
        return (
            f"{name_a} is better by {-result.diff:.2f} [{-result.high:.2f}, {-result.low:.2f}], {p_value(p)} ({test})"
        )
    return (
        f"no detectable difference between {name_a} and {name_b} "
        f"({result.metric} {result.diff:+.2f} [{result.low:.2f}, {result.high:.2f}], p={p:.2f}, {test})"
    )
