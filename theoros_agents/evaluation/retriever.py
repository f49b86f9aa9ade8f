"""Evaluate the retriever: whether its answer names the film described, and recall@1, recall@5 and MRR by film.

The answer comes from the retriever graph with the system's ranker (and writer model, for model systems):
what a user gets, so it ranks the systems; its latency and tokens are the system's. The ranking metrics come
from the ranker alone (the dataset's optional `where` filter applies, 20 deep), to tell a ranking miss from
an answer that loses a film the ranker found.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from theoros_agents.agents.registry import get_agent
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.datasets import read_jsonl
from theoros_agents.evaluation.metrics import first_relevant_rank, mean_of
from theoros_agents.evaluation.tasks import MODEL, NO_MODEL, Metric, Request, Result, System, Task
from theoros_agents.knowledge import ranking
from theoros_agents.knowledge.linker import normalize
from theoros_agents.knowledge.stores import plot_store

BASELINES = ("bm25", "vector")
RANKERS = (*BASELINES, *(r for r in ranking.RANKERS if r not in BASELINES))
"""Every ranker, each alone first: the baselines the fused ones are read against."""
DEPTH = 20


def load_dataset(path: Path) -> list[dict[str, Any]]:
    """Read JSONL of {"query", "relevant_titles": ["Title (Year)"], optional "where" filter}; report bad lines."""

    def parse(row: dict[str, Any]) -> dict[str, Any]:
        titles = [str(t) for t in row["relevant_titles"]]
        item = {"query": str(row["query"]), "relevant_titles": titles, "where": row.get("where")}
        return item | ({"id": str(row["id"])} if "id" in row else {})

    return read_jsonl(path, parse, '{"query", "relevant_titles"}')


def film_key(title_year: str) -> str:
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


def _rank(context: Context, ranker: str, item: dict[str, Any]) -> int:
    hits = plot_store(context).rank(ranker, item["query"], DEPTH, item.get("where"))
    relevant = {film_key(t) for t in item["relevant_titles"]}
    return first_relevant_rank(_films(hits), relevant)


def names_gold(answer: str, titles: list[str], cited: list[str]) -> bool:
    """Whether the answer names one of the relevant films (by title, ignoring case and punctuation) and cites it.

    An answer that says it has no plot of the film names it too, but cites nothing. A relevant title without a
    year matches a cited film of any year.
    """
    text = f" {normalize(answer)} "
    sources = {normalize(c) for c in cited} | {normalize(_bare(c)) for c in cited}
    return any(f" {normalize(_bare(t))} " in text and normalize(t) in sources for t in titles)


def _bare(title: str) -> str:
    """A "Title (Year)" without its year."""
    return title.rpartition(" (")[0] or title


class RetrieverTask(Task):
    """A plot description in; the film it describes found and named."""

    strategies = RANKERS

    name = "retriever"
    primary = "answer_names_film"
    binary = "named"
    binary_metric = "answer_names_film"
    needs_plots = True
    prompts = ("retriever",)
    metrics = (
        Metric("answer_names_film", mean_of("named")),
        Metric("recall@1", mean_of("hit@1")),
        Metric("recall@5", mean_of("hit@5")),
        Metric("mrr", mean_of("reciprocal_rank")),
    )

    def load(self, path: Path) -> list[dict[str, Any]]:
        """Read the queries and the films they describe."""
        return load_dataset(path)

    def systems(self, request: Request, items: list[dict[str, Any]], base: Context) -> list[System]:
        """Each ranker without a model (classic BM25 included); with --models, the hybrid ranker and each writer."""
        rankers = request.strategies or list(RANKERS)
        unknown = [r for r in rankers if r not in RANKERS]
        if unknown:
            raise ConfigError(f"unknown ranker {unknown[0]!r}; rankers are {', '.join(RANKERS)}")
        systems = [
            System(r, NO_MODEL, "", r, {"retriever_ranker": r, "retriever_model": ""}, {"ranker": r, "model": ""})
            for r in rankers
        ]
        writers = request.models or ([base.retriever_model] if base.retriever_model else [])
        ranker = "hybrid" if "hybrid" in rankers else rankers[0]
        for model_id in writers:
            overrides = {"retriever_ranker": ranker, "retriever_model": model_id}
            adopt = {"ranker": ranker, "model": model_id}
            systems.append(System(f"{ranker} / {model_id}", MODEL, model_id, ranker, overrides, adopt))
        return systems

    async def run(self, system: System, context: Context, item: dict[str, Any]) -> Result:
        """Rank with the system's ranker, then ask the retriever graph and check its answer names the film."""
        rank = await asyncio.to_thread(_rank, context, context.retriever_ranker, item)
        started = time.perf_counter()
        output = await get_agent(self.name).compiled().ainvoke({"question": item["query"]}, context=context)
        elapsed = (time.perf_counter() - started) * 1000
        scores = {
            "rank": rank,
            "hit@1": rank == 1,
            "hit@5": 0 < rank <= 5,
            "reciprocal_rank": 1 / rank if rank else 0.0,
            "named": names_gold(str(output.get("answer", "")), item["relevant_titles"], _cited(output)),
        }
        return Result(scores, output, latency_ms=elapsed)

    def failed(self, item: dict[str, Any]) -> dict[str, Any]:
        """Nothing found."""
        return {"rank": 0, "hit@1": False, "hit@5": False, "reciprocal_rank": 0.0, "named": False}


def _cited(output: dict[str, Any]) -> list[str]:
    return [str(source.get("title", "")) for source in output.get("sources", [])]


TASK = RetrieverTask()
