import pytest

from theoros_agents.agents.retriever.described import described


@pytest.mark.parametrize(
    ("question", "phrase", "plot"),
    [
        (
            "Who directed the film where a shark terrorizes a beach town?",
            "the film where a shark terrorizes a beach town",
            "a shark terrorizes a beach town",
        ),
        (
            "When was the movie about a man who builds a baseball field released?",
            "the movie about a man who builds a baseball field",
            "a man who builds a baseball field",
        ),
        ("When did the movie where a shark attacks swimmers first come out", "the movie where a shark attacks swimmers",
         "a shark attacks swimmers"),
    ],
)  # fmt: skip
def test_the_description_is_read_without_what_is_asked(question, phrase, plot):
    assert described(question) == (phrase, plot)


@pytest.mark.parametrize(
    "question",
    [
        "What is the film about?",
        "Who directed the film that won?",
        "Who directed Jaws?",
        "what is the title of the film that brunello rondi was the writer for",
    ],
)
def test_no_description(question):
    assert described(question) == ("", "")
