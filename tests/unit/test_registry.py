import pytest

from theoros_agents.errors import ModelNotAvailable
from theoros_agents.models import check_model, load_chat_model, split_model_id
from theoros_agents.models.fake import ScriptedChatModel, parse_script
from theoros_agents.models.registry import gguf_path


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("llamacpp:smollm2-135m", ("llamacpp", "smollm2-135m")),
        ("ollama:qwen3:4b", ("ollama", "qwen3:4b")),
        ("litellm:openrouter/openai/gpt-5-mini", ("litellm", "openrouter/openai/gpt-5-mini")),
        ('fake:["a:b"]', ("fake", '["a:b"]')),
    ],
)
def test_split_on_first_colon_only(model_id, expected):
    assert split_model_id(model_id) == expected


@pytest.mark.parametrize("bad", ["", "smollm2", "llamacpp:", "gpt:4o", ":x"])
def test_bad_model_ids_name_the_problem(bad):
    with pytest.raises(ModelNotAvailable) as info:
        split_model_id(bad)
    assert repr(bad) in str(info.value) or "provider" in str(info.value)


def test_unknown_provider_lists_providers():
    with pytest.raises(ModelNotAvailable, match="providers are llamacpp, ollama, litellm, fake"):
        load_chat_model("gpt:4o")


def test_missing_gguf_file_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope.gguf"
    with pytest.raises(ModelNotAvailable, match="GGUF model file not found"):
        gguf_path(str(missing))
    assert "not found" in check_model(f"llamacpp:{missing}")


def test_builtin_smollm2_resolves_to_the_shipped_file():
    path = gguf_path("smollm2-135m")
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 50_000_000
    assert check_model("llamacpp:smollm2-135m") == ""


def test_ollama_and_litellm_build_without_contacting_a_server():
    ollama = load_chat_model("ollama:qwen3:4b")
    assert type(ollama).__name__ == "ChatOllama" and ollama.model == "qwen3:4b"
    litellm = load_chat_model("litellm:openrouter/openai/gpt-5-mini")
    assert type(litellm).__name__ == "ChatLiteLLM" and litellm.model == "openrouter/openai/gpt-5-mini"


def test_fake_scripts():
    assert parse_script('["one", "two"]') == ["one", "two"]
    assert parse_script("plain reply") == ["plain reply"]
    with pytest.raises(ModelNotAvailable):
        parse_script("[1, 2]")
    model = load_chat_model('fake:["first", "second"]')
    assert isinstance(model, ScriptedChatModel)
    assert [model.invoke("q").content for _ in range(3)] == ["first", "second", "second"]
