"""The starter synopses' embeddings ship with the package and match what the embedder makes today."""

import importlib.util
import sys
from pathlib import Path

import numpy as np

from theoros_agents.knowledge.catalog import VECTORS_MODEL, starter_vectors, text_key
from theoros_agents.knowledge.embeddings import load_embedder

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_catalog_vectors.py"


def _starter_passages():
    spec = importlib.util.spec_from_file_location("build_catalog_vectors", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.starter_passages()


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
