"""Build the extra training data shipped for the tagger's IMDB label set (`data/extra/imdb.jsonl.gz`).

    python scripts/build_tagger_extra.py [--data ../shared/data] [--out theoros_agents/agents/tagger/data/extra]

Four sources, their categories mapped to IMDB's 20 genres:
- Netflix descriptions (`netflix_movies.csv`): `listed_in` categories. Netflix has no crime, mystery,
  biography, history, war, western or musical category, so an item says nothing about those genres
  (`"known"` lists the ones it does speak for).
- Wikipedia plots of 1901-1935 films (`wiki_movie_plots_sample.csv`): the coarse `Genre` text, taken
  as the film's only genres (speaking only for the named genres did worse in cross-validation).
- The starter synopses that ship in the package, with their films' Wikidata genres from the starter catalog's
  facts (e.g. "war film", "biographical film", "musical film"), taken as the film's only genres. Films of
  2006-2016 are left out: IMDB's file holds popular films of those years, so they could be rows held out
  from `imdb_movies.csv` for evaluation.
- `scripts/data/imdb_style_synopses.jsonl`: 563 synopses written for the project in the style of IMDB's one-line
  summaries, of well-known films outside 2006-2016, with the IMDB genres their writers recalled. They say nothing
  of the six genres that 3-15 of IMDB's 581 films have (`RARE`): more examples of those made the tagger predict
  them too often (see the README's tagger section).
No IMDB film's text may be in the file: rows whose normalized title (accents folded) and year, or whose
text, match a film of `imdb_movies.csv` are dropped, and the count is printed. The Netflix file already
leaves out IMDB's top-1000 films by title and year, but without folding accents: "Suite Française" (2014)
slipped through and is dropped here.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import unicodedata
from pathlib import Path

# Netflix categories that name an IMDB genre. A film outside "Dramas" is taken as not a drama, but
# Netflix has no crime, mystery, biography, history, war, western or musical category: those stay unknown.
NETFLIX = {
    "Dramas": ["Drama"],
    "Comedies": ["Comedy"],
    "Stand-Up Comedy": ["Comedy"],
    "Action & Adventure": ["Action"],
    "Children & Family Movies": ["Family"],
    "Romantic Movies": ["Romance"],
    "Thrillers": ["Thriller"],
    "Music & Musicals": ["Music"],
    "Horror Movies": ["Horror"],
    "Sports Movies": ["Sport"],
    "Sci-Fi & Fantasy": ["Sci-Fi", "Fantasy"],
    "Anime Features": ["Animation"],
}
# Genres a Netflix category leaves open: "Action & Adventure" says a film is an action film, but not whether IMDB
# would call it an adventure too (on the development split, counting them as adventures did slightly worse).
OPEN = {"Action & Adventure": ["Adventure"]}
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
# Words of a Wikidata genre label (lower case) and the IMDB genres each names: "comedy drama" names both.
WIKIDATA = {
    "drama": ["Drama"],
    "melodrama": ["Drama"],
    "comedy": ["Comedy"],
    "satir": ["Comedy"],
    "parody": ["Comedy"],
    "romance": ["Romance"],
    "romantic": ["Romance"],
    "crime": ["Crime"],
    "gangster": ["Crime"],
    "noir": ["Crime"],
    "police procedural": ["Crime"],
    "detective": ["Crime", "Mystery"],
    "heist": ["Crime"],
    "thriller": ["Thriller"],
    "suspense": ["Thriller"],
    "biographical": ["Biography"],
    "war": ["War"],
    "historical": ["History"],
    "medieval": ["History"],
    "sword-and-sandal": ["History"],
    "action": ["Action"],
    "adventure": ["Adventure"],
    "musical film": ["Musical"],
    "music film": ["Music"],
    "mystery": ["Mystery"],
    "fantasy": ["Fantasy"],
    "western": ["Western"],
    "science fiction": ["Sci-Fi"],
    "horror": ["Horror"],
    "animated": ["Animation"],
    "family": ["Family"],
    "sport": ["Sport"],
    "boxing": ["Sport"],
}
RARE = ("History", "Sport", "Music", "War", "Western", "Musical")
"""IMDB genres the written synopses say nothing of (3-15 of the 581 films have each)."""
WRITTEN = Path(__file__).resolve().parent / "data" / "imdb_style_synopses.jsonl"
IMDB_YEARS = range(2006, 2017)
"""The years of IMDB's file: a starter film of these years could be one of its rows held out for evaluation."""
GENRES_QUERY = (
    "SELECT ?film ?label WHERE { ?film <http://www.wikidata.org/prop/direct/P136> ?genre . "
    "?genre <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)
WIKI_WORDS = 200
"""Words of a plot that are kept: the tagger embeds 200 words, and a short file ships faster."""
_NON_WORD = re.compile(r"[^a-z0-9]+")
_FOOTNOTE = re.compile(r"\[\d+\]")


def read(path: Path) -> list[dict[str, str]]:
    """Read a CSV file into rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def normalize(text: str) -> str:
    """Lower case, accents folded, words only: the form titles and texts are compared in."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", folded.lower()).strip()


def netflix(rows: list[dict[str, str]]) -> list[dict]:
    """Netflix descriptions with their categories as IMDB genres."""
    covered = {g for genres in [*NETFLIX.values(), *OPEN.values()] for g in genres}
    items = []
    for row in rows:
        categories = [c.strip() for c in row["listed_in"].split(",")]
        labels = sorted({g for c in categories for g in NETFLIX.get(c, [])})
        known = sorted(covered - {g for c in categories for g in OPEN.get(c, [])})
        text = " ".join(row["description"].split())
        if text:
            key = (normalize(row["title"]), row["release_year"].strip())
            items.append({"text": text, "labels": labels, "known": known, "key": key})
    return items


def wikiplots(rows: list[dict[str, str]]) -> list[dict]:
    """Wikipedia plots with the genres their coarse genre names (cut to their first words)."""
    items = []
    for row in rows:
        labels = sorted({genre for word, genre in WIKIPLOTS.items() if word in row["Genre"].lower()})
        text = " ".join(_FOOTNOTE.sub("", row["Plot"]).split()[:WIKI_WORDS])
        if labels and text:
            key = (normalize(row["Title"]), row["Release Year"].strip())
            items.append({"text": text, "labels": labels, "key": key})
    return items


def starter() -> list[dict]:
    """The package's starter synopses with their Wikidata genres as IMDB genres, films of 2006-2016 left out."""
    import pyoxigraph

    from theoros_agents.knowledge.catalog import FACTS, SYNOPSES
    from theoros_agents.knowledge.readers import read_synopses

    store = pyoxigraph.Store()
    store.load(path=str(FACTS), format=pyoxigraph.RdfFormat.N_TRIPLES)
    genres: dict[str, list[str]] = {}
    for row in store.query(GENRES_QUERY):
        genres.setdefault(row["film"].value.rsplit("/", 1)[-1], []).append(row["label"].value.lower())
    items = []
    for doc in read_synopses(SYNOPSES):
        names = genres.get(doc.qid, [])
        labels = sorted({g for word, imdb in WIKIDATA.items() for name in names if word in name for g in imdb})
        if labels and doc.year and doc.year not in IMDB_YEARS:
            items.append({"text": doc.text, "labels": labels, "key": (normalize(doc.title), str(doc.year))})
    return items


def written(names: list[str]) -> list[dict]:
    """The synopses written in IMDB's style, silent on the rare genres; films of 2006-2016 left out."""
    items = []
    for line in WRITTEN.read_text(encoding="utf-8").splitlines():
        film = json.loads(line)
        if film["year"] not in IMDB_YEARS:
            labels = sorted(set(film["labels"]) - set(RARE))
            known = [name for name in names if name not in RARE]
            items.append(
                {
                    "text": film["text"],
                    "labels": labels,
                    "known": known,
                    "key": (normalize(film["title"]), str(film["year"])),
                }
            )
    return items


def without_imdb(items: list[dict], imdb: list[dict[str, str]]) -> list[dict]:
    """Drop the items whose title and year, or whose text, is an IMDB film's."""
    films = {(normalize(r["Title"]), r["Year"].strip()) for r in imdb}
    texts = {normalize(r["Description"]) for r in imdb}
    kept = [i for i in items if i["key"] not in films and normalize(i["text"]) not in texts]
    print(f"  dropped {len(items) - len(kept)} of {len(items)} items matching an IMDB film")
    return kept


def write(path: Path, items: list[dict]) -> None:
    """Write gzipped JSONL, deterministically (no timestamp in the gzip header)."""
    lines = "".join(json.dumps({k: v for k, v in i.items() if k != "key"}, ensure_ascii=False) + "\n" for i in items)
    path.write_bytes(gzip.compress(lines.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{path}: {len(items)} items, {path.stat().st_size / 1e6:.2f} MB")


def main() -> None:
    """Build the file from the development data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="folder of the development data")
    parser.add_argument("--out", default="theoros_agents/agents/tagger/data/extra", help="folder to write into")
    args = parser.parse_args()
    data, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    imdb = read(data / "imdb_movies.csv")
    items = []
    for name, build in (("netflix_movies.csv", netflix), ("wiki_movie_plots_sample.csv", wikiplots)):
        print(name)
        items += [i | {"source": name.split("_")[0]} for i in without_imdb(build(read(data / name)), imdb)]
    print("starter synopses")
    items += [i | {"source": "starter"} for i in without_imdb(starter(), imdb)]
    print("synopses written in IMDB's style")
    names = sorted({genre for row in imdb for genre in row["Genre"].split(",")})
    items += [i | {"source": "written"} for i in without_imdb(written(names), imdb)]
    write(out / "imdb.jsonl.gz", items)


if __name__ == "__main__":
    main()
