"""docker-compose.yml deploys what it says: Debian's `docker-compose config` accepts it, every THEOROS_* variable
it sets is a real setting with a valid value, every service is health-checked, and every file it mounts exists."""

import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from theoros_agents.context import Context, resolve_context

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
FILES = ("docker-compose.yml", "docker-compose.gpu.yml")
NOT_SETTINGS = {"THEOROS_CONFIG", "THEOROS_API_KEYS", "THEOROS_CHECKPOINTER", "THEOROS_MCP_TOKEN"}
"""THEOROS_* variables that are not `Context` fields: the settings file, the API's keys, the thread store, and
the bearer token of `theoros mcp`."""
UNCHECKED = {"librechat"}
"""LibreChat's image defines no probe we could rely on; nothing depends on it."""


def _docker_compose() -> str:
    found = shutil.which("docker-compose")
    if not found:
        message = "docker-compose not installed (apt-get install -y docker-compose)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return str(found)


@pytest.fixture(scope="module")
def resolved() -> dict:
    """The file as `docker-compose config` resolves it (defaults filled in, GPU override merged), with no .env."""
    command = [_docker_compose(), "--project-directory", str(REPO), *(a for f in FILES for a in ("-f", f)), "config"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THEOROS_", "OLLAMA_", "POSTGRES_", "SPARQL_"))}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_docker_compose_accepts_the_file_and_its_gpu_override(resolved):
    assert set(resolved["services"]) == {
        "ollama",
        "chroma",
        "sparql",
        "postgres",
        "wikipedia-mcp",
        "theoros",
        "theoros-mcp",
        "mongodb",
        "librechat",
    }
    devices = resolved["services"]["ollama"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": "all", "capabilities": ["gpu"]}]
    assert {s for s, spec in resolved["services"].items() if spec.get("profiles") == ["chat"]} == {
        "librechat",
        "mongodb",
    }


def test_every_theoros_variable_is_a_real_setting_with_a_valid_value(resolved):
    fields = {"THEOROS_" + f.name.upper() for f in dataclasses.fields(Context)}
    for name in ("theoros", "theoros-mcp"):
        environment = resolved["services"][name]["environment"]
        theoros = {k: str(v) for k, v in environment.items() if k.startswith("THEOROS_")}
        unknown = sorted(set(theoros) - fields - NOT_SETTINGS)
        assert not unknown, f"{name} sets {unknown}, which are not Theoros settings"
        context = resolve_context(environ=theoros)
        assert (context.home, context.sparql_endpoint, context.chroma_url) == (
            "/data",
            "http://sparql:7878/query",
            "http://chroma:8000",
        )
        assert environment["OLLAMA_HOST"] == "http://ollama:11434"
        assert theoros["THEOROS_CHECKPOINTER"].startswith("postgresql://")


def test_an_agent_runs_on_an_ollama_model_that_the_ollama_service_pulls(resolved):
    environment = resolved["services"]["theoros"]["environment"]
    on_ollama = {
        v.removeprefix("ollama:") for k, v in environment.items() if k.endswith("_MODEL") and v.startswith("ollama:")
    }
    assert on_ollama, "no agent uses the Ollama service"
    assert on_ollama <= set(resolved["services"]["ollama"]["environment"]["OLLAMA_PULL"].split())


def test_every_service_but_librechat_is_health_checked_and_waited_for(resolved):
    services = resolved["services"]
    for name, spec in services.items():
        if name in UNCHECKED:
            continue
        check = spec.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
    for name, spec in services.items():
        for dependency, how in (spec.get("depends_on") or {}).items():
            assert how == {"condition": "service_healthy"}, f"{name} does not wait for {dependency} to be healthy"
            assert dependency not in UNCHECKED


def _mounts(spec: dict) -> list[tuple[str, str]]:
    """(source, target) of each mount; `docker-compose config` writes them as "source:target:mode"."""
    return [tuple(v.split(":")[:2]) for v in spec.get("volumes", [])]


def test_state_lives_in_named_volumes(resolved):
    named = set(resolved["volumes"])
    assert {"ollama", "chroma", "sparql", "postgres", "theoros", "mongodb"} <= named
    for service in ("ollama", "chroma", "sparql", "postgres", "theoros", "theoros-mcp", "mongodb"):
        sources = {source for source, _ in _mounts(resolved["services"][service])}
        assert sources & named, f"{service} keeps no named volume"


def test_every_mounted_file_and_build_context_exists(resolved):
    for name, spec in resolved["services"].items():
        for source, _target in _mounts(spec):
            if source.startswith("/"):
                assert Path(source).is_file(), f"{name} mounts {source}, which does not exist"
                assert Path(source).is_relative_to(REPO), f"{name} mounts {source}, outside the repository"
        build = spec.get("build")
        if build:
            assert (Path(build["context"]) / "Dockerfile").is_file(), f"{name} builds {build} without a Dockerfile"
    assert _mounts(resolved["services"]["librechat"]) == [(str(REPO / "docs/librechat.yaml"), "/app/librechat.yaml")]
    assert (str(REPO / "theoros_agents/knowledge/catalog/films.nt"), "/seed/graph.nt") in _mounts(
        resolved["services"]["sparql"]
    )


def test_the_image_copies_what_exists_and_leaves_the_virtualenv_out():
    lines = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    ignored = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert {".venv", ".git", "tests"} <= set(ignored)
    for line in (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (REPO / source).exists(), f"Dockerfile copies {source}, which does not exist"
                assert source not in ignored


def test_aegra_serves_the_graphs_langgraph_json_lists():
    langgraph = json.loads((REPO / "langgraph.json").read_text(encoding="utf-8"))
    aegra = json.loads((REPO / "aegra.json").read_text(encoding="utf-8"))
    listed = {name: entry["path"] if isinstance(entry, dict) else entry for name, entry in langgraph["graphs"].items()}
    assert aegra["graphs"] == listed
    assert aegra.get("auth") == {"path": "theoros_agents.server_auth:auth"}


def test_librechat_reaches_theoros_mcp_where_it_listens(resolved):
    librechat = yaml.safe_load((REPO / "docs/librechat.yaml").read_text(encoding="utf-8"))
    command = resolved["services"]["theoros-mcp"]["command"]
    port = command[command.index("--port") + 1]
    assert command[command.index("--allow-host") + 1] == "theoros-mcp"
    urls = [s["url"] for s in librechat["mcpServers"].values() if s.get("type") == "streamable-http"]
    assert f"http://theoros-mcp:{port}/mcp" in urls
    assert f"theoros-mcp:{port}" in librechat["mcpSettings"]["allowedAddresses"]
    assert resolved["services"]["librechat"]["environment"]["MONGO_URI"].startswith("mongodb://mongodb:27017/")
