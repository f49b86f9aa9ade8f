"""Read a relation path from a multi-hop question with keyword cues, no model.

The question is reduced to a frame: its normalized words with the topic mention replaced by ENT
("who directed the movies written by ENT"). The relation that links the topic to the films (the first
hop) is the one phrased around ENT: "written by ENT", "ENT acted films", "the director of ENT",
"share actors with ENT", "co-starred with ENT". The relation asked for (the last hop) is the cue
farthest from ENT among the others. A question with one relation and no sign of a second hop is left
to the one-hop reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from theoros_agents.agents.query_writer.paths import Hop, Path, compose, decode, encode
from theoros_agents.agents.query_writer.reading import is_yes_no
from theoros_agents.agents.query_writer.state import Attempt
from theoros_agents.knowledge.linker import STOPWORDS, normalize

_VERBS = {
    "director": r"direct(?:ed|s|ing)?",
    "screenwriter": r"wr(?:ote|ites?|iting|itten)|scripted|penned",
    "producer": r"produc(?:ed|es?|ing)",
    "cast_member": r"act(?:ed|s|ing)?|star(?:red|s|ring)?|appear(?:ed|s|ing)?|play(?:ed|s|ing)?|featur(?:ed|es|ing)",
    "credit": r"work(?:ed|s|ing)|collaborat(?:ed|es|ing)",
}
_AGENTS = {
    "director": r"directors?|filmmakers?",
    "screenwriter": r"(?:screen|script) ?writers?|writers?|scenarists?",
    "producer": r"producers?",
    "cast_member": r"actors?|actress(?:es)?|stars?|cast(?: members?)?|performers?|co ?stars?",
    "credit": r"collaborators?|co ?workers?",
}
# Relations a question only ever asks for: a genre or year is never the film-linking first hop here.
_VALUES = {
    "genre": r"genres?|types?|kinds?|sorts?|categor(?:y|ies)|styles?",
    "year": r"when|release (?:dates?|years?)|years?|dates?|released?|releases|premiered?|c[oa]me out",
}
_CO = (
    r"co ?(?:"
    r"direct(?:ed|s|ing|ors?)?|wr(?:ote|ites?|iting|itten|iters?)"
    r"|produc(?:ed|es?|ing|ers?)|star(?:red|s|ring)?)"
)
_ANY_VERB = "|".join(_VERBS.values())
_ANY_AGENT = "|".join(_AGENTS.values())
_FILM = r"(?:the )?(?:(?:films?|movies?|pictures?) )?"
_PERSON_RELATIONS = tuple(_VERBS)

# How a film topic is tied to the films of the path: its director, its actors, ...
_FILM_LINKS = [
    re.compile(rf"\b(?P<cue>{_ANY_AGENT}) (?:of|in|from|for|on|with|as) {_FILM}ENT\b"),
    re.compile(rf"\bENT (?:s )?(?P<cue>{_ANY_AGENT})\b"),
    re.compile(rf"\balso (?P<cue>{_ANY_VERB})(?: in| on)? {_FILM}ENT\b"),
    re.compile(rf"\bwhose (?P<cue>{_ANY_AGENT})\b.*\bENT\b"),
]
# How a person topic is tied to its films: the films they directed, starred in, ...
_PERSON_LINKS = [
    re.compile(rf"\b(?P<cue>{_ANY_VERB}) by (?:the (?:{_ANY_AGENT}) )?ENT\b"),
    re.compile(rf"\bENT (?P<cue>{_ANY_VERB}) (?:films?|movies?|pictures?)\b"),
    re.compile(rf"\b(?P<cue>{_ANY_AGENT}) ENT\b"),
    re.compile(r"\bENT s (?:films?|movies?|pictures?)\b"),  # "Billy Wilder's films": credited in any role
    re.compile(rf"\b(?:films?|movies?|pictures?) (?P<cue>{_ANY_VERB}) ENT\b"),
    re.compile(
        rf"\b(?:films?|movies?|pictures?|that|which) ENT (?:(?:has|have|had|was|is|also) )*(?P<cue>{_ANY_VERB})\b"
    ),
]
# The person shares films with others in the same role: co-stars, co-directors, ...
_PEERS = [
    re.compile(rf"\b(?P<cue>{_CO})\b"),
    re.compile(r"\btogether with\b|\bsame (?:films?|movies?|pictures?) (?:with|as)\b"),
    re.compile(rf"\b(?P<cue>{_ANY_VERB}) with {_FILM}ENT\b"),
]
# 'which actors star in ENT' asks for the cast itself: 'star' names a role too, but here it is the verb.
_ROLE_VERB = re.compile(rf"\b(?P<agent>{_ANY_AGENT}) (?:who |that )?(?P<verb>{_ANY_VERB}) (?:in|on) {_FILM}ENT\b")
# A film topic's own films in a role: 'also directed', 'the same actor', 'share', 'other films'.
_SAME_FILMS = re.compile(r"\b(?:also|same|share[sd]?|sharing|other|else)\b")
_CONJUNCTION = re.compile(rf"\b(?:{_ANY_AGENT}|{_ANY_VERB}) (?:and|or|as well as) (?:{_ANY_AGENT}|{_ANY_VERB})\b")
_BY_NAME = re.compile(r" by (?!(?:who|whom|which|what|ENT)\b)\w")
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class Cue:
    """A relation word in the frame, with its character span."""

    relation: str
    start: int
    end: int


def _cue_pattern() -> re.Pattern[str]:
    groups = [("co", _CO)]
    groups += [(name, _VALUES[name]) for name in _VALUES]
    groups += [(name, f"{_AGENTS[name]}|{_VERBS[name]}") for name in _VERBS]
    return re.compile("|".join(rf"\b(?P<{name}>{pattern})\b" for name, pattern in groups))


_CUES = _cue_pattern()


def relation_of(word: str) -> str:
    """The relation a cue word names ('co-wrote' names screenwriter; '' for none)."""
    word = re.sub(r"^co ?", "", word) if re.fullmatch(_CO, word) else word
    for name in _PERSON_RELATIONS:
        if re.fullmatch(f"{_AGENTS[name]}|{_VERBS[name]}", word):
            return name
    return next((name for name, pattern in _VALUES.items() if re.fullmatch(pattern, word)), "")


def frame(question: str, mention: str) -> str | None:
    """The normalized question with the topic mention replaced by ENT, or None when it is not in it."""
    words, target = normalize(question).split(), normalize(mention).split()
    for start in range(len(words) - len(target) + 1):
        if target and words[start : start + len(target)] == target:
            return " ".join(words[:start] + ["ENT"] + words[start + len(target) :])
    return None


def cues(text: str) -> list[Cue]:
    """Every relation cue in the frame, left to right; a year literal makes 'released' a filter, not an ask."""
    found = [Cue(relation_of(m.group(0)), m.start(), m.end()) for m in _CUES.finditer(text)]
    if _YEAR.search(text):
        found = [c for c in found if c.relation != "year"]
    return [c for c in found if c.relation]


def _link(text: str, patterns: list[re.Pattern[str]]) -> tuple[str, int, int] | None:
    """The relation of the first pattern that ties ENT to its films ('' when the pattern names none)."""
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return relation_of(match.groupdict().get("cue") or ""), match.start(), match.end()
    return None


def _asked(text: str, found: list[Cue], span: tuple[int, int], linked: str) -> str:
    """The relation of the cue farthest from ENT outside the link's words, other than the linked one.

    'directed by <someone not linked>' names a second person, not the relation asked for.
    """
    entity = text.index("ENT")
    others = [
        c
        for c in found
        if (c.end <= span[0] or c.start >= span[1]) and c.relation != linked and not _BY_NAME.match(text, c.end)
    ]
    if not others:
        return ""
    return max(others, key=lambda c: abs(c.start - entity)).relation


def film_path(text: str) -> Path | None:
    """Paths from a film: films sharing a person with it (2 hops), then what is asked of them (3 hops)."""
    link = _link(text, _FILM_LINKS)
    if link is None:
        return None
    linked, start, end = link
    if _names_role(text, linked):
        return None
    shared = (Hop(linked, True), Hop(linked, False))
    asked = _asked(text, cues(text), (start, end), linked)
    if asked:
        return (*shared, Hop(asked, True))
    again = [c for c in cues(text) if c.relation == linked and (c.end <= start or c.start >= end)]
    return shared if again or _SAME_FILMS.search(text) else None


def _names_role(text: str, linked: str) -> bool:
    """Whether the frame only asks who has a role in the film ('how many actors appeared in ENT'): one hop."""
    match = _ROLE_VERB.search(text)
    if match is None or not relation_of(match["agent"]) == relation_of(match["verb"]) == linked:
        return False
    return all(match.start() <= c.start and c.end <= match.end() for c in cues(text))


def person_path(text: str) -> Path | None:
    """Paths from a person: what is asked of their films, or the others in the same role (co-stars)."""
    found = cues(text)
    peers = _link(text, _PEERS)
    if peers is not None:
        role = peers[0] or next((c.relation for c in found if c.relation in _PERSON_RELATIONS), "cast_member")
        # "Which directors worked with Cary Grant?": the directors of any film he has a credit on.
        asked = next((c.relation for c in found if c.relation in _PERSON_RELATIONS and c.relation != role), role)
        return (Hop(role, False), Hop(asked if role == "credit" else role, True))
    link = _link(text, _PERSON_LINKS)
    if link is None:
        return None
    linked = link[0] or "credit"
    asked = _asked(text, found, link[1:], linked)
    return (Hop(linked, False), Hop(asked, True)) if asked else None


_BY_KIND = {"film": film_path, "person": person_path}


def read_path(question: str, candidate: dict[str, Any]) -> Path | None:
    """The relation path a question asks along from this linked entity, or None (a one-hop question)."""
    reader = _BY_KIND.get(candidate["kind"])
    text = frame(question, _mention(candidate)) if reader else None
    if reader is None or text is None or is_yes_no(question) or _CONJUNCTION.search(text):
        return None
    return reader(text)


def _only_cues(mention: str) -> bool:
    """Whether a linked mention is just a relation word ('actors', a film called 'Star' in 'co-star')."""
    return all(_CUES.fullmatch(word) or word in STOPWORDS for word in normalize(mention).split())


def readings(question: str, candidates: list[dict[str, Any]]) -> list[tuple[int, Path]]:
    """Each candidate entity's path reading, in candidate order; none when the question names two entities."""
    typed = [(i, c) for i, c in enumerate(candidates) if c["kind"] in _BY_KIND]
    # A film called 'Star' is no topic in 'co-star'; a longer title of such words is, when alone ('The Producers').
    topics = [(i, c) for i, c in typed if not _only_cues(_mention(c))]
    topics = topics or [(i, c) for i, c in typed if len(_mention(c).split()) > 1]
    if len({normalize(_mention(c)) for _, c in topics}) != 1:
        return []
    found = [(i, read_path(question, c)) for i, c in topics]
    return [(i, path) for i, path in found if path is not None]


def _mention(candidate: dict[str, Any]) -> str:
    return str(candidate.get("mention") or candidate["label"])


def next_path(question: str, candidates: list[dict[str, Any]], attempts: list[Attempt]) -> Attempt | None:
    """The first path reading not tried yet, as a draft query; None when there is none left."""
    tried = {(a["entity"], a["relation"]) for a in attempts}
    for index, path in readings(question, candidates):
        if (index, encode(path)) not in tried:
            topic = candidates[index]
            sparql = compose(path, topic["id"], topic["kind"])
            return Attempt(sparql=sparql, relation=encode(path), entity=index, error="", rows=0)
    return None


def is_path(attempt: Attempt) -> bool:
    """Whether an attempt walked a relation path (not a one-hop template or free SPARQL)."""
    return decode(attempt["relation"]) is not None
