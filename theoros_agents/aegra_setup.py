"""Prepare Aegra's PostgreSQL database once, before its workers start.

Each Aegra worker applies the migrations and creates the checkpoint and store tables when it starts;
`uvicorn --workers N` starts them together, and on an empty database they race to create the same
tables (a duplicate-key error kills one). Run `python -m theoros_agents.aegra_setup` first, with the
workers' environment (DATABASE_URL or POSTGRES_*, AEGRA_CONFIG); the workers then find everything in place.
"""

from __future__ import annotations

import asyncio
import sys


async def prepare() -> None:
    """Apply Aegra's migrations and create LangGraph's checkpoint and store tables."""
    from aegra_api.core.database import db_manager
    from aegra_api.core.migrations import run_migrations_async

    await run_migrations_async()
    await db_manager.initialize()
    await db_manager.close()


def worker_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """The command that starts one Aegra worker process serving the graphs of aegra.json."""
    return [sys.executable, "-m", "uvicorn", "aegra_api.main:app", "--host", host, "--port", str(port)]


def main() -> int:
    """Prepare the database; a failure is one line on stderr and exit code 1."""
    try:
        asyncio.run(prepare())
    except ImportError as exc:
        print(f"error: Aegra is not installed ({exc}); pip install 'theoros-agents[aegra]'", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot reach Aegra's database: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
