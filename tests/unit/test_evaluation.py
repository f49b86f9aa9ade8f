import json

import pytest

from theoros_agents.cli import main
from theoros_agents.evaluation.metrics import percentile, set_f1


def test_set_f1_and_percentiles():
    assert set_f1({"a"}, {"a"}) == 1.0 and set_f1(set(), set()) == 1.0
    assert set_f1({"a", "b"}, {"a"}) == pytest.approx(2 / 3)
    assert set_f1({"x"}, {"a"}) == 0.0
    assert percentile([5.0], 95) == 5.0 and percentile([], 50) == 0.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == pytest.approx(2.5)


def test_eval_query_writer_json(tmp_path, home, capsys):
    dataset = tmp_path / "qs.jsonl"
    items = [
        {"question": "Who directed Jaws?", "gold": ["http://www.wikidata.org/entity/Q8877"]},
        {"question": "Who directed Alien?", "gold": ["http://www.wikidata.org/entity/Q1"]},
    ]
    dataset.write_text("\n".join(json.dumps(i) for i in items))
    code = main(
        ["eval", "query_writer", "--dataset", str(dataset), "--strategies", "rules", "--json", "--home", str(home)]
    )
    result = json.loads(capsys.readouterr().out)["results"]["rules"]
    assert code == 0 and result["execution_accuracy"] == 0.5 and result["valid_sparql_rate"] == 1.0
    assert {"set_f1", "latency_p50_ms", "latency_p95_ms", "tokens_per_item", "cost_per_1k_usd"} <= set(result)


def test_a_corrupt_dataset_line_is_reported_with_its_number(tmp_path, home, capsys):
    dataset = tmp_path / "bad.jsonl"
    dataset.write_text('{"question": "Who directed Jaws?", "gold": []}\n{not json\n')
    code = main(["eval", "query_writer", "--dataset", str(dataset), "--home", str(home)])
    assert code == 2 and "bad.jsonl:2" in capsys.readouterr().err


def test_eval_all_gives_each_task_its_own_strategies():
    from theoros_agents.errors import ConfigError
    from theoros_agents.evaluation.runner import _check_strategies, _for_task
    from theoros_agents.evaluation.tasks import Request, get_task, tasks

    every = [get_task(name) for name in tasks()]
    request = Request(strategies=["rules", "bm25", "tfidf"])
    split = {task.name: _for_task(request, task, True).strategies for task in every}
    assert split["query_writer"] == ["rules"] and split["retriever"] == ["bm25"] and split["tagger"] == ["tfidf"]
    assert split["judge"] == [] and split["end_to_end"] == []
    with pytest.raises(ConfigError, match="unknown strategy 'bogus'"):
        _check_strategies(["rules", "bogus"], every)
