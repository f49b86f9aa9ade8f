"""Where conversation threads are kept: SQLite under the home directory, or PostgreSQL for several workers.

`THEOROS_CHECKPOINTER` chooses (server configuration, read from the environment only):
- unset or empty: `<home>/threads.sqlite`;
- `postgresql://user:password@host:port/db` (or `postgres://…`): LangGraph's PostgreSQL checkpointer, whose
  tables are created on first use; every process pointed at the same database sees the same threads.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from theoros_agents.errors import ConfigError, StoreError

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver

VARIABLE = "THEOROS_CHECKPOINTER"
POSTGRES_SCHEMES = ("postgresql", "postgres")
_ready: set[str] = set()
"""Databases whose checkpoint tables this process has already created or checked."""


def redact(url: str) -> str:
    """Return `url` with its password replaced by '***', for messages."""
    return re.sub(r"(://[^:/@]*:)[^/]*@", r"\1***@", url)


def checkpointer_url(environ: dict[str, str] | None = None) -> str:
    """Return the configured checkpointer URL ('' for SQLite under the home directory).

    Raises:
        ConfigError: When the value names a scheme other than postgresql.
    """
    url = ((os.environ if environ is None else environ).get(VARIABLE) or "").strip()
    if url and urlsplit(url).scheme not in POSTGRES_SCHEMES:
        raise ConfigError(
            f"{VARIABLE} must be empty (SQLite under the home directory) or a postgresql:// URL, got {redact(url)!r}"
        )
    return url


@contextlib.asynccontextmanager
async def open_checkpointer(home: str, url: str | None = None) -> AsyncIterator[BaseCheckpointSaver]:
    """Open the checkpointer for the duration of a block.

    Args:
        home: The store home; SQLite keeps threads in `<home>/threads.sqlite`.
        url: A postgresql:// URL, '' for SQLite; `$THEOROS_CHECKPOINTER` when None.

    Raises:
        ConfigError: When the URL has an unknown scheme, or the PostgreSQL extra is not installed.
        StoreError: When the database cannot be reached or set up.
    """
    url = checkpointer_url() if url is None else checkpointer_url({VARIABLE: url})
    if not url:
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        path = Path(home).expanduser() / "threads.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
            yield saver
        return
    async with _postgres(url) as saver:
        yield saver


@contextlib.asynccontextmanager
async def _postgres(url: str) -> AsyncIterator[BaseCheckpointSaver]:
    try:
        import psycopg
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    except ImportError as exc:
        raise ConfigError(
            f"{VARIABLE} names PostgreSQL, which needs the 'postgres' extra: pip install 'theoros-agents[postgres]'"
        ) from exc
    async with contextlib.AsyncExitStack() as stack:
        try:
            saver = await stack.enter_async_context(AsyncPostgresSaver.from_conn_string(url))
            if url not in _ready:
                await saver.setup()
                _ready.add(url)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the checkpointer at {redact(url)}: {exc}") from exc
        yield saver
