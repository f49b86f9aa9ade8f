"""Films like a named film: its own plot summary is the query ("What movies are similar to Jaws?").

The graph records no likeness between films; their plots say what they are about. The named film's passages are
searched for with the retriever's ranker, and the film itself is left out of what is found.
"""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.context import Context
from theoros_agents.knowledge.documents import body_of
from theoros_agents.knowledge.linker import normalize
from theoros_agents.knowledge.stores import plot_store

ALIKE = re.compile(
    r"\bsimilar to\b|\b(?:films?|movies?|something|anything|more) (?:just |a bit |a little )?like\b"
    r"|\bin the (?:vein|style) of\b|\breminds? me of\b",
    re.IGNORECASE,
)
"""'similar to Jaws', 'movies like Alien', 'something like Casablanca', 'in the vein of Vertigo'."""
OWN_PASSAGES = 2
"""How many of the film's own passages make the query: its opening and the next, not a whole long plot."""


_AFTER = frozenset("please thanks thank you too as well also".split())
"""Words that may follow the film named ("films like Jaws, please"); any other word goes on to describe."""


def asks_alike(question: str) -> bool:
    """Whether the question asks for films like another one."""
    return ALIKE.search(question) is not None


def alike_only(question: str, mention: str) -> bool:
    """Whether the question asks only for films like the one it names last ("films like Jaws"), no more.

    "a film like Faces about a great white shark" describes a film to find: the words after the name say more.
    """
    if not asks_alike(question):
        return False
    found, _, after = f" {normalize(question)} ".partition(f" {normalize(mention)} ")
    return bool(found) and all(word in _AFTER for word in after.split())


def films_like(context: Context, film: dict[str, Any], k: int) -> tuple[list, bool]:
    """The passages of other films nearest to the film's own plot, and whether the film has a plot stored."""
    store = plot_store(context)
    own = store.search(film["label"], OWN_PASSAGES, {"qid": {"$eq": film["id"]}})
    if not own:
        return [], False
    query = " ".join(body_of(h.text, h.metadata) or h.text for h in own)
    found = store.rank(context.retriever_ranker, query, k * 4, None)
    others = [h for h in found if h.metadata.get("qid") != film["id"] and h.film_id != own[0].film_id]
    return others, True
