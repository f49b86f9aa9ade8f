"""Run files: round trip, resume after Ctrl-C, a failing model stopped, report, charts and recommend."""

import asyncio
import json
import signal
import tomllib

import pytest
from fakes import scripted

from theoros_agents.cli import main
from theoros_agents.context import resolve_context
from theoros_agents.evaluation.query_writer import TASK as QUERY_WRITER
from theoros_agents.evaluation.query_writer import QueryWriterTask
from theoros_agents.evaluation.runs import Run
from theoros_agents.evaluation.summary import summarize
from theoros_agents.evaluation.tasks import MODEL, System
from theoros_agents.models.fake import ScriptedChatModel
from theoros_agents.models.registry import register_fake

WD = "http://www.wikidata.org/entity/"
# The rules strategy needs a cue word ("directed"); a model picking "director" answers the other two as well.
QUESTIONS = [
    {"id": "jaws", "question": "Who directed Jaws?", "gold": [f"{WD}Q8877"]},
    {"id": "alien", "question": "Who was behind the camera on Alien?", "gold": [f"{WD}Q56005"]},
    {"id": "jaws-2", "question": "Who helmed Jaws?", "gold": [f"{WD}Q8877"]},
    {"id": "alien-2", "question": "Who directed Alien?", "gold": [f"{WD}Q56005"]},
    {"id": "nobody", "question": "Who directed Zzyzx Road Trip?", "gold": [f"{WD}Q1"]},
]


@pytest.fixture
def questions(tmp_path):
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS))
    return str(path)


def _eval(questions, home, out, *extra):
    return main(["eval", "query_writer", "--dataset", questions, "--home", str(home), "--out", str(out), *extra])


def test_a_run_file_round_trips(tmp_path):
    run = Run.create(tmp_path / "qw.json", agent="query_writer", dataset={"name": "d", "sha256": "ab"},
                     primary="execution_accuracy", binary="correct", items=["a", "b"], price_per_hour=0.1)  # fmt: skip
    system = System("intent / fake:x", MODEL, "fake:x", "intent", {"query_writer_strategy": "intent"}, {"model": "x"})
    run.add(system, {"query_writer": "0" * 64})
    for item, right in (("a", True), ("b", False)):
        run.record(system.name, {"id": item, "scores": {"correct": right, "f1": float(right), "written": True,
                                 "valid": True}, "latency_ms": 3600.0, "prompt_tokens": 10, "completion_tokens": 2,
                                 "api_cost_usd": 0.001, "invalid": not right, "error": "", "failed": False,
                                 "timeout": False, "answer": ""})  # fmt: skip
    run.save()
    loaded = Run.load(tmp_path / "qw.json")
    assert loaded.data == json.loads((tmp_path / "qw.json").read_text())
    assert System.from_dict(loaded.system(system.name)["system"]) == system
    row = summarize(loaded, QUERY_WRITER)["rows"][0]
    # 3.6 s per item at $0.10/h is $0.0001 of machine time, plus $0.001 of tokens: $1.10 per 1,000 requests.
    assert row["execution_accuracy"] == 0.5 and row["cost_per_1k_usd"] == pytest.approx(1.1)
    assert row["invalid_rate"] == 0.5 and row["prompt_tokens"] == 10 and row["latency_p50_ms"] == 3600.0


def test_ctrl_c_keeps_finished_items_and_resume_continues(tmp_path, home, questions, monkeypatch, capsys):
    original, calls, pressed = QueryWriterTask.run, [], []

    async def interrupted_on_the_third(self, system, context, item):
        calls.append(item["id"])
        if item["id"] == "jaws-2" and not pressed:
            pressed.append(True)
            signal.raise_signal(signal.SIGINT)  # Ctrl-C while the third item runs
            await asyncio.sleep(5)
        return await original(self, system, context, item)

    monkeypatch.setattr(QueryWriterTask, "run", interrupted_on_the_third)
    # A shell starts a background job with Ctrl-C ignored, and Python then leaves it so: restore the terminal's.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        out = tmp_path / "runs"
        assert _eval(questions, home, out, "--strategies", "rules") == 130
    finally:
        signal.signal(signal.SIGINT, previous)
    assert "--resume" in capsys.readouterr().err
    first = json.loads((out / "query_writer.json").read_text())
    entry = first["systems"][0]
    assert first["status"] == "interrupted" and set(entry["outcomes"]) == {"jaws", "alien"}

    assert _eval(questions, home, out, "--strategies", "rules") == 2
    assert "unfinished run" in capsys.readouterr().err

    calls.clear()
    assert _eval(questions, home, out, "--strategies", "rules", "--resume") == 0
    final = json.loads((out / "query_writer.json").read_text())
    assert calls == ["jaws-2", "alien-2", "nobody"] and final["status"] == "complete"
    outcomes = final["systems"][0]["outcomes"]
    assert list(outcomes) == ["jaws", "alien", "jaws-2", "alien-2", "nobody"]
    assert outcomes["jaws"] == entry["outcomes"]["jaws"]


def test_a_model_whose_calls_keep_failing_is_stopped_and_the_others_finish(tmp_path, home, questions, capsys):
    class Unreachable(ScriptedChatModel):
        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            raise ConnectionError("connection refused")

    register_fake("unreachable", Unreachable(replies=["unused"]))
    good, _ = scripted(json.dumps({"relation": "director"}))
    out = tmp_path / "runs"
    code = _eval(questions, home, out, "--strategies", "rules,intent", "--models", f"fake:unreachable,{good}", "--json")
    report = json.loads(capsys.readouterr().out)
    failed = report["results"]["intent / fake:unreachable"]
    assert code == 3 and failed["status"] == "failed" and "3 failures in a row" in failed["error"]
    assert "connection refused" in failed["error"] and failed["items"] == 3
    assert report["results"][f"intent / {good}"]["items"] == 5 and report["results"]["rules"]["items"] == 5
    assert any("failed" in flag for flag in report["flags"])


def test_a_missing_model_file_is_a_failed_row_and_the_table_still_prints(tmp_path, home, questions, capsys):
    code = _eval(questions, home, tmp_path, "--strategies", "rules,intent", "--models", "llamacpp:/nowhere/m.gguf")
    out = capsys.readouterr().out
    failed = next(line for line in out.splitlines() if "intent / llamacpp:m.gguf" in line)
    assert code == 3 and "failed" in failed and "GGUF model file not found" in failed
    assert "note: intent / llamacpp:m.gguf failed: GGUF model file not found" in out


@pytest.fixture
def finished(tmp_path, home, questions):
    model, _ = scripted(json.dumps({"relation": "director"}))
    out = tmp_path / "runs"
    assert _eval(questions, home, out, "--strategies", "rules,intent", "--models", model) == 0
    return out, model


def test_report_renders_tables_verdict_and_chart(finished, capsys):
    out, model = finished
    assert main(["eval", "report", str(out)]) == 0
    text = (out / "report.md").read_text()
    assert "## query_writer" in text and "| execution_accuracy [95% CI] |" in text
    assert f"| ★$ | intent / {model} | 0.80 [" in text and "| rules | 0.40 [" in text
    assert "Top two: no detectable difference" in text and "McNemar" in text
    assert "![query_writer: quality against latency and cost](query_writer.png)" in text
    assert (out / "query_writer.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compare_two_runs(finished, capsys):
    out, model = finished
    run = out / "query_writer.json"
    assert main(["eval", "compare", f"{run}#rules", str(run), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["run_a"]["system"] == "rules" and result["run_b"]["system"] == f"intent / {model}"
    assert result["diff"] == pytest.approx(0.4) and (result["a_only"], result["b_only"]) == (0, 2)
    assert result["mcnemar_p"] == 0.5 and result["verdict"].startswith("no detectable difference")


def test_recommend_writes_a_toml_that_the_settings_load(finished, tmp_path, monkeypatch, capsys):
    out, model = finished
    assert main(["eval", "recommend", str(out)]) == 0
    path = out / "theoros.toml"
    assert tomllib.loads(path.read_text())["query_writer"] == {"strategy": "intent", "model": model}
    context = resolve_context(toml_path=path, environ={})
    assert context.query_writer_strategy == "intent" and context.query_writer_model == model
    monkeypatch.setenv("THEOROS_CONFIG", str(path))
    capsys.readouterr()
    assert main(["models", "--json"]) == 0
    shown = {row["agent"]: (row["model"], row.get("strategy")) for row in json.loads(capsys.readouterr().out)}
    assert shown["query_writer"] == (model, "intent")
    # A toml the user wrote is never overwritten without --force.
    mine = tmp_path / "mine.toml"
    mine.write_text("temperature = 0.0\n")
    assert main(["eval", "recommend", str(out), "--output", str(mine)]) == 2
    assert mine.read_text() == "temperature = 0.0\n"


def test_recommend_does_not_adopt_a_judge_no_better_than_chance(tmp_path, home, capsys):
    dataset = tmp_path / "rated.jsonl"
    humans = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 2, 4]
    dataset.write_text("".join(json.dumps({"context": "c", "response": "r", "score": h}) + "\n" for h in humans))
    guesses = [3, 1, 4, 1, 5, 2, 2, 5, 3, 4, 5, 1]  # unrelated to the human scores
    model, _ = scripted(*[json.dumps({"reason": "r", "score": g}) for g in guesses])
    out = tmp_path / "runs"
    argv = ["eval", "judge", "--dataset", str(dataset), "--models", model, "--strategies", "reason"]
    argv += ["--home", str(home), "--out", str(out)]
    assert main(argv) == 0
    assert "no system here does measurably better than chance on spearman" in capsys.readouterr().out
    assert main(["eval", "recommend", str(out)]) == 0
    text = (out / "theoros.toml").read_text()
    assert "# caution: not adopted: no system here does measurably better than chance" in text
    assert tomllib.loads(text)["judge"] == {}
