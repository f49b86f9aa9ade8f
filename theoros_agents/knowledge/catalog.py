"""The starter catalog shipped in the package: facts (N-Triples) and synopses written for Theoros."""

from __future__ import annotations

import hashlib
from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
FACTS = CATALOG_DIR / "films.nt"
SYNOPSES = CATALOG_DIR / "synopses.jsonl"
VECTORS = CATALOG_DIR / "synopses.vectors.npz"
"""The starter passages' embeddings, computed when the catalog is built (scripts/build_catalog_vectors.py)."""
VECTORS_MODEL = "sentence-transformers:all-MiniLM-L6-v2"


def text_key(text: str) -> str:
    """A short hash of a passage's text: a shipped vector is used only for the very text it embeds."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def starter_vectors(embedding_model: str) -> dict[str, list[float]]:
    """The shipped embeddings by (passage id + text hash), when `embedding_model` is the one they were made with.

    They spare a new home the embedding of every starter synopsis (several seconds on a laptop).
    """
    if embedding_model != VECTORS_MODEL or not VECTORS.is_file():
        return {}
    import numpy as np

    with np.load(VECTORS, allow_pickle=False) as data:
        keys, vectors = data["keys"], data["vectors"]
        return {str(key): vector.tolist() for key, vector in zip(keys, vectors, strict=True)}
