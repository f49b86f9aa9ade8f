"""The tagger with real components: SmolLM2-135M through llama.cpp, MiniLM, and an embedded Chroma plot store."""

import csv

import pytest

from theoros_agents.agents.tagger import build_tagger
from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.cli import main
from theoros_agents.context import Context, resolve_context
from theoros_agents.knowledge.stores import plot_store

pytestmark = pytest.mark.integration
SYNOPSES = [
    "A crew of professional thieves plans to rob three Las Vegas casinos on the night of a boxing match.",
    "A masked killer stalks the teenage counsellors of a summer camp and murders them one by one.",
    "Two strangers meet on a train to Vienna and spend one night walking the city, falling in love.",
]


@pytest.mark.parametrize("strategy", ["slm", "slm_pick"])
async def test_the_embedded_model_tags_inside_the_label_set(strategy, tmp_path):
    graph = build_tagger().compile(name="tagger")
    labels = set(load_labels("imdb").names)
    for text in SYNOPSES:
        context = Context(home=str(tmp_path), tagger_strategy=strategy, tagger_labels="imdb")
        result = await graph.ainvoke({"question": text}, context=context)
        assert result["tags"] and {t["label"] for t in result["tags"]} <= labels
        model_records = [r for r in result["records"] if r["model"] == "llamacpp:smollm2-135m"]
        assert model_records and all(r["prompt_tokens"] > 0 for r in model_records)


def test_ingest_tag_writes_tags_from_the_text_never_from_stored_genres(tmp_path, capsys):
    films = tmp_path / "imdb.csv"
    with films.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Genre", "Description", "Director", "Year"])
        # The stored genre is deliberately wrong: tags must come from the description alone.
        writer.writerow(["Camp Blood", "Western", SYNOPSES[1], "Nobody", "2001"])
        writer.writerow(["Casino Job", "Musical", SYNOPSES[0], "Nobody", "2002"])
    code = main(["ingest", "--imdb", str(films), "--tag", "--home", str(tmp_path),
                 "--set", "tagger_strategy=embedding", "--set", "tagger_labels=builtin"])  # fmt: skip
    assert code == 0 and "tagged" in capsys.readouterr().out
    store = plot_store(resolve_context({"home": str(tmp_path)}))
    by_title = {m["title"]: m for m in store.lexical.metadatas if m.get("source") == "imdb"}
    assert "horror" in by_title["Camp Blood"]["tags"] and "western" not in by_title["Camp Blood"]["tags"]
    assert by_title["Camp Blood"]["genres"] == ["western"]
    hits = store.search("a killer at a summer camp", k=3, where={"tags": {"$contains": "slasher film"}})
    assert hits and all("slasher film" in h.metadata["tags"] for h in hits)
