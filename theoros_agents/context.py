"""Run settings: one `Context` dataclass, resolved defaults < toml < environment < arguments.

The common fields are declared here; each agent's `<agent>_model`, `<agent>_prompt` and own settings
come from the agent registry. Two ways in:
- `resolve_context(overrides)`: the operator's own settings (CLI flags, `Theoros(...)` keywords); trusted.
- `resolve_run_context(run)`: a run's context from the API, Studio or an MCP tool call; untrusted, so it
  may change only the settings in `per_run_settings()`, and only to safe values.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import os
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from theoros_agents.agents.registry import AgentSpec, all_agents, model_agents
from theoros_agents.errors import ConfigError

DEFAULT_MODEL = "llamacpp:smollm2-135m"
ENV_PREFIX = "THEOROS_"
SERVER_ONLY = frozenset({"home", "sparql_endpoint", "chroma_url", "embedding_model", "wikipedia_mcp"})
"""Settings that name a directory, an address or a process: the server's configuration, never a run's."""


def _default_home(environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return env.get("THEOROS_HOME") or str(Path.home() / ".theoros")


def cache_dir(home: str) -> Path:
    """A home's folder of derived files (label index, router classifier, vectors, prompt states), rebuilt if lost."""
    return Path(home).expanduser() / "cache"


def _describe(text: str) -> dict[str, str]:
    return {"description": text}


@dataclass(kw_only=True)
class BaseContext:
    """Settings shared by every agent; `Context` adds each registered agent's own."""

    home: str = field(default_factory=_default_home, metadata=_describe("Directory holding the stores."))
    supervisor_model: str = field(default=DEFAULT_MODEL, metadata=_describe("Routing model, as 'provider:model'."))
    supervisor_prompt: str = field(default="supervisor", metadata=_describe("Prompt of the supervisor."))
    temperature: float = field(default=0.0, metadata=_describe("Sampling temperature; 0 is greedy, reproducible."))
    sparql_endpoint: str = field(default="", metadata=_describe("Remote SPARQL endpoint; empty: embedded store."))
    max_rows: int = field(default=200, metadata=_describe("Most rows a query may return; 0: all."))
    query_timeout: float = field(default=10.0, metadata=_describe("Seconds before a remote query is abandoned."))
    chroma_url: str = field(default="", metadata=_describe("Chroma server URL; empty uses <home>/plots."))
    embedding_model: str = field(
        default="sentence-transformers:all-MiniLM-L6-v2",
        metadata=_describe("Plot embedding model: 'sentence-transformers:<name or folder>' or 'ollama:<model>'."),
    )
    wikipedia_mcp: str = field(
        default="",
        metadata=_describe(
            "Wikipedia MCP server the retriever asks when no plot matches: 'stdio:<command args>' or a "
            "streamable-HTTP URL; empty: off."
        ),
    )
    router_threshold: float = field(
        default=0.35, metadata=_describe("Below this classifier confidence the routing model decides.")
    )
    model_timeout: float = field(
        default=120.0, metadata=_describe("Seconds a model call may take before it counts as failed.")
    )
    escalation_model: str = field(
        default="", metadata=_describe("Model that retries a weak step, e.g. 'ollama:qwen3:4b'; empty: none.")
    )

    def model_for(self, agent: str, escalated: bool = False) -> str:
        """Return the model id configured for `agent` ('' when it runs without one), or the escalation model."""
        if escalated and self.escalation_model:
            return self.escalation_model
        return str(getattr(self, f"{_agent_name(agent)}_model"))

    def prompt_for(self, agent: str) -> str:
        """Return the prompt name or path configured for `agent`."""
        return str(getattr(self, f"{_agent_name(agent)}_prompt"))


def _agent_name(agent: str) -> str:
    if agent not in model_agents():
        raise ConfigError(f"unknown agent {agent!r}; agents are {', '.join(model_agents())}")
    return agent


def _agent_fields(spec: AgentSpec) -> list[tuple[str, Any, Any]]:
    """The `Context` fields one agent declares: model, prompt, then its own settings."""
    what = "model, as 'provider:model'" if spec.default_model else "model; empty: it runs without one"
    fields: list[tuple[str, Any, Any]] = [
        (
            f"{spec.name}_model",
            str,
            field(default=spec.default_model, metadata=_describe(f"The {spec.name}'s {what}.")),
        ),
        (
            f"{spec.name}_prompt",
            str,
            field(default=spec.name, metadata=_describe(f"Prompt of the {spec.name}: a name in prompts/ or a path.")),
        ),
    ]
    for setting in spec.settings:
        metadata = _describe(setting.description)
        fields.append((f"{spec.name}_{setting.name}", setting.kind, field(default=setting.default, metadata=metadata)))
    return fields


def _build_context() -> type:
    fields = [f for spec in all_agents() for f in _agent_fields(spec)]
    built = dataclasses.make_dataclass("Context", fields, bases=(BaseContext,), kw_only=True)
    built.__module__ = __name__
    built.__doc__ = "Every setting, resolved: what nodes read through `as_context(runtime.context)`."
    return built


if TYPE_CHECKING:

    class Context(BaseContext):
        """Static view of the derived class: agent fields are typed loosely."""

        def __init__(self, **settings: Any) -> None: ...

        def __getattr__(self, name: str) -> Any: ...

else:
    Context = _build_context()


def _run_context_schema() -> Any:
    """The graphs' `context_schema`: the settings a run may change, as a TypedDict.

    A TypedDict, not the `Context` dataclass, so that LangGraph hands a run's context over as sent and
    `as_context` can check it and resolve it against the server's configuration; Studio and the API
    show these fields as each graph's context.
    """
    from typing_extensions import TypedDict

    hints = {name: kind for name, kind in _hints().items() if name in per_run_settings()}
    return TypedDict("RunContext", hints, total=False)  # type: ignore[operator]


def setting_names() -> frozenset[str]:
    """Every setting name."""
    return frozenset(f.name for f in dataclasses.fields(Context))


def per_run_settings() -> frozenset[str]:
    """Settings a run's context may change: models, prompts by name, strategies, thresholds."""
    server = set(SERVER_ONLY)
    for spec in all_agents():
        server |= {f"{spec.name}_{s.name}" for s in spec.settings if not s.per_run}
    return setting_names() - server


def _coerce(name: str, raw: Any, kind: Any) -> Any:
    """Turn a toml, environment or request value into the field's type; fixed choices are checked."""
    if typing.get_origin(kind) is Literal:
        choices = typing.get_args(kind)
        if raw not in choices:
            raise ConfigError(f"setting {name!r} must be one of {', '.join(choices)}; got {raw!r}")
        return raw
    try:
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text not in {"1", "true", "yes", "on", "0", "false", "no", "off", ""}:
                raise ValueError(raw)
            return text in {"1", "true", "yes", "on"}
        if kind in (int, float):
            if isinstance(raw, bool):
                raise TypeError(raw)
            return kind(raw)
        if not isinstance(raw, str | int | float):
            raise TypeError(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} must be {getattr(kind, '__name__', kind)}, got {raw!r}") from exc


_RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 2.0),
    "max_rows": (0, 100_000),
    "query_timeout": (0.1, 600.0),
    "router_threshold": (0.0, 1.01),
    "model_timeout": (0.1, 3600.0),
}


@functools.cache
def _ranges() -> dict[str, tuple[float, float]]:
    agents = {f"{a.name}_{s.name}": s.bounds for a in all_agents() for s in a.settings if s.bounds}
    return _RANGES | agents


def _check_range(name: str, value: Any) -> None:
    bounds = _ranges().get(name)
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise ConfigError(f"setting {name!r} must be between {bounds[0]:g} and {bounds[1]:g}, got {value!r}")


def _from_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read settings file {str(path)!r}: {exc}") from exc
    flat = dict(data.get("theoros", data))
    # Tables that configure other parts (e.g. [mcp_servers]) are read by their own modules.
    for table in ("mcp_servers",):
        flat.pop(table, None)
    for agent, section in list(flat.items()):
        if agent in model_agents() and isinstance(section, dict):
            del flat[agent]
            flat.update({f"{agent}_{key}": value for key, value in section.items()})
    return flat


def config_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """Find `theoros.toml`: $THEOROS_CONFIG, else ./theoros.toml, else $THEOROS_HOME/theoros.toml."""
    env = os.environ if environ is None else environ
    if env.get("THEOROS_CONFIG"):
        return Path(env["THEOROS_CONFIG"])
    home = Path(env.get("THEOROS_HOME") or Path.home() / ".theoros")
    for candidate in (Path.cwd() / "theoros.toml", home / "theoros.toml"):
        if candidate.is_file():
            return candidate
    return None


def _apply(values: dict[str, Any], layer: Mapping[str, Any], hints: Mapping[str, Any]) -> None:
    for name, raw in layer.items():
        if name not in hints:
            raise ConfigError(f"unknown setting {name!r}; settings are {', '.join(sorted(hints))}")
        value = _coerce(name, raw, hints[name])
        _check_range(name, value)
        values[name] = value


@functools.cache
def _hints() -> dict[str, Any]:
    """Each setting's type (the common fields' annotations are strings until resolved)."""
    return typing.get_type_hints(Context)


def resolve_context(
    overrides: Mapping[str, Any] | None = None,
    *,
    toml_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Context:
    """Build a `Context` from defaults < toml file < THEOROS_* environment < `overrides` (trusted)."""
    env = os.environ if environ is None else environ
    hints = _hints()
    values: dict[str, Any] = {}
    path = toml_path or config_file(env)
    _apply(values, _from_toml(path) if path else {}, hints)
    _apply(values, {n: env[ENV_PREFIX + n.upper()] for n in hints if ENV_PREFIX + n.upper() in env}, hints)
    _apply(values, {k: v for k, v in (overrides or {}).items() if v is not None}, hints)
    values.setdefault("home", _default_home(env))
    return Context(**values)


def check_run_settings(run: Mapping[str, Any], server: Context) -> None:
    """Refuse what a run may not change: server-only settings, unknown keys, paths and unknown providers."""
    from theoros_agents.models import check_run_model
    from theoros_agents.prompts import prompt_names

    names, allowed = setting_names(), per_run_settings()
    configured = {server.model_for(a) for a in model_agents()} | {server.escalation_model}
    for name, value in run.items():
        if name not in names:
            raise ConfigError(f"unknown setting {name!r}; a run may set {', '.join(sorted(allowed))}")
        if name not in allowed:
            raise ConfigError(f"setting {name!r} is server configuration and cannot be set per run")
        if name.endswith("_prompt") and value not in prompt_names():
            raise ConfigError(
                f"setting {name!r} must name a built-in prompt ({', '.join(prompt_names())}), got {value!r}"
            )
        if name.endswith("_model") and value:
            check_run_model(name, str(value), configured)
    labels = run.get("tagger_labels")
    if labels is not None and labels != getattr(server, "tagger_labels", None):
        from theoros_agents.agents.tagger.labels import BUILTIN, shipped_names

        if labels not in (*BUILTIN, *shipped_names()):
            raise ConfigError(f"setting 'tagger_labels' must name a shipped label set per run, got {labels!r}")


def resolve_run_context(run: Mapping[str, Any] | None = None) -> Context:
    """Build the context of one untrusted run: the server's configuration plus what the run may change.

    The server's configuration (toml and THEOROS_* environment) is read once per process and
    environment; a changed toml file takes effect on restart.
    """
    items = tuple(sorted((str(k), _freeze(v)) for k, v in (run or {}).items()))
    environment = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX)))
    return _resolve_run(items, environment)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict | list):
        raise ConfigError(f"a setting's value must be text, a number or true/false, got {value!r}")
    return value


@functools.lru_cache(maxsize=16)
def _server_context(environment: tuple) -> Context:
    return resolve_context(environ=dict(environment))


@functools.lru_cache(maxsize=256)
def _resolve_run(items: tuple, environment: tuple) -> Context:
    # Cached: every node of a run asks for its settings, and only the first call may read files.
    server = _server_context(environment)
    run = dict(items)
    check_run_settings(run, server)
    return dataclasses.replace(server, **_coerced(run))


def _coerced(run: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    _apply(values, run, _hints())
    return values


def as_context(value: Context | Mapping[str, Any] | None) -> Context:
    """Return the run's settings: a `Context` the operator built, or a run's mapping checked and resolved."""
    if isinstance(value, BaseContext):
        return typing.cast(Context, value)
    return resolve_run_context(value or {})


RunContext = _run_context_schema()


async def entry_context(context: Context | Mapping[str, Any] | None) -> Context:
    """`as_context` for a graph's first node: the first resolution may read files, so it runs off the loop."""
    if isinstance(context, BaseContext):
        return typing.cast(Context, context)
    return await asyncio.to_thread(as_context, context)
