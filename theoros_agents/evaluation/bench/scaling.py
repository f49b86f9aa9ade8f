"""Hybrid search latency at 1k, 10k and 100k passages, over corpora synthesised from the real one.

The real passages and their vectors are read from the `make bench` plot store (ingested from the shared
data); `corpus.synthesise` explains how larger corpora are made from them. Each corpus is stored once under
`<home>/bench/scaling/<size>/` (Chroma + BM25, inserted with the precomputed vectors, so nothing is
embedded) and reused while its stamp matches; a query is embedded by MiniLM as in real use.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from theoros_agents.evaluation.bench import corpus
from theoros_agents.evaluation.bench.components import QUERIES
from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.report import Figure, Target
from theoros_agents.evaluation.bench.timing import Summary, ratio, time_calls

SECTION = "Scaling"
SIZES = (1_000, 10_000, 100_000)
BATCH = 1_000
FORMAT = 2
"""Bump when the synthesis changes, so that cached corpora are rebuilt."""


def read_real(store: Any) -> tuple[list[str], list[str], list[dict[str, Any]], np.ndarray, np.ndarray]:
    """Every passage of a plot store with its two stored embeddings (full text, body), in pages."""
    ids: list[str] = []
    texts: list[str] = []
    metas: list[dict[str, Any]] = []
    vectors: list[np.ndarray] = []
    offset = 0
    while True:
        page = store.collection.get(include=["documents", "metadatas", "embeddings"], limit=2_000, offset=offset)
        if not page["ids"]:
            break
        ids += page["ids"]
        texts += page["documents"]
        metas += [dict(m) for m in page["metadatas"]]
        vectors += [np.asarray(v, dtype=np.float32) for v in page["embeddings"]]
        offset += len(page["ids"])
    if not vectors:
        return ids, texts, metas, np.zeros((0, 0), dtype=np.float32), np.zeros((0, 0), dtype=np.float32)
    bodies = store._vectors(ids, store.bodies) if store.bodies is not None else {}
    if len(bodies) != len(ids):
        raise RuntimeError(f"{len(ids) - len(bodies)} passages of the bench store lack a body vector; run `make bench`")
    return ids, texts, metas, np.vstack(vectors), np.vstack([bodies[i] for i in ids])


def _stamp(size: int, real: int) -> dict[str, Any]:
    return {"format": FORMAT, "size": size, "real": real, "seed": corpus.SEED, "noise": corpus.NOISE}


def build(folder: Path, size: int, real: tuple[Any, ...], embedding_model: str) -> tuple[Any, float]:
    """Open the corpus of `size` passages at `folder`, synthesising and storing it first when its stamp differs.

    Returns:
        The plot store and the seconds spent building it (0 when it was cached).
    """
    from theoros_agents.knowledge.catalog import text_key
    from theoros_agents.knowledge.documents import Passage
    from theoros_agents.knowledge.plot_store import PlotStore

    stamp_file, stamp = folder / "corpus.json", _stamp(size, len(real[0]))
    if stamp_file.is_file() and json.loads(stamp_file.read_text(encoding="utf-8")) == stamp:
        return PlotStore.open(folder, embedding_model=embedding_model), 0.0
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    store = PlotStore.open(folder, embedding_model=embedding_model)
    batch: list[corpus.Passage] = []
    ids, texts, metadatas, vectors, bodies = real
    for passage in corpus.synthesise(ids, texts, metadatas, vectors, bodies, size):
        batch.append(passage)
        if len(batch) == BATCH:
            _upsert(store, batch, Passage, text_key)
            batch = []
    _upsert(store, batch, Passage, text_key)
    store.refresh_lexical(force=True)
    stamp_file.write_text(json.dumps(stamp), encoding="utf-8")
    return store, time.perf_counter() - started


def _upsert(store: Any, batch: list[corpus.Passage], passage: Any, text_key: Any) -> None:
    if batch:
        parts = [passage(p.id, p.text, p.metadata, corpus.split_heading(p.text)[1]) for p in batch]
        vectors = {f"{p.id}|{text_key(p.text)}": p.vector.tolist() for p in batch}
        vectors |= {
            f"{p.id}|{text_key(part.plain)}": p.body_vector.tolist() for p, part in zip(batch, parts, strict=True)
        }
        store.upsert(parts, vectors)


def run(config: BenchConfig) -> list[Figure]:
    """Build (or reuse) each corpus and time hybrid search and its two rankers over it."""
    from theoros_agents.context import resolve_context
    from theoros_agents.knowledge.stores import plot_store

    context = resolve_context()
    real = read_real(plot_store(context))
    if len(real[0]) < 2:
        raise RuntimeError(
            f"the plot store in {context.home} holds {len(real[0])} passages; run `make bench` to ingest"
        )
    sizes = SIZES[:2] if config.quick else SIZES
    rounds = 2 if config.quick else max(config.rounds, 5)
    embedder = plot_store(context).embedder
    embeddings = {q: embedder.embed_query(q) for q in QUERIES}
    embedding = Summary.of(time_calls([partial(embedder.embed_query, q) for q in QUERIES], rounds))
    name = "query embedding (MiniLM), part of every hybrid search"
    figures = [Figure(SECTION, name, embedding.p50, "ms", embedding.p95, n=embedding.n, note="the same at any size")]
    for size in sizes:
        print(f"   corpus of {size:,} passages ...", file=sys.stderr, flush=True)
        store, built = build(config.work / "scaling" / str(size), size, real, context.embedding_model)
        ranker = context.retriever_ranker
        hybrid = Summary.of(time_calls([partial(store.rank, ranker, q, 10) for q in QUERIES], rounds))
        bm25 = Summary.of(time_calls([partial(store.bm25_search, q, 30) for q in QUERIES], rounds))
        nearest = [partial(store._nearest, embeddings[q], 30, None) for q in QUERIES]
        index = Summary.of(time_calls(nearest, rounds))
        synthetic = max(0, size - len(real[0]))
        note = (
            f"BM25 top 30 {bm25.p50:.1f} ms, vector index top 30 {index.p50:.1f} ms (query embedded beforehand); "
            f"{synthetic:,} synthetic passages" + (f"; built in {built:.0f} s" if built else "")
        )
        target = Target(150) if size == 100_000 else None
        figures.append(
            Figure(
                SECTION,
                f"hybrid search ({ranker} ranker) k=10, {store.count():,} passages",
                hybrid.p50,
                "ms",
                hybrid.p95,
                target,
                n=hybrid.n,
                note=note,
                extra={"bm25": bm25.__dict__, "vector_index": index.__dict__, "build_s": built, "synthetic": synthetic},
            )
        )
    if len(sizes) > 1:
        last, base = figures[-1], figures[1]
        grown = ratio(last.value or 0.0, base.value or 0.0)
        figures.append(Figure(SECTION, f"latency growth, {sizes[-1]:,} / {sizes[0]:,} passages", grown, "x"))
    return figures
