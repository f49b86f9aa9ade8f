"""The checkpointer factory: SQLite under the home by default, PostgreSQL by URL, anything else refused."""

import pytest

from theoros_agents.checkpointer import checkpointer_url, open_checkpointer, redact
from theoros_agents.errors import ConfigError


async def test_sqlite_under_the_home_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("THEOROS_CHECKPOINTER", raising=False)
    async with open_checkpointer(str(tmp_path / "home")) as saver:
        config = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
        assert await saver.aget_tuple(config) is None
    assert type(saver).__name__ == "AsyncSqliteSaver" and (tmp_path / "home" / "threads.sqlite").is_file()


@pytest.mark.parametrize("url", ["mysql://u:pw@h/db", "sqlite:///tmp/x.db", "redis://h:6379"])
def test_an_unknown_scheme_is_refused_without_its_password(url):
    with pytest.raises(ConfigError, match="THEOROS_CHECKPOINTER must be empty .* or a postgresql:// URL") as caught:
        checkpointer_url({"THEOROS_CHECKPOINTER": url})
    assert "pw@" not in str(caught.value)


def test_postgres_urls_are_accepted_and_redacted():
    assert checkpointer_url({"THEOROS_CHECKPOINTER": " postgres://u@h/db "}) == "postgres://u@h/db"
    assert checkpointer_url({}) == ""
    assert redact("postgresql://theoros:s3cr@t@db:5432/threads") == "postgresql://theoros:***@db:5432/threads"
    assert redact("postgresql://theoros@db/threads") == "postgresql://theoros@db/threads"


async def test_the_environment_names_the_checkpointer(tmp_path, monkeypatch):
    monkeypatch.setenv("THEOROS_CHECKPOINTER", "mongodb://h/db")
    with pytest.raises(ConfigError, match="'mongodb://h/db'"):
        async with open_checkpointer(str(tmp_path)):
            pass
