"""The judge's reason strategy on the real SmolLM2-135M model: a valid verdict or a reported failure."""

import math

import pytest

from theoros_agents.agents.judge import build_judge
from theoros_agents.context import Context

pytestmark = pytest.mark.integration
MODEL = "llamacpp:smollm2-135m"
ITEMS = [
    {
        "question": "Who directed Jaws?",
        "facts": "Jaws (1975): director Steven Spielberg.",
        "answer": "Jaws (1975) was directed by Steven Spielberg.",
    },
    {
        "question": "Who directed Alien?",
        "facts": "Alien (1979): director Ridley Scott.",
        "answer": "Alien was directed by James Cameron.",
    },
    {
        "rubric": "subgenre_fit",
        "subgenre": "slasher",
        "description": "A killer stalks and murders a group of people one by one.",
        "synopsis": "A masked man kills camp counsellors one after another.",
    },
]


def _valid_score(verdict):
    if "error" in verdict:
        return set(verdict) == {"error"} and bool(verdict["error"])
    score = verdict["score"]
    return type(score) is int and not math.isnan(score) and 1 <= score <= 5 and bool(verdict["reason"])


@pytest.mark.parametrize("item", ITEMS, ids=["right", "wrong", "subgenre"])
async def test_the_embedded_model_grades_or_reports_a_failure(item):
    graph = build_judge().compile(name="judge")
    result = await graph.ainvoke(item, context=Context(judge_model=MODEL, judge_strategy="reason"))
    assert _valid_score(result["verdict"]), result["verdict"]
    (rec,) = result["records"]
    assert rec["model"] == MODEL and rec["prompt_tokens"] > 0


async def test_the_embedded_model_compares_a_pair_in_both_orders():
    pair = {"instruction": "Name a film about a shark.", "output_1": "Jaws (1975).", "output_2": "Bambi (1942)."}
    context = Context(judge_model=MODEL, judge_strategy="reason")
    result = await build_judge().compile(name="judge").ainvoke(pair, context=context)
    verdict = result["verdict"]
    if "error" not in verdict:
        assert verdict["better"] in (1, 2, None) and verdict["consistent"] is (verdict["better"] is not None)
        assert [r["node"] for r in result["records"]] == ["compare_outputs", "compare_swapped"]
    else:
        assert verdict["error"]
