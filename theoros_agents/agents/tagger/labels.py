"""Resolve the `tagger_labels` setting into a label set: built-in, shipped, from a file or from a dataset."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from theoros_agents.agents.tagger.dataset import is_csv, load_csv
from theoros_agents.agents.tagger.taxonomy import DATA, Label, LabelSet, builtin_taxonomy, main_genres, parse_taxonomy
from theoros_agents.errors import ConfigError

SHIPPED = DATA / "labels"
BUILTIN = ("builtin", "builtin:genres")


@functools.cache
def shipped_names() -> list[str]:
    """List the label sets that ship in the package besides the taxonomy (e.g. 'imdb')."""
    return sorted(p.stem for p in SHIPPED.glob("*.yaml"))


def describe(name: str) -> str:
    """Find a description for a bare label name in the label sets that ship with Theoros ('' when none)."""
    for spec in (*shipped_names(), "builtin"):
        labels = load_labels(spec)
        resolved = labels.resolve(name)
        if resolved is not None:
            return labels.get(resolved).description
    return ""


def from_names(names: Iterable[str], source: str) -> LabelSet:
    """Build a label set from bare names, in first-seen order, describing each from the shipped sets."""
    unique = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    return LabelSet(source, tuple(Label(name, describe(name)) for name in unique))


def _from_mapping(data: Any, source: str) -> LabelSet:
    """Read YAML: a taxonomy, `labels:` as a list or a name -> description mapping, or such a list/mapping alone."""
    if isinstance(data, dict) and "genres" in data:
        return parse_taxonomy(data, source)
    labels = data.get("labels") if isinstance(data, dict) and "labels" in data else data
    if isinstance(labels, list) and all(isinstance(n, str) for n in labels):
        return from_names(labels, source)
    if isinstance(labels, dict) and all(isinstance(v, str | None) for v in labels.values()):
        return LabelSet(source, tuple(Label(str(n), d or describe(str(n))) for n, d in labels.items()))
    raise ConfigError(f"label file {source!r} must list labels or map each label to a description")


def _from_text(text: str, source: str) -> LabelSet:
    """Read one label a line, optionally 'label: description'; '#' starts a comment."""
    labels = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, description = line.partition(":")
            labels.append(Label(name.strip(), description.strip() or describe(name.strip())))
    return LabelSet(source, tuple(labels))


def labels_of_dataset(path: Path) -> LabelSet:
    """Take the label set of a JSONL or CSV dataset: every label its items use."""
    if is_csv(path):
        return from_names([n for e in load_csv(path) for n in sorted(e.labels)], str(path))
    names: list[str] = []
    for number, line in enumerate(_read(path).splitlines(), 1):
        if line.strip():
            try:
                names += [str(n) for n in json.loads(line)["labels"]]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ConfigError(f'{path}:{number}: expected {{"text", "labels": [...]}}: {exc!r}') from exc
    return from_names(names, str(path))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read label file {str(path)!r}: {exc}") from exc


@functools.lru_cache(maxsize=16)
def load_labels(spec: str) -> LabelSet:
    """Return the label set `spec` names: 'builtin', 'builtin:genres', a shipped name such as 'imdb', or a file.

    A file is YAML (a taxonomy, a list of labels, or labels mapped to descriptions), text (one label a
    line, optionally 'label: description') or a JSONL or CSV dataset whose items' labels form the set.
    """
    if spec == "builtin":
        return builtin_taxonomy()
    if spec == "builtin:genres":
        return main_genres()
    path = SHIPPED / f"{spec}.yaml" if spec in shipped_names() else Path(spec).expanduser()
    if not path.is_file():
        known = ", ".join((*BUILTIN, *shipped_names()))
        raise ConfigError(f"tagger_labels {spec!r} is neither a label set ({known}) nor an existing file")
    if path.suffix in (".jsonl", ".json") or is_csv(path):
        return labels_of_dataset(path)
    if path.suffix in (".yaml", ".yml"):
        import yaml

        try:
            return _from_mapping(yaml.safe_load(_read(path)), str(path))
        except yaml.YAMLError as exc:
            raise ConfigError(f"label file {str(path)!r} is not valid YAML: {exc}") from exc
    return _from_text(_read(path), str(path))
