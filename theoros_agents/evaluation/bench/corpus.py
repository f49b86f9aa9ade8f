"""Synthesise plot corpora larger than the real one, with vectors, for the scaling benchmark.

Embedding 100k passages with MiniLM takes hours on 2 cores, so the corpus is built from the real passages
and their real embeddings (the ~10.5k that `make bench` ingests from the shared data):

- up to the number of real passages, a seeded random sample of them, with their own vectors;
- beyond it, synthetic passages. Synthetic passage j takes two distinct real passages A and B (seeded
  draws), keeps A's heading ("Title (Year): ") with the title suffixed " j", and joins the first half of A's
  sentences to the second half of B's (a one-sentence passage gives its whole text). Its vector is
  w·v_A + (1−w)·v_B + noise, renormalised to unit length, where w is the share of its words taken from A and
  the noise is Gaussian with norm about `NOISE` (per component σ = NOISE/√dim). MiniLM pools token
  embeddings by their mean, so a passage spliced from two others embeds close to the word-weighted mean of
  their embeddings; the noise keeps near-duplicates apart, as distinct real passages are.

Each passage also has a body vector (of its text without the heading, as the plot store keeps), made the
same way from A's and B's body vectors with noise of its own.

So BM25 sees real English with real term statistics and passage lengths, and the vector index sees vectors
clustered like real ones; neither sees thousands of identical copies. Metadata is A's, with `source`
'synthetic', an empty `qid` and its own `film_id`, so filters and film lookups behave as on real data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

NOISE = 0.1
SEED = 13
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Passage:
    """A passage of the corpus with its embedding."""

    id: str
    text: str
    metadata: dict[str, Any]
    vector: np.ndarray
    body_vector: np.ndarray


def split_heading(text: str) -> tuple[str, str]:
    """Split 'Title (Year): body' into ('Title (Year)', 'body'); no heading gives ('', text)."""
    heading, sep, body = text.partition(": ")
    return (heading, body) if sep and heading and len(heading) <= 200 else ("", text)


def sentences(text: str) -> list[str]:
    """Split text at sentence ends."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def splice(text_a: str, text_b: str, label: str) -> tuple[str, float]:
    """Join the first half of A's sentences to the second half of B's, under A's heading suffixed with `label`.

    Returns:
        The new text and the share of its body's words that come from A.
    """
    heading, body_a = split_heading(text_a)
    _, body_b = split_heading(text_b)
    first, second = sentences(body_a), sentences(body_b)
    from_a = first[: max(1, len(first) // 2)]
    from_b = second[len(second) // 2 :] if len(second) > 1 else second
    words_a, words_b = sum(len(s.split()) for s in from_a), sum(len(s.split()) for s in from_b)
    weight = words_a / (words_a + words_b) if words_a + words_b else 1.0
    title = re.sub(r"(\s\(\d{4}\))?$", lambda m: f" {label}{m.group(0)}", heading, count=1) if heading else label
    return f"{title}: {' '.join(from_a + from_b)}", weight


def mix(vector_a: np.ndarray, vector_b: np.ndarray, weight: float, rng: np.random.Generator) -> np.ndarray:
    """w·a + (1−w)·b plus Gaussian noise of norm about NOISE, normalised to unit length."""
    mixed = weight * vector_a + (1 - weight) * vector_b
    mixed = mixed + rng.normal(0.0, NOISE / np.sqrt(len(mixed)), len(mixed))
    norm = float(np.linalg.norm(mixed))
    return (mixed / norm if norm else mixed).astype(np.float32)


def synthesise(
    ids: Sequence[str],
    texts: Sequence[str],
    metadatas: Sequence[dict[str, Any]],
    vectors: np.ndarray,
    bodies: np.ndarray,
    size: int,
    seed: int = SEED,
) -> Iterator[Passage]:
    """Yield a corpus of `size` passages: a seeded sample of the real ones, then synthetic ones (see the module).

    Raises:
        ValueError: With fewer than two real passages, or vectors and body vectors that do not match them.
    """
    real = len(ids)
    if real < 2 or not (len(texts) == len(metadatas) == real == len(vectors) == len(bodies)):
        raise ValueError(
            f"need at least two real passages with one vector and one body vector each, got {real} passages, "
            f"{len(vectors)} vectors and {len(bodies)} body vectors"
        )
    rng = np.random.default_rng(seed)
    for i in sorted(rng.choice(real, size=min(size, real), replace=False).tolist()):
        vector, body = (np.asarray(v[i], dtype=np.float32) for v in (vectors, bodies))
        yield Passage(ids[i], texts[i], dict(metadatas[i]), vector, body)
    for j in range(size - real):
        a, b = (int(x) for x in rng.choice(real, size=2, replace=False))
        text, weight = splice(texts[a], texts[b], str(j))
        film_id = f"synthetic:{j}"
        metadata = dict(metadatas[a]) | {"source": "synthetic", "qid": "", "film_id": film_id, "passage": 0, "url": ""}
        metadata["title"] = split_heading(text)[0].rsplit(" (", 1)[0] or metadata.get("title", "")
        vector = mix(vectors[a], vectors[b], weight, rng)
        yield Passage(f"{film_id}#0", text, metadata, vector, mix(bodies[a], bodies[b], weight, rng))
