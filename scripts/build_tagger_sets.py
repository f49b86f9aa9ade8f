"""Build the tagger's IMDB development/test split: a seeded 60/40 split of imdb_movies.csv.

    python scripts/build_tagger_sets.py [--data ../shared/data] [--out .theoros-eval] [--seed N]

Writes JSONL files of {"text", "labels", "record"} (the film's director, cast, year, runtime, rating, votes,
revenue and metascore from the same row; `--no-record` leaves it out, to score the text alone):
- tagger_imdb_dev.jsonl  - 60% of imdb_movies.csv (fixed seed): training and tuning;
- tagger_imdb_test.jsonl - the other 40%: held out, only ever scored.
The extra training data (Netflix and Wikipedia synopses mapped to IMDB's genres) ships inside the package
and `theoros train tagger --labels imdb` adds it on its own; `scripts/build_tagger_extra.py` builds it.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

from theoros_agents.agents.tagger.record import from_fields

SEED = 20240505
DEV_SHARE = 0.6


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, items: list[dict]) -> None:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    print(f"{path}: {len(items)} items")


def item(row: dict[str, str], with_record: bool = True) -> dict:
    """One IMDB row as a tagger item: its description, genres and (unless told not to) its record."""
    record = from_fields(row) if with_record else None
    return {"text": row["Description"].strip(), "labels": row["Genre"].split(",")} | (
        {"record": record.as_dict()} if record else {}
    )


def imdb_split(rows: list[dict[str, str]], seed: int = SEED, with_record: bool = True) -> tuple[list[dict], list[dict]]:
    items = [item(r, with_record) for r in rows if r["Description"]]
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    cut = round(len(items) * DEV_SHARE)
    return [items[i] for i in sorted(order[:cut])], [items[i] for i in sorted(order[cut:])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="folder of the development data")
    parser.add_argument("--out", default=".theoros-eval", help="folder to write the JSONL files into")
    parser.add_argument("--seed", type=int, default=SEED, help="shuffle seed (another split checks for noise)")
    parser.add_argument("--no-record", action="store_true", help="leave the films' records out (text alone)")
    args = parser.parse_args()
    data, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    dev, test = imdb_split(read(data / "imdb_movies.csv"), args.seed, not args.no_record)
    write(out / "tagger_imdb_dev.jsonl", dev)
    write(out / "tagger_imdb_test.jsonl", test)


if __name__ == "__main__":
    main()
