import asyncio
import json
import time
from pathlib import Path

import pytest

from tests.fakes import scripted
from theoros_agents.api import Theoros, check_question
from theoros_agents.errors import InvalidQuestion
from theoros_agents.supervisor.graph import build_supervisor

SNAPSHOT = Path(__file__).parent / "snapshots" / "supervisor.mmd"
UNSURE = 1.01  # a router threshold no classifier reaches: the routing model always decides


def test_graph_shape_matches_snapshot():
    drawn = build_supervisor().compile(name="supervisor").get_graph().draw_mermaid()
    assert drawn == SNAPSHOT.read_text()


def _theoros(home, **settings):
    return Theoros(home=str(home), **settings)


@pytest.mark.parametrize(
    ("question", "intents"),
    [
        ("Who directed Jaws?", ["fact"]),
        ("What is Spirited Away about?", ["plot"]),
        ("Find the film where a shark attacks a beach town", ["search"]),
        ("Tag this synopsis: a retired boxer trains his granddaughter", ["tagging"]),
        ("hello", ["chit_chat"]),
        ("How do I bake sourdough bread?", ["out_of_scope"]),
        ("Who directed Alien and what is it about?", ["fact", "plot"]),
    ],
)
async def test_routing_table(home, question, intents):
    answer = await _theoros(home).aask(question)
    assert answer.intents == intents and answer.route_source == "rules"


async def test_fact_question_reaches_the_query_writer(home):
    answer = await _theoros(home).aask("Who directed Jaws?")
    assert answer.answer == "Jaws (1975) was directed by Steven Spielberg."
    agents = [r["agent"] for r in answer.records]
    assert agents[0] == "supervisor" and "query_writer" in agents
    assert answer.sparql and all(r["latency_ms"] >= 0 for r in answer.records)


async def test_unsure_router_asks_the_model_among_its_best_guesses(home):
    model_id, model = scripted(json.dumps({"intent": "fact"}), json.dumps({"relation": "producer"}))
    theoros = _theoros(
        home,
        supervisor_model=model_id,
        query_writer_model=model_id,
        query_writer_strategy="intent",
        router_threshold=UNSURE,
    )
    answer = await theoros.aask("Jaws: people behind it?")
    assert answer.route_source == "model" and answer.intents == ["fact"]
    assert "David Brown" in answer.answer and len(model.seen) == 2
    options = str(model.seen[0][-1].content).split("Options: ")[1]
    assert "fact" in options.split(", ") and len(options.split(", ")) == 2


async def test_junk_from_the_routing_model_falls_back_to_the_classifier(home):
    model_id, _ = scripted("I think this is about films maybe")
    answer = await _theoros(home, supervisor_model=model_id, router_threshold=UNSURE).aask("Who directed Jaws?")
    assert answer.route_source == "fallback" and answer.intents == ["fact"]
    assert answer.model_errors and "Steven Spielberg" in answer.answer


async def test_compound_request_fans_out_to_both_specialists(home):
    answer = await _theoros(home).aask("Who directed Alien and what is it about?")
    assert {"query_writer", "retriever"} <= {r["agent"] for r in answer.records}
    assert answer.answer.startswith("Alien (1979) was directed by Ridley Scott.")
    assert "Alien (1979)" in [s["title"] for s in answer.sources]


async def test_out_of_scope_runs_no_agent(home):
    answer = await _theoros(home).aask("How do I bake sourdough bread?")
    assert "only help with questions about films" in answer.answer
    assert [r["agent"] for r in answer.records] == ["supervisor"]


async def test_thread_memory_resolves_it(home):
    theoros = _theoros(home)
    first = await theoros.aask("Who directed Jaws?", thread_id="t-memory")
    second = await theoros.aask("and who wrote it?", thread_id="t-memory")
    assert "Steven Spielberg" in first.answer
    assert second.answer == "Jaws (1975) was written by Carl Gottlieb."
    assert [r["node"] for r in second.records][0] == "route"  # records start afresh each turn
    other = await theoros.aask("and who wrote it?", thread_id="t-other")
    assert "Carl Gottlieb" not in other.answer


async def test_stream_yields_nodes_in_order_then_answer_tokens(home):
    events = [e async for e in _theoros(home).stream("Who directed Jaws?")]
    nodes = [payload[0] for kind, payload in events if kind == "node"]
    assert nodes == ["route", "query_writer", "compose"]
    tokens = "".join(payload for kind, payload in events if kind == "token")
    assert tokens.strip() == "Jaws (1975) was directed by Steven Spielberg."


async def test_gate_escalates_a_weak_answer(home):
    judge_id, _ = scripted(
        json.dumps({"reason": "The answer is wrong.", "score": 1}), json.dumps({"reason": "Correct now.", "score": 5})
    )
    strong_id, strong = scripted(json.dumps({"relation": "director"}))
    weak_id, _ = scripted(json.dumps({"relation": "producer"}))
    theoros = _theoros(
        home,
        judge_gate=True,
        judge_model=judge_id,
        escalation_model=strong_id,
        query_writer_model=weak_id,
        query_writer_strategy="intent",
    )
    answer = await theoros.aask("Who directed Jaws?")
    assert answer.escalated and answer.verdict["score"] == 5
    assert answer.answer == "Jaws (1975) was directed by Steven Spielberg."
    assert any(r["node"] == "escalate" and r["model"] == strong_id for r in answer.records)
    assert strong.seen  # the stronger model really ran


async def test_gate_off_by_default_and_no_escalation_for_good_answers(home):
    assert (await _theoros(home).aask("Who directed Jaws?")).verdict == {}
    judge_id, _ = scripted(json.dumps({"reason": "Right.", "score": 5}))
    answer = await _theoros(home, judge_gate=True, judge_model=judge_id, escalation_model="fake:x").aask(
        "Who directed Jaws?"
    )
    assert answer.verdict["score"] == 5 and answer.verdict["reason"] == "Right." and not answer.escalated


async def test_specialists_run_concurrently(home, monkeypatch):
    from theoros_agents.supervisor import graph as supervisor

    original = supervisor._run_specialist

    async def slow(name, question, context):
        await asyncio.sleep(0.3)
        return await original(name, question, context)

    monkeypatch.setattr(supervisor, "_run_specialist", slow)
    started = time.perf_counter()
    answer = await _theoros(home).aask("Who directed Alien and what is it about?")
    assert {"query_writer", "retriever"} <= {r["agent"] for r in answer.records}
    assert time.perf_counter() - started < 0.55  # two 0.3 s specialists overlap


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_empty_questions_are_refused(bad):
    with pytest.raises(InvalidQuestion, match="empty"):
        check_question(bad)
