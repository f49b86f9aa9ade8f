"""A conversation goes on about a person: "he", "she", "his" and "her" stand for the one it was about."""

from theoros_agents.api import Theoros
from theoros_agents.supervisor.memory import listed_films, person_of, resolve_person

SPIELBERG = {"id": "Q8877", "label": "Steven Spielberg", "kind": "person", "year": None}
JAWS = {"id": "Q189505", "label": "Jaws", "kind": "film", "year": 1975, "mention": "jaws", "score": 100.0}


def test_a_pronoun_is_the_threads_person():
    question, entities = resolve_person("Which films did he direct before 1980?", [], SPIELBERG)
    assert question == "Which films did Steven Spielberg direct before 1980?"
    assert entities == [{**SPIELBERG, "mention": "steven spielberg"}]
    assert resolve_person("What is his earliest film?", [], SPIELBERG)[0] == "What is Steven Spielberg's earliest film?"
    assert resolve_person("Did Jaws star her?", [JAWS], SPIELBERG)[0] == "Did Jaws star Steven Spielberg?"


def test_a_named_person_or_no_saved_one_leaves_the_question_as_it_is():
    hanks = {"id": "Q2263", "label": "Tom Hanks", "kind": "person", "year": None, "mention": "tom hanks"}
    assert resolve_person("Did he star with Tom Hanks?", [hanks], SPIELBERG)[0] == "Did he star with Tom Hanks?"
    assert resolve_person("What is his earliest film?", [], None)[0] == "What is his earliest film?"
    assert resolve_person("What is his earliest film?", [], {"label": "no id"})[0] == "What is his earliest film?"
    assert resolve_person("Who directed Jaws?", [JAWS], SPIELBERG)[0] == "Who directed Jaws?"


def test_beside_a_named_person_only_an_object_pronoun_is_the_threads_person():
    hanks = {"id": "Q2263", "label": "Tom Hanks", "kind": "person", "year": None, "mention": "tom hanks"}
    question = resolve_person("Did Tom Hanks work with him again?", [hanks], SPIELBERG)[0]
    assert question == "Did Tom Hanks work with Steven Spielberg again?"
    assert resolve_person("Did Tom Hanks ever work with her?", [hanks], SPIELBERG)[0].endswith("with Steven Spielberg?")


def test_those_are_the_persons_films_only_after_a_list_of_films():
    listed = resolve_person("Which of those won an Oscar?", [], SPIELBERG, listed=True)[0]
    assert listed == "Which of Steven Spielberg's films won an Oscar?"
    # After a cast, "those" are people: left as it is.
    assert resolve_person("Which of those won an Oscar?", [], SPIELBERG)[0] == "Which of those won an Oscar?"
    films = [{"agent": "query_writer", "result": {"rows": [{"film": "Q1"}, {"film": "Q2"}]}}]
    people = [{"agent": "query_writer", "result": {"rows": [{"value": "Q3"}, {"value": "Q4"}]}}]
    assert listed_films(films) and not listed_films(people) and not listed_films([])


def test_the_person_a_conversation_is_about():
    hanks = {"id": "Q2263", "label": "Tom Hanks", "kind": "person", "year": None, "mention": "tom hanks", "score": 1.0}
    assert person_of([JAWS, hanks], SPIELBERG) == {"id": "Q2263", "label": "Tom Hanks", "kind": "person", "year": None}
    assert person_of([JAWS], SPIELBERG) == SPIELBERG
    assert person_of([JAWS], None) is None


def test_a_conversation_goes_on_about_the_person_an_answer_named(home):
    theoros = Theoros(home=str(home))
    assert theoros.ask("Who directed Jaws?", thread_id="t1").answer == "Jaws (1975) was directed by Steven Spielberg."
    earliest = theoros.ask("What is his earliest film?", thread_id="t1").answer
    assert earliest.startswith("The earliest film directed by Steven Spielberg in the knowledge graph: ")
    before = theoros.ask("Which films did he direct before 1980?", thread_id="t1").answer
    assert before.startswith("Films directed by Steven Spielberg released before 1980: ")
    # Outside the conversation, "he" is nobody.
    assert theoros.ask("Which films did he direct before 1980?").answer.startswith("Who is 'he'?")


def test_a_conversation_narrows_a_persons_films_listed_before(home):
    theoros = Theoros(home=str(home))
    theoros.ask("What films did Steven Spielberg direct?", thread_id="t2")
    oscars = theoros.ask("Which of those won an Oscar?", thread_id="t2").answer
    assert oscars.startswith("Films that received an Academy Award directed by Steven Spielberg: ")
    hanks = theoros.ask("Did Tom Hanks work with him?", thread_id="t2").answer
    assert hanks.startswith("Films starring Tom Hanks with Steven Spielberg: ")
