"""Decide the reading of a question: which relation, about which linked entity."""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.agents.query_writer import rules
from theoros_agents.agents.query_writer.builder import OPEN_END, OPEN_START
from theoros_agents.agents.query_writer.rules import cue_relations, fits, implied_relation
from theoros_agents.agents.query_writer.schema import QueryIntent
from theoros_agents.agents.query_writer.state import Attempt
from theoros_agents.knowledge.linker import PERSON_REFERENCE, Entity, normalize, uncovered_names
from theoros_agents.knowledge.names import names_in

_YES_NO = re.compile(r"^\s*(did|does|do|is|was|were|has|have)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DECADE = re.compile(r"\b(1[89]\d0|20\d0)s\b|(?:\bthe |')([2-9]0)s\b")
_WHEN = r"(?:the )?(1[89]\d\d|20\d\d)(s?)\b"
"""A year or a decade ("1945", "the 1940s") after a word that bounds a span."""
_BETWEEN = re.compile(rf"\b(?:between|from) {_WHEN}\s*(?:and|to|until|till|-|–)\s*{_WHEN}", re.IGNORECASE)
_BEFORE = re.compile(rf"\b(?:before|until|till|up to|prior to|earlier than) {_WHEN}", re.IGNORECASE)
_AFTER = re.compile(rf"\b(?:after|later than) {_WHEN}", re.IGNORECASE)
_SINCE = re.compile(rf"\bsince {_WHEN}|\bfrom {_WHEN} ?(?:on|onwards?)\b", re.IGNORECASE)


def entity_of(candidate: dict[str, Any]) -> Entity:
    """Rebuild an Entity from its state form."""
    return Entity(candidate["id"], candidate["label"], candidate["kind"], candidate.get("year"))


def first_readings(candidates: list[dict[str, Any]], kind: str) -> list[int]:
    """The linked entities of a kind, one per mention: namesakes of one mention are readings of it, not two."""
    seen: set[str] = set()
    found = []
    for i, c in enumerate(candidates):
        if c["kind"] == kind and c["mention"] not in seen:
            seen.add(c["mention"])
            found.append(i)
    return found


def is_yes_no(question: str) -> bool:
    """Whether the question asks for a yes or a no."""
    return bool(_YES_NO.match(question))


def yes_no_pair(question: str, candidates: list[dict[str, Any]]) -> tuple[Entity, Entity] | None:
    """For a yes/no question naming a film and something else, return (film, other)."""
    if not is_yes_no(question):
        return None
    film = next((c for c in candidates if c["kind"] == "film"), None)
    if film is None:
        return None
    # The film's namesakes (the novel "The Godfather") and untyped entries are not what the question asks about.
    others = (c for c in candidates if c["kind"] not in ("film", "other") and c["mention"] != film["mention"])
    other = next(others, None)
    return (entity_of(film), entity_of(other)) if other else None


_FILMS = (
    r"(?:films?|movies?|pictures?|westerns?|comed(?:y|ies)|dramas?|thrillers?|musicals?|documentar(?:y|ies)|romances?)"
)
"""The words that say films, as a kind or as a genre's ("westerns")."""
_EXTREME = re.compile(
    r"\b(?:(?P<earliest>earliest|first|oldest)|(?P<latest>latest|last|newest|most recent|final))\b"
    rf"(?=\s+(?:[a-z'’.]+\s+){{0,3}}(?:{_FILMS}|horror)\b)",
    re.IGNORECASE,
)
"""'Hitchcock's first film', 'the last movie Kubrick directed', 'the newest western'."""
_NUMBER_WORDS = "one two three four five six seven eight nine ten".split()
_ASKED_NUMBER = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)}|[1-9]\d?)\s+(?:[a-z]+\s+)?{_FILMS}\b", re.IGNORECASE)
"""'Name three westerns', 'Give me one film starring Cary Grant', '5 good comedies'."""


def asked_number(question: str) -> int:
    """How many films the question asks for ("Name three westerns": 3), or 0 for all of them."""
    match = _ASKED_NUMBER.search(question)
    if match is None:
        return 0
    said = match.group(1).lower()
    return _NUMBER_WORDS.index(said) + 1 if said in _NUMBER_WORDS else int(said)


def extreme(question: str) -> str:
    """'earliest' or 'latest' when the question asks for one end of a films list, else ''."""
    match = _EXTREME.search(question)
    return "" if match is None else "earliest" if match["earliest"] else "latest"


def asked_years(question: str) -> tuple[int, int] | None:
    """The years a yes/no question asks about ("Was The Godfather released in 1972?", "… before 1950?"), or None."""
    return years_said(question) if is_yes_no(question) else None


def unlinked_name(question: str, candidates: list[dict[str, Any]]) -> str:
    """A name the question says that no linked mention covers ("Cary Grant" in a graph without him), or ''.

    A yes or a no about the rest of the question would be about something else, and a list would leave it out:
    "Did Oscar Isaac star in a British film?" links only "British". Capitals tell no names in a title-cased question.
    """
    return next((name for name, _ in uncovered_names(question, (c["mention"] for c in candidates))), "")


def unrecorded(question: str, candidates: list[dict[str, Any]]) -> tuple[str, bool]:
    """What the question asks that the graph does not record, and whether it asks that alone (see `rules`).

    Its linked mentions and names are no request: "Who directed Die Hard?" asks nothing of deaths, nor "Who
    produced Born Yesterday?" of births.
    """
    if not rules.may_ask_unrecorded(question):
        return "", False  # most questions: the names need not be taken out
    text = f" {normalize(question)} "
    # A capitalised relation word is no name: "the Director and main character of …" still asks the director.
    names = [normalize(name) for name in names_in(question) if not cue_relations(name)]
    # An occupation linked ("cinematographer", "composer": kind "other") still asks for what it names.
    for said in [*(c["mention"] for c in candidates if c["kind"] != "other"), *names]:
        text = text.replace(f" {said} ", " ") if said else text
    return rules.unrecorded(text)


_FILM_WORD = re.compile(r"\b(?:films?|movies?|pictures?)\b", re.IGNORECASE)


def films_in_years(question: str) -> tuple[int, int] | None:
    """The years of a question for films that names nothing else ("Which films came out in 1999?"), else None.

    An end of the whole graph asked for ("What is the oldest film?") is every year, `OPEN_START` to `OPEN_END`.
    """
    if names_in(question) or PERSON_REFERENCE.search(question) or not _FILM_WORD.search(question):
        return None  # "Which films did he direct in 1999?" asks for someone's films
    return years_said(question) or ((OPEN_START, OPEN_END) if extreme(question) else None)


def year_filter(question: str, entity: Entity) -> tuple[int, int] | None:
    """The first and last year a question keeps the films found to ("in 1945", "in the 1990s", "in the '60s").

    None when the question names no year, or the year only says which film is meant.
    """
    return None if entity.kind == "film" else years_said(question)


def years_said(question: str) -> tuple[int, int] | None:
    """The first and last year a question says: a year, a decade, or a span ("before 1940", "between 1950 and 1955").

    An open end is `OPEN_START` or `OPEN_END`.
    """
    if span := _BETWEEN.search(question):
        first, last = _bounds(span[1], span[2]), _bounds(span[3], span[4])
        return min(first[0], last[0]), max(first[1], last[1])
    if before := _BEFORE.search(question):
        return OPEN_START, _bounds(before[1], before[2])[0] - 1
    if after := _AFTER.search(question):
        return _bounds(after[1], after[2])[1] + 1, OPEN_END
    if since := _SINCE.search(question):
        return _bounds(since[1] or since[3], since[2] or since[4])[0], OPEN_END
    if decade := _DECADE.search(question):
        start = int(decade.group(1) or f"19{decade.group(2)}")
        return start, start + 9
    match = _YEAR.search(question)
    return (int(match.group(1)),) * 2 if match else None


def _bounds(year_said: str, decade: str) -> tuple[int, int]:
    """The first and last year of "1945", or of the decade "1940s" (`decade` is its "s")."""
    year = int(year_said)
    return (year, year + 9) if decade else (year, year)


_IN_FILM = re.compile(r"\s*(?:is|was|are|were)\b.+\bin\b", re.IGNORECASE)
"""A yes/no question putting a person in a film, with no role said: an actor's."""


def rules_relation(question: str, exclude: set[str], kind: str = "film") -> str:
    """The first cued relation that fits the entity and was not tried; else the one its kind implies."""
    cued_all = [r for r in cue_relations(question) if r not in exclude and fits(r, kind)]
    # "Which films did Wilder write but not direct?" lists what he wrote; a denial alone is read as before.
    denied = rules.denied_relations(question)
    kept = [r for r in cued_all if r not in denied]
    cued = (kept or cued_all or ["none"])[0]
    if cued == "none" and kind == "person" and "cast_member" not in exclude and _IN_FILM.match(question):
        return "cast_member"  # "Was Grace Kelly in Rear Window?"
    if cued == "none" and implied_relation(kind) not in exclude:
        return implied_relation(kind)
    return cued


def needs_model(strategy: str, question: str, exclude: set[str], kind: str = "film") -> bool:
    """Whether this strategy asks the model for the relation now."""
    if strategy == "intent":
        return True
    if strategy == "hybrid":
        return rules_relation(question, exclude, kind) == "none"
    return False


def next_entity(attempts: list[Attempt], candidates: list[dict[str, Any]]) -> int | None:
    """After an empty result, try the next candidate reading with the same relation."""
    if not attempts:
        return 0
    last = attempts[-1]
    if last["error"].startswith("empty result") and last["entity"] + 1 < len(candidates):
        return last["entity"] + 1
    return None


def feedback(attempts: list[Attempt]) -> list[str]:
    """Describe failed attempts for the model."""
    return [f"{a['relation']}: {a['error']}" for a in attempts if a["error"]]


def intent_relation(intent: QueryIntent | None, exclude: set[str]) -> str:
    """The model's relation unless it repeats a failed one."""
    if intent is None or intent.relation in exclude:
        return "none"
    return intent.relation
