"""The graphs served by Aegra from two worker processes sharing one PostgreSQL database (Debian's)."""

import contextlib
import importlib.util
import os
import subprocess
import sys

import pytest
from langgraph_sdk import get_client

from tests.integration.conftest import REPO, free_port, serve
from tests.integration.postgres import create_database
from theoros_agents.aegra_setup import worker_command

pytestmark = pytest.mark.integration
KEY = "aegra-test-key-31"


@pytest.fixture(scope="module")
def aegra_workers(postgres_url, tmp_path_factory):
    """Two Aegra processes (`uvicorn aegra_api.main:app`) on free ports, one database; yields their URLs."""
    if importlib.util.find_spec("aegra_api") is None:
        message = "aegra-api not installed (pip install -e '.[aegra]')"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    env = os.environ | {
        "DATABASE_URL": create_database(postgres_url, "aegra"),
        "AEGRA_CONFIG": str(REPO / "aegra.json"),
        "THEOROS_HOME": str(tmp_path_factory.mktemp("aegra-home")),
        "LOG_LEVEL": "WARNING",
        "THEOROS_API_KEYS": KEY,
    }
    for name in ("THEOROS_CONFIG", "THEOROS_CHECKPOINTER"):
        env.pop(name, None)
    # As in docker-compose.yml: the database is prepared once, then the workers start.
    prepared = subprocess.run(
        [sys.executable, "-m", "theoros_agents.aegra_setup"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert prepared.returncode == 0, prepared.stderr
    urls = []
    with contextlib.ExitStack() as stack:
        for _ in range(2):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            command = worker_command(port)
            stack.enter_context(serve(command, f"{url}/health", "aegra worker", timeout=120, cwd=REPO, env=env))
            urls.append(url)
        yield urls


async def test_a_thread_started_on_one_worker_is_continued_on_the_other(aegra_workers):
    first, second = (get_client(url=url, api_key=KEY) for url in aegra_workers)
    thread = await first.threads.create()
    asked = await first.runs.wait(thread["thread_id"], "supervisor", input={"question": "Who directed Jaws?"})
    assert "Steven Spielberg" in asked["answer"]
    followed = await second.runs.wait(thread["thread_id"], "supervisor", input={"question": "and who wrote it?"})
    assert "Carl Gottlieb" in followed["answer"]
    history = await first.threads.get_history(thread["thread_id"], limit=100)
    questions = {step["values"].get("question") for step in history}
    assert {"Who directed Jaws?", "and who wrote it?"} <= questions


async def test_a_run_cannot_move_a_worker_to_another_home(aegra_workers, tmp_path):
    # Aegra keeps only the context keys of the graph's context schema, which holds no server setting:
    # the request is answered from the server's own stores and the home it names is never touched.
    client = get_client(url=aegra_workers[1], api_key=KEY)
    thread = await client.threads.create()
    elsewhere = tmp_path / "elsewhere"
    context = {"home": str(elsewhere), "query_writer_strategy": "rules"}
    result = await client.runs.wait(
        thread["thread_id"], "supervisor", input={"question": "Who directed Jaws?"}, context=context
    )
    assert "Steven Spielberg" in result["answer"]
    assert not elsewhere.exists()


def test_requests_without_the_key_get_401(aegra_workers):
    import httpx

    for url in aegra_workers:
        assert httpx.post(f"{url}/assistants/search", json={}, timeout=30).status_code == 401
        wrong = httpx.post(f"{url}/assistants/search", json={}, headers={"x-api-key": "nope"}, timeout=30)
        assert wrong.status_code == 401
        right = httpx.post(f"{url}/assistants/search", json={}, headers={"x-api-key": KEY}, timeout=30)
        assert right.status_code == 200
