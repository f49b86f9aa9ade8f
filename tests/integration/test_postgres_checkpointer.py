"""THEOROS_CHECKPOINTER=postgresql://…: a thread started by one `Theoros` object is continued by another."""

import pytest

from tests.integration.postgres import create_database
from theoros_agents import Theoros
from theoros_agents.checkpointer import open_checkpointer
from theoros_agents.errors import StoreError

pytestmark = pytest.mark.integration


async def test_a_thread_kept_in_postgresql_is_continued_by_another_object(postgres_url, tmp_path, monkeypatch):
    url = create_database(postgres_url, "threads_api")
    monkeypatch.setenv("THEOROS_CHECKPOINTER", url)
    first = await Theoros(home=str(tmp_path)).aask("Who directed Jaws?", thread_id="jaws")
    assert "Steven Spielberg" in first.answer
    second = await Theoros(home=str(tmp_path)).aask("and who wrote it?", thread_id="jaws")
    assert "Carl Gottlieb" in second.answer
    # Nothing went to SQLite: the thread lives in the database only.
    assert not (tmp_path / "threads.sqlite").exists()
    async with open_checkpointer(str(tmp_path)) as saver:
        saved = await saver.aget_tuple({"configurable": {"thread_id": "jaws"}})
    assert saved is not None and type(saver).__name__ == "AsyncPostgresSaver"


async def test_an_unreachable_database_is_a_clear_store_error(tmp_path, unused_port):
    url = f"postgresql://theoros:hunter2@127.0.0.1:{unused_port}/threads"
    with pytest.raises(
        StoreError, match=rf"cannot open the checkpointer at postgresql://theoros:\*\*\*@127.0.0.1:{unused_port}"
    ):
        async with open_checkpointer(str(tmp_path), url):
            pass
