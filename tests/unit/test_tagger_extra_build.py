"""The tagger's shipped extra data: its starter-synopsis items, built from the package's catalog, hold no film
that IMDB's file could hold out for evaluation, and the shipped file is what the build script makes."""

import gzip
import json

from tests.script_loader import load_script
from theoros_agents.agents.tagger.extra import EXTRA
from theoros_agents.agents.tagger.labels import load_labels


def _script():
    return load_script("build_tagger_extra")


def test_starter_items_keep_out_imdb_years_and_map_wikidata_genres():
    script = _script()
    items = script.starter()
    assert len(items) == 252
    assert all(int(item["key"][1]) not in script.IMDB_YEARS for item in items)
    assert {label for item in items for label in item["labels"]} <= set(load_labels("imdb").names)
    quiet = next(item for item in items if item["key"] == ("all quiet on the western front", "1930"))
    assert {"War", "Drama"} <= set(quiet["labels"])
    assert sum("Musical" in item["labels"] for item in items) >= 20  # the genre IMDB's own rows barely have


def test_the_shipped_file_holds_the_starter_items_the_script_builds():
    shipped = [json.loads(line) for line in gzip.open(EXTRA / "imdb.jsonl.gz", "rt", encoding="utf-8")]
    built = [{"text": i["text"], "labels": i["labels"]} for i in _script().starter()]
    assert [{"text": i["text"], "labels": i["labels"]} for i in shipped if i["source"] == "starter"] == built


def test_no_starter_item_is_a_film_of_the_imdb_file(data_dir):
    script = _script()
    imdb = script.read(data_dir / "imdb_movies.csv")
    items = script.starter()
    assert script.without_imdb(items, imdb) == items


def test_written_items_say_nothing_of_the_rare_genres_and_no_imdb_year():
    script = _script()
    names = load_labels("imdb").names
    items = script.written(names)
    assert len(items) == 563 and len({item["key"] for item in items}) == 563
    assert all(int(item["key"][1]) not in script.IMDB_YEARS for item in items)
    for item in items:
        assert not set(item["labels"]) & set(script.RARE) and set(item["labels"]) <= set(item["known"])
        assert set(item["known"]) == set(names) - set(script.RARE)
    shipped = [json.loads(line) for line in gzip.open(EXTRA / "imdb.jsonl.gz", "rt", encoding="utf-8")]
    written = [{k: i[k] for k in ("text", "labels", "known")} for i in shipped if i["source"] == "written"]
    assert written == [{k: i[k] for k in ("text", "labels", "known")} for i in items]


def test_no_written_item_is_a_film_of_the_imdb_file(data_dir):
    script = _script()
    items = script.written(load_labels("imdb").names)
    assert script.without_imdb(items, script.read(data_dir / "imdb_movies.csv")) == items
