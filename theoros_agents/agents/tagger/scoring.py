"""The tagger's strategies without a model call, and the checks every tag passes before it is returned."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.agents.tagger.record import Record
from theoros_agents.agents.tagger.state import Tag
from theoros_agents.agents.tagger.taxonomy import LabelSet
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError

MODEL_STRATEGIES = ("slm", "slm_pick")
CLASSIFIER_KINDS = ("tfidf", "minilm", "ensemble")
"""The trained classifiers' kinds (`classifier.KINDS`, which imports scikit-learn: loaded only when used)."""
STRATEGIES = ("auto", *MODEL_STRATEGIES, "embedding", *CLASSIFIER_KINDS)


def resolve_strategy(context: Context, labels: LabelSet) -> str:
    """Return the strategy to run; 'auto' is the trained ensemble when it knows these labels, else 'embedding'."""
    strategy = context.tagger_strategy
    if strategy not in STRATEGIES:
        raise ConfigError(f"unknown tagger strategy {strategy!r}; strategies are {', '.join(STRATEGIES)}")
    if strategy != "auto":
        return strategy
    from theoros_agents.agents.tagger import classifier

    path = classifier.classifier_path(context.home, context.tagger_classifier)
    if path.is_file() and any(labels.resolve(n) for n in classifier.load(path).labels):
        return "ensemble"
    return "embedding"


def make_tag(labels: LabelSet, name: str, confidence: float | None) -> Tag:
    """Build a tag for a label of the set."""
    label = labels.get(name)
    score = None if confidence is None else round(confidence, 4)
    return Tag(label=label.name, kind=label.kind, parent=label.parent, wikidata=label.wikidata, confidence=score)


def _classified(kind: str, text: str, context: Context, labels: LabelSet, record: Record | None) -> list[Tag]:
    from theoros_agents.agents.tagger import classifier, similarity

    model = classifier.load(classifier.classifier_path(context.home, context.tagger_classifier))
    known = [n for n in model.labels if labels.resolve(n)]
    if not known:
        raise ConfigError(
            f"the tagger classifier knows the labels {model.labels[:5]}..., none of them in the label set "
            f"{labels.name!r}; set tagger_labels to the labels it was trained on"
        )
    vector = similarity.embed_one(text, model.embedding_model)[None, :]
    if model.reads_record(kind, record):
        kind = classifier.WITH_RECORD
    scores = model.scores(kind, [text], vector, [record] if record else [])[0]
    return [make_tag(labels, str(labels.resolve(n)), c) for n, c in model.decide(kind, scores) if labels.resolve(n)]


def candidates(strategy: str, text: str, context: Context, record: Record | None = None) -> list[Tag]:
    """Return the final tags of a strategy without a model, or the shortlist for the model to check.

    Only the trained ensemble reads the film's record; the other strategies tag the text alone.
    """
    labels = load_labels(context.tagger_labels)
    if strategy in CLASSIFIER_KINDS:
        return _classified(strategy, text, context, labels, record)
    from theoros_agents.agents.tagger import similarity

    scores = similarity.similarities(
        similarity.embed_one(text, context.embedding_model), labels, context.embedding_model
    )
    if strategy in MODEL_STRATEGIES:
        found = similarity.shortlist(scores, labels, context.tagger_shortlist)
    else:
        found = similarity.choose(scores, labels, context.tagger_max_labels)
    return [make_tag(labels, name, score) for name, score in found]


def _unscored(tag: Tag) -> Tag:
    """Copy a tag without a confidence: the model's yes/no carries none."""
    return Tag(label=tag["label"], kind=tag["kind"], parent=tag["parent"], wikidata=tag["wikidata"], confidence=None)


def _model_choice(state: Mapping[str, Any]) -> tuple[list[Tag], str]:
    """Keep the shortlisted labels the model chose, in its order; the most similar one when it chose none."""
    shortlist = {c["label"]: c for c in state.get("candidates", [])}
    chosen = [v["label"] for v in state.get("verdicts", []) if v["chosen"] and v["label"] in shortlist]
    tags = [_unscored(shortlist[name]) for name in dict.fromkeys(chosen)]
    if tags or not shortlist:
        return tags, ""
    return list(shortlist.values())[:1], "the model chose no label, so the most similar one stands in"


def final_tags(state: Mapping[str, Any], labels: LabelSet) -> tuple[list[Tag], list[str], str]:
    """Return the validated tags (each subgenre followed by its genre when that is a label), dropped names, a note."""
    proposed, note = list(state.get("candidates", [])), ""
    if state.get("strategy") in MODEL_STRATEGIES:
        proposed, note = _model_choice(state)
    tags: dict[str, Tag] = {}
    dropped = []
    for tag in proposed:
        name = labels.resolve(tag["label"])
        if name is None:
            dropped.append(tag["label"])
            continue
        tags.setdefault(name, make_tag(labels, name, tag["confidence"]))
        parent = labels.get(name).parent
        if parent and labels.resolve(parent):
            tags.setdefault(parent, make_tag(labels, parent, tag["confidence"]))
    return list(tags.values()), dropped, note


def sentence(tags: list[Tag]) -> str:
    """Say the tags: genres first, then subgenres."""
    if not tags:
        return "I could not tag that synopsis."
    genres = [t["label"] for t in tags if t["kind"] == "genre"]
    subgenres = [t["label"] for t in tags if t["kind"] == "subgenre"]
    parts = [f"Genres: {', '.join(genres)}."] if genres else []
    if subgenres:
        parts.append(f"Subgenres: {', '.join(subgenres)}.")
    return " ".join(parts)
