"""A throwaway PostgreSQL cluster (Debian's binaries) for the tests that need several processes to share threads."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

USER = "theoros"
"""The cluster's superuser; it connects over loopback TCP with trust authentication."""


def _bindir() -> Path:
    """Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/<version>/bin."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    found = Path(candidates[-1]) if candidates else None
    if found is None and shutil.which("initdb"):
        found = Path(str(shutil.which("initdb")))
    if found is None:
        message = "PostgreSQL not installed (apt-get install -y postgresql)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return found.parent


def _unprivileged() -> dict[str, Any]:
    """Popen arguments that drop root: initdb and postgres refuse to run as root (CI runs as root)."""
    if os.geteuid() != 0:
        return {}
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    pytest.fail("running as root, and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL as")


def _run(command: list[str], what: str, **popen: Any) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, **popen)
    if done.returncode != 0:
        pytest.fail(f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


@contextlib.contextmanager
def postgres_cluster(port: int) -> Iterator[str]:
    """Create a cluster in a temporary directory, serve it on 127.0.0.1:`port`, and remove it afterwards.

    Yields:
        The URL of its `postgres` database.
    """
    bindir = _bindir()
    drop = _unprivileged()
    workdir = Path(tempfile.mkdtemp(prefix="theoros-pg-"))
    data, log = workdir / "data", workdir / "server.log"
    if drop:
        os.chown(workdir, drop["user"], drop["group"])
    try:
        _run(
            [str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"],
            "initdb",
            **drop,
        )
        # The socket lives in the work directory: /var/run/postgresql belongs to the system's cluster.
        options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        pg_ctl = str(bindir / "pg_ctl")
        _run(
            [pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"], "pg_ctl start", **drop
        )
        try:
            yield f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        finally:
            _run([pg_ctl, "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop"], "pg_ctl stop", **drop)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """Create database `name` in the cluster at `url`; return its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name
