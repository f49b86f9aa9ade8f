"""Two people in a question, each in their role; names the graph lacks said beside the answer."""

import pytest

from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.query_writer.narrowing import unplaced
from theoros_agents.agents.query_writer.people import roles
from theoros_agents.agents.query_writer.state import Attempt
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.stores import graph_store

GRAPH = build_query_writer().compile(name="query_writer")


def _person(mention, qid="Q1"):
    return {"id": qid, "label": mention.title(), "kind": "person", "year": None, "mention": mention, "score": 100.0}


BOGART, BACALL, SCORSESE, DE_NIRO = _person("bogart"), _person("bacall"), _person("scorsese"), _person("de niro", "Q2")
PACINO = _person("pacino", "Q3")


@pytest.mark.parametrize(
    ("question", "people", "relation", "expected"),
    [
        ("Which films star Bogart and Bacall?", [BOGART, BACALL], "cast_member", ["cast_member", "cast_member"]),
        # Each takes the role whose cue is nearest, whichever comes first in the question.
        (
            "Which films starring De Niro did Scorsese direct?",
            [DE_NIRO, SCORSESE],
            "director",
            ["cast_member", "director"],
        ),
        (
            "Which films did Scorsese direct starring De Niro?",
            [SCORSESE, DE_NIRO],
            "director",
            ["director", "cast_member"],
        ),
        # A name before "films" is their director.
        ("Which Scorsese films star De Niro?", [SCORSESE, DE_NIRO], "cast_member", ["director", "cast_member"]),
        ("Which of Scorsese's films star De Niro?", [SCORSESE, DE_NIRO], "cast_member", ["director", "cast_member"]),
    ],
)
def test_each_person_takes_the_role_nearest_them(question, people, relation, expected):
    assert roles(question, people, relation) == dict(enumerate(expected))


def test_more_than_two_people_share_the_one_role_cued_or_are_said_to_be_left_out():
    three = [SCORSESE, DE_NIRO, PACINO]
    assert roles("Which films star Scorsese, De Niro and Pacino?", three, "cast_member") == dict.fromkeys(
        range(3), "cast_member"
    )
    question = "Which films did Scorsese direct starring De Niro and Pacino?"
    assert roles(question, three, "director") == {}
    attempt = Attempt(sparql="", relation="director", entity=0, error="", rows=1)
    assert unplaced(question, three, attempt) == ["De Niro", "Pacino"]
    two = "Which films did Scorsese direct starring De Niro?"
    assert unplaced(two, three[:2], attempt) == []  # both placed


@pytest.mark.parametrize(
    ("question", "people"),
    [
        ("Which films did Bogart or Bacall star in?", [BOGART, BACALL]),  # either one: no single query
        ("Which films star Bogart?", [BOGART, {**BOGART, "id": "Q2"}]),  # namesakes of one mention are one person
        ("Which films star Bogart and Bacall?", [BOGART, {**BACALL, "kind": "genre"}]),
    ],
)
def test_no_roles_without_two_people_asked_together(question, people):
    assert roles(question, people, "cast_member") == {}


def _context(home):
    return resolve_context({"home": str(home), "query_writer_strategy": "rules"}, environ={})


async def _ask(home, question):
    return (await GRAPH.ainvoke({"question": question}, context=_context(home)))["answer"]


async def test_two_people_keep_the_films_they_share(home):
    store = graph_store(_context(home))
    both = store.select(
        'SELECT DISTINCT ?f WHERE { ?f wdt:P161 ?a , ?b . ?a rdfs:label "Humphrey Bogart" . '
        '?b rdfs:label "Ingrid Bergman" }',
        max_rows=0,
    )
    assert len(both) == 1
    answer = await _ask(home, "Which films star Humphrey Bogart and Ingrid Bergman?")
    assert answer == "Films starring Humphrey Bogart and Ingrid Bergman: Casablanca (1942)."
    scorsese = await _ask(home, "Which Scorsese films star De Niro?")
    assert scorsese.startswith("Films starring Robert De Niro directed by Martin Scorsese: ")


async def test_a_name_the_graph_lacks_is_said_beside_the_answer(home):
    answer = await _ask(home, "How many films did Capra direct for Columbia Pictures?")
    assert answer.startswith("7 films directed by Frank Capra: ")
    assert answer.endswith(
        "(I could not find 'Columbia Pictures' in the knowledge graph, so the answer leaves it out.)"
    )
    assert await _ask(home, "Who directed Star Wars Episode IV?") == (
        "I could not find 'Star Wars Episode IV' in the knowledge graph. "
        "Closest matches: Star Wars: Episode IV – A New Hope (1977)."
    )


async def test_who_is_in_a_film_asks_for_its_cast(home):
    assert (await _ask(home, "Who is in The Apartment?")).startswith("The Apartment (1960) stars ")


async def test_either_of_two_people_is_answered_for_the_first_and_says_so(home):
    answer = await _ask(home, "Which films did Capra or Spielberg direct?")
    assert answer.startswith("Films directed by Frank Capra: ")
    assert answer.endswith("(Not narrowed by Steven Spielberg: one query answers for one of them.)")


@pytest.mark.parametrize(
    ("question", "role", "prop"),
    [
        ("What was Spielberg's first film?", "directed by", "P57"),
        ("What are Tom Hanks's films?", "starring", "P161"),
    ],
)
async def test_a_person_named_with_no_role_is_read_in_their_main_one(home, question, role, prop):
    context = resolve_context({"home": str(home), "query_writer_strategy": "rules"}, environ={})
    result = await GRAPH.ainvoke({"question": question}, context=context)
    person = result["findings"][0]["result"]["entities"][0]
    counts = {
        row["p"].rsplit("/", 1)[1]: int(row["n"])
        for row in graph_store(context).select(
            "SELECT ?p (COUNT(DISTINCT ?f) AS ?n) WHERE { VALUES ?p { wdt:P57 wdt:P161 wdt:P58 wdt:P162 } "
            f"?f ?p wd:{person['id']} }} GROUP BY ?p",
            max_rows=0,
        )
    }
    assert max(counts, key=counts.get) == prop
    assert f" {role} {person['label']}" in result["answer"]


def _oscar_films(home, prop, person):
    rows = graph_store(_context(home)).select(
        f'SELECT DISTINCT ?f WHERE {{ ?f wdt:{prop} ?p . ?p rdfs:label "{person}" . ?f wdt:P166 ?a . '
        '?a rdfs:label ?l . FILTER(STRSTARTS(STR(?l), "Academy Award")) }',
        max_rows=0,
    )
    return {row["f"] for row in rows}


@pytest.mark.parametrize(
    ("question", "prop", "person", "said"),
    [
        ("Which Spielberg films won Oscars?", "P57", "Steven Spielberg", "directed by Steven Spielberg"),
        ("Which of Spielberg's films won an Oscar?", "P57", "Steven Spielberg", "directed by Steven Spielberg"),
        ("Which films starring Tom Hanks won an Academy Award?", "P161", "Tom Hanks", "starring Tom Hanks"),
        ("Which films with Tom Hanks won an Oscar?", "P161", "Tom Hanks", "starring Tom Hanks"),
    ],
)
async def test_a_persons_films_kept_to_an_award_familys_winners(home, question, prop, person, said):
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    (finding,) = result["findings"]
    expected = _oscar_films(home, prop, person)
    assert {row["film"] for row in finding["result"]["rows"]} == expected and expected
    assert said in result["answer"] and "an Academy Award" in result["answer"]


async def test_a_persons_own_awards_are_still_theirs(home):
    # The starter catalog gives the Academy Awards to his films, none to him: the answer is about him all the same.
    answer = await _ask(home, "Did Steven Spielberg win an Oscar?")
    assert answer == "Steven Spielberg received no Academy Award in the knowledge graph."
