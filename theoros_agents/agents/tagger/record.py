"""A film's record beside its synopsis: director, cast, year, runtime, rating, votes, revenue, metascore.

A record comes from a dataset's columns (IMDB's `imdb_movies.csv` has them all) or from the lines that follow a
synopsis in a question, one field a line:

    A jazz pianist falls for an aspiring actress in Los Angeles.
    Director: Damien Chazelle
    Cast: Ryan Gosling, Emma Stone
    Year: 2016
    Runtime: 128 min

The trained tagger reads it beside the text when it has one (see `RecordModel`): who made a film and how long,
popular and well reviewed it is say something about its genres that a one-line synopsis does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

NAMES = ("director", "cast")
NUMBERS = ("year", "runtime", "rating", "votes", "revenue", "metascore")
ALIASES = {
    "director": ("director", "directors", "directed by"),
    "cast": ("cast", "actors", "stars", "starring"),
    "year": ("year", "release year", "release_year"),
    "runtime": ("runtime", "runtime (minutes)", "duration", "length"),
    "rating": ("rating", "imdb rating"),
    "votes": ("votes", "imdb votes"),
    "revenue": ("revenue", "revenue (millions)", "gross"),
    "metascore": ("metascore",),
}
"""Field → the column or line names that hold it (compared lower-cased)."""
_FIELD_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z_ ()]{1,24}?)\s*:\s*(\S.*?)\s*$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Record:
    """What is known of a film besides its synopsis; revenue in millions of dollars, runtime in minutes."""

    director: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    year: float | None = None
    runtime: float | None = None
    rating: float | None = None
    votes: float | None = None
    revenue: float | None = None
    metascore: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The fields that are set, as JSON takes them (names as lists)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in ((), None):
                out[f.name] = list(value) if f.name in NAMES else value
        return out

    def lines(self) -> list[str]:
        """The record as the lines that may follow a synopsis (`split_record` reads them back)."""
        out = []
        for name, value in self.as_dict().items():
            shown = ", ".join(value) if name in NAMES else f"{value:.0f}" if value == int(value) else str(value)
            out.append(f"{name.capitalize()}: {shown}")
        return out


def _names(value: object) -> tuple[str, ...]:
    parts = value if isinstance(value, list | tuple) else str(value or "").split(",")
    return tuple(dict.fromkeys(" ".join(str(p).split()) for p in parts if str(p).strip()))


def _number(name: str, value: object) -> float | None:
    number: float | None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        match = _NUMBER.search(str(value or "").replace(",", ""))
        number = float(match.group()) if match else None
    # IMDB's file writes 0 for an unknown revenue; no film runs, rates or sells for nothing.
    return None if number is None or (number == 0 and name != "year") else number


def from_fields(values: Mapping[str, object]) -> Record | None:
    """Build a record from named values (columns, JSON, card lines); None when none of them is a record field."""
    found: dict[str, Any] = {}
    for key, value in values.items():
        name = _FIELD_OF.get(" ".join(str(key).lower().split()))
        if name is None or name in found:
            continue
        parsed = _names(value) if name in NAMES else _number(name, value)
        if parsed not in ((), None):
            found[name] = parsed
    return Record(**found) if found else None


def split_record(text: str) -> tuple[str, Record | None]:
    """Split the record lines that end a text from the synopsis before them."""
    lines = text.rstrip().splitlines()
    cut = len(lines)
    while cut > 1 and ((match := _LINE.match(lines[cut - 1])) and match.group(1).lower().strip() in _FIELD_OF):
        cut -= 1
    if cut == len(lines):
        return text, None
    pairs = [_LINE.match(line) for line in lines[cut:]]
    return "\n".join(lines[:cut]), from_fields({m.group(1): m.group(2) for m in pairs if m})


def with_record(text: str, record: Record | None) -> str:
    """The synopsis followed by its record's lines, as a question carries them."""
    return "\n".join([text, *record.lines()]) if record else text
