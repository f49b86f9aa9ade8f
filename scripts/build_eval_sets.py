"""Build the small dev sets `theoros eval` uses when no --dataset is given.

Maintainer tool, not part of the product. Every gold answer is computed on the starter catalog that ships
in the package (`theoros_agents/knowledge/catalog/`), so the sets answer on a fresh install:
- query_writer: questions of `kg_questions_dev.jsonl` whose gold query still returns 1-50 values on the
  starter graph (gold recomputed there), and template questions about starter films, some worded without
  the keywords the rules strategy relies on;
- retriever: IMDB and Netflix descriptions whose film has a starter synopsis (`datasets/retriever_cross_dev.jsonl`);
- tagger: starter synopses with the main genres of the taxonomy their film's Wikidata genres (P136) map to;
  a dev split to score and the rest to train the classic classifiers on;
- judge: the UniEval (Topical-Chat) rated responses whose dialogue is about films;
- end_to_end: fact, multi-hop fact, plot, find-a-film, compound, tagging, chit-chat and out-of-scope requests,
  with the intents they need and names the answer must contain.
Items are interleaved by kind so that `--limit N` takes a mix.

Usage: python scripts/build_eval_sets.py ../shared/data
"""

import collections
import itertools
import json
import random
import re
import sys
from pathlib import Path

import pyoxigraph as ox

from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.knowledge.catalog import FACTS, SYNOPSES
from theoros_agents.knowledge.linker import normalize

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "theoros_agents" / "evaluation" / "data"
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SEED = 11
MAX_GOLD = 50
# Template questions: (relation, property, wordings). The second wording of each avoids the rules' cue words.
TEMPLATES = (
    ("director", "P57", ("Who directed {film}?", "Who was behind the camera on {film}?")),
    ("screenwriter", "P58", ("Who wrote the screenplay of {film}?", "Who penned {film}?")),
    ("producer", "P162", ("Who produced {film}?", "Which people financed and oversaw {film}?")),
    ("cast_member", "P161", ("Who starred in {film}?", "Name the performers of {film}.")),
    ("genre", "P136", ("What genre is {film}?", "How would you classify {film}?")),
    ("country", "P495", ("Which country is {film} from?", "Where does {film} come from?")),
)
PLOT_WORDINGS = ("What is {film} about?", "Tell me the plot of {film}.", "What happens in {film}?")
SEARCH_WORDINGS = ("Which film is this: {text}", "Find the movie where {text}", "What's the film in which {text}")
CHIT_CHAT = ("Hello!", "Thanks, that was helpful!", "Good morning")
OUT_OF_SCOPE = (
    "What is the capital of France?",
    "Write a Python function that reverses a list.",
    "How do I fix a flat bicycle tyre?",
)
COMMON = {"The", "When", "After", "Before", "While", "With", "His", "Her", "Their", "They", "This", "That", "In", "On"}


def load_graph() -> ox.Store:
    store = ox.Store()
    store.load(path=str(FACTS), format=ox.RdfFormat.N_TRIPLES)
    return store


def select(store: ox.Store, query: str) -> list[str]:
    """The distinct values of a query's first column (or 'true'/'false' for ASK)."""
    result = store.query(query)
    if isinstance(result, ox.QueryBoolean):
        return [str(bool(result)).lower()]
    values = []
    for solution in result:
        value = solution[0]
        if value is not None and value.value not in values:
            values.append(value.value)
    return sorted(values)


def labels_of(store: ox.Store, values: list[str]) -> list[str]:
    out = []
    for value in values:
        if value.startswith(WD):
            found = select(store, f"SELECT ?l WHERE {{ <{value}> <{LABEL}> ?l }}")
            out.append(found[0] if found else value)
        else:
            out.append(value)
    return out


def starter_films(store: ox.Store) -> dict[str, dict]:
    """Films (with a synopsis) whose label no other entity shares, so a question names exactly one."""
    synopses = {d["qid"]: d for d in map(json.loads, SYNOPSES.read_text(encoding="utf-8").splitlines())}
    counts = collections.Counter(
        normalize(s[2].value) for s in store.quads_for_pattern(None, ox.NamedNode(LABEL), None)
    )
    return {qid: doc for qid, doc in synopses.items() if counts[normalize(doc["title"])] == 1}


def interleave(*groups: list[dict]) -> list[dict]:
    return [item for round_ in itertools.zip_longest(*groups) for item in round_ if item is not None]


def query_writer_set(store: ox.Store, data: Path, films: dict[str, dict], rng: random.Random) -> list[dict]:
    real = []
    for line in (data / "kg_questions_dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = select(store, row["sparql"])
        if 0 < len(gold) <= MAX_GOLD:
            labels = labels_of(store, gold)
            real.append({"id": row["id"], "question": row["question"], "gold": gold, "gold_labels": labels,
                         "sparql": row["sparql"], "source": row["source"]})  # fmt: skip
    templated = []
    chosen = rng.sample(sorted(films), len(TEMPLATES) * 4)
    for number, qid in enumerate(chosen):
        relation, prop, wordings = TEMPLATES[number % len(TEMPLATES)]
        sparql = f"PREFIX wd: <{WD}> PREFIX wdt: <{WDT}> SELECT DISTINCT ?value WHERE {{ wd:{qid} wdt:{prop} ?value }}"
        gold = select(store, sparql)
        if not 0 < len(gold) <= MAX_GOLD:
            continue
        question = wordings[(number // len(TEMPLATES)) % 2].format(film=films[qid]["title"])
        templated.append({"id": f"tpl-{qid}-{relation}", "question": question, "gold": gold,
                          "gold_labels": labels_of(store, gold), "sparql": sparql, "source": "template"})  # fmt: skip
    return interleave(real, templated)


def retriever_set() -> list[dict]:
    rows = [json.loads(line) for line in (REPO / "datasets" / "retriever_cross_dev.jsonl").read_text().splitlines()]
    by_source: dict[str, list[dict]] = collections.defaultdict(list)
    seen = set()
    for number, row in enumerate(rows):
        if row["relevant_titles"][0] in seen:
            continue
        seen.add(row["relevant_titles"][0])
        source = "netflix" if row["where"]["source"]["$ne"] == "netflix" else "imdb"
        by_source[source].append(
            {
                "id": f"cross-{number:03d}",
                "query": row["query"],
                "relevant_titles": row["relevant_titles"],
                "source": source,
            }
        )
    return interleave(by_source["imdb"], by_source["netflix"])[:48]


def main_genres(store: ox.Store, qid: str) -> list[str]:
    """The taxonomy's main genres a film's Wikidata genres map to."""
    taxonomy = load_labels("builtin")
    by_qid = {label.wikidata: label for label in taxonomy if label.wikidata}
    genres = []
    for value in select(store, f"SELECT ?g WHERE {{ <{WD}{qid}> <{WDT}P136> ?g }}"):
        label = by_qid.get(value.removeprefix(WD))
        if label is not None:
            main = label.parent or label.name
            if main not in genres:
                genres.append(main)
    return genres


def tagger_sets(store: ox.Store, rng: random.Random) -> tuple[list[dict], list[dict]]:
    docs = [json.loads(line) for line in SYNOPSES.read_text(encoding="utf-8").splitlines()]
    labelled = [(d, main_genres(store, d["qid"])) for d in docs]
    labelled = [(d, g) for d, g in labelled if g]
    rng.shuffle(labelled)
    dev = [{"id": d["qid"], "title": d["title"], "text": d["synopsis"], "labels": g} for d, g in labelled[:40]]
    train = [{"text": d["synopsis"], "labels": g} for d, g in labelled[40:]]
    return dev, train


def judge_set(data: Path) -> list[dict]:
    rows = [json.loads(line) for line in (data / "judge_unieval_dev.jsonl").read_text(encoding="utf-8").splitlines()]
    dialogues: dict[str, list[dict]] = collections.defaultdict(list)
    for number, row in enumerate(rows):
        if any(word in (row["context"] + row["fact"]).lower() for word in ("movie", "film")):
            item = {"id": f"unieval-{number:03d}", "context": row["context"], "fact": row["fact"],
                    "response": row["response"], "score": row["overall"], "system_id": row["system_id"]}  # fmt: skip
            dialogues[row["context"]].append(item)
    return interleave(*dialogues.values())


def keyword(doc: dict) -> str:
    """A name the synopsis repeats (a character or place), which an answer quoting it will contain."""
    title_words = set(normalize(doc["title"]).split())
    words = re.findall(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{3,})\b", doc["synopsis"])
    counts = collections.Counter(w for w in words if w not in COMMON and normalize(w) not in title_words)
    return counts.most_common(1)[0][0] if counts else ""


def fact_items(qw: list[dict], count: int) -> list[dict]:
    items = []
    for row in qw:
        if row["gold"][0].startswith(WD) and len(items) < count:
            items.append({"id": f"fact-{row['id']}", "kind": "fact", "question": row["question"], "intents": ["fact"],
                          "must_include": [row["gold_labels"]]})  # fmt: skip
    return items


def multihop_items(store: ox.Store, data: Path, count: int) -> list[dict]:
    items = []
    for line in (data / "kg_multihop_dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = select(store, row["sparql"])
        if 0 < len(gold) <= 10 and len(items) < count:
            items.append({"id": f"multihop-{row['id']}", "kind": "multihop", "question": row["question"],
                          "intents": ["fact"], "must_include": [labels_of(store, gold)]})  # fmt: skip
    return items


def end_to_end_set(store: ox.Store, data: Path, qw: list[dict], films: dict[str, dict], rng: random.Random) -> list:
    docs = [films[q] for q in rng.sample(sorted(films), 40)]
    docs = [d for d in docs if keyword(d)]
    plot = [{"id": f"plot-{d['qid']}", "kind": "plot", "question": PLOT_WORDINGS[i % 3].format(film=d["title"]),
             "intents": ["plot"], "must_include": [[keyword(d)]]} for i, d in enumerate(docs[:6])]  # fmt: skip
    compound = []
    for d in docs[6:]:
        directors = labels_of(store, select(store, f"SELECT ?d WHERE {{ <{WD}{d['qid']}> <{WDT}P57> ?d }}"))
        if directors and len(compound) < 5:
            compound.append({"id": f"compound-{d['qid']}", "kind": "compound",
                             "question": f"Who directed {d['title']} and what is it about?",
                             "intents": ["fact", "plot"], "must_include": [directors, [keyword(d)]]})  # fmt: skip
    search = []
    for i, row in enumerate(retriever_set()[-6:]):
        text = row["query"].rstrip(".")
        title = row["relevant_titles"][0].rsplit(" (", 1)[0]
        question = SEARCH_WORDINGS[i % 3].format(text=text)
        search.append({"id": f"search-{row['id']}", "kind": "search", "question": question, "intents": ["search"],
                       "must_include": [[title]]})  # fmt: skip
    tagging = []
    for d in docs[20:]:
        genres = main_genres(store, d["qid"])
        if genres and len(tagging) < 4:
            question = f"Tag this synopsis: {d['synopsis']}"
            tagging.append({"id": f"tagging-{d['qid']}", "kind": "tagging", "question": question,
                            "intents": ["tagging"], "must_include": [genres]})  # fmt: skip
    chat = [{"id": f"chit-chat-{i}", "kind": "chit_chat", "question": q, "intents": ["chit_chat"], "must_include": []}
            for i, q in enumerate(CHIT_CHAT)]  # fmt: skip
    other = [{"id": f"out-of-scope-{i}", "kind": "out_of_scope", "question": q, "intents": ["out_of_scope"],
              "must_include": []} for i, q in enumerate(OUT_OF_SCOPE)]  # fmt: skip
    facts = fact_items(qw[::-1], 8)
    return interleave(facts, plot, search, multihop_items(store, data, 5), compound, tagging, chat, other)


def write(name: str, rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows):4d} items -> {path.relative_to(REPO)}")


def main(data: Path) -> None:
    store = load_graph()
    films = starter_films(store)
    qw = query_writer_set(store, data, films, random.Random(SEED))
    write("query_writer", qw)
    write("retriever", retriever_set())
    dev, train = tagger_sets(store, random.Random(SEED))
    write("tagger", dev)
    write("tagger_train", train)
    write("judge", judge_set(data))
    write("end_to_end", end_to_end_set(store, data, qw, films, random.Random(SEED + 1)))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
