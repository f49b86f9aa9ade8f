"""Theoros as an MCP server: `ask`, `sparql`, `search_plots`, `tag` and `judge`, on the MCP Python SDK's FastMCP.

- `ask` runs the whole supervisor; `tag` and `judge` run one agent each and are derived from the agent
  registry (description, input fields and output schema come from the agent's `AgentSpec`); `sparql` and
  `search_plots` read the server's stores.
- A call's optional `settings` go through `resolve_run_context`, so a call changes only what a run may
  change (models, strategies, thresholds); home, endpoints and MCP commands stay server configuration.
- Every tool returns structured content plus a short text; a failure is a tool error with a message.
- The transports (stdio, streamable HTTP with its checks) are in `mcp_transport`.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import inspect
import json
import logging
import textwrap
import typing
import weakref
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import anyio
from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from theoros_agents.agents.registry import AgentSpec, all_agents, get_agent, load_object
from theoros_agents.context import resolve_run_context
from theoros_agents.errors import QueryRejected, TheorosError
from theoros_agents.state import NodeRecord, Source

logger = logging.getLogger(__name__)

SERVER_NAME = "theoros"
INSTRUCTIONS = (
    "Theoros answers questions about films with small specialist models over a Wikidata-vocabulary graph and a "
    "store of film synopses. Use `ask` for any film question; `sparql` and `search_plots` read the stores "
    "directly; `tag` gives genres for a synopsis; `judge` grades an answer or compares two outputs."
)
MAX_SPARQL_ROWS = 1000
MAX_HITS = 50
LOG_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")
DEFAULT_LOG_LEVEL = "warning"
"""What a session is sent until its client asks for another level with `logging/setLevel`."""

RunSettings = dict[str, str | int | float | bool]
SETTINGS_DESCRIPTION = (
    "Per-call settings, as a run may change them: models of configured providers, prompts by name, strategies, "
    'thresholds, e.g. {"tagger_strategy": "embedding"} or {"judge_model": "ollama:qwen3:4b"}. Server '
    "configuration (home, endpoints, MCP servers, file paths) is refused."
)


# ---------------------------------------------------------------------------------------------------------------
# Results


class AskResult(BaseModel):
    """The supervisor's answer and how it was reached."""

    answer: str = Field(description="The answer in a few sentences.")
    intents: list[str] = Field(description="What the request was taken to ask: fact, plot, search, tagging, ...")
    route_source: str = Field(default="", description="What decided the intents: the classifier or the model.")
    sparql: list[str] = Field(default_factory=list, description="Every SPARQL query that ran, in order.")
    sources: list[Source] = Field(default_factory=list, description="Queries and documents the answer rests on.")
    records: list[NodeRecord] = Field(
        default_factory=list, description="One record per agent step: model, latency, tokens, cost, error."
    )
    verdict: dict[str, Any] = Field(default_factory=dict, description="The judge's grade, when the gate is on.")
    escalated: bool = Field(default=False, description="Whether a weak answer was retried on the escalation model.")


class SparqlResult(BaseModel):
    """What a read-only SPARQL query returned."""

    form: Literal["SELECT", "ASK"] = Field(description="The query form that ran.")
    rows: list[dict[str, str]] = Field(default_factory=list, description="SELECT: one mapping per row.")
    boolean: bool | None = Field(default=None, description="ASK: the answer.")
    truncated: bool = Field(default=False, description="SELECT: more rows may exist beyond `limit`.")


class PlotHit(BaseModel):
    """One passage of a film's plot."""

    id: str
    title: str
    year: int | None = None
    score: float = Field(description="The ranker's score: fused score or reciprocal rank, BM25 or cosine similarity.")
    text: str = Field(description="The passage.")
    metadata: dict[str, Any] = Field(description="Source, url, Q-id, director, country, genres, tags.")


class PlotSearchResult(BaseModel):
    """Passages that match a plot search, best first."""

    hits: list[PlotHit]


# ---------------------------------------------------------------------------------------------------------------
# Errors, logging, threads


@contextlib.contextmanager
def reported(tool: str) -> Iterator[None]:
    """Turn Theoros errors into tool errors with their message; log anything else before it becomes one."""
    try:
        yield
    except TheorosError as exc:
        raise ToolError(str(exc)) from exc
    except Exception:
        logger.exception("tool %r failed", tool)
        raise


class SessionLogLevels:
    """The `logging/setLevel` level of each client session; messages below it are not sent."""

    def __init__(self) -> None:
        self._levels: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()

    def set(self, session: Any, level: str) -> None:
        """Remember a session's level."""
        self._levels[session] = level

    def wants(self, session: Any, level: str) -> bool:
        """Tell whether a message at `level` goes to this session."""
        threshold = self._levels.get(session, DEFAULT_LOG_LEVEL)
        return LOG_LEVELS.index(level) >= LOG_LEVELS.index(threshold)


async def send_log(ctx: Context | None, levels: SessionLogLevels, level: str, message: str) -> None:
    """Send a log notification to the calling session if its level lets it through."""
    if ctx is None:
        return
    try:
        session = ctx.session
    except ValueError:  # no request in progress (a direct call)
        return
    if levels.wants(session, level):
        # Tied to the call, so that over HTTP the message travels on that call's response stream.
        await session.send_log_message(
            level=level,  # type: ignore[arg-type]
            data=message,
            logger=SERVER_NAME,
            related_request_id=ctx.request_id,
        )


async def log_records(ctx: Context | None, levels: SessionLogLevels, records: Sequence[Mapping[str, Any]]) -> None:
    """Report each step: failures as warnings, the rest at debug level."""
    for rec in records:
        where = f"{rec.get('agent')}.{rec.get('node')}"
        if rec.get("error"):
            await send_log(ctx, levels, "warning", f"{where}: {rec['error']}")
        else:
            model = rec.get("model") or "no model"
            await send_log(ctx, levels, "debug", f"{where}: {rec.get('latency_ms', 0):.0f} ms, {model}")


async def in_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run blocking store work off the event loop, so other sessions keep being served."""
    return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))


def result(text: str, structured: BaseModel | Mapping[str, Any]) -> CallToolResult:
    """A tool result: a short text for people and the structured content for programs."""
    content = structured.model_dump(mode="json") if isinstance(structured, BaseModel) else jsonable(structured)
    return CallToolResult(content=[TextContent(type="text", text=text)], structuredContent=content)


def jsonable(value: Mapping[str, Any]) -> dict[str, Any]:
    """Make graph output plain JSON (tuples, numpy numbers and the like become lists and numbers or text)."""
    return json.loads(json.dumps(value, default=_plain))


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def server_context() -> Any:
    """The server's own configuration, for tools that take no per-call settings."""
    return resolve_run_context(None)


# ---------------------------------------------------------------------------------------------------------------
# ask, sparql, search_plots


def ask_tool(levels: SessionLogLevels) -> Callable[..., Awaitable[Any]]:
    """Build the `ask` tool: the whole supervisor through `Theoros.aask`."""

    async def ask(
        question: Annotated[str, Field(min_length=1, description="A question about films, in English.")],
        thread_id: Annotated[
            str | None,
            Field(max_length=200, description="Conversation id: a later question may refer back ('who wrote it?')."),
        ] = None,
        settings: Annotated[RunSettings | None, Field(description=SETTINGS_DESCRIPTION)] = None,
        ctx: Context | None = None,
    ) -> Annotated[CallToolResult, AskResult]:
        """Answer a question about films: who directed, wrote or starred in a film, what a film is about, which film matches a description, which genres a synopsis has."""  # noqa: E501
        with reported("ask"):
            from theoros_agents.api import Theoros

            answer = await Theoros(resolve_run_context(settings)).aask(question, thread_id)
            await send_log(ctx, levels, "info", f"route: {', '.join(answer.intents)} ({answer.route_source})")
            await log_records(ctx, levels, answer.records)
            return result(answer.answer, AskResult.model_validate(answer.to_dict()))

    return ask


def query_form(query: str) -> Literal["SELECT", "ASK"]:
    """Say whether a read-only query is a SELECT or an ASK; refuse updates, other forms and bad syntax."""
    from theoros_agents.knowledge.sparql import check_read_only, query_kind

    form = query_kind(check_read_only(query))
    forms: dict[str, Literal["SELECT", "ASK"]] = {"SELECT": "SELECT", "ASK": "ASK"}
    if form not in forms:
        raise QueryRejected(f"only SELECT and ASK queries are answered, got {form}")
    return forms[form]


async def sparql(
    query: Annotated[
        str,
        Field(
            min_length=1,
            description="A SPARQL SELECT or ASK query in Wikidata vocabulary (wd:, wdt:P57 director, P161 cast, "
            "P58 screenwriter, P162 producer, P136 genre, P577 date, P495 country, P166 award, rdfs:label); "
            "the wd/wdt/rdfs prefixes are added when missing. Updates are refused.",
        ),
    ],
    limit: Annotated[int, Field(ge=1, le=MAX_SPARQL_ROWS, description="Most rows returned.")] = 100,
) -> Annotated[CallToolResult, SparqlResult]:
    """Run a read-only SPARQL query (SELECT or ASK) on Theoros's film graph; updates are refused and change nothing."""
    from theoros_agents.knowledge.stores import graph_store

    with reported("sparql"):
        form = query_form(query)
        store = graph_store(server_context())
        if form == "ASK":
            answer = bool(await in_thread(store.ask, query))
            return result(f"ASK: {str(answer).lower()}", SparqlResult(form=form, boolean=answer))
        rows = await in_thread(store.select, query, max_rows=limit)
        found = SparqlResult(form=form, rows=rows, truncated=len(rows) >= limit)
        return result(f"{len(rows)} row{'s' * (len(rows) != 1)}{' (truncated)' * found.truncated}", found)


WHERE_DESCRIPTION = (
    'Chroma-style metadata filter, e.g. {"year": {"$gte": 1990}}, {"country": {"$contains": "Japan"}}, '
    '{"tags": {"$contains": "heist film"}}, {"$and": [...]}. Keys: title, year, qid, director, source, url, '
    "film_id, and the lists country, genres, tags."
)


async def search_plots(
    query: Annotated[str, Field(min_length=1, description="What happens in the film, in words.")],
    k: Annotated[int, Field(ge=1, le=MAX_HITS, description="How many passages to return.")] = 5,
    where: Annotated[dict[str, Any] | None, Field(description=WHERE_DESCRIPTION)] = None,
    ranker: Annotated[
        Literal["score", "hybrid", "bm25", "vector"],
        Field(
            description="'score' fuses BM25 and vector scores (best); 'hybrid' fuses their ranks; "
            "'bm25' or 'vector' runs one."
        ),
    ] = "score",
) -> Annotated[CallToolResult, PlotSearchResult]:
    """Search film plots and synopses by meaning and keywords; returns matching passages with their film."""
    from theoros_agents.knowledge.stores import plot_store

    with reported("search_plots"):
        store = plot_store(server_context())
        hits = [_plot_hit(hit) for hit in await in_thread(store.rank, ranker, query, k, where)]
        films = list(dict.fromkeys(f"{h.title} ({h.year})" if h.year else h.title for h in hits))
        text = f"{len(hits)} passage{'s' * (len(hits) != 1)}" + (f": {'; '.join(films)}" if films else "")
        return result(text, PlotSearchResult(hits=hits))


def _plot_hit(hit: Any) -> PlotHit:
    meta = jsonable(hit.metadata)
    year = meta.get("year")
    return PlotHit(
        id=hit.id,
        title=str(meta.get("title", "")),
        year=int(year) if isinstance(year, int | float) else None,
        score=float(hit.score),
        text=hit.text,
        metadata=meta,
    )


# ---------------------------------------------------------------------------------------------------------------
# Agent tools, derived from the registry


@dataclass(frozen=True)
class AgentTool:
    """How one registered agent is offered as a tool; its description and fields come from the `AgentSpec`."""

    name: str
    agent: str
    title: str
    summary: Callable[[Mapping[str, Any]], str]
    """A short text from the agent's output."""
    required: tuple[str, ...] = ()
    """Input fields a call must give (the agent's input schema may leave every field optional)."""
    hidden: tuple[str, ...] = ()
    """Input fields the supervisor fills in, not a caller."""
    descriptions: Mapping[str, str] = field(default_factory=dict)
    """Field descriptions where the input schema's own docstrings say too little."""


def tag_summary(output: Mapping[str, Any]) -> str:
    """The tagger's sentence."""
    return str(output.get("answer") or "No tags.")


def verdict_summary(output: Mapping[str, Any]) -> str:
    """Say the judge's verdict in one line."""
    verdict = output.get("verdict") or {}
    reason = verdict.get("reason", "")
    if verdict.get("error"):
        return f"No verdict: {verdict['error']}"
    if "score" in verdict:
        return f"Score {verdict['score']}/5. {reason}"
    if verdict.get("better") in (1, 2):
        return f"Output {verdict['better']} is better. {reason}"
    return f"A tie. {reason}"


AGENT_TOOLS: tuple[AgentTool, ...] = (
    AgentTool(
        name="tag",
        agent="tagger",
        title="Tag a synopsis with genres",
        summary=tag_summary,
        required=("question",),
        hidden=("entities", "escalated", "intent"),
        descriptions={
            "question": "The synopsis (plot text) to tag, in English; long texts are cut to their opening. It may end "
            "with the film's record, one 'Field: value' line each (Director, Cast, Year, Runtime, Rating, Votes, "
            "Revenue, Metascore), which a tagger trained with records reads too."
        },
    ),
    AgentTool(
        name="judge",
        agent="judge",
        title="Judge an answer or compare two outputs",
        summary=verdict_summary,
        descriptions={
            "rubric": "Absolute mode: 'answer' (default; needs question and answer, optionally facts) or "
            "'subgenre_fit' (needs subgenre and description, optionally synopsis).",
            "question": "Absolute mode, 'answer' rubric: the question or conversation the answer replies to.",
            "answer": "Absolute mode, 'answer' rubric: the answer to grade 1-5.",
            "facts": "Absolute mode, 'answer' rubric: what the answer must be faithful to.",
            "subgenre": "Absolute mode, 'subgenre_fit' rubric: the subgenre assigned.",
            "instruction": "Pairwise mode: the instruction both outputs follow.",
            "output_1": "Pairwise mode (chosen when output_1 or output_2 is given): the first output.",
            "output_2": "Pairwise mode: the second output.",
        },
    ),
)


def default_summary(output: Mapping[str, Any]) -> str:
    """An agent's answer text."""
    return str(output.get("answer") or "")


def agent_tools() -> list[AgentTool]:
    """One tool per registered agent that names one (`AgentSpec.mcp_tool`), presented as `AGENT_TOOLS` says."""
    presented = {tool.agent: tool for tool in AGENT_TOOLS}
    tools = []
    for spec in all_agents():
        if not spec.mcp_tool:
            continue
        generic = AgentTool(
            name=spec.mcp_tool,
            agent=spec.name,
            title=spec.description,
            summary=default_summary,
            required=("question",),
            hidden=("entities", "escalated", "intent"),
        )
        tools.append(dataclasses.replace(presented.get(spec.name, generic), name=spec.mcp_tool))
    return tools


def field_docs(schema: type) -> dict[str, str]:
    """Read the docstrings written under a TypedDict's fields (and its bases' fields)."""
    docs: dict[str, str] = {}
    for klass in reversed(schema.__mro__):
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError, SyntaxError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for node, after in zip(body, body[1:], strict=False):
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
                    docs[node.target.id] = " ".join(str(after.value.value).split())
    return docs


def agent_parameters(tool: AgentTool, spec: AgentSpec) -> list[inspect.Parameter]:
    """The tool's parameters: the agent's input fields (less the hidden ones), then `settings` and the context."""
    schema = load_object(spec.input_schema)
    docs = field_docs(schema) | dict(tool.descriptions)
    required = set(getattr(schema, "__required_keys__", ())) | set(tool.required)
    parameters = []
    for name, kind in typing.get_type_hints(schema).items():
        if name not in tool.hidden:
            described = Field(description=docs.get(name, name.replace("_", " ")))
            if name in required:
                parameters.append(_keyword(name, Annotated[kind, described]))
            else:
                parameters.append(_keyword(name, Annotated[kind | None, described], None))
    parameters.append(
        _keyword("settings", Annotated[RunSettings | None, Field(description=SETTINGS_DESCRIPTION)], None)
    )
    parameters.append(_keyword("ctx", Context | None, None))
    return parameters


def _keyword(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def agent_tool(tool: AgentTool, levels: SessionLogLevels) -> Callable[..., Awaitable[CallToolResult]]:
    """Build a tool function that runs a registered agent's graph on the call's fields."""
    spec = get_agent(tool.agent)
    output_schema = load_object(spec.output_schema)
    keep = set(typing.get_type_hints(output_schema))

    async def run(*, settings: RunSettings | None = None, ctx: Context | None = None, **fields: Any) -> CallToolResult:
        with reported(tool.name):
            context = resolve_run_context(settings)
            inputs = {name: value for name, value in fields.items() if value is not None}
            output = await spec.compiled().ainvoke(inputs, context=context)
            await log_records(ctx, levels, output.get("records", []))
            return result(tool.summary(output), {k: v for k, v in output.items() if k in keep})

    parameters = agent_parameters(tool, spec)
    returns = Annotated[CallToolResult, output_schema]
    run.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": returns}
    run.__name__ = tool.name
    run.__doc__ = spec.description
    return run


# ---------------------------------------------------------------------------------------------------------------
# The server


def build_server(transport_security: TransportSecuritySettings | None = None) -> FastMCP:
    """Build the FastMCP server with every tool and `logging/setLevel`."""
    # Requests are logged at warning level and above: every call at info level would drown what matters on stderr.
    server = FastMCP(SERVER_NAME, instructions=INSTRUCTIONS, transport_security=transport_security, log_level="WARNING")
    levels = SessionLogLevels()
    reads = ToolAnnotations(readOnlyHint=True, openWorldHint=False)
    server.add_tool(
        ask_tool(levels),
        title="Ask Theoros",
        # A thread is checkpointed and the Wikipedia fallback, when configured, goes online and stores what it read.
        annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False, openWorldHint=True),
        structured_output=True,
    )
    server.add_tool(sparql, title="Query the film graph (read-only SPARQL)", annotations=reads, structured_output=True)
    server.add_tool(search_plots, title="Search film plots", annotations=reads, structured_output=True)
    for tool in agent_tools():
        server.add_tool(agent_tool(tool, levels), title=tool.title, annotations=reads, structured_output=True)
    offer_logging(server, levels)
    return server


def offer_logging(server: FastMCP, levels: SessionLogLevels) -> None:
    """Answer `logging/setLevel` (FastMCP has no public hook for it, so the handler goes on its low-level server)."""
    lowlevel = server._mcp_server

    @lowlevel.set_logging_level()
    async def set_level(level: str) -> None:
        levels.set(lowlevel.request_context.session, level)
