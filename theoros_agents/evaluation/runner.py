"""`theoros eval`: build the configurations to compare, score them, print a leaderboard."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from theoros_agents.agents.registry import all_agents, load_object
from theoros_agents.context import resolve_context
from theoros_agents.errors import ConfigError

ROUTER = "router"
COLUMNS = (
    "execution_accuracy",
    "set_f1",
    "valid_sparql_rate",
    "query_rate",
    "latency_p50_ms",
    "latency_p95_ms",
    "tokens_per_question",
    "model_failures",
)


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the eval subcommand's arguments."""
    agents = [spec.name for spec in all_agents() if spec.evaluate]
    parser.add_argument("agent", choices=[*agents, ROUTER], help="the agent to score (or the supervisor's router)")
    parser.add_argument("--dataset", required=True, help="JSONL task file")
    parser.add_argument("--models", default="", help="comma-separated model ids to compare (default: configured)")
    parser.add_argument(
        "--strategies",
        default="",
        help="strategies to compare, e.g. rules,hybrid,intent (query_writer) or embedding,slm,ensemble (tagger)",
    )
    parser.add_argument("--rankers", default="bm25,vector,hybrid", help="retriever rankers to compare")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N items")
    parser.add_argument("--out", help="write full results (with per-item outcomes) to this JSON file")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")


def _configurations(args: argparse.Namespace, settings: dict[str, Any]) -> dict[str, Any]:
    base = resolve_context(settings | {"max_rows": 0})
    models = [m.strip() for m in args.models.split(",") if m.strip()] or [base.model_for(args.agent)]
    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()] or [base.query_writer_strategy]
    contexts = {}
    for model_id in models:
        for strategy in strategies:
            if strategy not in ("rules", "hybrid", "intent", "sparql"):
                raise ConfigError(f"unknown strategy {strategy!r}; strategies are rules, hybrid, intent, sparql")
            label = strategy if strategy == "rules" else f"{strategy} / {model_id}"
            overrides = settings | {"max_rows": 0, f"{args.agent}_model": model_id, "query_writer_strategy": strategy}
            contexts[label] = resolve_context(overrides)
    return contexts


def run_eval(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    """Score the agent with the evaluation its registry entry names; print a table, or JSON with --json."""
    if args.agent == ROUTER:
        return run_router_eval(args, settings)
    spec = next(s for s in all_agents() if s.name == args.agent)
    return int(load_object(spec.evaluate)(args, settings))


def run_query_writer_eval(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    """Score the query writer's strategies and models: execution accuracy, valid SPARQL, latency."""
    from theoros_agents.evaluation import query_writer

    items = query_writer.load_dataset(Path(args.dataset))
    if args.limit:
        items = items[: args.limit]
    results = query_writer.evaluate(_configurations(args, settings), items)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    summary = {r["system"]: {k: v for k, v in r.items() if k != "items"} for r in results}
    if args.json:
        print(json.dumps({"agent": args.agent, "dataset": args.dataset, "results": summary}, indent=2))
        return 0
    print(f"{args.agent} on {args.dataset} ({len(items)} items)")
    print(f"{'system':<36}" + "".join(f"{c:>20}" for c in COLUMNS))
    for system, row in summary.items():
        print(f"{system:<36}" + "".join(f"{row[c]:>20}" for c in COLUMNS))
    return 0


def print_table(title: str, summary: dict[str, dict[str, Any]], columns: tuple[str, ...]) -> None:
    """Print one row per system with the given metric columns."""
    print(title)
    print(f"{'system':<40}" + "".join(f"{c:>22}" for c in columns))
    for system, row in summary.items():
        print(f"{system:<40}" + "".join(f"{row.get(c, ''):>22}" for c in columns))


def run_router_eval(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    """Score the router: intent accuracy, with and without the routing model."""
    from theoros_agents.evaluation import router

    items = router.load_dataset(Path(args.dataset))[: args.limit or None]
    models = [m.strip() for m in args.models.split(",") if m.strip()] or [resolve_context(settings).supervisor_model]
    contexts = {m: resolve_context(settings | {"supervisor_model": m}) for m in models}
    summary = router.evaluate(contexts, items)
    columns = ("intent_accuracy", "fast_router_accuracy", "model_consulted_rate", "routing_p50_ms", "routing_p95_ms")
    return _report(args, len(items), summary, columns)


def run_retriever_eval(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    """Score the retriever's rankers: recall@1/5, MRR, latency."""
    from theoros_agents.evaluation import retriever

    items = retriever.load_dataset(Path(args.dataset))[: args.limit or None]
    rankers = [r.strip() for r in args.rankers.split(",") if r.strip()]
    summary = retriever.evaluate(resolve_context(settings), items, rankers)
    return _report(args, len(items), summary, ("recall@1", "recall@5", "mrr", "latency_p50_ms", "latency_p95_ms"))


def _report(args: argparse.Namespace, count: int, summary: dict[str, Any], columns: tuple[str, ...]) -> int:
    if args.out:
        Path(args.out).write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    if args.json:
        print(json.dumps({"agent": args.agent, "dataset": args.dataset, "results": summary}, indent=2))
    else:
        print_table(f"{args.agent} on {args.dataset} ({count} items)", summary, columns)
    return 0
