"""Metrics shared by the evaluations: set F1, ranking, per-label F1, percentiles, means over items."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from typing import Any


def set_f1(predicted: set[str], gold: set[str]) -> float:
    """F1 between two answer sets (1.0 when both are empty)."""
    if not predicted and not gold:
        return 1.0
    hits = len(predicted & gold)
    if not hits:
        return 0.0
    precision, recall = hits / len(predicted), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def first_relevant_rank(ranked: Sequence[str], relevant: set[str]) -> int:
    """1-based rank of the first relevant entry; 0 when none is."""
    return next((i for i, key in enumerate(ranked, 1) if key in relevant), 0)


def recall_at_k(ranks: Sequence[int], k: int) -> float | None:
    """Share of queries whose first relevant result is within the top k (rank 0: not found); None for none."""
    return sum(0 < rank <= k for rank in ranks) / len(ranks) if ranks else None


def mean_reciprocal_rank(ranks: Sequence[int]) -> float | None:
    """Mean of 1/rank of the first relevant result (0 when not found); None for no queries."""
    return sum(1 / rank if rank else 0.0 for rank in ranks) / len(ranks) if ranks else None


def label_scores(gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> dict[str, Any]:
    """Per-label precision, recall, F1 and support; macro-F1 over labels seen in gold or predictions; micro-F1."""
    names = sorted(set().union(*gold, *predicted))
    per_label: dict[str, dict[str, float]] = {}
    totals = [0, 0, 0]
    for name in names:
        hits = sum(name in g and name in p for g, p in zip(gold, predicted, strict=True))
        guessed, support = sum(name in p for p in predicted), sum(name in g for g in gold)
        precision, recall = hits / guessed if guessed else 0.0, hits / support if support else 0.0
        f1 = 2 * hits / (guessed + support) if guessed + support else 0.0
        per_label[name] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                           "support": support}  # fmt: skip
        totals = [totals[0] + hits, totals[1] + guessed, totals[2] + support]
    macro = sum(s["f1"] for s in per_label.values()) / len(per_label) if per_label else 0.0
    micro = 2 * totals[0] / (totals[1] + totals[2]) if totals[1] + totals[2] else 0.0
    return {"macro_f1": round(macro, 4), "micro_f1": round(micro, 4), "per_label": per_label}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, round(q) - 1))]


def mean_of(key: str) -> Callable[[Sequence[dict[str, Any]]], float | None]:
    """A statistic: the mean of one per-item score over the items that have it (None when none has)."""

    def statistic(scores: Sequence[dict[str, Any]]) -> float | None:
        values = [float(s[key]) for s in scores if s.get(key) is not None]
        return sum(values) / len(values) if values else None

    return statistic
