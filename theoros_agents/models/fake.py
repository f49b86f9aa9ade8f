"""Scripted chat model: replays given replies in order; the `fake:` provider."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from theoros_agents.errors import ModelNotAvailable


class ScriptedChatModel(BaseChatModel):
    """Return scripted replies in order, the last one repeating; records every prompt it saw."""

    replies: list[str]
    model_id: str = "fake"
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    json_schema: dict[str, Any] | None = None

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
        index = min(len(self.seen), len(self.replies) - 1)
        self.seen.append(list(messages))
        text = self.replies[index]
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
