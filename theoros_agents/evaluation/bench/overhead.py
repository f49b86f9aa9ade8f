"""Framework overhead: a whole `ask` through the supervisor graph against the same node functions called directly.

The direct path awaits the very coroutines the graphs run (the supervisor's `route` and `compose`, each
specialist's nodes, its `route_after_*` functions choosing the next one) and merges their updates with the
state's reducers, with no LangGraph runtime: no channels, no Pregel steps, no subgraphs, no `Send`. The
difference between the two is what the framework costs per request. With the instant model it is measured
in milliseconds; as a share of the wall time with the embedded model (SmolLM2 routing the request and picking
the relation) it says how much of a real request the framework takes.
"""

from __future__ import annotations

import asyncio
from typing import Any

from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.instant import MODEL_SETTINGS, instant_settings
from theoros_agents.evaluation.bench.report import Figure, Target
from theoros_agents.evaluation.bench.timing import Summary, median, ratio, time_calls
from theoros_agents.state import extend

SECTION = "Framework overhead"
QUESTION = "Who directed Titanic?"
ACCUMULATING = frozenset({"findings", "sources", "records", "sparql", "attempts", "verdicts", "judgments"})
"""State keys whose updates are appended (their reducer is `extend`); every other key is replaced."""
MAX_STEPS = 12
"""Nodes one specialist may run in the direct path (its own attempt limit stops it sooner)."""


def merge(state: dict[str, Any], update: dict[str, Any] | None) -> dict[str, Any]:
    """Apply a node's update to the state the way the graphs' reducers do."""
    for key, value in (update or {}).items():
        state[key] = extend(state.get(key), value) if key in ACCUMULATING else value
    return state


async def _query_writer(task: dict[str, Any], runtime: Any) -> dict[str, Any]:
    from theoros_agents.agents.query_writer import graph as qw

    state = {"question": task["question"], "entities": task["entities"]}
    if qw.route_at_start(state, runtime) == "link_entities":  # type: ignore[arg-type]
        merge(state, await qw.link_entities(state, runtime))  # type: ignore[arg-type]
    if qw.route_after_link(state, runtime) == "write_query":  # type: ignore[arg-type]
        for _ in range(MAX_STEPS):
            merge(state, await qw.write_query(state, runtime))  # type: ignore[arg-type]
            merge(state, await qw.run_query(state, runtime))  # type: ignore[arg-type]
            if qw.route_after_run(state, runtime) == "compose_answer":  # type: ignore[arg-type]
                break
    return merge(state, await qw.compose_answer(state, runtime))  # type: ignore[arg-type]


async def _retriever(task: dict[str, Any], runtime: Any) -> dict[str, Any]:
    from theoros_agents.agents.retriever import graph as rt

    state = {"question": task["question"], "entities": task["entities"]}
    merge(state, await rt.search_plots(state, runtime))  # type: ignore[arg-type]
    if rt.route_after_search(state) == "ask_wikipedia":  # type: ignore[arg-type]
        merge(state, await rt.ask_wikipedia(state, runtime))  # type: ignore[arg-type]
    merge(state, await rt.answer_from_plots(state, runtime))  # type: ignore[arg-type]
    if rt.route_after_answer(state, runtime) == "write_answer":  # type: ignore[arg-type]
        merge(state, await rt.write_answer(state, runtime))  # type: ignore[arg-type]
    return state


SPECIALISTS = {"query_writer": _query_writer, "retriever": _retriever}
OUTPUT_KEYS = ("answer", "findings", "sources", "records", "sparql")


async def direct_ask(question: str, context: Any) -> dict[str, Any]:
    """Answer like the supervisor graph does, calling its node functions directly (fact and plot requests).

    Raises:
        NotImplementedError: For a request routed to an agent the direct path does not chain (tagger, judge gate).
    """
    from langgraph.runtime import Runtime

    from theoros_agents.supervisor import graph as supervisor

    runtime = Runtime(context=context)
    state: dict[str, Any] = {"question": question}
    merge(state, await supervisor.route(state, runtime))  # type: ignore[arg-type]
    tasks = state.get("tasks", [])
    unknown = [t["agent"] for t in tasks if t["agent"] not in SPECIALISTS]
    if unknown or context.judge_gate:
        raise NotImplementedError(f"the direct path chains only {sorted(SPECIALISTS)}, not {unknown or 'the judge'}")
    results = await asyncio.gather(*(SPECIALISTS[t["agent"]](t, runtime) for t in tasks))
    for result in results:
        merge(state, {k: result[k] for k in OUTPUT_KEYS if k in result and k != "answer"})
    return merge(state, await supervisor.compose(state, runtime))  # type: ignore[arg-type]


async def _interleaved(theoros: Any, context: Any, rounds: int) -> tuple[list[float], list[float], str]:
    """Time the graph and the direct path in turn, `rounds` times each, after one warm-up of both."""
    import time

    graph_answer = (await theoros.aask(QUESTION)).answer
    direct_answer = (await direct_ask(QUESTION, context))["answer"]
    if graph_answer != direct_answer:
        raise RuntimeError(f"the direct path answers {direct_answer!r}, the graph {graph_answer!r}")
    graph, direct = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        await theoros.aask(QUESTION)
        graph.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        await direct_ask(QUESTION, context)
        direct.append((time.perf_counter() - started) * 1000)
    return graph, direct, graph_answer


def run(config: BenchConfig) -> list[Figure]:
    """Measure `ask` and the direct path with the instant model, then with the embedded model."""
    from theoros_agents.api import Theoros
    from theoros_agents.context import resolve_context

    instant = resolve_context(instant_settings())
    embedded = resolve_context(dict(MODEL_SETTINGS))
    rounds = 20 if config.quick else 100
    app = Theoros(instant)
    graph, direct, answer = asyncio.run(_interleaved(app, instant, rounds))
    blocking = Summary.of(time_calls([lambda: app.ask(QUESTION)], rounds))
    model_rounds = 3 if config.quick else max(config.rounds, 7)
    graph_model, direct_model, _ = asyncio.run(_interleaved(Theoros(embedded), embedded, model_rounds))
    ask, alone = Summary.of(graph), Summary.of(direct)
    overhead = ask.p50 - alone.p50
    with_model = median(graph_model)
    share = ratio(overhead, with_model)
    measured_share = ratio(with_model - median(direct_model), with_model)
    note = f"{QUESTION!r} -> {answer!r}; routing model and query writer's model both asked"
    return [
        Figure(
            SECTION,
            "Theoros().ask with the instant model",
            blocking.p50,
            "ms",
            blocking.p95,
            Target(5),
            n=blocking.n,
            note=note,
        ),
        Figure(SECTION, "await aask, instant model", ask.p50, "ms", ask.p95, n=ask.n),
        Figure(SECTION, "the same nodes awaited directly, instant model", alone.p50, "ms", alone.p95, n=alone.n),
        Figure(SECTION, "framework overhead per request (aask p50 - direct p50)", overhead, "ms"),
        Figure(
            SECTION,
            "ask with the embedded model (SmolLM2 routes, picks the relation)",
            with_model,
            "ms",
            Summary.of(graph_model).p95,
            n=len(graph_model),
        ),
        Figure(
            SECTION,
            "framework share of ask wall time, embedded model",
            None if share is None else share * 100,
            "%",
            target=Target(5),
            note="overhead measured with the instant model / ask p50 with SmolLM2",
        ),
        Figure(
            SECTION,
            "  cross-check: (ask - direct) / ask, both with SmolLM2",
            None if measured_share is None else measured_share * 100,
            "%",
            n=len(graph_model),
            note="noisy: the model's own latency varies more than the overhead",
        ),
    ]
