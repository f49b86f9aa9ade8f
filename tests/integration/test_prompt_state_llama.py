"""Prompt states with the real SmolLM2: a new context restores the fixed opening and reads only the rest."""

import pytest

from theoros_agents.models import prompt_state
from theoros_agents.models.llamacpp import LlamaCppChatModel, load_llama
from theoros_agents.models.registry import gguf_path

pytestmark = pytest.mark.integration
SYSTEM = "You pick which property of a film a question asks about. Answer with one word: director, cast or year."


def _chat(question: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]


def _fresh_context():
    """A second llama.cpp context on the same file, as a new process would have."""
    from llama_cpp import Llama

    path, n_ctx = str(gguf_path("smollm2-135m")), 4096
    load_llama(path, n_ctx)  # the model this process already holds, so identities match
    return Llama(model_path=path, n_ctx=n_ctx, n_threads=None, verbose=False)


def _counting(llm) -> list[int]:
    """Count the tokens llama.cpp evaluates from now on."""
    evaluated: list[int] = []
    original = llm.eval

    def spy(tokens):
        evaluated.append(len(tokens))
        return original(tokens)

    llm.eval = spy
    return evaluated


def _reply(llm, question: str) -> str:
    out = llm.create_chat_completion(messages=_chat(question), temperature=0.0, max_tokens=8)
    return out["choices"][0]["message"]["content"]


async def test_a_new_context_restores_the_opening_and_answers_the_same(tmp_path):
    model = LlamaCppChatModel(model_path=str(gguf_path("smollm2-135m")), max_tokens=8, home=str(tmp_path))
    first = await model.ainvoke(_chat("Who directed Jaws?"))
    assert first.content
    (kept,) = prompt_state.folder(str(tmp_path)).glob("*.state")

    plain = _fresh_context()
    plain_counts = _counting(plain)
    expected = _reply(plain, "Who directed Alien?")

    restored = _fresh_context()
    prompt_state.restore(restored, kept)
    assert restored.n_tokens > 30
    counts = _counting(restored)
    assert _reply(restored, "Who directed Alien?") == expected
    assert plain_counts[0] > 30 and counts[0] < plain_counts[0] / 3  # only the new question was read


async def test_a_damaged_state_is_ignored_and_written_again(tmp_path):
    model = LlamaCppChatModel(model_path=str(gguf_path("smollm2-135m")), max_tokens=8, home=str(tmp_path))
    await model.ainvoke(_chat("Who directed Jaws?"))
    (kept,) = prompt_state.folder(str(tmp_path)).glob("*.state")
    raw = kept.read_bytes()
    kept.write_bytes(raw[:-10] + bytes(b ^ 0xFF for b in raw[-10:]))

    llm = _fresh_context()
    prompt_state.restore(llm, kept)
    assert llm.n_tokens == 0  # nothing restored from a damaged file
    assert _reply(llm, "Who directed Alien?")
    prompt_state._SETTLED.discard(kept)  # as in a new process
    prompt_state.keep(llm, kept)
    assert prompt_state._read(kept, prompt_state._describe(llm)) is not None  # whole again
    again = _fresh_context()
    prompt_state.restore(again, kept)
    # Another question, as in use: the kept opening is reused and the rest read. (Asking the very prompt a
    # state ends with makes llama.cpp re-read only its last token, which may already change a greedy reply.)
    assert again.n_tokens > 30 and _reply(again, "Who wrote Jaws?") == _reply(_fresh_context(), "Who wrote Jaws?")
