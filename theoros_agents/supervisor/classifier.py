"""The fast router's classifier: TF-IDF features and logistic regression over labelled utterances.

scikit-learn trains it (about two seconds); the trained weights are then kept as plain arrays and the
prediction is done here in plain Python, so answering a question imports neither scikit-learn nor numpy
and trains nothing: the weights are cached under `<home>/cache/`, named by a hash of the training data,
as text (vocabularies, metadata) and raw doubles, and load in milliseconds. Nothing in the cache is
executable or unpickled.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import shutil
import tempfile
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from theoros_agents.agents.registry import extra_examples
from theoros_agents.context import cache_dir

EXAMPLES = Path(__file__).resolve().parent / "data" / "router_examples.jsonl"
FORMAT = "router-v2"
"""Changes whenever the features or the file layout change, so an old cache is never read."""
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s\s+")


def word_terms(text: str) -> list[str]:
    """Word unigrams and bigrams, as scikit-learn's word analyzer makes them."""
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def char_terms(text: str, low: int = 2, high: int = 5) -> list[str]:
    """Character 2-5-grams inside word boundaries, as scikit-learn's `char_wb` analyzer makes them."""
    grams = []
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams += [padded[i : i + n] for i in range(max(len(padded) - n + 1, 1))]
            if len(padded) <= n:
                break
    return grams


@dataclass
class Block:
    """One TF-IDF feature block: its vocabulary and inverse document frequencies."""

    index: dict[str, int]
    idf: array

    def features(self, terms: list[str]) -> list[tuple[int, float]]:
        """(column, value) of the known terms: sublinear TF times IDF, L2-normalised."""
        counts = Counter(t for t in terms if t in self.index)
        pairs = [(self.index[t], (1.0 + math.log(c)) * self.idf[self.index[t]]) for t, c in counts.items()]
        norm = math.sqrt(sum(v * v for _, v in pairs))
        return [(column, value / norm) for column, value in pairs] if norm else pairs


class IntentClassifier:
    """Predict an intent with a probability from trained weights, without scikit-learn or numpy."""

    def __init__(self, words: list[str], chars: list[str], weights: array, labels: list[str]) -> None:
        self.labels = labels
        n_words, n_chars, n_labels = len(words), len(chars), len(labels)
        self.width = n_words + n_chars
        self.words = Block({t: i for i, t in enumerate(words)}, weights[:n_words])
        self.chars = Block({t: i for i, t in enumerate(chars)}, weights[n_words : self.width])
        self.coef = weights[self.width : self.width + n_labels * self.width]
        self.intercept = weights[self.width + n_labels * self.width :]
        self.vocabularies = (words, chars)

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Return every intent with its probability, most likely first."""
        offset = len(self.words.index)
        active = self.words.features(word_terms(text))
        active += [(column + offset, value) for column, value in self.chars.features(char_terms(text))]
        scores = []
        for k, intercept in enumerate(self.intercept):
            row = k * self.width
            scores.append(intercept + sum(self.coef[row + column] * value for column, value in active))
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        return sorted(((label, e / total) for label, e in zip(self.labels, exps, strict=True)), key=lambda p: -p[1])

    def predict(self, text: str) -> tuple[str, float]:
        """Return the most likely intent and its probability."""
        return self.rank(text)[0]

    def save(self, folder: Path) -> None:
        """Write the weights into `folder`, built aside and renamed, so a reader never sees half of it."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".router-"))
        words, chars = self.vocabularies
        meta = {"format": FORMAT, "labels": self.labels, "words": len(words), "chars": len(chars)}
        (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        (staging / "vocabulary.txt").write_text("\n".join([*words, *chars]), encoding="utf-8")
        weights = array("d", [*self.words.idf, *self.chars.idf, *self.coef, *self.intercept])
        (staging / "weights.bin").write_bytes(weights.tobytes())
        try:
            os.replace(staging, folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # Another process saved the same weights first.

    @classmethod
    def load(cls, folder: Path) -> IntentClassifier:
        """Read weights written by `save`; raises ValueError when the folder does not hold them."""
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder} holds router weights of another format")
        vocabulary = (folder / "vocabulary.txt").read_text(encoding="utf-8").split("\n")
        words, chars = vocabulary[: meta["words"]], vocabulary[meta["words"] :]
        weights = array("d")
        weights.frombytes((folder / "weights.bin").read_bytes())
        width, labels = len(words) + len(chars), [str(label) for label in meta["labels"]]
        if len(chars) != meta["chars"] or len(weights) != width + len(labels) * (width + 1):
            raise ValueError(f"{folder} holds incomplete router weights")
        return cls(words, chars, weights, labels)


def fit_pipeline(texts: list[str], intents: list[str]) -> Any:
    """Train the scikit-learn pipeline whose weights `IntentClassifier` carries."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
        ]
    )
    model = LogisticRegression(C=8.0, class_weight="balanced", max_iter=3000)
    return Pipeline([("features", features), ("model", model)]).fit(texts, intents)


def train(texts: list[str], intents: list[str]) -> IntentClassifier:
    """Train with scikit-learn and keep the weights."""
    pipeline = fit_pipeline(texts, intents)
    words, chars = (pipeline.named_steps["features"].transformer_list[i][1] for i in (0, 1))
    model = pipeline.named_steps["model"]

    def vocabulary(vectorizer: Any) -> list[str]:
        return sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)

    weights = array("d", [*words.idf_, *chars.idf_, *model.coef_.ravel(), *model.intercept_])
    return IntentClassifier(vocabulary(words), vocabulary(chars), weights, [str(c) for c in model.classes_])


def load_examples(path: Path = EXAMPLES) -> tuple[list[str], list[str]]:
    """Read JSONL of {"text", "intent"}."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows], [r["intent"] for r in rows]


@functools.cache
def default_classifier() -> IntentClassifier:
    """Train once per process on the examples shipped in the package (evaluation and benchmarks)."""
    return train(*load_examples())


def _training_data() -> tuple[list[str], list[str], str]:
    texts, intents = load_examples()
    extra = extra_examples()
    texts, intents = texts + [t for t, _ in extra], intents + [i for _, i in extra]
    digest = hashlib.sha256(json.dumps([FORMAT, texts, intents]).encode()).hexdigest()[:16]
    return texts, intents, digest


def router_classifier(home: str) -> IntentClassifier:
    """The classifier for the installed agents, loaded from `<home>/cache/` or trained and cached there."""
    return _router_classifier(str(Path(home).expanduser()))


@functools.cache
def _router_classifier(home: str) -> IntentClassifier:
    texts, intents, digest = _training_data()
    path = cache_dir(home) / f"router-{digest}"
    if path.is_dir():
        try:
            return IntentClassifier.load(path)
        except (OSError, ValueError, KeyError):
            pass  # A damaged cache is rebuilt below.
    classifier = train(texts, intents)
    try:
        classifier.save(path)
    except OSError:
        pass  # A read-only home still routes: the classifier stays in memory for this process.
    return classifier
