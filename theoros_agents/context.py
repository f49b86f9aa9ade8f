"""Run settings: one `Context` dataclass, resolved defaults < toml < environment < arguments."""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from theoros_agents.errors import ConfigError

AGENTS = ("supervisor", "query_writer", "retriever", "tagger", "judge")
DEFAULT_MODEL = "llamacpp:smollm2-135m"
ENV_PREFIX = "THEOROS_"


def _default_home() -> str:
    return os.environ.get("THEOROS_HOME") or str(Path.home() / ".theoros")


def _model_field(agent: str) -> Any:
    return field(default=DEFAULT_MODEL, metadata={"description": f"Model of the {agent} agent, as 'provider:model'."})


def _prompt_field(agent: str) -> Any:
    return field(
        default=agent, metadata={"description": f"Prompt of the {agent} agent: a name in prompts/ or a YAML path."}
    )


@dataclass(kw_only=True)
class Context:
    """Per-run settings of every agent; LangGraph's `context_schema`."""

    home: str = field(default_factory=_default_home, metadata={"description": "Directory holding the stores."})
    supervisor_model: str = _model_field("supervisor")
    supervisor_prompt: str = _prompt_field("supervisor")
    query_writer_model: str = _model_field("query_writer")
    query_writer_prompt: str = _prompt_field("query_writer")
    retriever_model: str = _model_field("retriever")
    retriever_prompt: str = _prompt_field("retriever")
    tagger_model: str = _model_field("tagger")
    tagger_prompt: str = _prompt_field("tagger")
    judge_model: str = _model_field("judge")
    judge_prompt: str = _prompt_field("judge")
    temperature: float = field(
        default=0.0, metadata={"description": "Sampling temperature; 0 is greedy and reproducible."}
    )
    query_writer_strategy: str = field(
        default="hybrid",
        metadata={"description": "How SPARQL is written: 'hybrid', 'intent', 'rules' or 'sparql' (free-form)."},
    )
    query_writer_attempts: int = field(default=3, metadata={"description": "Attempts to write a query that runs."})
    sparql_endpoint: str = field(
        default="", metadata={"description": "Remote SPARQL endpoint URL; empty uses the embedded store."}
    )
    max_rows: int = field(default=200, metadata={"description": "Most rows a query may return."})
    query_timeout: float = field(default=10.0, metadata={"description": "Seconds before a remote query is abandoned."})
    retriever_ranker: str = field(
        default="hybrid",
        metadata={"description": "Plot search ranker: 'hybrid' (BM25 + vectors, fused), 'bm25' or 'vector'."},
    )
    chroma_url: str = field(
        default="", metadata={"description": "Chroma server URL, e.g. http://127.0.0.1:8000; empty uses <home>/plots."}
    )
    embedding_model: str = field(
        default="sentence-transformers:all-MiniLM-L6-v2",
        metadata={"description": "Plot embedding model: 'sentence-transformers:<name or folder>' or 'ollama:<model>'."},
    )
    wikipedia_mcp: str = field(
        default="",
        metadata={
            "description": "Wikipedia MCP server the retriever asks when no plot matches: 'stdio:<command args>' "
            "(e.g. 'stdio:wikipedia-mcp') or a streamable-HTTP URL; empty: off."
        },
    )
    tagger_strategy: str = field(
        default="auto",
        metadata={
            "description": "How the tagger labels: 'slm' (the model checks each shortlisted label), 'slm_pick' (the "
            "model picks from the shortlist), 'embedding' (similarity to label descriptions), 'tfidf', 'minilm' or "
            "'ensemble' (trained classifiers); 'auto': 'ensemble' when a classifier for the labels is trained, "
            "else 'embedding'."
        },
    )
    tagger_labels: str = field(
        default="builtin",
        metadata={
            "description": "Tagger label set: 'builtin' (genres and subgenres), 'builtin:genres', 'imdb', or a "
            "file: YAML or text of labels (optionally with descriptions), or a JSONL dataset whose labels are used."
        },
    )
    tagger_classifier: str = field(
        default="default",
        metadata={"description": "Trained tagger classifier: a name under <home>/tagger/, or a .joblib path."},
    )
    tagger_shortlist: int = field(
        default=5, metadata={"description": "Labels the tagger's model considers, the most similar first."}
    )
    tagger_max_labels: int = field(
        default=3, metadata={"description": "Most labels the model or similarity strategies give one synopsis."}
    )
    router_threshold: float = field(
        default=0.35, metadata={"description": "Below this classifier confidence the routing model decides."}
    )
    judge_gate: bool = field(
        default=False, metadata={"description": "Let the judge grade every answer (adds latency)."}
    )
    judge_threshold: int = field(default=3, metadata={"description": "Judge scores below this mark an answer as weak."})
    judge_swap_order: bool = field(
        default=True,
        metadata={"description": "Pairwise judging: ask again with the outputs swapped; disagreement is a tie."},
    )
    escalation_model: str = field(
        default="", metadata={"description": "Model that retries a weak step, e.g. 'ollama:qwen3:4b'; empty: none."}
    )

    def model_for(self, agent: str) -> str:
        """Return the model id configured for `agent`."""
        return str(getattr(self, f"{_agent_name(agent)}_model"))

    def prompt_for(self, agent: str) -> str:
        """Return the prompt name or path configured for `agent`."""
        return str(getattr(self, f"{_agent_name(agent)}_prompt"))


def _agent_name(agent: str) -> str:
    if agent not in AGENTS:
        raise ConfigError(f"unknown agent {agent!r}; agents are {', '.join(AGENTS)}")
    return agent


def _coerce(name: str, raw: Any, kind: Any) -> Any:
    """Turn a toml or environment value into the field's type."""
    try:
        if kind is bool:
            return raw if isinstance(raw, bool) else str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if kind in (int, float):
            return kind(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} must be {kind.__name__}, got {raw!r}") from exc


def _from_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read settings file {str(path)!r}: {exc}") from exc
    flat = dict(data.get("theoros", data))
    for agent, table in list(flat.items()):
        if agent in AGENTS and isinstance(table, dict):
            del flat[agent]
            flat.update({f"{agent}_{key}": value for key, value in table.items()})
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


def resolve_context(
    overrides: Mapping[str, Any] | None = None,
    *,
    toml_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Context:
    """Build a `Context` from defaults < toml file < THEOROS_* environment < `overrides`."""
    env = os.environ if environ is None else environ
    hints = typing.get_type_hints(Context)
    names = {f.name for f in dataclasses.fields(Context)}
    values: dict[str, Any] = {}
    path = toml_path or config_file(env)
    layers = [_from_toml(path) if path else {}]
    layers.append({n: env[ENV_PREFIX + n.upper()] for n in names if ENV_PREFIX + n.upper() in env})
    layers.append({k: v for k, v in (overrides or {}).items() if v is not None})
    for layer in layers:
        for name, raw in layer.items():
            if name not in names:
                raise ConfigError(f"unknown setting {name!r}; settings are {', '.join(sorted(names))}")
            values[name] = _coerce(name, raw, hints[name])
    return Context(**values)


def as_context(value: Context | Mapping[str, Any] | None) -> Context:
    """Accept a Context, a plain mapping (LangGraph API, Studio) or nothing."""
    if isinstance(value, Context):
        return value
    return resolve_context(value or {})
