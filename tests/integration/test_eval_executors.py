"""The leaderboard against real components: an Ollama address nobody answers on, and Ray on this machine."""

import json

import pytest

from theoros_agents.cli import main

pytestmark = pytest.mark.integration

WD = "http://www.wikidata.org/entity/"
QUESTIONS = [
    {"id": "jaws", "question": "Who directed Jaws?", "gold": [f"{WD}Q8877"]},
    {"id": "alien", "question": "Who was behind the camera on Alien?", "gold": [f"{WD}Q56005"]},
    {"id": "jaws-cast", "question": "Who starred in Jaws?", "gold": [f"{WD}Q1"]},
    {"id": "alien-2", "question": "Who directed Alien?", "gold": [f"{WD}Q56005"]},
]
# A scripted model named by its replies (no registration), so that Ray's worker processes build the same one.
DIRECTOR = 'fake:{"relation":"director"}'


@pytest.fixture
def questions(tmp_path):
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS))
    return str(path)


def test_an_unreachable_ollama_is_reported_failed_and_the_others_finish(
    questions, home, tmp_path, unused_port, monkeypatch, capsys
):
    monkeypatch.setenv("OLLAMA_HOST", f"http://127.0.0.1:{unused_port}")
    argv = ["eval", "query_writer", "--dataset", questions, "--strategies", "rules,intent", "--models",
            f"ollama:qwen3:4b,{DIRECTOR}", "--home", str(home), "--out", str(tmp_path), "--json"]  # fmt: skip
    code = main(argv)
    captured = capsys.readouterr()
    results = json.loads(captured.out)["results"]
    dead = results["intent / ollama:qwen3:4b"]
    assert code == 3 and dead["status"] == "failed" and dead["items"] == 0
    assert f"cannot reach Ollama at http://127.0.0.1:{unused_port}" in dead["error"]
    assert "intent / ollama:qwen3:4b: failed: cannot reach Ollama" in captured.err
    assert results["rules"]["status"] == "complete" and results["rules"]["items"] == 4
    assert results[f"intent / {DIRECTOR}"]["items"] == 4 and results[f"intent / {DIRECTOR}"]["status"] == "complete"


def test_ray_gives_the_same_outcomes_as_the_process(questions, home, tmp_path):
    runs = {}
    for executor in ("process", "ray"):
        out = tmp_path / executor
        argv = ["eval", "query_writer", "--dataset", questions, "--strategies", "rules,intent", "--models", DIRECTOR,
                "--home", str(home), "--out", str(out), "--executor", executor, "--concurrency", "2"]  # fmt: skip
        assert main(argv) == 0
        runs[executor] = json.loads((out / "query_writer.json").read_text())
    for here, there in zip(runs["process"]["systems"], runs["ray"]["systems"], strict=True):
        assert here["system"] == there["system"] and here["status"] == there["status"] == "complete"
        same = ("scores", "answer", "prompt_tokens", "completion_tokens", "invalid", "error")
        assert {i: {k: o[k] for k in same} for i, o in here["outcomes"].items()} == {
            i: {k: o[k] for k in same} for i, o in there["outcomes"].items()
        }
    assert runs["ray"]["executor"] == "ray"
