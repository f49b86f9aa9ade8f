import json
from pathlib import Path

import pytest

from tests.fakes import scripted
from theoros_agents.api import Theoros, check_question
from theoros_agents.errors import InvalidQuestion
from theoros_agents.supervisor.graph import build_supervisor

SNAPSHOT = Path(__file__).parent / "snapshots" / "supervisor.mmd"


def test_graph_shape_matches_snapshot():
    drawn = build_supervisor().compile(name="supervisor").get_graph().draw_mermaid()
    assert drawn == SNAPSHOT.read_text()


def _theoros(home, **settings):
    return Theoros(home=str(home), **settings)


async def test_fact_question_routes_by_rules_to_the_query_writer(home):
    answer = await _theoros(home).aask("Who directed Jaws?")
    assert answer.answer == "Jaws (1975) was directed by Steven Spielberg."
    assert answer.intents == ["fact"] and answer.route_source == "rules"
    agents = [r["agent"] for r in answer.records]
    assert agents[0] == "supervisor" and "query_writer" in agents
    assert answer.sparql and all(r["latency_ms"] >= 0 for r in answer.records)


async def test_scripted_model_routes_and_extracts_through_the_whole_graph(home):
    model_id, model = scripted(json.dumps({"intent": "fact"}), json.dumps({"relation": "producer"}))
    answer = await _theoros(
        home, supervisor_model=model_id, query_writer_model=model_id, query_writer_strategy="intent"
    ).aask("Jaws: people behind it?")
    assert answer.route_source == "model" and answer.intents == ["fact"]
    assert "David Brown" in answer.answer and len(model.seen) == 2


async def test_compound_request_fans_out_to_both_specialists(home):
    answer = await _theoros(home).aask("Who directed Alien and what is it about?")
    assert answer.intents == ["fact", "plot"]
    assert {"query_writer", "retriever"} <= {r["agent"] for r in answer.records}
    assert answer.answer.startswith("Alien (1979) was directed by Ridley Scott.")


async def test_out_of_scope_runs_no_agent(home):
    answer = await _theoros(home).aask("How do I bake sourdough bread?")
    assert answer.intents == ["out_of_scope"] and "only help with questions about films" in answer.answer
    assert [r["agent"] for r in answer.records] == ["supervisor"]


async def test_junk_from_the_routing_model_falls_back_safely(home):
    model_id, _ = scripted("I think this is about films maybe")
    answer = await _theoros(home, supervisor_model=model_id).aask("Jaws?")
    assert answer.route_source == "fallback" and answer.model_errors


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_empty_questions_are_refused(bad):
    with pytest.raises(InvalidQuestion, match="empty"):
        check_question(bad)
