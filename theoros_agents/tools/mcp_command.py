"""`theoros mcp`: serve the Theoros tools over stdio or streamable HTTP."""

from __future__ import annotations

import argparse
import os
import sys

from theoros_agents.errors import ConfigError

DEFAULT_PORT = 8765


def add_mcp_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the transport, address and allowed-host options."""
    parser.add_argument(
        "--transport",
        choices=("stdio", "streamable-http"),
        default="stdio",
        help="stdio (a client starts `theoros mcp` itself; the default) or streamable-http (a server at /mcp)",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (streamable-http; default 127.0.0.1, this machine only)"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (streamable-http; default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME[:PORT]",
        help="another Host header to accept, e.g. the name a container is reached by (theoros-mcp); repeatable. "
        "Requests naming any other host are refused (DNS-rebinding protection)",
    )


def run_mcp(args: argparse.Namespace) -> int:
    """Serve until the client disconnects (stdio) or the process is interrupted (HTTP).

    The server's configuration is its THEOROS_* environment and theoros.toml; each call's own settings are
    resolved per call (`resolve_run_context`), so there is no --home or --set here.
    """
    import anyio

    from theoros_agents.tools import mcp_transport

    if args.transport == "stdio":
        # Before the agents are imported and models load, so that nothing they print reaches the protocol stream.
        protocol = mcp_transport.claim_stdout()
        from theoros_agents.tools.mcp_server import build_server

        anyio.run(mcp_transport.serve_stdio, build_server(), protocol)
        return 0
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, got {args.port}")
    from theoros_agents.tools.mcp_server import build_server

    token = os.environ.get(mcp_transport.TOKEN_ENV, "")
    server = build_server(mcp_transport.transport_security(args.host, args.port, args.allow_host))
    where = f"http://{args.host}:{args.port}/mcp"
    print(f"theoros mcp: serving {where}{' (bearer token required)' if token else ''}", file=sys.stderr, flush=True)
    anyio.run(mcp_transport.serve_http, server, args.host, args.port, token)
    return 0
