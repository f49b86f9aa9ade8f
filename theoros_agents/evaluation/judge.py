"""Evaluate the judge: agreement with human 1-5 scores, or accuracy on labelled pairs.

Metrics are computed over the items that got a verdict; the items that did not are counted in
`verdict_failure_rate` and never scored. Trivial baselines sit beside the models so that their
figures mean something: a correlation or kappa whose interval includes 0 shows no skill at all.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from theoros_agents.agents.judge.strategies import MODEL_STRATEGIES, STRATEGIES
from theoros_agents.agents.registry import get_agent
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation import agreement
from theoros_agents.evaluation.tasks import BASELINE, MODEL, NO_MODEL, Metric, Request, Result, Scores, System, Task

EXPECTED = {
    "pairs": '{"input", "output_1", "output_2", "label"}',
    "scores": '{"context", "response", "score"}',
    "": "one JSON object per line",
}


def _score_item(item: dict[str, Any]) -> dict[str, Any]:
    """Read {"context", "response", "score"} or the UniEval form with "fact" and "overall"."""
    human = item["score"] if "score" in item else item["overall"]
    if isinstance(human, bool) or not isinstance(human, int | float) or not 1 <= human <= 5:
        raise ValueError(f"human score must be a number from 1 to 5, got {human!r}")
    judged = {"question": str(item["context"]), "answer": str(item["response"]), "facts": str(item.get("fact", ""))}
    return {"input": judged, "human": float(human)}


def _pair_item(item: dict[str, Any]) -> dict[str, Any]:
    """Read {"input", "output_1", "output_2", "label": 1|2}."""
    if item["label"] not in (1, 2) or isinstance(item["label"], bool):
        raise ValueError(f"label must be 1 or 2, got {item['label']!r}")
    judged = {"instruction": str(item["input"]), "output_1": str(item["output_1"]), "output_2": str(item["output_2"])}
    return {"input": judged, "label": item["label"]}


def load_dataset(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """Read a JSONL judge dataset; return its kind ("scores" or "pairs") and items.

    The kind comes from the first item: one with "output_1" makes the file a file of pairs.
    A bad line is reported with its number.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read dataset {str(path)!r}: {exc}") from exc
    kind, items = "", []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            kind = kind or ("pairs" if "output_1" in raw else "scores")
            item = _pair_item(raw) if kind == "pairs" else _score_item(raw)
            items.append(item | ({"id": str(raw["id"])} if "id" in raw else {}))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{path}:{number}: expected {EXPECTED[kind]}: {exc!r}") from exc
    if not items:
        raise ConfigError(f"dataset {str(path)!r} has no items")
    return kind, items


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_metrics(
    predicted: list[int | None], human: list[float], ratings: Sequence[float | None] | None = None
) -> dict[str, Any]:
    """Agreement of 1-5 predictions (None: no verdict) with human averages.

    Exact, within-one and kappa compare the whole score with the rounded human score. Spearman
    compares the raw human average with the judge's continuous rating where it gives one (a
    probability-weighted or regressed score, as G-Eval does), else with its whole score.
    """
    ratings = ratings or [None] * len(predicted)
    kept = [(p, h, p if r is None else r) for p, h, r in zip(predicted, human, ratings, strict=True) if p is not None]
    scores, raw, continuous = [p for p, _, _ in kept], [h for _, h, _ in kept], [r for _, _, r in kept]
    rounded = [agreement.round_half_up(h) for h in raw]
    return {
        "items": len(human),
        "scored": len(kept),
        "exact_agreement": _rounded(agreement.exact_agreement(scores, rounded)),
        "within_one": _rounded(agreement.within_one(scores, rounded)),
        "weighted_kappa": _rounded(agreement.quadratic_weighted_kappa(scores, rounded)),
        "spearman": _rounded(agreement.spearman(continuous, raw)),
    }


def pair_metrics(choices: list[int | None], labels: list[int], failed: list[bool]) -> dict[str, Any]:
    """Accuracy of pairwise choices (None: a tie) over the pairs that got a verdict."""
    kept = [(c, label) for c, label, f in zip(choices, labels, failed, strict=True) if not f]
    ties = sum(c is None for c, _ in kept)
    return {
        "items": len(labels),
        "scored": len(kept),
        "pairwise_accuracy": _rounded(agreement.pairwise_accuracy([c for c, _ in kept], [lb for _, lb in kept])),
        "tie_rate": round(ties / len(kept), 4) if kept else None,
    }


def _on_scores(name: str) -> Callable[[Sequence[Scores]], float | None]:
    def statistic(scores: Sequence[Scores]) -> float | None:
        rated = [s for s in scores if "human" in s]
        if not rated:
            return None
        ratings = [s.get("rating") for s in rated]
        return score_metrics([s["predicted"] for s in rated], [s["human"] for s in rated], ratings)[name]

    return statistic


def _on_pairs(name: str) -> Callable[[Sequence[Scores]], float | None]:
    def statistic(scores: Sequence[Scores]) -> float | None:
        pairs = [s for s in scores if "label" in s]
        if not pairs:
            return None
        return pair_metrics([s["choice"] for s in pairs], [s["label"] for s in pairs], [s["failed"] for s in pairs])[
            name
        ]

    return statistic


def _baseline_choice(strategy: str, item: dict[str, Any]) -> int | None:
    """What a trivial judge answers: a constant score, always the first output, the longer or the shorter one."""
    if strategy.startswith("constant:"):
        return int(strategy.partition(":")[2])
    if strategy == "always 1":
        return 1
    first, second = len(item["input"]["output_1"]), len(item["input"]["output_2"])
    if first == second:
        return None
    longer = 1 if first > second else 2
    return longer if strategy == "longer output" else 3 - longer


class JudgeTask(Task):
    """An output (or two) in; a verdict out, compared with people's."""

    strategies = STRATEGIES
    name = "judge"
    primary = "spearman"
    binary = "right"
    prompts = ("judge",)
    metrics = (
        Metric("spearman", _on_scores("spearman"), chance=0.0),
        Metric("weighted_kappa", _on_scores("weighted_kappa"), chance=0.0),
        Metric("exact_agreement", _on_scores("exact_agreement")),
        Metric("within_one", _on_scores("within_one")),
        Metric("pairwise_accuracy", _on_pairs("pairwise_accuracy"), chance=0.5),
        Metric("tie_rate", _on_pairs("tie_rate")),
    )

    def load(self, path: Path) -> list[dict[str, Any]]:
        """Read rated responses or labelled pairs."""
        return load_dataset(path)[1]

    def primary_for(self, items: list[dict[str, Any]]) -> str:
        """Spearman for rated responses, accuracy for pairs."""
        return "pairwise_accuracy" if items and "label" in items[0] else "spearman"

    def shown(self, primary: str) -> list[str]:
        """The metrics of rated responses, or of pairs."""
        pairs = ("pairwise_accuracy", "tie_rate")
        return [m.name for m in self.metrics if (m.name in pairs) == (primary == "pairwise_accuracy")]

    def systems(self, request: Request, items: list[dict[str, Any]], base: Context) -> list[System]:
        """The trivial baselines, then each strategy (`--strategies`; the configured one by default).

        A strategy that needs no chat model runs once; the others once per model (`--models`).
        """
        unknown = [s for s in request.strategies if s not in STRATEGIES]
        if unknown:
            raise ConfigError(f"unknown judge strategy {unknown[0]!r}; strategies are {', '.join(STRATEGIES)}")
        if "label" in items[0]:
            rules = ("always 1", "longer output", "shorter output")
            systems = [System(f"baseline: {rule}", BASELINE, "", rule) for rule in rules]
        else:
            common = Counter(agreement.round_half_up(i["human"]) for i in items).most_common(1)[0][0]
            systems = [System(f"baseline: most common score ({common})", BASELINE, "", f"constant:{common}")]
        for strategy in request.strategies or [base.judge_strategy]:
            overrides: dict[str, Any] = {"judge_strategy": strategy}
            if strategy not in MODEL_STRATEGIES:
                systems.append(System(strategy, NO_MODEL, "", strategy, overrides, {"strategy": strategy}))
                continue
            for model_id in request.models or [base.model_for(self.name)]:
                name = f"{strategy} / {model_id}"
                adopt = {"strategy": strategy, "model": model_id}
                systems.append(System(name, MODEL, model_id, strategy, overrides | {"judge_model": model_id}, adopt))
        return systems

    async def run(self, system: System, context: Context, item: dict[str, Any]) -> Result:
        """Ask the judge (or apply the baseline rule) and compare its verdict with the human one."""
        if system.kind == BASELINE:
            choice = _baseline_choice(system.strategy, item)
            return Result(self._scores(item, {"score": choice} if "human" in item else {"better": choice}))
        output = await get_agent(self.name).compiled().ainvoke(item["input"], context=context)
        return Result(self._scores(item, output.get("verdict") or {"error": "no verdict"}), output)

    @staticmethod
    def _scores(item: dict[str, Any], verdict: dict[str, Any]) -> Scores:
        failed = "error" in verdict
        if "human" in item:
            predicted = None if failed else verdict.get("score")
            right = predicted is not None and predicted == agreement.round_half_up(item["human"])
            rating = None if failed else verdict.get("rating")
            return {"human": item["human"], "predicted": predicted, "rating": rating, "failed": failed, "right": right}
        choice = None if failed else verdict.get("better")
        return {"label": item["label"], "choice": choice, "failed": failed, "right": choice == item["label"]}

    def failed(self, item: dict[str, Any]) -> Scores:
        """No verdict."""
        return self._scores(item, {"error": "no verdict"})

    def extras(self, scores: Sequence[Scores]) -> dict[str, Any]:
        """How many items got a verdict, and the share that did not."""
        failures = sum(bool(s.get("failed")) for s in scores)
        return {
            "items": len(scores),
            "scored": len(scores) - failures,
            "verdict_failure_rate": round(failures / len(scores), 4) if scores else None,
        }

    def describe(self, request: Request | None, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """The kind of dataset: rated responses or pairs."""
        pairs = any(r.get("pairwise_accuracy") is not None for r in results.values())
        return {"kind": "pairs" if pairs else "scores"}


TASK = JudgeTask()
