import pytest

from theoros_agents.errors import QueryRejected
from theoros_agents.knowledge.graph_store import EmbeddedGraphStore
from theoros_agents.knowledge.sparql import check_read_only, entity_ids


@pytest.mark.parametrize(
    "update",
    [
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { wd:Q1 wdt:P57 wd:Q2 }",
        "PREFIX wd: <http://www.wikidata.org/entity/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "LOAD <http://example.org/data.nt>",
        "SELECT * WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_before_execution(update):
    with pytest.raises(QueryRejected, match="refused|syntax"):
        check_read_only(update)


def test_update_words_inside_literals_are_fine():
    query = 'SELECT ?f WHERE { ?f rdfs:label "Delete Where" }'
    assert check_read_only(query).endswith(query)


@pytest.mark.parametrize("broken", ["SELEC ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE { ?x wdt:P57 ", ""])
def test_syntax_errors_are_rejected(broken):
    with pytest.raises(QueryRejected):
        check_read_only(broken)


def test_entity_ids_finds_prefixed_and_full_iris():
    query = "SELECT ?x WHERE { wd:Q42 wdt:P57 ?x . ?x wdt:P161 <http://www.wikidata.org/entity/Q7> }"
    assert entity_ids(query) == {"Q42", "Q7"}


def test_embedded_store_never_runs_an_update():
    store = EmbeddedGraphStore(None)
    store.store.update(
        'INSERT DATA { <http://www.wikidata.org/entity/Q1> <http://www.w3.org/2000/01/rdf-schema#label> "x" }'
    )
    with pytest.raises(QueryRejected):
        store.select("DELETE WHERE { ?s ?p ?o }")
    assert len(store) == 1
    assert store.select("SELECT ?l WHERE { wd:Q1 rdfs:label ?l }") == [{"l": "x"}]


def test_a_store_opened_read_only_says_so_and_refuses_loads(tmp_path):
    from theoros_agents.errors import StoreError

    EmbeddedGraphStore(tmp_path / "graph").load_ntriples(
        b'<http://www.wikidata.org/entity/Q1> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n', "test"
    )
    viewer = EmbeddedGraphStore(tmp_path / "graph", read_only=True)
    assert len(viewer) == 1 and viewer.describe().endswith("(read-only)")
    with pytest.raises(StoreError, match="opened read-only"):
        viewer.load_ntriples(b"", "test")


@pytest.mark.parametrize(
    "federated",
    [
        "SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o . service silent <http://127.0.0.1:8080/> { ?s ?q ?r } }",
    ],
)
def test_a_query_may_not_call_another_server(federated):
    with pytest.raises(QueryRejected, match="SERVICE refused"):
        check_read_only(federated)
