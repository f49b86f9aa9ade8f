"""Build the named-film retrieval set: "What happens in {title}?" for a seeded sample of the films ingested by
`make eval-retriever`.

Most of those films have no graph id, so the retriever cannot look them up by name: the question must find the
film's passages through their "Title (Year): " heading. The set guards that while the rankers are tuned for
descriptions that name no one (README "Retriever").

Usage:
    python scripts/build_retriever_named_set.py --data ../shared/data --out datasets/retriever_named_films.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from theoros_agents.knowledge.documents import heading
from theoros_agents.knowledge.readers import read_csv

SEED = 0
COUNT = 300
SOURCES = (
    ("wiki_movie_plots_sample.csv", "plots"),
    ("imdb_movies.csv", "imdb"),
    ("netflix_movies.csv", "netflix"),
)
BLURB_DOCS = Path(__file__).resolve().parents[1] / "datasets" / "retriever_blurb_docs.csv"


def main() -> None:
    """Sample the films and write one question each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--out", type=Path, required=True, help="the JSONL file to write")
    parser.add_argument("--count", type=int, default=COUNT)
    args = parser.parse_args()
    documents = [d for name, kind in SOURCES for d in read_csv(args.data / name, kind)]
    documents += read_csv(BLURB_DOCS, "imdb")
    films = sorted({heading(d.title, d.year): d.title for d in documents}.items())
    sample = random.Random(SEED).sample(films, args.count)
    with args.out.open("w", encoding="utf-8") as out:
        for title_year, title in sample:
            row = {"query": f"What happens in {title}?", "relevant_titles": [title_year]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(sample)} of {len(films)} films -> {args.out}")


if __name__ == "__main__":
    main()
