"""Ingest throughput and peak memory: the KG file, then slices of two plot CSVs, each in a child process.

A child process per kind, so that its peak resident memory (`wait4`'s `ru_maxrss`) is that ingest's own,
not the benchmark's. The child times the ingest itself, into fresh stores in a temporary directory, after
opening them (and loading the embedding model), and prints its figures as JSON.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.report import Figure
from theoros_agents.evaluation.bench.timing import run_measured

SECTION = "Ingest"
PLOT_SLICES = (("netflix", "netflix_movies.csv", 300), ("plots", "wiki_movie_plots_sample.csv", 100))
"""Rows of each CSV ingested: embedding is the bottleneck, so a slice gives the rate."""


def ingest_kg(data: Path, workdir: Path) -> dict[str, Any]:
    """Load the KG file into a fresh embedded store; return triples and seconds."""
    from theoros_agents.knowledge.graph_store import EmbeddedGraphStore

    graph = EmbeddedGraphStore(workdir / "graph")
    started = time.perf_counter()
    graph.load(data / "wikidata_films.nt")
    return {"triples": len(graph), "seconds": time.perf_counter() - started}


def ingest_plots(data: Path, workdir: Path) -> dict[str, Any]:
    """Ingest slices of the plot CSVs into a fresh plot store (embedding included); per kind, documents and seconds."""
    from theoros_agents.context import resolve_context
    from theoros_agents.knowledge.plot_loader import load_documents
    from theoros_agents.knowledge.plot_store import PlotStore
    from theoros_agents.knowledge.readers import read_csv

    store = PlotStore.open(workdir, embedding_model=resolve_context().embedding_model)
    store.embedder.embed(["warm up"])  # the model load is start-up, not ingest
    figures: dict[str, Any] = {}
    for kind, name, rows in PLOT_SLICES:
        documents = read_csv(data / name, kind, rows)
        started = time.perf_counter()
        report = load_documents(store, documents, label=f"bench {kind}")
        seconds = time.perf_counter() - started
        figures[kind] = {"documents": len(documents), "passages": report.passages, "seconds": seconds}
    return figures


def _child(kind: str, data: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="theoros-bench-ingest-") as tmp:
        return ingest_kg(data, Path(tmp)) if kind == "kg" else ingest_plots(data, Path(tmp))


def run(config: BenchConfig) -> list[Figure]:
    """Run each ingest in a child process; report its rate and its peak memory."""
    if not (config.data / "wikidata_films.nt").is_file():
        raise FileNotFoundError(f"no development data at {config.data} (set THEOROS_DATA or --data)")
    figures = []
    for kind in ("kg", "plots"):
        command = [sys.executable, "-m", "theoros_agents.evaluation.bench.ingest", kind, str(config.data)]
        measured = run_measured(command, timeout=1800)
        if measured.returncode != 0:
            raise RuntimeError(f"{kind} ingest failed (exit {measured.returncode}): {measured.stderr[-800:]}")
        result = json.loads(measured.stdout.strip().splitlines()[-1])
        memory = f"peak RSS {measured.max_rss_mb:.0f} MiB (the child process, ru_maxrss)"
        if kind == "kg":
            rate = result["triples"] / result["seconds"]
            note = f"{result['triples']:,} triples in {result['seconds']:.1f} s; {memory}"
            figures.append(
                Figure(
                    SECTION,
                    "KG ingest (wikidata_films.nt, embedded Oxigraph)",
                    rate,
                    "triples/s",
                    note=note,
                    extra=result,
                )
            )
            continue
        for name, part in result.items():
            rate = part["documents"] / part["seconds"]
            note = f"{part['documents']} docs, {part['passages']} passages in {part['seconds']:.1f} s; {memory}"
            figures.append(
                Figure(
                    SECTION,
                    f"plot ingest, {name} CSV (MiniLM embedding, Chroma, BM25)",
                    rate,
                    "docs/s",
                    note=note,
                    extra=part,
                )
            )
    return figures


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], Path(sys.argv[2]))))
