"""Compare ways to decide the tagger's labels on the same 5-fold cross-validation as `scripts/cv_tagger.py`.

Each fold trains the text models as `theoros train tagger --labels imdb` does (the shipped extra data, thresholds
and blend tuned on out-of-fold scores of the other four folds; the films' records are left out) and keeps the raw
scores, so the variants below reuse one training:
- `shipped`: the ensemble and thresholds as trained;
- `at most 4`: the same, keeping at most the 4 labels furthest over their thresholds;
- `IMDB order`: IMDB lists a film's first 3 genres in its own order (Animation first, then alphabetical), so
  keep the first 3 predicted in that order, thresholds re-tuned jointly for it;
- `rare by rate`: a label with fewer than 20 tuning examples gets the threshold that tags 1.5 times as many
  tuning films as have it, instead of the F1-best one;
- `+ kNN`: a fourth score, the weighted label vote of the 30 nearest training synopses (MiniLM cosine), its
  weight chosen with the blend;
- `stacked`: a second logistic regression per label over all first-level scores (learns label co-occurrence).
The macro-F1 is pooled over the five held-out folds, as the harness computes it. Slow: five trainings (about a
minute each on 2 cores once the extra data's vectors are cached under THEOROS_HOME/cache).

Usage:
    THEOROS_HOME=.theoros-eval python scripts/tagger_variants.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from theoros_agents.agents.tagger import training
from theoros_agents.agents.tagger.dataset import Example
from theoros_agents.agents.tagger.extra import load_extra
from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.agents.tagger.similarity import embed_cached, embed_texts, label_vectors
from theoros_agents.context import cache_dir, resolve_context

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cv_tagger import FOLDS, films  # noqa: E402 - a sibling script

NEIGHBOURS = 30
RARE = 20
RATE = 1.5


@dataclass
class Fold:
    """One fold's training scores (out of fold) and held-out scores, with what a variant needs besides."""

    names: list[str]
    gold: np.ndarray
    tfidf: np.ndarray
    minilm: np.ndarray
    prior: np.ndarray
    knn: np.ndarray
    held_gold: np.ndarray
    held_tfidf: np.ndarray
    held_minilm: np.ndarray
    held_prior: np.ndarray
    held_knn: np.ndarray


def knn_votes(queries: np.ndarray, vectors: np.ndarray, labels: np.ndarray, known: np.ndarray, weights: np.ndarray,
              skip_self: bool) -> np.ndarray:  # fmt: skip
    """Each label's share among the nearest synopses that speak for it, weighted by cosine cubed and item weight."""
    similarity = queries @ vectors.T
    if skip_self:
        np.fill_diagonal(similarity, -1.0)
    nearest = np.argpartition(-similarity, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]
    votes = np.zeros((len(queries), labels.shape[1]))
    for i, row in enumerate(nearest):
        w = np.maximum(similarity[i, row], 0.0) ** 3 * weights[row]
        votes[i] = (w[:, None] * labels[row]).sum(0) / ((w[:, None] * known[row]).sum(0) + 1e-9)
    return votes


def train_fold(
    rows: list[dict], own: np.ndarray, held: list[int], kept: list[int], context, extra_all: list[Example]
) -> Fold:
    """Train as `theoros train tagger --labels imdb` does on `kept` and score `held` (`own`: the rows' vectors)."""
    labels = load_labels("imdb")
    dataset = [Example(rows[i]["text"], frozenset(rows[i]["labels"])) for i in kept]
    names = training.label_names(dataset, labels)
    label_set = labels.subset(names, labels.name)
    dataset = training.canonical(dataset, label_set)
    extra = [replace(e, weight=e.weight / 3) for e in training.canonical(extra_all, label_set)]
    extra_vectors = embed_cached([e.text for e in extra], context.embedding_model, cache_dir(context.home))
    vectors = np.vstack([own[kept], extra_vectors])
    gold = np.array([[n in e.labels for n in names] for e in dataset])
    tfidf, minilm = training.out_of_fold(dataset, extra, vectors, names)
    described = label_vectors(label_set, context.embedding_model)
    similarity = own[kept] @ described.T
    mean, scale = similarity.mean(axis=0), similarity.std(axis=0) + 1e-6
    final = training.fit_models([*dataset, *extra], vectors, names)
    held_tfidf, held_minilm = final.predict([rows[i]["text"] for i in held], own[held])
    every = [*dataset, *extra]
    votes = np.array([[n in e.labels for n in names] for e in every], dtype=float)
    known = np.array([[e.knows(n) for n in names] for e in every], dtype=float)
    weights = np.array([e.weight for e in every])
    return Fold(
        names, gold, tfidf, minilm, (similarity - mean) / scale,
        knn_votes(own[kept], vectors, votes, known, weights, skip_self=True),
        np.array([[n in rows[i]["labels"] for n in names] for i in held]), held_tfidf, held_minilm,
        (own[held] @ described.T - mean) / scale, knn_votes(own[held], vectors, votes, known, weights, skip_self=False),
    )  # fmt: skip


def decide(scores: np.ndarray, thresholds: np.ndarray, most: int = 0) -> np.ndarray:
    """The classifier's rule: labels over their threshold, at least the best one, at most `most` (0: any)."""
    ratio = scores / thresholds
    chosen = np.zeros(scores.shape, dtype=bool)
    for i, row in enumerate(ratio):
        order = np.argsort(-row)
        picked = [j for j in order if row[j] >= 1.0] or [int(order[0])]
        chosen[i, picked[: most or None]] = True
    return chosen


def imdb_order(chosen: np.ndarray, names: list[str], most: int = 3) -> np.ndarray:
    """Keep the first `most` chosen labels in IMDB's order: Animation first, then alphabetical."""
    order = sorted(range(len(names)), key=lambda j: (names[j] != "Animation", names[j]))
    kept = np.zeros_like(chosen)
    for i, row in enumerate(chosen):
        kept[i, [j for j in order if row[j]][:most]] = True
    return kept


def blended(fold: Fold, held: bool, blend: float, weight: float, knn: float = 0.0) -> np.ndarray:
    if held:
        return blend * fold.held_minilm + (1 - blend) * fold.held_tfidf + weight * fold.held_prior + knn * fold.held_knn
    return blend * fold.minilm + (1 - blend) * fold.tfidf + weight * fold.prior + knn * fold.knn


def shipped(fold: Fold, most: int = 0) -> np.ndarray:
    blend, weight, thresholds, _ = training.best_blend(fold.tfidf, fold.minilm, fold.prior, fold.gold)
    return decide(blended(fold, True, blend, weight), thresholds, most)


def in_imdb_order(fold: Fold) -> np.ndarray:
    blend, weight, thresholds, _ = training.best_blend(fold.tfidf, fold.minilm, fold.prior, fold.gold)
    scores = blended(fold, False, blend, weight)

    def quality(candidate: np.ndarray) -> float:
        return training.macro_f1(fold.gold, imdb_order(decide(scores, candidate), fold.names))

    best = quality(thresholds)
    for j, value in itertools.product(range(len(thresholds)), training.GRID):  # one pass of coordinate ascent
        candidate = thresholds.copy()
        candidate[j] = value
        if (score := quality(candidate)) > best + 1e-9:
            best, thresholds = score, candidate
    return imdb_order(decide(blended(fold, True, blend, weight), thresholds), fold.names)


def rare_by_rate(fold: Fold) -> np.ndarray:
    blend, weight, thresholds, _ = training.best_blend(fold.tfidf, fold.minilm, fold.prior, fold.gold)
    scores = blended(fold, False, blend, weight)
    counts = fold.gold.sum(axis=0)
    for j in np.flatnonzero((counts > 0) & (counts < RARE)):
        tagged = max(1, round(RATE * counts[j]))
        thresholds[j] = max(float(np.sort(scores[:, j])[::-1][tagged - 1]), 1e-6)
    return decide(blended(fold, True, blend, weight), thresholds)


def with_knn(fold: Fold) -> np.ndarray:
    best = (-1.0, 0.0, 0.0, 0.0, np.array([]))
    for knn, blend, weight in itertools.product((0.0, 0.2, 0.4, 0.6), training.BLENDS, training.PRIOR_WEIGHTS):
        scores = blended(fold, False, blend, weight, knn)
        thresholds = training.tune_thresholds(scores, fold.gold)
        if (score := training.macro_f1(fold.gold, scores >= thresholds)) > best[0] + 1e-9:
            best = (score, knn, blend, weight, thresholds)
    _, knn, blend, weight, thresholds = best
    return decide(blended(fold, True, blend, weight, knn), thresholds)


def stacked(fold: Fold) -> np.ndarray:
    def features(tfidf: np.ndarray, minilm: np.ndarray, prior: np.ndarray) -> np.ndarray:
        clipped = np.clip(np.hstack([tfidf, minilm]), 1e-4, 1 - 1e-4)
        return np.hstack([np.log(clipped / (1 - clipped)), prior])

    def fit_predict(x: np.ndarray, gold: np.ndarray, queries: np.ndarray) -> np.ndarray:
        out = np.zeros((len(queries), gold.shape[1]))
        for j in range(gold.shape[1]):
            if 2 <= gold[:, j].sum() < len(gold):
                model = LogisticRegression(C=0.1, class_weight="balanced", max_iter=2000).fit(x, gold[:, j])
                out[:, j] = model.predict_proba(queries)[:, 1]
        return out

    x = features(fold.tfidf, fold.minilm, fold.prior)
    inner = np.zeros(fold.gold.shape)
    for train, held in KFold(FOLDS, shuffle=True, random_state=1).split(x):
        inner[held] = fit_predict(x[train], fold.gold[train], x[held])
    thresholds = training.tune_thresholds(inner, fold.gold)
    queries = features(fold.held_tfidf, fold.held_minilm, fold.held_prior)
    return decide(fit_predict(x, fold.gold, queries), thresholds)


VARIANTS: dict[str, Callable[[Fold], np.ndarray]] = {
    "shipped": shipped,
    "at most 4": lambda fold: shipped(fold, most=4),
    "IMDB order": in_imdb_order,
    "rare by rate": rare_by_rate,
    "+ kNN": with_knn,
    "stacked": stacked,
}


def main() -> None:
    """Train the five folds once, then score every variant on them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    args = parser.parse_args()
    context = resolve_context({})
    rows = films(args.data)
    extra = load_extra("imdb")
    own = embed_texts([r["text"] for r in rows], context.embedding_model)
    folds = []
    for k in range(FOLDS):
        held = list(range(k, len(rows), FOLDS))
        kept = [i for i in range(len(rows)) if i % FOLDS != k]
        folds.append(train_fold(rows, own, held, kept, context, extra))
        print(f"fold {k + 1}/{FOLDS} trained", file=sys.stderr)
    gold = np.vstack([fold.held_gold for fold in folds])
    print("| variant | pooled macro-F1 | per fold |\n|---|---|---|")
    for name, variant in VARIANTS.items():
        chosen = [variant(fold) for fold in folds]
        per_fold = " ".join(f"{training.macro_f1(f.held_gold, c):.3f}" for f, c in zip(folds, chosen, strict=True))
        print(f"| {name} | {training.macro_f1(gold, np.vstack(chosen)):.3f} | {per_fold} |")


if __name__ == "__main__":
    main()
