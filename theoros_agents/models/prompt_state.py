"""Keep what llama.cpp computed for a prompt's fixed opening, so that it is not read again.

A small model spends most of a short call reading its prompt: the query writer's is about 190 tokens, 0.5 s
on 2 cores, and the answer is ten tokens. The system prompt is the same on every call of an agent, so after a
call the model's state is written under the home's cache, named by a digest of the model file, the context
size, llama.cpp's version and the system prompt. The next call with that system prompt (the first in a new
process, or one after another agent used the same model) restores it, and llama.cpp reads only the tokens that
differ. The file holds the token ids and llama.cpp's own state bytes behind a JSON header with their sizes and
a SHA-256 digest; a file that does not match is ignored and written again. Nothing is unpickled.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import os
import tempfile
import weakref
from importlib import metadata
from pathlib import Path
from typing import Any

from theoros_agents.context import cache_dir

logger = logging.getLogger(__name__)

FORMAT = 1
MAX_TOKENS = 1024
"""Longer states (about 25 MB for SmolLM2) are not kept: such prompts are mostly passages, not a fixed opening."""
_HOLDS: weakref.WeakKeyDictionary[Any, tuple[str, bytes]] = weakref.WeakKeyDictionary()
"""Which state file each loaded model's context was left with, and its tokens then (another use changes them)."""
_IDENTITIES: weakref.WeakKeyDictionary[Any, dict[str, Any] | None] = weakref.WeakKeyDictionary()
"""Each loaded model's file, context size and llama.cpp version, read once."""
_SETTLED: set[Path] = set()
"""State files this process found valid or wrote: no need to write them again."""


def folder(home: str) -> Path:
    """Where a home keeps llama.cpp prompt states."""
    return cache_dir(home) / "llama-state"


def _identity(llm: Any) -> dict[str, Any] | None:
    if llm not in _IDENTITIES:
        _IDENTITIES[llm] = _describe(llm)
    return _IDENTITIES[llm]


def _describe(llm: Any) -> dict[str, Any] | None:
    try:
        stat = os.stat(llm.model_path)
    except (OSError, TypeError, AttributeError):
        return None
    return {
        "format": FORMAT,
        "model": str(Path(llm.model_path).resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "n_ctx": llm.n_ctx(),
        "llama_cpp": metadata.version("llama_cpp_python"),
    }


def state_file(llm: Any, home: str, messages: list[dict[str, str]]) -> Path | None:
    """The state file for this model and the messages' system prompt, or None when there is nothing to keep."""
    if not home or not messages or messages[0].get("role") != "system":
        return None
    identity = _identity(llm)
    if identity is None:
        return None
    digest = hashlib.sha256(json.dumps([identity, messages[0]["content"]], sort_keys=True).encode()).hexdigest()
    return folder(home) / f"{digest[:32]}.state"


def restore(llm: Any, path: Path | None) -> None:
    """Give the model's context the state kept in `path`, unless it already holds that prompt's state."""
    if path is None or _HOLDS.get(llm) == (path.name, _tokens(llm)):
        return
    parts = _read(path, _identity(llm))
    if parts is None:
        return
    tokens, state = parts
    buffer = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
    import llama_cpp

    if llama_cpp.llama_state_set_data(llm.ctx, buffer, len(state)) != len(state):
        logger.warning("llama.cpp refused the prompt state in %s; reading the prompt instead", path)
        llm.reset()
        return
    llm.input_ids[: len(tokens)] = tokens
    llm.n_tokens = len(tokens)
    llm._requires_eval = True  # noqa: SLF001 - what llama-cpp-python's own load_state sets: decode before sampling
    _HOLDS[llm] = (path.name, _tokens(llm))
    _SETTLED.add(path)


def keep(llm: Any, path: Path | None) -> None:
    """After a call: note what the context holds, and write its state when no valid file has it yet."""
    if path is None:
        _HOLDS.pop(llm, None)
        return
    _HOLDS[llm] = (path.name, _tokens(llm))
    if path in _SETTLED or not 0 < llm.n_tokens <= MAX_TOKENS:
        return
    _SETTLED.add(path)  # Written once per process, whatever happens below.
    if path.is_file() and _read(path, _identity(llm)) is not None:
        return
    import llama_cpp

    size = llama_cpp.llama_state_get_size(llm.ctx)
    buffer = (ctypes.c_uint8 * size)()
    written = llama_cpp.llama_state_get_data(llm.ctx, buffer, size)
    _write(path, _identity(llm), _tokens(llm), bytes(buffer)[:written])


def _tokens(llm: Any) -> bytes:
    """The token ids the model's context holds, as little-endian int32."""
    import numpy as np

    return np.asarray(llm.input_ids[: llm.n_tokens], dtype="<i4").tobytes()


def _write(path: Path, identity: dict[str, Any] | None, tokens: bytes, state: bytes) -> None:
    body = tokens + state
    header = dict(identity or {}, tokens=len(tokens) // 4, state=len(state), sha256=hashlib.sha256(body).hexdigest())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(dir=path.parent, prefix=".state-")
        with os.fdopen(handle, "wb") as out:
            out.write(json.dumps(header).encode() + b"\n" + body)
        os.replace(staging, path)
    except OSError as exc:
        logger.warning("cannot keep the prompt state in %s: %s", path, exc)


def _read(path: Path, identity: dict[str, Any] | None) -> tuple[Any, bytes] | None:
    """The token ids and state bytes of a file written for this model, or None (missing, stale or corrupt)."""
    import numpy as np

    try:
        raw = path.read_bytes()
        line, _, body = raw.partition(b"\n")
        header = json.loads(line)
    except (OSError, ValueError):
        return None
    if not isinstance(header, dict) or identity is None or any(header.get(k) != v for k, v in identity.items()):
        return None
    count, size = header.get("tokens"), header.get("state")
    if not isinstance(count, int) or not isinstance(size, int) or len(body) != 4 * count + size:
        return None
    if count <= 0 or hashlib.sha256(body).hexdigest() != header.get("sha256"):
        return None
    return np.frombuffer(body[: 4 * count], dtype="<i4").astype(np.intc), body[4 * count :]
