"""Servers that die mid-run and come back: a clear partial answer meanwhile, nothing lost, the next question works."""

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.integration.conftest import _binary, _stop, _wait_until_up, free_port
from theoros_agents.api import Theoros
from theoros_agents.knowledge.catalog import FACTS

pytestmark = pytest.mark.integration
STUB = Path(__file__).parent / "wikipedia_stub.py"


@contextmanager
def restartable(command: list[str], health: str, what: str) -> Iterator[dict]:
    """A server that the test can kill and start again on the same port; stopped at the end whatever happens."""
    state = {"process": None}

    def start() -> None:
        state["process"] = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_until_up(health, state["process"], what)

    def kill() -> None:
        state["process"].kill()
        state["process"].wait(timeout=20)

    state["start"], state["kill"] = start, kill
    start()
    try:
        yield state
    finally:
        if state["process"].poll() is None:
            _stop(state["process"])


async def test_oxigraph_killed_mid_run_then_restarted(tmp_path):
    binary = _binary("oxigraph")
    location = tmp_path / "store"
    subprocess.run([binary, "load", "--location", str(location), "--file", str(FACTS)], check=True, capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    with restartable(command, f"{url}/query?query=ASK%7B%7D", "oxigraph serve") as server:
        theoros = Theoros(home=str(tmp_path / "home"), sparql_endpoint=f"{url}/query", query_timeout=5)
        first = await theoros.aask("Who directed Jaws?", thread_id="t")
        assert first.answer == "Jaws (1975) was directed by Steven Spielberg."
        server["kill"]()
        down = await theoros.aask("Who wrote Jaws?", thread_id="t")
        assert "could not answer" in down.answer and any(r["error"] for r in down.records)
        server["start"]()
        back = await theoros.aask("and who produced it?", thread_id="t")  # the thread survived the failed turn
        assert "Jaws (1975)" in back.answer and "David Brown" in back.answer


async def test_chroma_killed_mid_run_then_restarted_loses_nothing(tmp_path):
    binary = _binary("chroma")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [binary, "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1", "--port", str(port)]
    with restartable(command, f"{url}/api/v2/heartbeat", "chroma run") as server:
        theoros = Theoros(home=str(tmp_path / "home"), chroma_url=url)
        first = await theoros.aask("What is Alien about?")
        assert first.answer.startswith("Alien (1979):")
        from theoros_agents.knowledge.stores import plot_store

        stored = plot_store(theoros.context).count()
        server["kill"]()
        down = await theoros.aask("What is Jaws about?")
        assert down.answer.startswith("I cannot search the plot summaries right now")
        assert any(r["node"] == "search_plots" and r["error"] for r in down.records)
        server["start"]()
        back = await theoros.aask("What is Jaws about?")
        assert back.answer.startswith("Jaws (1975):")
        assert plot_store(theoros.context).count() == stored


async def test_an_mcp_server_that_crashes_mid_call_is_reported_then_used_again(tmp_path, own_home):
    calls = tmp_path / "calls.log"
    port = free_port()
    command = [sys.executable, str(STUB), str(calls), str(port)]
    health = f"http://127.0.0.1:{port}/mcp"
    with restartable(command, health, "wikipedia stub") as server:
        theoros = Theoros(home=str(own_home), wikipedia_mcp=f"http://127.0.0.1:{port}/mcp")
        Path(str(calls) + ".crash").write_text("crash")
        crashed = await theoros.aask("What is Zorblax and the Glass Orchard about?")
        assert "Wikipedia could not be asked" in crashed.answer
        assert any(r["node"] == "ask_wikipedia" and r["error"] for r in crashed.records)
        assert server["process"].wait(timeout=20) == 3  # it really died
        Path(str(calls) + ".crash").unlink()
        server["start"]()
        answered = await theoros.aask("What is Zorblax and the Glass Orchard about?")
        assert "glass trees" in answered.answer


def test_binary_junk_and_invalid_utf8_on_the_command_line(tmp_path):
    theoros = shutil.which("theoros", path=str(Path(sys.executable).parent))
    for junk in (b"\xff\xfejunk", b"Who directed \xc3\x28 Jaws?", b"\x01\x02\x03\x04\x05\x06"):
        done = subprocess.run([theoros, "ask", "--home", str(tmp_path), junk], capture_output=True, timeout=120)
        assert done.returncode == 2, done.stderr
        assert done.stderr.decode().startswith("error: ") and b"Traceback" not in done.stderr


def test_two_concurrent_ingests_of_the_same_file(tmp_path, data_dir):
    lines = (data_dir / "wikidata_films.nt").read_text(encoding="utf-8").splitlines()[:20_000]
    source = tmp_path / "slice.nt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    theoros = shutil.which("theoros", path=str(Path(sys.executable).parent))
    command = [theoros, "ingest", "--home", str(tmp_path / "home"), "--kg", str(source)]
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in both]
    assert 0 in [code for code, _ in results]
    for code, err in results:
        assert code == 0 or (code == 2 and "held by another process" in err and "Traceback" not in err), err
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "0 new triples" in again.stdout + again.stderr, again.stdout + again.stderr
