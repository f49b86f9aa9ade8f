"""Build the router's shipped training examples and a disjoint test set.

Maintainer tool: the product trains its router from the shipped JSONL only.

Usage: python scripts/build_router_examples.py ../shared/data .theoros-eval/router_test.jsonl
"""

import csv
import json
import random
import sys
from pathlib import Path

import yaml

PACKAGE = Path(__file__).resolve().parent.parent / "theoros_agents"
SEED = PACKAGE / "supervisor" / "data" / "router_seed.yaml"
OUT = PACKAGE / "supervisor" / "data" / "router_examples.jsonl"
# Training requests wrapped around the starter synopses (test templates below are worded differently).
TRAIN_TEMPLATES = {
    "search": [
        "Find the film where {}",
        "What movie is this? {}",
        "I'm trying to remember a film: {}",
        "Name the movie: {}",
        "{} Which film is that?",
        "a movie where {}",
    ],
    "tagging": [
        "Tag this synopsis: {}",
        "What genres fit this plot: {}",
        "Classify the genre: {}",
        "Which genres describe this film? {}",
    ],
}
TEST_TEMPLATES = {
    "plot": [
        "Can you tell me what {} is about?",
        "plot summary for {} please",
        "What's the storyline of the movie {}?",
        "I'd like to know what happens in {}",
    ],
    "search": [
        "Which movie is this: {}",
        "Looking for a film: {}",
        "{} What is this movie called?",
        "Find me the movie: {}",
    ],
}
CHIT_CHAT_TEST = [
    "hiya",
    "hello again",
    "thanks a lot",
    "good evening!",
    "cheers, that helps",
    "hey there",
    "what are you?",
    "can you help me?",
    "goodbye",
    "thank you!",
    "howdy",
    "morning!",
    "great, thanks",
    "who made you?",
    "what kinds of questions can I ask?",
    "ok thanks bye",
]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main(data: Path, test_out: Path) -> None:
    # The seed templates draw their titles apart, so that a new seed leaves every other sample, and the test set, as
    # it was: the router with and without it is then scored on the same test.
    fill_rng, rng = random.Random(13), random.Random(17)
    synopses = [json.loads(line) for line in (PACKAGE / "knowledge/catalog/synopses.jsonl").open()]
    titles = [s["title"] for s in synopses]
    train: list[dict] = []
    for intent, examples in yaml.safe_load(SEED.read_text()).items():
        for text in examples:
            fills = fill_rng.sample(titles, 12) if "{title}" in text else [""]
            train += [{"text": text.replace("{title}", t), "intent": intent} for t in fills]
    for template in TRAIN_TEMPLATES["search"]:
        for doc in rng.sample(synopses, 40):
            first = doc["synopsis"].split(". ")[0].rstrip(".")
            train.append({"text": template.format(first[0].lower() + first[1:]), "intent": "search"})
    for template in TRAIN_TEMPLATES["tagging"]:
        train += [{"text": template.format(d["synopsis"]), "intent": "tagging"} for d in rng.sample(synopses, 30)]
    facts = [q["question"] for q in _jsonl(data / "film_questions_unanswerable_locally.jsonl")]
    rng.shuffle(facts)
    train += [{"text": q, "intent": "fact"} for q in facts[:1000]]
    general = [p["input"][:400] for p in _jsonl(data / "judge_llmbar_dev.jsonl")]
    rng.shuffle(general)
    train += [{"text": t, "intent": "out_of_scope"} for t in general[:128]]
    OUT.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in train) + "\n", encoding="utf-8")

    imdb, netflix = _csv(data / "imdb_movies.csv"), _csv(data / "netflix_movies.csv")
    plots = _csv(data / "wiki_movie_plots_sample.csv")
    test = [{"text": q, "intent": "fact"} for q in facts[1000:1400]]
    test += [{"text": q["question"], "intent": "fact"} for q in _jsonl(data / "kg_questions_dev.jsonl")]
    test += [{"text": t, "intent": "out_of_scope"} for t in general[128:]]
    for template in TEST_TEMPLATES["plot"]:
        test += [{"text": template.format(r["Title"]), "intent": "plot"} for r in rng.sample(imdb, 30)]
    for template in TEST_TEMPLATES["search"]:
        test += [{"text": template.format(r["description"]), "intent": "search"} for r in rng.sample(netflix, 30)]
    test += [
        {"text": r["Plot"][:3000], "intent": "tagging"} for r in rng.sample(plots, 60) if len(r["Plot"].split()) > 80
    ]
    test += [
        {"text": f"What genres does this synopsis have? {r['Description']}", "intent": "tagging"}
        for r in rng.sample(imdb, 60)
    ]
    test += [{"text": t, "intent": "chit_chat"} for t in CHIT_CHAT_TEST]
    test_out.parent.mkdir(parents=True, exist_ok=True)
    test_out.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in test) + "\n", encoding="utf-8")
    print(f"{len(train)} training examples -> {OUT}; {len(test)} test examples -> {test_out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
