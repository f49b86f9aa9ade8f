"""Load films from a Wikidata SPARQL endpoint into the embedded graph, in Theoros' plain Wikidata vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from tqdm import tqdm

from theoros_agents.knowledge.graph_store import EmbeddedGraphStore, RemoteGraphStore
from theoros_agents.knowledge.sparql import WD

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
FILM_PROPERTIES = ("P57", "P161", "P58", "P162", "P136", "P577", "P495", "P166")
BATCH = 25
# Live Wikidata's query service asks for at most a few requests per second from one client.
WIKIDATA_INTERVAL = 1.0
TIMEOUT = 60.0


@dataclass
class WikidataReport:
    """What one Wikidata load did."""

    films: int = 0
    skipped: int = 0
    loaded: int = 0
    triples: int = 0

    def summary(self) -> str:
        """Say it in one line."""
        return f"{self.films} films: {self.loaded} loaded ({self.triples} new triples), {self.skipped} already stored"


def endpoint_store(endpoint: str) -> RemoteGraphStore:
    """Open an endpoint for loading: a long timeout, and the live service's pace when it is live Wikidata."""
    polite = (urlparse(endpoint).hostname or "").endswith("wikidata.org")
    return RemoteGraphStore(endpoint, timeout=TIMEOUT, min_interval=WIKIDATA_INTERVAL if polite else 0.0)


def film_ids(remote: RemoteGraphStore, limit: int) -> list[str]:
    """Return up to `limit` Q-ids of films (instances of film, Q11424) that have a director."""
    query = f"SELECT DISTINCT ?film WHERE {{ ?film wdt:P31 wd:Q11424 ; wdt:P57 ?director . }} LIMIT {int(limit)}"
    rows = remote.select(query, max_rows=0)
    return [r["film"].removeprefix(WD) for r in rows if r.get("film", "").startswith(WD)]


def construct_query(qids: Sequence[str]) -> str:
    """Build the CONSTRUCT that copies films, their facts and English labels into plain literals.

    Labels lose their language tag and dates become plain strings, as in the rest of Theoros' graph; values that
    are not Wikidata entities or literals (unknown values) are left out.
    """
    films = " ".join(f"wd:{q}" for q in qids)
    properties = " ".join(f"wdt:{p}" for p in FILM_PROPERTIES)
    return f"""CONSTRUCT {{ ?film rdfs:label ?filmLabel . ?film ?p ?o . ?o rdfs:label ?oLabel . }}
WHERE {{
  VALUES ?film {{ {films} }}
  {{
    ?film rdfs:label ?fl . FILTER(LANG(?fl) = "en") BIND(STR(?fl) AS ?filmLabel)
  }} UNION {{
    VALUES ?p {{ {properties} }}
    ?film ?p ?v .
    FILTER(isLiteral(?v) || STRSTARTS(STR(?v), STR(wd:)))
    BIND(IF(isLiteral(?v), STR(?v), ?v) AS ?o)
    OPTIONAL {{ ?v rdfs:label ?vl . FILTER(LANG(?vl) = "en") }}
    BIND(STR(?vl) AS ?oLabel)
  }}
}}"""


def stored_films(graph: EmbeddedGraphStore, qids: Sequence[str]) -> set[str]:
    """Return which of the films already have a label in the graph (a loaded batch always brings the label)."""
    found: set[str] = set()
    for start in range(0, len(qids), 500):
        values = " ".join(f"wd:{q}" for q in qids[start : start + 500])
        rows = graph.select(f"SELECT ?f WHERE {{ VALUES ?f {{ {values} }} ?f rdfs:label ?l }}", max_rows=0)
        found.update(r["f"].removeprefix(WD) for r in rows)
    return found


def load_films(graph: EmbeddedGraphStore, remote: RemoteGraphStore, limit: int) -> WikidataReport:
    """Copy up to `limit` films into the graph, one committed transaction per batch; stored films are skipped."""
    qids = film_ids(remote, limit)
    done = stored_films(graph, qids)
    todo = [q for q in qids if q not in done]
    report = WikidataReport(films=len(qids), skipped=len(qids) - len(todo))
    before = len(graph)
    with tqdm(total=len(todo), desc="wikidata", unit="film", disable=not todo, mininterval=0.5) as bar:
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            graph.load_ntriples(remote.construct(construct_query(batch)), f"{remote.endpoint} (films {batch[0]}…)")
            report.loaded += len(batch)
            bar.update(len(batch))
    report.triples = len(graph) - before
    return report
