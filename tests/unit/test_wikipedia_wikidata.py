"""Online sources without the network: Wikipedia through recorded API answers, Wikidata's CONSTRUCT in memory."""

import json
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from theoros_agents.context import resolve_context
from theoros_agents.errors import StoreError
from theoros_agents.knowledge.graph_store import USER_AGENT, EmbeddedGraphStore
from theoros_agents.knowledge.ingest import ingest_wikipedia
from theoros_agents.knowledge.sparql import check_read_only
from theoros_agents.knowledge.stores import plot_store
from theoros_agents.knowledge.wikidata import construct_query
from theoros_agents.knowledge.wikipedia import WikipediaClient, fetch_documents, film_year, plot_text

RECORDED = json.loads((Path(__file__).parent / "recorded" / "wikipedia_api.json").read_text(encoding="utf-8"))


def _transport(seen: list[httpx.Request], throttle_first: bool = False) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if throttle_first and len(seen) == 1:
            return httpx.Response(429, headers={"Retry-After": "0"})
        return httpx.Response(200, json=RECORDED[request.url.params["titles"]])

    return httpx.MockTransport(handle)


def test_plot_section_is_taken_with_its_subsections_and_without_later_sections():
    text = plot_text(RECORDED["Jaws (film)"]["query"]["pages"][0]["extract"])
    assert text.startswith("During a beach party") and "Quint's boat" in text
    assert "Hunting the shark" not in text and "Roy Scheider" not in text and "Martha" not in text
    assert plot_text("Only an introduction.") == "Only an introduction."
    assert film_year("Heat (1995 film)", "") == 1995 and film_year("Jaws", "Jaws is a 1975 American film. 1999") == 1975


def test_fetching_follows_etiquette_retries_429_and_reports_missing_pages():
    seen: list[httpx.Request] = []
    client = WikipediaClient(transport=_transport(seen, throttle_first=True))
    documents, missing = fetch_documents(client, ["Jaws (film)", "Nosuchfilm 3000"])
    assert missing == ["Nosuchfilm 3000"] and len(seen) == 3  # one 429 retried
    assert all(r.headers["User-Agent"] == USER_AGENT and r.url.params["maxlag"] == "5" for r in seen)
    jaws = documents[0]
    assert (jaws.title, jaws.year, jaws.qid, jaws.source) == ("Jaws", 1975, "Q189505", "wikipedia")
    assert jaws.url == "https://en.wikipedia.org/wiki/Jaws_(film)"


def test_an_api_error_or_an_unreachable_api_is_a_store_error():
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"error": {"code": "maxlag", "info": "Waiting for a database server"}})

    with pytest.raises(StoreError, match="Wikipedia refused 'Jaws': Waiting for a database server"):
        WikipediaClient(transport=httpx.MockTransport(refuse)).page("Jaws")

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    with pytest.raises(StoreError, match="unreachable"):
        WikipediaClient(transport=httpx.MockTransport(down)).page("Jaws")


def test_wikipedia_ingest_links_by_page_id_and_is_idempotent(tmp_path, monkeypatch):
    from theoros_agents.knowledge import catalog

    empty = tmp_path / "none.jsonl"
    empty.write_text("")
    monkeypatch.setattr(catalog, "SYNOPSES", empty)  # no starter synopses: this store holds only what is fetched
    context = resolve_context({"home": str(tmp_path / "home")})
    seen: list[httpx.Request] = []
    client = WikipediaClient(transport=_transport(seen))
    report, missing = ingest_wikipedia(context, ["Jaws (film)", "Spirited away", "Nosuchfilm 3000"], client)
    assert (report.added, report.linked, missing) == (2, 2, ["Nosuchfilm 3000"])
    hit = plot_store(context).search("a girl works in a bathhouse for spirits", 1)[0]
    assert (hit.title, hit.year, hit.metadata["qid"], hit.metadata["director"]) == (
        "Spirited Away",
        2001,
        "Q155653",
        "Hayao Miyazaki",
    )
    again, _ = ingest_wikipedia(context, ["Jaws (film)", "Spirited away"], client)
    assert (again.added, again.skipped) == (0, 2)


WIKIDATA_LIKE = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
wd:Q189505 wdt:P31 wd:Q11424 ; rdfs:label "Jaws"@en, "Der weiße Hai"@de ;
  wdt:P57 wd:Q8877 ; wdt:P577 "1975-06-20T00:00:00Z"^^xsd:dateTime ; wdt:P136 _:unknown ;
  wdt:P18 "Jaws poster.jpg" .
wd:Q8877 rdfs:label "Steven Spielberg"@en, "Steven Spielberg"@fr .
"""


def test_the_construct_copies_english_labels_plain_dates_and_only_film_facts():
    source = ox.Store()
    source.load(input=WIKIDATA_LIKE.encode(), format=ox.RdfFormat.TURTLE)
    query = check_read_only(construct_query(["Q189505"]))  # what the remote store sends, prefixes included
    graph = EmbeddedGraphStore()
    graph.load_ntriples(ox.serialize(source.query(query), format=ox.RdfFormat.N_TRIPLES), "test")  # type: ignore[arg-type]
    rows = graph.select("SELECT ?p ?o WHERE { wd:Q189505 ?p ?o }", max_rows=0)
    facts = {(r["p"].rsplit("/", 1)[-1].rsplit("#", 1)[-1], r["o"]) for r in rows}
    assert facts == {
        ("label", "Jaws"),
        ("P57", "http://www.wikidata.org/entity/Q8877"),
        ("P577", "1975-06-20T00:00:00Z"),
    }
    assert graph.select("SELECT ?l WHERE { wd:Q8877 rdfs:label ?l }") == [{"l": "Steven Spielberg"}]
    assert graph.ask('ASK { wd:Q189505 wdt:P577 "1975-06-20T00:00:00Z" }')  # a plain string, as in the local KG
