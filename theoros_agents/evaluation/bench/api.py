"""The Python API, warm: `Theoros().ask` on the configured stores, fact, plot and compound questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.report import Figure
from theoros_agents.evaluation.bench.timing import Summary, time_calls

SECTION = "Python API, warm"
QUESTIONS = {
    "fact": ("Who directed Titanic?", "Who directed Gandhi?", "Who wrote Casablanca?", "Who starred in Boyhood?"),
    "plot": (
        "What is Titanic about?",
        "What is Gandhi about?",
        "Tell me the plot of Casablanca.",
        "What is Boyhood about?",
    ),
    "compound": (
        "Who directed Titanic and what is it about?",
        "Who directed Gandhi and what is it about?",
        "Who wrote Casablanca and what is it about?",
        "Who directed Rocky and what is it about?",
    ),
}


def _asker(theoros: Any, question: str) -> Callable[[], Any]:
    def call() -> Any:
        answer = theoros.ask(question)
        if not answer.answer:
            raise RuntimeError(f"no answer to {question!r}")
        return answer

    return call


def run(config: BenchConfig) -> list[Figure]:
    """p50/p95 of `ask` per kind of question, default settings (no model call for these questions)."""
    from theoros_agents.api import Theoros

    theoros = Theoros()
    rounds = 3 if config.quick else max(config.rounds, 10)
    figures = []
    for kind, questions in QUESTIONS.items():
        calls = [_asker(theoros, q) for q in questions]
        consulted = sum(1 for call in calls for r in call().records if r["model"])
        summary = Summary.of(time_calls(calls, rounds, warm_up=False))
        note = "no model call" if not consulted else f"{consulted} model calls over {len(questions)} questions"
        figures.append(
            Figure(
                SECTION,
                f"Theoros().ask, {kind} (e.g. {questions[0]!r})",
                summary.p50,
                "ms",
                summary.p95,
                n=summary.n,
                note=note,
            )
        )
    return figures
