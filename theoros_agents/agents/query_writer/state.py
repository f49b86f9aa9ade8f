"""State of the query-writer graph."""

from __future__ import annotations

import operator
from typing import Annotated, Any

from typing_extensions import TypedDict

from theoros_agents.state import NodeRecord, Source


class Attempt(TypedDict):
    """One query tried: what was run and why it failed ('' when it worked)."""

    sparql: str
    relation: str
    entity: int
    error: str
    rows: int


class QueryWriterState(TypedDict, total=False):
    """Question in; candidates, attempts, rows and a sentence out."""

    question: str
    candidates: list[dict[str, Any]]
    """Linked entities (id, label, kind, year, mention, score), best reading first."""
    suggestions: list[dict[str, Any]]
    """Closest labels when nothing in the question linked."""
    draft: Attempt
    """The query about to run."""
    attempts: Annotated[list[Attempt], operator.add]
    """Every query tried, in order."""
    rows: list[dict[str, str]]
    answer: str
    sparql: Annotated[list[str], operator.add]
    """Every SPARQL query executed, in order."""
    records: Annotated[list[NodeRecord], operator.add]
    """One record per node run."""
    sources: Annotated[list[Source], operator.add]
    """The queries the answer rests on."""
