"""The film a plot question names by its title, and whether a passage found is that film's.

A plot question about a film the store lacks must not be answered with another film's plot: the
nearest passage to "What happens in Blorptangle?" is always some film, and its score says little
(an invented title's question reaches a cosine of 0.44 on the full texts).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from theoros_agents.context import Context
from theoros_agents.knowledge.linker import fold_accents, normalize
from theoros_agents.knowledge.stores import label_index, plot_store

PLOT_REQUEST = frozenset(
    "what whats what's is was are about happens happened happen in the of a an plot story summary synopsis tell me "
    "describe summarise summarize give explain please can you could that this film movie it its how does do did end "
    "ends ending begin begins start starts briefly brief short one two three few sentence sentences words".split()
)
"""The words of a plot question that carry no content ("How does Psycho end?", "Summarize Vertigo in two sentences")."""
_CALLED = re.compile(r"\b(?:called|named|titled|entitled)\s+(?P<title>\S.*)$", re.IGNORECASE)
"""A title said after the word that introduces it: "the plot of a film called Zorblax Returns"."""
TITLE_SMALL_WORDS = frozenset("of the a an and in on at to for from with or vs de la le du der".split())
"""Lower-case words a title keeps ("The Lord of the Rings"); every other word of a title is capitalised."""
MAX_TITLE_WORDS = 12
SAME_TITLE = 0.8
"""How alike two normalised titles must be to name one film: a typo ("The Godfater") still finds it."""
_QUOTES = "\"'‘’“”«»"
_YEAR = re.compile(r"(?:18[89]\d|19\d\d|20\d\d)")
_BRACKETED_YEAR = re.compile(rf"\(({_YEAR.pattern})\)")
_ROMAN = re.compile(r"(?:ii|iii|iv|v|vi|vii|viii|ix|x)")


def _requests(word: str, first: bool) -> bool:
    """Whether a word is part of the request; a capitalised one only as the question's first word, unquoted.

    "The" opens "The plot of Jaws"; a quoted "The Apartment" is a title, as is "The Birds" after the first word.
    """
    bare = word.strip(_QUOTES + ",;:")
    return bare.lower() in PLOT_REQUEST and (first and word[:1] not in _QUOTES or not bare[:1].isupper())


def _title_like(words: list[str]) -> bool:
    return words[0][:1].isupper() and all(
        w[:1].isupper() or w[:1].isdigit() or w.lower() in TITLE_SMALL_WORDS for w in words
    )


def asked_title(question: str) -> str:
    """The title a plot question names and nothing else ("What happens in Blorptangle?" → "Blorptangle"), else ''.

    What is left after the request words at both ends must read as a title: every word capitalised but a
    title's small words. A description ("the film where a shark attacks") names no title.
    """
    return asked_film(question)[0]


def asked_film(question: str) -> tuple[str, int | None]:
    """The title a plot question names, and the year written beside it ("Anna Karenina (1935)", "the 1935 Sabrina")."""
    text = fold_accents(question).strip().rstrip("?.! ")
    called = _CALLED.search(text)
    words = (called["title"] if called else text).split()
    start, end = 0, len(words)
    while start < end and _requests(words[start], start == 0 and not called):
        start += 1
    while end > start and _requests(words[end - 1], False):
        end -= 1
    name = " ".join(words[start:end]).strip(_QUOTES).split()
    name, year = _without_year(name)
    if not name or len(name) > MAX_TITLE_WORDS or not _title_like(name):
        return "", None
    return " ".join(name), year


def _without_year(words: list[str]) -> tuple[list[str], int | None]:
    """Split off a year written after the title in brackets or before it ("the 1935 Anna Karenina")."""
    if len(words) > 1 and (match := _BRACKETED_YEAR.fullmatch(words[-1])):
        return words[:-1], int(match.group(1))
    if len(words) > 1 and _YEAR.fullmatch(words[0]):
        return words[1:], int(words[0])
    return words, None


def same_title(asked: str, title: str) -> bool:
    """Whether a stored film's title is the one asked for, allowing a typo and a leading "The".

    Numbers must agree: "The Expendables" is not "The Expendables 3", nor "Rocky II" "Rocky".
    """
    a, b = (re.sub(r"^the ", "", normalize(t)) for t in (asked, title))
    if _numbers(a) != _numbers(b):
        return False
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= SAME_TITLE


def _numbers(title: str) -> list[str]:
    return [w for w in title.split() if w.isdigit() or _ROMAN.fullmatch(w)]


def film_titled(
    context: Context, title: str, hits: list, known: bool, k: int = 8, year: int | None = None
) -> tuple[list, dict[str, Any] | None, dict[str, Any]]:
    """The passages of the film a plot question names, when the graph has none under that title.

    First the hits whose film has that title, else the passages stored under exactly that title: a film stored only
    as a plot (say from Netflix) is in no graph, and may share its title with a graph film that has no plot
    ("Sabrina" of 2018 and of 1954). Then, for a title the graph does not know (`known` false), the passages of
    the graph film whose title is a close spelling ("Casablanka"). Else none, and the title reported missing. A
    `year` the question gives must be the film's: another year's film of that title is named, not answered.

    Returns:
        The hits, the film they are of ({"id", "label", "read_as"?}), and {"title", "year", "known", "others"?}
        when none is stored.
    """
    store = plot_store(context)
    stored = store.films_titled(title)
    same = [h for h in hits if same_title(title, h.title) and year in (None, h.year)]
    if not same and stored and year in (None, *stored.values()):
        # The question's words may rank other films first ("What happens in Shorts?"): look the title up itself.
        titled = store.vector_search(title, k * 4, ids=store.titled(title))
        same = [h for h in titled if year in (None, h.year)][:k]
    if year is not None and not same and stored:
        others = sorted(f"{title} ({y})" if y else title for y in set(stored.values()))
        return [], None, {"title": title, "year": year, "known": known, "others": others}
    if same:
        # One film is answered; the answer names the title's other films rather than cite them (see `_namesakes`).
        same = [h for h in same if h.film_id == same[0].film_id]
        return same, {"id": same[0].metadata.get("qid", ""), "label": same[0].title}, {}
    # A quoted phrase is read on its own, closely spelled or not at all.
    close = [] if known else label_index(context).close_mentions(f'"{title}"')
    film = next((c.entity for c in close if c.entity.kind == "film"), None)
    if film is not None and (year is None or film.year == year):
        found = store.search(title, k, {"qid": {"$eq": film.id}})
        if found:
            return found, {"id": film.id, "label": film.label, "read_as": title}, {}
    return [], None, {"title": title, "year": year, "known": known}
