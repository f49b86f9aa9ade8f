"""In-process llama.cpp chat model with JSON-schema-constrained decoding."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from theoros_agents.errors import ModelNotAvailable

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


@functools.lru_cache(maxsize=4)
def _load(path: str, n_ctx: int) -> tuple[Any, threading.Lock]:
    """Load a GGUF file once per process; llama.cpp contexts are not thread-safe, hence the lock."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ModelNotAvailable("llama.cpp models need llama-cpp-python: pip install llama-cpp-python") from exc
    if not Path(path).is_file():
        raise ModelNotAvailable(f"GGUF model file not found: {path!r}")
    try:
        llm = Llama(model_path=path, n_ctx=n_ctx, n_threads=None, verbose=False)
    except ValueError as exc:
        raise ModelNotAvailable(f"llama.cpp cannot load {path!r}: {exc}") from exc
    return llm, threading.Lock()


class LlamaCppChatModel(BaseChatModel):
    """Chat model running a GGUF file with llama.cpp, in this process."""

    model_path: str
    model_id: str = ""
    temperature: float = 0.0
    max_tokens: int = 384
    n_ctx: int = 4096
    json_schema: dict[str, Any] | None = None
    """When set, decoding is constrained by a grammar so the reply always matches this schema."""

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def bind_json_schema(self, schema: dict[str, Any]) -> LlamaCppChatModel:
        """Return a copy whose replies are constrained to `schema`."""
        return self.model_copy(update={"json_schema": schema})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        llm, lock = _load(self.model_path, self.n_ctx)
        chat = [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]
        options: dict[str, Any] = {"temperature": self.temperature, "max_tokens": self.max_tokens, "stop": stop}
        if self.json_schema is not None:
            options["response_format"] = {"type": "json_object", "schema": self.json_schema}
        with lock:
            out = llm.create_chat_completion(messages=chat, **options)
        usage = out.get("usage") or {}
        message = AIMessage(
            content=out["choices"][0]["message"]["content"] or "",
            usage_metadata={
                "input_tokens": usage.get("prompt_tokens", 0),
                "output_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
            },
            response_metadata={"model_name": self.model_id, "finish_reason": out["choices"][0].get("finish_reason")},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
