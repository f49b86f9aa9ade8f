"""State of the query-writer graph."""

from __future__ import annotations

from typing import Annotated, Any

from typing_extensions import TypedDict

from theoros_agents.state import SpecialistInput, SpecialistOutput, extend


class Attempt(TypedDict):
    """One query tried: what was run and why it failed ('' when it worked)."""

    sparql: str
    relation: str
    entity: int
    error: str
    rows: int


class QueryWriterState(SpecialistInput, SpecialistOutput, total=False):
    """Question and linked entities in; attempts, rows and a sentence out.

    `entities` come from the supervisor; `link_entities` fills them in when none came.
    """

    suggestions: list[dict[str, Any]]
    """Closest labels when nothing in the question linked."""
    described: dict[str, str]
    """A film the question describes instead of naming: {"phrase", "film"} ("film" is '' when none matched)."""
    draft: Attempt
    """The query about to run."""
    attempts: Annotated[list[Attempt], extend]
    """Every query tried, in order."""
    rows: list[dict[str, str]]
