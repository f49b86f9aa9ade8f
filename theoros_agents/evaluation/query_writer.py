"""Evaluate the query writer: execution accuracy, set-F1 and valid-SPARQL rate per strategy and model."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from theoros_agents.agents.registry import get_agent
from theoros_agents.context import Context
from theoros_agents.evaluation.datasets import read_jsonl
from theoros_agents.evaluation.metrics import percentile, set_f1

VALID_ERRORS = ("", "empty result")


def load_dataset(path: Path) -> list[dict[str, Any]]:
    """Read JSONL of {"question", "gold": [values]}; a bad line is reported with its number."""

    def parse(row: dict[str, Any]) -> dict[str, Any]:
        return {"question": str(row["question"]), "gold": [str(g) for g in row["gold"]]}

    return read_jsonl(path, parse, '{"question", "gold"}')


def outcome(result: dict[str, Any]) -> dict[str, Any]:
    """The query writer's structured result (rows, attempts, entities) from its output."""
    findings = result.get("findings") or [{}]
    return dict(findings[0].get("result") or {})


def _answers(result: dict[str, Any]) -> set[str]:
    rows = outcome(result).get("rows") or []
    attempts = outcome(result).get("attempts") or []
    if not attempts or attempts[-1]["error"]:
        return set()
    return {next(iter(row.values())) for row in rows if row}


async def score(context: Context, items: list[dict[str, Any]], label: str) -> dict[str, Any]:
    """Run the query writer on every item and aggregate the metrics."""
    graph = get_agent("query_writer").compiled()
    exact, f1s, valid, written, latencies, tokens, failures = 0, [], 0, 0, [], 0, 0
    per_item = []
    for item in tqdm(items, desc=label, unit="q", leave=False):
        started = time.perf_counter()
        result = await graph.ainvoke({"question": item["question"]}, context=context)
        latencies.append((time.perf_counter() - started) * 1000)
        predicted, gold = _answers(result), set(item["gold"])
        exact += predicted == gold
        f1s.append(set_f1(predicted, gold))
        queries = [a for a in outcome(result).get("attempts", []) if a["sparql"]]
        written += bool(queries)
        valid += bool(queries) and all(a["error"] in VALID_ERRORS for a in queries)
        records = result.get("records", [])
        tokens += sum(r["prompt_tokens"] + r["completion_tokens"] for r in records)
        failures += any(r["model"] and r["error"] for r in records)
        per_item.append(
            {"question": item["question"], "correct": predicted == gold, "answer": result.get("answer", "")}
        )
    n = max(len(items), 1)
    return {
        "system": label,
        "questions": len(items),
        "execution_accuracy": round(exact / n, 4),
        "set_f1": round(sum(f1s) / n, 4),
        "valid_sparql_rate": round(valid / max(written, 1), 4),
        "query_rate": round(written / n, 4),
        "latency_p50_ms": round(percentile(latencies, 50), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
        "tokens_per_question": round(tokens / n, 1),
        "model_failures": failures,
        "items": per_item,
    }


def evaluate(contexts: dict[str, Context], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Score each labelled configuration on the same items."""
    return [asyncio.run(score(context, items, label)) for label, context in contexts.items()]
