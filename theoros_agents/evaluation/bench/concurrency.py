"""Concurrency: 50 simultaneous requests through each API, and parallel fan-out against sequential parts.

50 requests at once go through the Python API, `langgraph dev` and two Aegra workers; a compound request is
timed against its two parts asked one after the other.
Every request uses the instant model (`instant.py`), so what is measured is Theoros, LangGraph and the
server, not inference. A request counts as an error when it raises, or when its answer lacks the director it
asks for. The servers get their own scratch home (the starter catalog), bind 127.0.0.1 on free ports and are
stopped when their block ends.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.instant import (
    FACT_QUESTIONS,
    READER_REPLY,
    WRITER_REPLY,
    instant_settings,
    server_environment,
)
from theoros_agents.evaluation.bench.report import Figure, Target
from theoros_agents.evaluation.bench.servers import ServerUnavailable, aegra_workers, langgraph_dev
from theoros_agents.evaluation.bench.timing import Summary, median

SECTION = "Concurrency"
REQUESTS = 50
TIMEOUT = 300.0
"""Seconds a burst may take before its unfinished requests count as errors."""
REMOTE_DELAY = 0.3
COMPOUND = ("Who directed Titanic and what is it about?", ("Who directed Titanic?", "What is Titanic about?"))


@dataclass
class Burst:
    """The outcome of requests sent together."""

    wall_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""


async def burst(send: Callable[[str], Awaitable[str]], requests: int) -> Burst:
    """Send `requests` fact questions at once; time each one and the whole; count failures."""
    outcome = Burst()

    async def one(i: int) -> None:
        question, expected = FACT_QUESTIONS[i % len(FACT_QUESTIONS)]
        started = time.perf_counter()
        try:
            answer = await send(question)
            problem = "" if expected in answer else f"{question!r} answered {answer[:120]!r}"
        except Exception as exc:  # noqa: BLE001 - every failure is counted and the first one reported
            problem = f"{type(exc).__name__}: {exc}"
        outcome.latencies_ms.append((time.perf_counter() - started) * 1000)
        if problem:
            outcome.errors += 1
            outcome.first_error = outcome.first_error or problem

    started = time.perf_counter()
    tasks = [asyncio.ensure_future(one(i)) for i in range(requests)]
    done, pending = await asyncio.wait(tasks, timeout=TIMEOUT)
    for task in pending:
        task.cancel()
    outcome.errors += len(pending)
    outcome.wall_s = time.perf_counter() - started
    return outcome


async def bursts(send: Callable[[str], Awaitable[str]], rounds: int, requests: int) -> list[Burst]:
    """One warm-up request, then `rounds` bursts."""
    await send(FACT_QUESTIONS[0][0])
    return [await burst(send, requests) for _ in range(rounds)]


def _figures(name: str, results: list[Burst], requests: int) -> list[Figure]:
    throughput = median([requests / b.wall_s for b in results])
    latency = Summary.of([ms for b in results for ms in b.latencies_ms])
    errors = sum(b.errors for b in results)
    first = next((b.first_error for b in results if b.first_error), "")
    bursts_note = f"{len(results)} bursts of {requests}"
    return [
        Figure(SECTION, f"{name}: throughput", throughput, "req/s", n=len(results), note=bursts_note),
        Figure(SECTION, f"{name}: latency of each request", latency.p50, "ms", latency.p95, n=latency.n),
        Figure(SECTION, f"{name}: errors", errors, "count", target=Target(0), n=latency.n, note=first[:200]),
    ]


def _python_api(config: BenchConfig, rounds: int, requests: int) -> list[Figure]:
    from theoros_agents.api import Theoros
    from theoros_agents.context import resolve_context

    theoros = Theoros(resolve_context(instant_settings()))

    async def send(question: str) -> str:
        return (await theoros.aask(question)).answer

    results = asyncio.run(bursts(send, rounds, requests))
    return _figures(f"Python API, {requests} at once (asyncio.gather on aask)", results, requests)


def _http(urls: list[str], rounds: int, requests: int) -> list[Burst]:
    """Bursts against LangGraph API servers: each request makes a thread and waits for its run (round robin)."""
    from langgraph_sdk import get_client

    async def go() -> list[Burst]:
        clients = [get_client(url=url, timeout=TIMEOUT) for url in urls]
        turn = iter(range(10**9))

        async def send(question: str) -> str:
            client = clients[next(turn) % len(clients)]
            thread = await client.threads.create()
            result = await client.runs.wait(thread["thread_id"], "supervisor", input={"question": question})
            return str(result.get("answer", "")) if isinstance(result, dict) else ""

        return await bursts(send, rounds, requests)

    return asyncio.run(go())


def _fan_out(rounds: int) -> list[Figure]:
    """A compound request against its two parts asked one after the other, each model call taking REMOTE_DELAY s."""
    from theoros_agents.api import Theoros
    from theoros_agents.context import resolve_context
    from theoros_agents.models import register_fake
    from theoros_agents.models.fake import ScriptedChatModel

    register_fake("remote-writer", ScriptedChatModel(replies=[WRITER_REPLY], delay=REMOTE_DELAY))
    register_fake("remote-reader", ScriptedChatModel(replies=[READER_REPLY], delay=REMOTE_DELAY))
    settings = {"query_writer_strategy": "intent", "query_writer_model": "fake:remote-writer"}
    theoros = Theoros(resolve_context(settings | {"retriever_model": "fake:remote-reader"}))
    compound, parts = COMPOUND

    async def sequential() -> None:
        for part in parts:
            await theoros.aask(part)

    async def measure() -> tuple[list[float], list[float]]:
        answer = await theoros.aask(compound)
        if set(answer.intents) != {"fact", "plot"}:
            raise RuntimeError(f"{compound!r} was routed to {answer.intents}, not fact and plot")
        await sequential()
        together, one_by_one = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            await theoros.aask(compound)
            together.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            await sequential()
            one_by_one.append((time.perf_counter() - started) * 1000)
        return together, one_by_one

    together, one_by_one = asyncio.run(measure())
    parallel, serial = Summary.of(together), Summary.of(one_by_one)
    note = f"each model call waits {REMOTE_DELAY * 1000:.0f} ms, as a remote model server would"
    return [
        Figure(
            SECTION,
            f"fan-out: {compound!r}, parts in parallel",
            parallel.p50,
            "ms",
            parallel.p95,
            n=parallel.n,
            note=note,
        ),
        Figure(SECTION, "  the same two parts asked one after the other", serial.p50, "ms", serial.p95, n=serial.n),
        Figure(
            SECTION,
            "  parallel / sequential",
            parallel.p50 / serial.p50,
            "x",
            note="0.5× is two parts fully overlapped",
        ),
    ]


def run(config: BenchConfig) -> list[Figure]:
    """Python API, langgraph dev, Aegra (two workers on PostgreSQL), then fan-out."""
    rounds = 1 if config.quick else 3
    figures = _python_api(config, rounds, REQUESTS)
    home = config.work / "server-home"
    env = server_environment()
    print("   langgraph dev ...", file=sys.stderr, flush=True)
    with langgraph_dev(home, env) as url:
        figures += _figures(f"langgraph dev (HTTP), {REQUESTS} at once", _http([url], rounds, REQUESTS), REQUESTS)
    print("   Aegra, 2 workers on PostgreSQL ...", file=sys.stderr, flush=True)
    try:
        with aegra_workers(home, env) as urls:
            results = _http(urls, rounds, REQUESTS)
        figures += _figures(f"Aegra, 2 workers + PostgreSQL (HTTP), {REQUESTS} at once", results, REQUESTS)
    except ServerUnavailable as exc:
        figures.append(Figure(SECTION, "Aegra, 2 workers + PostgreSQL", None, "", note=f"not run: {exc}"))
    figures += _fan_out(3 if config.quick else max(config.rounds, 5))
    return figures
