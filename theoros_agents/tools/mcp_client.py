"""The MCP servers Theoros consumes: declared in `theoros.toml`, connected through langchain-mcp-adapters.

```toml
[mcp_servers.wikipedia]
command = "wikipedia-mcp"                     # stdio: a command and its arguments
args = ["--transport", "stdio"]
tools = { retriever = ["search_wikipedia", "get_summary"] }   # what each agent may call

[mcp_servers.other]
url = "http://127.0.0.1:8765/mcp"             # streamable HTTP
headers = { Authorization = "Bearer ${OTHER_TOKEN}" }
```

Declarations are server configuration, never part of a run. An agent sees only the tools its allow-list
names; a server without `tools` gives no agent anything. `${VAR}` in `command`, `args`, `env`, `cwd`,
`url` and `headers` is replaced by the environment variable when the file is read. The legacy
`wikipedia_mcp` setting is a shorthand for a server named "wikipedia" whose tools the retriever may use.

Failures are reported, never swallowed: a server that cannot be started or reached raises
`ServerUnavailable`, a tool that answers with an error raises `ToolFailed`, each naming the server (and
the tool); callers put `str(error)` in their node record.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shlex
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx

from theoros_agents.errors import ConfigError, TheorosError

TABLE = "mcp_servers"
DEFAULT_TIMEOUT = 30.0
"""Seconds a request to a server may take, its start-up included; `timeout` in a declaration changes it."""
KEYS = frozenset({"command", "args", "env", "cwd", "url", "headers", "tools", "timeout"})
WIKIPEDIA = "wikipedia"
WIKIPEDIA_TOOLS = ("search_wikipedia", "get_summary")
"""The tools of `wikipedia-mcp` the retriever's fallback calls: search_wikipedia(query, limit), get_summary(title)."""
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_URL = re.compile(r"https?://[^/\s]+")


class MCPError(TheorosError):
    """An MCP server or one of its tools failed; the message names the server (and the tool)."""


class ServerUnavailable(MCPError):
    """The server could not be started or reached, or broke off the session."""


class ToolFailed(MCPError):
    """A tool answered with an error."""


class ToolNotAllowed(MCPError):
    """An agent asked for a tool its allow-list does not name."""


@dataclass(frozen=True)
class MCPServer:
    """One declared MCP server: how to reach it and which agent may call which of its tools."""

    name: str
    command: str = ""
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str = ""
    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    tools: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Agent name -> the tool names it may call."""
    timeout: float = DEFAULT_TIMEOUT
    label: str = ""
    """How messages name the server; "MCP server '<name>'" unless set."""

    @property
    def transport(self) -> str:
        """Return 'stdio' or 'streamable_http'."""
        return "stdio" if self.command else "streamable_http"

    def describe(self) -> str:
        """Return the name messages use for this server."""
        return self.label or f"MCP server {self.name!r}"

    def allowed(self, agent: str) -> tuple[str, ...]:
        """Return the tools `agent` may call on this server (none when its allow-list is absent)."""
        return self.tools.get(agent, ())

    def connection(self) -> dict[str, Any]:
        """Return the langchain-mcp-adapters connection for this server."""
        # A per-request read timeout also bounds start-up: a command that never speaks MCP fails initialize().
        session = {"read_timeout_seconds": timedelta(seconds=self.timeout)}
        if self.command:
            stdio: dict[str, Any] = {"transport": "stdio", "command": self.command, "args": list(self.args)}
            if self.env:
                from mcp.client.stdio import get_default_environment

                # A declared env adds to what the SDK passes anyway (PATH, HOME, …), never the whole environment.
                stdio["env"] = {**get_default_environment(), **self.env}
            if self.cwd:
                stdio["cwd"] = self.cwd
            return stdio | {"session_kwargs": session}
        return {
            "transport": "streamable_http",
            "url": self.url,
            "headers": dict(self.headers) or None,
            "timeout": timedelta(seconds=self.timeout),
            "session_kwargs": session,
        }


def _agents() -> tuple[str, ...]:
    from theoros_agents.agents.registry import model_agents

    return model_agents()


def _expand(where: str, value: str, environ: Mapping[str, str]) -> str:
    """Replace each ${VAR} with the variable's value; a variable that is not set is a ConfigError."""

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in environ:
            raise ConfigError(f"{where}: environment variable {name!r} is not set")
        return environ[name]

    return _VARIABLE.sub(value_of, value)


def _text(where: str, raw: Any, environ: Mapping[str, str]) -> str:
    if not isinstance(raw, str):
        raise ConfigError(f"{where} must be text, got {raw!r}")
    return _expand(where, raw, environ)


def _texts(where: str, raw: Any, environ: Mapping[str, str]) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise ConfigError(f"{where} must be a list of text, got {raw!r}")
    return tuple(_text(f"{where}[{i}]", item, environ) for i, item in enumerate(raw))


def _table(where: str, raw: Any, environ: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table of text values, got {raw!r}")
    return {str(key): _text(f"{where}.{key}", value, environ) for key, value in raw.items()}


def _allow_lists(where: str, raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table of agent = [tool names], got {raw!r}")
    agents = _agents()
    lists = {}
    for agent, names in raw.items():
        if agent not in agents:
            raise ConfigError(f"{where}: unknown agent {agent!r}; agents are {', '.join(agents)}")
        tools = _texts(f"{where}.{agent}", names, {})
        if not all(tools):
            raise ConfigError(f"{where}.{agent} holds an empty tool name")
        lists[agent] = tools
    return lists


def _transport(where: str, raw: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """Read the stdio or streamable-HTTP part of a declaration."""
    if ("command" in raw) == ("url" in raw):
        raise ConfigError(f"{where} needs either 'command' (stdio) or 'url' (streamable HTTP), not both or neither")
    if "command" in raw:
        stray = sorted(set(raw) & {"headers"})
        if stray:
            raise ConfigError(f"{where}.{stray[0]} is for a 'url' server, not a 'command' one")
        command = _text(f"{where}.command", raw["command"], environ).strip()
        if not command:
            raise ConfigError(f"{where}.command is empty")
        return {
            "command": command,
            "args": _texts(f"{where}.args", raw.get("args", []), environ),
            "env": _table(f"{where}.env", raw.get("env", {}), environ),
            "cwd": _text(f"{where}.cwd", raw.get("cwd", ""), environ),
        }
    stray = sorted(set(raw) & {"args", "env", "cwd"})
    if stray:
        raise ConfigError(f"{where}.{stray[0]} is for a 'command' server, not a 'url' one")
    url = _text(f"{where}.url", raw["url"], environ)
    if not _URL.match(url):
        raise ConfigError(f"{where}.url must be an http(s) URL, got {url!r}")
    return {"url": url, "headers": _table(f"{where}.headers", raw.get("headers", {}), environ)}


def parse_server(name: str, raw: Any, environ: Mapping[str, str] | None = None) -> MCPServer:
    """Validate one `[mcp_servers.<name>]` declaration.

    Args:
        name: The server's name (the table's key).
        raw: The table.
        environ: Where ${VAR} references are looked up; the process environment by default.

    Raises:
        ConfigError: Naming the server and the key that is wrong.
    """
    env = os.environ if environ is None else environ
    where = f"{TABLE}.{name}"
    if not _NAME.fullmatch(name):
        raise ConfigError(f"{where}: a server name is letters, digits, '_', '-' or '.', got {name!r}")
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table, got {raw!r}")
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; keys are {', '.join(sorted(KEYS))}")
    timeout = raw.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 3600:
        raise ConfigError(f"{where}.timeout must be seconds between 0 and 3600, got {timeout!r}")
    return MCPServer(
        name=name,
        **_transport(where, raw, env),
        tools=_allow_lists(f"{where}.tools", raw.get("tools", {})),
        timeout=float(timeout),
    )


def shorthand(spec: str, setting: str = "wikipedia_mcp") -> dict[str, Any]:
    """Read a one-line server setting: "stdio:<command> [args…]" (split like a shell line) or an http(s) URL.

    Returns:
        {"command", "args"} or {"url"}.

    Raises:
        ConfigError: When the setting is neither.
    """
    if spec.startswith("stdio:"):
        argv = shlex.split(spec.removeprefix("stdio:"))
        if not argv:
            raise ConfigError(f"{setting} {spec!r} names no command; use 'stdio:wikipedia-mcp'")
        return {"command": argv[0], "args": tuple(argv[1:])}
    if _URL.match(spec):
        return {"url": spec}
    raise ConfigError(f"{setting} must be 'stdio:<command>' or an http(s) URL, got {spec!r}")


def wikipedia_shorthand(spec: str) -> MCPServer:
    """The server the legacy `wikipedia_mcp` setting names: "wikipedia", its two tools allowed to the retriever."""
    return MCPServer(
        name=WIKIPEDIA,
        **shorthand(spec),
        tools={"retriever": WIKIPEDIA_TOOLS},
        label=f"Wikipedia MCP server {spec!r}",
    )


def load_servers(
    path: Path | None = None, *, wikipedia_mcp: str = "", environ: Mapping[str, str] | None = None
) -> dict[str, MCPServer]:
    """Read every `[mcp_servers.*]` declaration of `theoros.toml`, in the file's order.

    Args:
        path: The file; by default the one the settings come from (`context.config_file()`).
        wikipedia_mcp: The legacy setting; when set it declares (or replaces) the server "wikipedia".
        environ: Where ${VAR} references and the settings file are looked up; the process environment by default.

    Raises:
        ConfigError: When the file cannot be read or a declaration is malformed.
    """
    import tomllib

    from theoros_agents.context import config_file

    env = os.environ if environ is None else environ
    path = path or config_file(env)
    servers: dict[str, MCPServer] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {str(path)!r}: {exc}") from exc
        # Settings may sit under [theoros]; the servers table sits beside them.
        table = data.get("theoros", data).get(TABLE, {})
        try:
            if not isinstance(table, dict):
                raise ConfigError(f"{TABLE} must be a table of servers, got {table!r}")
            servers = {name: parse_server(name, raw, env) for name, raw in table.items()}
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    if wikipedia_mcp:
        servers[WIKIPEDIA] = wikipedia_shorthand(wikipedia_mcp)
    return servers


def servers_for(agent: str, servers: Mapping[str, MCPServer]) -> list[MCPServer]:
    """Return the servers whose allow-list gives `agent` at least one tool, in declaration order."""
    return [server for server in servers.values() if server.allowed(agent)]


def server_with(agent: str, tools: tuple[str, ...], servers: Mapping[str, MCPServer]) -> MCPServer | None:
    """Return the one server whose allow-list gives `agent` all of `tools`; None when no server does.

    Raises:
        ConfigError: When a server gives only some of them, or several servers give them.
    """
    found = []
    for server in servers.values():
        granted = [t for t in tools if t in server.allowed(agent)]
        if granted and len(granted) < len(tools):
            missing = next(t for t in tools if t not in granted)
            raise ConfigError(
                f"{TABLE}.{server.name}.tools gives the {agent} {granted[0]!r} but not {missing!r}; it needs both"
            )
        if granted:
            found.append(server)
    if len(found) > 1:
        names = " and ".join(repr(s.name) for s in found)
        raise ConfigError(f"{TABLE}: servers {names} both give the {agent} {', '.join(tools)}; keep one")
    return found[0] if found else None


# What a broken server, a dead connection or a transport failure raises through the MCP client.
FAILURES: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    httpx.HTTPError,
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
    anyio.EndOfStream,
)


def failure_kinds() -> tuple[type[BaseException], ...]:
    """Return the exception types that mean "the server or a tool failed" rather than a bug."""
    from langchain_core.tools import ToolException
    from mcp.shared.exceptions import McpError

    return (*FAILURES, McpError, ToolException, MCPError)


def failure_cause(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    """Return the failure an exception carries (the first one of a task group's), None when it is a bug."""
    if isinstance(exc, BaseExceptionGroup):
        matched, rest = exc.split(kinds)
        if matched is None or rest is not None:
            return None
        first: BaseException = matched
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        return first
    return exc if isinstance(exc, kinds) else None


def _reported(server: MCPServer, exc: BaseException) -> BaseException:
    """Turn what a session raised into the MCPError that names the server; return `exc` itself when it is a bug."""
    cause = failure_cause(exc, failure_kinds())
    if cause is None or isinstance(cause, MCPError):
        return cause or exc
    if isinstance(cause, TimeoutError):
        return ServerUnavailable(f"{server.describe()} did not answer within {server.timeout:g} s")
    return ServerUnavailable(f"{server.describe()} failed: {cause!r}")


@dataclass(frozen=True)
class ToolResult:
    """What a tool returned: its text blocks joined, and its structured content when it sent one."""

    text: str
    structured: dict[str, Any] | None = None

    def json(self) -> Any:
        """Return the structured content, else the text read as JSON.

        Raises:
            ValueError: When there is no structured content and the text is not JSON.
        """
        return self.structured if self.structured is not None else json.loads(self.text)


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    blocks = content if isinstance(content, list) else [content]
    return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in blocks)


@dataclass
class ToolSession:
    """An open session with one server, holding the tools one agent may call."""

    server: MCPServer
    agent: str | None
    tools: dict[str, Any]
    """The LangChain tools the agent may call, by name (ready for `bind_tools`)."""
    offered: tuple[str, ...]
    """Every tool the server lists."""

    async def call(self, tool: str, arguments: Mapping[str, Any]) -> ToolResult:
        """Call one allowed tool.

        Raises:
            ToolNotAllowed: When the tool is not in the agent's allow-list.
            ToolFailed: When the tool answers with an error.
            ServerUnavailable: When the server breaks off.
        """
        from langchain_core.tools import ToolException
        from mcp.shared.exceptions import McpError

        if tool not in self.tools:
            who = f"the {self.agent}" if self.agent else "this session"
            raise ToolNotAllowed(
                f"{self.server.describe()}: tool {tool!r} is not allowed for {who}; allowed: {sorted(self.tools)}"
            )
        call = {"name": tool, "args": dict(arguments), "id": f"{self.server.name}:{tool}", "type": "tool_call"}
        try:
            message = await self.tools[tool].ainvoke(call)
        except ToolException as exc:
            raise ToolFailed(f"{self.server.describe()}: tool {tool!r} failed: {exc}") from exc
        except McpError as exc:
            # The server refused this call (bad arguments, a timeout): report it against the tool.
            raise ToolFailed(f"{self.server.describe()}: tool {tool!r} failed: {exc!r}") from exc
        artifact = getattr(message, "artifact", None)
        structured = artifact.get("structured_content") if isinstance(artifact, dict) else None
        return ToolResult(_text_of(message.content), structured)


@contextlib.asynccontextmanager
async def open_session(server: MCPServer, agent: str | None = None) -> AsyncIterator[ToolSession]:
    """Start or reach the server and list its tools, for the length of a block; one session serves every call.

    Args:
        server: The declared server.
        agent: Keep only the tools this agent's allow-list names; None keeps every tool (the operator's view).

    Raises:
        ServerUnavailable: When the server cannot be started or reached, breaks off, or lacks an allowed tool.
        ToolFailed, ToolNotAllowed: From calls made in the block.
    """
    from langchain_mcp_adapters.client import MultiServerMCPClient
    from langchain_mcp_adapters.tools import load_mcp_tools

    client = MultiServerMCPClient({server.name: server.connection()})  # type: ignore[dict-item]
    # The transport's task group may wrap a failure in an exception group.
    caught: tuple[type[BaseException], ...] = (*failure_kinds(), BaseExceptionGroup)
    try:
        async with client.session(server.name) as session:
            listed = await load_mcp_tools(session, server_name=server.name, handle_tool_errors=False)
            tools = {tool.name: tool for tool in listed}
            wanted = tuple(tools) if agent is None else server.allowed(agent)
            missing = [name for name in wanted if name not in tools]
            if missing:
                raise ServerUnavailable(f"{server.describe()} offers no tool {missing[0]!r}; it has {sorted(tools)}")
            yield ToolSession(server, agent, {name: tools[name] for name in wanted}, tuple(tools))
    except caught as exc:
        reported = _reported(server, exc)
        if reported is exc:
            raise
        raise reported from exc


async def list_tools(server: MCPServer, agent: str | None = None) -> list[str]:
    """Return the tools `agent` may call on `server` (every tool it lists when `agent` is None).

    Raises:
        ServerUnavailable: When the server cannot be started or reached.
    """
    async with open_session(server, agent) as session:
        return sorted(session.tools)


async def call_tool(server: MCPServer, agent: str | None, tool: str, arguments: Mapping[str, Any]) -> ToolResult:
    """Call one tool in a session of its own.

    Raises:
        ServerUnavailable, ToolFailed, ToolNotAllowed: See `open_session` and `ToolSession.call`.
    """
    async with open_session(server, agent) as session:
        return await session.call(tool, arguments)


async def agent_tools(agent: str, servers: Mapping[str, MCPServer]) -> tuple[dict[str, list[str]], list[str]]:
    """List the tools each server gives `agent`, asking the servers concurrently.

    Returns:
        The allowed tool names by server, and one error line for each server that failed.
    """
    chosen = servers_for(agent, servers)
    results = await asyncio.gather(*(list_tools(s, agent) for s in chosen), return_exceptions=True)
    tools: dict[str, list[str]] = {}
    errors: list[str] = []
    for server, result in zip(chosen, results, strict=True):
        if isinstance(result, MCPError):
            errors.append(str(result))
        elif isinstance(result, BaseException):
            raise result
        else:
            tools[server.name] = result
    return tools, errors
