"""A film's record beside its synopsis: reading it, and the tagger's record model learning from it."""

import json

import numpy as np
import pytest

from theoros_agents.agents.tagger import build_tagger
from theoros_agents.agents.tagger.classifier import WITH_RECORD, load
from theoros_agents.agents.tagger.dataset import Example, load_examples
from theoros_agents.agents.tagger.record import Record, from_fields, split_record, with_record
from theoros_agents.agents.tagger.record_model import RecordModel
from theoros_agents.cli import main
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError

IMDB_ROW = {
    "Rank": "7",
    "Title": "La La Land",
    "Genre": "Comedy,Drama,Music",
    "Description": "A jazz pianist falls for an aspiring actress in Los Angeles.",
    "Director": "Damien Chazelle",
    "Actors": "Ryan Gosling, Emma Stone,Rosemarie DeWitt, J.K. Simmons",
    "Year": "2016",
    "Runtime (Minutes)": "128",
    "Rating": "8.3",
    "Votes": "258682",
    "Revenue (Millions)": "0",
    "Metascore": "",
}


def test_a_row_gives_names_and_numbers_and_an_unknown_revenue_stays_unknown():
    record = from_fields(IMDB_ROW)
    assert record.director == ("Damien Chazelle",)
    assert record.cast == ("Ryan Gosling", "Emma Stone", "Rosemarie DeWitt", "J.K. Simmons")
    assert (record.year, record.runtime, record.rating, record.votes) == (2016, 128, 8.3, 258682)
    assert record.revenue is None and record.metascore is None  # IMDB writes 0 for unknown; blank is unknown
    assert from_fields({"Title": "x", "Genre": "Drama"}) is None


def test_record_lines_after_a_synopsis_are_read_back_and_the_synopsis_kept_whole():
    record = from_fields(IMDB_ROW)
    text = with_record(IMDB_ROW["Description"], record)
    cast = "Cast: Ryan Gosling, Emma Stone, Rosemarie DeWitt, J.K. Simmons"
    assert text.splitlines()[1:3] == ["Director: Damien Chazelle", cast]
    assert split_record(text) == (IMDB_ROW["Description"], record)
    typed = "A heist goes wrong.\nStarring: Al Pacino, Robert De Niro\nRuntime: 170 min\nVotes: 1,234,567"
    synopsis, read = split_record(typed)
    assert synopsis == "A heist goes wrong." and read.cast == ("Al Pacino", "Robert De Niro")
    assert read.runtime == 170 and read.votes == 1234567 and "Votes: 1234567" in read.lines()


@pytest.mark.parametrize(
    "text",
    [
        "Note: the plot follows a detective.",  # one line alone is the synopsis, whatever it looks like
        "A detective returns home.\nMood: bleak",  # not a record field
        "A detective returns home.\nDirector: Jane Roe\nShe finds her sister missing.",  # fields must end the text
    ],
)
def test_text_that_is_not_a_record_is_left_alone(text):
    assert split_record(text) == (text, None)


def test_a_dataset_item_may_carry_a_record_and_a_bad_one_is_reported(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"text": "t", "labels": ["A"], "record": {"director": ["X"], "runtime": 90}}) + "\n")
    (example,) = load_examples(path)
    assert example.record == Record(director=("X",), runtime=90.0)
    path.write_text(json.dumps({"text": "t", "labels": ["A"], "record": "Jane Roe"}) + "\n")
    with pytest.raises(ConfigError, match="x.jsonl:1.*'record' must be an object"):
        load_examples(path)


def _films(count: int, seed: int = 0) -> list[Example]:
    """Westerns by one director, long and old; horror films short and recent; the text says nothing."""
    rng = np.random.default_rng(seed)
    films = []
    for i in range(count):
        western = i % 2 == 0
        record = Record(
            director=("John Ford",) if western else (f"Newcomer {i}",),
            cast=("John Wayne",) if western and i % 4 == 0 else (),
            year=float(rng.integers(1940, 1960) if western else rng.integers(2000, 2020)),
            runtime=float(rng.normal(130 if western else 88, 6)),
            revenue=None if i % 3 == 0 else float(rng.uniform(1, 50)),
        )
        films.append(Example(f"film {i}", frozenset({"Western" if western else "Horror"}), record=record))
    return films


def test_the_record_model_learns_from_names_and_numbers():
    model = RecordModel.fit(_films(40), ["Western", "Horror"])
    assert "director:john ford" in model.names and not any(n.startswith("director:newcomer") for n in model.names)
    scores = model.predict(
        [Record(director=("John Ford",)), Record(year=2015, runtime=85), Record(runtime=135, year=1950), Record()]
    )
    assert scores[0, 0] > 0.5 > scores[0, 1]  # his name alone
    assert scores[1, 1] > 0.5 > scores[1, 0] and scores[2, 0] > 0.5  # the numbers alone
    assert np.all((scores[3] > 0.05) & (scores[3] < 0.95))  # nothing known: no strong opinion
    with pytest.raises(ValueError, match="every example must have a record"):
        RecordModel.fit([Example("t", frozenset({"Western"}))], ["Western"])


@pytest.fixture(scope="module")
def trained_with_records(tmp_path_factory):
    """Train on films whose texts are alike and whose records tell the genres apart."""
    folder = tmp_path_factory.mktemp("records")
    films = _films(60)
    items = [{"text": "A story about people and what happens to them.", "labels": sorted(f.labels),
              "record": f.record.as_dict()} for f in films]  # fmt: skip
    dataset = folder / "films.jsonl"
    dataset.write_text("".join(json.dumps(item) + "\n" for item in items))
    home = folder / "home"
    assert main(["train", "tagger", "--dataset", str(dataset), "--no-extra", "--name", "rec", "--home", str(home)]) == 0
    return home, dataset


async def test_the_ensemble_reads_the_record_that_follows_a_synopsis(trained_with_records):
    home, dataset = trained_with_records
    context = Context(home=str(home), tagger_strategy="ensemble", tagger_labels=str(dataset), tagger_classifier="rec")
    graph = build_tagger().compile(name="tagger")
    synopsis = "A story about people and what happens to them."
    western_record = "Director: John Ford\nYear: 1950\nRuntime: 128"
    western = await graph.ainvoke({"question": f"{synopsis}\n{western_record}"}, context=context)
    horror = await graph.ainvoke({"question": f"{synopsis}\nRuntime: 85 min\nYear: 2012"}, context=context)
    assert [t["label"] for t in western["tags"]] == ["Western"] and [t["label"] for t in horror["tags"]] == ["Horror"]
    # The same synopsis alone: the ensemble tags it by its text, as a film without a record.
    plain = await graph.ainvoke({"question": synopsis}, context=context)
    assert len(plain["tags"]) >= 1 and plain["tags"] != western["tags"]


def test_training_reports_the_records_and_the_eval_passes_them_on(trained_with_records, capsys):
    home, dataset = trained_with_records
    report = load(home / "tagger" / "rec.joblib").report
    assert report["record_items"] == 60 and report["cv_macro_f1"][WITH_RECORD] > report["cv_macro_f1"]["ensemble"]
    args = ["eval", "tagger", "--dataset", str(dataset), "--strategies", "ensemble,tfidf", "--home", str(home)]
    assert main([*args, "--set", "tagger_classifier=rec", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert results["ensemble"]["macro_f1"] > 0.9 > results["tfidf"]["macro_f1"]  # the texts are all the same
