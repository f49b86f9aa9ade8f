"""The extra training data's vectors are embedded once and then read back from the home's cache."""

import numpy as np
import pytest

from theoros_agents.agents.tagger import similarity
from theoros_agents.context import resolve_context

TEXTS = ["A lone gunslinger rides into a frontier town.", "Two soldiers cross no man's land at night."]


@pytest.fixture(scope="module")
def model_id() -> str:
    return resolve_context().embedding_model


def test_vectors_are_embedded_once_then_read_back(tmp_path, model_id, monkeypatch):
    first = similarity.embed_cached(TEXTS, model_id, tmp_path)
    assert first.shape[0] == 2 and len(list(tmp_path.glob("tagger-vectors-*.npy"))) == 1

    def no_embedding(*args, **kwargs):
        raise AssertionError("the cached vectors should have been read")

    monkeypatch.setattr(similarity, "embed_texts", no_embedding)
    assert np.array_equal(similarity.embed_cached(TEXTS, model_id, tmp_path), first)
    with pytest.raises(AssertionError):  # Other texts are another entry.
        similarity.embed_cached(TEXTS[:1], model_id, tmp_path)


def test_a_damaged_cache_file_is_embedded_again(tmp_path, model_id):
    expected = similarity.embed_cached(TEXTS, model_id, tmp_path)
    (cached,) = tmp_path.glob("tagger-vectors-*.npy")
    cached.write_bytes(b"\x93NUMPY not really")
    assert np.allclose(similarity.embed_cached(TEXTS, model_id, tmp_path), expected)
    assert np.allclose(np.load(cached, allow_pickle=False), expected)  # Written whole again.


def test_without_a_cache_folder_nothing_is_written(tmp_path, model_id):
    vectors = similarity.embed_cached(TEXTS, model_id, None)
    assert vectors.shape[0] == 2 and not list(tmp_path.iterdir())
