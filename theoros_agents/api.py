"""Python API: `Theoros().ask("Who directed Jaws?")`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from theoros_agents.context import Context, resolve_context
from theoros_agents.errors import InvalidQuestion
from theoros_agents.state import NodeRecord, Source

MAX_QUESTION_CHARS = 20_000


@dataclass
class Answer:
    """An answer with everything needed to see how it was reached."""

    question: str
    answer: str
    intents: list[str] = field(default_factory=list)
    route_source: str = ""
    sparql: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    records: list[NodeRecord] = field(default_factory=list)
    verdict: dict[str, Any] = field(default_factory=dict)

    @property
    def model_errors(self) -> list[str]:
        """Errors reported by model calls (invalid output, unreachable provider)."""
        return [f"{r['agent']} ({r['model']}): {r['error']}" for r in self.records if r["model"] and r["error"]]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return dict(self.__dict__)


def check_question(question: object) -> str:
    """Return the stripped question, or raise InvalidQuestion."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestion("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"the question has {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    return question.strip()


class Theoros:
    """The whole graph behind one object; keyword arguments override any `Context` setting."""

    def __init__(self, context: Context | None = None, **settings: Any) -> None:
        from theoros_agents.supervisor.graph import build_supervisor

        self.context = context or resolve_context(settings)
        self.graph = build_supervisor().compile(name="supervisor")

    async def aask(self, question: str) -> Answer:
        """Answer one question."""
        text = check_question(question)
        result = await self.graph.ainvoke({"question": text}, context=self.context)
        return Answer(
            question=text, **{k: v for k, v in result.items() if k in Answer.__dataclass_fields__ and k != "question"}
        )

    def ask(self, question: str) -> Answer:
        """Answer one question (blocking)."""
        return asyncio.run(self.aask(question))

    async def stream(self, question: str) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """Yield (node, update) pairs as the agents finish."""
        text = check_question(question)
        async for chunk in self.graph.astream({"question": text}, context=self.context, stream_mode="updates"):
            for node, update in chunk.items():
                yield node, update or {}
