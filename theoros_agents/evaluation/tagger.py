"""Evaluate the tagger: per-label precision/recall/F1, macro- and micro-F1, latency and tokens per strategy and model.

The label set is the dataset's own (every label its items use) unless `tagger_labels` is set. Macro-F1
averages over the labels that occur in the gold labels or the predictions; a label never seen and never
predicted is left out rather than counted as perfect or as zero.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from theoros_agents.agents.tagger import build_tagger
from theoros_agents.agents.tagger.dataset import Example, load_examples
from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.agents.tagger.scoring import MODEL_STRATEGIES, STRATEGIES
from theoros_agents.context import Context, resolve_context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.metrics import percentile

COLUMNS = ("macro_f1", "micro_f1", "latency_p50_ms", "latency_p95_ms", "tokens_per_item", "model_failures", "refused")


def label_scores(gold: list[set[str]], predicted: list[set[str]]) -> dict[str, Any]:
    """Per-label precision, recall, F1 and support; macro-F1 over labels seen in gold or predictions; micro-F1."""
    names = sorted(set().union(*gold, *predicted))
    per_label: dict[str, dict[str, float]] = {}
    totals = [0, 0, 0]
    for name in names:
        hits = sum(name in g and name in p for g, p in zip(gold, predicted, strict=True))
        guessed, support = sum(name in p for p in predicted), sum(name in g for g in gold)
        precision, recall = hits / guessed if guessed else 0.0, hits / support if support else 0.0
        f1 = 2 * hits / (guessed + support) if guessed + support else 0.0
        per_label[name] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                           "support": support}  # fmt: skip
        totals = [totals[0] + hits, totals[1] + guessed, totals[2] + support]
    macro = sum(s["f1"] for s in per_label.values()) / len(per_label) if per_label else 0.0
    micro = 2 * totals[0] / (totals[1] + totals[2]) if totals[1] + totals[2] else 0.0
    return {"macro_f1": round(macro, 4), "micro_f1": round(micro, 4), "per_label": per_label}


async def score(context: Context, items: list[Example], system: str) -> dict[str, Any]:
    """Tag every item with one configuration and aggregate the metrics."""
    graph = build_tagger().compile(name="tagger")
    labels = load_labels(context.tagger_labels)
    gold = [{labels.resolve(n) or n for n in item.labels} for item in items]
    predicted, latencies, tokens, failures, refused, outcomes = [], [], 0, 0, 0, []
    for item, expected in tqdm(list(zip(items, gold, strict=True)), desc=system, unit="item", file=sys.stderr):
        started = time.perf_counter()
        result = await graph.ainvoke({"question": item.text}, context=context)
        latencies.append((time.perf_counter() - started) * 1000)
        records = result.get("records", [])
        tokens += sum(r["prompt_tokens"] + r["completion_tokens"] for r in records)
        failures += any(r["model"] and r["error"] for r in records)
        refused += any(r["node"] == "prepare_synopsis" and r["error"] for r in records)
        predicted.append({t["label"] for t in result.get("tags", [])})
        outcomes.append({"text": item.text[:200], "gold": sorted(expected), "predicted": sorted(predicted[-1])})
    n = max(len(items), 1)
    return {
        "system": system,
        "items": len(items),
        **label_scores(gold, predicted),
        "latency_p50_ms": round(percentile(latencies, 50), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
        "tokens_per_item": round(tokens / n, 1),
        "model_failures": failures,
        "refused": refused,
        "outcomes": outcomes,
    }


def configurations(args: argparse.Namespace, settings: dict[str, Any]) -> dict[str, Context]:
    """Build one context per strategy (and per model, for the strategies that call one)."""
    base = resolve_context(settings)
    labels = base.tagger_labels if base.tagger_labels != "builtin" else args.dataset
    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()] or [base.tagger_strategy]
    models = [m.strip() for m in args.models.split(",") if m.strip()] or [base.tagger_model]
    contexts = {}
    for strategy in strategies:
        if strategy not in STRATEGIES:
            raise ConfigError(f"unknown tagger strategy {strategy!r}; strategies are {', '.join(STRATEGIES)}")
        for model_id in models if strategy in MODEL_STRATEGIES else models[:1]:
            system = f"{strategy} / {model_id}" if strategy in MODEL_STRATEGIES else strategy
            overrides = {"tagger_labels": labels, "tagger_strategy": strategy, "tagger_model": model_id}
            contexts[system] = resolve_context(settings | overrides)
    return contexts


def _print_table(dataset: str, labels: str, items: int, summary: dict[str, dict[str, Any]]) -> None:
    print(f"tagger on {dataset} ({items} items, labels: {labels})")
    print(f"{'system':<36}" + "".join(f"{c:>16}" for c in COLUMNS))
    for system, row in summary.items():
        print(f"{system:<36}" + "".join(f"{row[c]:>16}" for c in COLUMNS))
    for system, row in summary.items():
        worst = sorted(row["per_label"].items(), key=lambda pair: pair[1]["f1"])
        print(f"{system}: " + ", ".join(f"{name} {s['f1']:.2f}" for name, s in worst))


def run_tagger_eval(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    """Score the tagger's configurations on a dataset; print a table, or JSON with --json."""
    items = load_examples(Path(args.dataset))[: args.limit or None]
    contexts = configurations(args, settings)
    results = [asyncio.run(score(context, items, system)) for system, context in contexts.items()]
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    summary = {r["system"]: {k: v for k, v in r.items() if k not in ("system", "outcomes")} for r in results}
    labels = next(iter(contexts.values())).tagger_labels
    if args.json:
        report: dict[str, Any] = {"agent": "tagger", "dataset": args.dataset, "labels": labels, "results": summary}
        if len(summary) == 1:
            report |= {k: next(iter(summary.values()))[k] for k in ("macro_f1", "micro_f1", "per_label")}
        print(json.dumps(report, indent=2))
        return 0
    _print_table(args.dataset, labels, len(items), summary)
    return 0
