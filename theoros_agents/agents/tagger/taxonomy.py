"""Label sets: the built-in genre taxonomy (genre -> subgenres, with Wikidata ids) and any other list of labels."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from theoros_agents.errors import ConfigError

DATA = Path(__file__).resolve().parent / "data"
TAXONOMY = DATA / "taxonomy.yaml"
_NON_WORD = re.compile(r"[^a-z0-9]+")
_QID = re.compile(r"Q[1-9][0-9]*")
# Label sets name the same genre "Western", "western film" or "Westerns": these endings do not change the genre.
_ENDINGS = (" films", " film", " movies", " movie")


def normalize_label(name: str) -> str:
    """Return the comparison form of a label: lower case, '&' as 'and', words only, no trailing 'film'."""
    text = _NON_WORD.sub(" ", str(name).lower().replace("&", " and ")).strip()
    for ending in _ENDINGS:
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)].strip()
    return text


@dataclass(frozen=True)
class Label:
    """One label a synopsis can get: a genre, or a subgenre of `parent`."""

    name: str
    description: str = ""
    parent: str = ""
    wikidata: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """Say whether this is a main genre or a subgenre."""
        return "subgenre" if self.parent else "genre"

    def prompt_text(self) -> str:
        """Return the label with its description, as models and embeddings read it."""
        return f"{self.name}: {self.description}" if self.description else self.name


@dataclass(frozen=True)
class LabelSet:
    """An ordered set of labels, looked up by name or alias whatever the spelling."""

    name: str
    labels: tuple[Label, ...]
    _index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.labels:
            raise ConfigError(f"label set {self.name!r} has no labels")
        for label in self.labels:
            for key in (label.name, *label.aliases):
                self._index.setdefault(normalize_label(key), label.name)
        duplicates = len(self.labels) - len({normalize_label(label.name) for label in self.labels})
        if duplicates:
            raise ConfigError(f"label set {self.name!r} names {duplicates} labels twice")

    def __iter__(self) -> Iterator[Label]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def names(self) -> list[str]:
        """Return the label names, in order."""
        return [label.name for label in self.labels]

    def resolve(self, name: str) -> str | None:
        """Return the label that `name` or one of its aliases names, or None when it is outside the set."""
        return self._index.get(normalize_label(name))

    def get(self, name: str) -> Label:
        """Return the label `name` resolves to, or raise ConfigError quoting it."""
        resolved = self.resolve(name)
        if resolved is None:
            raise ConfigError(f"label {name!r} is not in the label set {self.name!r}")
        return next(label for label in self.labels if label.name == resolved)

    def subset(self, names: Iterable[str], name: str) -> LabelSet:
        """Return the labels that `names` resolve to, in this set's order (unknown names are an error)."""
        wanted = {self.get(n).name for n in names}
        return LabelSet(name, tuple(label for label in self.labels if label.name in wanted))


def _subgenre(name: str, spec: Mapping[str, Any], parent: str) -> Label:
    return Label(
        name=name,
        description=str(spec.get("description", "")),
        parent=parent,
        wikidata=_qid(spec.get("wikidata"), name),
        aliases=tuple(str(a) for a in spec.get("aliases") or ()),
    )


def _qid(value: Any, name: str) -> str:
    qid = str(value or "").strip()
    if qid and not _QID.fullmatch(qid):
        raise ConfigError(f"label {name!r} has Wikidata id {qid!r}, which is not a Q-id")
    return qid


def parse_taxonomy(data: Any, source: str) -> LabelSet:
    """Build a label set from `{"genres": {genre: {description, wikidata, aliases, subgenres: {...}}}}`."""
    genres = data.get("genres") if isinstance(data, dict) else None
    if not isinstance(genres, dict) or not genres:
        raise ConfigError(f"taxonomy {source!r} needs a 'genres' mapping")
    labels: list[Label] = []
    for genre, spec in genres.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"taxonomy {source!r}: genre {genre!r} must be a mapping")
        labels.append(_subgenre(str(genre), spec, parent=""))
        for name, sub in (spec.get("subgenres") or {}).items():
            if not isinstance(sub, dict):
                raise ConfigError(f"taxonomy {source!r}: subgenre {name!r} must be a mapping")
            labels.append(_subgenre(str(name), sub, parent=str(genre)))
    return LabelSet(source, tuple(labels))


@functools.cache
def builtin_taxonomy() -> LabelSet:
    """Load the taxonomy that ships in the package: main genres and their subgenres."""
    import yaml

    try:
        data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the built-in taxonomy {str(TAXONOMY)!r}: {exc}") from exc
    return parse_taxonomy(data, "builtin")


def main_genres() -> LabelSet:
    """Return the built-in taxonomy's main genres only."""
    taxonomy = builtin_taxonomy()
    return LabelSet("builtin:genres", tuple(label for label in taxonomy if not label.parent))
