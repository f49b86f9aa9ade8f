import json
from pathlib import Path

import numpy as np
import pytest

from tests.fakes import scripted
from theoros_agents.agents.tagger import build_tagger
from theoros_agents.agents.tagger.classifier import confidence
from theoros_agents.agents.tagger.dataset import Example, load_examples
from theoros_agents.agents.tagger.training import tune_thresholds
from theoros_agents.cli import main
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.tagger import label_scores

TINY = {
    "Western": [
        "A lone gunslinger rides into a dusty frontier town ruled by cattle barons.",
        "A sheriff must face an outlaw gang arriving on the noon train.",
        "Cowboys drive a herd of cattle across the plains to a railroad town in Kansas.",
        "A bounty hunter tracks a wanted outlaw through the desert of the Old West.",
        "A rancher and his sons defend their land against a band of horse thieves.",
        "A retired gunfighter straps on his revolver one last time to avenge his partner.",
        "Settlers in a wagon train cross the frontier and fight off raiders.",
        "A marshal escorts a captured bandit to the territorial prison by stagecoach.",
    ],
    "Horror": [
        "A masked killer stalks teenagers at a summer camp and murders them one by one.",
        "A family moves into a haunted house where a demon possesses their daughter.",
        "Zombies overrun a small town and survivors barricade themselves in a mall.",
        "A vampire preys on the villagers below his castle each night.",
        "A cursed videotape kills everyone who watches it within seven days.",
        "Students at a remote cabin awaken an evil spirit from an ancient book.",
        "A monster lurking in the sewers drags children into the dark.",
        "A nurse realises the ghost of a murdered patient haunts the hospital ward.",
    ],
    "Romance": [
        "Two strangers fall in love on a night train across Europe.",
        "A bookseller and a famous actress begin an unlikely love affair in London.",
        "Childhood sweethearts meet again years later and rekindle their romance.",
        "A wedding planner falls for the groom of the couple she works for.",
        "A soldier writes love letters to a woman he has never met.",
        "Two rival chefs fall in love while competing for the same restaurant.",
        "A widower finds love again with his daughter's piano teacher.",
        "Star-crossed lovers from feuding families marry in secret.",
    ],
}
CLASSIFIER_FILE = "tagger/tiny.joblib"


def _write(path, items):
    path.write_text("".join(json.dumps(i) + "\n" for i in items))
    return str(path)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Train the classifiers once on the tiny dataset, in a fresh home."""
    folder = tmp_path_factory.mktemp("tagger")
    items = [{"text": text, "labels": [label]} for label, texts in TINY.items() for text in texts]
    dataset = _write(folder / "tiny.jsonl", items)
    extra = _write(folder / "extra.jsonl", [{"text": "A gunfight at a saloon.", "labels": ["Western"], "known": []}])
    home = folder / "home"
    code = main(["train", "tagger", "--dataset", dataset, "--extra", extra, "--name", "tiny", "--home", str(home)])
    assert code == 0 and (home / CLASSIFIER_FILE).is_file()
    return home, dataset


def test_examples_can_say_which_labels_they_know_about(tmp_path):
    path = _write(tmp_path / "x.jsonl", [{"text": "t", "labels": ["A"], "known": ["A", "B"], "weight": 2}])
    (example,) = load_examples(tmp_path / "x.jsonl")
    assert example.knows("B") and not example.knows("C") and example.weight == 2 and path
    assert Example("t", frozenset()).knows("anything")


def test_a_bad_dataset_line_is_reported_with_its_number(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"text": "t", "labels": ["A"]}\n{"text": "t"}\n')
    with pytest.raises(ConfigError, match="bad.jsonl:2"):
        load_examples(tmp_path / "bad.jsonl")


def test_confidence_maps_the_threshold_to_one_half():
    assert confidence(0.3, 0.3) == 0.5 and confidence(0.0, 0.3) == 0.0 and confidence(1.0, 0.3) == 1.0
    assert 0.5 < confidence(0.6, 0.3) < 1.0 and confidence(1.4, 0.3) == 1.0


def test_label_scores_are_per_label_macro_and_micro():
    scores = label_scores([{"A"}, {"A", "B"}, {"C"}], [{"A"}, {"B"}, {"B"}])
    assert scores["per_label"]["A"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert scores["per_label"]["C"]["f1"] == 0.0 and scores["per_label"]["B"]["precision"] == 0.5
    assert scores["macro_f1"] == pytest.approx((0.6667 + 0.6667 + 0.0) / 3, abs=1e-3)
    assert scores["micro_f1"] == pytest.approx(2 * 2 / (3 + 4), abs=1e-4)


@pytest.mark.parametrize("strategy", ["tfidf", "minilm", "ensemble", "auto"])
async def test_trained_classifiers_tag_within_their_labels(trained, strategy):
    home, dataset = trained
    context = Context(home=str(home), tagger_strategy=strategy, tagger_labels=dataset, tagger_classifier="tiny")
    graph = build_tagger().compile(name="tagger")
    result = await graph.ainvoke({"question": "An outlaw and a sheriff shoot it out on the frontier."}, context=context)
    assert result["tags"][0]["label"] == "Western" and 0.5 <= result["tags"][0]["confidence"] <= 1
    assert {t["label"] for t in result["tags"]} <= set(TINY)


async def test_a_classifier_trained_on_other_labels_is_a_clear_error(trained, tmp_path):
    home, _ = trained
    (tmp_path / "arts.txt").write_text("Opera\nBallet\n")
    labels = str(tmp_path / "arts.txt")
    context = Context(home=str(home), tagger_strategy="ensemble", tagger_classifier="tiny", tagger_labels=labels)
    with pytest.raises(ConfigError, match="none of them in the label set"):
        await build_tagger().compile(name="tagger").ainvoke({"question": "A sheriff and an outlaw."}, context=context)


def test_eval_tagger_json_reports_f1_latency_and_tokens(trained, capsys):
    home, dataset = trained
    model_id, _ = scripted(json.dumps({"labels": ["Horror"]}))
    args = ["eval", "tagger", "--dataset", dataset, "--strategies", "ensemble,embedding,slm_pick", "--models",
            model_id, "--set", "tagger_classifier=tiny", "--home", str(home), "--json"]  # fmt: skip
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["results"]) == {"ensemble", "embedding", f"slm_pick / {model_id}"}
    ensemble = report["results"]["ensemble"]
    assert ensemble["macro_f1"] > 0.9 and set(ensemble["per_label"]) == set(TINY)
    slm = report["results"][f"slm_pick / {model_id}"]
    assert slm["per_label"]["Horror"]["recall"] == 1.0 and slm["per_label"]["Western"]["recall"] == 0.0
    assert slm["tokens_per_item"] > 0 and {"latency_p50_ms", "latency_p95_ms", "micro_f1"} <= set(slm)


def test_eval_tagger_with_one_system_puts_its_scores_at_the_top(trained, capsys):
    home, dataset = trained
    args = ["eval", "tagger", "--dataset", dataset, "--strategies", "embedding", "--home", str(home), "--json"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"macro_f1", "micro_f1", "per_label"} <= set(report) and report["labels"] == dataset


def test_a_classifier_trained_on_a_named_set_is_evaluated_on_all_of_it(trained, tmp_path, capsys):
    # A test file with no Western film must not take Western off the table: the classifier knows it.
    home, dataset = trained
    name = ["--name", "named", "--home", str(home)]
    assert main(["train", "tagger", "--dataset", dataset, "--labels", "imdb", "--no-extra", *name]) == 0
    no_western = [json.loads(line) for line in Path(dataset).read_text().splitlines()]
    test = _write(tmp_path / "test.jsonl", [item for item in no_western if item["labels"] != ["Western"]])
    capsys.readouterr()
    args = ["eval", "tagger", "--dataset", test, "--strategies", "ensemble", "--set", "tagger_classifier=named"]
    assert main([*args, "--home", str(home), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["labels"] == "imdb"
    # The tiny classifier names no set: its test file's labels are the set, as before.
    assert main([*args[:-1], "tagger_classifier=tiny", "--home", str(home), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["labels"] == test


def test_training_needs_enough_items(tmp_path, capsys):
    dataset = _write(tmp_path / "two.jsonl", [{"text": "x", "labels": ["A"]}, {"text": "y", "labels": ["B"]}])
    assert main(["train", "tagger", "--dataset", dataset, "--home", str(tmp_path)]) == 2
    assert "training needs at least 5" in capsys.readouterr().err


def test_rare_labels_share_one_threshold_fit_on_all_their_examples():
    rng = np.random.default_rng(0)
    gold = np.zeros((100, 4), dtype=bool)
    gold[:30, 0] = True  # common: tuned alone
    gold[[0, 50], 1] = gold[[1, 60], 2] = True  # rare: 2 examples each; label 3 has none
    scores = rng.uniform(0.0, 0.7, size=(100, 4))  # negatives stay under 0.7
    scores[gold] = 0.9
    thresholds = tune_thresholds(scores, gold)
    assert thresholds[1] == thresholds[2]
    assert 0.7 < thresholds[1] <= 0.9  # the default 0.5 would tag about 30 films with each rare label
    assert 0.7 < thresholds[0] <= 0.9
    assert thresholds[3] == 0.5
