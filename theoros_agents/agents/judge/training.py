"""Train the classic judge and the calibration, and measure them honestly by cross-validation.

Every figure this module reports is out of fold: each item is scored by a model fitted without it
(and, for rated replies, without any reply to the same conversation), so the figures estimate how
the shipped models do on data they have not seen. The shipped models are then fitted on everything.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from theoros_agents.agents.judge.calibration import fit_isotonic
from theoros_agents.agents.judge.classic import LinearModel
from theoros_agents.agents.judge.features import PAIR_FEATURES, SCORE_FEATURES, output_features, score_features
from theoros_agents.knowledge.embeddings import Embedder

RIDGE_ALPHA = 1.0
LOGISTIC_C = 1.0
FOLDS = 5


def fit_ridge(rows: Sequence[Sequence[float]], targets: Sequence[float], names: Sequence[str]) -> LinearModel:
    """Ridge regression on standardised features."""
    import numpy as np
    from sklearn.linear_model import Ridge

    x = np.asarray(rows, dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    fitted = Ridge(alpha=RIDGE_ALPHA).fit((x - mean) / scale, np.asarray(targets, dtype=float))
    return LinearModel(tuple(names), tuple(mean), tuple(scale), tuple(fitted.coef_), float(fitted.intercept_))


def fit_pairs(differences: Sequence[Sequence[float]], labels: Sequence[int], names: Sequence[str]) -> LinearModel:
    """Logistic regression on feature differences, both orders, no intercept: swapping flips the choice."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    d = np.asarray(differences, dtype=float)
    x = np.vstack([d, -d])
    y = np.concatenate([[int(label == 1) for label in labels], [int(label == 2) for label in labels]])
    # Differences are centred at 0 by the mirroring; only the spread is standardised.
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    fitted = LogisticRegression(C=LOGISTIC_C, fit_intercept=False).fit(x / scale, y)
    zeros = tuple(0.0 for _ in names)
    return LinearModel(tuple(names), zeros, tuple(scale), tuple(fitted.coef_[0]), 0.0)


def group_folds(groups: Sequence[str], folds: int = FOLDS, seed: int = 0) -> list[list[int]]:
    """Split item indexes into folds so that items of one group share a fold; groups are shuffled, then dealt."""
    order = list(dict.fromkeys(groups))
    random.Random(seed).shuffle(order)
    fold_of = {group: i % folds for i, group in enumerate(order)}
    return [[i for i, g in enumerate(groups) if fold_of[g] == k] for k in range(folds)]


def out_of_fold(n: int, folds: list[list[int]], fit: Callable[[list[int]], Callable[[int], float]]) -> list[float]:
    """Predict each item with a model `fit` on the other folds."""
    predicted = [0.0] * n
    for held in folds:
        held_set = set(held)
        predict = fit([i for i in range(n) if i not in held_set])
        for i in held:
            predicted[i] = predict(i)
    return predicted


def rated_features(items: list[dict[str, str]], embedder: Embedder) -> list[list[float]]:
    """`score_features` of clipped {"question", "answer", "facts"} items, embedding all texts in one batch."""
    texts = []
    from theoros_agents.agents.judge.features import last_turn

    for item in items:
        texts += [item["answer"], last_turn(item["question"]), item["question"], item.get("facts", "")]
    vectors = embedder.embed(texts)
    return [
        score_features(item["question"], item["answer"], item.get("facts", ""), embedder, vectors[4 * i : 4 * i + 4])
        for i, item in enumerate(items)
    ]


def pair_differences(items: list[dict[str, str]], embedder: Embedder) -> list[list[float]]:
    """`pair_features` of clipped {"instruction", "output_1", "output_2"} items, embedded in one batch."""
    vectors = embedder.embed([item[k] for item in items for k in ("instruction", "output_1", "output_2")])
    rows = []
    for i, item in enumerate(items):
        inst_v, one_v, two_v = vectors[3 * i : 3 * i + 3]
        one = output_features(item["instruction"], item["output_1"], inst_v, one_v)
        two = output_features(item["instruction"], item["output_2"], inst_v, two_v)
        rows.append([a - b for a, b in zip(one, two, strict=True)])
    return rows


def clip_score(value: float) -> float:
    """Keep a regression's output on the 1-5 scale."""
    return min(5.0, max(1.0, value))


def cv_ridge(rows: list[list[float]], human: list[float], folds: list[list[int]], names: Sequence[str]) -> list[float]:
    """Out-of-fold ridge predictions, clipped to 1-5."""

    def fit(train: list[int]) -> Callable[[int], float]:
        model = fit_ridge([rows[i] for i in train], [human[i] for i in train], names)
        return lambda i: clip_score(model.decision(rows[i]))

    return out_of_fold(len(rows), folds, fit)


def cv_isotonic(raw: list[float], human: list[float], folds: list[list[int]]) -> list[float]:
    """Out-of-fold isotonic calibration of a raw score."""

    def fit(train: list[int]) -> Callable[[int], float]:
        calibration = fit_isotonic([raw[i] for i in train], [human[i] for i in train])
        return lambda i: calibration.apply(raw[i])

    return out_of_fold(len(raw), folds, fit)


def cv_pairs(rows: list[list[float]], labels: list[int], folds: list[list[int]], names: Sequence[str]) -> list[float]:
    """Out-of-fold probability that output 1 is better."""
    from theoros_agents.agents.judge.classic import probability

    def fit(train: list[int]) -> Callable[[int], float]:
        model = fit_pairs([rows[i] for i in train], [labels[i] for i in train], names)
        return lambda i: probability(model.decision(rows[i]))

    return out_of_fold(len(rows), folds, fit)


def model_file(
    embedding_model: str, scores: LinearModel, pairs: LinearModel, extra: dict[str, LinearModel], report: dict[str, Any]
) -> dict[str, Any]:
    """The JSON document `classic.load_models` reads."""
    return {
        "embedding_model": embedding_model,
        "scores": scores.to_dict(),
        "pairs": pairs.to_dict(),
        **{name: model.to_dict() for name, model in extra.items()},
        "report": report,
    }


__all__ = ["PAIR_FEATURES", "SCORE_FEATURES"]
