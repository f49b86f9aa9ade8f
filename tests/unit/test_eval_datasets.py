"""The built-in dev sets answer on the starter catalog, and `theoros eval` runs on them without --dataset."""

import json

import pytest
from fakes import scripted

from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.cli import main
from theoros_agents.context import resolve_context
from theoros_agents.evaluation.tasks import DATA, tasks
from theoros_agents.knowledge.catalog import SYNOPSES
from theoros_agents.knowledge.stores import graph_store

KINDS = {"fact", "multihop", "plot", "search", "compound", "tagging", "chit_chat", "out_of_scope"}
INTENTS = {"fact", "plot", "search", "tagging", "chit_chat", "out_of_scope"}


def _rows(name):
    return [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_every_evaluation_has_a_built_in_set_of_a_few_dozen_items():
    for name, task in tasks().items():
        items = task.load(task.builtin())
        assert 40 <= len(items) <= 60, name
        assert len({item["id"] for item in items}) == len(items), name


def test_query_writer_gold_is_what_the_starter_graph_returns(home):
    store = graph_store(resolve_context({"home": str(home)}, environ={}))
    for row in _rows("query_writer"):
        values = {next(iter(r.values())) for r in store.select(row["sparql"], validate=False, max_rows=0) if r}
        assert values == set(row["gold"]), row["id"]


def test_retriever_tagger_judge_and_end_to_end_sets_fit_the_catalog():
    titles = {f"{d['title']} ({d['year']})" for d in map(json.loads, SYNOPSES.read_text().splitlines())}
    assert all(set(r["relevant_titles"]) <= titles for r in _rows("retriever"))
    genres = set(load_labels("builtin:genres").names)
    dev, train = _rows("tagger"), _rows("tagger_train")
    assert all(r["labels"] and set(r["labels"]) <= genres for r in dev + train)
    assert not {r["text"] for r in dev} & {r["text"] for r in train}
    assert all(1 <= r["score"] <= 5 for r in _rows("judge"))
    end_to_end = _rows("end_to_end")
    assert {r["kind"] for r in end_to_end} == KINDS and all(set(r["intents"]) <= INTENTS for r in end_to_end)
    assert {r["kind"] for r in end_to_end[:8]} == KINDS  # interleaved: any --limit takes a mix


def test_eval_without_a_dataset_uses_the_built_in_set(home, tmp_path, capsys):
    argv = ["eval", "query_writer", "--strategies", "rules", "--limit", "12", "--home", str(home), "--json"]
    assert main([*argv, "--out", str(tmp_path)]) == 0
    report = json.loads(capsys.readouterr().out)
    rules = report["results"]["rules"]
    assert report["dataset"]["builtin"] and rules["items"] == 12 and rules["execution_accuracy"] >= 0.5
    assert rules["ci"]["execution_accuracy"][0] <= rules["execution_accuracy"] <= rules["ci"]["execution_accuracy"][1]


@pytest.mark.parametrize("strategies", ["--strategies=sql", "--strategies=rules,magic"])
def test_an_unknown_strategy_is_one_error_line(home, tmp_path, capsys, strategies):
    assert main(["eval", "query_writer", strategies, "--home", str(home), "--out", str(tmp_path)]) == 2
    assert "unknown strategy" in capsys.readouterr().err


def test_end_to_end_scores_routing_everywhere_and_answers_where_there_is_gold(own_home, tmp_path, capsys):
    model, _ = scripted("{}")
    argv = ["eval", "end_to_end", "--models", model, "--limit", "8", "--home", str(own_home), "--out", str(tmp_path)]
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    no_model = report["results"]["no model (rules, similarity, classifier routing)"]
    assert no_model["items"] == 8 and no_model["routing_accuracy"] >= 0.75
    assert set(no_model["success_by_kind"]) == KINDS and no_model["tokens_per_item"] == 0
    scripted_row = report["results"][model]
    assert scripted_row["items"] == 8 and report["primary"] == "success"
