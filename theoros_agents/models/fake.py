"""Scripted chat model: replays given replies in order; the `fake:` provider."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from theoros_agents.errors import ModelNotAvailable

RAISE = "!raise "
"""A reply starting with this makes the call fail with the rest as the error (streaming: after a few words)."""


class ScriptedChatModel(BaseChatModel):
    """Return scripted replies in order, the last one repeating; records every prompt it saw."""

    replies: list[str]
    model_id: str = "fake"
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    json_schema: dict[str, Any] | None = None
    delay: float = 0.0
    """Seconds each call waits, to stand in for a remote model server in benchmarks."""

    @property
    def _llm_type(self) -> str:
        return "fake"

    def bind_json_schema(self, schema: dict[str, Any]) -> ScriptedChatModel:
        """Accept a schema (ignored) and share the reply queue with the original."""
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.delay:
            time.sleep(self.delay)
        return self._result(messages)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        # Answered on the loop, not on an executor thread: the instant model must cost nothing but itself.
        if self.delay:
            await asyncio.sleep(self.delay)  # Waits as a remote server's reply would, without a thread.
            return self._result(messages)
        return self._generate(messages, stop, **kwargs)  # One override point: tests replace `_generate` to fail.

    def _result(self, messages: list[BaseMessage]) -> ChatResult:
        text = self._next(messages)
        if text.startswith(RAISE):
            raise RuntimeError(text.removeprefix(RAISE))
        prompt_tokens = sum(len(str(m.content).split()) for m in messages)
        message = AIMessage(
            content=text,
            usage_metadata={
                "input_tokens": prompt_tokens,
                "output_tokens": len(text.split()),
                "total_tokens": prompt_tokens + len(text.split()),
            },
            response_metadata={"model_name": self.model_id},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _next(self, messages: list[BaseMessage]) -> str:
        index = min(len(self.seen), len(self.replies) - 1)
        self.seen.append(list(messages))
        return self.replies[index]

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """Emit the reply a word at a time, as a streaming provider would."""
        if self.delay:
            time.sleep(self.delay)
        reply = self._next(messages)
        failure = reply.removeprefix(RAISE) if reply.startswith(RAISE) else ""
        # A failing reply breaks off mid-stream, after its first words have been sent.
        words = ("The answer is" if failure else reply).split(" ")
        for i, word in enumerate(words):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=word if i == 0 else " " + word))
            if run_manager:
                run_manager.on_llm_new_token(str(chunk.message.content), chunk=chunk)
            yield chunk
        if failure:
            raise RuntimeError(failure)
        prompt = sum(len(str(m.content).split()) for m in messages)
        usage = {"input_tokens": prompt, "output_tokens": len(words), "total_tokens": prompt + len(words)}
        yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=usage))  # type: ignore[arg-type]


def parse_script(script: str) -> list[str]:
    """Read a `fake:` script: a JSON list of replies, a path to such a file, or one literal reply."""
    text = script
    if script.endswith(".json"):
        try:
            text = Path(script).read_text(encoding="utf-8")
        except OSError as exc:
            raise ModelNotAvailable(f"cannot read fake model script {script!r}: {exc}") from exc
    if text.lstrip().startswith("["):
        try:
            replies = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ModelNotAvailable(f"fake model script is not a JSON list: {exc}") from exc
        if not replies or not all(isinstance(r, str) for r in replies):
            raise ModelNotAvailable("fake model script must be a non-empty JSON list of strings")
        return replies
    return [text]
