import json
import math
from pathlib import Path

import pytest

from tests.fakes import scripted
from theoros_agents.agents.judge import build_judge
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError, InvalidQuestion
from theoros_agents.models.fake import ScriptedChatModel

SNAPSHOT = Path(__file__).parent / "snapshots" / "judge.mmd"
ANSWER = {"question": "Who directed Jaws?", "answer": "Steven Spielberg.", "facts": "Jaws: director Steven Spielberg."}
PAIR = {"instruction": "Name a shark film.", "output_1": "Jaws (1975).", "output_2": "Bambi (1942)."}


def _pick(better, reason="Output follows the instruction."):
    return json.dumps({"reason": reason, "better": better})


async def _judge(state, *replies, **settings):
    model_id, model = scripted(*replies)
    graph = build_judge().compile(name="judge")
    settings.setdefault("judge_strategy", "reason")
    result = await graph.ainvoke(state, context=Context(judge_model=model_id, **settings))
    return result, model


def test_graph_shape_matches_snapshot():
    assert build_judge().compile(name="judge").get_graph().draw_mermaid() == SNAPSHOT.read_text()


async def test_grades_an_answer_reason_first_and_records_the_call():
    result, model = await _judge(ANSWER, json.dumps({"reason": "Matches the facts.", "score": 5}))
    assert result["verdict"] == {"rubric": "answer", "reason": "Matches the facts.", "score": 5}
    (rec,) = result["records"]
    assert rec["node"] == "grade_output" and rec["model"].startswith("fake:") and not rec["error"]
    prompt = model.seen[0][1].content
    assert "<facts>Jaws: director Steven Spielberg.</facts>" in prompt
    assert "<answer>Steven Spielberg.</answer>" in prompt


GARBAGE = [
    "not JSON at all",
    "I'm sorry, I cannot grade this answer.",
    '{"reason": "Fine.", "score": 0}',
    '{"reason": "Fine.", "score": 7}',
    '{"reason": "Fine.", "score": "4.5"}',
    '{"reason": "Fine.", "score": 4.5}',
    '{"reason": "Fine.", "score": "NaN"}',
    '{"reason": "Fine.", "score": NaN}',
    '{"reason": "Fine.", "score": true}',
    '{"reason": "Fine.", "score": null}',
    '{"score": 4}',
    '{"reason": "   ", "score": 4}',
    '{"reason": "Fine.", "score": 4',
]


@pytest.mark.parametrize("reply", GARBAGE)
async def test_malformed_output_is_an_error_never_a_score(reply):
    result, _ = await _judge(ANSWER, reply)
    assert set(result["verdict"]) == {"error"} and result["verdict"]["error"].startswith("invalid output")
    assert result["records"][0]["error"]


@pytest.mark.parametrize(
    ("reply", "score"),
    [
        ('Here is my verdict: {"reason": "Right director.", "score": 4} Hope that helps!', 4),
        ('```json\n{"reason": "Right director.", "score": 5}\n```', 5),
        ('{"reason": "Right director.", "score": 3.0}', 3),
        ('{"reason": "Right director.", "score": "2"}', 2),
        ('{"score": 1, "reason": "Wrong film."}', 1),
    ],
)
async def test_recoverable_output_yields_a_whole_score_in_range(reply, score):
    result, _ = await _judge(ANSWER, reply)
    got = result["verdict"]["score"]
    assert got == score and type(got) is int and not math.isnan(got) and 1 <= got <= 5


async def test_a_failing_model_call_is_reported_not_scored(monkeypatch):
    def explode(self, messages, stop=None, run_manager=None, **kwargs):
        raise TimeoutError("model server did not answer")

    monkeypatch.setattr(ScriptedChatModel, "_generate", explode)
    result, _ = await _judge(ANSWER, "unused")
    assert result["verdict"] == {"error": "model call failed: TimeoutError: model server did not answer"}


async def test_subgenre_fit_uses_its_own_rubric_prompt():
    state = {
        "rubric": "subgenre_fit",
        "subgenre": "slasher",
        "description": "A killer murders a group of people one by one.",
        "synopsis": "A masked man stalks camp counsellors.",
    }
    result, model = await _judge(state, json.dumps({"reason": "Defining fit.", "score": 5}))
    system, user = (m.content for m in model.seen[0])
    assert result["verdict"]["rubric"] == "subgenre_fit" and result["verdict"]["score"] == 5
    assert "genre labels" in system and "faithful to the facts" not in system
    assert "<subgenre>slasher</subgenre>" in user and "<synopsis>A masked man" in user


async def test_subgenre_fit_without_a_synopsis_judges_the_description_alone():
    state = {"rubric": "subgenre_fit", "subgenre": "slasher", "description": "A killer murders people one by one."}
    result, model = await _judge(state, json.dumps({"reason": "Fits.", "score": 4}))
    system, user = (m.content for m in model.seen[0])
    assert result["verdict"]["score"] == 4 and "its one-line description" in system and "<synopsis>" not in user


async def test_a_long_conversation_keeps_its_latest_turns():
    state = dict(ANSWER, question="old turn. " * 500 + "Who directed Jaws?")
    _, model = await _judge(state, json.dumps({"reason": "Right.", "score": 5}))
    user = model.seen[0][1].content
    assert "Who directed Jaws?</question>" in user and len(user) < 4000


async def test_unknown_rubric_and_missing_fields_are_clear_errors():
    with pytest.raises(ConfigError, match="'style'"):
        await _judge(dict(ANSWER, rubric="style"), "{}")
    with pytest.raises(InvalidQuestion, match="answer"):
        await _judge({"question": "Who directed Jaws?"}, "{}")
    with pytest.raises(InvalidQuestion, match="output_2"):
        await _judge({"instruction": "Pick one.", "output_1": "A"}, "{}")


async def test_pairwise_without_swapping_asks_once():
    result, model = await _judge(PAIR, _pick(2, "Bambi is not a shark film."), judge_swap_order=False)
    assert result["verdict"] == {"reason": "Bambi is not a shark film.", "better": 2, "consistent": True}
    assert len(model.seen) == 1 and [r["node"] for r in result["records"]] == ["compare_outputs"]


@pytest.mark.parametrize(("first", "second", "better"), [(1, 2, 1), (2, 1, 2)])
async def test_pairwise_choices_that_survive_the_swap_are_kept(first, second, better):
    result, model = await _judge(PAIR, _pick(first), _pick(second))
    assert result["verdict"]["better"] == better and result["verdict"]["consistent"] is True
    swapped = model.seen[1][1].content
    assert swapped.index("Bambi (1942).") < swapped.index("Jaws (1975).")
    assert [r["node"] for r in result["records"]] == ["compare_outputs", "compare_swapped"]


async def test_a_position_preference_is_reported_as_a_tie():
    result, _ = await _judge(PAIR, _pick(1), _pick(1))
    verdict = result["verdict"]
    assert verdict["better"] is None and verdict["consistent"] is False and "tie" in verdict["reason"]


@pytest.mark.parametrize("reply", ['{"reason": "x", "better": 3}', '{"reason": "x", "better": "1.5"}', "Output 1."])
async def test_malformed_pairwise_output_is_an_error_and_stops(reply):
    result, model = await _judge(PAIR, reply)
    assert set(result["verdict"]) == {"error"} and "given order" in result["verdict"]["error"]
    assert len(model.seen) == 1


async def test_a_failure_in_the_swapped_order_is_an_error_too():
    result, _ = await _judge(PAIR, _pick(1), "no idea")
    assert set(result["verdict"]) == {"error"} and result["verdict"]["error"].startswith("swapped order")
