"""The judge's strategies on the real components: SmolLM2-135M through llama.cpp, and MiniLM embeddings."""

import pytest

from theoros_agents.agents.judge import build_judge
from theoros_agents.agents.judge.choices import llama_probabilities
from theoros_agents.context import Context
from theoros_agents.models import load_chat_model

pytestmark = pytest.mark.integration
MODEL = "llamacpp:smollm2-135m"
RIGHT = {
    "question": "hi !\ndo you know who directed jaws ?",
    "facts": "Jaws (1975): director Steven Spielberg.",
    "answer": "yes , steven spielberg directed it in 1975 . have you seen it ?",
}
WRONG = dict(RIGHT, answer="i like turtles .")
PAIR = {"instruction": "Name a film about a shark.", "output_1": "Jaws (1975).", "output_2": "Bambi (1942)."}


async def _judge(state, strategy):
    graph = build_judge().compile(name="judge")
    return await graph.ainvoke(state, context=Context(judge_model=MODEL, judge_strategy=strategy))


def test_next_token_probabilities_are_a_distribution_and_reused_prefixes_change_nothing():
    model = load_chat_model(MODEL)
    first = [{"role": "system", "content": "Reply with one digit."}, {"role": "user", "content": "2 + 2 = ?"}]
    other = [first[0], {"role": "user", "content": "1 + 2 = ?"}]
    choices = ("1", "2", "3", "4", "5")
    before, tokens = llama_probabilities(model, first, choices)
    llama_probabilities(model, other, choices)  # shares the system prompt: the cached prefix is reused
    after, _ = llama_probabilities(model, first, choices)
    assert sum(before.values()) == pytest.approx(1.0) and all(0 < p < 1 for p in before.values())
    assert tokens > 10
    assert after == pytest.approx(before, abs=1e-5)


@pytest.mark.parametrize("strategy", ["logprob", "calibrated", "hybrid"])
async def test_model_strategies_always_give_a_score(strategy):
    for item in (RIGHT, WRONG):
        result = await _judge(item, strategy)
        verdict = result["verdict"]
        assert "error" not in verdict, verdict
        assert 1 <= verdict["rating"] <= 5 and verdict["score"] in range(1, 6) and verdict["reason"]
        (rec,) = result["records"]
        assert rec["model"] == MODEL and rec["prompt_tokens"] > 0 and not rec["error"]


async def test_checklist_asks_each_question_of_the_embedded_model():
    result = await _judge(RIGHT, "checklist")
    verdict = result["verdict"]
    assert 1 <= verdict["rating"] <= 5 and verdict["reason"].count("?") == 4
    (rec,) = result["records"]
    assert rec["completion_tokens"] == 4  # one token read per question


async def test_classic_scores_with_minilm_and_no_model_call():
    result = await _judge(RIGHT, "classic")
    verdict = result["verdict"]
    assert 1 <= verdict["rating"] <= 5 and result["records"][0]["model"] == ""
    # A reply that answers from the facts beats an off-topic one.
    assert verdict["rating"] > (await _judge(WRONG, "classic"))["verdict"]["rating"]


async def test_logprob_pairwise_asks_both_orders_and_averages():
    result = await _judge(PAIR, "logprob")
    verdict = result["verdict"]
    assert 0 <= verdict["probability"] <= 1 and verdict["better"] in (1, 2, None)
    assert [r["node"] for r in result["records"]] == ["compare_outputs", "compare_swapped"]


async def test_classic_pairwise_with_minilm():
    result = await _judge(PAIR, "classic")
    assert 0 <= result["verdict"]["probability"] <= 1 and result["verdict"]["better"] in (1, 2)
    assert [r["node"] for r in result["records"]] == ["compare_outputs"]


async def test_hybrid_pairwise_asks_the_model_both_orders_in_one_node():
    result = await _judge(PAIR, "hybrid")
    assert 0 <= result["verdict"]["probability"] <= 1 and result["verdict"]["better"] in (1, 2)
    (rec,) = result["records"]
    assert rec["node"] == "compare_outputs" and rec["model"] == MODEL and rec["completion_tokens"] == 2
