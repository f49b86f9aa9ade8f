"""`theoros train tagger`: train the classic tagger classifiers from labelled files and keep them under the home.

When the run names a label set that ships extra data (`--labels imdb`), that data joins the training
on its own, with a line saying so; `--no-extra` leaves it out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from theoros_agents.agents.tagger.dataset import Example, load_examples
from theoros_agents.agents.tagger.extra import load_extra, matching_extra
from theoros_agents.agents.tagger.labels import BUILTIN, load_labels, shipped_names
from theoros_agents.context import Context, cache_dir


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the train subcommand's arguments."""
    parser.add_argument("agent", choices=("tagger",), help="the agent whose classifier to train")
    parser.add_argument(
        "--dataset",
        required=True,
        help='JSONL of {"text", "labels"} or a CSV with text and comma-separated labels columns (e.g. IMDB\'s '
        "Description and Genre): the task data, also used to tune thresholds. Film records (CSV columns "
        'Director, Actors, Year, Runtime, Rating, Votes, Revenue, Metascore; JSONL "record") train a record '
        "model that the ensemble reads beside the text",
    )
    parser.add_argument(
        "--extra",
        action="append",
        metavar="FILE",
        help='more training JSONL (may add "known": the labels its source covers); never used for tuning',
    )
    parser.add_argument(
        "--no-extra",
        action="store_true",
        help="do not add the extra data that ships for the label set (IMDB's genres: Netflix, Wikipedia and "
        "starter synopses)",
    )
    parser.add_argument("--extra-weight", type=float, default=1 / 3, help="weight of an extra item (default 1/3)")
    parser.add_argument("--labels", help="label set for descriptions and names (default: the dataset's labels)")
    parser.add_argument("--name", help="classifier name under <home>/tagger/, or a .joblib path (default: default)")


def _extra(args: argparse.Namespace) -> tuple[list[Example], list[str]]:
    """Read the --extra files and, unless --no-extra, the shipped extra data that fits; say what was added."""
    extra = [example for path in args.extra or [] for example in load_examples(Path(path))]
    files = list(args.extra or [])
    shipped = None if args.no_extra else matching_extra(args.labels)
    if shipped:
        added = load_extra(shipped)
        extra += added
        files.append(f"shipped:{shipped}")
        print(f"adding {len(added)} training synopses shipped for the label set {shipped!r} (--no-extra: without them)")
    return extra, files


def run_train(args: argparse.Namespace, context: Context) -> int:
    """Train, save, and print where the classifier went and its cross-validated scores."""
    from theoros_agents.agents.tagger.classifier import classifier_path, save
    from theoros_agents.agents.tagger.training import describe_training, train

    dataset = load_examples(Path(args.dataset))
    extra, files = _extra(args)
    labels = load_labels(args.labels or args.dataset)
    model = train(dataset, extra, labels, context.embedding_model, args.extra_weight, cache_dir(context.home))
    model.report["files"] = {"dataset": args.dataset, "extra": files}
    if args.labels in (*BUILTIN, *shipped_names()):
        # A named set travels with the classifier: `theoros eval tagger` then tags from all of it, not from the
        # labels a test file happens to contain.
        model.report["label_set"] = args.labels
    path = classifier_path(context.home, args.name or context.tagger_classifier)
    save(model, path)
    print(describe_training(model, path))
    return 0
