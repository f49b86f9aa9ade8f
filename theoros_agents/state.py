"""Graph state shared by the supervisor and the specialists, and the one contract every specialist keeps."""

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


def last(left: Any, right: Any) -> Any:
    """Keep the newest value; parallel specialists may each write one in the same step."""
    return right


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
    """A document or graph query an answer rests on, with the evidence itself."""

    agent: str
    kind: str
    title: str
    detail: str
    """Where it comes from: the SPARQL text, a document source."""
    evidence: str
    """What the answer may rest on: the rows a query returned, or the passage text."""


class Finding(TypedDict):
    """One specialist's result for one part of a request."""

    agent: str
    text: str
    """The answer in words."""
    result: dict[str, Any]
    """The structured result: rows, hits, tags."""
    used_model: bool
    """Whether a chat model was consulted: only such steps are worth retrying on a stronger model."""


class InputState(TypedDict):
    """What a caller sends."""

    question: str


class SpecialistInput(TypedDict, total=False):
    """What a specialist receives: its part of the request and what the supervisor already linked."""

    question: str
    entities: list[dict[str, Any]]
    """Linked mentions (id, label, kind, year, mention, score), best reading first; absent: link yourself."""
    escalated: bool
    """Run on the escalation model: a first answer was judged weak."""
    intent: str
    """The router's intent for this part (an agent may serve several, e.g. 'plot' and 'search')."""


class SpecialistOutput(TypedDict, total=False):
    """What every specialist returns."""

    answer: Annotated[str, last]
    findings: Annotated[list[Finding], extend]
    """This specialist's finding, gathered with the others' by the supervisor."""
    sources: Annotated[list[Source], extend]
    """Queries and documents the answer rests on, with their evidence."""
    records: Annotated[list[NodeRecord], extend]
    """One record per node run, accumulated across parallel branches and subgraphs."""
    sparql: Annotated[list[str], extend]
    """Every SPARQL query executed, in order."""


class OutputState(SpecialistOutput, total=False):
    """What a caller of the supervisor gets back."""

    question: str
    intents: list[str]
    route_source: str
    verdict: dict[str, Any]
    escalated: bool
    """Whether the judge's low score sent the specialists to the escalation model."""


class Task(TypedDict):
    """One specialist's share of a request."""

    agent: str
    intent: str
    question: str
    entities: list[dict[str, Any]]


class State(OutputState, total=False):
    """Full supervisor state."""

    tasks: list[Task]
    """What each routed specialist is asked, so an escalation can ask again."""
    facts: str
    """The specialists' evidence, joined, for the judge to grade against."""
    focus: dict[str, Any]
    """The film the conversation is about (id, label), so a later "it" can be resolved."""
    person: dict[str, Any]
    """The person the conversation is about (id, label), so a later "he" or "his" can be resolved."""
