"""Embedding similarity between a synopsis and label descriptions: zero-shot tags, and the SLM's shortlist."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy as np
from tqdm import tqdm

from theoros_agents.agents.tagger.taxonomy import LabelSet
from theoros_agents.knowledge.embeddings import load_embedder

EMBED_WORDS = 200
"""Words of a text that are embedded: all-MiniLM-L6-v2 reads 256 word pieces, about 180-200 English words."""
MARGIN = 0.1
"""Labels within this cosine similarity of the best one are kept too (measured on the IMDB development split)."""
BATCH = 256


def _clip(text: str) -> str:
    return " ".join(text.split()[:EMBED_WORDS])


def embed_texts(texts: list[str], model_id: str, progress: str = "") -> np.ndarray:
    """Embed many texts (normalized rows), with a progress bar on stderr when `progress` names the task."""
    embedder = load_embedder(model_id)
    rows: list[list[float]] = []
    steps = range(0, len(texts), BATCH)
    for start in tqdm(steps, desc=progress, unit="batch", disable=not progress, leave=False):
        rows += embedder.embed([_clip(t) for t in texts[start : start + BATCH]])
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)


def embed_cached(texts: list[str], model_id: str, cache: Path | None, progress: str = "") -> np.ndarray:
    """`embed_texts`, kept under `cache` by a digest of the model and the texts, so fixed data is embedded once.

    Training on the shipped extra synopses re-reads the same 8,525 texts every time: embedding them takes
    minutes on a small machine, loading their vectors a few milliseconds. The file holds plain floats
    (`allow_pickle=False`); a missing, damaged or mismatched one is embedded again.
    """
    if cache is None or not texts:
        return embed_texts(texts, model_id, progress)
    digest = hashlib.sha256("\0".join([model_id, *texts]).encode()).hexdigest()[:16]
    path = cache / f"tagger-vectors-{digest}.npy"
    try:
        vectors = np.load(path, allow_pickle=False)
        if vectors.ndim == 2 and vectors.shape[0] == len(texts) and vectors.dtype == np.float32:
            return vectors
    except (OSError, ValueError, EOFError):
        pass  # Not cached yet, or a damaged file: embed below.
    vectors = embed_texts(texts, model_id, progress)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.stem + ".partial.npy")
        np.save(partial, vectors, allow_pickle=False)
        partial.replace(path)  # Whole or absent: a crash mid-write never leaves a short file under the name.
    except OSError:
        pass  # A read-only home still trains; it embeds again next time.
    return vectors


def embed_one(text: str, model_id: str) -> np.ndarray:
    """Embed one synopsis on the fast single-text path."""
    return np.asarray(load_embedder(model_id).embed_query(_clip(text)), dtype=np.float32)


@functools.lru_cache(maxsize=16)
def label_vectors(labels: LabelSet, model_id: str) -> np.ndarray:
    """Embed each label with its description, once per label set and model."""
    return embed_texts([label.prompt_text() for label in labels], model_id)


def similarities(vector: np.ndarray, labels: LabelSet, model_id: str) -> np.ndarray:
    """Return the cosine similarity of an embedded synopsis to every label, in label-set order."""
    return label_vectors(labels, model_id) @ vector


def shortlist(scores: np.ndarray, labels: LabelSet, size: int) -> list[tuple[str, float]]:
    """Return the `size` most similar labels with their similarity, best first."""
    order = np.argsort(-scores)[: max(size, 1)]
    return [(labels.names[i], float(scores[i])) for i in order]


def choose(scores: np.ndarray, labels: LabelSet, max_labels: int, margin: float = MARGIN) -> list[tuple[str, float]]:
    """Keep the best label and those within `margin` of it, at most `max_labels`; confidence is the similarity."""
    cut = float(scores.max()) - margin
    return [(name, min(max(score, 0.0), 1.0)) for name, score in shortlist(scores, labels, max_labels) if score >= cut]
