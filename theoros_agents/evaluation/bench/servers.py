"""Real servers for the concurrency benchmark, started the way the integration tests start them.

`langgraph dev` and two Aegra workers on PostgreSQL are started with the helpers in `tests/integration`
(`serve`, `free_port`, `postgres_cluster`), so the benchmark and the tests run the very same set-up: loopback
only, free ports, stopped when the block ends. Those helpers report a failure through pytest; here it becomes
a `ServerError`, and a missing binary a `ServerUnavailable`.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from theoros_agents.aegra_setup import worker_command
from theoros_agents.evaluation.bench.config import REPO


class ServerError(RuntimeError):
    """A server could not be started or prepared."""


class ServerUnavailable(ServerError):
    """What a server needs is not installed here (PostgreSQL, Aegra, the LangGraph CLI)."""


@contextlib.contextmanager
def _pytest_outcomes() -> Iterator[None]:
    """Turn the integration helpers' pytest.fail/skip into exceptions a benchmark can report."""
    import pytest

    try:
        yield
    except pytest.skip.Exception as exc:
        raise ServerUnavailable(str(exc)) from None
    except pytest.fail.Exception as exc:
        raise ServerError(str(exc)) from None


def _helpers() -> tuple[Any, Any]:
    if not (REPO / "tests" / "integration" / "conftest.py").is_file():
        raise ServerUnavailable(f"the concurrency benchmark runs from the source tree; no tests/integration in {REPO}")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests.integration import conftest

    return conftest.serve, conftest.free_port


def server_environment(home: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """This environment without THEOROS_* settings or API keys, plus the server's home and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEOROS_")}
    return env | {"THEOROS_HOME": str(home), "LANGGRAPH_CLI_NO_ANALYTICS": "1", "LOG_LEVEL": "WARNING"} | dict(extra)


@contextlib.contextmanager
def langgraph_dev(home: Path, extra: Mapping[str, str]) -> Iterator[str]:
    """A real `langgraph dev` serving langgraph.json on a free loopback port; yields its URL."""
    serve, free_port = _helpers()
    binary = Path(sys.executable).with_name("langgraph")
    if not binary.is_file():
        raise ServerUnavailable("the LangGraph CLI is not installed (pip install -e '.[dev]')")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(binary), "dev", "--no-browser", "--no-reload", "--port", str(port)]
    env = server_environment(home, extra)
    with _pytest_outcomes(), serve(command, f"{url}/ok", "langgraph dev", timeout=180, cwd=REPO, env=env):
        yield url


@contextlib.contextmanager
def aegra_workers(home: Path, extra: Mapping[str, str], workers: int = 2) -> Iterator[list[str]]:
    """A PostgreSQL cluster and `workers` Aegra processes sharing its database; yields their URLs."""
    import importlib.util

    serve, free_port = _helpers()
    if importlib.util.find_spec("aegra_api") is None:
        raise ServerUnavailable("aegra-api is not installed (pip install -e '.[aegra]')")
    with _pytest_outcomes():
        from tests.integration.postgres import create_database, postgres_cluster

        with postgres_cluster(free_port()) as url:
            env = server_environment(home, extra) | {
                "DATABASE_URL": create_database(url, "aegra"),
                "AEGRA_CONFIG": str(REPO / "aegra.json"),
            }
            prepared = subprocess.run(
                [sys.executable, "-m", "theoros_agents.aegra_setup"],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if prepared.returncode != 0:
                raise ServerError(f"preparing Aegra's database failed: {prepared.stderr.strip()[-500:]}")
            with contextlib.ExitStack() as stack:
                urls = []
                for _ in range(workers):
                    port = free_port()
                    command = worker_command(port)
                    worker_url = f"http://127.0.0.1:{port}"
                    stack.enter_context(
                        serve(command, f"{worker_url}/health", "aegra worker", timeout=180, cwd=REPO, env=env)
                    )
                    urls.append(worker_url)
                yield urls
