"""`theoros eval recommend DIR`: adopt the measured winners — a `theoros.toml` with each agent's model and strategy.

Each agent gets the cheapest system within the tolerance of the best on its primary metric (baselines
cannot be adopted). The file is what `resolve_context` reads, so `theoros models` shows the choice.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.report import display
from theoros_agents.evaluation.runs import Run
from theoros_agents.evaluation.summary import NO_SKILL, summarize
from theoros_agents.evaluation.tasks import END_TO_END, get_task, tasks

HEADER = "# Written by `theoros eval recommend`"


def load_runs(folder: Path) -> list[Run]:
    """Every run file in a folder, by agent name."""
    if not folder.is_dir():
        raise ConfigError(f"{str(folder)!r} is not a folder of runs")
    runs = []
    for path in sorted(folder.glob("*.json")):
        try:
            runs.append(Run.load(path))
        except ConfigError:
            continue
    if not runs:
        raise ConfigError(f"no run files in {str(folder)!r}; run `theoros eval ... --out {folder}` first")
    return runs


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def choices(folder: Path, tolerance: float) -> list[dict[str, Any]]:
    """What to adopt per agent, with the figures behind it."""
    chosen = []
    order = list(tasks())
    for run in sorted(
        load_runs(folder), key=lambda r: order.index(r.data["agent"]) if r.data["agent"] in order else 99
    ):
        agent = run.data["agent"]
        if agent == END_TO_END:
            continue
        summary = summarize(run, get_task(agent), tolerance=tolerance)
        name = summary["cheapest"]
        row = next((r for r in summary["rows"] if r["system"] == name), None)
        if row is None:
            chosen.append({"agent": agent, "system": None, "settings": {}, "note": "no system can be adopted"})
            continue
        primary = summary["primary"]
        note = (f"{display(name)}: {primary} {row[primary]:.2f} (best: {display(summary['best'] or '')} "
                f"{next(r for r in summary['rows'] if r['system'] == summary['best'])[primary]:.2f}), "
                f"${row['cost_per_1k_usd']:.4f} per 1,000 requests, p50 {row['latency_p50_ms']:.0f} ms")  # fmt: skip
        flags = [f for f in summary["flags"] if f.startswith(f"{name}:")]
        settings = dict(run.system(name)["system"]["adopt"])
        if any(f.startswith(NO_SKILL) for f in summary["flags"]):
            # Adopting the least bad of systems without skill would only look like a measured choice.
            flags.insert(0, f"not adopted: {next(f for f in summary['flags'] if f.startswith(NO_SKILL))}")
            settings = {}
        chosen.append({"agent": agent, "system": name, "settings": settings, "note": note, "flags": flags})
    return chosen


def render(folder: Path, tolerance: float, picks: list[dict[str, Any]]) -> str:
    """The toml text."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{HEADER} {folder} (tolerance {tolerance:g}) on {stamp}.",
        "# Each agent: the cheapest system within the tolerance of the best on its primary metric.",
        "",
    ]
    for pick in picks:
        lines.append(f"[{pick['agent']}]")
        lines.append(f"# {pick['note']}")
        lines += [f"# caution: {display(flag)}" for flag in pick.get("flags", [])]
        lines += [f"{key} = {_toml(value)}" for key, value in pick["settings"].items()]
        lines.append("")
    return "\n".join(lines)


def recommend(folder: Path, tolerance: float, output: Path | None = None, force: bool = False) -> tuple[Path, str]:
    """Write the recommended settings; refuse to overwrite a file this command did not write (unless forced)."""
    target = output or folder / "theoros.toml"
    if target.exists() and not force and not target.read_text(encoding="utf-8").startswith(HEADER):
        raise ConfigError(f"{target} exists and was not written by `theoros eval recommend`; pass --force or --output")
    text = render(folder, tolerance, choices(folder, tolerance))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target, text
