"""The agent registry: every specialist is declared once here, and the rest of Theoros is derived from it.

The supervisor (its nodes, edges and intents), `Context` (each agent's model, prompt and own settings),
the evaluation runner, `graphs/`, `langgraph.json` and the MCP tools all loop over `all_agents()`.
Other packages add agents through the `theoros.agents` entry-point group, each entry naming an
`AgentSpec`; see docs/architecture.md.

This module imports no agent code: builders are dotted paths, loaded when a graph is built, so that
`Context` can be derived from the registry without an import cycle.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from theoros_agents.errors import ConfigError
from theoros_agents.knowledge.ranking import RANKERS

ENTRY_POINT_GROUP = "theoros.agents"


@dataclass(frozen=True)
class Setting:
    """One agent-specific setting; it becomes the `Context` field `<agent>_<name>`.

    `kind` is the Python type (a `Literal[...]` for fixed choices). `per_run` says whether a run's
    context (API, Studio, MCP) may change it; settings that name files, processes or addresses never may.
    """

    name: str
    kind: Any
    default: Any
    description: str
    per_run: bool = True
    bounds: tuple[float, float] | None = None
    """Inclusive range of a numeric setting."""


@dataclass(frozen=True)
class AgentSpec:
    """A specialist: its name (node, graph, prompt file and settings prefix), graph and contract.

    Every specialist graph takes `SpecialistInput` (its part of the question and the entities the
    supervisor already linked) and returns `SpecialistOutput`: an answer, sources with their
    evidence, per-node records and one finding holding its structured result.
    """

    name: str
    description: str
    build: str
    """Dotted path 'module:function' of the function returning the uncompiled graph."""
    intents: tuple[str, ...] = ()
    """Router intents this agent serves; an agent without intents is not routed to (the judge)."""
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Extra labelled requests per intent, for intents the shipped router examples do not cover."""
    default_model: str = "llamacpp:smollm2-135m"
    """'' means the agent runs without a chat model unless one is configured."""
    settings: tuple[Setting, ...] = ()
    evaluate: str = ""
    """Dotted path 'module:attribute' of its evaluation, a `theoros_agents.evaluation.tasks.Task` (`theoros eval`)."""
    mcp_tool: str = ""
    """Name of the MCP tool `theoros mcp` offers for this agent ('': none)."""
    input_schema: str = "theoros_agents.state:SpecialistInput"
    output_schema: str = "theoros_agents.state:SpecialistOutput"

    def compiled(self) -> Any:
        """Return the agent's graph compiled under its own name (once per process)."""
        return _compiled(self.name, self.build)


def load_object(path: str) -> Any:
    """Import 'package.module:attribute'."""
    module, _, attribute = path.partition(":")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"cannot load {path!r}: {exc}") from exc


@functools.cache
def _compiled(name: str, build: str) -> Any:
    return load_object(build)().compile(name=name)


def _literal(*choices: str) -> Any:
    from typing import Literal

    return Literal[choices]  # type: ignore[valid-type]


BUILTIN: tuple[AgentSpec, ...] = (
    AgentSpec(
        name="query_writer",
        description="Links the question's entities, writes SPARQL over the Wikidata-vocabulary graph, checks, "
        "runs and repairs it, and answers from the rows.",
        build="theoros_agents.agents.query_writer.graph:build_query_writer",
        evaluate="theoros_agents.evaluation.query_writer:TASK",
        intents=("fact",),
        settings=(
            Setting(
                "strategy",
                _literal("hybrid", "intent", "rules", "sparql"),
                "hybrid",
                "How SPARQL is written: 'hybrid' (keyword cues, the model when unsure), 'intent' (the model picks "
                "the relation), 'rules' (no model) or 'sparql' (the model writes free SPARQL).",
            ),
            Setting("attempts", int, 3, "Attempts to write a query that runs.", bounds=(1, 10)),
        ),
    ),
    AgentSpec(
        name="retriever",
        description="Answers plot and 'find the film where...' questions from film synopses, citing them.",
        build="theoros_agents.agents.retriever.graph:build_retriever",
        evaluate="theoros_agents.evaluation.retriever:TASK",
        intents=("plot", "search"),
        default_model="",
        settings=(
            Setting(
                "ranker",
                _literal(*RANKERS),
                "score",
                "Plot search ranker: 'score' (BM25 + vectors, fused by score), 'hybrid' (fused by rank), "
                "'normalized' (score, after cutting catalogue phrasing from the query), 'prf' (score, with vector "
                "feedback), 'bm25' or 'vector'.",
            ),
        ),
    ),
    AgentSpec(
        name="tagger",
        description="Assigns genres and subgenres from a label set (the built-in taxonomy by default) to a "
        "synopsis, never a label outside that set.",
        build="theoros_agents.agents.tagger.graph:build_tagger",
        evaluate="theoros_agents.evaluation.tagger:TASK",
        mcp_tool="tag",
        output_schema="theoros_agents.agents.tagger.state:TaggerOutput",
        intents=("tagging",),
        settings=(
            Setting(
                "strategy",
                _literal("auto", "slm", "slm_pick", "embedding", "tfidf", "minilm", "ensemble"),
                "auto",
                "How the tagger labels: 'slm' (the model checks each shortlisted label), 'slm_pick' (the model "
                "picks from the shortlist), 'embedding' (similarity to label descriptions), 'tfidf', 'minilm' or "
                "'ensemble' (trained classifiers); 'auto': 'ensemble' when a classifier for the labels is "
                "trained, else 'embedding'.",
            ),
            Setting(
                "labels",
                str,
                "builtin",
                "Tagger label set: 'builtin' (genres and subgenres), 'builtin:genres', 'imdb', or (server "
                "configuration only) a file: YAML or text of labels, or a JSONL dataset whose labels are used.",
            ),
            Setting(
                "classifier",
                str,
                "default",
                "Trained tagger classifier: a name under <home>/tagger/, or a .joblib path (server configuration).",
                per_run=False,
            ),
            Setting(
                "shortlist", int, 5, "Labels the tagger's model considers, the most similar first.", bounds=(1, 50)
            ),
            Setting(
                "max_labels",
                int,
                3,
                "Most labels the model or similarity strategies give one synopsis.",
                bounds=(1, 20),
            ),
        ),
    ),
    AgentSpec(
        name="judge",
        description="Grades an output 1-5 against a rubric (answer, subgenre_fit), reason first, then score; or "
        "picks the better of two outputs, asked in both orders.",
        build="theoros_agents.agents.judge.graph:build_judge",
        evaluate="theoros_agents.evaluation.judge:TASK",
        mcp_tool="judge",
        input_schema="theoros_agents.agents.judge.state:JudgeInput",
        output_schema="theoros_agents.agents.judge.state:JudgeOutput",
        settings=(
            Setting(
                "strategy",
                _literal("classic", "hybrid", "logprob", "calibrated", "checklist", "reason"),
                "classic",
                "How the judge decides: 'classic' (a trained regression on embedding features, no model call), "
                "'hybrid' (the same plus the model's probability-weighted score), 'logprob' (the model's "
                "probability-weighted score), 'calibrated' (that score mapped onto people's scale), 'checklist' "
                "(rubric questions answered yes or no) or 'reason' (the model writes a reason, then a score).",
            ),
            Setting("gate", bool, False, "Let the judge grade every answer (adds latency)."),
            Setting("threshold", int, 3, "Judge scores below this mark an answer as weak.", bounds=(1, 5)),
            Setting(
                "swap_order",
                bool,
                True,
                "Pairwise judging: ask again with the outputs swapped; disagreement is a tie.",
            ),
        ),
    ),
)


@functools.cache
def all_agents() -> tuple[AgentSpec, ...]:
    """Return the built-in agents, then those other installed packages declare."""
    specs = list(BUILTIN)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        spec = entry.load()
        if not isinstance(spec, AgentSpec):
            raise ConfigError(f"entry point {entry.name!r} in {ENTRY_POINT_GROUP!r} is not an AgentSpec")
        specs.append(spec)
    names = [s.name for s in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates or "supervisor" in names:
        raise ConfigError(f"agent names must be unique and not 'supervisor': {duplicates or ['supervisor']}")
    return tuple(specs)


def specialists() -> tuple[AgentSpec, ...]:
    """Return the agents the supervisor routes to (those serving an intent)."""
    return tuple(s for s in all_agents() if s.intents)


def get_agent(name: str) -> AgentSpec:
    """Return the agent named `name`."""
    for spec in all_agents():
        if spec.name == name:
            return spec
    raise ConfigError(f"unknown agent {name!r}; agents are {', '.join(s.name for s in all_agents())}")


def intent_agents() -> dict[str, str]:
    """Map each router intent to the agent that serves it."""
    return {intent: spec.name for spec in specialists() for intent in spec.intents}


def model_agents() -> tuple[str, ...]:
    """Names that have a `<name>_model` setting: the supervisor (routing) and every agent."""
    return ("supervisor", *(s.name for s in all_agents()))


def extra_examples() -> list[tuple[str, str]]:
    """Labelled requests the registered agents add to the router's training data."""
    return [(text, intent) for s in all_agents() for intent, texts in s.examples.items() for text in texts]
