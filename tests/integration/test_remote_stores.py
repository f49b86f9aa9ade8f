"""The remote graph store against a real `oxigraph serve`, a dead port and a slow server; Wikidata ingest from it."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from theoros_agents.cli import main
from theoros_agents.context import resolve_context
from theoros_agents.errors import QueryRejected, StoreError
from theoros_agents.knowledge.graph_store import USER_AGENT, RemoteGraphStore
from theoros_agents.knowledge.stores import graph_store, label_index

pytestmark = pytest.mark.integration
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_select_and_ask_over_http(oxigraph_server):
    store = RemoteGraphStore(f"{oxigraph_server}/query", timeout=10)
    sent: list[httpx.Request] = []
    store.client.event_hooks["request"].append(sent.append)
    rows = store.select(
        'SELECT ?name WHERE { ?film rdfs:label "Casablanca"@en ; wdt:P57 ?d . '
        '?d rdfs:label ?name FILTER(LANG(?name) = "en") }'
    )
    assert rows == [{"name": "Michael Curtiz"}]
    assert sent[0].headers["User-Agent"] == USER_AGENT
    assert store.ask("ASK { wd:Q132689 wdt:P31 wd:Q11424 }")
    assert not store.ask("ASK { wd:Q132689 wdt:P57 wd:Q1 }")
    assert len(store.select("SELECT ?f WHERE { ?f wdt:P31 wd:Q11424 }", max_rows=7)) == 7


def test_a_syntax_error_is_rejected_before_sending(oxigraph_server):
    with pytest.raises(QueryRejected, match="syntax"):
        RemoteGraphStore(f"{oxigraph_server}/query").select("SELECT ?x WHERE { ?x ")


@pytest.mark.parametrize(
    "update",
    [
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { wd:Q1 rdfs:label 'x' }",
        "DROP ALL",
        "PREFIX wd: <http://www.wikidata.org/entity/>\nCLEAR DEFAULT",
    ],
)
def test_an_update_never_leaves_the_process(oxigraph_server, update):
    sent: list[httpx.Request] = []
    store = RemoteGraphStore(f"{oxigraph_server}/query")
    before = store.select(COUNT)
    store.client = httpx.Client(event_hooks={"request": [sent.append]})
    with pytest.raises(QueryRejected, match="refused"):
        store.select(update)
    assert sent == []  # refused in the process: no request went out
    store.client = httpx.Client()
    assert store.select(COUNT) == before  # and the (read-write) server still holds everything


def test_an_endpoint_that_is_down_is_a_clear_error_at_once(unused_port):
    store = RemoteGraphStore(f"http://127.0.0.1:{unused_port}/query", timeout=2)
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"SPARQL endpoint http://127\.0\.0\.1:\d+/query unreachable"):
        store.ask("ASK {}")
    assert time.monotonic() - started < 2


class _Sleepy(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server protocol
        time.sleep(3)  # longer than the client's timeout, bounded so the server thread ends
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_slow_endpoint_is_abandoned_within_the_timeout():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sleepy)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        store = RemoteGraphStore(f"http://127.0.0.1:{server.server_port}/query", timeout=0.5)
        started = time.monotonic()
        with pytest.raises(StoreError, match="did not answer within 0.5 s"):
            store.select("SELECT * WHERE { ?s ?p ?o }")
        assert time.monotonic() - started < 2.5
    finally:
        server.shutdown()
        server.server_close()


def test_wikidata_ingest_from_a_local_endpoint_is_plain_and_idempotent(oxigraph_server, tmp_path, capsys):
    argv = ["ingest", "--wikidata", "--limit", "40", "--endpoint", f"{oxigraph_server}/query", "--home", str(tmp_path)]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert "40 films: " in first and " loaded (" in first
    context = resolve_context({"home": str(tmp_path)})
    films = [
        r["f"]
        for r in RemoteGraphStore(f"{oxigraph_server}/query").select(
            "SELECT DISTINCT ?f WHERE { ?f wdt:P31 wd:Q11424 ; wdt:P57 ?d }", max_rows=40
        )
    ]
    local = graph_store(context)
    for film in films:
        labels = local.select(f"SELECT ?l WHERE {{ <{film}> rdfs:label ?l }}")
        assert len(labels) == 1 and not labels[0]["l"].endswith("(de)")  # English only, plain literal
    dated = local.select(f"SELECT ?d WHERE {{ <{films[0]}> wdt:P577 ?d }}")
    assert dated and dated[0]["d"][:4].isdigit()
    assert local.ask(f'ASK {{ <{films[0]}> wdt:P577 "{dated[0]["d"]}" }}')  # a plain string, not xsd:dateTime
    assert label_index(context).entities[films[0].rsplit("/", 1)[-1]].year == int(dated[0]["d"][:4])
    assert main(argv) == 0
    assert "0 loaded (0 new triples), 40 already stored" in capsys.readouterr().out
