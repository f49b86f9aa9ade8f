"""A question that only describes its film is a search, whatever the classifier makes of it."""

import pytest

from theoros_agents.api import Theoros
from theoros_agents.supervisor.classifier import default_classifier
from theoros_agents.supervisor.router import _ASKS, fast_route


@pytest.mark.parametrize(
    "question",
    [
        "Which film has a man who wakes up every day on the same day?",
        "What film is about a boy who sees dead people?",
        "what movie has a guy reliving the same day over and over",
    ],
)
def test_a_description_without_names_or_relation_words_is_a_search(question):
    route = fast_route(question, default_classifier())
    assert route.intents == ["search"]
    assert route.confidence == 1.0


@pytest.mark.parametrize(
    ("question", "intents"),
    [
        ("Which film has Tom Hanks in it?", ["fact"]),  # a name: asks the graph
        ("which film has a director who also acted in it", ["fact"]),  # relation words
        ("What film is about a boy who sees dead people and who directed it?", ["search", "fact"]),
    ],
)
def test_names_and_relation_words_still_go_to_the_classifier(question, intents):
    assert fast_route(question, default_classifier()).intents == intents


def test_the_classifiers_own_reading_of_such_a_question_was_a_fact():
    # Why the rule exists: the real film questions the classifier learns from ask "which film has …" of the graph.
    assert default_classifier().rank("Which film has a man who wakes up every day on the same day?")[0][0] == "fact"


def test_a_described_film_is_searched_end_to_end(home):
    answer = Theoros(home=str(home)).ask("Which film has a shark that attacks swimmers off a resort island?")
    assert answer.intents == ["search"]
    assert answer.answer.startswith("The best match is Jaws (1975)")


@pytest.mark.parametrize("question", ["What genres are Jaws and Alien?", "Genres of Casablanca and Titanic?"])
def test_a_short_question_is_never_a_synopsis_to_tag(question):
    assert default_classifier().rank(question)[0][0] == "tagging"  # why the rule exists
    assert fast_route(question, default_classifier()).intents == ["fact"]


def test_a_synopsis_is_still_tagged():
    synopsis = "A retired hitman seeks revenge after gangsters kill the puppy his late wife gave him."
    assert fast_route(synopsis, default_classifier()).intents == ["tagging"]


def test_a_long_text_opening_with_a_question_word_is_no_short_question():
    # The words are matched one by one, so a long text is turned down at once (a looser pattern backtracked for
    # seconds on ten words).
    text = "What " + " ".join(["happens"] * 40) + " next."
    assert _ASKS.match(text) is None and _ASKS.match("What genres are Jaws and Alien?")
