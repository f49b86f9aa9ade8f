"""Names in a question: surnames alone, parts of a name the graph lacks, titles written as common words."""

import pytest

from theoros_agents.knowledge.linker import Entity, LabelIndex
from theoros_agents.knowledge.names import names_in, title_cased

PEOPLE = {
    "P1": ("Alfred Hitchcock", 50),
    "P2": ("Pat Hitchcock", 3),
    "P3": ("John Ford", 40),
    "P4": ("Harrison Ford", 35),
    "P5": ("Robert De Niro", 30),
    "P6": ("Oscar Levant", 5),
}


def _index():
    index = LabelIndex()
    for qid, (label, _) in PEOPLE.items():
        index.add(Entity(qid, label, "person"))
    index.add(Entity("F1", "Star!", "film", 1968))
    index.add(Entity("F2", "Vertigo", "film", 1958))
    index.add(Entity("A1", "Academy Awards", "award"))
    index.films_of = {qid: films for qid, (_, films) in PEOPLE.items()}
    return index


def _linked(question):
    return [(c.entity.label, c.mention) for c in _index().mentions(question)]


@pytest.mark.parametrize(
    ("question", "linked"),
    [
        # The namesake with at least twice the films of any other is meant.
        ("What thrillers did Hitchcock make?", [("Alfred Hitchcock", "hitchcock")]),
        ("Which Scorsese films star De Niro?", [("Robert De Niro", "de niro")]),
        # Two namesakes alike in films: neither.
        ("Which westerns did Ford direct?", []),
        # A surname said in lower case is a word of the question.
        ("what did hitchcock direct", []),
    ],
)
def test_a_surname_alone_links_its_most_filmed_person(question, linked):
    assert _linked(question) == linked


def test_a_reading_of_part_of_a_name_the_graph_lacks_is_dropped():
    # "Star" of "Star Wars Episode IV" is not the film "Star!", nor "Oscar" of "Oscar Isaac" the Academy Award.
    assert _linked("Who directed Star Wars Episode IV?") == []
    assert ("Academy Awards", "oscar") not in _linked("Did Oscar Isaac win a prize?")
    # A name linked whole keeps its reading: "Oscar" is the award where it is no part of a name.
    assert ("Academy Awards", "oscar") in _linked("Did Vertigo win an Oscar?")
    assert _linked("Did Oscar Levant act in Vertigo?") == [("Oscar Levant", "oscar levant"), ("Vertigo", "vertigo")]


def test_a_question_with_names_does_not_write_a_title_as_a_lower_case_word():
    assert ("Star!", "star") not in _linked("Did Robert De Niro star in Vertigo?")
    # Without capitals anywhere, a lower-case title is all there is to go on.
    assert _linked("who directed star") == [("Star!", "star")]


def test_a_title_cased_question_is_linked_as_it_is():
    assert title_cased("Did Vertigo Win An Oscar?") and title_cased("Who Directed Vertigo?")
    assert not title_cased("Did Vertigo win an Oscar?") and not title_cased("Who directed Star Wars Episode IV?")
    assert ("Vertigo", "vertigo") in _linked("Did Vertigo Win An Oscar?")


def test_names_split_at_and_but_not_at_other_connectors():
    assert names_in("Which films star Emma Stone and Ryan Gosling?") == ["Emma Stone", "Ryan Gosling"]
    assert names_in("What genre is The Lord of the Rings?") == ["The Lord of the Rings"]
    assert names_in("Which films should I watch?") == []  # "I" is no name
    assert names_in("What is Casablanca's genre?") == ["Casablanca"]  # a possessive names its owner


def test_the_films_per_person_survive_a_save_and_load(tmp_path):
    index = _index()
    index.save(tmp_path / "labels.json")
    again = LabelIndex.load(tmp_path / "labels.json")
    assert again.films_of == index.films_of
    assert [c.entity.label for c in again.mentions("Did Hitchcock direct Vertigo?")] == ["Vertigo", "Alfred Hitchcock"]
