"""Films like a named film, found by its own plot summary."""

import pytest

from theoros_agents.agents.retriever import build_retriever
from theoros_agents.agents.retriever.alike import alike_only, asks_alike
from theoros_agents.api import Theoros
from theoros_agents.context import resolve_context
from theoros_agents.supervisor.classifier import default_classifier
from theoros_agents.supervisor.router import fast_route

GRAPH = build_retriever().compile(name="retriever")


@pytest.mark.parametrize(
    ("question", "alike"),
    [
        ("What movies are similar to Jaws?", True),
        ("Recommend me films like Casablanca.", True),
        ("I want something like The Godfather", True),
        ("a thriller in the vein of Vertigo", True),
        ("What is Jaws about?", False),
        ("I would like a film about a shark", False),
    ],
)
def test_a_question_for_films_like_another(question, alike):
    assert asks_alike(question) is alike


def test_films_like_another_are_searched_for():
    assert fast_route("What movies are similar to Jaws?", default_classifier()).intents == ["search"]


async def test_films_like_a_film_leave_it_out_and_find_its_kin(home):
    result = await Theoros(home=str(home)).aask("What movies are similar to The Godfather?")
    assert result.intents == ["search"]
    assert result.answer.startswith("Films like The Godfather (1972), by their plot summaries: ")
    listed = result.answer.split(": ", 1)[1].split(". The closest")[0].split(", ")
    assert "The Godfather (1972)" not in listed and "The Godfather Part II (1974)" in listed


async def test_films_like_an_unknown_title_are_not_guessed(home):
    context = resolve_context({"home": str(home)}, environ={})
    result = await GRAPH.ainvoke(
        {"question": "What films are similar to Zorblax?", "intent": "search"}, context=context
    )
    assert result["answer"] == "I know no film called 'Zorblax' and have no plot summary of it."
    assert result["sources"] == []


@pytest.mark.parametrize(
    "question",
    ["what country is the film just like a woman from", "Which films like Casablanca won Oscars?"],
)
def test_a_relation_word_beside_like_asks_the_graph(question):
    assert fast_route(question, default_classifier()).intents == ["fact"]


@pytest.mark.parametrize(
    ("question", "mention", "only"),
    [
        ("What movies are similar to Jaws?", "jaws", True),
        ("Films like Jaws, please", "jaws", True),
        ("a film like Faces about a great white shark", "faces", False),  # goes on to describe
        ("What is Jaws about?", "jaws", False),
    ],
)
def test_a_question_asks_only_for_films_like_the_one_it_names(question, mention, only):
    assert alike_only(question, mention) is only
