"""Real servers for integration tests, started on free loopback ports and stopped after the tests that use them."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
REPO = Path(__file__).resolve().parents[2]
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DATE = ox.NamedNode(WDT + "P577")
DIRECTOR = ox.NamedNode(WDT + "P57")
DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def free_port() -> int:
    """Return a loopback port nobody listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    """A loopback port with nothing listening on it."""
    return free_port()


def _binary(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.is_file() else shutil.which(name)
    if not found:
        message = f"{name!r} not installed (pip install -e '.[dev]')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(found)


def _wait_until_up(url: str, server: subprocess.Popen, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"{what} exited with code {server.returncode} before answering")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    pytest.fail(f"{what} did not answer at {url} within {timeout:g} s")


@contextlib.contextmanager
def serve(command: list[str], health_url: str, what: str, timeout: float = 60.0, **popen: Any) -> Iterator[None]:
    """Run a server process until the block ends, once `health_url` answers."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen)
    try:
        _wait_until_up(health_url, server, what, timeout)
        yield
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def wikidata_like(source: Path, target: Path) -> None:
    """Rewrite the local KG as live Wikidata serves it: English and German labels, typed dates, films typed Q11424."""
    films: set[ox.NamedNode] = set()
    quads = []
    for triple in ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES):
        s, p, o = triple.subject, triple.predicate, triple.object
        if p == LABEL and isinstance(o, ox.Literal):
            quads += [
                ox.Triple(s, p, ox.Literal(o.value, language="en")),
                ox.Triple(s, p, ox.Literal(o.value + " (de)", language="de")),
            ]
        elif p == DATE and isinstance(o, ox.Literal):
            quads.append(ox.Triple(s, p, ox.Literal(o.value, datatype=DATETIME)))
        else:
            quads.append(triple)
        if p == DIRECTOR and isinstance(s, ox.NamedNode):
            films.add(s)
    quads += [ox.Triple(f, ox.NamedNode(WDT + "P31"), ox.NamedNode(WD + "Q11424")) for f in sorted(films, key=str)]
    ox.serialize(quads, output=str(target), format=ox.RdfFormat.N_TRIPLES)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[str]:
    """A real `oxigraph serve` holding the development KG in live Wikidata's shape; yields its base URL."""
    binary = _binary("oxigraph")
    workdir = tmp_path_factory.mktemp("oxigraph")
    dump = workdir / "wikidata_like.nt"
    wikidata_like(data_dir / "wikidata_films.nt", dump)
    location = workdir / "store"
    subprocess.run([binary, "load", "--location", str(location), "--file", str(dump)], check=True, capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    with serve(command, f"{url}/query?query=ASK%7B%7D", "oxigraph serve"):
        yield url


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server with an empty database; yields its URL."""
    binary = _binary("chroma")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    path = tmp_path_factory.mktemp("chroma")
    command = [binary, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    with serve(command, f"{url}/api/v2/heartbeat", "chroma run"):
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL cluster (Debian's binaries, initdb in a temporary directory); yields its URL."""
    from tests.integration.postgres import postgres_cluster

    with postgres_cluster(free_port()) as url:
        yield url
