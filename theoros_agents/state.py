"""Graph state shared by the supervisor and the specialists."""

from __future__ import annotations

import operator
from typing import Annotated, Any

from typing_extensions import TypedDict


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
    sparql: Annotated[list[str], operator.add]
    """Every SPARQL query executed, in order."""
    sources: Annotated[list[Source], operator.add]
    """Documents and queries the answer rests on, accumulated across specialists."""
    records: Annotated[list[NodeRecord], operator.add]
    """One record per node run, accumulated across parallel branches and subgraphs."""
    verdict: dict[str, Any]


class State(OutputState, total=False):
    """Full supervisor state."""

    findings: Annotated[list[dict[str, Any]], operator.add]
    """Each specialist's structured result: {"agent", "text", ...}; merged by compose."""
