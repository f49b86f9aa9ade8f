"""Evaluate the whole supervisor on a mixed set: routing scored everywhere, answers against gold where there is one.

An item names the intents it needs and, for answerable requests, groups of names the answer must contain
(each group is satisfied by any one of its names: a director, one of the films asked for, a genre). An item
succeeds when it is routed right and its answer holds every group.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from theoros_agents.agents.registry import all_agents
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.datasets import read_jsonl
from theoros_agents.evaluation.metrics import mean_of
from theoros_agents.evaluation.tasks import END_TO_END, MODEL, NO_MODEL, Metric, Request, Result, Scores, System, Task
from theoros_agents.knowledge.linker import normalize

NO_MODEL_SETTINGS = {
    "query_writer_strategy": "rules",
    "tagger_strategy": "embedding",
    "router_threshold": 0.0,
    "judge_gate": False,
}
"""The supervisor with no model call anywhere: keyword cues, label similarity, the routing classifier alone."""


def load_dataset(path: Path) -> list[dict[str, Any]]:
    """Read JSONL of {"question", "intents": [...], optional "must_include": [[names], ...], "kind", "id"}."""

    def parse(row: dict[str, Any]) -> dict[str, Any]:
        groups = row.get("must_include") or []
        if not isinstance(row["intents"], list) or not all(isinstance(g, list) and g for g in groups):
            raise TypeError("'intents' must be a list and 'must_include' a list of non-empty lists")
        item = {
            "question": str(row["question"]),
            "intents": [str(i) for i in row["intents"]],
            "must_include": [[str(name) for name in group] for group in groups],
            "kind": str(row.get("kind", "")),
        }
        return item | ({"id": str(row["id"])} if "id" in row else {})

    return read_jsonl(path, parse, '{"question", "intents", "must_include"}')


def contains(answer: str, name: str) -> bool:
    """Whether the answer contains the name as words (ignoring case, accents and punctuation)."""
    return f" {normalize(name)} " in f" {normalize(answer)} "


class EndToEndTask(Task):
    """A request in; the supervisor's route and answer out."""

    name = END_TO_END
    primary = "success"
    binary = "success"
    binary_metric = "success"
    needs_plots = True
    prompts = ("supervisor", "query_writer", "retriever", "tagger")
    metrics = (
        Metric("success", mean_of("success")),
        Metric("routing_accuracy", mean_of("routed")),
        Metric("answer_accuracy", mean_of("answered")),
    )

    def __init__(self) -> None:
        self._apps: dict[str, Any] = {}
        """One supervisor per configuration, built once."""

    def load(self, path: Path) -> list[dict[str, Any]]:
        """Read the requests, their intents and the names their answers need."""
        return load_dataset(path)

    def warm_up(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One request of each kind: each kind loads other agents, stores and models."""
        return list({item["kind"]: item for item in reversed(items)}.values())

    def systems(self, request: Request, items: list[dict[str, Any]], base: Context) -> list[System]:
        """The supervisor without any model call, then with every model-using agent on each model."""
        if request.strategies:
            raise ConfigError("--strategies does not apply end to end; set an agent's strategy with --set")
        systems = [
            System("no model (rules, similarity, classifier routing)", NO_MODEL, "", "", dict(NO_MODEL_SETTINGS))
        ]
        if not request.models:
            return [*systems, System("configured", MODEL, base.model_for("supervisor"))]
        agents = ["supervisor", *(spec.name for spec in all_agents() if spec.default_model)]
        for model_id in request.models:
            systems.append(System(model_id, MODEL, model_id, "", {f"{agent}_model": model_id for agent in agents}))
        return systems

    async def run(self, system: System, context: Context, item: dict[str, Any]) -> Result:
        """Ask the supervisor; check the route and the names the answer must contain."""
        from theoros_agents.api import Theoros

        key = json.dumps(dataclasses.asdict(context), sort_keys=True, default=str)
        if key not in self._apps:
            self._apps[key] = Theoros(context)
        app = self._apps[key]
        answer = await app.aask(item["question"])
        groups = item["must_include"]
        answered = all(any(contains(answer.answer, n) for n in group) for group in groups) if groups else None
        routed = set(answer.intents) == set(item["intents"])
        success = routed and answered is not False
        scores = {"kind": item["kind"], "routed": routed, "answered": answered, "success": success,
                  "intents": answer.intents}  # fmt: skip
        return Result(scores, answer.to_dict())

    def failed(self, item: dict[str, Any]) -> Scores:
        """No answer, no route."""
        answered = False if item["must_include"] else None
        return {"kind": item["kind"], "routed": False, "answered": answered, "success": False, "intents": []}

    def extras(self, scores: Sequence[Scores]) -> dict[str, Any]:
        """Success per kind of request."""
        kinds: dict[str, list[bool]] = defaultdict(list)
        for s in scores:
            kinds[s.get("kind") or "other"].append(bool(s["success"]))
        return {"success_by_kind": {kind: round(sum(v) / len(v), 4) for kind, v in kinds.items()}}


TASK = EndToEndTask()
