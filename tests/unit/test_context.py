import dataclasses

import pytest

from theoros_agents.agents.registry import all_agents
from theoros_agents.context import (
    DEFAULT_MODEL,
    SERVER_ONLY,
    Context,
    as_context,
    per_run_settings,
    resolve_context,
    resolve_run_context,
)
from theoros_agents.errors import ConfigError


def test_defaults_use_the_embedded_model_everywhere(tmp_path):
    context = resolve_context(environ={"THEOROS_HOME": str(tmp_path)}, toml_path=None)
    assert context.query_writer_model == DEFAULT_MODEL == "llamacpp:smollm2-135m"
    assert context.retriever_model == ""  # extractive answers unless a model is configured
    assert context.temperature == 0.0 and context.home == str(tmp_path)


def test_every_registered_agent_has_its_fields():
    names = {f.name for f in dataclasses.fields(Context)}
    for spec in all_agents():
        assert {f"{spec.name}_model", f"{spec.name}_prompt"} <= names
        assert {f"{spec.name}_{s.name}" for s in spec.settings} <= names


def test_resolution_order_defaults_toml_env_arguments(tmp_path):
    toml = tmp_path / "theoros.toml"
    toml.write_text('temperature = 0.5\nmax_rows = 7\n[query_writer]\nmodel = "ollama:qwen3:4b"\nattempts = 5\n')
    env = {"THEOROS_MAX_ROWS": "9", "THEOROS_JUDGE_GATE": "true"}
    context = resolve_context({"max_rows": 11}, toml_path=toml, environ=env)
    assert context.temperature == 0.5  # toml over default
    assert context.query_writer_model == "ollama:qwen3:4b" and context.query_writer_attempts == 5
    assert context.judge_gate is True  # environment over default
    assert context.max_rows == 11  # argument over environment over toml
    assert resolve_context(toml_path=toml, environ=env).max_rows == 9


def test_unknown_setting_and_bad_type_are_errors(tmp_path):
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        resolve_context({"colour": "red"}, environ={})
    with pytest.raises(ConfigError, match="'max_rows' must be int"):
        resolve_context({"max_rows": "many"}, environ={})
    broken = tmp_path / "theoros.toml"
    broken.write_text("temperature = = 1")
    with pytest.raises(ConfigError, match="cannot read settings file"):
        resolve_context(toml_path=broken, environ={})


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("query_writer_strategy", "bogus", "must be one of hybrid, intent, rules, sparql"),
        ("retriever_ranker", "bogus", "must be one of hybrid, score, normalized, prf, bm25, vector"),
        ("tagger_strategy", "bogus", "must be one of auto, slm"),
        ("judge_gate", "perhaps", "'judge_gate' must be bool"),
        ("judge_threshold", 9, "between 1 and 5"),
        ("query_writer_attempts", 0, "between 1 and 10"),
        ("temperature", -1, "between 0 and 2"),
    ],
)
def test_fixed_choices_and_ranges_are_checked(setting, value, message):
    with pytest.raises(ConfigError, match=message):
        resolve_context({setting: value}, environ={})


def test_agent_accessors():
    context = resolve_context({"tagger_model": "fake:x"}, environ={})
    assert context.model_for("tagger") == "fake:x"
    assert context.model_for("tagger", escalated=True) == "fake:x"  # no escalation model configured
    assert dataclasses.replace(context, escalation_model="fake:y").model_for("tagger", escalated=True) == "fake:y"
    with pytest.raises(ConfigError, match="unknown agent 'critic'"):
        context.model_for("critic")


def test_server_only_settings_are_not_per_run():
    allowed = per_run_settings()
    assert not SERVER_ONLY & allowed and "tagger_classifier" not in allowed
    assert {"query_writer_model", "query_writer_strategy", "judge_gate", "temperature"} <= allowed


@pytest.mark.parametrize(
    ("run", "message"),
    [
        ({"home": "/tmp/elsewhere"}, "'home' is server configuration"),
        ({"wikipedia_mcp": "stdio:touch /tmp/x"}, "'wikipedia_mcp' is server configuration"),
        ({"sparql_endpoint": "http://10.0.0.1/sparql"}, "'sparql_endpoint' is server configuration"),
        ({"chroma_url": "http://internal:8000"}, "'chroma_url' is server configuration"),
        ({"tagger_classifier": "/tmp/evil.joblib"}, "'tagger_classifier' is server configuration"),
        ({"query_writer_prompt": "/etc/passwd.yaml"}, "'query_writer_prompt' must name a built-in prompt"),
        ({"tagger_labels": "/etc/labels.yaml"}, "'tagger_labels' must name a shipped label set"),
        ({"judge_model": "llamacpp:/tmp/other.gguf"}, "a run may use llamacpp:smollm2-135m"),
        ({"judge_model": "fake:/tmp/script.json"}, "may not name a script file"),
        ({"judge_model": "gpt:4o"}, "unknown model provider 'gpt'"),
        ({"colour": "red"}, "unknown setting 'colour'"),
        ({"query_writer_strategy": "bogus"}, "must be one of"),
        ({"max_rows": {"nested": 1}}, "must be text, a number or true/false"),
    ],
)
def test_a_run_may_not_change_server_settings(run, message, monkeypatch, tmp_path):
    monkeypatch.setenv("THEOROS_HOME", str(tmp_path))
    with pytest.raises(ConfigError, match=message):
        resolve_run_context(run)


def test_a_run_gets_the_server_configuration_plus_what_it_may_change(monkeypatch, tmp_path):
    (tmp_path / "theoros.toml").write_text('[query_writer]\nstrategy = "rules"\n')
    monkeypatch.setenv("THEOROS_CONFIG", str(tmp_path / "theoros.toml"))
    monkeypatch.setenv("THEOROS_HOME", str(tmp_path))
    monkeypatch.setenv("THEOROS_SPARQL_ENDPOINT", "http://127.0.0.1:1/query")
    context = resolve_run_context({})
    assert context.query_writer_strategy == "rules" and context.sparql_endpoint == "http://127.0.0.1:1/query"
    assert context.home == str(tmp_path)
    changed = as_context({"query_writer_strategy": "intent", "tagger_labels": "imdb", "judge_prompt": "judge"})
    assert changed.query_writer_strategy == "intent" and changed.tagger_labels == "imdb"
    assert changed.sparql_endpoint == "http://127.0.0.1:1/query"  # the server's, whatever the run says


def test_a_context_built_by_the_operator_is_trusted(tmp_path):
    context = resolve_context({"home": str(tmp_path)}, environ={})
    assert as_context(context) is context
