"""The graphs served by a real `langgraph dev`, configured like a deployment, called with `langgraph_sdk`."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from langgraph_sdk import get_sync_client

from tests.integration.conftest import REPO, _binary, free_port, serve

pytestmark = pytest.mark.integration
KEY = "test-key-7c1f"
ROUTING_MODEL = 'fake:["{\\"intent\\": \\"fact\\"}"]'
INTENT_MODEL = 'fake:["{\\"relation\\": \\"director\\"}"]'


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """`langgraph dev` started with THEOROS_* variables, a theoros.toml and API keys, as an operator would."""
    workdir = tmp_path_factory.mktemp("api")
    home = workdir / "home"
    toml = workdir / "theoros.toml"
    # The toml asks for the routing model on every request; the environment names that model.
    toml.write_text('router_threshold = 1.01\n[query_writer]\nstrategy = "rules"\n')
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "THEOROS_HOME": str(home),
        "THEOROS_CONFIG": str(toml),
        "THEOROS_SUPERVISOR_MODEL": ROUTING_MODEL,
        "THEOROS_API_KEYS": KEY,
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    }
    command = [_binary("langgraph"), "dev", "--no-browser", "--no-reload", "--port", str(port)]
    with serve(command, f"{url}/ok", "langgraph dev", timeout=180, cwd=REPO, env=env):
        yield {"url": url, "home": home, "workdir": workdir}


@pytest.fixture(scope="module")
def client(api):
    return get_sync_client(url=api["url"], api_key=KEY)


def test_every_graph_is_served_and_binds_to_loopback(client, api):
    assistants = client.assistants.search(limit=20)
    assert {a["graph_id"] for a in assistants} >= {"supervisor", "query_writer", "retriever", "tagger", "judge"}
    schema = client.assistants.get_schemas(next(a for a in assistants if a["graph_id"] == "supervisor")["assistant_id"])
    context_fields = set(schema["context_schema"]["properties"])
    assert "query_writer_strategy" in context_fields and "home" not in context_fields


def test_a_run_with_empty_context_uses_the_server_configuration(client, api):
    result = client.runs.wait(None, "supervisor", input={"question": "Who directed Jaws?"}, context={})
    assert result["answer"] == "Jaws (1975) was directed by Steven Spielberg."
    assert result["route_source"] == "model" and result["records"][0]["model"] == ROUTING_MODEL  # env + toml
    assert (api["home"] / "graph").is_dir()  # THEOROS_HOME, not a default


def test_two_assistants_with_different_settings(client):
    by_model = client.assistants.create(
        "supervisor", context={"query_writer_strategy": "intent", "query_writer_model": INTENT_MODEL}, name="model"
    )
    by_rules = client.assistants.create("supervisor", context={"query_writer_strategy": "rules"}, name="rules")
    question = {"question": "Who directed Alien?"}
    model_run = client.runs.wait(None, by_model["assistant_id"], input=question)
    rules_run = client.runs.wait(None, by_rules["assistant_id"], input=question)
    assert "Ridley Scott" in model_run["answer"] and "Ridley Scott" in rules_run["answer"]
    writers = {r["model"] for r in model_run["records"] if r["agent"] == "query_writer" and r["model"]}
    assert writers == {INTENT_MODEL}
    assert not [r for r in rules_run["records"] if r["agent"] == "query_writer" and r["model"]]


@pytest.mark.parametrize(
    ("context", "named"),
    [
        ({"wikipedia_mcp": "stdio:touch {marker}"}, "wikipedia_mcp"),
        ({"home": "{marker}"}, "home"),
        ({"query_writer_prompt": "{marker}.yaml"}, "query_writer_prompt"),
        ({"colour": "red"}, "colour"),
        ({"query_writer_strategy": "bogus"}, "query_writer_strategy"),
    ],
)
def test_a_run_may_not_change_server_settings(client, api, context, named):
    marker = api["workdir"] / f"touched-{named}"
    context = {k: v.replace("{marker}", str(marker)) for k, v in context.items()}
    with pytest.raises(httpx.HTTPStatusError) as info:
        client.runs.wait(None, "supervisor", input={"question": "What is Zorblax about?"}, context=context)
    assert info.value.response.status_code == 422 and named in info.value.response.text
    assert not marker.exists()


def test_an_assistant_may_not_carry_server_settings(client):
    with pytest.raises(httpx.HTTPStatusError) as info:
        client.assistants.create("supervisor", context={"sparql_endpoint": "http://10.0.0.1/sparql"})
    assert info.value.response.status_code == 422 and "sparql_endpoint" in info.value.response.text


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_is_refused(client, question):
    with pytest.raises(httpx.HTTPStatusError) as info:
        client.runs.wait(None, "supervisor", input={"question": question})
    assert info.value.response.status_code == 422 and "empty" in info.value.response.text


def test_requests_without_a_key_get_401(api):
    assert httpx.post(f"{api['url']}/assistants/search", json={}, timeout=30).status_code == 401
    wrong = httpx.post(f"{api['url']}/assistants/search", json={}, headers={"x-api-key": "nope"}, timeout=30)
    assert wrong.status_code == 401
    right = httpx.post(f"{api['url']}/assistants/search", json={}, headers={"x-api-key": KEY}, timeout=30)
    assert right.status_code == 200


def test_the_readme_example_runs_as_written(api):
    readme = (REPO / "README.md").read_text()
    section = readme.split("### As a LangGraph API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    code = code.replace("http://127.0.0.1:2024", api["url"])
    env = os.environ | {"LANGGRAPH_API_KEY": KEY}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "Jaws (1975) was directed by Steven Spielberg."
    assert "score" in lines[1] or "error" in lines[1]  # the judge's verdict from the assistant with the gate on


def test_the_cli_answers_while_the_server_holds_the_store(api):
    theoros = Path(sys.executable).parent / "theoros"
    env = os.environ | {"THEOROS_HOME": str(api["home"])}
    env.pop("THEOROS_CONFIG", None)
    done = subprocess.run(
        [str(theoros), "ask", "--json", "Who directed Jaws?"], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answer"] == "Jaws (1975) was directed by Steven Spielberg."
