"""Evaluate plot retrieval: recall@1, recall@5 and MRR by film, per ranker (BM25, vectors, hybrid)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.datasets import read_jsonl
from theoros_agents.evaluation.metrics import percentile
from theoros_agents.knowledge.linker import normalize
from theoros_agents.knowledge.stores import plot_store

RANKERS = ("bm25", "vector", "hybrid")
DEPTH = 20


def load_dataset(path: Path) -> list[dict[str, Any]]:
    """Read JSONL of {"query", "relevant_titles": ["Title (Year)"], optional "where" filter}; report bad lines."""

    def parse(row: dict[str, Any]) -> dict[str, Any]:
        relevant = {_key(t) for t in row["relevant_titles"]}
        return {"query": str(row["query"]), "relevant": relevant, "where": row.get("where")}

    return read_jsonl(path, parse, '{"query", "relevant_titles"}')


def _key(title_year: str) -> str:
    """'Jaws (1975)' and a hit titled Jaws from 1975 share the key 'jaws|1975'."""
    title, _, year = title_year.rstrip(")").rpartition(" (")
    return f"{normalize(title)}|{year}" if title and year.isdigit() else f"{normalize(title_year)}|"


def _films(hits: list[Any]) -> list[str]:
    """Film keys in rank order, each film once (several passages may belong to one film)."""
    keys: list[str] = []
    for hit in hits:
        key = f"{normalize(hit.title)}|{hit.year or ''}"
        if key not in keys:
            keys.append(key)
    return keys


def score(context: Context, items: list[dict[str, Any]], ranker: str) -> dict[str, Any]:
    """Search every query with one ranker and aggregate recall and MRR."""
    store = plot_store(context)
    search = {"hybrid": store.search, "bm25": store.bm25_search, "vector": store.vector_search}[ranker]
    at1 = at5 = 0
    reciprocal, latencies = [], []
    for item in tqdm(items, desc=ranker, unit="q", leave=False):
        started = time.perf_counter()
        films = _films(search(item["query"], DEPTH, item["where"]))
        latencies.append((time.perf_counter() - started) * 1000)
        rank = next((i for i, key in enumerate(films, 1) if key in item["relevant"]), 0)
        at1 += rank == 1
        at5 += 0 < rank <= 5
        reciprocal.append(1 / rank if rank else 0.0)
    n = max(len(items), 1)
    return {
        "queries": len(items),
        "recall@1": round(at1 / n, 4),
        "recall@5": round(at5 / n, 4),
        "mrr": round(sum(reciprocal) / n, 4),
        "latency_p50_ms": round(percentile(latencies, 50), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
    }


def evaluate(context: Context, items: list[dict[str, Any]], rankers: list[str]) -> dict[str, dict[str, Any]]:
    """Score each ranker on the same queries."""
    unknown = [r for r in rankers if r not in RANKERS]
    if unknown:
        raise ConfigError(f"unknown ranker {unknown[0]!r}; rankers are {', '.join(RANKERS)}")
    return {ranker: score(context, items, ranker) for ranker in rankers}
