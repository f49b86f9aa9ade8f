"""Conversation memory: resolve "it" / "that film" to the film the thread is about."""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.knowledge.linker import LabelIndex

_REFERENCE = re.compile(r"\b(that film|that movie|this film|this movie|the film|the movie|it)\b", re.I)
NAMED_KINDS = ("film", "person")


def resolve_references(question: str, focus: dict[str, Any] | None, index: LabelIndex) -> str:
    """Replace the first reference with the focus film's label when the question names no film or person."""
    if not focus or any(c.entity.kind in NAMED_KINDS for c in index.mentions(question)):
        return question
    return _REFERENCE.sub(focus["label"], question, count=1)


def find_focus(question: str, index: LabelIndex, previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """The first film the question names, else the previous focus."""
    film = next((c.entity for c in index.mentions(question) if c.entity.kind == "film"), None)
    return {"id": film.id, "label": film.label} if film else previous
