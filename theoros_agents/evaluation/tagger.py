"""Evaluate the tagger: per-label precision/recall/F1, macro- and micro-F1, exact match per strategy and model.

The label set is the dataset's own (every label its items use) unless `tagger_labels` is set or the classifier
was trained on a named set (`--labels imdb`): then that whole set, so that a label the test file happens to lack
can still be predicted, and counted wrong. The built-in set uses the taxonomy's main genres (`builtin:genres`).
Macro-F1 averages over the labels that occur in the gold labels or the predictions; a label never seen and never
predicted is left out rather than counted as perfect or as zero. The classic classifiers of the built-in set are
trained once, on the starter synopses that are not in it (`data/tagger_train.jsonl`), and kept under the home.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from theoros_agents.agents.registry import get_agent
from theoros_agents.agents.tagger.classifier import KINDS, classifier_path
from theoros_agents.agents.tagger.dataset import FORMAT, is_csv, load_csv, load_examples
from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.agents.tagger.record import Record, from_fields, with_record
from theoros_agents.agents.tagger.scoring import MODEL_STRATEGIES, STRATEGIES
from theoros_agents.context import Context, resolve_context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.datasets import read_jsonl
from theoros_agents.evaluation.metrics import label_scores, mean_of
from theoros_agents.evaluation.tasks import (
    DATA,
    MODEL,
    NO_MODEL,
    Metric,
    Request,
    Result,
    Scores,
    System,
    Task,
    digest,
    finding_result,
)

__all__ = ["TASK", "label_scores"]
BUILTIN_LABELS = "builtin:genres"
TRAIN = DATA / "tagger_train.jsonl"


def _sets(scores: Sequence[Scores]) -> tuple[list[set[str]], list[set[str]]]:
    return [set(s["gold"]) for s in scores], [set(s["predicted"]) for s in scores]


def macro_f1(scores: Sequence[Scores]) -> float | None:
    """Macro-F1 over the labels seen in the gold labels or the predictions."""
    return label_scores(*_sets(scores))["macro_f1"] if scores else None


def micro_f1(scores: Sequence[Scores]) -> float | None:
    """Micro-F1 over every (item, label) decision."""
    return label_scores(*_sets(scores))["micro_f1"] if scores else None


def _item(text: str, labels: Iterable[str], record: Record | None) -> dict[str, Any]:
    item = {"text": text, "labels": sorted({str(label) for label in labels})}
    return item | ({"record": record.as_dict()} if record else {})


def trained_label_set(path: Path) -> str:
    """The named label set a classifier was trained on (`--labels imdb`), or '' (none named, or no classifier)."""
    if not path.is_file():
        return ""
    from theoros_agents.agents.tagger.classifier import load

    return str(load(path).report.get("label_set", ""))


def builtin_classifier(home: str) -> Path:
    """Where the classifier trained for the built-in set lives: named after its training data, so it stays current."""
    return classifier_path(home, f"eval-genres-{digest(TRAIN.read_bytes())[:12]}")


class TaggerTask(Task):
    """A synopsis in; labels from the set out, compared with the gold labels."""

    strategies = STRATEGIES

    name = "tagger"
    primary = "macro_f1"
    binary = "exact"
    binary_metric = "exact_match"
    prompts = ("tagger",)
    metrics = (
        Metric("macro_f1", macro_f1),
        Metric("micro_f1", micro_f1),
        Metric("exact_match", mean_of("exact")),
    )

    def load(self, path: Path) -> list[dict[str, Any]]:
        """Read JSONL of {"text", "labels"} (ids and film records are kept when present), or a CSV such as IMDB's."""
        if is_csv(path):
            return [_item(e.text, e.labels, e.record) for e in load_csv(path)]

        def parse(row: dict[str, Any]) -> dict[str, Any]:
            if not isinstance(row["text"], str) or not isinstance(row["labels"], list):
                raise TypeError("'text' must be a string and 'labels' a list")
            if not isinstance(row.get("record", {}), dict):
                raise TypeError("'record' must be an object")
            item = _item(row["text"], row["labels"], from_fields(row.get("record") or {}))
            return item | ({"id": str(row["id"])} if "id" in row else {})

        return read_jsonl(path, parse, FORMAT)

    def _labels(self, request: Request, base: Context) -> str:
        if request.dataset is None:
            return BUILTIN_LABELS
        if base.tagger_labels != "builtin":
            return base.tagger_labels
        # Not the test file's labels when the classifier names its set: a label the file lacks must stay predictable.
        return trained_label_set(classifier_path(base.home, base.tagger_classifier)) or str(request.dataset)

    def _classifier(self, request: Request, base: Context) -> str:
        # An absolute path: `recommend` writes it into a theoros.toml that may be read from anywhere.
        return str(builtin_classifier(base.home).resolve()) if request.dataset is None else base.tagger_classifier

    def systems(self, request: Request, items: list[dict[str, Any]], base: Context) -> list[System]:
        """Each strategy (the classic classifiers when trained or trainable); the model strategies once per model."""
        labels, classifier = self._labels(request, base), self._classifier(request, base)
        trained = request.dataset is None or classifier_path(base.home, classifier).is_file()
        default = ["embedding", *(("tfidf", "ensemble") if trained else ()), "slm_pick"]
        strategies = request.strategies or default
        unknown = [s for s in strategies if s not in STRATEGIES]
        if unknown:
            raise ConfigError(f"unknown tagger strategy {unknown[0]!r}; strategies are {', '.join(STRATEGIES)}")
        models = request.models or [base.tagger_model]
        systems = []
        for strategy in strategies:
            overrides = {"tagger_labels": labels, "tagger_strategy": strategy, "tagger_classifier": classifier}
            adopt: dict[str, Any] = {"strategy": strategy}
            if strategy in KINDS or strategy == "auto":
                adopt["classifier"] = classifier
            if strategy not in MODEL_STRATEGIES:
                systems.append(System(strategy, NO_MODEL, "", strategy, overrides, adopt))
                continue
            for model_id in models:
                system_overrides = overrides | {"tagger_model": model_id}
                name = f"{strategy} / {model_id}"
                systems.append(System(name, MODEL, model_id, strategy, system_overrides, adopt | {"model": model_id}))
        return systems

    def prepare(self, systems: list[System], request: Request) -> None:
        """Train the built-in set's classifier once, when a classic strategy needs it and it is not there yet."""
        if request.dataset is not None or not any(s.strategy in (*KINDS, "auto") for s in systems):
            return
        base = resolve_context(request.settings)
        path = builtin_classifier(base.home)
        if path.is_file():
            return
        from theoros_agents.agents.tagger.classifier import save
        from theoros_agents.agents.tagger.training import train

        print(f"training the tagger's classic classifiers for the built-in set -> {path}", file=sys.stderr)
        model = train(load_examples(TRAIN), [], load_labels(BUILTIN_LABELS), base.embedding_model)
        model.report["files"] = {"dataset": str(TRAIN), "extra": []}
        save(model, path)

    async def run(self, system: System, context: Context, item: dict[str, Any]) -> Result:
        """Tag the synopsis and compare the tags with the gold labels (both resolved in the label set)."""
        labels = load_labels(context.tagger_labels)
        gold = sorted({labels.resolve(n) or n for n in item["labels"]})
        # The film's record follows the synopsis as the lines a user would write under it.
        question = with_record(item["text"], from_fields(item.get("record") or {}))
        output = await get_agent(self.name).compiled().ainvoke({"question": question}, context=context)
        predicted = sorted({t["label"] for t in finding_result(output).get("tags", [])})
        refused = any(r["node"] == "prepare_synopsis" and r["error"] for r in output.get("records", []))
        return Result({"gold": gold, "predicted": predicted, "exact": gold == predicted, "refused": refused}, output)

    def failed(self, item: dict[str, Any]) -> dict[str, Any]:
        """No tags."""
        return {"gold": sorted(item["labels"]), "predicted": [], "exact": False, "refused": False}

    def extras(self, scores: Sequence[Scores]) -> dict[str, Any]:
        """Per-label precision, recall and F1, and how many synopses were refused."""
        per_label = label_scores(*_sets(scores))["per_label"] if scores else {}
        return {"per_label": per_label, "refused": sum(bool(s.get("refused")) for s in scores)}

    def describe(self, request: Request | None, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """The label set; with one system, its scores at the top as well."""
        base = resolve_context(request.settings) if request else None
        fields: dict[str, Any] = {"labels": self._labels(request, base) if request and base else ""}
        if len(results) == 1:
            only = next(iter(results.values()))
            fields |= {k: only.get(k) for k in ("macro_f1", "micro_f1", "per_label")}
        return fields


TASK = TaggerTask()
