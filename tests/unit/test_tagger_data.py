"""The tagger's training data: CSV datasets such as IMDB's, gzipped JSONL, and the extra data shipped for IMDB."""

import csv
import gzip
import json

import pytest

from theoros_agents.agents.tagger import extra
from theoros_agents.agents.tagger.dataset import load_examples
from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.cli import main
from theoros_agents.errors import ConfigError

IMDB_HEADER = ["Rank", "Title", "Genre", "Description", "Director", "Year"]
FILMS = [
    ["1", "Noon Train", "Western,Drama", "A sheriff waits alone for the outlaw gang on the noon train.", "A", "2001"],
    ["2", "Camp Blood", "Horror", "A masked killer stalks the counsellors of a summer camp.", "B", "2002"],
    ["3", "Empty", "Comedy", "", "C", "2003"],
    ["4", "Night Train", "Romance, Drama", "Two strangers fall in love on a night train across Europe.", "D", "2004"],
]


def _imdb_csv(path, rows=FILMS, header=IMDB_HEADER):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_an_imdb_csv_is_read_by_its_description_and_genre_columns(tmp_path):
    examples = load_examples(_imdb_csv(tmp_path / "imdb.csv"))
    assert [sorted(e.labels) for e in examples] == [["Drama", "Western"], ["Horror"], ["Drama", "Romance"]]
    assert examples[0].text.startswith("A sheriff") and all(e.known is None for e in examples)
    assert load_labels(str(tmp_path / "imdb.csv")).names == ["Drama", "Western", "Horror", "Romance"]


def test_a_csv_without_a_text_or_labels_column_is_a_clear_error(tmp_path):
    path = _imdb_csv(tmp_path / "films.csv", [["x", "Drama"]], ["Title", "Genre"])
    with pytest.raises(ConfigError, match="no text column.*description"):
        load_examples(path)
    path = _imdb_csv(tmp_path / "plots.csv", [["x", "A plot."]], ["Title", "Plot"])
    with pytest.raises(ConfigError, match="no labels column"):
        load_examples(path)


def test_gzipped_jsonl_is_read_like_jsonl(tmp_path):
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "A duel at dawn.", "labels": ["Western"], "known": ["Western"]}\n'))
    (example,) = load_examples(path)
    assert example.labels == {"Western"} and example.known == {"Western"}
    (tmp_path / "bad.jsonl.gz").write_bytes(b"not gzip")
    with pytest.raises(ConfigError, match="cannot read dataset"):
        load_examples(tmp_path / "bad.jsonl.gz")


def test_shipped_extra_data_is_used_only_for_the_label_set_it_was_built_for():
    assert extra.matching_extra("imdb") == "imdb"
    assert extra.matching_extra(None) is None and extra.matching_extra("builtin:genres") is None


def test_the_shipped_imdb_extra_data_has_imdb_labels_and_no_imdb_film_text(data_dir):
    examples = extra.load_extra("imdb")
    imdb = set(load_labels("imdb").names)
    assert len(examples) > 5000 and all(e.labels <= imdb and (e.known is None or e.known <= imdb) for e in examples)
    assert {"Western", "War", "Musical"} <= {name for e in examples for name in e.labels}
    films = load_examples(data_dir / "imdb_movies.csv")
    texts = {" ".join(e.text.lower().split()) for e in examples}
    assert not texts & {" ".join(f.text.lower().split()) for f in films}


@pytest.fixture
def tiny_extra(tmp_path, monkeypatch):
    """Stand in a three-item file for the shipped IMDB extra data, so training stays fast."""
    folder = tmp_path / "extra"
    folder.mkdir()
    items = [
        {"text": "Cowboys drive cattle across the plains to a railroad town.", "labels": ["Western"]},
        {"text": "A vampire preys on the villagers below his castle each night.", "labels": ["Horror"]},
        {"text": "A widower finds love again with a piano teacher.", "labels": ["Romance"], "known": ["Romance"]},
    ]
    lines = "".join(json.dumps(i) + "\n" for i in items)
    (folder / "imdb.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    monkeypatch.setattr(extra, "EXTRA", folder)
    return folder


@pytest.mark.parametrize("flags", [[], ["--no-extra"]])
def test_training_on_the_imdb_labels_adds_the_shipped_extra_data_unless_told_not_to(
    flags, tiny_extra, tmp_path, capsys
):
    rows = [[str(i), *film[1:]] for i, film in enumerate(FILMS * 3) if film[3]]
    dataset = str(_imdb_csv(tmp_path / "imdb.csv", rows))
    home = tmp_path / "home"
    assert main(["train", "tagger", "--dataset", dataset, "--labels", "imdb", "--home", str(home), *flags]) == 0
    out = capsys.readouterr().out
    added = "adding 3 training synopses shipped for the label set 'imdb'" in out
    assert added == (not flags) and f"9 dataset + {0 if flags else 3} extra items" in out


def test_eval_tagger_reads_a_csv_dataset_too(tmp_path, capsys):
    dataset = str(_imdb_csv(tmp_path / "imdb.csv"))
    args = ["eval", "tagger", "--dataset", dataset, "--strategies", "embedding", "--home", str(tmp_path), "--json"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["labels"] == dataset and report["results"]["embedding"]["items"] == 3
