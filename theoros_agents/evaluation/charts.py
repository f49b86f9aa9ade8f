"""Draw a run: quality against latency and against cost, the Pareto front, the winners labelled (one PNG).

Points carry numbers; the key under the two panels names each system, so that long model names do not
crowd the plots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from theoros_agents.evaluation.report import display
from theoros_agents.evaluation.tasks import BASELINE, MODEL, NO_MODEL

FLOOR = {"latency_p50_ms": 0.1, "cost_per_1k_usd": 1e-7}
"""Log axes cannot show zero: values below these are drawn at them."""
KINDS = {MODEL: ("#1f77b4", "calls a model"), NO_MODEL: ("#2ca02c", "no model")}
FRONT = "#d62728"
WINNERS = (("★ best", "best"), ("$ cheapest", "cheapest"))


def pareto(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points no other point beats on both axes (lower x, higher y), by increasing x."""
    front: list[tuple[float, float]] = []
    for x, y in sorted(points, key=lambda p: (p[0], -p[1])):
        if not front or y > front[-1][1]:
            front.append((x, y))
    return front


def _winner(summary: dict[str, Any], name: str) -> str:
    return " ".join(text for text, key in WINNERS if summary[key] == name)


def _panel(ax: Any, summary: dict[str, Any], rows: list[dict[str, Any]], key: str, label: str) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    primary = summary["primary"]
    points = []
    for number, row in enumerate(rows, 1):
        x, y = max(row[key], FLOOR[key]), row[primary]
        bounds = row["ci"].get(primary)
        error = [[y - bounds[0]], [bounds[1] - y]] if bounds else None
        kind = row["kind"] if row["kind"] in KINDS else MODEL
        ax.errorbar([x], [y], yerr=error, fmt="o", color=KINDS[kind][0], capsize=3, alpha=0.85)
        winner = _winner(summary, row["system"])
        ax.annotate(f"{number}{' ' + winner if winner else ''}", (x, y), textcoords="offset points", xytext=(6, 4),
                    fontsize=8, fontweight="bold" if winner else "normal")  # fmt: skip
        points.append((x, y))
    front = pareto(points)
    ax.plot([p[0] for p in front], [p[1] for p in front], "o", markersize=11, markerfacecolor="none",
            markeredgecolor=FRONT, label="Pareto front")  # fmt: skip
    if len(front) > 1:
        ax.step([p[0] for p in front], [p[1] for p in front], where="post", color=FRONT, linestyle="--", linewidth=1)
    for row in summary["rows"]:
        if row["kind"] == BASELINE and row[primary] is not None and row["items"]:
            ax.axhline(row[primary], color="#7f7f7f", linestyle=":", linewidth=1, label=row["system"])
    if summary.get("chance") is not None:
        chance = summary["chance"]
        ax.axhline(chance, color="#000000", linestyle="-.", linewidth=0.8, label=f"chance ({chance:g})")
    for kind, (color, name) in KINDS.items():
        if any(r["kind"] == kind for r in rows):
            ax.plot([], [], "o", color=color, label=name)
    ax.set_xscale("log")
    xs = [p[0] for p in points]
    if max(xs) / min(xs) < 30:
        # Less than a decade and a half: label a few minor ticks, or the axis would show no number at all.
        ax.xaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
        ax.xaxis.set_minor_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    else:
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(label)
    ax.set_ylabel(primary)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")


def draw(summary: dict[str, Any], path: Path) -> Path | None:
    """Write the chart of one run's summary; None when no system has a figure to draw."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    primary = summary["primary"]
    rows = [r for r in summary["rows"] if r["kind"] != BASELINE and r["items"] and r[primary] is not None]
    if not rows:
        return None
    key = [f"{n}  {display(r['system'])}  {_winner(summary, r['system'])}".rstrip() for n, r in enumerate(rows, 1)]
    figure, axes = plt.subplots(1, 2, figsize=(13, 4.8 + 0.16 * len(key)))
    _panel(axes[0], summary, rows, "latency_p50_ms", "p50 latency per request (ms, log scale)")
    _panel(axes[1], summary, rows, "cost_per_1k_usd", "cost per 1,000 requests (USD, log scale)")
    figure.suptitle(f"{summary['agent']}: {primary} (95% CI) against latency and cost, {summary['items']} items")
    bottom = (0.3 + 0.16 * len(key)) / figure.get_figheight()
    figure.text(0.06, 0.02, "\n".join(key), fontsize=8, va="bottom", family="monospace")
    figure.tight_layout(rect=(0, bottom, 1, 0.96))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
