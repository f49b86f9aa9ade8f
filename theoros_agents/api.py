"""Python API: `Theoros().ask("Who directed Jaws?")`, with threads and streaming."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
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
    escalated: bool = False

    @property
    def model_errors(self) -> list[str]:
        """Errors reported by model calls (invalid output, unreachable provider)."""
        return [f"{r['agent']} ({r['model']}): {r['error']}" for r in self.records if r["model"] and r["error"]]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return dict(self.__dict__)

    @classmethod
    def from_state(cls, asked: str, state: dict[str, Any]) -> Answer:
        """Build from the graph's output state."""
        fields = {k: v for k, v in state.items() if k in cls.__dataclass_fields__ and k != "question"}
        return cls(question=asked, **fields)


def check_question(question: object) -> str:
    """Return the stripped question, or raise InvalidQuestion."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestion("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"the question has {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    return question.strip()


class Theoros:
    """The whole graph behind one object; keyword arguments override any `Context` setting.

    Pass `thread_id` to `ask`/`aask`/`stream` to keep a conversation: threads live in a SQLite
    checkpointer under the home directory, so a later "who wrote it?" knows what "it" is.
    """

    def __init__(self, context: Context | None = None, **settings: Any) -> None:
        from theoros_agents.supervisor.graph import build_supervisor

        self.context = context or resolve_context(settings)
        self.builder = build_supervisor()
        self.graph = self.builder.compile(name="supervisor")

    @contextlib.asynccontextmanager
    async def _graph(self, thread_id: str | None) -> AsyncIterator[tuple[Any, dict[str, Any]]]:
        if thread_id is None:
            yield self.graph, {}
            return
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        path = Path(self.context.home).expanduser() / "threads.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
            config = {"configurable": {"thread_id": thread_id}}
            yield self.builder.compile(name="supervisor", checkpointer=saver), config

    async def aask(self, question: str, thread_id: str | None = None) -> Answer:
        """Answer one question, within a conversation thread when given."""
        text = check_question(question)
        async with self._graph(thread_id) as (graph, config):
            result = await graph.ainvoke({"question": text}, config, context=self.context)
        return Answer.from_state(text, result)

    def ask(self, question: str, thread_id: str | None = None) -> Answer:
        """Answer one question (blocking)."""
        return asyncio.run(self.aask(question, thread_id))

    async def stream(self, question: str, thread_id: str | None = None) -> AsyncIterator[tuple[str, Any]]:
        """Yield ("node", (name, update)) as nodes finish, ("token", text) while the answer is written, then the Answer.

        The last event is ("answer", Answer).
        """
        text = check_question(question)
        final: dict[str, Any] = {}
        async with self._graph(thread_id) as (graph, config):
            modes = ["updates", "custom", "values"]
            async for mode, chunk in graph.astream({"question": text}, config, context=self.context, stream_mode=modes):
                if mode == "custom" and "token" in chunk:
                    yield "token", chunk["token"]
                elif mode == "updates":
                    for node, update in chunk.items():
                        yield "node", (node, update or {})
                elif mode == "values":
                    final = chunk
        yield "answer", Answer.from_state(text, final)
