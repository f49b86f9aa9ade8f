import math

import pytest

from tests.fakes import scripted
from theoros_agents.agents.judge import build_judge, strategies
from theoros_agents.agents.judge.choices import _written_choice, expected_value
from theoros_agents.agents.judge.classic import LinearModel, load_models, probability
from theoros_agents.agents.judge.features import PAIR_FEATURES, SCORE_FEATURES, distinct, last_turn
from theoros_agents.agents.judge.training import group_folds, out_of_fold
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.knowledge.embeddings import Embedder

ANSWER = {
    "question": "hi\nwho directed jaws ?",
    "answer": "steven spielberg directed jaws in 1975 .",
    "facts": "jaws (1975): director steven spielberg.",
}
PAIR = {
    "instruction": "Name a shark film.",
    "output_1": "Jaws (1975).",
    "output_2": "Bambi (1942), a deer's life story.",
}


def _letters(text):
    # A deterministic stand-in for MiniLM: letter counts, so that similar texts get similar vectors.
    return [float(text.lower().count(c)) for c in "abcdefghijklmnopqrstuvwxyz"] or [0.0]


@pytest.fixture
def fake_embedder(monkeypatch):
    embedder = Embedder("fake", lambda texts: [_letters(t) for t in texts], _letters)
    monkeypatch.setattr(strategies, "_embedder", lambda models: embedder)
    return embedder


async def _judge(state, *replies, strategy):
    model_id, model = scripted(*replies) if replies else ("fake:unused", None)
    graph = build_judge().compile(name="judge")
    result = await graph.ainvoke(state, context=Context(judge_model=model_id, judge_strategy=strategy))
    return result, model


def test_expected_value_weights_each_score_by_its_probability():
    assert expected_value({"1": 0.5, "5": 0.5}) == 3
    assert expected_value({"2": 1.0, "3": 3.0}) == pytest.approx(2.75)  # renormalised
    with pytest.raises(ValueError, match="more than 0"):
        expected_value({"1": 0.0})


@pytest.mark.parametrize(
    ("text", "choice"), [("4", "4"), ("Score: 2.", "2"), ("I give it a 5/5", "5"), ("3.5", None), ("none", None)]
)
def test_a_written_reply_is_read_as_a_choice_only_when_it_is_one(text, choice):
    assert _written_choice(text, ("1", "2", "3", "4", "5")) == choice


async def test_logprob_from_a_model_without_logprobs_reads_its_digit():
    result, model = await _judge(ANSWER, "4", strategy="logprob")
    verdict = result["verdict"]
    assert verdict["score"] == 4 and verdict["rating"] == 4.0 and verdict["rubric"] == "answer"
    system = model.seen[0][0].content
    assert "one digit from 1 to 5" in system
    (rec,) = result["records"]
    assert rec["model"].startswith("fake:") and not rec["error"]


async def test_logprob_without_a_digit_is_an_error_never_a_score():
    result, _ = await _judge(ANSWER, "I cannot grade this.", strategy="logprob")
    assert set(result["verdict"]) == {"error"} and "none of" in result["verdict"]["error"]
    assert result["records"][0]["error"]


async def test_checklist_averages_yes_over_the_rubric_questions():
    result, model = await _judge(ANSWER, "Yes", "Yes", "No", "Yes", strategy="checklist")
    assert result["verdict"]["rating"] == pytest.approx(1 + 4 * 3 / 4) and result["verdict"]["score"] == 4
    assert len(model.seen) == 4
    # The question comes last, after the shared text, so the evaluated prefix is reused.
    asked = [m[-1].content for m in model.seen]
    assert all(a.startswith("<facts>") for a in asked) and asked[0].endswith("?")


async def test_calibrated_maps_the_raw_score_through_the_shipped_calibration():
    calibration = strategies.calibration_for("answer")
    result, _ = await _judge(ANSWER, "2", strategy="calibrated")
    assert result["verdict"]["rating"] == pytest.approx(calibration.apply(2.0), abs=1e-4)


async def test_classic_grades_without_a_model_call(fake_embedder):
    result, _ = await _judge(ANSWER, strategy="classic")
    verdict = result["verdict"]
    assert 1 <= verdict["rating"] <= 5 and verdict["score"] == math.floor(verdict["rating"] + 0.5)
    (rec,) = result["records"]
    assert rec["model"] == "" and rec["prompt_tokens"] == 0 and rec["latency_ms"] >= 0


async def test_classic_falls_back_to_logprob_for_a_rubric_it_was_not_trained_on():
    state = {"rubric": "subgenre_fit", "subgenre": "slasher", "description": "A killer stalks a group."}
    result, model = await _judge(state, "5", strategy="classic")
    assert result["verdict"]["score"] == 5 and len(model.seen) == 1


async def test_classic_pairwise_is_one_call_and_flips_exactly_when_swapped(fake_embedder):
    given, _ = await _judge(PAIR, strategy="classic")
    swapped_pair = dict(PAIR, output_1=PAIR["output_2"], output_2=PAIR["output_1"])
    swapped, _ = await _judge(swapped_pair, strategy="classic")
    assert [r["node"] for r in given["records"]] == ["compare_outputs"]
    assert given["verdict"]["probability"] == pytest.approx(1 - swapped["verdict"]["probability"], abs=1e-4)
    assert {given["verdict"]["better"], swapped["verdict"]["better"]} == {1, 2}


async def test_logprob_pairwise_averages_both_orders():
    # "1" in the given order, "1" again with the outputs swapped: a position preference, so p = 0.5, a tie.
    result, model = await _judge(PAIR, "1", "1", strategy="logprob")
    assert result["verdict"]["better"] is None and result["verdict"]["probability"] == 0.5
    assert len(model.seen) == 2
    # "1" then "2": output 1 both times.
    result, _ = await _judge(PAIR, "1", "2", strategy="logprob")
    assert result["verdict"]["better"] == 1 and result["verdict"]["consistent"] is True


async def test_logprob_pairwise_failure_is_an_error():
    result, _ = await _judge(PAIR, "neither", strategy="logprob")
    assert set(result["verdict"]) == {"error"} and result["verdict"]["error"].startswith("given order")


def test_shipped_classic_models_match_their_features():
    models = load_models()
    assert models["scores"].features == SCORE_FEATURES and models["pairs"].features == PAIR_FEATURES
    assert models["embedding_model"].endswith("all-MiniLM-L6-v2")


def test_linear_model_rejects_mismatched_arrays_and_inputs():
    with pytest.raises(ConfigError, match="differ in length"):
        LinearModel(("a", "b"), (0.0,), (1.0, 1.0), (1.0, 1.0))
    with pytest.raises(ConfigError, match="positive scales"):
        LinearModel(("a",), (0.0,), (0.0,), (1.0,))
    with pytest.raises(ConfigError, match="malformed"):
        LinearModel.from_dict({"features": ["a"]})
    model = LinearModel(("a", "b"), (1.0, 0.0), (2.0, 1.0), (2.0, -1.0), 0.5)
    assert model.decision([3.0, 1.0]) == 0.5 + 2.0 * 1.0 - 1.0
    with pytest.raises(ValueError, match="expected 2 features"):
        model.decision([1.0])


def test_probability_is_stable_and_symmetric():
    assert probability(0) == 0.5 and probability(1000) == 1.0 and probability(-1000) == 0.0
    assert probability(2) == pytest.approx(1 - probability(-2))


def test_features_helpers():
    assert last_turn("a\n\nb\n") == "b" and last_turn("") == ""
    assert distinct(["a", "a", "b", "b"]) == 0.5 and distinct([]) == 1.0


def test_group_folds_keep_a_conversation_in_one_fold():
    groups = [f"dialogue {i // 3}" for i in range(30)]
    folds = group_folds(groups)
    assert sorted(i for fold in folds for i in fold) == list(range(30))
    for fold in folds:
        assert {groups[i] for i in fold}.isdisjoint({groups[i] for i in range(30) if i not in fold})


def test_out_of_fold_never_trains_on_the_item_it_predicts():
    folds = [[0, 1], [2, 3], [4]]

    def fit(train):
        return lambda i: float(i in train)

    assert out_of_fold(5, folds, fit) == [0.0] * 5


async def test_hybrid_pairwise_asks_both_orders_in_one_node_and_flips_exactly_when_swapped(fake_embedder):
    given, model = await _judge(PAIR, "1", "2", strategy="hybrid")
    swapped_pair = dict(PAIR, output_1=PAIR["output_2"], output_2=PAIR["output_1"])
    swapped, _ = await _judge(swapped_pair, "2", "1", strategy="hybrid")
    assert len(model.seen) == 2 and [r["node"] for r in given["records"]] == ["compare_outputs"]
    assert given["records"][0]["model"].startswith("fake:")
    assert given["verdict"]["probability"] == pytest.approx(1 - swapped["verdict"]["probability"], abs=1e-4)


async def test_hybrid_grades_with_the_model_score_as_a_feature(fake_embedder):
    low, _ = await _judge(ANSWER, "1", strategy="hybrid")
    high, _ = await _judge(ANSWER, "5", strategy="hybrid")
    weight = load_models()["hybrid_scores"].coef[-1]
    # The same reply: only the model's score differs, so the rating moves with the sign of its weight.
    assert (high["verdict"]["rating"] - low["verdict"]["rating"]) * weight >= 0
    assert low["records"][0]["prompt_tokens"] > 0
