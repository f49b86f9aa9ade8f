"""The graphs served by a real `langgraph dev` process, called over its HTTP API."""

import httpx
import pytest

pytestmark = pytest.mark.integration


def _run(url: str, assistant: str, payload: dict) -> dict:
    response = httpx.post(f"{url}/runs/wait", json={"assistant_id": assistant} | payload, timeout=180)
    response.raise_for_status()
    return response.json()


def test_every_graph_is_served(langgraph_api):
    assistants = httpx.post(f"{langgraph_api}/assistants/search", json={"limit": 20}, timeout=30).json()
    assert {a["graph_id"] for a in assistants} >= {"supervisor", "query_writer", "retriever", "tagger", "judge"}


def test_supervisor_answers_over_the_api(langgraph_api):
    result = _run(langgraph_api, "supervisor", {"input": {"question": "Who directed Jaws?"}})
    assert result["answer"] == "Jaws (1975) was directed by Steven Spielberg."
    assert result["intents"] == ["fact"] and result["records"][0]["agent"] == "supervisor"


def test_run_context_changes_settings_per_run(langgraph_api):
    payload = {"input": {"question": "Who directed Boyhood?"}, "context": {"query_writer_strategy": "rules"}}
    result = _run(langgraph_api, "query_writer", payload)
    assert "Richard Linklater" in result["answer"]
    assert not any(r["model"] for r in result["records"])
