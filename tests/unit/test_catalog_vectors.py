"""The starter synopses' embeddings ship with the package and match what the embedder makes today."""

import numpy as np

from tests.script_loader import load_script
from theoros_agents.knowledge.catalog import VECTORS_MODEL, starter_vectors, text_key
from theoros_agents.knowledge.embeddings import load_embedder


def _starter_passages():
    return load_script("build_catalog_vectors").starter_passages()


def test_every_starter_passage_has_its_shipped_vector():
    vectors = starter_vectors(VECTORS_MODEL)
    parts = _starter_passages()
    keys = [f"{p.id}|{text_key(text)}" for p in parts for text in (p.text, p.plain)]
    missing = [key for key in keys if key not in vectors]
    assert not missing, f"run scripts/build_catalog_vectors.py: {len(missing)} vectors missing"
    assert len(vectors) == len(keys) == 2 * len(parts)


def test_shipped_vectors_equal_fresh_embeddings():
    vectors = starter_vectors(VECTORS_MODEL)
    sample = [(p.id, text) for p in _starter_passages()[::60] for text in (p.text, p.plain)]
    fresh = load_embedder(VECTORS_MODEL).embed([text for _, text in sample])
    for (part_id, text), vector in zip(sample, fresh, strict=True):
        shipped = np.asarray(vectors[f"{part_id}|{text_key(text)}"])
        assert float(np.dot(shipped, vector) / (np.linalg.norm(shipped) * np.linalg.norm(vector))) > 0.999


def test_another_embedding_model_gets_no_shipped_vectors():
    assert starter_vectors("ollama:nomic-embed-text") == {}
