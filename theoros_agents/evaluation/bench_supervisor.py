"""Supervisor benchmarks: routing latency without a model call, and fan-out time versus its branches.

Run with `make bench` (or `python -m theoros_agents.evaluation.bench_supervisor`); prints medians.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from theoros_agents.api import Theoros
from theoros_agents.context import resolve_context
from theoros_agents.supervisor.classifier import default_classifier
from theoros_agents.supervisor.router import fast_route

ROUTING_QUESTIONS = [
    "Who directed Jaws?",
    "What is Spirited Away about?",
    "Find the film where a shark attacks a beach town",
    "hello",
    "How do I bake sourdough bread?",
    "Who directed Alien and what is it about?",
    "which films did richard brooks produce?",
    "Tag this synopsis: a retired boxer trains his granddaughter for a title fight",
]
RUNS = 7


def routing_p50_ms() -> float:
    """Median time of the fast router over a mixed set of requests, after training."""
    classifier = default_classifier()
    timings = []
    for _ in range(RUNS):
        for question in ROUTING_QUESTIONS:
            started = time.perf_counter()
            fast_route(question, classifier)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


async def _median_seconds(theoros: Theoros, question: str) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await theoros.aask(question)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


async def fan_out() -> dict[str, float]:
    """Time a fact branch, a plot branch, and the compound request that runs both."""
    theoros = Theoros(resolve_context({"query_writer_strategy": "intent"}))
    await theoros.aask("Who directed Alien and what is it about?")  # load the model and stores once
    fact = await _median_seconds(theoros, "Who directed Alien?")
    plot = await _median_seconds(theoros, "What is Alien about?")
    both = await _median_seconds(theoros, "Who directed Alien and what is it about?")
    return {"fact_s": fact, "plot_s": plot, "compound_s": both}


async def simulated_remote(delay: float = 0.3) -> float:
    """Median compound time when each specialist's model call takes `delay` s, as on a remote model server."""
    import json

    from theoros_agents.models import register_fake
    from theoros_agents.models.fake import ScriptedChatModel

    register_fake("remote-writer", ScriptedChatModel(replies=[json.dumps({"relation": "director"})], delay=delay))
    register_fake("remote-reader", ScriptedChatModel(replies=["Alien is about a crew and a creature."], delay=delay))
    settings = {"query_writer_strategy": "intent", "query_writer_model": "fake:remote-writer"}
    theoros = Theoros(resolve_context(settings | {"retriever_model": "fake:remote-reader"}))
    return await _median_seconds(theoros, "Who directed Alien and what is it about?")


def main() -> None:
    """Print the supervisor benchmarks."""
    print(f"routing p50 (no model call): {routing_p50_ms():.2f} ms  (target <= 10 ms)")
    times = asyncio.run(fan_out())
    slower, total = max(times["fact_s"], times["plot_s"]), times["fact_s"] + times["plot_s"]
    print(
        f"fan-out: fact {times['fact_s'] * 1000:.0f} ms, plot {times['plot_s'] * 1000:.0f} ms, "
        f"both {times['compound_s'] * 1000:.0f} ms = {times['compound_s'] / slower:.2f}x the slower branch, "
        f"{times['compound_s'] / total:.2f}x their sum (medians of {RUNS})"
    )
    remote = asyncio.run(simulated_remote())
    print(
        f"fan-out with 300 ms of simulated remote-model latency per specialist: both {remote * 1000:.0f} ms "
        f"(sequential would be >= 600 ms)"
    )


if __name__ == "__main__":
    main()
