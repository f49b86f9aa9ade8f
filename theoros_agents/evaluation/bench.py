"""`make bench`: latency and throughput of the knowledge layer, medians of several runs, each beside its target.

Reads the stores under $THEOROS_HOME (the Makefile fills them first) and the development data in
$THEOROS_DATA (default ../shared/data). Prints figures only: timing targets are not test assertions.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from theoros_agents.context import resolve_context
from theoros_agents.knowledge.graph_store import EmbeddedGraphStore
from theoros_agents.knowledge.linker import LabelIndex
from theoros_agents.knowledge.stores import graph_store, label_index, plot_store

ROUNDS = 5
MENTIONS = (
    "the godfather part ii",
    "boyhood",
    "Spirited Away (2001)",
    "a star is born",
    "citizen kane",
    "steven spielberg",
    "the wizard of oz",
    "dances with wolfs",
    "stanley kubrik",
    "lawrence of arabai",
)
QUERIES = (
    "a great white shark terrorizes a seaside resort town",
    "a young girl is trapped in a world of spirits and must work in a bathhouse",
    "astronauts on a mission to Jupiter and a computer that turns against them",
    "a boxer from Philadelphia gets a shot at the heavyweight title",
    "a con man and his partner pull an elaborate scheme on a mob boss",
    "a family road trip goes wrong in the desert",
    "teenagers at a summer camp are stalked by a killer",
    "a lawyer defends a black man accused of rape in the Depression-era South",
    "a documentary about climate change and melting glaciers",
    "a stand-up comedian performs a special about family life",
    "two friends open a restaurant in Mumbai",
    "a cowboy rides into town to avenge his brother",
)
FILTERS: tuple[dict[str, Any] | None, ...] = (
    None,
    {"year": {"$gte": 2000}},
    {"source": "netflix"},
    {"genres": {"$contains": "dramas"}},
    {"country": {"$contains": "Japan"}},
    {"$and": [{"year": {"$gte": 1990}}, {"genres": {"$contains": "comedies"}}]},
)


@dataclass(frozen=True)
class Figure:
    """One measured figure and its target."""

    name: str
    value: float
    unit: str
    target: str
    met: bool | None


def _timed(calls: Sequence[Callable[[], object]], rounds: int = ROUNDS) -> list[float]:
    """Run every call once to warm up, then `rounds` times; return the timings in milliseconds."""
    for call in calls:
        call()
    timings = []
    for _ in range(rounds):
        for call in calls:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _p50(name: str, timings: list[float], limit_ms: float) -> Figure:
    p50 = statistics.median(timings)
    return Figure(f"{name} p50", p50, "ms", f"<= {limit_ms:g} ms", p50 <= limit_ms)


def bench_sparql(graph: Any) -> Figure:
    """Time the director lookup of one film (the read-only check included), over 20 films that have one."""
    rows = graph.select("SELECT DISTINCT ?f WHERE { ?f wdt:P57 ?d } ORDER BY ?f LIMIT 20", validate=False)
    query = "SELECT ?director ?label WHERE {{ <{}> wdt:P57 ?director . ?director rdfs:label ?label }}"
    queries = [query.format(row["f"]) for row in rows]
    calls = [partial(graph.select, q) for q in queries]
    size = len(graph) if isinstance(graph, EmbeddedGraphStore) else "?"
    return _p50(f"SPARQL director lookup ({size} triples)", _timed(calls), 5)


def bench_linking(index: LabelIndex) -> Figure:
    """Time linking one mention (exact, then fuzzy candidates), over the issue's examples and misspellings."""
    calls = [partial(index.link, m) for m in MENTIONS]
    return _p50(f"entity linking ({len(index.by_label)} labels)", _timed(calls), 5)


def _cold_search(plots: Any, query: str, where: dict[str, Any]) -> object:
    plots.lexical.forget_masks()
    return plots.search(query, 10, where=where)


def bench_search(plots: Any) -> list[Figure]:
    """Time hybrid search (BM25 + vectors, fused), with and without metadata filters, and each ranker alone."""
    size = plots.count()
    plain = _timed([partial(plots.search, q, 10) for q in QUERIES])
    filtered = _timed([partial(plots.search, q, 10, where=w) for q in QUERIES for w in FILTERS if w])
    first_use = _timed([partial(_cold_search, plots, q, w) for q in QUERIES for w in FILTERS if w])
    bm25 = _timed([partial(plots.bm25_search, q, 50) for q in QUERIES])
    vector = _timed([partial(plots.vector_search, q, 50) for q in QUERIES])
    if size < 10_000:
        print(f"warning: only {size} passages in the plot store; the target is for >= 10k", file=sys.stderr)
    return [
        _p50(f"hybrid search k=10 ({size} passages)", plain, 50),
        _p50("hybrid search k=10 with a filter", filtered, 50),
        _p50("hybrid search k=10, a filter's first use", first_use, 50),
        Figure("  BM25 alone (top 50) p50", statistics.median(bm25), "ms", "", None),
        Figure("  vectors alone (top 50) p50", statistics.median(vector), "ms", "", None),
    ]


def bench_ingest(data: Path) -> list[Figure]:
    """Time ingest into fresh stores: the whole KG file, then slices of the Netflix and plots CSVs (embedded)."""
    from theoros_agents.knowledge.plot_loader import load_documents
    from theoros_agents.knowledge.plot_store import PlotStore
    from theoros_agents.knowledge.readers import read_csv

    context = resolve_context()
    figures = []
    with tempfile.TemporaryDirectory(prefix="theoros-bench-") as tmp:
        graph = EmbeddedGraphStore(Path(tmp) / "graph")
        started = time.perf_counter()
        graph.load(data / "wikidata_films.nt")
        figures.append(Figure("KG ingest", len(graph) / (time.perf_counter() - started), "triples/s", "", None))
        store = PlotStore.open(Path(tmp), embedding_model=context.embedding_model)
        for kind, name, rows in (("netflix", "netflix_movies.csv", 300), ("plots", "wiki_movie_plots_sample.csv", 100)):
            documents = read_csv(data / name, kind, rows)
            started = time.perf_counter()
            report = load_documents(store, documents, label=f"bench {kind}")
            elapsed = time.perf_counter() - started
            figures.append(
                Figure(f"{kind} ingest ({report.passages} passages)", len(documents) / elapsed, "docs/s", "", None)
            )
        del graph
    return figures


def _print(figures: list[Figure]) -> None:
    width = max(len(f.name) for f in figures)
    for f in figures:
        verdict = "" if f.met is None else ("met" if f.met else "MISSED")
        print(f"{f.name:<{width}}  {f.value:>10.2f} {f.unit:<10} {f.target:<12} {verdict}", flush=True)


def main() -> int:
    """Measure and print every figure; exit 0 whatever the figures (they are reported, not asserted)."""
    context = resolve_context()
    data = Path(os.environ.get("THEOROS_DATA", "../shared/data"))
    print(f"stores: {context.home}   data: {data}   rounds: {ROUNDS} (first call of each is a warm-up)")
    index = label_index(context)
    figures = [bench_sparql(graph_store(context)), bench_linking(index)]
    figures += bench_search(plot_store(context))
    _print(figures)
    if (data / "wikidata_films.nt").is_file():
        _print(bench_ingest(data))
    else:
        print(f"ingest throughput skipped: no development data at {data}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
