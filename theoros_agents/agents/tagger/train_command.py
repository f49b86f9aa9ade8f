"""`theoros train tagger`: train the classic tagger classifiers from labelled files and keep them under the home."""

from __future__ import annotations

import argparse
from pathlib import Path

from theoros_agents.agents.tagger.dataset import load_examples
from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.context import Context


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the train subcommand's arguments."""
    parser.add_argument("agent", choices=("tagger",), help="the agent whose classifier to train")
    parser.add_argument(
        "--dataset", required=True, help='JSONL of {"text", "labels"}: the task data, also used to tune thresholds'
    )
    parser.add_argument(
        "--extra",
        action="append",
        metavar="FILE",
        help='more training JSONL (may add "known": the labels its source covers); never used for tuning',
    )
    parser.add_argument("--extra-weight", type=float, default=1 / 3, help="weight of an extra item (default 1/3)")
    parser.add_argument("--labels", help="label set for descriptions and names (default: the dataset's labels)")
    parser.add_argument("--name", help="classifier name under <home>/tagger/, or a .joblib path (default: default)")


def run_train(args: argparse.Namespace, context: Context) -> int:
    """Train, save, and print where the classifier went and its cross-validated scores."""
    from theoros_agents.agents.tagger.classifier import classifier_path, save
    from theoros_agents.agents.tagger.training import describe_training, train

    dataset = load_examples(Path(args.dataset))
    extra = [example for path in args.extra or [] for example in load_examples(Path(path))]
    labels = load_labels(args.labels or args.dataset)
    model = train(dataset, extra, labels, context.embedding_model, args.extra_weight)
    model.report["files"] = {"dataset": args.dataset, "extra": list(args.extra or [])}
    path = classifier_path(context.home, args.name or context.tagger_classifier)
    save(model, path)
    print(describe_training(model, path))
    return 0
