"""State of the judge graph: what is graded, each model judgment, and the verdict."""

from __future__ import annotations

import operator
from typing import Annotated

from typing_extensions import TypedDict

from theoros_agents.state import NodeRecord


class JudgeInput(TypedDict, total=False):
    """What the judge grades; the fields a mode or rubric needs must be present.

    Absolute mode grades one output 1-5 against `rubric`:
    - "answer" (the default): `question`, `answer` and optionally `facts`;
    - "subgenre_fit": `subgenre`, `description` and optionally `synopsis`.
    Pairwise mode (chosen by the presence of `output_1` or `output_2`): `instruction`,
    `output_1` and `output_2`.
    """

    rubric: str
    """"answer" or "subgenre_fit"; absolute mode only."""
    question: str
    """The question or the conversation so far that `answer` replies to."""
    answer: str
    facts: str
    """What the answer must be faithful to (rows, sources, a knowledge snippet)."""
    subgenre: str
    description: str
    """The one-line description the subgenre must fit."""
    synopsis: str
    """The film synopsis the subgenre was assigned to, when there is one."""
    instruction: str
    output_1: str
    output_2: str


class Verdict(TypedDict, total=False):
    """The judge's outcome: exactly one of `score`, `better` or `error` is meaningful.

    A model that gives no usable verdict yields only `error`: never a score or a default.
    """

    rubric: str
    reason: str
    score: int
    """Absolute mode: 1-5."""
    rating: float
    """Absolute mode, strategies other than 'reason': the continuous 1-5 value `score` rounds (half up)."""
    probability: float
    """Pairwise mode, strategies other than 'reason': the probability that output 1 is the better one."""
    better: int | None
    """Pairwise mode: 1 or 2; None when the two presentation orders disagree (a tie)."""
    consistent: bool
    """Pairwise mode: whether both presentation orders chose the same output."""
    error: str


class Judgment(TypedDict):
    """One pairwise model call, with its choice mapped back to the original numbering."""

    swapped: bool
    better: int | None
    reason: str
    error: str
    probability: float | None
    """Probability that output 1 (original numbering) is better; None when only a choice was given."""


class JudgeOutput(TypedDict, total=False):
    """What a caller gets back."""

    verdict: Verdict
    records: Annotated[list[NodeRecord], operator.add]
    """One record per node run; the two pairwise orders run in parallel."""


class JudgeState(JudgeInput, JudgeOutput, total=False):
    """Full judge state."""

    judgments: Annotated[list[Judgment], operator.add]
    """Pairwise calls, one per presentation order."""
