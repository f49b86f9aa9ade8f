"""Per-node records: which agent ran, on which model, how long, how many tokens, at what cost."""

from __future__ import annotations

import functools

from theoros_agents.models.structured import Reply
from theoros_agents.secrets import redact
from theoros_agents.state import NodeRecord


@functools.lru_cache(maxsize=64)
def _prices(model_id: str) -> tuple[float, float]:
    """USD per prompt and completion token; local and unknown models cost nothing."""
    provider, _, name = model_id.partition(":")
    if provider != "litellm":
        return 0.0, 0.0
    try:
        import litellm

        prompt, completion = litellm.cost_per_token(model=name, prompt_tokens=1, completion_tokens=1)
    except Exception:  # noqa: BLE001 - an unmapped model simply has no known price
        return 0.0, 0.0
    return float(prompt), float(completion)


def record(
    agent: str, node: str, *, model: str = "", reply: Reply | None = None, latency_ms: float = 0.0, error: str = ""
) -> NodeRecord:
    """Build a NodeRecord; a model reply brings its own latency, tokens and error."""
    prompt_tokens = reply.prompt_tokens if reply else 0
    completion_tokens = reply.completion_tokens if reply else 0
    prompt_price, completion_price = _prices(model) if model else (0.0, 0.0)
    return NodeRecord(
        agent=agent,
        node=node,
        model=model,
        latency_ms=round(reply.latency_ms if reply else latency_ms, 2),
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=prompt_tokens * prompt_price + completion_tokens * completion_price,
        error=redact(error or (reply.error if reply else "")),
    )
