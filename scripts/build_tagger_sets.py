"""Build the tagger's IMDB development/test split and extra training files mapped to IMDB's 20 genres.

    python scripts/build_tagger_sets.py [--data ../shared/data] [--out .theoros-eval]

Writes JSONL files of {"text", "labels"} (plus "known" where a source covers only some genres):
- tagger_imdb_dev.jsonl  - 60% of imdb_movies.csv (fixed seed): training and tuning;
- tagger_imdb_test.jsonl - the other 40%: held out, only ever scored;
- tagger_extra_netflix.jsonl - Netflix descriptions, `listed_in` categories mapped to IMDB genres;
- tagger_extra_wikiplots.jsonl - Wikipedia plots (1901-1935), the coarse `Genre` mapped to IMDB genres.
The Netflix file already excludes the titles it shares with the IMDB list (they are the sealed test).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

SEED = 20240505
DEV_SHARE = 0.6
# Netflix categories that name an IMDB genre. A film outside "Dramas" is taken as not a drama, but
# Netflix has no crime, mystery, biography, history, war, western or musical category: those stay unknown.
NETFLIX = {
    "Dramas": ["Drama"],
    "Comedies": ["Comedy"],
    "Stand-Up Comedy": ["Comedy"],
    "Action & Adventure": ["Action", "Adventure"],
    "Children & Family Movies": ["Family"],
    "Romantic Movies": ["Romance"],
    "Thrillers": ["Thriller"],
    "Music & Musicals": ["Music"],
    "Horror Movies": ["Horror"],
    "Sports Movies": ["Sport"],
    "Sci-Fi & Fantasy": ["Sci-Fi", "Fantasy"],
    "Anime Features": ["Animation"],
}
# Words of the Wikipedia plots' free-text genre and the IMDB genre each one names.
WIKIPLOTS = {
    "western": "Western",
    "war": "War",
    "crime": "Crime",
    "mystery": "Mystery",
    "musical": "Musical",
    "comedy": "Comedy",
    "drama": "Drama",
    "romance": "Romance",
    "romantic": "Romance",
    "horror": "Horror",
    "historical": "History",
    "biograph": "Biography",
    "adventure": "Adventure",
    "action": "Action",
    "fantasy": "Fantasy",
    "thriller": "Thriller",
    "sci": "Sci-Fi",
    "sport": "Sport",
    "animat": "Animation",
    "family": "Family",
}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, items: list[dict]) -> None:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    print(f"{path}: {len(items)} items")


def imdb_split(rows: list[dict[str, str]]) -> tuple[list[dict], list[dict]]:
    items = [{"text": r["Description"].strip(), "labels": r["Genre"].split(",")} for r in rows if r["Description"]]
    order = list(range(len(items)))
    random.Random(SEED).shuffle(order)
    cut = round(len(items) * DEV_SHARE)
    return [items[i] for i in sorted(order[:cut])], [items[i] for i in sorted(order[cut:])]


def netflix(rows: list[dict[str, str]]) -> list[dict]:
    known = sorted({g for genres in NETFLIX.values() for g in genres})
    items = []
    for row in rows:
        categories = [c.strip() for c in row["listed_in"].split(",")]
        labels = sorted({g for c in categories for g in NETFLIX.get(c, [])})
        if row["description"].strip():
            items.append({"text": row["description"].strip(), "labels": labels, "known": known})
    return items


def wikiplots(rows: list[dict[str, str]]) -> list[dict]:
    items = []
    for row in rows:
        labels = sorted({genre for word, genre in WIKIPLOTS.items() if word in row["Genre"].lower()})
        if labels and row["Plot"].strip():
            items.append({"text": " ".join(row["Plot"].split()), "labels": labels})
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="folder of the development data")
    parser.add_argument("--out", default=".theoros-eval", help="folder to write the JSONL files into")
    args = parser.parse_args()
    data, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    dev, test = imdb_split(read(data / "imdb_movies.csv"))
    write(out / "tagger_imdb_dev.jsonl", dev)
    write(out / "tagger_imdb_test.jsonl", test)
    write(out / "tagger_extra_netflix.jsonl", netflix(read(data / "netflix_movies.csv")))
    write(out / "tagger_extra_wikiplots.jsonl", wikiplots(read(data / "wiki_movie_plots_sample.csv")))


if __name__ == "__main__":
    main()
