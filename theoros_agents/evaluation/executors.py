"""Run a system on items: in this process (an async pool of K items at a time) or on Ray.

Both score each item the same way (`run_one`), so a run on Ray gives the same outcomes as one in process.
Ray is an existing engine for spreading work over cores and machines; nothing here schedules work itself.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from theoros_agents.context import Context, resolve_context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.tasks import System, Task, get_task, records_of

OnDone = Callable[[dict[str, Any]], bool]
"""Called with each finished item's outcome; returning False stops the system (no new items start)."""
FAILED_CALL = "model call failed"
TIMED_OUT = "model call timed out"
RAY_CHUNK = 8
"""Items per Ray task: small enough to keep progress and resume fine-grained, large enough to reuse a loaded model."""
FORWARDED_ENV = ("THEOROS_", "OLLAMA_", "LITELLM_", "HF_")


def usage(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Tokens and provider cost of one item, whether a model's output was unusable, and a failed call's error."""
    model_errors = [r["error"] for r in records if r.get("model") and r.get("error")]
    failures = [e for e in model_errors if e.startswith(FAILED_CALL)]
    timeouts = [e for e in model_errors if e.startswith(TIMED_OUT)]
    return {
        "prompt_tokens": sum(int(r.get("prompt_tokens", 0)) for r in records),
        "completion_tokens": sum(int(r.get("completion_tokens", 0)) for r in records),
        "api_cost_usd": sum(float(r.get("cost_usd", 0.0)) for r in records),
        "invalid": any(not e.startswith((FAILED_CALL, TIMED_OUT)) for e in model_errors),
        "model_timeout": bool(timeouts),
        "error": (failures or timeouts or [""])[0],
    }


async def run_one(task: Task, system: System, context: Context, item: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Score one item; a timeout or an error becomes a failed outcome (scored as wrong), never an exception."""
    started = time.perf_counter()
    try:
        result = await asyncio.wait_for(task.run(system, context, item), timeout or None)
    except TimeoutError:
        elapsed = (time.perf_counter() - started) * 1000
        return _failed(task, item, elapsed, f"timed out after {timeout:g} s", timeout=True)
    except Exception as exc:  # noqa: BLE001 - one item's failure is recorded and the run goes on
        elapsed = (time.perf_counter() - started) * 1000
        return _failed(task, item, elapsed, f"{type(exc).__name__}: {exc}")
    elapsed = (time.perf_counter() - started) * 1000
    spent = usage(records_of(result.output))
    timed_out = spent.pop("model_timeout")
    return {
        "id": item["id"],
        "scores": result.scores,
        "latency_ms": round(result.latency_ms if result.latency_ms is not None else elapsed, 2),
        **spent,
        "failed": bool(spent["error"]),
        "timeout": timed_out,
        "answer": str(result.output.get("answer", ""))[:300],
    }


def _failed(task: Task, item: dict[str, Any], elapsed: float, error: str, timeout: bool = False) -> dict[str, Any]:
    return {
        "id": item["id"],
        "scores": task.failed(item),
        "latency_ms": round(elapsed, 2),
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "api_cost_usd": 0.0,
        "invalid": False,
        "error": error,
        "failed": True,
        "timeout": timeout,
        "answer": "",
    }


_WARM: set[tuple[str, str, str]] = set()


async def _warm_up(task: Task, system: System, context: Context, items: list[dict[str, Any]], timeout: float) -> None:
    key = (task.name, system.name, str(context.home))
    # Only what loads in this process is warmed: a hosted model would bill the call, a scripted one lose a reply.
    local = not system.model or system.model.startswith("llamacpp:")
    if not items or key in _WARM or not local:
        return
    _WARM.add(key)
    # Outcomes are discarded; the timed run records whatever goes wrong.
    for item in items:
        await run_one(task, system, context, item, timeout)


async def run_items(
    task: Task, system: System, context: Context, items: list[dict[str, Any]], on_done: OnDone, concurrency: int,
    timeout: float,
) -> None:  # fmt: skip
    """Score items K at a time; stop starting new ones once `on_done` says so.

    A few items (`Task.warm_up`) are run once untimed beforehand (once per process and system), so that
    loading a model, an index or a store is not counted as some item's latency.
    """
    await _warm_up(task, system, context, task.warm_up(items), timeout)
    semaphore = asyncio.Semaphore(max(1, concurrency))
    stopped = False

    async def one(item: dict[str, Any]) -> None:
        nonlocal stopped
        async with semaphore:
            if stopped:
                return
            outcome = await run_one(task, system, context, item, timeout)
            if not stopped and not on_done(outcome):
                stopped = True

    await asyncio.gather(*(one(item) for item in items))


class InProcessExecutor:
    """Run in this process with an async pool (items of one system K at a time)."""

    name = "process"

    def run(
        self, task: Task, system: System, settings: dict[str, Any], items: list[dict[str, Any]], on_done: OnDone,
        *, concurrency: int = 1, timeout: float = 0.0,
    ) -> None:  # fmt: skip
        """Score the items of one system."""
        context = resolve_context(settings | system.overrides)
        asyncio.run(run_items(task, system, context, items, on_done, concurrency, timeout))

    def close(self) -> None:
        """Nothing to release."""


def run_chunk(
    task_name: str, system: dict[str, Any], settings: dict[str, Any], items: list[dict[str, Any]], concurrency: int,
    timeout: float,
) -> list[dict[str, Any]]:  # fmt: skip
    """Score a chunk of items in a Ray worker; returns their outcomes."""
    task, chosen = get_task(task_name), System.from_dict(system)
    context = resolve_context(settings | chosen.overrides)
    outcomes: list[dict[str, Any]] = []

    def keep(outcome: dict[str, Any]) -> bool:
        outcomes.append(outcome)
        return True

    asyncio.run(run_items(task, chosen, context, items, keep, concurrency, timeout))
    return outcomes


class RayExecutor:
    """Run chunks of items as Ray tasks: a local Ray instance, or the cluster at `address` (RAY_ADDRESS)."""

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        try:
            import ray
        except ImportError as exc:
            raise ConfigError("--executor ray needs Ray: pip install 'theoros-agents[ray]'") from exc
        self.ray = ray
        self.started = not ray.is_initialized()
        if self.started:
            env = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV)}
            ray.init(
                address=address, num_cpus=num_cpus, include_dashboard=False, log_to_driver=False,
                runtime_env={"env_vars": env}, logging_level=logging.ERROR,
            )  # fmt: skip
        self.remote = ray.remote(run_chunk)

    def run(
        self, task: Task, system: System, settings: dict[str, Any], items: list[dict[str, Any]], on_done: OnDone,
        *, concurrency: int = 1, timeout: float = 0.0,
    ) -> None:  # fmt: skip
        """Submit the items in chunks and hand each outcome over as its chunk finishes."""
        chunks = [items[i : i + RAY_CHUNK] for i in range(0, len(items), RAY_CHUNK)]
        pending = [
            self.remote.remote(task.name, system.as_dict(), settings, chunk, concurrency, timeout) for chunk in chunks
        ]
        try:
            while pending:
                done, pending = self.ray.wait(pending, num_returns=1)
                for outcome in self.ray.get(done[0]):
                    if not on_done(outcome):
                        return
        finally:
            for ref in pending:
                self.ray.cancel(ref, force=True)

    def close(self) -> None:
        """Stop the local Ray instance this executor started."""
        if self.started:
            self.ray.shutdown()


def make_executor(name: str, address: str | None = None) -> InProcessExecutor | RayExecutor:
    """The executor called `name`: 'process' (default) or 'ray'."""
    if name == "ray":
        return RayExecutor(address)
    if name in ("process", ""):
        return InProcessExecutor()
    raise ConfigError(f"unknown executor {name!r}; executors are process, ray")
