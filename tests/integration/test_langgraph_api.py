"""The graphs served by a real `langgraph dev` process, called over its HTTP API."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    port = _free_port()
    home = tmp_path_factory.mktemp("api-home")
    env = os.environ | {"THEOROS_HOME": str(home), "LANGGRAPH_CLI_NO_ANALYTICS": "1"}
    cli = Path(sys.executable).parent / "langgraph"
    server = subprocess.Popen(
        [str(cli), "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        else:
            pytest.fail("langgraph dev did not start within 120 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _run(url: str, assistant: str, payload: dict) -> dict:
    response = httpx.post(f"{url}/runs/wait", json={"assistant_id": assistant} | payload, timeout=180)
    response.raise_for_status()
    return response.json()


def test_every_graph_is_served(api):
    assistants = httpx.post(f"{api}/assistants/search", json={"limit": 20}, timeout=30).json()
    assert {a["graph_id"] for a in assistants} >= {"supervisor", "query_writer", "retriever", "tagger", "judge"}


def test_supervisor_answers_over_the_api(api):
    result = _run(api, "supervisor", {"input": {"question": "Who directed Jaws?"}})
    assert result["answer"] == "Jaws (1975) was directed by Steven Spielberg."
    assert result["intents"] == ["fact"] and result["records"][0]["agent"] == "supervisor"


def test_run_context_changes_settings_per_run(api, tmp_path):
    payload = {"input": {"question": "Who directed Boyhood?"}, "context": {"query_writer_strategy": "rules"}}
    result = _run(api, "query_writer", payload)
    assert "Richard Linklater" in result["answer"]
    assert not any(r["model"] for r in result["records"])
