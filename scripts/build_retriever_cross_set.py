"""Build a cross-description retrieval set: an IMDB or Netflix description as the query, the film's
starter synopsis (written for Theoros) as the document to find; the query's own source is filtered out.

Usage: python scripts/build_retriever_cross_set.py ../shared/data datasets/retriever_cross_dev.jsonl
"""

import csv
import json
import sys
from pathlib import Path

from theoros_agents.knowledge.catalog import SYNOPSES
from theoros_agents.knowledge.linker import normalize


def main(data: Path, out: Path) -> None:
    years: dict[str, list[dict]] = {}
    for line in SYNOPSES.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        years.setdefault(normalize(doc["title"]), []).append(doc)
    rows = []
    sources = (
        ("imdb", "imdb_movies.csv", "Title", "Year", "Description"),
        ("netflix", "netflix_movies.csv", "title", "release_year", "description"),
    )
    for source, name, title, year, text in sources:
        with (data / name).open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                for doc in years.get(normalize(record[title]), []):
                    if abs(int(record[year]) - doc["year"]) <= 1:
                        rows.append(
                            {
                                "query": record[text],
                                "relevant_titles": [f"{doc['title']} ({doc['year']})"],
                                "where": {"source": {"$ne": source}},
                            }
                        )
    out.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} queries -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
