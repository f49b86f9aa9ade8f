"""Build the short-description retrieval set: a Netflix-style blurb finds a film's differently written short text.

Two parts, written to `datasets/`:

- real pairs: the first sentence of a starter synopsis (written for Theoros) finds the same film's IMDB or
  Netflix description (both written independently of it); the starter source is filtered out;
- generated pairs: Qwen2.5-Coder-1.5B-Instruct reads a Wikipedia plot and writes a one-sentence, name-free
  Netflix-style blurb (the query); the document to find is the plot's opening (its first sentences, at most
  about 45 words), shipped as an IMDB-format CSV to ingest beside the plots. The film's own full plot is
  filtered out, so the blurb must find the short text, as a Netflix description must find an IMDB one.

Every query gets a seeded split, "tune" or "report": choices are made on "tune", figures quoted from "report".
The model is only used here, offline; nothing in the product depends on it.

Usage (under the shared CPU lock; `--reuse` instead of `--model` rebuilds the files from the raw blurbs):
    python scripts/build_retriever_blurb_set.py --data ../shared/data --count 170 --out datasets \
        --model /root/.cache/theoros-models/qwen2.5-coder-1.5b-instruct.gguf
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

from theoros_agents.knowledge.catalog import SYNOPSES
from theoros_agents.knowledge.documents import PlotDocument
from theoros_agents.knowledge.linker import normalize
from theoros_agents.knowledge.readers import read_csv, read_synopses

SEED = 12
LEAD_WORDS = 45
MAX_SHARED_NAMES = 2
PLOT_WORDS = 200
# A full stop after a title of address ("Dr. King") does not end the sentence.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\bDr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bSt\.)(?<!\bJr\.)\s+(?=[A-Z\"'])"
)
_CITATION = re.compile(r"\[\d+\]")
_ASIDE = re.compile(r"\s*\([^)]*\)")
PROMPT = (
    "Here is the plot of a film.\n\n<plot>\n{plot}\n</plot>\n\n"
    "Write the one-sentence description a streaming service would show for this film, 15 to 30 words. "
    "Describe the premise, not the ending. Do not name the film and do not use any character's name: "
    "describe each person by what they are or do in the story. Use your own words. "
    "Answer with the sentence only."
)


def split(key: str) -> str:
    """Assign a query to 'tune' or 'report' by a seeded hash of its key (stable across runs)."""
    return "tune" if random.Random(f"{SEED}:{key}").random() < 0.5 else "report"


def sentences(text: str) -> list[str]:
    """Split text into sentences."""
    return [s.strip() for s in _SENTENCE_END.split(_CITATION.sub("", text).strip()) if s.strip()]


def lead(text: str, limit: int = LEAD_WORDS) -> str:
    """The plot's opening: whole sentences up to about `limit` words (always at least the first)."""
    out: list[str] = []
    # Wikipedia puts the cast in brackets after each role; a short description does not.
    for sentence in sentences(_ASIDE.sub("", text)):
        if out and len(" ".join(out + [sentence]).split()) > limit:
            break
        out.append(sentence)
    return " ".join(out)


def real_pairs(data: Path) -> list[dict]:
    """First sentence of a starter synopsis -> the same film's IMDB or Netflix description."""
    starter: dict[str, list[PlotDocument]] = {}
    for doc in read_synopses(SYNOPSES):
        starter.setdefault(normalize(doc.title), []).append(doc)
    rows = []
    for kind, name in (("imdb", "imdb_movies.csv"), ("netflix", "netflix_movies.csv")):
        for doc in read_csv(data / name, kind):
            for mine in starter.get(normalize(doc.title), []):
                if doc.year and mine.year and abs(doc.year - mine.year) <= 1:
                    query = sentences(mine.text)[0]
                    rows.append(
                        {
                            "query": query,
                            "relevant_titles": [f"{doc.title} ({doc.year})"],
                            "where": {"source": {"$ne": "theoros"}},
                            "kind": f"starter->{kind}",
                            "split": split(f"real:{kind}:{doc.title}"),
                        }
                    )
    return rows


def candidates(data: Path, count: int) -> list[PlotDocument]:
    """Seeded choice of Wikipedia plots: long enough, one per title, not a film another source describes."""
    taken = {normalize(d.title) for d in read_synopses(SYNOPSES)}
    for kind, name in (("imdb", "imdb_movies.csv"), ("netflix", "netflix_movies.csv")):
        taken |= {normalize(d.title) for d in read_csv(data / name, kind)}
    plots = read_csv(data / "wiki_movie_plots_sample.csv", "plots")
    titles = [normalize(d.title) for d in plots]
    once = [d for d in plots if titles.count(normalize(d.title)) == 1 and normalize(d.title) not in taken]
    long_enough = [d for d in once if len(d.text.split()) >= 120 and len(sentences(d.text)) >= 4]
    return random.Random(SEED).sample(long_enough, min(count, len(long_enough)))


def clean(reply: str) -> str:
    """The first sentence of the model's reply, without quotes or a leading label."""
    text = reply.strip().strip('"').strip()
    text = re.sub(r"^(description|answer)\s*:\s*", "", text, flags=re.IGNORECASE)
    first = sentences(text)
    return first[0].strip('"') if first else ""


def leaks(blurb: str, doc: PlotDocument) -> bool:
    """Whether the blurb names the film (a title of two words or more) or copies the opening's names.

    The model was asked for role words instead of names and often used them anyway. A catalogue blurb may name a
    person or a place (one capitalised word, or two as in "Los Angeles"); one that repeats more of the opening's
    names turns the pair into a name lookup, which two independently written descriptions seldom are.
    """
    title = normalize(doc.title)
    if len(title.split()) >= 2 and f" {title} " in f" {normalize(blurb)} ":
        return True
    names = set(re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+", lead(doc.text)))
    return len({w for w in re.findall(r"\b[A-Z][a-z]+", blurb)[1:] if w in names}) > MAX_SHARED_NAMES


def usable(blurb: str, doc: PlotDocument) -> bool:
    """Whether a blurb is kept: one sentence of 8 to 45 words that neither names the film nor copies names."""
    return 8 <= len(blurb.split()) <= 45 and not leaks(blurb, doc)


def generate(model_path: Path, docs: list[PlotDocument], raw: Path) -> list[tuple[PlotDocument, str]]:
    """Have the model write one blurb per plot (greedy decoding); every reply is also kept in `raw`."""
    from llama_cpp import Llama

    llm = Llama(model_path=str(model_path), n_ctx=2048, n_threads=2, verbose=False, seed=SEED)
    out = []
    with raw.open("w", encoding="utf-8") as log:
        for number, doc in enumerate(docs, start=1):
            plot = " ".join(_CITATION.sub("", doc.text).split()[:PLOT_WORDS])
            reply = llm.create_chat_completion(
                messages=[{"role": "user", "content": PROMPT.format(plot=plot)}], temperature=0.0, max_tokens=70
            )
            blurb = clean(str(reply["choices"][0]["message"]["content"]))
            log.write(json.dumps({"title": doc.title, "year": doc.year, "blurb": blurb}, ensure_ascii=False) + "\n")
            out.append((doc, blurb))
            print(f"{number}/{len(docs)} {doc.title} ({doc.year}): {blurb}", file=sys.stderr, flush=True)
    return out


def reuse(raw: Path, data: Path) -> list[tuple[PlotDocument, str]]:
    """The blurbs of an earlier run (its raw file), paired with their plots again: no model needed."""
    plots = {(d.title, d.year): d for d in read_csv(data / "wiki_movie_plots_sample.csv", "plots")}
    rows = [json.loads(line) for line in raw.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(plots[row["title"], row["year"]], row["blurb"]) for row in rows]


def write(out: Path, real: list[dict], generated: list[tuple[PlotDocument, str]]) -> None:
    """Write the queries (JSONL) and the short documents to find (IMDB-format CSV)."""
    rows = list(real)
    generated = [(doc, blurb) for doc, blurb in generated if usable(blurb, doc)]
    for doc, blurb in generated:
        slug = normalize(doc.title).replace(" ", "-")
        rows.append(
            {
                "query": blurb,
                "relevant_titles": [f"{doc.title} ({doc.year})"],
                "where": {"film_id": {"$ne": f"wikiplots:{slug}:{doc.year}"}},
                "kind": "blurb->lead",
                "split": split(f"blurb:{doc.title}:{doc.year}"),
            }
        )
    for part in ("tune", "report"):
        chosen = [r for r in rows if r["split"] == part]
        (out / f"retriever_blurbs_{part}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8"
        )
        print(f"{part}: {len(chosen)} queries", flush=True)
    with (out / "retriever_blurb_docs.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Genre", "Description", "Director", "Year"])
        for doc, _ in generated:
            writer.writerow([doc.title, ",".join(doc.genres), lead(doc.text), doc.director, doc.year])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--model", type=Path, help="the GGUF model that writes the blurbs")
    parser.add_argument("--reuse", action="store_true", help="take the blurbs of an earlier run from --out")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("datasets"))
    args = parser.parse_args()
    if not (args.model or args.reuse):
        parser.error("give --model (to write blurbs) or --reuse (earlier output files)")
    raw = args.out / "retriever_blurbs_raw.jsonl"
    if args.reuse:
        generated = reuse(raw, args.data)
    else:
        generated = generate(args.model, candidates(args.data, args.count), raw)
    write(args.out, real_pairs(args.data), generated)


if __name__ == "__main__":
    main()
