"""What an evaluation is made of: the systems compared, the metrics, and the `Task` each agent declares.

A task loads its items (a built-in dev set shipped in `evaluation/data/`, or a file), lists the systems to
compare (models, strategies, classic baselines), and scores one item with one system. Everything else —
running, saving, resuming, statistics, reports, charts, recommendations — is shared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from theoros_agents.agents.registry import all_agents, load_object
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.models import split_model_id

DATA = Path(__file__).resolve().parent / "data"
END_TO_END = "end_to_end"
MODEL, NO_MODEL, BASELINE = "model", "no_model", "baseline"
"""System kinds: calls a chat model; runs without one (rules, classic classifiers); a trivial reference."""


@dataclass(frozen=True)
class System:
    """One configuration to score: a model and/or a strategy, as context overrides."""

    name: str
    kind: str
    model: str = ""
    strategy: str = ""
    overrides: dict[str, Any] = field(default_factory=dict)
    """Context settings this system runs with (on top of the operator's)."""
    adopt: dict[str, Any] = field(default_factory=dict)
    """Settings `theoros eval recommend` writes to adopt it; empty for baselines, which cannot be adopted."""

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> System:
        """Read back `as_dict`."""
        return cls(**{k: data[k] for k in ("name", "kind", "model", "strategy", "overrides", "adopt") if k in data})


Scores = dict[str, Any]
"""One item's per-item scores (JSON values): what the task's metrics are computed from."""


@dataclass(frozen=True)
class Metric:
    """A task metric computed from per-item scores (so it can be bootstrapped)."""

    name: str
    compute: Callable[[Sequence[Scores]], float | None]
    chance: float | None = None
    """The value of a system with no skill (0 for a correlation); an interval including it is flagged."""


@dataclass
class Request:
    """What the user asked `theoros eval` for."""

    models: list[str] = field(default_factory=list)
    strategies: list[str] = field(default_factory=list)
    dataset: Path | None = None
    limit: int = 0
    settings: dict[str, Any] = field(default_factory=dict)
    """The operator's context overrides (--home, --model, --set)."""


@dataclass
class Result:
    """What scoring one item with one system gave: its scores and the graph's output (records, answer)."""

    scores: Scores
    output: dict[str, Any] = field(default_factory=dict)
    latency_ms: float | None = None
    """The system's own latency when scoring needs work the system does not do (else the item's wall time)."""


class Task:
    """An agent's evaluation; subclasses fill in the data, systems and scoring."""

    name = ""
    primary = ""
    binary: str | None = None
    """The per-item right/wrong score McNemar's test uses; None when the task has none."""
    binary_metric: str | None = None
    """The metric that is the mean of `binary`: a comparison on it is tested with McNemar's exact test."""
    metrics: tuple[Metric, ...] = ()
    needs_plots = False
    """Whether the task reads the plot store (so the built-in set needs the starter synopses)."""
    prompts: tuple[str, ...] = ()
    """Agents whose prompt files decide the outcome; their hashes are kept in the run file."""
    strategies: tuple[str, ...] = ()
    """The strategies (or rankers) `--strategies` may name for this task; () when it takes none."""

    def builtin(self) -> Path:
        """Return the built-in dev set shipped in the package."""
        return DATA / f"{self.name}.jsonl"

    def load(self, path: Path) -> list[dict[str, Any]]:
        """Read the items of a dataset file; each gets an "id"."""
        raise NotImplementedError

    def systems(self, request: Request, items: list[dict[str, Any]], base: Context) -> list[System]:
        """List the systems to compare on these items."""
        raise NotImplementedError

    def primary_for(self, items: list[dict[str, Any]]) -> str:
        """The metric that ranks systems on these items (a task may have several kinds of data)."""
        return self.primary

    def shown(self, primary: str) -> list[str]:
        """The metrics a leaderboard shows when ranking by `primary`."""
        return [m.name for m in self.metrics]

    def warm_up(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Items to run once, untimed, before the timed run (loading models and stores is not latency)."""
        return items[:1]

    def prepare(self, systems: list[System], request: Request) -> None:
        """Do once, before any item runs, what the systems need (e.g. train a classic classifier)."""

    async def run(self, system: System, context: Context, item: dict[str, Any]) -> Result:
        """Score one item with one system."""
        raise NotImplementedError

    def failed(self, item: dict[str, Any]) -> Scores:
        """The scores of an item that timed out or raised: as wrong as it can be."""
        raise NotImplementedError

    def extras(self, scores: Sequence[Scores]) -> dict[str, Any]:
        """Task-specific fields of a system's summary (e.g. per-label F1)."""
        return {}

    def describe(self, request: Request | None, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """Task-specific top-level fields of the JSON report."""
        return {}

    def metric(self, name: str) -> Metric:
        """Return the metric called `name`."""
        return next(m for m in self.metrics if m.name == name)


def tasks() -> dict[str, Task]:
    """Every evaluation: one per registered agent that declares one, then end to end."""
    found = {spec.name: load_object(spec.evaluate) for spec in all_agents() if spec.evaluate}
    found[END_TO_END] = load_object("theoros_agents.evaluation.end_to_end:TASK")
    return found


def get_task(name: str) -> Task:
    """Return the evaluation called `name`."""
    found = tasks()
    if name not in found:
        raise ConfigError(f"no evaluation for {name!r}; evaluations are {', '.join(found)}")
    return found[name]


def check_model_ids(models: list[str]) -> None:
    """Refuse a malformed model id before anything runs (an unreachable one is reported per system instead)."""
    for model_id in models:
        split_model_id(model_id)


def split_list(text: str | None) -> list[str]:
    """Read a comma-separated option."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def digest(data: bytes) -> str:
    """The sha256 of some bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def with_ids(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give rows without an "id" their 1-based line number, so outcomes can be matched on resume."""
    return [row if "id" in row else {**row, "id": f"#{number}"} for number, row in enumerate(rows, 1)]


def records_of(output: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-node records of a graph's output."""
    return list(output.get("records") or [])


def finding_result(output: dict[str, Any]) -> dict[str, Any]:
    """A specialist's structured result, from the contract's first finding."""
    findings = output.get("findings") or [{}]
    return dict(findings[0].get("result") or {})
