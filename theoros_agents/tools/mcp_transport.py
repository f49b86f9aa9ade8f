"""How `theoros mcp` is served: stdio, or streamable HTTP that checks `Host`/`Origin` and an optional bearer token.

DNS-rebinding protection accepts only the bound address, its loopback aliases and the names given with
`--allow-host`; with THEOROS_MCP_TOKEN set, every HTTP request must carry `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac
import os
import sys
from collections.abc import Sequence
from io import TextIOWrapper

import anyio
from mcp.server.fastmcp import FastMCP
from mcp.server.transport_security import TransportSecuritySettings
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_ENV = "THEOROS_MCP_TOKEN"
"""Environment variable holding the bearer token the HTTP transport requires, when set."""
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")


def allowed_hosts(host: str, port: int, extra: Sequence[str] = ()) -> list[str]:
    """The `Host` values the HTTP transport accepts: the bound address, its loopback aliases, and `extra`."""
    names = [host] if host not in WILDCARD else []
    if host in LOOPBACK or host in WILDCARD:
        names += [name for name in LOOPBACK if name not in names]
    hosts = [f"[{name}]:{port}" if ":" in name else f"{name}:{port}" for name in names]
    hosts += [entry if _has_port(entry) else f"{entry}:{port}" for entry in extra]
    return list(dict.fromkeys(hosts))


def _has_port(entry: str) -> bool:
    return entry.rsplit(":", 1)[-1].isdigit() and not entry.endswith("]")


def transport_security(host: str, port: int, extra: Sequence[str] = ()) -> TransportSecuritySettings:
    """DNS-rebinding protection: only requests naming this server in `Host` (and `Origin`, when sent) are served."""
    hosts = allowed_hosts(host, port, extra)
    origins = [f"{scheme}://{name}" for name in hosts for scheme in ("http", "https")]
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins)


class BearerToken:
    """ASGI middleware: every HTTP request must carry `Authorization: Bearer <token>`, else 401."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse an HTTP request without the token; pass everything else (lifespan) through."""
        if scope["type"] == "http" and not self.authorized(scope):
            body = {"error": "invalid_token", "error_description": "send Authorization: Bearer <THEOROS_MCP_TOKEN>"}
            response = JSONResponse(body, status_code=401, headers={"WWW-Authenticate": 'Bearer realm="theoros"'})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def authorized(self, scope: Scope) -> bool:
        """Compare the header with the token in constant time."""
        sent = dict(scope.get("headers") or []).get(b"authorization", b"")
        return hmac.compare_digest(sent, self.expected)


def http_app(server: FastMCP, token: str = "") -> ASGIApp:
    """The streamable-HTTP ASGI app at /mcp, behind the bearer token when one is set."""
    app = server.streamable_http_app()
    return BearerToken(app, token) if token else app


async def serve_http(server: FastMCP, host: str, port: int, token: str = "") -> None:
    """Serve streamable HTTP with uvicorn until interrupted."""
    import uvicorn

    config = uvicorn.Config(http_app(server, token), host=host, port=port, log_level="info")
    await uvicorn.Server(config).serve()


def claim_stdout() -> TextIOWrapper:
    """Keep file descriptor 1 for the protocol alone: anything else that prints (a library, C code) goes to stderr."""
    sys.stdout.flush()
    protocol = os.dup(1)
    os.dup2(2, 1)
    return TextIOWrapper(open(protocol, "wb"), encoding="utf-8")  # noqa: SIM115 - lives as long as the server


async def serve_stdio(server: FastMCP, protocol: TextIOWrapper) -> None:
    """Serve over stdin and `protocol` (the real stdout, from `claim_stdout`) until the client closes stdin."""
    from mcp.server.stdio import stdio_server

    lowlevel = server._mcp_server
    async with stdio_server(stdout=anyio.wrap_file(protocol)) as (read, write):
        await lowlevel.run(read, write, lowlevel.create_initialization_options())
