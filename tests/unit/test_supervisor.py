import asyncio
import json
import time
from pathlib import Path

import pytest

from tests.fakes import scripted
from theoros_agents.api import Theoros, check_question
from theoros_agents.errors import InvalidQuestion
from theoros_agents.knowledge.linker import LabelIndex
from theoros_agents.supervisor.graph import build_supervisor

SNAPSHOT = Path(__file__).parent / "snapshots" / "supervisor.mmd"
UNSURE = 1.01  # a router threshold no classifier reaches: the routing model always decides
SPECIALISTS = {"query_writer", "retriever", "tagger", "judge"}


def test_graph_shape_matches_snapshot():
    drawn = build_supervisor().compile(name="supervisor").get_graph(xray=True).draw_mermaid()
    assert drawn == SNAPSHOT.read_text()


def test_specialists_are_subgraphs_studio_can_open():
    graph = build_supervisor().compile(name="supervisor")
    assert {name for name, _ in graph.get_subgraphs()} == SPECIALISTS
    inner = graph.get_graph(xray=True).nodes
    assert {"query_writer:link_entities", "retriever:search_plots", "judge:grade_output"} <= set(inner)


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
    (finding,) = answer.findings
    assert finding["agent"] == "query_writer" and finding["result"]["rows"] and not finding["used_model"]


async def test_a_film_described_not_named_is_found_by_its_plot_then_asked_of_the_graph(home):
    theoros = _theoros(home)
    answer = await theoros.aask("Who directed the film where a shark terrorizes a beach town?", thread_id="t-shark")
    assert answer.answer == (
        "The film where a shark terrorizes a beach town is, by its plot summary, Jaws (1975). "
        "Jaws (1975) was directed by Steven Spielberg."
    )
    # In a thread about another film, "the film where …" is still the described one, not the thread's.
    await theoros.aask("Who directed Alien?", thread_id="t-alien")
    again = await theoros.aask("When was the movie where a shark attacks a beach town released?", thread_id="t-alien")
    assert "Jaws (1975) was released on" in again.answer
    # A title inside the description ("Philadelphia", a film too) is part of it.
    boxer = await theoros.aask("Who directed the movie about a boxer from Philadelphia?")
    assert boxer.answer.endswith("Rocky (1976). Rocky (1976) was directed by John G. Avildsen.")
    unknown = await theoros.aask("Who directed the film where a purple zebra opens a bakery on Mars?")
    assert unknown.answer.startswith("I could not tell which film 'the film where a purple zebra opens a bakery")


async def test_sources_carry_the_evidence(home):
    answer = await _theoros(home).aask("Who directed Alien and what is it about?")
    graph = next(s for s in answer.sources if s["kind"] == "sparql")
    assert "Ridley Scott" in graph["evidence"] and graph["agent"] == "query_writer"
    plot = next(s for s in answer.sources if s["kind"] == "plot")
    assert plot["title"] == "Alien (1979)" and len(plot["evidence"]) > 100


async def test_compound_request_splits_and_links_once(home, monkeypatch):
    calls = []
    original = LabelIndex.mentions

    def counted(self, question):
        calls.append(question)
        return original(self, question)

    monkeypatch.setattr(LabelIndex, "mentions", counted)
    graph = build_supervisor().compile(name="supervisor")
    theoros = _theoros(home)
    updates = [
        u
        async for u in graph.astream(
            {"question": "Who directed Alien and what is it about?"}, context=theoros.context, stream_mode="updates"
        )
    ]
    tasks = next(u["route"]["tasks"] for u in updates if "route" in u)
    assert [(t["agent"], t["question"]) for t in tasks] == [
        ("query_writer", "Who directed Alien"),
        ("retriever", "what is it about?"),
    ]
    assert all([e["id"] for e in t["entities"]] == ["Q103569"] for t in tasks)
    assert calls == ["Who directed Alien and what is it about?"]


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


async def test_stream_shows_specialist_inner_nodes_and_no_fake_tokens(home):
    events = [e async for e in _theoros(home).astream("Who directed Jaws?")]
    nodes = [payload[0] for kind, payload in events if kind == "node"]
    top = [n for n in nodes if "/" not in n]
    assert top == ["route", "query_writer", "compose"]
    assert {"query_writer/write_query", "query_writer/run_query"} <= set(nodes)
    assert "query_writer/link_entities" not in nodes  # The supervisor linked "Jaws" already.
    assert not [e for e in events if e[0] == "token"]  # no model wrote prose: nothing to stream
    assert events[-1][1].answer == "Jaws (1975) was directed by Steven Spielberg."


async def test_a_model_written_answer_streams_its_tokens(home):
    model_id, model = scripted("Alien follows the crew of the Nostromo, hunted by a creature.")
    events = [e async for e in _theoros(home, retriever_model=model_id).astream("What is Alien about?")]
    tokens = [payload for kind, payload in events if kind == "token"]
    assert len(tokens) > 5 and "".join(tokens) == "Alien follows the crew of the Nostromo, hunted by a creature."
    answer = events[-1][1]
    assert answer.answer == "".join(tokens)
    assert any(r["node"] == "write_answer" and r["model"] == model_id for r in answer.records)
    given = str(model.seen[0][-1].content)
    assert '<document title="Alien" year="1979">' in given  # the model writes from the stored passages


def test_sync_stream_and_ask_inside_a_running_loop(home):
    theoros = _theoros(home)
    events = list(theoros.stream("Who directed Jaws?"))
    assert events[-1][0] == "answer" and "Spielberg" in events[-1][1].answer

    async def inside_a_loop():
        return theoros.ask("Who directed Jaws?")  # blocking call from async code, as in Jupyter

    assert "Spielberg" in asyncio.run(inside_a_loop()).answer


async def test_gate_escalates_a_weak_answer_with_the_evidence(home):
    judge_id, judge = scripted(
        json.dumps({"reason": "The answer is wrong.", "score": 1}), json.dumps({"reason": "Correct now.", "score": 5})
    )
    strong_id, strong = scripted(json.dumps({"relation": "director"}))
    weak_id, _ = scripted(json.dumps({"relation": "producer"}))
    theoros = _theoros(
        home,
        judge_gate=True,
        judge_model=judge_id,
        judge_strategy="reason",
        escalation_model=strong_id,
        query_writer_model=weak_id,
        query_writer_strategy="intent",
    )
    answer = await theoros.aask("Who directed Jaws?")
    assert answer.escalated and answer.verdict["score"] == 5
    assert answer.answer == "Jaws (1975) was directed by Steven Spielberg."
    assert any(r["node"] == "escalate" and r["model"] == strong_id for r in answer.records)
    assert strong.seen  # the stronger model really ran
    first_grading = str(judge.seen[0][-1].content)
    assert "<facts>" in first_grading and "David Brown" in first_grading  # the rows, not the SPARQL text
    assert "Steven Spielberg" in str(judge.seen[1][-1].content)


async def test_escalation_reruns_only_agents_that_used_a_model(home):
    judge_id, _ = scripted(json.dumps({"reason": "Weak.", "score": 1}))
    strong_id, strong = scripted(json.dumps({"relation": "director"}))
    theoros = _theoros(home, judge_gate=True, judge_model=judge_id, judge_strategy="reason", escalation_model=strong_id)
    plot = await theoros.aask("What is Alien about?")  # extractive: no model to escalate
    assert not plot.escalated and not strong.seen
    assert not any(r["node"] == "escalate" for r in plot.records)


async def test_gate_off_by_default_and_no_escalation_for_good_answers(home):
    assert (await _theoros(home).aask("Who directed Jaws?")).verdict == {}
    judge_id, _ = scripted(json.dumps({"reason": "Right.", "score": 5}))
    settings = {"judge_gate": True, "judge_model": judge_id, "judge_strategy": "reason", "escalation_model": "fake:x"}
    answer = await _theoros(home, **settings).aask("Who directed Jaws?")
    assert answer.verdict["score"] == 5 and answer.verdict["reason"] == "Right." and not answer.escalated


async def test_specialists_run_concurrently(home):
    slow_id, slow = scripted(json.dumps({"relation": "director"}))
    slow.delay = 0.4
    writer_id, writer = scripted("Alien is about a crew hunted by a creature.")
    writer.delay = 0.4
    theoros = _theoros(home, query_writer_model=slow_id, query_writer_strategy="intent", retriever_model=writer_id)
    await theoros.aask("Who directed Alien and what is it about?")  # warm the stores
    started = time.perf_counter()
    answer = await theoros.aask("Who directed Alien and what is it about?")
    elapsed = time.perf_counter() - started
    assert {"query_writer", "retriever"} <= {r["agent"] for r in answer.records if r["model"]}
    assert elapsed < 0.75  # two 0.4 s model calls overlap


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_empty_questions_are_refused(bad):
    with pytest.raises(InvalidQuestion, match="empty"):
        check_question(bad)


def test_it_stands_for_the_threads_film_only_when_that_film_was_saved_whole(home):
    from theoros_agents.context import resolve_context
    from theoros_agents.knowledge.stores import label_index
    from theoros_agents.supervisor.memory import link_question

    index = label_index(resolve_context({"home": str(home)}, environ={}))
    saved = {"id": "Q189505", "label": "Jaws", "kind": "film", "year": 1975}
    question, entities, focus = link_question("and who wrote it?", saved, index)
    assert question == "and who wrote Jaws?" and entities[0]["id"] == "Q189505" and focus["id"] == "Q189505"
    legacy = {k: v for k, v in saved.items() if k != "kind"}  # A thread saved by an older version.
    question, entities, focus = link_question("and who wrote it?", legacy, index)
    assert (question, entities, focus) == ("and who wrote it?", [], None)
