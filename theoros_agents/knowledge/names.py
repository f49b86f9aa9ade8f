"""The names a question says: runs of capitalised words, as a reader tells a name from the words around it."""

from __future__ import annotations

import re

CONNECTORS = frozenset("of the and de la von van der".split())
"""Lower-case words inside a name ("Lord of the Rings", "Ludwig van Beethoven", "Pride and Prejudice")."""
_INSIDE = CONNECTORS - {"and"}
"""The connectors a name runs on through: "Emma Stone and Ryan Gosling" are two names, as a title's "and" is read."""
_OPENERS = frozenset(
    "what which who whom whose where when how why did does do is was were are has have had can could tell name list "
    "give show count in".split()
)
"""Capitalised words that open a question, not a name ("Did Alfred Hitchcock…", "In Casablanca, who…")."""
PUNCTUATION = "?.!,;:\"'“”‘’()"
"""Punctuation around a word as written."""
_possessive = re.compile(r"['’]s$")
"""'Casablanca's genre' names Casablanca."""


def names_in(question: str) -> list[str]:
    """The names a question mentions: its runs of capitalised words ("Which films did Alfred Hitchcock direct?").

    A sentence's first word is capitalised anyway: it starts a name only when the next word is capitalised too.
    Question words that open a run are left out.
    """
    words = [_possessive.sub("", w.strip(PUNCTUATION)) for w in question.split()]
    names: list[str] = []
    run: list[str] = []
    for i, word in enumerate([*words, ""]):
        alone = i == 0 and not (len(words) > 1 and words[1][:1].isupper())
        if word[:1].isupper() and not alone or run and (word[:1].isdigit() or word.lower() in _INSIDE):
            run.append(word)
            continue
        while run and (run[-1].lower() in _INSIDE or run[0].lower() in _OPENERS):
            run = run[:-1] if run[-1].lower() in _INSIDE else run[1:]
        if run and run != ["I"]:
            names.append(" ".join(run))
        run = []
    return names


def title_cased(question: str) -> bool:
    """Whether every longer word is capitalised ("Did Casablanca Win An Oscar?"): then capitals tell no names."""
    longer = [w for w in question.split()[1:] if len(w.strip(PUNCTUATION)) > 2]
    return len(longer) >= 2 and all(w.strip(PUNCTUATION)[:1].isupper() for w in longer)
