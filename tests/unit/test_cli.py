import json

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
