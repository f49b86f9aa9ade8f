"""Show a leaderboard: a table in the terminal, or a Markdown report of every run in a folder with its charts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from theoros_agents.evaluation.stats import RESAMPLES, SEED

MAX_OTHER_METRICS = 3
MARKS = {"best": "★", "cheapest": "$"}
LEGEND = (
    "★ best on the primary metric; $ cheapest within the tolerance of the best. Intervals are 95% bootstrap "
    f"intervals ({RESAMPLES:,} resamples, seed {SEED}). Cost per 1,000 requests: the provider's token price "
    "(LiteLLM's cost map) plus the machine's time (wall time × its price per hour)."
)


def number(value: Any, digits: int = 2) -> str:
    """A metric value, or 'n/a' when it is undefined."""
    return "n/a" if value is None else f"{value:.{digits}f}"


def interval(row: dict[str, Any], metric: str) -> str:
    """'0.47 [0.32, 0.61]', or the value alone when there is no interval."""
    bounds = row["ci"].get(metric)
    value = number(row.get(metric))
    return f"{value} [{bounds[0]:.2f}, {bounds[1]:.2f}]" if bounds else value


def cost(value: float) -> str:
    """Dollars with enough digits to tell small costs apart."""
    return f"${value:.2g}" if 0 < value < 0.01 else f"${value:.2f}"


def latency(value: float) -> str:
    """Milliseconds, or seconds once they are long."""
    return f"{value / 1000:.1f} s" if value >= 10_000 else f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def display(name: str) -> str:
    """A system name with model file paths cut to the file name ('llamacpp:/x/y/qwen.gguf' -> 'llamacpp:qwen.gguf')."""
    return re.sub(r"(llamacpp:)(?:[^\s,]*/)([^/\s,]+\.gguf)", r"\1\2", name)


def mark(summary: dict[str, Any], name: str) -> str:
    """★ and/or $ for the winners."""
    return "".join(symbol for key, symbol in MARKS.items() if summary.get(key) == name)


def columns(summary: dict[str, Any]) -> list[str]:
    """The header: the primary metric with its interval, a few other metrics, then latency, tokens and cost."""
    others = [m for m in summary["metrics"] if m != summary["primary"]][:MAX_OTHER_METRICS]
    return ["", "system", f"{summary['primary']} [95% CI]", *others, "p50", "p95", "tokens in/out", "$/1k req",
            "invalid", "timeouts", "status"]  # fmt: skip


def rows(summary: dict[str, Any]) -> list[list[str]]:
    """One line per system, in the order they ran."""
    others = [m for m in summary["metrics"] if m != summary["primary"]][:MAX_OTHER_METRICS]
    lines = []
    for row in summary["rows"]:
        if row["status"] == "failed" and not row["items"]:
            lines.append([mark(summary, row["system"]), display(row["system"]), "failed", *[""] * (len(others) + 6),
                          row["error"][:80]])  # fmt: skip
            continue
        status = row["status"] if row["status"] != "complete" else ""
        lines.append([
            mark(summary, row["system"]), display(row["system"]), interval(row, summary["primary"]),
            *[number(row.get(m)) for m in others],
            latency(row["latency_p50_ms"]), latency(row["latency_p95_ms"]),
            f"{row['prompt_tokens']:.0f}/{row['completion_tokens']:.0f}", cost(row["cost_per_1k_usd"]),
            f"{row['invalid_rate']:.0%}", f"{row['timeout_rate']:.0%}", status or "ok",
        ])  # fmt: skip
    return lines


def _conclusions(summary: dict[str, Any]) -> list[str]:
    lines = [f"best: {display(summary['best'] or 'none')}; cheapest within {summary['tolerance']:g} of it: "
             f"{display(summary['cheapest'] or 'none')}"]  # fmt: skip
    if summary["comparison"]:
        lines.append(f"top two: {display(summary['comparison']['verdict'])}")
    lines.extend(f"note: {display(flag)}" for flag in summary["flags"])
    return lines


def terminal(summary: dict[str, Any]) -> str:
    """The leaderboard of one run as aligned text."""
    header, body = columns(summary), rows(summary)
    widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(len(header))]
    dataset = summary["dataset"]["name"]
    text = [f"{summary['agent']} on {dataset} ({summary['items']} items; primary metric {summary['primary']})"]
    for line in [header, *body]:
        text.append("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    return "\n".join([*text, *_conclusions(summary)])


def _table(summary: dict[str, Any]) -> list[str]:
    header = columns(summary)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows(summary)]
    return lines


def section(summary: dict[str, Any], chart: str | None) -> list[str]:
    """The Markdown section of one run."""
    dataset = summary["dataset"]
    where = "the built-in dev set" if dataset.get("builtin") else f"`{dataset['name']}`"
    lines = [f"## {summary['agent']}", "",
             f"{summary['items']} items of {where} (sha256 `{dataset['sha256'][:12]}`); primary metric "
             f"`{summary['primary']}`; run {summary['status']}.", ""]  # fmt: skip
    lines += _table(summary)
    lines += ["", *[f"- {line[0].upper()}{line[1:]}" for line in _conclusions(summary)]]
    extra = [r for r in summary["rows"] if r.get("success_by_kind")]
    for row in extra:
        kinds = ", ".join(f"{kind} {value:.2f}" for kind, value in row["success_by_kind"].items())
        lines.append(f"- {display(row['system'])}: success by kind: {kinds}")
    if chart:
        lines += ["", f"![{summary['agent']}: quality against latency and cost]({chart})"]
    return [*lines, ""]


def markdown(summaries: list[dict[str, Any]], charts: dict[str, str], folder: Path) -> str:
    """The whole report: where and how it was measured, then one section per run."""
    first = summaries[0] if summaries else {}
    machine = first.get("machine", {})
    intro = [
        "# Theoros leaderboard", "",
        f"Runs in `{folder}`, measured on {machine.get('cpus', '?')} CPUs ({machine.get('platform', 'unknown')}, "
        f"Python {machine.get('python', '?')}), machine priced at ${first.get('price_per_hour', 0):.2f}/h.", "",
        LEGEND, "",
    ]  # fmt: skip
    body = [line for summary in summaries for line in section(summary, charts.get(summary["agent"]))]
    return "\n".join(intro + body)
