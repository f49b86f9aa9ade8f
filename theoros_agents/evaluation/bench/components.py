"""Each component alone, warm, on the `make bench` stores: routing, linking, SPARQL, search, tagging, judging."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from functools import partial
from typing import Any

from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.report import Figure
from theoros_agents.evaluation.bench.timing import Summary, time_calls

SECTION = "Components"
ROUTING = (
    "Who directed Jaws?",
    "What is Spirited Away about?",
    "Find the film where a shark attacks a beach town",
    "hello",
    "How do I bake sourdough bread?",
    "Who directed Alien and what is it about?",
    "which films did richard brooks produce?",
    "Tag this synopsis: a retired boxer trains his granddaughter for a title fight",
)
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
FILTERS: tuple[dict[str, Any], ...] = (
    {"year": {"$gte": 2000}},
    {"source": "netflix"},
    {"genres": {"$contains": "dramas"}},
    {"country": {"$contains": "Japan"}},
)
ONE_HOP = "SELECT ?director ?label WHERE {{ <{film}> wdt:P57 ?director . ?director rdfs:label ?label }}"
MULTI_HOP = (
    "SELECT DISTINCT ?other ?label WHERE {{ <{film}> wdt:P161 ?actor . ?other wdt:P161 ?actor . "
    "?other rdfs:label ?label . FILTER(?other != <{film}>) }}"
)
"""Films sharing a cast member with a film: two hops through the cast, joined back to labels."""
JUDGED = (
    ("Who directed Jaws?", "Jaws (1975) was directed by Steven Spielberg.", "director=Steven Spielberg (Q8877)"),
    ("Who directed Alien?", "Alien (1979) was directed by James Cameron.", "director=Ridley Scott (Q56005)"),
    ("Who wrote Casablanca?", "Casablanca was written by Julius J. Epstein.", "screenwriter=Julius J. Epstein"),
    ("What is Jaws about?", "A shark terrorizes a beach town.", "Jaws (1975): a great white shark attacks swimmers"),
)


def _figure(name: str, timings: list[float], note: str = "") -> Figure:
    summary = Summary.of(timings)
    return Figure(SECTION, name, summary.p50, "ms", summary.p95, n=summary.n, note=note)


def _films_with(graph: Any, prop: str, limit: int = 20) -> list[str]:
    rows = graph.select(f"SELECT DISTINCT ?f WHERE {{ ?f wdt:{prop} ?x }} ORDER BY ?f LIMIT {limit}", validate=False)
    return [row["f"] for row in rows]


def _sparql(graph: Any, rounds: int) -> list[Figure]:
    """One-hop and multi-hop lookups, each through the read-only check as the query writer runs them."""
    size = f"{len(graph):,} triples" if hasattr(graph, "__len__") else "remote store"
    one = [partial(graph.select, ONE_HOP.format(film=f)) for f in _films_with(graph, "P57")]
    multi = [partial(graph.select, MULTI_HOP.format(film=f), max_rows=200) for f in _films_with(graph, "P161")]
    return [
        _figure(f"SPARQL one-hop: a film's director ({size})", time_calls(one, rounds)),
        _figure("SPARQL multi-hop: films sharing an actor with a film", time_calls(multi, rounds), "up to 200 rows"),
    ]


def _search(store: Any, ranker: str, rounds: int) -> list[Figure]:
    size = store.count()
    plain = [partial(store.rank, ranker, q, 10) for q in QUERIES]
    filtered = [partial(store.rank, ranker, q, 10, w) for q in QUERIES for w in FILTERS]
    return [
        _figure(f"hybrid search ({ranker} ranker) k=10 ({size:,} passages)", time_calls(plain, rounds)),
        _figure(
            f"hybrid search ({ranker} ranker) k=10 with a metadata filter", time_calls(filtered, max(1, rounds // 2))
        ),
    ]


def _graph_calls(graph: Any, inputs: list[dict[str, Any]], context: Any) -> list[Callable[[], object]]:
    def call(item: dict[str, Any]) -> object:
        return asyncio.run(graph.ainvoke(item, context=context))

    return [partial(call, item) for item in inputs]


def _tagging(context: Any, rounds: int) -> Figure:
    import dataclasses

    from theoros_agents.agents.registry import get_agent
    from theoros_agents.knowledge.catalog import SYNOPSES

    synopses = [json.loads(line)["synopsis"] for line in SYNOPSES.read_text(encoding="utf-8").splitlines()[:8]]
    tagging = dataclasses.replace(context, tagger_strategy="embedding")
    calls = _graph_calls(get_agent("tagger").compiled(), [{"question": s} for s in synopses], tagging)
    return _figure("tagging a synopsis (embedding strategy, tagger graph)", time_calls(calls, rounds), "no model call")


def _judging(context: Any, rounds: int) -> list[Figure]:
    """The default strategy (a trained regression, no model call) and the model's probability-weighted score."""
    import dataclasses

    from theoros_agents.agents.registry import get_agent

    inputs = [{"rubric": "answer", "question": q, "answer": a, "facts": f} for q, a, f in JUDGED]
    graph = get_agent("judge").compiled()
    figures = []
    for strategy, note in (("classic", "no model call"), ("logprob", f"{context.judge_model}, one call each")):
        calls = _graph_calls(graph, inputs, dataclasses.replace(context, judge_strategy=strategy))
        label = f"judging an answer ({strategy} strategy, judge graph)"
        figures.append(_figure(label, time_calls(calls, rounds), note))
    return figures


def run(config: BenchConfig) -> list[Figure]:
    """Time each component over a fixed set of inputs, after one warm-up pass."""
    from theoros_agents.context import resolve_context
    from theoros_agents.knowledge.stores import graph_store, label_index, plot_store
    from theoros_agents.supervisor.classifier import router_classifier
    from theoros_agents.supervisor.router import fast_route

    context = resolve_context()
    rounds = 2 if config.quick else max(config.rounds, 5)
    classifier = router_classifier(context.home)
    index = label_index(context)
    figures = [
        _figure(
            "routing (classifier, no model call)",
            time_calls([partial(fast_route, q, classifier) for q in ROUTING], rounds),
        ),
        _figure(
            f"entity linking: one mention, exact then fuzzy ({len(index.by_label):,} labels)",
            time_calls([partial(index.link, m) for m in MENTIONS], rounds),
        ),
        _figure(
            "entity linking: every mention in a question",
            time_calls([partial(index.mentions, q) for q in ROUTING], rounds),
        ),
    ]
    figures += _sparql(graph_store(context), rounds)
    figures += _search(plot_store(context), context.retriever_ranker, rounds)
    figures.append(_tagging(context, rounds))
    figures += _judging(context, 1 if config.quick else 2)
    return figures
