import json
import math

import pytest

from tests.fakes import scripted
from theoros_agents.cli import main
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation import agreement
from theoros_agents.evaluation.judge import load_dataset, score_metrics


def test_quadratic_weighted_kappa_on_hand_computed_examples():
    assert agreement.quadratic_weighted_kappa([1, 2, 3], [1, 2, 3]) == 1.0
    # Perfectly reversed: disagreement 40/16 against 100/16/5 expected by chance.
    assert agreement.quadratic_weighted_kappa([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]) == pytest.approx(-1.0)
    # One (3, 2) miss weighs 1/16; chance expects 20/64, so kappa = 1 - 4/20.
    assert agreement.quadratic_weighted_kappa([1, 2, 3, 3], [1, 2, 2, 3]) == pytest.approx(0.8)
    # A constant rater agrees only by chance.
    assert agreement.quadratic_weighted_kappa([3, 3, 3], [1, 3, 5]) == pytest.approx(0.0)
    assert agreement.quadratic_weighted_kappa([3, 3], [3, 3]) is None
    with pytest.raises(ValueError, match=r"\[0\]"):
        agreement.quadratic_weighted_kappa([0], [1])


def test_spearman_on_hand_computed_examples():
    # d = (0, 1, 1, 0): 1 - 6 * 2 / (4 * 15)
    assert agreement.spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    # Tied ranks (1.5, 1.5, 3) against (1, 2, 3): 1.5 / sqrt(1.5 * 2)
    assert agreement.spearman([1, 1, 2], [1, 2, 3]) == pytest.approx(math.sqrt(3) / 2)
    assert agreement.spearman([5, 4, 1], [1.0, 2.5, 4.7]) == pytest.approx(-1.0)
    assert agreement.spearman([2, 2, 2], [1, 2, 3]) is None and agreement.spearman([1], [1]) is None
    assert agreement.average_ranks([10, 30, 10, 20]) == [1.5, 4.0, 1.5, 3.0]


def test_exact_within_one_and_pairwise_accuracy():
    assert agreement.exact_agreement([1, 3, 5], [2, 3, 5]) == pytest.approx(2 / 3)
    assert agreement.within_one([1, 3, 5], [2, 5, 5]) == pytest.approx(2 / 3)
    assert agreement.exact_agreement([], []) is None
    assert agreement.pairwise_accuracy([1, 2, None, 1], [1, 1, 2, 1]) == pytest.approx(2.5 / 4)
    with pytest.raises(ValueError, match="length mismatch"):
        agreement.within_one([1], [1, 2])


def test_human_averages_round_half_up_for_exact_and_kappa_but_stay_raw_for_spearman():
    assert [agreement.round_half_up(x) for x in (2.5, 1.6666666667, 4.3333333333, 1.0)] == [3, 2, 4, 1]
    with pytest.raises(ValueError, match="nan"):
        agreement.round_half_up(float("nan"))
    metrics = score_metrics([2, 3, None, 4], [1.6666666667, 3.3333333333, 5.0, 4.6666666667])
    assert metrics["scored"] == 3 and metrics["items"] == 4
    assert metrics["exact_agreement"] == pytest.approx(2 / 3, abs=1e-4) and metrics["within_one"] == 1.0
    assert metrics["spearman"] == 1.0


def test_loads_the_unieval_form_and_prefers_an_explicit_score(tmp_path):
    path = tmp_path / "scores.jsonl"
    rows = [
        {"context": "hi", "fact": "f", "response": "r", "overall": 2.6666666667},
        {"context": "hi", "response": "r", "score": 4, "overall": 1},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    kind, items = load_dataset(path)
    assert kind == "scores" and [i["human"] for i in items] == [2.6666666667, 4.0]
    assert items[0]["input"] == {"question": "hi", "answer": "r", "facts": "f"} and items[1]["input"]["facts"] == ""


@pytest.mark.parametrize(
    "line",
    [
        '{"context": "c", "response": "r", "score": 6}',
        '{"context": "c", "response": "r", "score": "NaN"}',
        '{"context": "c", "response": "r"}',
        '{"input": "i", "output_1": "a", "output_2": "b", "label": 3}',
        "{not json",
    ],
)
def test_a_bad_dataset_line_is_reported_with_its_number(tmp_path, line):
    good = '{"input": "i", "output_1": "a", "output_2": "b", "label": 1}' if "output_1" in line else ""
    good = good or '{"context": "c", "response": "r", "score": 3}'
    path = tmp_path / "bad.jsonl"
    path.write_text(good + "\n" + line + "\n")
    with pytest.raises(ConfigError, match="bad.jsonl:2"):
        load_dataset(path)


def _no_nan(text):
    def refuse(constant):
        raise AssertionError(f"{constant} in the JSON output")

    return json.loads(text, parse_constant=refuse)


def _score(reason, score):
    return json.dumps({"reason": reason, "score": score})


def test_eval_judge_scores_json(tmp_path, home, capsys):
    dataset = tmp_path / "scores.jsonl"
    humans = [1.0, 3.3333333333, 4.6666666667, 2.0]
    dataset.write_text("\n".join(json.dumps({"context": "c", "response": "r", "score": h}) for h in humans))
    model_id, _ = scripted(_score("bad", 1), _score("ok", 3), _score("good", 4), "I will not grade this.")
    argv = ["eval", "judge", "--dataset", str(dataset), "--models", model_id, "--strategies", "reason"]
    code = main([*argv, "--json", "--home", str(home)])
    out, err = capsys.readouterr()
    report = _no_nan(out)
    result = report["results"][f"reason / {model_id}"]
    assert code == 0 and report["kind"] == "scores" and "item" in err
    assert result["scored"] == 3 and result["verdict_failure_rate"] == 0.25
    # Against the rounded human scores 1, 3, 5: one miss by one; kappa = 1 - (1/16) / (39/48) = 12/13.
    assert result["exact_agreement"] == pytest.approx(2 / 3, abs=1e-4) and result["within_one"] == 1.0
    assert result["weighted_kappa"] == pytest.approx(12 / 13, abs=1e-4) and result["spearman"] == 1.0
    assert {"latency_p50_ms", "latency_p95_ms", "tokens_per_item"} <= set(result)
    baseline = report["results"]["baseline: most common score (1)"]
    assert baseline["exact_agreement"] == 0.25 and baseline["spearman"] is None


def test_eval_judge_pairs_json_with_limit(tmp_path, home, capsys):
    dataset = tmp_path / "pairs.jsonl"
    pairs = [("a", "bbbb", 1), ("aaaa", "b", 2), ("x", "y", 1)]
    dataset.write_text(
        "\n".join(json.dumps({"input": "i", "output_1": a, "output_2": b, "label": lb}) for a, b, lb in pairs)
    )
    pick = [json.dumps({"reason": "r", "better": b}) for b in (1, 2, 1, 1)]
    model_id, model = scripted(*pick)
    argv = ["eval", "judge", "--dataset", str(dataset), "--models", model_id, "--strategies", "reason", "--json"]
    argv += ["--limit", "2"]
    code = main([*argv, "--home", str(home)])
    results = _no_nan(capsys.readouterr().out)["results"]
    # Pair 1 holds up when swapped (right); pair 2 flips with the order (a tie, half a point).
    assert code == 0 and len(model.seen) == 4
    assert (
        results[f"reason / {model_id}"]["pairwise_accuracy"] == 0.75
        and results[f"reason / {model_id}"]["tie_rate"] == 0.5
    )
    assert results["baseline: always 1"]["pairwise_accuracy"] == 0.5
    assert results["baseline: longer output"]["pairwise_accuracy"] == 0.0
    assert results["baseline: shorter output"]["pairwise_accuracy"] == 1.0


def test_eval_judge_prints_a_table_with_the_baseline(tmp_path, home, capsys):
    dataset = tmp_path / "scores.jsonl"
    dataset.write_text(json.dumps({"context": "c", "response": "r", "score": 5}))
    model_id, _ = scripted(_score("fine", 5))
    argv = ["eval", "judge", "--dataset", str(dataset), "--models", model_id, "--strategies", "reason"]
    code = main([*argv, "--home", str(home)])
    out = capsys.readouterr().out
    assert code == 0 and "baseline: most common score (5)" in out and "weighted_kappa" in out and "n/a" in out


def test_eval_judge_refuses_an_unusable_model_before_running(tmp_path, home, capsys):
    dataset = tmp_path / "scores.jsonl"
    dataset.write_text(json.dumps({"context": "c", "response": "r", "score": 5}))
    code = main(["eval", "judge", "--dataset", str(dataset), "--models", "gpt:4o", "--home", str(home)])
    assert code == 2 and "unknown model provider 'gpt'" in capsys.readouterr().err
