"""Labelled synopses for training and scoring the tagger: JSONL of {"text", "labels": [...]}, or a CSV.

A CSV (such as IMDB's `imdb_movies.csv`) is read by its header: the text is the first column named
text, description, plot, synopsis, overview or summary; the labels the first named labels, genre,
genres, listed_in or tags, separated by commas. Rows without text are skipped. Columns that hold a film's record
(Director, Actors, Year, Runtime, Rating, Votes, Revenue, Metascore: see `record.ALIASES`) give each example its
record; in JSONL it is an optional "record" object with those names.
"""

from __future__ import annotations

import csv
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from theoros_agents.agents.tagger.record import Record, from_fields
from theoros_agents.errors import ConfigError

FORMAT = '{"text", "labels": [...], optional "known": [...], "weight": number, "record": {"director", "cast", ...}}'
TEXT_COLUMNS = ("text", "description", "plot", "synopsis", "overview", "summary")
LABEL_COLUMNS = ("labels", "genre", "genres", "listed_in", "tags")


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
    record: Record | None = None

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
    record = raw.get("record")
    if record is not None and not isinstance(record, dict):
        raise TypeError("'record' must be an object")
    return Example(
        raw["text"],
        frozenset(str(label) for label in labels),
        None if known is None else frozenset(str(label) for label in known),
        weight,
        from_fields(record or {}),
    )


def _read_text(path: Path) -> str:
    try:
        if path.suffix == ".gz":
            return gzip.decompress(path.read_bytes()).decode("utf-8")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        raise ConfigError(f"cannot read dataset {str(path)!r}: {exc}") from exc


def is_csv(path: Path) -> bool:
    """Say whether a dataset path names a CSV file (by its suffix)."""
    return path.suffix.lower() == ".csv"


def _column(header: list[str], choices: tuple[str, ...], path: Path, what: str) -> str:
    by_name = {name.strip().lower(): name for name in header}
    for choice in choices:
        if choice in by_name:
            return by_name[choice]
    raise ConfigError(
        f"CSV dataset {str(path)!r} has no {what} column: expected one of {', '.join(choices)}; it has {header}"
    )


def load_csv(path: Path) -> list[Example]:
    """Read labelled synopses from a CSV with a text column and a comma-separated labels column."""
    reader = csv.DictReader(_read_text(path).splitlines(keepends=True))
    header = list(reader.fieldnames or [])
    text_column = _column(header, TEXT_COLUMNS, path, "text")
    labels_column = _column(header, LABEL_COLUMNS, path, "labels")
    examples = []
    for row in reader:
        text = " ".join((row.get(text_column) or "").split())
        labels = frozenset(n.strip() for n in (row.get(labels_column) or "").split(",") if n.strip())
        if text:
            examples.append(Example(text, labels, record=from_fields(row)))
    if not examples:
        raise ConfigError(f"dataset {str(path)!r} has no items")
    return examples


def load_examples(path: Path) -> list[Example]:
    """Read labelled synopses (JSONL, optionally gzipped, or CSV); a bad JSONL line is reported with its number."""
    if is_csv(path):
        return load_csv(path)
    lines = _read_text(path).splitlines()
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
