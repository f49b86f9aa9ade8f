"""A denied narrower ("did not star", "aren't comedies", "without") keeps the films that lack it."""

import pytest

from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.query_writer.builder import Narrower, build_query
from theoros_agents.agents.query_writer.narrowing import denied
from theoros_agents.agents.query_writer.schema import RELATIONS
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.linker import Entity
from theoros_agents.knowledge.stores import graph_store

GRAPH = build_query_writer().compile(name="query_writer")


def _context(home):
    return resolve_context({"home": str(home), "query_writer_strategy": "rules"}, environ={})


@pytest.mark.parametrize(
    ("question", "mention", "said"),
    [
        ("Which Hitchcock films did not star Cary Grant?", "cary grant", True),
        ("Which Billy Wilder films aren't comedies?", "comedies", True),
        ("Which films star Humphrey Bogart without Lauren Bacall?", "lauren bacall", True),
        ("Which Hitchcock films starred Cary Grant?", "cary grant", False),
        ("Which films not from France star Cary Grant?", "cary grant", False),  # the denial is France's
    ],
)
def test_a_denied_mention(question, mention, said):
    assert denied(question, mention) is said


def test_a_denied_narrower_is_a_filter_not_exists():
    grant = Entity("Q1", "Cary Grant", "person")
    query = build_query(
        RELATIONS["director"],
        Entity("Q2", "Alfred Hitchcock", "person"),
        narrowers=[Narrower("P161", (grant,), "", True)],
    )
    assert "FILTER NOT EXISTS { ?film wdt:P161 wd:Q1 }" in query


def _films(home, where):
    rows = graph_store(_context(home)).select(f"SELECT DISTINCT ?f WHERE {{ {where} }}", max_rows=0)
    return {row["f"] for row in rows}


async def _rows(home, question):
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    (finding,) = result["findings"]
    return result["answer"], {row["film"] for row in finding["result"]["rows"]}


async def test_films_of_a_director_that_are_not_of_a_genre(home):
    wilder = '?f wdt:P57 ?p . ?p rdfs:label "Billy Wilder" .'
    comedies = wilder + ' ?f wdt:P136 ?g . ?g rdfs:label ?l . FILTER(REGEX(STR(?l), "(^|[^a-z])comedy([^a-z]|$)", "i"))'
    expected = _films(home, wilder) - _films(home, comedies)
    answer, films = await _rows(home, "Which Billy Wilder films aren't comedies?")
    assert films == expected and films and _films(home, comedies)
    assert answer.startswith("Films directed by Billy Wilder not in the genre comedy: ")


async def test_films_of_one_actor_without_another(home):
    bogart = '?f wdt:P161 ?p . ?p rdfs:label "Humphrey Bogart" .'
    both = bogart + ' ?f wdt:P161 ?q . ?q rdfs:label "Ingrid Bergman" .'
    answer, films = await _rows(home, "Which films star Humphrey Bogart without Ingrid Bergman?")
    assert films == _films(home, bogart) - _films(home, both) and films and _films(home, both)
    assert answer.startswith("Films starring Humphrey Bogart without Ingrid Bergman: ")


async def test_films_without_their_only_name_are_not_listed(home):
    result = await GRAPH.ainvoke({"question": "Which films did not star Humphrey Bogart?"}, context=_context(home))
    assert "names nothing else to list films by" in result["answer"]
    assert result["sparql"] == []


async def test_films_a_person_wrote_but_did_not_direct(home):
    coppola = '?p rdfs:label "Francis Ford Coppola" .'
    expected = _films(home, f"{coppola} ?f wdt:P58 ?p . FILTER NOT EXISTS {{ ?f wdt:P57 ?p }}")
    answer, films = await _rows(home, "Which films did Francis Ford Coppola write but not direct?")
    assert films == expected and films and _films(home, f"{coppola} ?f wdt:P58 ?p ; wdt:P57 ?p .")
    assert answer.startswith("Films written by Francis Ford Coppola but not directed by Francis Ford Coppola: ")


async def test_two_people_who_worked_together_share_a_film_in_any_role(home):
    both = '?h rdfs:label "Tom Hanks" . ?s rdfs:label "Steven Spielberg" . ?f wdt:P161 ?h ; wdt:P57 ?s .'
    answer, films = await _rows(home, "Did Tom Hanks ever work with Steven Spielberg?")
    assert films == _films(home, both) and films  # Spielberg directed them: no film stars both
    assert answer.startswith("Films starring Tom Hanks with Steven Spielberg: ")
