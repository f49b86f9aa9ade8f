"""Labelled synopses: JSONL of {"text", "labels": [...]} for training and scoring the tagger."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from theoros_agents.errors import ConfigError

FORMAT = '{"text", "labels": [...], optional "known": [...], "weight": number}'


@dataclass(frozen=True)
class Example:
    """A synopsis with its gold labels.

    `known` lists the labels this example says anything about (None: all of them). A source that has no
    category for, say, crime films cannot tell that a film is not one, so such labels are left out of
    `known` and the example is neither a positive nor a negative for them.
    """

    text: str
    labels: frozenset[str]
    known: frozenset[str] | None = None
    weight: float = 1.0

    def knows(self, label: str) -> bool:
        """Say whether this example is evidence for or against `label`."""
        return self.known is None or label in self.known or label in self.labels


def _example(raw: object) -> Example:
    if not isinstance(raw, dict):
        raise TypeError(f"expected an object, got {type(raw).__name__}")
    labels = raw["labels"]
    if not isinstance(raw["text"], str) or not isinstance(labels, list):
        raise TypeError("'text' must be a string and 'labels' a list")
    known = raw.get("known")
    weight = float(raw.get("weight", 1.0))
    if weight <= 0:
        raise ValueError(f"weight must be positive, got {weight!r}")
    return Example(
        raw["text"],
        frozenset(str(label) for label in labels),
        None if known is None else frozenset(str(label) for label in known),
        weight,
    )


def load_examples(path: Path) -> list[Example]:
    """Read a JSONL file of labelled synopses; a bad line is reported with its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read dataset {str(path)!r}: {exc}") from exc
    examples = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            examples.append(_example(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{path}:{number}: expected {FORMAT}: {exc!r}") from exc
    if not examples:
        raise ConfigError(f"dataset {str(path)!r} has no items")
    return examples
