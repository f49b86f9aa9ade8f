"""The Python API, warm: `Theoros().ask` on the configured stores, fact, plot and compound questions."""

from __future__ import annotations

from collections.abc import Callable

from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.report import Figure
from theoros_agents.evaluation.bench.timing import Summary, time_calls

SECTION = "Python API, warm"
QUESTIONS = {
    "fact": ("Who directed Jaws?", "Who directed Alien?", "Who wrote Casablanca?", "Who starred in Boyhood?"),
    "plot": ("What is Alien about?", "What is Jaws about?", "Tell me the plot of Casablanca.", "What is Vertigo about?"),
    "compound": (
        "Who directed Alien and what is it about?",
        "Who directed Jaws and what is it about?",
        "Who wrote Casablanca and what is it about?",
        "Who directed Vertigo and what is it about?",
    ),
}


def _asker(theoros: object, question: str) -> Callable[[], object]:
    def call() -> object:
        answer = theoros.ask(question)  # type: ignore[attr-defined]
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
        timings = time_calls([_asker(theoros, q) for q in questions], rounds)
        summary = Summary.of(timings)
        figures.append(
            Figure(SECTION, f"Theoros().ask, {kind} (e.g. {questions[0]!r})", summary.p50, "ms", summary.p95, n=summary.n)
        )
    return figures
