import pytest

from theoros_agents.errors import ConfigError
from theoros_agents.prompts import load_prompt, prompt_names, render

SAMPLE = {
    "question": "Who directed Jaws?",
    "candidates": [{"id": "Q189505", "label": "Jaws", "kind": "film", "year": 1975}],
    "feedback": ["director: empty result"],
    "documents": [{"title": "Jaws", "year": 1975, "text": "A shark."}],
    "labels": ["horror", "thriller"],
    "text": "A shark terrorises a beach town.",
    "facts": "Jaws was directed by Steven Spielberg.",
    "answer": "Steven Spielberg.",
    "subgenre": "slasher",
    "label": "slasher film",
    "description": "A killer murders a group of people one by one.",
    "synopsis": "A masked man stalks camp counsellors.",
    "instruction": "Name a shark film.",
    "output_1": "Jaws.",
    "output_2": "Bambi.",
    "options": ["fact", "plot"],
}


def test_every_agent_has_a_prompt_file():
    assert set(prompt_names()) >= {"supervisor", "query_writer", "retriever", "tagger", "judge"}


@pytest.mark.parametrize("name", prompt_names())
def test_every_section_renders(name):
    for section in load_prompt(name):
        text = render(name, section, **SAMPLE)
        assert text and "{{" not in text and "{%" not in text


def test_missing_variable_is_an_error_not_a_blank():
    with pytest.raises(ConfigError, match="question"):
        render("judge", "answer_user", answer="x", facts="y")


async def test_async_rendering_reads_a_prompt_file_off_the_loop_once(tmp_path, monkeypatch):
    import threading

    from theoros_agents import prompts

    path = tmp_path / "custom.yaml"
    path.write_text("checklist: |\n  Is it about {{ topic }}?\n  Is it short?\n", encoding="utf-8")
    readers: list[int] = []
    load = prompts.load_prompt

    def watched(name_or_path):
        readers.append(threading.get_ident())
        return load(name_or_path)

    monkeypatch.setattr(prompts, "load_prompt", watched)
    first = await prompts.arender(str(path), "checklist", topic="sharks")
    assert first == "Is it about sharks?\nIs it short?"
    assert await prompts.arender(str(path), "checklist", topic="films") == "Is it about films?\nIs it short?"
    assert readers and threading.get_ident() not in readers  # Read and compiled once, on a worker thread.
