"""In-process llama.cpp chat model with JSON-schema-constrained decoding."""

from __future__ import annotations

import atexit
import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from theoros_agents.errors import ModelNotAvailable
from theoros_agents.models import prompt_state
from theoros_agents.models.registry import HF_PREFIX, hf_file

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


_OPENED: list[Any] = []


@atexit.register
def _close_models() -> None:
    # Free llama.cpp models before the interpreter tears down the modules their finalisers need.
    while _OPENED:
        _OPENED.pop().close()


@functools.lru_cache(maxsize=4)
def _load(path: str, n_ctx: int) -> tuple[Any, threading.Lock]:
    """Load a GGUF file once per process; llama.cpp contexts are not thread-safe, hence the lock."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ModelNotAvailable("llama.cpp models need llama-cpp-python: pip install llama-cpp-python") from exc
    if path.startswith(HF_PREFIX):
        llm = _from_hub(Llama, path, n_ctx)
    elif not Path(path).is_file():
        raise ModelNotAvailable(f"GGUF model file not found: {path!r}")
    else:
        try:
            llm = Llama(model_path=path, n_ctx=n_ctx, n_threads=None, verbose=False)
        except ValueError as exc:
            raise ModelNotAvailable(f"llama.cpp cannot load {path!r}: {exc}") from exc
    _OPENED.append(llm)
    return llm, threading.Lock()


def load_llama(path: str, n_ctx: int) -> tuple[Any, threading.Lock]:
    """Return this process's llama.cpp model for a GGUF file, with the lock every call on it must hold."""
    return _load(path, n_ctx)


def _from_hub(llama: Any, name: str, n_ctx: int) -> Any:
    """Download (once, into the Hugging Face cache) and load a GGUF file named 'hf:<owner>/<repo>/<file>'."""
    repo, filename = hf_file(name)
    try:
        return llama.from_pretrained(repo_id=repo, filename=filename, n_ctx=n_ctx, n_threads=None, verbose=False)
    except ImportError as exc:
        raise ModelNotAvailable(f"{name!r} needs huggingface-hub: pip install huggingface-hub") from exc
    except Exception as exc:  # noqa: BLE001 - the hub client raises its own, its HTTP library's and OS errors alike
        raise ModelNotAvailable(f"cannot get {filename!r} from the Hugging Face repository {repo!r}: {exc}") from exc


class LlamaCppChatModel(BaseChatModel):
    """Chat model running a GGUF file with llama.cpp, in this process."""

    model_path: str
    model_id: str = ""
    temperature: float = 0.0
    max_tokens: int = 384
    n_ctx: int = 4096
    json_schema: dict[str, Any] | None = None
    """When set, decoding is constrained by a grammar so the reply always matches this schema."""
    home: str = ""
    """The Theoros home whose cache keeps prompt states (`prompt_state`); empty keeps none."""

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def bind_json_schema(self, schema: dict[str, Any]) -> LlamaCppChatModel:
        """Return a copy whose replies are constrained to `schema`."""
        return self.model_copy(update={"json_schema": schema})

    def _options(self, messages: list[BaseMessage], stop: list[str] | None) -> dict[str, Any]:
        chat = [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]
        options: dict[str, Any] = {"messages": chat, "temperature": self.temperature, "max_tokens": self.max_tokens}
        options["stop"] = stop
        if self.json_schema is not None:
            options["response_format"] = {"type": "json_object", "schema": self.json_schema}
        return options

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """Yield the reply token by token as llama.cpp decodes it."""
        llm, lock = _load(self.model_path, self.n_ctx)
        options = self._options(messages, stop)
        kept = prompt_state.state_file(llm, self.home, options["messages"])
        completion = 0
        with lock:
            prompt_state.restore(llm, kept)
            for part in llm.create_chat_completion(stream=True, **options):
                delta = part["choices"][0].get("delta", {}).get("content") or ""
                if not delta:
                    continue
                completion += 1
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                if run_manager:
                    run_manager.on_llm_new_token(delta, chunk=chunk)
                yield chunk
            # llama.cpp reports no usage when streaming: count the prompt, and one token per streamed piece.
            prompt = len(llm.tokenize("\n".join(m["content"] for m in options["messages"]).encode()))
            prompt_state.keep(llm, kept)
        usage = {"input_tokens": prompt, "output_tokens": completion, "total_tokens": prompt + completion}
        yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=usage))  # type: ignore[arg-type]

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        llm, lock = _load(self.model_path, self.n_ctx)
        options = self._options(messages, stop)
        kept = prompt_state.state_file(llm, self.home, options["messages"])
        with lock:
            prompt_state.restore(llm, kept)
            out = llm.create_chat_completion(**options)
            prompt_state.keep(llm, kept)
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
