"""API keys and per-run settings checks for the LangGraph API (`langgraph.json` `auth`).

Keys come from the server's environment, `THEOROS_API_KEYS` (comma-separated); without it the API is
open, which is why it binds to 127.0.0.1 unless told otherwise. Whatever the keys, a run or assistant
whose context sets a server-only setting, an unknown key or a bad value is refused with 422 before it
starts, naming the setting.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
from collections.abc import Mapping
from typing import Any

from langgraph_sdk import Auth

from theoros_agents.context import resolve_run_context
from theoros_agents.errors import TheorosError

auth = Auth()
KEYS_VARIABLE = "THEOROS_API_KEYS"


def _keys() -> list[str]:
    return [key.strip() for key in os.environ.get(KEYS_VARIABLE, "").split(",") if key.strip()]


def _header(headers: Mapping[Any, Any], name: str) -> str:
    """A header's value; LangGraph's server passes bytes keys, Aegra text keys."""
    value = headers.get(name.encode()) or headers.get(name) or b""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _presented(headers: Mapping[Any, Any]) -> str:
    """The key a request presents: `x-api-key`, or `Authorization: Bearer <key>`."""
    if _header(headers, "x-api-key"):
        return _header(headers, "x-api-key")
    scheme, _, token = _header(headers, "authorization").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@auth.authenticate
async def authenticate(headers: Mapping[Any, Any]) -> Auth.types.MinimalUserDict:
    """Let a request in when no keys are configured, or when it presents one of them."""
    keys = _keys()
    if not keys:
        return {"identity": "local", "is_authenticated": True}
    presented = _presented(headers)
    if not presented or not any(hmac.compare_digest(presented, key) for key in keys):
        raise Auth.exceptions.HTTPException(status_code=401, detail="missing or unknown API key")
    # The identity names the key without revealing it in logs or thread metadata.
    return {"identity": "key-" + hashlib.sha256(presented.encode()).hexdigest()[:12], "is_authenticated": True}


def check_context(context: Any) -> None:
    """Refuse a run or assistant context a request may not set (422, naming the setting)."""
    if context is None:
        return
    if not isinstance(context, Mapping):
        raise Auth.exceptions.HTTPException(status_code=422, detail="the run context must be an object")
    try:
        resolve_run_context(context)
    except TheorosError as exc:
        raise Auth.exceptions.HTTPException(status_code=422, detail=str(exc)) from exc


@auth.on.threads.create_run
async def on_run(ctx: Auth.types.AuthContext, value: Auth.types.RunsCreate) -> None:
    """Check a run's context (and its input's question) before the run is queued."""
    # LangGraph's server nests the run under "kwargs"; Aegra passes it as is.
    kwargs: dict[str, Any] = dict(value.get("kwargs") or value)
    # Resolving may read the server's settings file once: off the event loop.
    await asyncio.to_thread(check_context, kwargs.get("context"))
    check_input(kwargs.get("input"))


@auth.on.assistants.create
async def on_assistant_create(ctx: Auth.types.AuthContext, value: Auth.types.AssistantsCreate) -> None:
    """Check the settings an assistant would give every run."""
    await asyncio.to_thread(check_context, value.get("context"))


@auth.on.assistants.update
async def on_assistant_update(ctx: Auth.types.AuthContext, value: Auth.types.AssistantsUpdate) -> None:
    """Check the settings an assistant would give every run."""
    await asyncio.to_thread(check_context, value.get("context"))


def check_input(payload: Any) -> None:
    """Refuse an input whose question is present but empty or not text."""
    if isinstance(payload, Mapping) and "question" in payload:
        question = payload["question"]
        if not isinstance(question, str) or not question.strip():
            raise Auth.exceptions.HTTPException(status_code=422, detail="the question is empty")
