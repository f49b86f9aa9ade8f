"""Evaluate the query writer: execution accuracy, set-F1 and valid-SPARQL rate per strategy and model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from theoros_agents.agents.registry import get_agent
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.datasets import read_jsonl
from theoros_agents.evaluation.metrics import mean_of, set_f1
from theoros_agents.evaluation.tasks import MODEL, NO_MODEL, Metric, Request, Result, System, Task, finding_result

STRATEGIES = ("rules", "hybrid", "intent", "sparql")
DEFAULT_STRATEGIES = ("rules", "hybrid", "intent")
"""`sparql` (the model writes free SPARQL) is slow on small models; ask for it with --strategies."""
VALID_ERRORS = ("", "empty result")


def load_dataset(path: Path) -> list[dict[str, Any]]:
    """Read JSONL of {"question", "gold": [values]} (optional "id"); a bad line is reported with its number."""

    def parse(row: dict[str, Any]) -> dict[str, Any]:
        return {"question": str(row["question"]), "gold": [str(g) for g in row["gold"]], **_id(row)}

    return read_jsonl(path, parse, '{"question", "gold"}')


def _id(row: dict[str, Any]) -> dict[str, str]:
    return {"id": str(row["id"])} if "id" in row else {}


def answers(result: dict[str, Any]) -> set[str]:
    """The values the last attempt's query returned (empty when it failed)."""
    outcome = finding_result(result)
    attempts = outcome.get("attempts") or []
    if not attempts or attempts[-1]["error"]:
        return set()
    return {next(iter(row.values())) for row in outcome.get("rows") or [] if row}


class QueryWriterTask(Task):
    """Question in, SPARQL run on the graph, the returned set compared with the gold set."""

    strategies = STRATEGIES

    name = "query_writer"
    primary = "execution_accuracy"
    binary = "correct"
    binary_metric = "execution_accuracy"
    prompts = ("query_writer",)
    metrics = (
        Metric("execution_accuracy", mean_of("correct")),
        Metric("set_f1", mean_of("f1")),
        Metric("valid_sparql_rate", mean_of("valid")),
        Metric("query_rate", mean_of("written")),
    )

    def load(self, path: Path) -> list[dict[str, Any]]:
        """Read the questions and their gold sets."""
        return load_dataset(path)

    def systems(self, request: Request, items: list[dict[str, Any]], base: Context) -> list[System]:
        """Each strategy; the model strategies once per model."""
        strategies = request.strategies or list(DEFAULT_STRATEGIES)
        unknown = [s for s in strategies if s not in STRATEGIES]
        if unknown:
            raise ConfigError(f"unknown strategy {unknown[0]!r}; strategies are {', '.join(STRATEGIES)}")
        models = request.models or [base.model_for(self.name)]
        systems = []
        for strategy in strategies:
            if strategy == "rules":
                overrides = {"max_rows": 0, "query_writer_strategy": "rules"}
                systems.append(System("rules", NO_MODEL, "", "rules", overrides, {"strategy": "rules"}))
                continue
            for model_id in models:
                overrides = {"max_rows": 0, "query_writer_strategy": strategy, "query_writer_model": model_id}
                adopt = {"strategy": strategy, "model": model_id}
                systems.append(System(f"{strategy} / {model_id}", MODEL, model_id, strategy, overrides, adopt))
        return systems

    async def run(self, system: System, context: Context, item: dict[str, Any]) -> Result:
        """Ask the query writer and compare what its query returned with the gold set."""
        output = await get_agent(self.name).compiled().ainvoke({"question": item["question"]}, context=context)
        predicted, gold = answers(output), set(item["gold"])
        queries = [a for a in finding_result(output).get("attempts", []) if a["sparql"]]
        valid = all(a["error"] in VALID_ERRORS for a in queries) if queries else None
        scores = {"correct": predicted == gold, "f1": set_f1(predicted, gold), "written": bool(queries), "valid": valid}
        return Result(scores, output)

    def failed(self, item: dict[str, Any]) -> dict[str, Any]:
        """Nothing was returned."""
        return {"correct": False, "f1": 0.0, "written": False, "valid": None}


TASK = QueryWriterTask()
