"""Extra training data that ships with Theoros for a shipped label set (today: IMDB's genres).

`data/extra/<set>.jsonl.gz` holds synopses from other sources with their categories mapped to the
set's labels (see `scripts/build_tagger_extra.py` for how it was built and checked). `theoros train
tagger --labels imdb` adds it on its own, so a user who trains on a few hundred IMDB films gets
examples of the rare genres (Western, War, Musical) without knowing the file.
"""

from __future__ import annotations

from pathlib import Path

from theoros_agents.agents.tagger.dataset import Example, load_examples
from theoros_agents.agents.tagger.labels import shipped_names
from theoros_agents.agents.tagger.taxonomy import DATA

EXTRA = DATA / "extra"


def shipped_extra_names() -> list[str]:
    """List the label sets that have shipped extra data."""
    return sorted(p.name.removesuffix(".jsonl.gz") for p in EXTRA.glob("*.jsonl.gz"))


def extra_path(name: str) -> Path:
    """Return the shipped extra data of the label set `name`."""
    return EXTRA / f"{name}.jsonl.gz"


def matching_extra(labels_spec: str | None) -> str | None:
    """Name the shipped extra data of the label set a training run names (`--labels imdb`), or None.

    Only a named set counts: a small dataset whose labels merely look like IMDB's (say Horror and
    Romance) is the user's own task, and thousands of other synopses would swamp it.
    """
    if labels_spec in shipped_names() and labels_spec in shipped_extra_names():
        return labels_spec
    return None


def load_extra(name: str) -> list[Example]:
    """Read the shipped extra data of the label set `name`."""
    return load_examples(extra_path(name))
