"""How likely a model is to answer each of a few one-token choices ("1".."5", "yes"/"no").

With llama.cpp the next-token distribution is read directly (G-Eval weights a score by these
probabilities instead of taking the likeliest one). Any other chat model is asked for a short reply,
and the choice it writes gets all the probability, so every provider works, only less finely.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from theoros_agents.models import Reply, write_text

if TYPE_CHECKING:
    from theoros_agents.models.llamacpp import LlamaCppChatModel

Probabilities = dict[str, float]


def expected_value(probabilities: Probabilities) -> float:
    """Return the probability-weighted mean of numeric choices (G-Eval's score)."""
    total = sum(probabilities.values())
    if total <= 0:
        raise ValueError(f"choice probabilities must sum to more than 0, got {probabilities!r}")
    return sum(float(choice) * p for choice, p in probabilities.items()) / total


def normalised(weights: Sequence[float]) -> list[float]:
    """Scale non-negative weights to sum to 1; all zero gives a uniform spread."""
    total = sum(weights)
    return [w / total for w in weights] if total > 0 else [1 / len(weights)] * len(weights)


def _softmax_of(logits: Sequence[float]) -> list[float]:
    top = max(logits)
    return normalised([math.exp(x - top) for x in logits])


def _choice_token(llm: Any, choice: str) -> int:
    """The token that starts the reply `choice`; the first one when the tokenizer splits it."""
    tokens = llm.tokenize(choice.encode(), add_bos=False, special=False)
    if not tokens:
        raise ValueError(f"choice {choice!r} has no token")
    return int(tokens[0])


def _prompt_text(llm: Any, messages: list[dict[str, str]]) -> str:
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llm.metadata.get("tokenizer.chat_template")
    if not template:
        # A GGUF file without a template: plain ChatML, the format SmolLM2 and Qwen use.
        text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        return text + "<|im_start|>assistant\n"
    formatter = Jinja2ChatFormatter(template=template, eos_token="", bos_token="", add_generation_prompt=True)
    return formatter(messages=messages).prompt  # type: ignore[arg-type]


def _next_token_logits(llm: Any, tokens: list[int]) -> Any:
    """Evaluate `tokens`, reusing the cached prefix of the previous call, and return the last logits."""
    import llama_cpp
    import numpy as np

    kept = 0
    limit = min(llm.n_tokens, len(tokens) - 1)
    cached = llm.input_ids
    while kept < limit and cached[kept] == tokens[kept]:
        kept += 1
    # The same model serves chat completions, which track their own prefix the same way.
    llm.n_tokens = kept
    llm.eval(tokens[kept:])
    pointer = llama_cpp.llama_get_logits_ith(llm.ctx, -1)
    return np.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),)).copy()


def llama_probabilities(
    model: LlamaCppChatModel, messages: list[dict[str, str]], choices: Sequence[str], prefix: str = ""
) -> tuple[Probabilities, int]:
    """Return the next-token probability of each choice (renormalised over them) and the prompt's tokens."""
    from theoros_agents.models.llamacpp import load_llama

    llm, lock = load_llama(model.model_path, model.n_ctx)
    with lock:
        text = _prompt_text(llm, messages) + prefix
        tokens = llm.tokenize(text.encode(), add_bos=False, special=True)
        # Keep the end of an over-long prompt: the question to answer sits there.
        tokens = tokens[-(model.n_ctx - 8) :]
        logits = _next_token_logits(llm, tokens)
        ids = [_choice_token(llm, choice) for choice in choices]
    return dict(zip(choices, _softmax_of([float(logits[i]) for i in ids]), strict=True)), len(tokens)


def _written_choice(text: str, choices: Sequence[str]) -> str | None:
    """The first of `choices` the reply writes as a word, or None."""
    pattern = "|".join(re.escape(c) for c in sorted(choices, key=len, reverse=True))
    found = re.search(rf"(?<![\w.])({pattern})(?!\w|\.\d)", text, flags=re.IGNORECASE)
    return next((c for c in choices if found and c.lower() == found.group(1).lower()), None)


async def choice_probabilities(
    model: Any,
    messages: list[dict[str, str]],
    choices: Sequence[str],
    timeout: float | None = None,
    prefix: str = "",
) -> tuple[Probabilities | None, Reply[Any]]:
    """Return the probability of each choice, with the call's cost; None and an error when there is none.

    `prefix` starts the assistant's reply (e.g. "Score: "), so the next token is the choice.
    """
    from theoros_agents.models.llamacpp import LlamaCppChatModel  # Only a model call needs it: keeps startup light.

    if isinstance(model, LlamaCppChatModel):
        started = time.perf_counter()
        probabilities, prompt_tokens = await asyncio.to_thread(llama_probabilities, model, messages, choices, prefix)
        elapsed = (time.perf_counter() - started) * 1000
        return probabilities, Reply(None, "", "", elapsed, prompt_tokens, 1)
    reply = await write_text(model, messages, timeout)
    if reply.error:
        return None, reply
    written = _written_choice(reply.text, choices)
    if written is None:
        reply.error = f"invalid output: none of {list(choices)} in {reply.text[:80]!r}"
        return None, reply
    return {c: float(c == written) for c in choices}, reply
