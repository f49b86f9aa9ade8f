"""A request that names a film the graph knows is never routed out of scope."""

import pytest

from theoros_agents.api import Theoros
from theoros_agents.supervisor.classifier import default_classifier
from theoros_agents.supervisor.router import fast_route, named_mentions


def _film(mention):
    return {"id": "Q1", "label": mention.title(), "kind": "film", "year": 1950, "mention": mention, "score": 100.0}


def test_only_titles_of_two_words_or_more_said_as_names_count():
    entities = [_film("all about eve"), _film("casablanca"), {**_film("comedy"), "kind": "genre"}]
    assert named_mentions("Is All About Eve a comedy? And Casablanca?", entities) == {"all about eve": "that film"}
    # In lower case the words may be the request's own ("all about eve's party"): not taken for a title.
    assert named_mentions("tell me all about eve", entities) == {}


def test_an_out_of_scope_guess_is_read_again_with_the_title_as_that_film():
    classifier = default_classifier()
    question = "Is All About Eve a comedy?"
    assert classifier.rank(question)[0][0] != "fact"  # the classifier's own mistake, which this corrects
    assert fast_route(question, classifier, {"all about eve": "that film"}).intents == ["fact"]
    happened = "Who stars in It Happened One Night"
    assert classifier.rank(happened)[0][0] == "plot"
    assert fast_route(happened, classifier, {"it happened one night": "that film"}).intents == ["fact"]
    # Read again, a search or a plot request about a film stays one.
    assert fast_route("What happens in All About Eve?", classifier, {"all about eve": "that film"}).intents == ["plot"]
    assert fast_route("Find me a film like All About Eve", classifier, {"all about eve": "that film"}).intents == [
        "search"
    ]
    assert fast_route("Is Singin' in the Rain a musical?", classifier, {"singin in the rain": "that film"}).intents == [
        "fact"
    ]
    # A title not in the request changes nothing, and a request about a film may still be out of scope.
    assert fast_route("How do I bake sourdough bread?", classifier, {"all about eve": "that film"}).intents == [
        "out_of_scope"
    ]
    stocks = "Write a Python script that downloads stock prices, as in All About Eve"
    assert fast_route(stocks, classifier, {"all about eve": "that film"}).intents == ["out_of_scope"]


@pytest.mark.parametrize(
    ("question", "intent", "said"),
    [
        ("Is All About Eve a comedy?", "fact", "All About Eve (1950)"),
        ("plot summary for Dead Poets Society please", "plot", "Dead Poets Society"),
    ],
)
async def test_the_supervisor_answers_requests_the_classifier_took_for_out_of_scope(home, question, intent, said):
    answer = await Theoros(home=str(home)).aask(question)
    assert answer.intents == [intent]
    assert said in answer.answer


def test_a_country_said_as_a_name_is_read_again_as_that_country():
    classifier = default_classifier()
    question = "Which westerns are not from the United States?"
    assert classifier.rank(question)[0][0] == "out_of_scope"  # "the United States" reads as general knowledge
    usa = {"id": "Q30", "label": "United States", "kind": "country", "year": None, "mention": "united states"}
    named = named_mentions(question, [usa])
    assert named == {"united states": "that country"}
    assert fast_route(question, classifier, named).intents == ["fact"]
    assert fast_route("Who is the president of the United States?", classifier, named).intents == ["out_of_scope"]
