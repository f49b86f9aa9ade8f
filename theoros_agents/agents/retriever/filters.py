"""Metadata filters read from a question: year or decade, country, genre tag."""

from __future__ import annotations

import re
from typing import Any

_DECADE = re.compile(r"\b(?:the\s+)?(?:(1[89]|20)(\d)0s|'?(\d)0s)\b", re.I)
_YEAR = re.compile(r"\b(?:in|from|of|released in)\s+(1[89]\d\d|20\d\d)\b", re.I)
COUNTRIES = {
    "american": "United States",
    "usa": "United States",
    "british": "United Kingdom",
    "uk": "United Kingdom",
    "english": "United Kingdom",
    "french": "France",
    "german": "Germany",
    "italian": "Italy",
    "spanish": "Spain",
    "japanese": "Japan",
    "korean": "South Korea",
    "chinese": "China",
    "indian": "India",
    "mexican": "Mexico",
    "canadian": "Canada",
    "australian": "Australia",
    "swedish": "Sweden",
    "danish": "Denmark",
    "brazilian": "Brazil",
    "nigerian": "Nigeria",
    "turkish": "Turkey",
}
# Most specific first: "a heist thriller" filters on the subgenre.
GENRES = {
    "romantic comedy": "romantic comedy",
    "space opera": "space opera",
    "science fiction": "science fiction",
    "heist": "heist film",
    "noir": "film noir",
    "western": "western",
    "horror": "horror",
    "slasher": "slasher film",
    "sci-fi": "science fiction",
    "documentary": "documentary",
    "animated": "animation",
    "musical": "musical",
    "thriller": "thriller",
    "comedy": "comedy",
    "war": "war",
    "crime": "crime",
    "fantasy": "fantasy",
    "drama": "drama",
}


def _decade(question: str) -> tuple[int, int] | None:
    match = _DECADE.search(question)
    if not match:
        return None
    if match.group(1):
        start = int(match.group(1) + match.group(2) + "0")
    else:
        digit = int(match.group(3))
        start = (2000 if digit <= 2 else 1900) + digit * 10
    return start, start + 9


def parse_filters(question: str) -> dict[str, Any]:
    """Return plain filters {year_from, year_to, country, tag} found in the question."""
    found: dict[str, Any] = {}
    decade = _decade(question)
    year = _YEAR.search(question)
    if decade:
        found["year_from"], found["year_to"] = decade
    elif year:
        found["year_from"] = found["year_to"] = int(year.group(1))
    words = re.findall(r"[a-z-]+", question.lower())
    country = next((COUNTRIES[w] for w in words if w in COUNTRIES), None)
    if country:
        found["country"] = country
    text = " ".join(words)
    tag = next((label for cue, label in GENRES.items() if re.search(rf"\b{cue}\b", text)), None)
    if tag:
        found["tag"] = tag
    return found


def to_where(filters: dict[str, Any], tag_key: str = "tags") -> dict[str, Any] | None:
    """Turn plain filters into a Chroma `where` clause (None when there are none)."""
    clauses: list[dict[str, Any]] = []
    if "year_from" in filters:
        clauses += [{"year": {"$gte": filters["year_from"]}}, {"year": {"$lte": filters["year_to"]}}]
    if "country" in filters:
        clauses.append({"country": {"$contains": filters["country"]}})
    if "tag" in filters:
        clauses.append({tag_key: {"$contains": filters["tag"]}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
