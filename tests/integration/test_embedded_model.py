"""The real SmolLM2-135M model through llama.cpp: constrained output and the whole graph."""

import subprocess
import sys

import pytest

from theoros_agents.agents.query_writer.schema import QueryIntent
from theoros_agents.api import Theoros
from theoros_agents.models import ask_structured, load_chat_model
from theoros_agents.supervisor.router import RouteChoice

pytestmark = pytest.mark.integration
MODEL = "llamacpp:smollm2-135m"


async def test_constrained_decoding_always_yields_the_schema():
    model = load_chat_model(MODEL)
    prompt = [{"role": "user", "content": "Which film property does 'Who directed Jaws?' ask about?"}]
    reply = await ask_structured(model, prompt, QueryIntent)
    assert reply.error == "" and isinstance(reply.value, QueryIntent)
    assert reply.prompt_tokens > 0 and reply.completion_tokens > 0
    route = await ask_structured(model, [{"role": "user", "content": "Route: 'hello there'"}], RouteChoice)
    assert route.value is not None


async def test_the_model_picks_the_relation_for_who_directed(tmp_path):
    theoros = Theoros(home=str(tmp_path), query_writer_strategy="intent")
    answer = await theoros.aask("Who directed Jaws?")
    model_records = [r for r in answer.records if r["model"] == MODEL]
    assert model_records and not model_records[0]["error"]
    assert "Steven Spielberg" in answer.answer


def test_cli_answers_with_the_embedded_model(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "theoros_agents.cli",
            "ask",
            "--json",
            "--home",
            str(tmp_path),
            "--set",
            "query_writer_strategy=intent",
            "Who directed Alien?",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Ridley Scott" in run.stdout and '"latency_ms"' in run.stdout


async def test_the_retriever_model_streams_its_answer_token_by_token(home):
    theoros = Theoros(home=str(home), retriever_model=MODEL)
    events = [event async for event in theoros.astream("What is Alien about?")]
    tokens = [payload for kind, payload in events if kind == "token"]
    answer = events[-1][1]
    assert len(tokens) > 3 and "".join(tokens).strip() == answer.answer
    (record,) = [r for r in answer.records if r["node"] == "write_answer"]
    assert record["model"] == MODEL and record["completion_tokens"] >= len(tokens) and not record["error"]
    assert any(s["title"] == "Alien (1979)" for s in answer.sources)
