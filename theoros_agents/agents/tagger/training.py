"""Train the classic tagger classifiers: `theoros train tagger --dataset FILE [--extra FILE ...]`.

The dataset is the labelled data of the task itself; its items are split in folds, and the
out-of-fold scores tune each label's threshold and the ensemble's blend. Extra files (other sources
mapped to the same labels, possibly partially: see `Example.known`) join every fold's training
data, weighted down, and are never used for tuning.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.model_selection import KFold
from tqdm import tqdm

from theoros_agents.agents.tagger.classifier import (
    DEFAULT_THRESHOLD,
    MIN_POSITIVES,
    WITH_RECORD,
    Blend,
    OneVsRest,
    TaggerClassifier,
    tfidf_text,
    tfidf_vectorizer,
)
from theoros_agents.agents.tagger.dataset import Example
from theoros_agents.agents.tagger.record_model import RecordModel
from theoros_agents.agents.tagger.similarity import embed_cached, embed_texts, label_vectors
from theoros_agents.agents.tagger.taxonomy import LabelSet
from theoros_agents.errors import ConfigError

FOLDS = 5
SEED = 0
TFIDF_C = 10.0
MINILM_C = 1.0
BLENDS = (0.5, 0.6, 0.7, 0.8)
PRIOR_WEIGHTS = (0.0, 0.05, 0.1, 0.2)
RECORD_WEIGHTS = (0.25, 0.5, 0.75, 1.0)
MIN_RECORDS = 20
"""Dataset items with a record needed to train the record model: fewer cannot tune its weight."""
GRID = np.arange(0.05, 0.96, 0.025)


@dataclass
class Models:
    """One fit of both models on some examples."""

    vectorizer: Any
    tfidf: OneVsRest
    minilm: OneVsRest

    def predict(self, texts: Sequence[str], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the TF-IDF and the MiniLM probabilities."""
        features = self.vectorizer.transform([tfidf_text(t) for t in texts])
        return self.tfidf.predict(features), self.minilm.predict(vectors)


def fit_models(examples: Sequence[Example], vectors: np.ndarray, labels: Sequence[str]) -> Models:
    """Fit the TF-IDF and the MiniLM one-vs-rest models on the same examples."""
    vectorizer = tfidf_vectorizer()
    features = vectorizer.fit_transform([tfidf_text(e.text) for e in examples])
    return Models(
        vectorizer,
        OneVsRest.fit(features, examples, labels, TFIDF_C),
        OneVsRest.fit(vectors, examples, labels, MINILM_C),
    )


def f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    """F1 of one label's boolean predictions."""
    hits = float((gold & predicted).sum())
    return 2 * hits / max(float(gold.sum() + predicted.sum()), 1.0)


def _quality(gold: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[float, float]:
    """Rank a threshold by F1, then by closeness to the default (ties are common on small data)."""
    return f1(gold, scores >= threshold), -abs(threshold - DEFAULT_THRESHOLD)


def _shared_quality(gold: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[float, float]:
    """Rank a threshold shared by several labels by their summed F1, then by closeness to the default."""
    total = sum(f1(gold[:, j], scores[:, j] >= threshold) for j in range(gold.shape[1]))
    return total, -abs(threshold - DEFAULT_THRESHOLD)


def tune_thresholds(scores: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Pick each label's F1-best threshold on out-of-fold scores; rare labels share one.

    A label with fewer than MIN_POSITIVES examples cannot be tuned alone, but the default 0.5 of a balanced
    model tags far too many films with it (War: 11 of 232 held-out films for 2 true ones). The rare labels
    together get the threshold best for their summed F1: one value fit on all their examples. A label with
    no example keeps the default.
    """
    thresholds = np.full(gold.shape[1], DEFAULT_THRESHOLD)
    counts = gold.sum(axis=0)
    for j in np.flatnonzero(counts >= MIN_POSITIVES):
        thresholds[j] = max(GRID, key=lambda t: _quality(gold[:, j], scores[:, j], float(t)))
    rare = np.flatnonzero((counts > 0) & (counts < MIN_POSITIVES))
    if rare.size:
        thresholds[rare] = max(GRID, key=lambda t: _shared_quality(gold[:, rare], scores[:, rare], float(t)))
    return thresholds


def macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    """Macro-F1 over the labels that occur in the gold or the predictions."""
    used = [j for j in range(gold.shape[1]) if gold[:, j].any() or predicted[:, j].any()]
    return float(np.mean([f1(gold[:, j], predicted[:, j]) for j in used])) if used else 0.0


def out_of_fold(
    dataset: Sequence[Example], extra: Sequence[Example], vectors: np.ndarray, labels: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Score each dataset item with models that never saw it (extra examples join every fold)."""
    n = len(dataset)
    tfidf, minilm = np.zeros((n, len(labels))), np.zeros((n, len(labels)))
    folds = KFold(min(FOLDS, n), shuffle=True, random_state=SEED).split(np.arange(n))
    for train, held in tqdm(list(folds), desc="cross-validation", unit="fold", leave=False):
        examples = [dataset[i] for i in train] + list(extra)
        fold_vectors = np.vstack([vectors[train], vectors[n:]])
        models = fit_models(examples, fold_vectors, labels)
        tfidf[held], minilm[held] = models.predict([dataset[i].text for i in held], vectors[held])
    return tfidf, minilm


def records_out_of_fold(dataset: Sequence[Example], labels: Sequence[str]) -> np.ndarray:
    """Score each item's record with a record model that never saw it (every item has a record)."""
    scores = np.zeros((len(dataset), len(labels)))
    for train, held in KFold(FOLDS, shuffle=True, random_state=SEED).split(np.arange(len(dataset))):
        model = RecordModel.fit([dataset[i] for i in train], labels)
        scores[held] = model.predict([dataset[i].record for i in held])  # type: ignore[misc]
    return scores


def record_blend(
    dataset: Sequence[Example], names: Sequence[str], scores: tuple[np.ndarray, ...], gold: np.ndarray
) -> tuple[RecordModel | None, Blend | None]:
    """Fit the record model and tune the ensemble with it on the items that have a record (None: too few have)."""
    having = [i for i, e in enumerate(dataset) if e.record is not None]
    if len(having) < MIN_RECORDS:
        return None, None
    items = [dataset[i] for i in having]
    tfidf, minilm, prior = (s[having] for s in scores)
    blend = best_record_blend(tfidf, minilm, prior, records_out_of_fold(items, names), gold[having])
    return RecordModel.fit(items, names), blend


def best_blend(
    tfidf: np.ndarray, minilm: np.ndarray, prior: np.ndarray, gold: np.ndarray
) -> tuple[float, float, np.ndarray, float]:
    """Search the blend weight and prior weight with the best out-of-fold macro-F1."""
    blend = best_record_blend(tfidf, minilm, prior, np.zeros_like(tfidf), gold, (0.0,))
    return blend.blend, blend.prior_weight, blend.thresholds, blend.score


def best_record_blend(
    tfidf: np.ndarray,
    minilm: np.ndarray,
    prior: np.ndarray,
    record: np.ndarray,
    gold: np.ndarray,
    record_weights: Sequence[float] = RECORD_WEIGHTS,
) -> Blend:
    """Search the blend, prior and record weights with the best out-of-fold macro-F1."""
    best = Blend(0.0, 0.0, 0.0, np.array([]), -1.0)
    for blend, weight, record_weight in itertools.product(BLENDS, PRIOR_WEIGHTS, record_weights):
        scores = blend * minilm + (1 - blend) * tfidf + weight * prior + record_weight * record
        thresholds = tune_thresholds(scores, gold)
        score = macro_f1(gold, scores >= thresholds)
        if score > best.score + 1e-9:
            best = Blend(blend, weight, record_weight, thresholds, score)
    return best


def label_names(dataset: Sequence[Example], labels: LabelSet) -> list[str]:
    """Return the dataset's labels, in label-set order; a label outside the set is an error."""
    used = {name for e in dataset for name in e.labels}
    outside = sorted(n for n in used if labels.resolve(n) is None)
    if outside:
        raise ConfigError(f"labels {outside} of the dataset are not in the label set {labels.name!r}")
    return [name for name in labels.names if name in {labels.resolve(n) for n in used}]


def canonical(examples: Sequence[Example], labels: LabelSet) -> list[Example]:
    """Rename every label to its name in the label set; labels outside it are dropped."""

    def names(values: frozenset[str] | None) -> frozenset[str] | None:
        if values is None:
            return None
        return frozenset(r for r in (labels.resolve(v) for v in values) if r is not None)

    return [replace(e, labels=names(e.labels) or frozenset(), known=names(e.known)) for e in examples]


def train(
    dataset: Sequence[Example],
    extra: Sequence[Example],
    labels: LabelSet,
    embedding_model: str,
    extra_weight: float = 1 / 3,
    cache: Path | None = None,
) -> TaggerClassifier:
    """Cross-validate, tune thresholds and the blend on `dataset`, then fit on everything.

    `cache` is a folder where the extra data's vectors are kept between trainings (see `embed_cached`).
    """
    if len(dataset) < FOLDS:
        raise ConfigError(f"the dataset has {len(dataset)} items; training needs at least {FOLDS}")
    names = label_names(dataset, labels)
    label_set = labels.subset(names, labels.name)
    dataset = canonical(dataset, label_set)
    extra = [replace(e, weight=e.weight * extra_weight) for e in canonical(extra, label_set)]
    started = time.perf_counter()
    vectors = _embed(dataset, extra, embedding_model, cache)
    gold = np.array([[name in e.labels for name in names] for e in dataset])
    tfidf, minilm = out_of_fold(dataset, extra, vectors, names)
    described = label_vectors(label_set, embedding_model)
    similarity = vectors[: len(dataset)] @ described.T
    mean, scale = similarity.mean(axis=0), similarity.std(axis=0) + 1e-6
    prior = (similarity - mean) / scale
    blend, weight, ensemble, cv_ensemble = best_blend(tfidf, minilm, prior, gold)
    thresholds = {"tfidf": tune_thresholds(tfidf, gold), "minilm": tune_thresholds(minilm, gold), "ensemble": ensemble}
    record_model, with_record = record_blend(dataset, names, (tfidf, minilm, prior), gold)
    final = fit_models([*dataset, *extra], vectors, names)
    cv = {
        "tfidf": round(macro_f1(gold, tfidf >= thresholds["tfidf"]), 4),
        "minilm": round(macro_f1(gold, minilm >= thresholds["minilm"]), 4),
        "ensemble": round(cv_ensemble, 4),
    }
    if with_record is not None:
        thresholds[WITH_RECORD] = with_record.thresholds
        cv[WITH_RECORD] = round(with_record.score, 4)
    report = {
        "dataset_items": len(dataset),
        "extra_items": len(extra),
        "record_items": sum(e.record is not None for e in dataset),
        "cv_macro_f1": cv,
        "seconds": round(time.perf_counter() - started, 1),
        "scikit_learn": sklearn.__version__,
    }
    return TaggerClassifier(
        names, embedding_model, final.vectorizer, final.tfidf, final.minilm, described, mean, scale,
        blend, weight, thresholds, report, record_model, with_record,
    )  # fmt: skip


def _embed(dataset: Sequence[Example], extra: Sequence[Example], model_id: str, cache: Path | None) -> np.ndarray:
    """Vectors of the dataset then the extra data; the extra data's come from the cache when it has them."""
    parts = [embed_texts([e.text for e in dataset], model_id, progress="embedding")]
    if extra:
        parts.append(embed_cached([e.text for e in extra], model_id, cache, progress="embedding extra data"))
    return np.vstack(parts)


def describe_training(model: TaggerClassifier, path: Path) -> str:
    """Say in one line what was trained and how well it did in cross-validation."""
    report = model.report
    scores = ", ".join(f"{kind} {value}" for kind, value in report["cv_macro_f1"].items())
    records = ""
    if model.record_blend is not None:
        records = f", {report['record_items']} with a film record (record weight {model.record_blend.record_weight})"
    return (
        f"{path}: {len(model.labels)} labels, {report['dataset_items']} dataset + {report['extra_items']} extra "
        f"items{records}; cross-validated macro-F1: {scores} (blend {model.blend}, prior {model.prior_weight})"
    )
