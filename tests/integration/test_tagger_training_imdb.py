"""The user's path on real data: `theoros train tagger` on IMDB's CSV with `--labels imdb`, then `theoros eval tagger`.

Real MiniLM, the real extra data shipped for IMDB's genres, real IMDB films (a small slice, to stay quick).
"""

import csv
import json

import pytest

from theoros_agents.cli import main

pytestmark = pytest.mark.integration
TRAIN_FILMS, TEST_FILMS = 120, 80


def _write_csv(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _slices(data_dir, folder):
    """The first films as a training CSV; the next ones as a test CSV (with records) and as JSONL (text alone)."""
    with (data_dir / "imdb_movies.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    train = _write_csv(folder / "imdb_train.csv", header, rows[:TRAIN_FILMS])
    held = rows[TRAIN_FILMS : TRAIN_FILMS + TEST_FILMS]
    test = folder / "imdb_test.jsonl"
    items = [{"text": r["Description"], "labels": r["Genre"].split(",")} for r in held]
    test.write_text("".join(json.dumps(item) + "\n" for item in items))
    return train, test, _write_csv(folder / "imdb_test.csv", header, held)


def test_training_on_the_imdb_csv_uses_the_shipped_extra_data_and_beats_zero_shot(data_dir, tmp_path, capsys):
    train, test, test_csv = _slices(data_dir, tmp_path)
    home = str(tmp_path / "home")
    assert main(["train", "tagger", "--dataset", str(train), "--labels", "imdb", "--home", home]) == 0
    out = capsys.readouterr().out
    assert "training synopses shipped for the label set 'imdb'" in out and f"{TRAIN_FILMS} dataset + " in out
    assert f"{TRAIN_FILMS} with a film record" in out and "ensemble+record" in out
    args = ["eval", "tagger", "--dataset", str(test), "--strategies", "embedding,ensemble", "--home", home, "--json"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    # Trained on the named set, the eval tags from all of IMDB's genres, not only those of the 80 test films.
    results = report["results"]
    assert report["labels"] == "imdb"
    ensemble, embedding = results["ensemble"], results["embedding"]
    assert ensemble["macro_f1"] > embedding["macro_f1"] and ensemble["micro_f1"] > 0.45
    # The CSV carries each film's record (director, cast, numbers), and the ensemble reads it beside the text.
    args = ["eval", "tagger", "--dataset", str(test_csv), "--strategies", "ensemble", "--home", home, "--json"]
    assert main(args) == 0
    with_records = json.loads(capsys.readouterr().out)["results"]["ensemble"]
    assert with_records["macro_f1"] > embedding["macro_f1"] and with_records["micro_f1"] > 0.45
    assert with_records["per_label"] != ensemble["per_label"]
