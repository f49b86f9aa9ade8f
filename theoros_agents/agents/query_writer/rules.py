"""Keyword cues for relations: the no-model reading of a question."""

from __future__ import annotations

import re

_CUES = [
    ("director", r"\bdirect(?:ed|or|ors|s|ing)?\b|\bfilmmaker\b"),
    ("screenwriter", r"\bwr(?:ote|ite|ites|iter|iters|itten|iting)\b|\bscreen ?(?:writer|play)\b|\bstory\b|\bscript\b"),
    ("producer", r"\bproduc(?:ed|er|ers|e|es|ing)\b"),
    ("cast_member", r"\bact(?:or|ors|ress|ed|s)?\b|\bstar(?:red|s|ring)?\b|\bcast\b|\bbeen in\b|\bappear(?:ed|s)?\b|\bplay(?:ed|s)?\b"),
    ("award", r"\bawards?\b|\bwon\b|\bwin\b|\boscars?\b|\bprizes?\b|\bnominat"),
    ("release_date", r"\bwhen\b|\breleased?\b(?!.*\bfilm\b.*\?)|\bwhat year\b|\bcome out\b|\bpremiere"),
    ("country", r"\bcountry\b|\bnation\b|\bwhere\b|\bfilmed\b|\boriginat|\bcountries\b"),
    ("genre", r"\bgenres?\b|\btype\b|\btypes\b|\bkinds?\b|\bsort\b|\bcategory\b|\bstyle\b"),
]
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _CUES]


def cue_relations(question: str) -> list[str]:
    """Return the relations whose cue words occur in the question, in a fixed priority order."""
    return [name for name, pattern in _COMPILED if pattern.search(question)]
