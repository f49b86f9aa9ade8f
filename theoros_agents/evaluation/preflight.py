"""Before a system runs: can its model be used here at all? An unusable one is reported, and the others run."""

from __future__ import annotations

import os

import httpx

from theoros_agents.models import check_model, split_model_id

PROBE_TIMEOUT = 3.0


def ollama_host() -> str:
    """The Ollama server the `ollama:` provider talks to."""
    host = os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434")
    return host if "://" in host else f"http://{host}"


def model_problem(model_id: str) -> str:
    """Return why a model cannot be used (a missing file or package, a server nobody answers on); '' if it can."""
    if not model_id:
        return ""
    reason = check_model(model_id)
    if reason:
        return reason
    provider, _ = split_model_id(model_id)
    if provider == "ollama":
        host = ollama_host()
        try:
            httpx.get(f"{host}/api/tags", timeout=PROBE_TIMEOUT).raise_for_status()
        except httpx.HTTPError as exc:
            return f"cannot reach Ollama at {host}: {type(exc).__name__}: {exc}"
    return ""
