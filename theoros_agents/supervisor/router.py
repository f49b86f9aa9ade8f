"""Fast routing: cue words and entity links decide intents without a model call when they can."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from theoros_agents.agents.query_writer.rules import cue_relations

Intent = Literal["fact", "plot", "tagging", "chit_chat", "out_of_scope"]
INTENT_AGENT = {"fact": "query_writer", "plot": "retriever", "tagging": "tagger"}

_GREETING = re.compile(r"^\s*(hi|hello|hey|thanks|thank you|good (morning|evening|afternoon))\b[\s!.,]*$", re.I)
_TAGGING = re.compile(r"\b(tag|classify|genres? (for|of) (this|the following))\b|^\s*(synopsis|plot)\s*:", re.I)
_PLOT = re.compile(
    r"\b(about|plot|story|storyline|synopsis|what happens|summar\w+|find (the|a) (film|movie)|"
    r"(film|movie) (where|in which|about|with)|recommend)\b",
    re.I,
)
_FILMISH = re.compile(r"\b(film|films|movie|movies|cinema|actor|actress|director)\b", re.I)


class RouteChoice(BaseModel):
    """The routing model's constrained answer."""

    intent: Intent


def fast_route(question: str, linked: bool) -> list[Intent] | None:
    """Return the intents when cues settle them, or None when the model should decide.

    `linked` says whether the question names a film or a person in the graph.
    """
    if _GREETING.match(question):
        return ["chit_chat"]
    if _TAGGING.search(question) or len(question.split()) > 60:
        return ["tagging"]
    intents: list[Intent] = []
    if cue_relations(question) and (linked or _FILMISH.search(question)):
        intents.append("fact")
    if _PLOT.search(question):
        intents.append("plot")
    if not intents and not linked and not _FILMISH.search(question):
        return ["out_of_scope"]
    return intents or None
