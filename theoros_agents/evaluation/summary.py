"""Turn a run's per-item outcomes into a leaderboard: metrics with intervals, latency, tokens, cost, winners.

Cost per 1,000 requests = the provider's price of the tokens (LiteLLM's cost map, recorded per node) plus
the machine time: each item's wall time times the machine's price per hour. Local models cost only the
latter; the default price (`DEFAULT_PRICE_PER_HOUR`) is a small 2-core cloud machine.
"""

from __future__ import annotations

import os
from typing import Any

from theoros_agents.evaluation.metrics import percentile
from theoros_agents.evaluation.runs import Run
from theoros_agents.evaluation.stats import bootstrap_ci, compare, verdict
from theoros_agents.evaluation.tasks import BASELINE, MODEL, NO_MODEL, Task

DEFAULT_PRICE_PER_HOUR = 0.10
"""USD per hour of the machine running local models: about what a 2-core cloud VM costs."""
DEFAULT_TOLERANCE = 0.02
NO_SKILL = "no system here does measurably better than chance"
COST_NOISE = 0.10
"""Costs within 10% of each other count as equal when choosing the cheapest: wall times vary that much."""


def default_price() -> float:
    """The machine price per hour: $THEOROS_EVAL_PRICE_PER_HOUR, else the default."""
    return float(os.environ.get("THEOROS_EVAL_PRICE_PER_HOUR", DEFAULT_PRICE_PER_HOUR))


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _outcomes(run: Run, entry: dict[str, Any]) -> list[dict[str, Any]]:
    done = entry["outcomes"]
    return [done[i] for i in run.data["items"] if i in done]


def system_row(task: Task, entry: dict[str, Any], outcomes: list[dict[str, Any]], price: float) -> dict[str, Any]:
    """One system's line of the leaderboard."""
    system = entry["system"]
    scores = [o["scores"] for o in outcomes]
    row: dict[str, Any] = {"system": system["name"], "kind": system["kind"], "model": system["model"],
                           "strategy": system["strategy"], "status": entry["status"], "error": entry["error"],
                           "items": len(outcomes), "ci": {}}  # fmt: skip
    for metric in task.metrics:
        value = metric.compute(scores) if scores else None
        row[metric.name] = _round(value)
        interval = bootstrap_ci(scores, metric.compute) if value is not None else None
        row["ci"][metric.name] = [round(interval[0], 4), round(interval[1], 4)] if interval else None
    n = max(len(outcomes), 1)
    latencies = [o["latency_ms"] for o in outcomes]
    seconds = sum(latencies) / 1000 / n
    api = sum(o["api_cost_usd"] for o in outcomes) / n
    row |= {
        "latency_p50_ms": round(percentile(latencies, 50), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
        "prompt_tokens": round(sum(o["prompt_tokens"] for o in outcomes) / n, 1),
        "completion_tokens": round(sum(o["completion_tokens"] for o in outcomes) / n, 1),
        "tokens_per_item": round(sum(o["prompt_tokens"] + o["completion_tokens"] for o in outcomes) / n, 1),
        "cost_per_1k_usd": round(1000 * (api + seconds * price / 3600), 6),
        "invalid_rate": round(sum(o["invalid"] for o in outcomes) / n, 4),
        "timeout_rate": round(sum(o["timeout"] for o in outcomes) / n, 4),
        "model_failures": sum(bool(o["failed"]) and not o["timeout"] for o in outcomes),
    }
    return row | task.extras(scores)


def _eligible(rows: list[dict[str, Any]], primary: str) -> list[dict[str, Any]]:
    """Systems that can be adopted and have a figure: no baselines, no failed or empty systems."""
    return [
        r for r in rows if r["kind"] != BASELINE and r["status"] != "failed" and r["items"] and r[primary] is not None
    ]


def _rank_key(row: dict[str, Any], primary: str) -> tuple[float, bool, float]:
    return row[primary], row["kind"] == NO_MODEL, -row["cost_per_1k_usd"]


def winners(rows: list[dict[str, Any]], primary: str, tolerance: float) -> tuple[str | None, str | None]:
    """The best system on the primary metric, and the cheapest one within `tolerance` of it.

    Ties on the metric go to the system that calls no model, then to the cheaper one.
    """
    eligible = _eligible(rows, primary)
    if not eligible:
        return None, None
    best = max(eligible, key=lambda r: _rank_key(r, primary))
    close = [r for r in eligible if r[primary] >= best[primary] - tolerance - 1e-9]
    lowest = min(r["cost_per_1k_usd"] for r in close)
    # Costs this close are timing noise: then a system calling no model wins, then the better metric.
    cheap = [r for r in close if r["cost_per_1k_usd"] <= lowest * (1 + COST_NOISE)]
    cheapest = max(cheap, key=lambda r: (r["kind"] == NO_MODEL, r[primary], -r["cost_per_1k_usd"]))
    return best["system"], cheapest["system"]


def paired(run: Run, task: Task, name_a: str, name_b: str, primary: str) -> dict[str, Any]:
    """Compare two systems of one run on the items both finished."""
    a, b = run.system(name_a)["outcomes"], run.system(name_b)["outcomes"]
    common = [i for i in run.data["items"] if i in a and i in b]
    result = compare(primary, [a[i]["scores"] for i in common], [b[i]["scores"] for i in common],
                     task.metric(primary).compute, run.data.get("binary"))  # fmt: skip
    use_mcnemar = primary == task.binary_metric
    return {
        "a": name_a,
        "b": name_b,
        **result.as_dict(),
        "verdict": verdict(result, name_a, name_b, use_mcnemar=use_mcnemar),
    }


def flags(task: Task, rows: list[dict[str, Any]], primary: str) -> list[str]:
    """Say plainly what the figures do not support: no skill beyond chance, no better than a baseline, failures."""
    notes = _no_skill(task, rows, primary)
    for row in rows:
        if row["status"] == "failed":
            notes.append(f"{row['system']} failed: {row['error']}")
            continue
        if row["kind"] == BASELINE or not row["items"]:
            continue
        for metric in task.metrics:
            value, interval = row.get(metric.name), row["ci"].get(metric.name)
            if metric.chance is None or (value is None and metric.name != primary):
                continue
            if value is None:
                notes.append(f"{row['system']}: {metric.name} is undefined (the same answer for every item): no skill")
            elif interval and interval[0] <= metric.chance <= interval[1]:
                notes.append(f"{row['system']}: {metric.name} {value:.2f} [{interval[0]:.2f}, {interval[1]:.2f}] "
                             f"includes {metric.chance:g}: no evidence it does better than chance")  # fmt: skip
        notes.extend(_below_cheaper(row, rows, primary))
        if row["invalid_rate"]:
            notes.append(f"{row['system']}: {row['invalid_rate']:.0%} of its outputs were unusable")
    return notes


def _no_skill(task: Task, rows: list[dict[str, Any]], primary: str) -> list[str]:
    """When no adoptable system is measurably above chance on the primary metric, say so first."""
    chance = task.metric(primary).chance
    if chance is None:
        return []
    eligible = [r for r in rows if r["kind"] != BASELINE and r["items"] and r["status"] != "failed"]
    skilled = [r for r in eligible if r["ci"].get(primary) and r["ci"][primary][0] > chance]
    if eligible and not skilled:
        return [f"{NO_SKILL} on {primary} (its 95% interval includes "
                f"{chance:g}): the best one is the least bad, not a good choice"]  # fmt: skip
    return []


def _below_cheaper(row: dict[str, Any], rows: list[dict[str, Any]], primary: str) -> list[str]:
    """A model system that a baseline or a no-model system matches."""
    if row["kind"] != MODEL or row[primary] is None:
        return []
    cheaper = [r for r in rows if r["kind"] in (BASELINE, NO_MODEL) and r[primary] is not None and r["items"]]
    match = max(cheaper, key=lambda r: r[primary], default=None)
    if match is None or match[primary] < row[primary]:
        return []
    what = "the baseline" if match["kind"] == BASELINE else "no model:"
    return [f"{row['system']}: {primary} {row[primary]:.2f} is no better than {what} {match['system']} "
            f"({match[primary]:.2f})"]  # fmt: skip


def summarize(run: Run, task: Task, *, tolerance: float = DEFAULT_TOLERANCE, price: float | None = None) -> dict:
    """The leaderboard of one run."""
    price = run.data.get("price_per_hour", default_price()) if price is None else price
    primary = run.data.get("primary") or task.primary
    rows = [system_row(task, entry, _outcomes(run, entry), price) for entry in run.data["systems"]]
    best, cheapest = winners(rows, primary, tolerance)
    ranked = sorted(_eligible(rows, primary), key=lambda r: _rank_key(r, primary), reverse=True)
    comparison = paired(run, task, ranked[1]["system"], ranked[0]["system"], primary) if len(ranked) > 1 else None
    return {
        "agent": run.data["agent"],
        "dataset": run.data["dataset"],
        "items": len(run.data["items"]),
        "status": run.data["status"],
        "primary": primary,
        "chance": task.metric(primary).chance,
        "metrics": task.shown(primary),
        "tolerance": tolerance,
        "price_per_hour": price,
        "rows": rows,
        "best": best,
        "cheapest": cheapest,
        "comparison": comparison,
        "flags": flags(task, rows, primary),
        "machine": run.data.get("machine", {}),
        "created": run.data.get("created", ""),
    }
