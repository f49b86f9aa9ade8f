"""Typed replies from any provider: schema-constrained decoding, then validation."""

from __future__ import annotations

import asyncio
import functools
import json
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from theoros_agents.errors import TheorosError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

T = TypeVar("T", bound=BaseModel)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


@dataclass
class Reply(Generic[T]):
    """A model's typed answer, or why there is none, with what the call cost."""

    value: T | None
    error: str
    text: str
    latency_ms: float
    prompt_tokens: int = 0
    completion_tokens: int = 0


@functools.lru_cache(maxsize=128)
def _json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    # Generating a JSON schema walks the whole model; a schema class never changes, so do it once.
    return schema.model_json_schema()


def bind_schema(model: BaseChatModel, schema: type[BaseModel]) -> Any:
    """Constrain `model` to reply with JSON matching `schema`, the way its provider supports."""
    json_schema = _json_schema(schema)
    if hasattr(model, "bind_json_schema"):
        return model.bind_json_schema(json_schema)
    kind = type(model).__name__
    if kind == "ChatOllama":
        return model.bind(format=json_schema)
    if kind == "ChatLiteLLM":
        spec = {"name": schema.__name__, "schema": json_schema}
        return model.bind(response_format={"type": "json_schema", "json_schema": spec})
    return model


def parse_reply(text: str, schema: type[T]) -> T:
    """Validate a reply, tolerating code fences and prose around one JSON object."""
    cleaned = _FENCE.sub("", text.strip())
    start, end = cleaned.find("{"), cleaned.rfind("}")
    if start < 0 or end < start:
        raise ValueError(f"no JSON object in reply {text[:120]!r}")
    try:
        # strict=False accepts raw control characters (a line break in a judge's reason) inside strings.
        return schema.model_validate(json.loads(cleaned[start : end + 1], strict=False))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ValueError(f"reply does not match {schema.__name__}: {str(exc)[:300]}") from exc


def _is_ai_message(message: Any) -> bool:
    from langchain_core.messages import AIMessage

    return isinstance(message, AIMessage)


ANSWER_TAG = "theoros:answer"
"""Tags a model call that writes answer prose, so that only its tokens are streamed to the user."""


async def _call(runnable: Any, messages: list[dict[str, str]], timeout: float | None, **options: Any) -> Reply[Any]:
    """One model call: its text and token counts, or why it failed (a timeout or a provider error)."""
    started = time.perf_counter()
    # The call runs in this task (no task of its own to schedule); `expired()` tells our time limit apart from
    # a provider's own TimeoutError, which is its error.
    limit = asyncio.timeout(timeout)
    try:
        async with limit:
            message = await runnable.ainvoke(messages, **options)
    except TheorosError:
        raise
    except Exception as exc:  # noqa: BLE001 - providers raise many types; the error is reported, not dropped
        elapsed = (time.perf_counter() - started) * 1000
        if isinstance(exc, TimeoutError) and limit.expired():
            return Reply(None, f"model call timed out after {timeout:g} s", "", elapsed)
        return Reply(None, f"model call failed: {type(exc).__name__}: {exc}", "", elapsed)
    elapsed = (time.perf_counter() - started) * 1000
    usage: dict[str, Any] = dict(message.usage_metadata or {}) if _is_ai_message(message) else {}
    return Reply(None, "", str(message.content), elapsed, usage.get("input_tokens", 0), usage.get("output_tokens", 0))


async def write_text(model: BaseChatModel, messages: list[dict[str, str]], timeout: float | None = None) -> Reply[Any]:
    """Call the model once for free text (streamed token by token to `stream_mode="messages"` listeners)."""
    reply = await _call(model, messages, timeout, config={"tags": [ANSWER_TAG]})
    reply.text = reply.text.strip()
    if not reply.error and not reply.text:
        reply.error = "invalid output: the model wrote nothing"
    return reply


async def ask_structured(
    model: BaseChatModel, messages: list[dict[str, str]], schema: type[T], timeout: float | None = None
) -> Reply[T]:
    """Call the model once and return a validated `schema` instance or the error (a timeout is one)."""
    reply = await _call(bind_schema(model, schema), messages, timeout)
    if reply.error:
        return reply
    try:
        reply.value = parse_reply(reply.text, schema)
    except ValueError as exc:
        reply.error = f"invalid output: {exc}"
    return reply
