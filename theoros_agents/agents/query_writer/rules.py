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
    (
        "release_date",
        r"\bwhen\b|\breleased?\b(?!.*\bfilm\b.*\?)|\bwhat year\b|\bcome out\b|\bpremiere|\bolder\b|\bnewer\b",
    ),
    ("country", r"\bcountry\b|\bnation\b|\bwhere\b|\bfilmed\b|\boriginat|\bcountries\b"),
    # Last: "What year was Casablanca made?" asks the year, "What thrillers did Hitchcock make?" the director.
    ("director", r"\bma(?:ke|kes|de|king)\b(?! in\b)"),
]
# What people ask of films that the graph's relations do not hold, and how an answer names it. Read before the
# cues above: "Where was Humphrey Bogart born?" asks no country, nor "Who wrote the music for Jaws?" a screenwriter.
_UNRECORDED = [
    ("running times", r"\brun ?times?\b|\brunning times?\b|\bhow long (?:is|was)\b|\bhow many minutes\b|\bduration\b"),
    (
        "where or when people were born",
        r"\bborn\b|\bbirth(?:s|day|days|place|date)?\b|\bhow old\b"
        r"|\b(?:youngest|oldest) (?:living )?(?:actor|actress|director|screenwriter|writer|producer|star|person)",
    ),
    ("when people died", r"\bdie[sd]?\b|\bdeaths?\b|\bpassed away\b"),
    (
        "budgets or box-office takings",
        r"\bbudgets?\b|\bbox office\b|\bgross(?:ed)?\b|\brevenues?\b|\bearn(?:ed|s)?\b|\bhow much money\b|\bcost\b",
    ),
    (
        "ratings or reviews",
        r"\bratings?\b|\brated\b|\breviews?\b|\bimdb\b|\brotten tomatoes\b|\bmetascore\b|\bcritics?\b",
    ),
    (
        "who wrote a film's music",
        r"(?:\b(?:wrote|write|written|did|made|make|composed|created)(?: the)? )?"
        r"(?:\bmusic (?:for|of|in|by)\b|\bsoundtracks?\b|\bscores?\b|\bscored\b|\bcompos(?:e|ed|er|ers)\b)",
    ),
    ("languages", r"\blanguages?\b|\bsubtitle[sd]?\b|\bdubbed\b"),
    ("studios or distributors", r"\bstudios?\b|\bproduction compan(?:y|ies)\b|\bdistribut(?:ed|or|ors|ion)\b"),
    ("cinematographers or editors", r"\bcinematograph\w*|\bdirector of photography\b|\bedit(?:or|ors|ed)\b"),
    ("which characters actors play", r"\bcharacters?\b|\bthe role of\b"),
    ("which films are alike", r"\bsimilar\b|\b(?:films|movies) like\b"),
]
"""What the graph does not record, with the words that ask for it (matched in lower case, names taken out)."""
_ALSO_RECORDED = frozenset({"director", "screenwriter", "producer", "cast_member", "genre", "award"})
"""Relations a question may ask beside something unrecorded; "when" and "where" are the unrecorded thing's."""
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
_DENIED = re.compile(r"(?:\bnot|\bnever|\bwithout|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)
"""A denial just before a cue word: "not direct", "didn't actually star"."""
_UNRECORDED_COMPILED = [(what, re.compile(pattern, re.IGNORECASE)) for what, pattern in _UNRECORDED]
_ANY_UNRECORDED = re.compile("|".join(f"(?:{pattern})" for _, pattern in _UNRECORDED), re.IGNORECASE)


def cue_relations(question: str) -> list[str]:
    """Return the relations whose cue words occur in the question, in a fixed priority order."""
    return [name for name, pattern in _COMPILED if pattern.search(question)]


def denied_relations(question: str) -> list[str]:
    """The relations whose every cue is denied ("did Wilder write but not direct": the director's)."""
    found = []
    for name, pattern in _COMPILED:
        matches = list(pattern.finditer(question))
        if matches and all(_DENIED.search(question, 0, m.start()) for m in matches) and name not in found:
            found.append(name)
    return found


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


def may_ask_unrecorded(text: str) -> bool:
    """Whether any word asking for something unrecorded is in the text: one search, before a closer look."""
    return _ANY_UNRECORDED.search(text) is not None


def unrecorded(text: str) -> tuple[str, bool]:
    """What the text asks that the graph does not record ("running times"), or ''; and whether it asks that alone.

    The words asking for it are taken out before looking for other relations: "who wrote the music for" asks no
    screenwriter, while "Which actors in Casablanca were born in Sweden?" still asks for the cast.
    """
    for what, pattern in _UNRECORDED_COMPILED:
        if pattern.search(text):
            rest = pattern.sub(" ", text)
            # Not the last cue, "make": "Who made the soundtrack?" asks no director once the soundtrack is out.
            also = any(cue.search(rest) for name, cue in _COMPILED[:-1] if name in _ALSO_RECORDED)
            return what, not also
    return "", False
