"""Keyword cues for relations: the no-model reading of a question."""

from __future__ import annotations

import re

_CUES = [
    ("genre", r"\bgenres?\b|\btypes?\b|\bkinds?\b|\bsort\b|\bcategory\b|\bstyle\b"),
    ("director", r"\bdirect(?:ed|or|ors|s|ing)?\b|\bfilmmaker\b"),
    ("screenwriter", r"\bwr(?:ote|ite|ites|iter|iters|itten|iting)\b|\bscreen ?(?:writer|play)\b|\bstory\b|\bscript\b"),
    ("producer", r"\bproduc(?:ed|er|ers|e|es|ing)\b"),
    (
        "cast_member",
        r"\bact(?:or|ors|ress|ed|s)?\b|\bstar(?:red|s|ring)?\b|\bcast\b|\bbeen in\b"
        r"|\bappear(?:ed|s)?\b|\bplay(?:ed|s)?\b|\bwho(?:'s| is| was| are| were) in\b(?! charge)",
    ),
    ("award", r"\bawards?\b|\bwon\b|\bwin\b|\boscars?\b|\bprizes?\b|\bnominat"),
    ("release_date", r"\bwhen\b|\breleased?\b(?!.*\bfilm\b.*\?)|\bwhat year\b|\bcome out\b|\bpremiere"),
    ("country", r"\bcountry\b|\bnation\b|\bwhere\b|\bfilmed\b|\boriginat|\bcountries\b"),
    # Last: "What year was Casablanca made?" asks the year, "What thrillers did Hitchcock make?" the director.
    ("director", r"\bma(?:ke|kes|de|king)\b(?! in\b)"),
]
# Which kind of entity each relation points to; a film can take any relation.
OBJECT_KIND = {
    "director": "person",
    "screenwriter": "person",
    "producer": "person",
    "cast_member": "person",
    "genre": "genre",
    "country": "country",
    "award": "award",
    "release_date": "",
}
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _CUES]


def cue_relations(question: str) -> list[str]:
    """Return the relations whose cue words occur in the question, in a fixed priority order."""
    return [name for name, pattern in _COMPILED if pattern.search(question)]


def cue_offsets(question: str) -> dict[str, int]:
    """Where each cued relation's first cue word starts in the question (a relation cued twice: its first cue)."""
    offsets: dict[str, int] = {}
    for name, pattern in _COMPILED:
        if (match := pattern.search(question)) and name not in offsets:
            offsets[name] = match.start()
    return offsets


def fits(relation: str, kind: str) -> bool:
    """Whether an entity of this kind can be the value of the relation (films and unknown kinds fit all).

    A person fits the award relation too, as the one who received it ("What awards did Meryl Streep win?").
    """
    return kind in ("film", "other") or OBJECT_KIND.get(relation) == kind or (relation, kind) == ("award", "person")


def implied_relation(kind: str) -> str:
    """The one relation a genre, country or award can stand in ('none' for people and films)."""
    return kind if kind in ("genre", "country", "award") else "none"
