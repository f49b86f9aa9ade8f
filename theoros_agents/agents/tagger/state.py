"""State of the tagger graph."""

from __future__ import annotations

import operator
from typing import Annotated

from typing_extensions import TypedDict

from theoros_agents.state import SpecialistInput, SpecialistOutput, last


class Tag(TypedDict):
    """One label given to a synopsis.

    `confidence` is in [0, 1] and its meaning depends on the strategy: a classifier maps its decision
    threshold to 0.5; embedding similarity reports the cosine similarity; the model's yes/no has none (None).
    """

    label: str
    kind: str
    parent: str
    wikidata: str
    confidence: float | None


class Verdict(TypedDict):
    """The model's answer about one candidate label."""

    label: str
    chosen: bool
    error: str


class CheckInput(TypedDict):
    """What one per-label check reads (sent to it by the fan-out)."""

    synopsis: str
    label: str
    escalated: bool


class TaggerOutput(SpecialistOutput, total=False):
    """What a caller gets back: the contract's fields, and the tags themselves."""

    tags: Annotated[list[Tag], last]


class TaggerState(SpecialistInput, TaggerOutput, total=False):
    """Synopsis in; candidate labels, the model's verdicts and the tags out."""

    synopsis: str
    """The text that is tagged: cleaned and cut to its opening."""
    film_record: dict
    """The film's record from the lines after the synopsis (`record.Record.as_dict()`), or {}."""
    problem: str
    """Why the synopsis cannot be tagged ('' when it can)."""
    truncated: bool
    strategy: str
    """The strategy that runs, after 'auto' is resolved."""
    candidates: list[Tag]
    """Labels proposed before the model checks them, or the final labels of a strategy without a model."""
    verdicts: Annotated[list[Verdict], operator.add]
    """The model's verdicts, one per checked label, gathered from the parallel checks."""
