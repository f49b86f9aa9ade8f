"""The run file: one JSON per evaluation run, written as items finish, so an interrupted run can be resumed.

It holds everything needed to trust and redo the figures: the systems and their settings, every item's
outcome, the hashes of the dataset and of the prompts, package versions and the machine.
"""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.tasks import System, digest

FORMAT = 1
PACKAGES = (
    "theoros-agents", "langgraph", "langchain-core", "llama-cpp-python", "langchain-ollama", "langchain-litellm",
    "litellm", "chromadb", "sentence-transformers", "torch", "scikit-learn", "numpy", "ray",
)  # fmt: skip
SAVE_EVERY = 2.0
"""Seconds between two writes while items finish (every finished item is written at the end or on Ctrl-C)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def environment() -> dict[str, Any]:
    """Package versions and the machine, as the run file records them."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    machine = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpus": os.cpu_count(),
    }
    return {"packages": versions, "machine": machine}


def prompt_hashes(names: dict[str, str]) -> dict[str, str]:
    """The sha256 of each agent's prompt (by name or path), so a changed prompt is never mixed into a resumed run."""
    from theoros_agents.prompts import load_prompt

    return {agent: digest(json.dumps(load_prompt(prompt), sort_keys=True).encode()) for agent, prompt in names.items()}


class Run:
    """A run file in memory; `save` writes it atomically."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data
        self._saved = 0.0

    @classmethod
    def create(cls, path: Path, **fields: Any) -> Run:
        """Start a run: agent, dataset, primary, binary, items, settings, price_per_hour."""
        data = {"format": FORMAT, "created": _now(), "status": "running", **fields, **environment(), "systems": []}
        return cls(path, data)

    @classmethod
    def load(cls, path: Path) -> Run:
        """Read a run file."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read run file {str(path)!r}: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT or "systems" not in data:
            raise ConfigError(f"{str(path)!r} is not a theoros eval run file")
        return cls(path, data)

    def check_resumable(self, agent: str, dataset: dict[str, Any]) -> None:
        """Refuse to resume a run of another agent or on other data."""
        if self.data["agent"] != agent or self.data["dataset"]["sha256"] != dataset["sha256"]:
            raise ConfigError(
                f"{self.path} holds a run of {self.data['agent']} on {self.data['dataset']['name']} "
                f"(sha256 {self.data['dataset']['sha256'][:12]}), not this one; start a new run without --resume "
                "or choose another --out"
            )

    def system(self, name: str) -> dict[str, Any]:
        """The entry of the system called `name`."""
        for entry in self.data["systems"]:
            if entry["system"]["name"] == name:
                return entry
        raise KeyError(name)

    def add(self, system: System, prompts: dict[str, str]) -> dict[str, Any]:
        """Add a system (or, resuming, check it is the same one and keep its finished items)."""
        try:
            entry = self.system(system.name)
        except KeyError:
            entry = {"system": system.as_dict(), "prompts": prompts, "status": "pending", "error": "", "outcomes": {}}
            self.data["systems"].append(entry)
            return entry
        if entry["system"].get("overrides") != system.overrides or entry["prompts"] != prompts:
            raise ConfigError(
                f"system {system.name!r} in {self.path} ran with other settings or prompts; start a new run "
                "without --resume"
            )
        return entry

    def pending(self, name: str, ids: list[str]) -> list[str]:
        """The items a system has not finished."""
        done = self.system(name)["outcomes"]
        return [i for i in ids if i not in done]

    def record(self, name: str, outcome: dict[str, Any]) -> None:
        """Keep one finished item; write the file now and then."""
        self.system(name)["outcomes"][outcome["id"]] = outcome
        if time.monotonic() - self._saved >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        """Write the file atomically (a crash mid-write leaves the previous version)."""
        self.data["updated"] = _now()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".json.partial")
        partial.write_text(json.dumps(self.data, indent=1, ensure_ascii=False, allow_nan=False), encoding="utf-8")
        os.replace(partial, self.path)
        self._saved = time.monotonic()


def run_path(out: str | None, home: str, agent: str) -> Path:
    """Where a run is written: --out as a .json file, or <out or home/runs>/<agent>.json."""
    if out and out.endswith(".json"):
        return Path(out).expanduser()
    folder = Path(out).expanduser() if out else Path(home).expanduser() / "runs"
    return folder / f"{agent}.json"
