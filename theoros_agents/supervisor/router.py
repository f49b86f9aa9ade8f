"""Fast routing: a classifier over labelled utterances decides intents without a model call when it is sure."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, create_model

from theoros_agents.agents.query_writer.hops import cues
from theoros_agents.agents.query_writer.rules import cue_relations
from theoros_agents.agents.registry import intent_agents
from theoros_agents.agents.retriever.alike import asks_alike
from theoros_agents.agents.retriever.described import described
from theoros_agents.knowledge.linker import normalize
from theoros_agents.knowledge.names import names_in
from theoros_agents.supervisor.classifier import IntentClassifier

Intent = Literal["fact", "plot", "search", "tagging", "chit_chat", "out_of_scope"]
LONG_TEXT_WORDS = 80
REREAD = ("out_of_scope", "search", "plot", "tagging")
"""Intents a title's own words can suggest ("Is All About Eve a comedy?" reads as a search, "What genres are Jaws
and Alien?" as a synopsis to tag): read again without it."""

_GREETING = re.compile(r"^\s*(hi|hello|hey|thanks|thank you|good (morning|evening|afternoon))\b[\s!.,]*$", re.I)
# "Classify this synopsis" is a tagging request; "how would you classify Collateral?" asks a film's genre (a fact).
_TAGGING = re.compile(
    r"\b(tag|classify (this|the following)|genres? (for|of) (this|the following))\b|^\s*(synopsis|plot)\s*:", re.I
)
# "Which film has a man who wakes up on the same day?" describes a film to find. The graph holds no plots, so
# without a name or a relation word (see `_searches`) such a question is a search however a classifier reads it.
_DESCRIBING = re.compile(
    r"^\s*(?:which|what)(?:'s| is)? (?:film|movie)s? (?:has|have|had|is about|was about|features?|shows?|follows?|"
    r"where|in which|with|about) (?:a|an|the|two|three|some|one)\b",
    re.I,
)
_ASKS = re.compile(
    r"^\s*(?:what|which|who|how|is|are|was|were|does|do|did|genres? of)\b(?:\W+\w+){0,14}\W*\?\s*$", re.IGNORECASE
)
"""A short question (at most 15 words, ending in "?"): never a synopsis to tag."""
# "Who directed Alien and what is it about?" is two requests: split before a second question word.
_COMPOUND = re.compile(r"\s*(?:,|;|\band\b|\balso\b)\s+(?=(?:who|what|when|where|which|how|is|was|did|tell)\b)", re.I)


class RouteChoice(BaseModel):
    """The routing model's constrained answer."""

    intent: Intent


@functools.lru_cache(maxsize=64)
def choice_schema(options: tuple[str, ...]) -> type[BaseModel]:
    """A RouteChoice whose intent is constrained to the given options (the classifier's best few).

    Built once per set of options: creating a pydantic model costs about as much as the rest of a route.
    """
    choice: Any = Literal[tuple(options)]  # type: ignore[valid-type]
    return create_model("RouteChoice", intent=(choice, ...))


@dataclass(frozen=True)
class Route:
    """Each part of a request with its intent, and the confidence of the least certain part."""

    parts: list[tuple[str, str]]
    """(part of the request, its intent), in the order asked."""
    confidence: float
    options: tuple[str, ...] = ()
    """The classifier's best intents for the least certain part, offered to the model when unsure."""

    @property
    def intents(self) -> list[str]:
        """The distinct intents, in the order asked."""
        return list(dict.fromkeys(intent for _, intent in self.parts))


def split_requests(question: str) -> list[str]:
    """Split a compound request into its parts (at most three)."""
    parts = [p.strip() for p in _COMPOUND.split(question) if p and p.strip()]
    return parts[:3] or [question]


def _as_named(part: str) -> str:
    """The part as the classifier should read it: a described film asked a fact of reads as "that film".

    "Who starred in the movie where a ship hits an iceberg?" asks a fact, but its description reads like a search;
    without a fact word beside it ("the film where a robot falls in love") the description is the request.
    """
    phrase = described(part)[0]
    named = part.replace(phrase, "that film") if phrase else part
    return named if phrase and cues(normalize(named)) else part


PLACEHOLDERS = {"film": "that film", "country": "that country"}
"""How a request is read again without the names it says: a title's or a country's own words do not decide."""


def named_mentions(question: str, entities: list[dict[str, Any]]) -> dict[str, str]:
    """The linked films and countries a request names as names, each with the words it is read again with.

    A film counts by a title of two words or more ("Some Like It Hot"), a country by any ("the United States"):
    such a name is no general word a classifier could mistake for the request's own.
    """
    names = {normalize(name) for name in names_in(question)}
    return {
        e["mention"]: PLACEHOLDERS[e["kind"]]
        for e in entities
        if e["kind"] in PLACEHOLDERS
        and e["mention"] in names
        and (e["kind"] != "film" or len(e["mention"].split()) > 1)
    }


_FILM_WORDS = re.compile(
    r"\b(?:films?|movies?|cinema|westerns?|comed(?:y|ies)|dramas?|thrillers?|musicals?|documentar(?:y|ies)|"
    r"horror|romances?|directors?|actors?|actress(?:es)?)\b",
    re.IGNORECASE,
)
"""A country is read again only beside a film word: "What is the capital of France?" asks no film question."""


def _without_names(part: str, named: Mapping[str, str]) -> str:
    """The part with each name it says replaced ("that film", "that country"; `named`: normalized mentions)."""
    about_films = bool(_FILM_WORDS.search(part))
    for mention, placeholder in named.items():
        if placeholder == PLACEHOLDERS["country"] and not about_films:
            continue
        words = r"\W+".join(re.escape(word) for word in mention.split())
        part = re.sub(rf"\b{words}\b", placeholder, part, flags=re.IGNORECASE)
    return part


def _searches(part: str) -> bool:
    """Whether the part only asks to find films: films like another ("movies like Jaws"), or a film it describes.

    Neither has a relation word ("what country is the film just like a woman from" asks the graph, as does "Which
    films like Casablanca won Oscars?"); a description has no name either ("Which film has a man who …?").
    """
    if asks_alike(part):
        return not cue_relations(part)
    return bool(_DESCRIBING.search(part)) and not names_in(part) and not cues(normalize(part))


def fast_route(question: str, classifier: IntentClassifier, named: Mapping[str, str] | None = None) -> Route:
    """Route by rules for the unmistakable cases, else by the classifier, one part at a time.

    `named`: the films and countries the request names (`named_mentions`). A part the classifier puts out of scope,
    or reads as a search or a plot request, is read again with them said as "that film" and "that country".
    """
    if _GREETING.match(question):
        return Route([(question, "chit_chat")], 1.0)
    if _TAGGING.search(question):
        return Route([(question, "tagging")], 1.0)
    if len(question.split()) > LONG_TEXT_WORDS:
        # A long text is a synopsis to tag, unless it reads like a general instruction.
        intent, probability = classifier.predict(question)
        if intent == "out_of_scope":
            return Route([(question, intent)], probability)
        return Route([(question, "tagging")], 1.0)
    parts: list[tuple[str, str]] = []
    confidence, options = 1.0, tuple[str, ...]()
    for part in split_requests(question):
        if _searches(part):
            parts.append((part, "search"))
            continue
        ranked = classifier.rank(_as_named(part))
        if ranked[0][0] in REREAD and (untitled := _without_names(part, named or {})) != part:
            # A title's own words do not decide: "Is Some Like It Hot a comedy?" reads like small talk about the
            # weather and "Is All About Eve a comedy?" like a search; "Is that film a comedy?" reads as neither. A
            # request about a film may still be out of scope, or a search.
            ranked = classifier.rank(untitled)
        if ranked[0][0] == "tagging" and _ASKS.match(part) and len(ranked) > 1:
            ranked = ranked[1:]  # a short question is no synopsis: "What genres are Jaws and Alien?" asks the graph
        intent, probability = ranked[0]
        if probability < confidence:
            confidence, options = probability, tuple(name for name, _ in ranked[:2])
        parts.append((part, intent))
    served = [(part, intent) for part, intent in parts if intent in intent_agents()]
    if len(parts) > 1:
        # In a compound request, a part no agent serves is noise ("and also thanks"), unless nothing is served.
        parts = served or parts[:1]
    return Route(parts, confidence, options)
