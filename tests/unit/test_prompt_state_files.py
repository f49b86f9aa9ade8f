"""Prompt-state files: named by model and system prompt, read back only when whole and written for that model."""

from pathlib import Path

import numpy as np
import pytest

from theoros_agents.models import prompt_state


class _Model:
    """What prompt_state reads of a llama.cpp model: its file and context size."""

    def __init__(self, path: Path, n_ctx: int = 4096) -> None:
        self.model_path = str(path)
        self._n_ctx = n_ctx

    def n_ctx(self) -> int:
        return self._n_ctx


@pytest.fixture
def model(tmp_path: Path) -> _Model:
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF weights")
    return _Model(weights)


def _chat(system: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": "Who directed Jaws?"}]


def test_one_file_per_model_and_system_prompt(model, tmp_path):
    home = str(tmp_path / "home")
    first = prompt_state.state_file(model, home, _chat("Pick the relation."))
    assert first is not None and first.parent == prompt_state.folder(home)
    assert prompt_state.state_file(model, home, _chat("Pick the relation.")) == first
    assert prompt_state.state_file(model, home, _chat("Grade the answer.")) != first
    other = _Model(Path(model.model_path), n_ctx=2048)
    assert prompt_state.state_file(other, home, _chat("Pick the relation.")) != first


def test_nothing_is_kept_without_a_home_a_system_prompt_or_a_model_file(model, tmp_path):
    assert prompt_state.state_file(model, "", _chat("Pick.")) is None
    assert prompt_state.state_file(model, str(tmp_path), [{"role": "user", "content": "hi"}]) is None
    assert prompt_state.state_file(_Model(tmp_path / "gone.gguf"), str(tmp_path), _chat("Pick.")) is None


def test_a_written_state_reads_back(model, tmp_path):
    path = tmp_path / "s.state"
    identity = prompt_state._describe(model)
    tokens = np.array([1, 2, 3], dtype="<i4").tobytes()
    prompt_state._write(path, identity, tokens, b"llama state bytes")
    read = prompt_state._read(path, identity)
    assert read is not None
    assert read[0].tolist() == [1, 2, 3] and read[1] == b"llama state bytes"


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-1],  # cut short
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),  # one bit flipped
        lambda raw: b"not json\n" + raw.partition(b"\n")[2],  # header lost
        lambda raw: b"",  # empty
    ],
)
def test_a_damaged_file_is_ignored(model, tmp_path, damage):
    path = tmp_path / "s.state"
    identity = prompt_state._describe(model)
    prompt_state._write(path, identity, np.array([7], dtype="<i4").tobytes(), b"state")
    path.write_bytes(damage(path.read_bytes()))
    assert prompt_state._read(path, identity) is None


def test_a_state_of_another_model_file_is_ignored(model, tmp_path):
    path = tmp_path / "s.state"
    prompt_state._write(path, prompt_state._describe(model), np.array([7], dtype="<i4").tobytes(), b"state")
    Path(model.model_path).write_bytes(b"GGUF other weights")  # replaced: another size
    assert prompt_state._read(path, prompt_state._describe(model)) is None


def test_a_home_given_with_a_tilde_keeps_its_states_in_the_users_folder():
    assert prompt_state.folder("~/films") == Path.home() / "films" / "cache" / "llama-state"
