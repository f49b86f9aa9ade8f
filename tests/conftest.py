"""Shared fixtures: a store home per session, the development data, no network in unit tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pytest_socket import disable_socket, enable_socket

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("THEOROS_DATA", REPO.parent / "shared" / "data"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Unit tests run with the network blocked; unix sockets stay open for asyncio."""
    if "tests/unit" in str(item.fspath).replace(os.sep, "/"):
        disable_socket(allow_unix_socket=True)
    else:
        enable_socket()


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store home holding only the starter catalog."""
    return tmp_path_factory.mktemp("theoros-home")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The development data; required in CI, skipped elsewhere when absent."""
    if not DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"development data not found at {DATA}")
        pytest.skip(f"development data not found at {DATA}")
    return DATA


@pytest.fixture
def own_home(home: Path, tmp_path: Path) -> Path:
    """A copy of the starter plot store, so that what a test caches stays out of the shared home."""
    from theoros_agents.context import resolve_context
    from theoros_agents.knowledge.stores import plot_store

    plot_store(resolve_context({"home": str(home)}, environ={}))
    for part in ("plots", "bm25"):
        shutil.copytree(home / part, tmp_path / part)
    return tmp_path
