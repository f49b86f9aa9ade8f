"""Evaluate the router: intent accuracy, confusion matrix, how often the model is consulted, routing latency."""

from __future__ import annotations

import asyncio
import collections
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from theoros_agents.context import Context
from theoros_agents.evaluation.datasets import read_jsonl
from theoros_agents.evaluation.metrics import percentile
from theoros_agents.knowledge.stores import label_index
from theoros_agents.supervisor.classifier import default_classifier
from theoros_agents.supervisor.graph import _ask_router
from theoros_agents.supervisor.router import fast_route, named_mentions


def load_dataset(path: Path) -> list[dict[str, str]]:
    """Read JSONL of {"text", "intent"}; a bad line is reported with its number."""
    return read_jsonl(path, lambda row: {"text": str(row["text"]), "intent": str(row["intent"])}, '{"text", "intent"}')


async def score(context: Context, items: list[dict[str, str]], use_model: bool) -> dict[str, Any]:
    """Route every item; the model decides the unsure ones when `use_model` is set.

    Each item is linked against the home's graph first, as the supervisor links a request before routing it (the
    titles it names keep it in scope); the routing latency is that of `fast_route` alone.
    """
    classifier = default_classifier()
    index = label_index(context)
    correct = fast_correct = consulted = 0
    latencies: list[float] = []
    confusion: collections.Counter[tuple[str, str]] = collections.Counter()
    for item in tqdm(items, desc="router", unit="q", leave=False):
        named = named_mentions(item["text"], [c.as_dict() for c in index.mentions(item["text"])])
        started = time.perf_counter()
        decision = fast_route(item["text"], classifier, named)
        latencies.append((time.perf_counter() - started) * 1000)
        predicted = decision.intents[0]
        fast_correct += predicted == item["intent"]
        if use_model and decision.confidence < context.router_threshold:
            consulted += 1
            predicted = (await _ask_router(item["text"], decision, context))[0][0]
        correct += predicted == item["intent"]
        confusion[(item["intent"], predicted)] += 1
    n = max(len(items), 1)
    return {
        "intent_accuracy": round(correct / n, 4),
        "fast_router_accuracy": round(fast_correct / n, 4),
        "model_consulted_rate": round(consulted / n, 4),
        "routing_p50_ms": round(percentile(latencies, 50), 3),
        "routing_p95_ms": round(percentile(latencies, 95), 3),
        "confusion": {f"{gold} -> {pred}": count for (gold, pred), count in sorted(confusion.items())},
    }


def evaluate(contexts: dict[str, Context], items: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    """Score the classifier alone, then with each routing model deciding the unsure items."""
    first = next(iter(contexts.values()))
    results = {"classifier only": asyncio.run(score(first, items, use_model=False))}
    for label, context in contexts.items():
        results[f"classifier + {label}"] = asyncio.run(score(context, items, use_model=True))
    return results
