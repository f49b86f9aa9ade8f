"""Classic tagger classifiers: TF-IDF or MiniLM features, one-vs-rest logistic regression, tuned thresholds.

Three kinds come out of one training run and are scored side by side by `theoros eval tagger`:
`tfidf`, `minilm`, and `ensemble` (a blend of the two plus the similarity of the synopsis to each
label's description, which helps the labels with few examples). When the training items carry film
records (`record.Record`), `ensemble` reads a film's record beside its text too: a third model, with its
own blend and thresholds (`WITH_RECORD`), used for the films that come with a record.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from theoros_agents.agents.tagger.dataset import Example
from theoros_agents.errors import ConfigError

if TYPE_CHECKING:
    from theoros_agents.agents.tagger.record import Record
    from theoros_agents.agents.tagger.record_model import RecordModel

KINDS = ("tfidf", "minilm", "ensemble")
DEFAULT_THRESHOLD = 0.5
MIN_POSITIVES = 5
"""A label with fewer examples than this in the tuning data shares one threshold with the other rare labels."""
TFIDF_WORDS = 2000
WITH_RECORD = "ensemble+record"
"""The ensemble reading a film's record beside its text: its key in `thresholds` and `scores`."""


@dataclass
class OneVsRest:
    """Per-label logistic regression weights; each label is fit only on the examples that know it."""

    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def fit(cls, features: Any, examples: Sequence[Example], labels: Sequence[str], c: float) -> OneVsRest:
        """Fit one balanced logistic regression per label."""
        coef = np.zeros((len(labels), features.shape[1]), dtype=np.float32)
        # A label with no positive (or no negative) example can only ever be predicted absent (or present).
        intercept = np.full(len(labels), -30.0, dtype=np.float32)
        weights = np.array([e.weight for e in examples])
        for j, label in enumerate(labels):
            known = np.array([e.knows(label) for e in examples])
            y = np.array([label in e.labels for e in examples])[known]
            if y.all() and y.size:
                intercept[j] = 30.0
            if y.any() and not y.all():
                model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
                model.fit(features[known], y, sample_weight=weights[known])
                coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
        return cls(coef, intercept)

    def predict(self, features: Any) -> np.ndarray:
        """Return the probability of every label for every row."""
        logits = np.asarray(features @ self.coef.T) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))


def tfidf_vectorizer() -> TfidfVectorizer:
    """Word unigrams and bigrams, sublinear counts, English stop words removed."""
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, stop_words="english", max_features=50_000)


def tfidf_text(text: str) -> str:
    """Cut a text to the words the TF-IDF model reads."""
    return " ".join(text.split()[:TFIDF_WORDS])


@dataclass(frozen=True)
class Blend:
    """The ensemble's weights, and the thresholds and out-of-fold macro-F1 they give."""

    blend: float
    prior_weight: float
    record_weight: float
    thresholds: np.ndarray
    score: float


@dataclass
class TaggerClassifier:
    """A trained classifier bundle: both models, the label prior, the blend and per-kind thresholds."""

    labels: list[str]
    embedding_model: str
    vectorizer: TfidfVectorizer
    tfidf: OneVsRest
    minilm: OneVsRest
    label_vectors: np.ndarray
    prior_mean: np.ndarray
    prior_scale: np.ndarray
    blend: float = 0.7
    prior_weight: float = 0.1
    thresholds: dict[str, np.ndarray] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    """How it was trained: files, counts, cross-validated macro-F1 per kind, library versions."""
    record_model: RecordModel | None = None
    record_blend: Blend | None = None
    """The ensemble's weights when a record is read too (thresholds under `WITH_RECORD`); None: trained without."""

    def prior(self, vectors: np.ndarray) -> np.ndarray:
        """Standardized similarity of each synopsis to each label description."""
        return (vectors @ self.label_vectors.T - self.prior_mean) / self.prior_scale

    def reads_record(self, kind: str, record: Record | None) -> bool:
        """Whether `kind` reads this record: the ensemble does, when it was trained with records."""
        return kind == "ensemble" and record is not None and self.record_model is not None

    def scores(
        self, kind: str, texts: Sequence[str], vectors: np.ndarray, records: Sequence[Record] = ()
    ) -> np.ndarray:
        """Score every label for every synopsis with the model `kind`; compare with `thresholds[kind]`.

        `WITH_RECORD` takes one record a synopsis (see `reads_record`).
        """
        if kind == "minilm":
            return self.minilm.predict(vectors)
        if kind not in ("tfidf", "ensemble", WITH_RECORD):
            raise ConfigError(f"unknown classifier kind {kind!r}; kinds are {', '.join(KINDS)}")
        tfidf = self.tfidf.predict(self.vectorizer.transform([tfidf_text(t) for t in texts]))
        if kind == "tfidf":
            return tfidf
        if kind == "ensemble":
            return self._mixed(self.blend, self.prior_weight, tfidf, vectors)
        if kind == WITH_RECORD and self.record_model is not None and self.record_blend is not None:
            b = self.record_blend
            mixed = self._mixed(b.blend, b.prior_weight, tfidf, vectors)
            return mixed + b.record_weight * self.record_model.predict(records)
        raise ConfigError("this tagger classifier was trained without film records; train it on a dataset with them")

    def _mixed(self, blend: float, prior_weight: float, tfidf: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        return blend * self.minilm.predict(vectors) + (1 - blend) * tfidf + prior_weight * self.prior(vectors)

    def decide(self, kind: str, scores: np.ndarray) -> list[tuple[str, float]]:
        """Return the labels over their threshold (at least the best one), with a confidence of 0.5 at threshold."""
        thresholds = self.thresholds[kind]
        ratio = scores / thresholds
        chosen = [j for j in np.argsort(-ratio) if ratio[j] >= 1.0] or [int(np.argmax(ratio))]
        return [(self.labels[j], confidence(float(scores[j]), float(thresholds[j]))) for j in chosen]


def confidence(score: float, threshold: float) -> float:
    """Map a score to [0, 1] so that the label's own decision threshold maps to 0.5."""
    if score < threshold:
        return round(max(score, 0.0) / threshold * 0.5, 4)
    return round(min(0.5 + 0.5 * (score - threshold) / max(1.0 - threshold, 1e-6), 1.0), 4)


def save(model: TaggerClassifier, path: Path) -> None:
    """Write the classifier to `path` (joblib), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)


def classifier_path(home: str, name: str) -> Path:
    """Return where the classifier `name` lives: a .joblib path as given, else <home>/tagger/<name>.joblib."""
    if name.endswith(".joblib"):
        return Path(name).expanduser()
    return Path(home).expanduser() / "tagger" / f"{name}.joblib"


def load(path: Path) -> TaggerClassifier:
    """Read a trained classifier, or say how to train one."""
    if not path.is_file():
        raise ConfigError(
            f"no trained tagger classifier at {str(path)!r}: run 'theoros train tagger --dataset FILE' first"
        )
    return _load(str(path), path.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> TaggerClassifier:
    try:
        model = joblib.load(path)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ModuleNotFoundError) as exc:
        raise ConfigError(f"cannot read tagger classifier {path!r} ({exc}); train it again") from exc
    if not isinstance(model, TaggerClassifier):
        raise ConfigError(f"{path!r} is not a tagger classifier; train it again")
    trained_with = model.report.get("scikit_learn", "")
    if trained_with and trained_with.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise ConfigError(
            f"tagger classifier {path!r} was trained with scikit-learn {trained_with}, this is "
            f"{sklearn.__version__}; train it again"
        )
    return model
