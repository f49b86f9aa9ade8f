"""What the query writer asks its model for, and the relations it can query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field


@dataclass(frozen=True)
class Relation:
    """A Wikidata property the query writer supports, with how answers read."""

    name: str
    prop: str
    phrase: str
    """Verb phrase for 'X <phrase> Y' sentences."""
    by_phrase: str
    """Phrase for 'films <by_phrase> Y' sentences."""
    noun: str
    """Plural noun of its values, for counts: 'directors'."""
    negated: str
    """Verb phrase for 'No: X <negated> Y' answers."""
    literal: bool = False


RELATIONS = {
    r.name: r
    for r in (
        Relation("director", "P57", "was directed by", "directed by", "directors", "was not directed by"),
        Relation("screenwriter", "P58", "was written by", "written by", "screenwriters", "was not written by"),
        Relation("producer", "P162", "was produced by", "produced by", "producers", "was not produced by"),
        Relation("cast_member", "P161", "stars", "starring", "actors", "does not star"),
        Relation("genre", "P136", "is a", "in the genre", "genres", "is not a"),
        Relation("country", "P495", "comes from", "from", "countries", "does not come from"),
        Relation(
            "release_date",
            "P577",
            "was released on",
            "released on",
            "release dates",
            "was not released on",
            literal=True,
        ),
        Relation("award", "P166", "received", "that received", "awards", "did not receive"),
    )
}
CREDITED = "|".join(RELATIONS[role].prop for role in ("director", "screenwriter", "producer", "cast_member"))
"""A credit in any of the four people's roles, as alternative properties ("worked with Cary Grant")."""
RelationName = Literal[
    "director", "screenwriter", "producer", "cast_member", "genre", "country", "release_date", "award", "none"
]


class QueryIntent(BaseModel):
    """The small structured reading of a question that a query builder turns into SPARQL."""

    relation: RelationName = Field(description="The film property the question asks about, or 'none'.")


class SparqlQuery(BaseModel):
    """A SPARQL SELECT or ASK query over the Wikidata-vocabulary graph."""

    kind: Literal["sparql"] = "sparql"
    query: str


class CannotAnswer(BaseModel):
    """The question cannot be answered from the graph."""

    kind: Literal["cannot_answer"] = "cannot_answer"
    reason: str


class FreeQuery(BaseModel):
    """Output of the free-SPARQL strategy."""

    result: SparqlQuery | CannotAnswer = Field(discriminator="kind")
