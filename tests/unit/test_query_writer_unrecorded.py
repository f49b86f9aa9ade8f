"""Questions about what the graph does not record (running times, births, music …) say so instead of answering
something else."""

import pytest

from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.query_writer.answer import RECORDED
from theoros_agents.agents.query_writer.reading import unrecorded
from theoros_agents.agents.query_writer.rules import unrecorded as unrecorded_words
from theoros_agents.context import resolve_context

GRAPH = build_query_writer().compile(name="query_writer")


def _mentions(*said):
    return [{"mention": m, "kind": "film"} for m in said]


@pytest.mark.parametrize(
    ("question", "said", "what", "alone"),
    [
        ("What is the runtime of Casablanca?", ["casablanca"], "running times", True),
        ("How long is Titanic?", ["titanic"], "running times", True),
        ("Where was Humphrey Bogart born?", ["humphrey bogart"], "where or when people were born", True),
        ("What year did Alfred Hitchcock die?", ["alfred hitchcock"], "when people died", True),
        ("What was the budget of Avatar?", ["avatar"], "budgets or box-office takings", True),
        ("Who wrote the music for Jaws?", ["jaws"], "who wrote a film's music", True),
        ("What language is Amelie in?", ["amelie"], "languages", True),
        ("What movies are similar to Jaws?", ["jaws"], "which films are alike", True),
        # Beside a relation the graph holds: the answer gives that and says what it left out.
        ("Which actors in Casablanca were born in Sweden?", ["casablanca"], "where or when people were born", False),
        (
            "Who is the director and main character of Dances with Wolves?",
            ["dances with wolves"],
            "which characters actors play",
            False,
        ),  # fmt: skip
    ],
)
def test_what_the_graph_does_not_record(question, said, what, alone):
    assert unrecorded(question, _mentions(*said)) == (what, alone)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Who directed Die Hard?", ["die hard"]),
        ("who produced born yesterday", ["born yesterday"]),  # a linked title, even in lower case
        ("Who starred in Born on the Fourth of July?", []),  # a name, even unlinked
        ("what were the release years of the movies that share screenwriters with Kiss of Death", ["kiss of death"]),
        ("Who directed Casablanca?", ["casablanca"]),
        ("When was Jaws released?", ["jaws"]),
    ],
)
def test_names_and_recorded_relations_are_no_such_request(question, said):
    assert unrecorded(question, _mentions(*said)) == ("", False)


def test_the_words_of_the_unrecorded_request_ask_no_relation():
    assert unrecorded_words(" who wrote the music for ") == ("who wrote a film's music", True)
    assert unrecorded_words(" who made the soundtrack of ") == ("who wrote a film's music", True)
    assert unrecorded_words(" who wrote the screenplay for ")[0] == ""


def _context(home, strategy="rules"):
    return resolve_context({"home": str(home), "query_writer_strategy": strategy}, environ={})


async def test_a_question_asking_only_the_unrecorded_says_so_and_runs_no_query(home):
    out = await GRAPH.ainvoke({"question": "What is the runtime of Casablanca?"}, context=_context(home))
    assert out["answer"] == f"The knowledge graph does not record running times. It holds {RECORDED}."
    assert out["sparql"] == []


async def test_an_answer_beside_the_unrecorded_says_what_it_left_out(home):
    out = await GRAPH.ainvoke({"question": "Which actors in Casablanca were born in Sweden?"}, context=_context(home))
    assert out["answer"].startswith("Casablanca (1942) stars Humphrey Bogart")
    assert out["answer"].endswith(
        "(The knowledge graph does not record where or when people were born, so the answer leaves that out.)"
    )


async def test_a_title_with_such_a_word_is_answered(home):
    out = await GRAPH.ainvoke({"question": "Who directed the sound of music?"}, context=_context(home))
    assert out["answer"] == "The Sound of Music (1965) was directed by Robert Wise."


def test_a_capitalised_relation_word_is_no_name():
    question = 'Who is the Director and main character of the movie "Dancing with wolves"?'
    assert unrecorded(question, _mentions("dancing with wolves")) == ("which characters actors play", False)


async def test_a_question_naming_nothing_can_still_ask_the_unrecorded(home):
    out = await GRAPH.ainvoke({"question": "Who is the youngest director?"}, context=_context(home))
    assert out["answer"] == f"The knowledge graph does not record where or when people were born. It holds {RECORDED}."
    # A name the graph lacks is said as such, not taken for a question about births.
    missing = await GRAPH.ainvoke({"question": "When was Zorblax Quintero born?"}, context=_context(home))
    assert "Zorblax Quintero" in missing["answer"] and "does not record" not in missing["answer"]


def test_an_occupation_linked_still_asks_for_what_it_names():
    cinematographer = [{"mention": "cinematographer", "kind": "other"}, *_mentions("casablanca")]
    found = unrecorded("Who was the cinematographer of Casablanca?", cinematographer)
    assert found == ("cinematographers or editors", True)
