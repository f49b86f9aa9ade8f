"""Read the movie CSVs (Wikipedia plots, IMDB, Netflix) into plot documents, failing with file and line."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from theoros_agents.errors import ConfigError, CorruptInput
from theoros_agents.knowledge.documents import PlotDocument

# The Wikipedia plots CSV names an origin; the plot store filters on countries.
ORIGIN_COUNTRIES = {
    "American": "United States",
    "British": "United Kingdom",
    "Australian": "Australia",
    "Canadian": "Canada",
    "Chinese": "China",
    "Hong Kong": "Hong Kong",
    "Japanese": "Japan",
    "South_Korean": "South Korea",
    "Russian": "Russia",
    "Turkish": "Turkey",
    "Egyptian": "Egypt",
    "Filipino": "Philippines",
    "Malaysian": "Malaysia",
    "Maldivian": "Maldives",
    "Bangladeshi": "Bangladesh",
    "Assamese": "India",
    "Bengali": "India",
    "Bollywood": "India",
    "Kannada": "India",
    "Malayalam": "India",
    "Marathi": "India",
    "Punjabi": "India",
    "Tamil": "India",
    "Telugu": "India",
}


@dataclass(frozen=True)
class Row:
    """One CSV record with the line it starts on."""

    path: Path
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """Return a cell, stripped; empty cells are ''."""
        return (self.cells.get(column) or "").strip()

    def year(self, column: str) -> int:
        """Return a cell as a year, or raise CorruptInput quoting it."""
        value = self.get(column)
        if not (value.isdigit() and len(value) == 4):
            raise CorruptInput(f"{self.path}:{self.line}: {column} {value!r} is not a year")
        return int(value)

    def required(self, column: str) -> str:
        """Return a cell that must not be empty."""
        value = self.get(column)
        if not value:
            raise CorruptInput(f"{self.path}:{self.line}: empty {column}")
        return value


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(",") if part.strip())


def _genres(cell: str) -> tuple[str, ...]:
    return tuple(g.lower() for g in _split(cell.replace("/", ",")) if g.lower() != "unknown")


def read_rows(path: Path, columns: tuple[str, ...]) -> Iterator[Row]:
    """Yield the records of a CSV file (quoted fields may hold CRLF line breaks), checking shape as it goes."""
    if not path.is_file():
        raise ConfigError(f"no such file: {str(path)!r}")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        line = 1
        try:
            header = next(reader, [])
            missing = [c for c in columns if c not in header]
            if missing:
                raise CorruptInput(f"{path}:1: missing columns {missing}; found {header}")
            line = reader.line_num + 1
            for cells in reader:
                if len(cells) != len(header):
                    raise CorruptInput(f"{path}:{line}: expected {len(header)} fields, found {len(cells)}")
                yield Row(path, line, dict(zip(header, cells, strict=True)))
                line = reader.line_num + 1
        except csv.Error as exc:
            raise CorruptInput(f"{path}:{line}: malformed CSV record: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CorruptInput(f"{path}:{line}: not UTF-8: {exc.reason}") from exc


def wiki_plot(row: Row) -> PlotDocument:
    """Map a Wikipedia movie plots row."""
    origin = row.get("Origin/Ethnicity")
    director = row.get("Director")
    return PlotDocument(
        source="wikiplots",
        title=row.required("Title"),
        year=row.year("Release Year"),
        text=row.get("Plot"),
        director="" if director.lower() == "unknown" else director,
        country=(ORIGIN_COUNTRIES.get(origin, origin),) if origin else (),
        genres=_genres(row.get("Genre")),
        url=row.get("Wiki Page"),
        origin=f"{row.path.name}:{row.line}",
    )


def imdb_movie(row: Row) -> PlotDocument:
    """Map an IMDB movies row."""
    return PlotDocument(
        source="imdb",
        title=row.required("Title"),
        year=row.year("Year"),
        text=row.get("Description"),
        director=row.get("Director"),
        genres=_genres(row.get("Genre")),
        origin=f"{row.path.name}:{row.line}",
    )


def netflix_movie(row: Row) -> PlotDocument:
    """Map a Netflix catalogue row."""
    return PlotDocument(
        source="netflix",
        title=row.required("title"),
        year=row.year("release_year"),
        text=row.get("description"),
        director=row.get("director"),
        country=_split(row.get("country")),
        genres=_genres(row.get("listed_in")),
        origin=f"{row.path.name}:{row.line}",
    )


@dataclass(frozen=True)
class CsvFormat:
    """The columns a CSV must have and how a row becomes a document."""

    columns: tuple[str, ...]
    to_document: Callable[[Row], PlotDocument]


FORMATS = {
    "plots": CsvFormat(("Release Year", "Title", "Origin/Ethnicity", "Director", "Genre", "Plot"), wiki_plot),
    "imdb": CsvFormat(("Title", "Genre", "Description", "Director", "Year"), imdb_movie),
    "netflix": CsvFormat(("title", "director", "country", "release_year", "listed_in", "description"), netflix_movie),
}


def read_csv(path: Path, kind: str, limit: int = 0) -> list[PlotDocument]:
    """Read a whole CSV of `kind` ('plots', 'imdb', 'netflix') before anything is stored; skip rows with no text.

    Raises:
        CorruptInput: a record is malformed; the message gives the file and the line the record starts on.
    """
    fmt = FORMATS[kind]
    documents = []
    for row in read_rows(path, fmt.columns):
        document = fmt.to_document(row)
        if document.text:
            documents.append(document)
        if limit and len(documents) >= limit:
            break
    return documents


def read_synopses(path: Path) -> list[PlotDocument]:
    """Read the starter catalog's synopses (JSON lines of qid, title, year, synopsis)."""
    documents = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            documents.append(PlotDocument("theoros", row["title"], int(row["year"]), row["synopsis"], qid=row["qid"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise CorruptInput(f"{path}:{number}: bad synopsis record: {exc}") from exc
    return documents
