"""`theoros eval compare RUN_A RUN_B`: are two systems really different, on the items both answered?

A run is named by its file, optionally with `#system`; without it, the run's best system is taken.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.report import display
from theoros_agents.evaluation.runs import Run
from theoros_agents.evaluation.stats import bootstrap_ci, compare, p_value, verdict
from theoros_agents.evaluation.summary import summarize
from theoros_agents.evaluation.tasks import Task, get_task


def open_side(spec: str) -> tuple[Run, str]:
    """Read 'run.json' or 'run.json#system name' (a folder and agent read as folder/agent.json)."""
    location, _, name = spec.partition("#")
    path = Path(location)
    run = Run.load(path)
    if not name:
        name = summarize(run, get_task(run.data["agent"]))["best"] or ""
        if not name:
            raise ConfigError(f"{path} has no system with a figure; name one as {path}#SYSTEM")
    try:
        run.system(name)
    except KeyError:
        names = ", ".join(e["system"]["name"] for e in run.data["systems"])
        raise ConfigError(f"{path} has no system {name!r}; it has {names}") from None
    return run, name


def _side(task: Task, primary: str, label: str, name: str, scores: list[dict[str, Any]]) -> dict[str, Any]:
    statistic = task.metric(primary).compute
    bounds = bootstrap_ci(scores, statistic)
    return {"label": label, "system": name, "value": statistic(scores), "ci": list(bounds) if bounds else None}


def compare_runs(spec_a: str, spec_b: str) -> dict[str, Any]:
    """Compare two systems on their common items: both intervals, the paired difference, McNemar, a verdict."""
    (run_a, name_a), (run_b, name_b) = open_side(spec_a), open_side(spec_b)
    agent = run_a.data["agent"]
    if run_b.data["agent"] != agent:
        raise ConfigError(f"cannot compare a {agent} run with a {run_b.data['agent']} run")
    task = get_task(agent)
    primary = run_a.data.get("primary") or task.primary
    a, b = run_a.system(name_a)["outcomes"], run_b.system(name_b)["outcomes"]
    common = [i for i in run_a.data["items"] if i in a and i in b]
    if not common:
        raise ConfigError("the two runs have no finished item in common")
    scores_a, scores_b = [a[i]["scores"] for i in common], [b[i]["scores"] for i in common]
    label_a, label_b = ("A", "B") if name_a == name_b else (name_a, name_b)
    result = compare(primary, scores_a, scores_b, task.metric(primary).compute, task.binary)
    same_data = run_a.data["dataset"]["sha256"] == run_b.data["dataset"]["sha256"]
    return {
        "agent": agent,
        "metric": primary,
        "items": len(common),
        "same_dataset": same_data,
        "run_a": _side(task, primary, label_a, name_a, scores_a),
        "run_b": _side(task, primary, label_b, name_b, scores_b),
        **result.as_dict(),
        "verdict": verdict(result, label_a, label_b, use_mcnemar=primary == task.binary_metric),
    }


def describe(result: dict[str, Any]) -> str:
    """The comparison in a few lines."""
    lines = [f"{result['agent']}: {result['metric']} on {result['items']} items both runs finished"]
    if not result["same_dataset"]:
        lines.append("warning: the runs were made on different dataset files; only the common item ids are compared")
    for side in (result["run_a"], result["run_b"]):
        bounds = side["ci"]
        shown = "n/a" if side["value"] is None else f"{side['value']:.3f}"
        shown += f" [{bounds[0]:.3f}, {bounds[1]:.3f}]" if bounds else ""
        name = display(side["system"])
        lines.append(f"  {side['label']}: {name}: {shown}" if side["label"] != side["system"] else f"  {name}: {shown}")
    if result["mcnemar_p"] is not None:
        lines.append(f"  right only for A: {result['a_only']}, only for B: {result['b_only']}; "
                     f"McNemar exact {p_value(result['mcnemar_p'])}")  # fmt: skip
    lines.append(display(result["verdict"]))
    return "\n".join(lines)
