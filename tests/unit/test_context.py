import pytest

from theoros_agents.context import DEFAULT_MODEL, Context, as_context, resolve_context
from theoros_agents.errors import ConfigError


def test_defaults_use_the_embedded_model_everywhere(tmp_path):
    context = resolve_context(environ={"THEOROS_HOME": str(tmp_path)}, toml_path=None)
    assert context.query_writer_model == DEFAULT_MODEL == "llamacpp:smollm2-135m"
    assert context.temperature == 0.0 and context.home == str(tmp_path)


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


def test_agent_accessors_and_mapping_input():
    context = as_context({"tagger_model": "fake:x", "home": "/tmp/x"})
    assert isinstance(context, Context) and context.model_for("tagger") == "fake:x"
    with pytest.raises(ConfigError, match="unknown agent 'critic'"):
        context.model_for("critic")
