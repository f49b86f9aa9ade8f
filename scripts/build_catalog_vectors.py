"""Embed the starter synopses' passages once, so that a new home does not have to (shipped in the package).

Run after changing the starter synopses or the passage splitting:
    HF_HUB_OFFLINE=1 .venv/bin/python scripts/build_catalog_vectors.py
tests/unit/test_catalog_vectors.py fails while the shipped file is out of date.
"""

from __future__ import annotations

import numpy as np

from theoros_agents.knowledge.catalog import SYNOPSES, VECTORS, VECTORS_MODEL, text_key
from theoros_agents.knowledge.documents import passages, unique_ids
from theoros_agents.knowledge.embeddings import load_embedder
from theoros_agents.knowledge.readers import read_synopses


def starter_passages() -> list:
    """The passages the plot store makes of the starter synopses, in load order."""
    return [p for film_id, doc in unique_ids(read_synopses(SYNOPSES)) for p in passages(doc, film_id)]


def main() -> None:
    """Embed and save them."""
    parts = starter_passages()
    # Two vectors a passage: its text, and its body without the heading (PlotStore.upsert_bodies).
    texts = [(p.id, text) for p in parts for text in (p.text, p.plain)]
    vectors = np.asarray(load_embedder(VECTORS_MODEL).embed([text for _, text in texts]), dtype=np.float32)
    keys = np.array([f"{pid}|{text_key(text)}" for pid, text in texts])
    np.savez_compressed(VECTORS, keys=keys, vectors=vectors)
    print(f"{len(parts)} passages, {len(keys)} vectors of {vectors.shape[1]} dimensions -> {VECTORS}")


if __name__ == "__main__":
    main()
