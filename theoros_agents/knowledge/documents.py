"""Plot documents: stable ids, metadata that Chroma can filter on, passages that fit the embedding window."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from theoros_agents.knowledge.linker import normalize

# all-MiniLM-L6-v2 reads 256 word pieces; about 180 English words fit, so longer plots are split into passages.
PASSAGE_WORDS = 180
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CITATION = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class PlotDocument:
    """One film's plot or description from one source, before it is split into passages."""

    source: str
    title: str
    year: int | None
    text: str
    director: str = ""
    country: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    qid: str = ""
    url: str = ""
    origin: str = field(default="", compare=False)
    """Where the record came from, e.g. 'imdb_movies.csv:12', for messages."""

    @property
    def film_id(self) -> str:
        """A stable id from source, title and year: the same record always gets the same id."""
        slug = normalize(self.title).replace(" ", "-")
        if not slug:
            # Titles in non-Latin scripts normalize to nothing; hash them instead.
            slug = "t" + hashlib.sha1(self.title.encode("utf-8")).hexdigest()[:12]
        return f"{self.source}:{slug}:{self.year or 'na'}"

    def metadata(self) -> dict[str, str | int | list[str]]:
        """Return Chroma metadata: scalars for equality and ranges, lists for `$contains`."""
        meta: dict[str, str | int | list[str]] = {
            "title": self.title,
            "year": self.year or 0,
            "qid": self.qid,
            "director": self.director,
            "source": self.source,
            "url": self.url,
            "film_id": self.film_id,
        }
        # Chroma rejects empty lists, so a film without countries or genres simply lacks the key.
        if self.country:
            meta["country"] = list(self.country)
        if self.genres:
            meta["genres"] = list(self.genres)
        return meta


@dataclass(frozen=True)
class Passage:
    """A piece of a document small enough to embed whole; what the plot store holds."""

    id: str
    text: str
    metadata: dict
    body: str = ""
    """The text without its "Title (Year): " heading; empty when the text has none."""

    @property
    def plain(self) -> str:
        """The text a second vector embeds: without the heading when it has one."""
        return self.body or self.text


def split_words(text: str, limit: int = PASSAGE_WORDS) -> list[str]:
    """Split text at sentence ends into pieces of at most about `limit` words (a longer sentence stays whole)."""
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in _SENTENCE_END.split(text.strip()):
        words = len(sentence.split())
        if current and count + words > limit:
            pieces.append(" ".join(current))
            current, count = [], 0
        current.append(sentence)
        count += words
    if current:
        pieces.append(" ".join(current))
    return pieces


def heading(title: str, year: int | None) -> str:
    """The "Title (Year)" every passage of a film starts with."""
    return f"{title} ({year})" if year else title


def body_of(text: str, metadata: dict) -> str:
    """A stored passage's text without its heading ('' when it does not start with the one its metadata gives)."""
    prefix = heading(str(metadata.get("title", "")), int(metadata.get("year") or 0) or None) + ": "
    return text[len(prefix) :] if text.startswith(prefix) else ""


def passages(document: PlotDocument, film_id: str | None = None) -> list[Passage]:
    """Split a document into passages, each prefixed with its film's title and year so it reads on its own."""
    base = film_id or document.film_id
    title = heading(document.title, document.year)
    text = _CITATION.sub("", document.text)
    meta = document.metadata() | {"film_id": base}
    return [
        Passage(f"{base}#{i}", f"{title}: {piece}", meta | {"passage": i}, piece)
        for i, piece in enumerate(split_words(text))
    ]


def unique_ids(documents: Iterable[PlotDocument]) -> list[tuple[str, PlotDocument]]:
    """Pair each document with its film id; a repeated (source, title, year) gets '~2', '~3' in file order."""
    seen: Counter[str] = Counter()
    out = []
    for doc in documents:
        base = doc.film_id
        seen[base] += 1
        out.append((base if seen[base] == 1 else f"{base}~{seen[base]}", doc))
    return out
