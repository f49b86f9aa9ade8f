"""Evaluate the judge: agreement with human 1-5 scores, or accuracy on labelled pairs.

Metrics are computed over the items that got a verdict; the items that did not are counted in
`verdict_failure_rate` and never scored. Trivial baselines sit beside the models so that their
figures mean something.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tqdm import tqdm

from theoros_agents.agents.judge import build_judge
from theoros_agents.context import Context, resolve_context
from theoros_agents.errors import ConfigError, ModelNotAvailable
from theoros_agents.evaluation import agreement
from theoros_agents.evaluation.metrics import percentile
from theoros_agents.models import check_model

SCORE_COLUMNS = ("exact_agreement", "within_one", "weighted_kappa", "spearman")
PAIR_COLUMNS = ("pairwise_accuracy", "tie_rate")
EXPECTED = {
    "pairs": '{"input", "output_1", "output_2", "label"}',
    "scores": '{"context", "response", "score"}',
    "": "one JSON object per line",
}
COST_COLUMNS = ("verdict_failure_rate", "latency_p50_ms", "latency_p95_ms", "tokens_per_item")


def _score_item(item: dict[str, Any]) -> dict[str, Any]:
    """Read {"context", "response", "score"} or the UniEval form with "fact" and "overall"."""
    human = item["score"] if "score" in item else item["overall"]
    if isinstance(human, bool) or not isinstance(human, int | float) or not 1 <= human <= 5:
        raise ValueError(f"human score must be a number from 1 to 5, got {human!r}")
    judged = {"question": str(item["context"]), "answer": str(item["response"]), "facts": str(item.get("fact", ""))}
    return {"input": judged, "human": float(human)}


def _pair_item(item: dict[str, Any]) -> dict[str, Any]:
    """Read {"input", "output_1", "output_2", "label": 1|2}."""
    if item["label"] not in (1, 2) or isinstance(item["label"], bool):
        raise ValueError(f"label must be 1 or 2, got {item['label']!r}")
    judged = {"instruction": str(item["input"]), "output_1": str(item["output_1"]), "output_2": str(item["output_2"])}
    return {"input": judged, "label": item["label"]}


def load_dataset(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """Read a JSONL judge dataset; return its kind ("scores" or "pairs") and items.

    The kind comes from the first item: one with "output_1" makes the file a file of pairs.
    A bad line is reported with its number.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read dataset {str(path)!r}: {exc}") from exc
    kind, items = "", []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            kind = kind or ("pairs" if "output_1" in raw else "scores")
            items.append(_pair_item(raw) if kind == "pairs" else _score_item(raw))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{path}:{number}: expected {EXPECTED[kind]}: {exc!r}") from exc
    if not items:
        raise ConfigError(f"dataset {str(path)!r} has no items")
    return kind, items


async def run_judge(context: Context, items: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
    """Judge every item once; return each verdict with its latency and tokens."""
    graph = build_judge().compile(name="judge")
    outcomes = []
    for item in tqdm(items, desc=label, unit="item", leave=False):
        started = time.perf_counter()
        result = await graph.ainvoke(item["input"], context=context)
        records = result.get("records", [])
        outcomes.append(
            {
                "verdict": result.get("verdict", {}),
                "latency_ms": (time.perf_counter() - started) * 1000,
                "tokens": sum(r["prompt_tokens"] + r["completion_tokens"] for r in records),
            }
        )
    return outcomes


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _costs(outcomes: list[dict[str, Any]], failures: int) -> dict[str, Any]:
    latencies = [o["latency_ms"] for o in outcomes]
    n = max(len(outcomes), 1)
    return {
        "verdict_failure_rate": round(failures / n, 4),
        "latency_p50_ms": round(percentile(latencies, 50), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
        "tokens_per_item": round(sum(o["tokens"] for o in outcomes) / n, 1),
    }


def score_metrics(predicted: list[int | None], human: list[float]) -> dict[str, Any]:
    """Agreement of 1-5 predictions (None: no verdict) with human averages.

    Exact, within-one and kappa compare with the rounded human score; Spearman with the raw average.
    """
    kept = [(p, h) for p, h in zip(predicted, human, strict=True) if p is not None]
    scores, raw = [p for p, _ in kept], [h for _, h in kept]
    rounded = [agreement.round_half_up(h) for h in raw]
    return {
        "items": len(human),
        "scored": len(kept),
        "exact_agreement": _rounded(agreement.exact_agreement(scores, rounded)),
        "within_one": _rounded(agreement.within_one(scores, rounded)),
        "weighted_kappa": _rounded(agreement.quadratic_weighted_kappa(scores, rounded)),
        "spearman": _rounded(agreement.spearman(scores, raw)),
    }


def pair_metrics(choices: list[int | None], labels: list[int], failed: list[bool]) -> dict[str, Any]:
    """Accuracy of pairwise choices (None: a tie) over the pairs that got a verdict."""
    kept = [(c, label) for c, label, f in zip(choices, labels, failed, strict=True) if not f]
    ties = sum(c is None for c, _ in kept)
    return {
        "items": len(labels),
        "scored": len(kept),
        "pairwise_accuracy": _rounded(agreement.pairwise_accuracy([c for c, _ in kept], [lb for _, lb in kept])),
        "tie_rate": round(ties / len(kept), 4) if kept else None,
    }


def summarize(kind: str, items: list[dict[str, Any]], outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    """Turn a model's outcomes into the metrics of the dataset's kind, with failures and costs."""
    verdicts = [o["verdict"] for o in outcomes]
    failed = ["error" in v for v in verdicts]
    if kind == "pairs":
        metrics = pair_metrics([v.get("better") for v in verdicts], [i["label"] for i in items], failed)
    else:
        metrics = score_metrics([v.get("score") for v in verdicts], [i["human"] for i in items])
    return metrics | _costs(outcomes, sum(failed))


def baselines(kind: str, items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Score trivial judges that need no model, as the floor the models must clear."""
    free = [{"latency_ms": 0.0, "tokens": 0}] * len(items)
    if kind == "pairs":
        labels = [i["label"] for i in items]
        lengths = [(len(i["input"]["output_1"]), len(i["input"]["output_2"])) for i in items]
        longer = [None if a == b else (1 if a > b else 2) for a, b in lengths]
        shorter = [None if choice is None else 3 - choice for choice in longer]
        rules: dict[str, list[int | None]] = {
            "always 1": [1] * len(items),
            "longer output": longer,
            "shorter output": shorter,
        }
        return {
            f"baseline: {name}": pair_metrics(choices, labels, [False] * len(items)) | _costs(free, 0)
            for name, choices in rules.items()
        }
    human = [i["human"] for i in items]
    common = Counter(agreement.round_half_up(h) for h in human).most_common(1)[0][0]
    return {f"baseline: most common score ({common})": score_metrics([common] * len(items), human) | _costs(free, 0)}


def evaluate(contexts: dict[str, Context], kind: str, items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Score the baselines and each labelled configuration on the same items."""
    results = baselines(kind, items)
    for label, context in contexts.items():
        outcomes = asyncio.run(run_judge(context, items, label))
        results[label] = summarize(kind, items, outcomes) | {"outcomes": outcomes}
    return results


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return str(value)


def print_table(kind: str, dataset: str, results: dict[str, dict[str, Any]]) -> None:
    """Print one row per system: the task metrics, then failures, latency and tokens."""
    columns = (PAIR_COLUMNS if kind == "pairs" else SCORE_COLUMNS) + COST_COLUMNS
    first = next(iter(results.values()))
    print(f"judge on {dataset} ({first['items']} {'pairs' if kind == 'pairs' else 'rated responses'})")
    print(f"{'system':<36}" + "".join(f"{c:>22}" for c in columns))
    for system, row in results.items():
        print(f"{system:<36}" + "".join(f"{_cell(row[c]):>22}" for c in columns))


def _contexts(args: argparse.Namespace, settings: dict[str, Any]) -> dict[str, Context]:
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    models = models or [resolve_context(settings).model_for("judge")]
    for model_id in models:
        reason = check_model(model_id)
        if reason:
            raise ModelNotAvailable(reason)
    return {model_id: resolve_context(settings | {"judge_model": model_id}) for model_id in models}


def run_judge_eval(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    """Run `theoros eval judge`: load, score models and baselines, print a table or JSON."""
    if args.strategies:
        raise ConfigError(f"--strategies applies to the query writer, not the judge (got {args.strategies!r})")
    kind, items = load_dataset(Path(args.dataset))
    items = items[: args.limit] if args.limit else items
    results = evaluate(_contexts(args, settings), kind, items)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    summary = {system: {k: v for k, v in row.items() if k != "outcomes"} for system, row in results.items()}
    if args.json:
        report = {"agent": "judge", "dataset": args.dataset, "kind": kind, "results": summary}
        print(json.dumps(report, indent=2, allow_nan=False))
        return 0
    print_table(kind, args.dataset, summary)
    return 0
