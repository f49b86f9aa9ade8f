"""Graph state shared by the supervisor and the specialists."""

from __future__ import annotations

from typing import Annotated, Any

from typing_extensions import TypedDict

RESET: dict[str, Any] = {"reset": True}
"""Put first in an update to an accumulating list to start it afresh (a new turn, an escalation)."""


def extend(left: list | None, right: list | None) -> list:
    """Append updates to a list, or start over when the update begins with RESET."""
    if right and right[0] == RESET:
        return list(right[1:])
    return list(left or []) + list(right or [])


class NodeRecord(TypedDict):
    """What one node run cost and whether it failed."""

    agent: str
    node: str
    model: str
    latency_ms: float
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    error: str


class Source(TypedDict):
    """A document or graph query an answer rests on."""

    kind: str
    title: str
    detail: str


class InputState(TypedDict):
    """What a caller sends."""

    question: str


class OutputState(TypedDict, total=False):
    """What a caller gets back."""

    question: str
    answer: str
    intents: list[str]
    route_source: str
    sparql: Annotated[list[str], extend]
    """Every SPARQL query executed, in order."""
    sources: Annotated[list[Source], extend]
    """Documents and queries the answer rests on, accumulated across specialists."""
    records: Annotated[list[NodeRecord], extend]
    """One record per node run, accumulated across parallel branches and subgraphs."""
    verdict: dict[str, Any]
    escalated: bool
    """Whether the judge's low score sent the specialists to the escalation model."""


class State(OutputState, total=False):
    """Full supervisor state."""

    findings: Annotated[list[dict[str, Any]], extend]
    """Each specialist's result for this turn: {"agent", "text"}; merged by compose."""
    focus: dict[str, Any]
    """The film the conversation is about (id, label), so a later "it" can be resolved."""
