"""The film a question describes instead of naming ("Who directed the film where a shark terrorizes a beach town?").

A fact about a film the user cannot name needs two agents in turn: the plot search finds the film, then the query
writer asks the graph about it. The best passage must be of a film the graph holds (it carries a Wikidata id).
"""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.agents.retriever.graph import search
from theoros_agents.context import Context
from theoros_agents.knowledge.linker import Candidate, normalize
from theoros_agents.knowledge.stores import label_index

DESCRIBED = re.compile(
    r"\bthe (?:film|movie)\s+(?:where|in which|about|whose|that|which|with)\s+(?P<plot>\S.*?)[\s?.!]*$", re.IGNORECASE
)
"""'the film where …', 'the movie about …': a description to the end of the question."""
_ASKED_AFTER = re.compile(
    r"(?:\s+(?:was|is|were|first|originally|released|release|come|came|out|premiered?|made|filmed|shot|directed|"
    r"written|produced))+$",
    re.IGNORECASE,
)
"""What a question asks may follow its description ("When was the film about … released?")."""
MIN_PLOT_WORDS = 3
"""Fewer words ('the film that won') describe no plot."""


def described(question: str) -> tuple[str, str]:
    """The phrase that describes a film and its plot words, or ('', '').

    Plot words with a relation word in them (director, wrote, starring, genre, released …) are a question for the
    graph, not a plot, and so is a description too short to be one.
    """
    # Imported here: the query writer's package imports this module.
    from theoros_agents.agents.query_writer.hops import cues  # noqa: PLC0415

    match = DESCRIBED.search(question)
    if match is None:
        return "", ""
    plot = _ASKED_AFTER.sub("", match["plot"])
    if len(plot.split()) < MIN_PLOT_WORDS or cues(normalize(plot)):
        # "the film that Brunello Rondi was the writer for" asks the graph, not the plots.
        return "", ""
    return match.group(0)[: match.start("plot") - match.start() + len(plot)], plot


def described_film(context: Context, plot: str) -> dict[str, Any] | None:
    """The graph film whose plot best matches the description, as a linked entity; None when there is none."""
    hits, _ = search(context, plot, None, {})
    qid = hits[0].metadata.get("qid", "") if hits else ""
    entity = label_index(context).entities.get(qid) if qid else None
    if entity is None or entity.kind != "film":
        return None
    return Candidate(entity, normalize(entity.label), 0.0).as_dict()
