"""Run one evaluation: load the items, list the systems, score them (resuming a run file), report progress.

Every finished item is written to the run file; Ctrl-C keeps them, and `--resume` continues where it
stopped. A system whose model cannot be used (a missing file, an Ollama server nobody answers on, calls
failing again and again) is reported as failed and the other systems still run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from theoros_agents.context import resolve_context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.executors import make_executor
from theoros_agents.evaluation.preflight import model_problem
from theoros_agents.evaluation.report import display
from theoros_agents.evaluation.runs import Run, prompt_hashes, run_path
from theoros_agents.evaluation.starter import starter_settings
from theoros_agents.evaluation.summary import DEFAULT_TOLERANCE, default_price
from theoros_agents.evaluation.tasks import Request, System, Task, digest, with_ids

FAILURES_IN_A_ROW = 3
"""Model calls failing on this many items in a row stop the system: its model is unreachable, not slow."""


@dataclass
class Options:
    """How to run: where the run file goes, resume or not, concurrency, executor, timeout, pricing."""

    out: str | None = None
    resume: bool = False
    concurrency: int = 1
    executor: str = "process"
    ray_address: str | None = None
    timeout: float = 300.0
    price_per_hour: float | None = None
    tolerance: float = DEFAULT_TOLERANCE


def load_items(task: Task, request: Request) -> tuple[Path, list[dict[str, Any]]]:
    """Read the dataset (the built-in one when none is given), cut to --limit."""
    path = request.dataset or task.builtin()
    items = with_ids(task.load(path))
    if not items:
        raise ConfigError(f"dataset {str(path)!r} has no items")
    ids = [item["id"] for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"dataset {str(path)!r} repeats the ids {duplicates[:5]}")
    return path, items[: request.limit] if request.limit else items


def _open_run(path: Path, task: Task, dataset: dict[str, Any], fields: dict[str, Any], resume: bool) -> Run:
    if not path.exists():
        return Run.create(path, **fields)
    existing = Run.load(path)
    if resume:
        existing.check_resumable(task.name, dataset)
        existing.data["items"] = list(dict.fromkeys([*existing.data["items"], *fields["items"]]))
        existing.data["status"] = "running"
        return existing
    if existing.data.get("status") != "complete":
        done = sum(len(s["outcomes"]) for s in existing.data["systems"])
        raise ConfigError(
            f"{path} holds an unfinished run ({done} items done); continue it with --resume, or delete it "
            "or choose another --out to start over"
        )
    return Run.create(path, **fields)


def _prompts(task: Task, settings: dict[str, Any], system: System) -> dict[str, str]:
    context = resolve_context(settings | system.overrides)
    return prompt_hashes({agent: context.prompt_for(agent) for agent in task.prompts})


def evaluate(task: Task, request: Request, options: Options) -> tuple[Run, bool]:
    """Score every system on the items; return the run and whether it was interrupted."""
    path, items = load_items(task, request)
    runs_home = resolve_context(request.settings).home
    settings = request.settings if request.dataset else starter_settings(request.settings, task.needs_plots)
    request = replace(request, settings=settings)
    systems = task.systems(request, items, resolve_context(settings))
    dataset = {"name": str(request.dataset or "built-in"), "path": str(path), "builtin": request.dataset is None,
               "sha256": digest(path.read_bytes())}  # fmt: skip
    price = default_price() if options.price_per_hour is None else options.price_per_hour
    fields = {"agent": task.name, "dataset": dataset, "primary": task.primary_for(items), "binary": task.binary,
              "items": [i["id"] for i in items], "limit": request.limit, "settings": settings,
              "price_per_hour": price, "tolerance": options.tolerance, "executor": options.executor,
              "concurrency": options.concurrency}  # fmt: skip
    run = _open_run(run_path(options.out, runs_home, task.name), task, dataset, fields, options.resume)
    task.prepare(systems, request)
    executor = make_executor(options.executor, options.ray_address)
    interrupted = finished = False
    try:
        for system in systems:
            _run_system(task, run, system, settings, items, executor, options)
        finished = True
    except KeyboardInterrupt:
        interrupted = True
    finally:
        executor.close()
        # Whatever stopped it, the finished items are kept and the run can be resumed.
        run.data["status"] = "complete" if finished else "interrupted"
        run.save()
    return run, interrupted


def _run_system(
    task: Task, run: Run, system: System, settings: dict[str, Any], items: list[dict[str, Any]], executor: Any,
    options: Options,
) -> None:  # fmt: skip
    entry = run.add(system, _prompts(task, settings, system))
    pending = run.pending(system.name, [i["id"] for i in items])
    if not pending:
        entry["status"] = "complete" if entry["status"] != "failed" else "failed"
        return
    problem = model_problem(system.model)
    if problem:
        entry.update(status="failed", error=problem)
        print(f"{task.name}: {display(system.name)}: failed: {problem}", file=sys.stderr)
        run.save()
        return
    entry.update(status="interrupted", error="")
    label = f"{task.name}: {display(system.name)}"
    bar = tqdm(total=len(items), initial=len(items) - len(pending), desc=label, unit="item", file=sys.stderr,
               dynamic_ncols=True)  # fmt: skip
    streak: list[str] = []

    def on_done(outcome: dict[str, Any]) -> bool:
        run.record(system.name, outcome)
        bar.update(1)
        failed_call = outcome["failed"] and not outcome["timeout"]
        streak[:] = [*streak, outcome["error"]] if failed_call else []
        return len(streak) < FAILURES_IN_A_ROW

    by_id = {item["id"]: item for item in items}
    try:
        executor.run(task, system, settings, [by_id[i] for i in pending], on_done,
                     concurrency=options.concurrency, timeout=options.timeout)  # fmt: skip
    finally:
        bar.close()
    if len(streak) >= FAILURES_IN_A_ROW:
        entry.update(status="failed", error=f"stopped after {len(streak)} failures in a row: {streak[-1]}")
        print(f"{task.name}: {display(system.name)}: failed: {entry['error']}", file=sys.stderr)
    else:
        entry["status"] = "complete"
    run.save()
