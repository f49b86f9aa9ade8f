"""Python API: `Theoros().ask("Who directed Jaws?")`, with threads and streaming."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import queue
import re
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from theoros_agents.context import Context, resolve_context
from theoros_agents.errors import InvalidQuestion
from theoros_agents.models.structured import ANSWER_TAG
from theoros_agents.secrets import redact
from theoros_agents.state import Finding, NodeRecord, Source

T = TypeVar("T")

MAX_QUESTION_CHARS = 20_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    findings: list[Finding] = field(default_factory=list)
    """Each specialist's result: its text and structured result (rows, hits, tags)."""
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
        fields["answer"] = redact(fields.get("answer", ""))
        return cls(question=asked, **fields)


def check_question(question: object) -> str:
    """Return the question stripped of control characters, or raise InvalidQuestion."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestion("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"the question has {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidQuestion(f"the question is not valid UTF-8 text (at character {exc.start})") from exc
    controls = len(_CONTROL.findall(question))
    if "\x00" in question or controls > max(2, len(question) // 10):
        raise InvalidQuestion("the question looks like binary data, not text")
    cleaned = _CONTROL.sub(" ", question).strip()
    if not cleaned:
        raise InvalidQuestion("the question is empty")
    return cleaned


class Theoros:
    """The whole graph behind one object; keyword arguments override any `Context` setting.

    Pass `thread_id` to `ask`/`aask`/`stream`/`astream` to keep a conversation: threads live in a
    checkpointer (SQLite under the home directory, or PostgreSQL with THEOROS_CHECKPOINTER), so a later
    "who wrote it?" knows what "it" is.
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
        from theoros_agents.checkpointer import open_checkpointer

        async with open_checkpointer(self.context.home) as saver:
            config = {"configurable": {"thread_id": thread_id}}
            yield self.builder.compile(name="supervisor", checkpointer=saver), config

    async def aask(self, question: str, thread_id: str | None = None) -> Answer:
        """Answer one question, within a conversation thread when given."""
        text = check_question(question)
        async with self._graph(thread_id) as (graph, config):
            result = await graph.ainvoke({"question": text}, config, context=self.context)
        return Answer.from_state(text, result)

    def ask(self, question: str, thread_id: str | None = None) -> Answer:
        """Answer one question (blocking); works inside a running event loop too (Jupyter, FastAPI)."""
        return _run_blocking(self.aask(question, thread_id))

    async def astream(self, question: str, thread_id: str | None = None) -> AsyncIterator[tuple[str, Any]]:
        """Yield events while the graph runs; the last one is ("answer", Answer).

        - ("node", (path, update)) as each node finishes; a specialist's inner nodes come as
          "query_writer/link_entities", the specialist itself as "query_writer";
        - ("token", text) as a model writes answer prose (never for structured output or templates).
        """
        text = check_question(question)
        final: dict[str, Any] = {}
        async with self._graph(thread_id) as (graph, config):
            modes = ["updates", "messages", "values"]
            chunks = graph.astream({"question": text}, config, context=self.context, stream_mode=modes, subgraphs=True)
            async for namespace, mode, chunk in chunks:
                if mode == "messages" and ANSWER_TAG in (chunk[1].get("tags") or []) and chunk[0].content:
                    yield "token", str(chunk[0].content)
                elif mode == "updates":
                    for node, update in chunk.items():
                        yield "node", (_path(namespace, node), update or {})
                elif mode == "values" and not namespace:
                    final = chunk
        yield "answer", Answer.from_state(text, final)

    def stream(self, question: str, thread_id: str | None = None) -> Iterator[tuple[str, Any]]:
        """The blocking form of `astream`: the graph runs on its own thread and events arrive as they happen."""
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        done = ("__done__", None)

        async def pump() -> None:
            try:
                async for event in self.astream(question, thread_id):
                    events.put(event)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread and raised there
                events.put(("__error__", exc))
            finally:
                events.put(done)

        worker = threading.Thread(target=asyncio.run, args=(pump(),), daemon=True)
        worker.start()
        while (event := events.get()) != done:
            if event[0] == "__error__":
                raise event[1]
            yield event
        worker.join()


def _path(namespace: tuple[str, ...], node: str) -> str:
    """'query_writer/link_entities' from the namespace ('query_writer:<task id>',) and the node name."""
    return "/".join([part.split(":", 1)[0] for part in namespace] + [node])


_LOOPS = threading.local()


def _thread_loop() -> asyncio.AbstractEventLoop:
    """This thread's own event loop, kept between calls: a new loop per `ask` costs more than the answer."""
    loop = getattr(_LOOPS, "loop", None)
    if loop is None or loop.is_closed():
        loop = _LOOPS.loop = asyncio.new_event_loop()
    return loop


def _run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, on a fresh thread when this one already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _thread_loop().run_until_complete(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
