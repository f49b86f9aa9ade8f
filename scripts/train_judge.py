"""Train the judge's classic models and calibration from the dev files; report out-of-fold figures.

    python scripts/train_judge.py --data ../shared/data                  # classic only, no model calls
    python scripts/train_judge.py --data ../shared/data --with-model     # + logprob, calibrated, hybrid

Writes `theoros_agents/agents/judge/data/classic_judge.json` (plain numbers) and, with `--with-model`,
`calibration_answer.json`. Every figure printed is cross-validated: rated replies in 5 folds grouped by
conversation, pairs in 5 folds; the shipped models are then fitted on all the items. The embedded
model's scores are cached in `--cache` so that a second run makes no model calls.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from theoros_agents.agents.judge.calibration import fit_isotonic, save_calibration
from theoros_agents.agents.judge.classic import DATA
from theoros_agents.agents.judge.features import PAIR_FEATURES, SCORE_FEATURES
from theoros_agents.agents.judge.graph import judge_inputs
from theoros_agents.agents.judge.training import (
    clip_score,
    cv_isotonic,
    cv_pairs,
    cv_ridge,
    fit_pairs,
    fit_ridge,
    group_folds,
    model_file,
    pair_differences,
    rated_features,
)
from theoros_agents.context import Context
from theoros_agents.evaluation.agreement import round_half_up
from theoros_agents.evaluation.judge import load_dataset, pair_metrics, score_metrics
from theoros_agents.knowledge.embeddings import load_embedder

EMBEDDING_MODEL = "sentence-transformers:all-MiniLM-L6-v2"


async def _model_scores(items: list[dict[str, Any]], cache: Path, key: str) -> list[float]:
    """The embedded model's logprob score of each rated reply (cached by dataset key)."""
    from theoros_agents.agents.judge.strategies import logprob_rating

    stored = json.loads(cache.read_text()) if cache.is_file() else {}
    if len(stored.get(key, [])) != len(items):
        context, values = Context(), []
        for n, item in enumerate(items, 1):
            rating = await logprob_rating(context, context.prompt_for("judge"), "answer", item)
            values.append(rating.value)
            print(f"\r{key}: {n}/{len(items)}", end="", file=sys.stderr)
        stored[key] = values
        cache.write_text(json.dumps(stored))
        print(file=sys.stderr)
    return stored[key]


async def _model_preferences(items: list[dict[str, Any]], cache: Path, key: str) -> list[float]:
    """The embedded model's probability that output 1 is better, averaged over both orders (cached)."""
    from theoros_agents.agents.judge.strategies import logprob_preference

    stored = json.loads(cache.read_text()) if cache.is_file() else {}
    if len(stored.get(key, [])) != len(items):
        context, values = Context(), []
        for n, item in enumerate(items, 1):
            swapped = item | {"output_1": item["output_2"], "output_2": item["output_1"]}
            given, _ = await logprob_preference(context, context.prompt_for("judge"), item)
            other, _ = await logprob_preference(context, context.prompt_for("judge"), swapped)
            values.append((given + 1 - other) / 2)
            print(f"\r{key}: {n}/{len(items)}", end="", file=sys.stderr)
        stored[key] = values
        cache.write_text(json.dumps(stored))
        print(file=sys.stderr)
    return stored[key]


def _score_row(name: str, ratings: list[float], human: list[float]) -> dict[str, Any]:
    metrics = score_metrics([round_half_up(clip_score(r)) for r in ratings], human, ratings)
    return {"strategy": name, **metrics}


def _pair_row(name: str, p_first: list[float], labels: list[int], subsets: list[str]) -> dict[str, Any]:
    choices = [1 if p > 0.5 else 2 if p < 0.5 else None for p in p_first]
    by_subset = {}
    for subset in sorted(set(subsets)):
        kept = [i for i, s in enumerate(subsets) if s == subset]
        metrics = pair_metrics([choices[i] for i in kept], [labels[i] for i in kept], [False] * len(kept))
        by_subset[subset] = {"pairs": len(kept), "accuracy": metrics["pairwise_accuracy"]}
    return {"strategy": name, **pair_metrics(choices, labels, [False] * len(labels)), "by_subset": by_subset}


def train_scores(path: Path, args: argparse.Namespace, embedder: Any) -> tuple[dict, dict, list[dict]]:
    """Cross-validate and fit the rated-reply models; return (models, calibration, report rows)."""
    _, raw_items = load_dataset(path)
    items = [judge_inputs(item["input"], "answer") for item in raw_items]
    human = [item["human"] for item in raw_items]
    folds = group_folds([item["input"]["question"] for item in raw_items])
    rows = rated_features(items, embedder)
    report = [_score_row("classic", cv_ridge(rows, human, folds, SCORE_FEATURES), human)]
    models = {"scores": fit_ridge(rows, human, SCORE_FEATURES)}
    calibration = None
    if args.with_model:
        raw = asyncio.run(_model_scores(items, args.cache, "unieval"))
        hybrid = [[*row, value] for row, value in zip(rows, raw, strict=True)]
        names = (*SCORE_FEATURES, "logprob_score")
        report += [
            _score_row("logprob", raw, human),
            _score_row("calibrated", cv_isotonic(raw, human, folds), human),
            _score_row("hybrid", cv_ridge(hybrid, human, folds, names), human),
        ]
        models["hybrid_scores"] = fit_ridge(hybrid, human, names)
        calibration = fit_isotonic(raw, human)
    return models, {"answer": calibration} if calibration else {}, report


def train_pairs(path: Path, args: argparse.Namespace, embedder: Any) -> tuple[dict, list[dict]]:
    """Cross-validate and fit the pairwise model; return (models, report rows)."""
    _, raw_items = load_dataset(path)
    items = [judge_inputs(item["input"], "pairwise") for item in raw_items]
    labels = [item["label"] for item in raw_items]
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    subsets = [str(json.loads(line).get("subset", "")) for line in lines]
    folds = group_folds([str(i) for i in range(len(items))])
    rows = pair_differences(items, embedder)
    shorter = [
        0.5 if len(i["output_1"]) == len(i["output_2"]) else float(len(i["output_1"]) < len(i["output_2"]))
        for i in items
    ]
    report = [
        _pair_row("the shorter output", shorter, labels, subsets),
        _pair_row("classic", cv_pairs(rows, labels, folds, PAIR_FEATURES), labels, subsets),
    ]
    models = {"pairs": fit_pairs(rows, labels, PAIR_FEATURES)}
    if args.with_model:
        preference = asyncio.run(_model_preferences(items, args.cache, "llmbar"))
        hybrid = [[*row, p - 0.5] for row, p in zip(rows, preference, strict=True)]
        names = (*PAIR_FEATURES, "logprob_preference")
        report += [
            _pair_row("logprob", preference, labels, subsets),
            _pair_row("hybrid", cv_pairs(hybrid, labels, folds, names), labels, subsets),
        ]
        models["hybrid_pairs"] = fit_pairs(hybrid, labels, names)
    return models, report


def main() -> int:
    """Parse arguments, train, write the model files and print the out-of-fold report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--with-model", action="store_true", help="also score with the embedded model")
    parser.add_argument("--cache", type=Path, default=Path(".theoros-eval/judge_model_scores.json"))
    parser.add_argument("--out", type=Path, default=DATA, help="folder for the model files")
    parser.add_argument("--report", type=Path, default=None, help="also write the report as JSON here")
    args = parser.parse_args()
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    embedder = load_embedder(EMBEDDING_MODEL)
    scores, calibrations, score_report = train_scores(args.data / "judge_unieval_dev.jsonl", args, embedder)
    pairs, pair_report = train_pairs(args.data / "judge_llmbar_dev.jsonl", args, embedder)
    report = {"unieval_out_of_fold": score_report, "llmbar_out_of_fold": pair_report}
    args.out.mkdir(parents=True, exist_ok=True)
    extra = {k: v for k, v in (scores | pairs).items() if k not in ("scores", "pairs")}
    document = model_file(EMBEDDING_MODEL, scores["scores"], pairs["pairs"], extra, report)
    (args.out / "classic_judge.json").write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    for rubric, calibration in calibrations.items():
        save_calibration(calibration, args.out / f"calibration_{rubric}.json")
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
