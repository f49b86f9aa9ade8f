import json
import subprocess
import sys

import pytest

from theoros_agents.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_shows_route_sparql_and_timings(capsys, home):
    code, out, _ = _run(capsys, "ask", "--json", "--home", str(home), "Who directed Alien?")
    data = json.loads(out)
    assert code == 0 and "Ridley Scott" in data["answer"]
    assert data["intents"] == ["fact"] and data["route_source"] == "rules"
    assert "wdt:P57" in data["sparql"][0]
    assert {"agent", "node", "model", "latency_ms", "prompt_tokens", "completion_tokens"} <= set(data["records"][0])


def test_trace_prints_nodes_after_the_answer(capsys, home):
    code, out, _ = _run(capsys, "ask", "--trace", "--home", str(home), "Who", "directed", "Jaws?")
    assert code == 0 and out.splitlines()[0] == "Jaws (1975) was directed by Steven Spielberg."
    assert "route: fact (by rules)" in out and "sparql: SELECT" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", "  "], "the question is empty"),
        (["ask", "--model", "gpt:4o", "Jaws?"], "unknown model provider 'gpt'"),
        (
            [
                "ask",
                "--model",
                "query_writer=llamacpp:/nowhere/model.gguf",
                "--set",
                "query_writer_strategy=intent",
                "Who directed Jaws?",
            ],
            "GGUF model file not found",
        ),
        (["ask", "--model", "critic=fake:x", "Jaws?"], "unknown agent 'critic'"),
        (["ask", "--set", "colour=red", "Jaws?"], "unknown setting 'colour'"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(capsys, home, argv, message):
    code, out, err = _run(capsys, *argv, "--home", str(home))
    assert code == 2 and message in err and "Traceback" not in err
    assert err.startswith("error: ")


def test_a_model_returning_invalid_json_exits_3(capsys, home):
    argv = ["ask", "--home", str(home), "--model", "supervisor=fake:not json at all", "--set", "router_threshold=1.01"]
    code, out, err = _run(capsys, *argv, "Jaws?")
    assert code == 3 and "invalid output" in err and "supervisor (fake:not json at all)" in err
    assert out.strip()  # a graceful answer is still printed


def test_models_lists_every_agent(capsys, home):
    code, out, _ = _run(capsys, "models", "--json", "--home", str(home), "--model", "judge=ollama:qwen3:4b")
    rows = {r["agent"]: r for r in json.loads(out)}
    assert code == 0 and set(rows) == {"supervisor", "query_writer", "retriever", "tagger", "judge"}
    assert rows["query_writer"]["available"] and rows["judge"]["model"] == "ollama:qwen3:4b"


def test_help_everywhere(capsys):
    for argv in (["--help"], ["ask", "--help"], ["models", "--help"], ["ingest", "--help"], ["eval", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0
        assert "usage: theoros" in capsys.readouterr().out


def test_chat_remembers_the_thread(capsys, home, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Who directed Jaws?\n\nand who wrote it?\nexit\n"))
    code, out, _ = _run(capsys, "chat", "--home", str(home))
    assert code == 0
    assert out.splitlines() == [
        "Jaws (1975) was directed by Steven Spielberg.",
        "Jaws (1975) was written by Carl Gottlieb.",
    ]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("query_writer_strategy=bogus", "'query_writer_strategy' must be one of hybrid, intent, rules, sparql"),
        ("retriever_ranker=bogus", "'retriever_ranker' must be one of hybrid, score, normalized, prf, bm25, vector"),
        ("tagger_strategy=bogus", "'tagger_strategy' must be one of auto, slm, slm_pick"),
        ("judge_gate=perhaps", "'judge_gate' must be bool"),
        ("judge_swap_order=sometimes", "'judge_swap_order' must be bool"),
        ("judge_threshold=7", "'judge_threshold' must be between 1 and 5"),
        ("query_writer_attempts=many", "'query_writer_attempts' must be int"),
        ("router_threshold=2", "'router_threshold' must be between 0 and 1.01"),
        ("colour=red", "unknown setting 'colour'"),
        ("no_equals_sign", "--set takes KEY=VALUE"),
    ],
)
def test_every_bad_setting_is_one_error_line_and_exit_2(capsys, home, setting, message):
    code, out, err = _run(capsys, "ask", "--home", str(home), "--set", setting, "Who directed Jaws?")
    assert code == 2 and not out
    assert err.startswith("error: ") and message in err and len(err.strip().splitlines()) == 1


HOLD_STORE = """
import sys, time
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.stores import graph_store
graph_store(resolve_context({"home": sys.argv[1]}))
print("holding", flush=True)
time.sleep(120)
"""


def test_the_cli_answers_while_another_process_holds_the_store(capsys, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_STORE, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        code, out, err = _run(capsys, "ask", "--home", str(tmp_path), "Who directed Jaws?")
        assert code == 0 and out.strip() == "Jaws (1975) was directed by Steven Spielberg.", err
        code, out, err = _run(capsys, "stores", "--home", str(tmp_path))
        assert code == 0 and " triples, 304 films" in out  # A status command reads what the holder wrote.
        from theoros_agents.knowledge.graph_store import EmbeddedGraphStore

        assert "read-only: another process holds it" in EmbeddedGraphStore(tmp_path / "graph").describe()
    finally:
        holder.kill()
        holder.wait()


def test_stores_reports_without_creating_anything(capsys, tmp_path):
    home = tmp_path / "fresh"
    code, out, err = _run(capsys, "stores", "--home", str(home))
    assert code == 0 and "graph: not created yet" in out and "plots: not created yet" in out
    assert not home.exists()


def test_stores_reports_a_used_home_and_changes_nothing(capsys, home):
    _run(capsys, "ask", "--home", str(home), "What is Jaws about?")
    before = sorted((p.relative_to(home), p.stat().st_size) for p in home.rglob("*") if p.is_file())
    code, out, _ = _run(capsys, "stores", "--home", str(home))
    assert code == 0 and " triples, 304 films" in out and "passages of " in out
    assert "(read-only)" in out and "another process" not in out  # Read-only by choice, and it says so.
    after = sorted((p.relative_to(home), p.stat().st_size) for p in home.rglob("*") if p.is_file())
    assert [name for name, _ in after] == [name for name, _ in before]


def test_the_command_freezes_the_heap_only_once_main_has_answered(capsys, home, monkeypatch):
    import gc

    from theoros_agents.cli import run

    monkeypatch.setattr(sys, "argv", ["theoros", "ask", "--home", str(home), "Who directed Jaws?"])
    frozen_before = gc.get_freeze_count()
    try:
        assert run() == 0
        assert "Steven Spielberg" in capsys.readouterr().out
        assert gc.get_freeze_count() > frozen_before  # the exit's last collection will skip them
    finally:
        gc.unfreeze()
