"""Films lists read oldest first, and "first"/"last" film questions answer one end of the list."""

import re

import pytest

from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.query_writer.answer import sentence
from theoros_agents.agents.query_writer.reading import asked_number, extreme, films_in_years
from theoros_agents.agents.query_writer.schema import RELATIONS
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.linker import Entity, LabelIndex
from theoros_agents.knowledge.sparql import WD
from theoros_agents.knowledge.stores import graph_store

GRAPH = build_query_writer().compile(name="query_writer")
SPIELBERG = Entity("Q8877", "Steven Spielberg", "person")


def _context(home):
    return resolve_context({"home": str(home), "query_writer_strategy": "rules"}, environ={})


def _index_and_rows(films):
    index = LabelIndex()
    for qid, label, year in films:
        index.add(Entity(qid, label, "film", year))
    return index, [{"film": WD + qid} for qid, _, _ in films]


@pytest.mark.parametrize(
    ("question", "pick"),
    [
        ("What is Alfred Hitchcock's earliest film?", "earliest"),
        ("What was Spielberg's first feature film?", "earliest"),
        ("What was the last movie Stanley Kubrick directed?", "latest"),
        ("What is the newest western?", "latest"),
        ("the most recent comedy by Billy Wilder", "latest"),
        ("Which films were first released in 1950?", ""),  # "first released" asks no end of a list
        ("Which film came first?", ""),
    ],
)
def test_which_end_of_a_films_list_a_question_asks(question, pick):
    assert extreme(question) == pick


def test_films_are_listed_oldest_first_and_one_without_a_year_last():
    index, rows = _index_and_rows([("Q1", "Munich", 2005), ("Q2", "Jaws", 1975), ("Q3", "Duel", None)])
    rows.append({"film": WD + "Q4", "filmLabel": ""})
    text = sentence(RELATIONS["director"], SPIELBERG, rows, index)
    listed = "Jaws (1975), Munich (2005), Duel and an entry the graph gives no name (Q4)"
    assert text == f"Films directed by Steven Spielberg: {listed}."


def test_an_end_of_the_list_keeps_every_film_of_that_year():
    index, rows = _index_and_rows([("Q1", "Munich", 2005), ("Q2", "Jaws", 1975), ("Q3", "Duel", 1975)])
    text = sentence(RELATIONS["director"], SPIELBERG, rows, index, pick="earliest")
    assert (
        text == "The earliest films directed by Steven Spielberg in the knowledge graph: Jaws (1975) and Duel (1975)."
    )
    # A capped list may lack its true end: it is listed as it is.
    capped = sentence(RELATIONS["director"], SPIELBERG, rows, index, limit=3, pick="latest")
    assert capped.startswith("Films directed by Steven Spielberg: ")


async def test_the_first_and_last_film_of_a_director(home):
    listed = (await GRAPH.ainvoke({"question": "Which films did Spielberg direct?"}, context=_context(home)))["answer"]
    years = [int(y) for y in re.findall(r"\((\d{4})\)", listed)]
    assert len(years) > 3 and years == sorted(years)
    first = await GRAPH.ainvoke({"question": "What was Spielberg's first film?"}, context=_context(home))
    oldest = listed.split(": ")[1].split(", ")[0]
    assert first["answer"] == f"The earliest film directed by Steven Spielberg in the knowledge graph: {oldest}."
    last = await GRAPH.ainvoke({"question": "What is the latest movie Spielberg directed?"}, context=_context(home))
    assert last["answer"].startswith("The latest film directed by Steven Spielberg in the knowledge graph: ")
    assert f"({max(years)})" in last["answer"]


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("Name three westerns.", 3),
        ("Give me one film starring Cary Grant.", 1),
        ("List 5 good comedies by Billy Wilder", 5),
        ("Who directed 12 Angry Men?", 0),
        ("Which films did Spielberg direct?", 0),
    ],
)
def test_how_many_films_a_question_asks_for(question, number):
    assert asked_number(question) == number


def test_a_number_of_films_lists_that_many_of_all_found():
    index, rows = _index_and_rows([("Q1", "Munich", 2005), ("Q2", "Jaws", 1975), ("Q3", "Duel", 1971)])
    text = sentence(RELATIONS["director"], SPIELBERG, rows, index, some=2)
    assert text == "Films directed by Steven Spielberg (2 of 3 films): Duel (1971) and Jaws (1975)."
    assert sentence(RELATIONS["director"], SPIELBERG, rows, index, some=5).endswith("and Munich (2005).")


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("Which films came out in 1999?", (1999, 1999)),
        ("What movies were released between 1950 and 1955?", (1950, 1955)),
        ("Name three films from 1975.", (1975, 1975)),
        ("Which films came out from 1990 onwards?", (1990, 9999)),
        ("Which films did Billy Wilder direct in 1945?", None),  # names someone: the films are theirs
        ("What happened in 1999?", None),  # no films asked for
        ("What is the oldest film?", (0, 9999)),  # an end of the whole graph: every year
        ("What is the film?", None),
    ],
)
def test_a_question_for_the_films_of_some_years(question, years):
    assert films_in_years(question) == years


async def test_the_films_of_some_years_oldest_first_and_their_ends(home):
    rows = graph_store(_context(home)).select(
        "SELECT ?f (MIN(STR(?d)) AS ?first) WHERE { ?f wdt:P577 ?d } GROUP BY ?f", max_rows=0
    )
    fifties = {row["f"] for row in rows if "1950" <= row["first"][:4] <= "1955"}
    result = await GRAPH.ainvoke({"question": "Which films came out between 1950 and 1955?"}, context=_context(home))
    (finding,) = result["findings"]
    assert {row["film"] for row in finding["result"]["rows"]} == fifties and fifties
    years = [int(y) for y in re.findall(r"\((\d{4})\)", result["answer"])]
    assert result["answer"].startswith("Films released from 1950 to 1955: ") and years == sorted(years)
    last = await GRAPH.ainvoke({"question": "What is the newest film released since 2000?"}, context=_context(home))
    newest = max(row["first"][:4] for row in rows)
    assert last["answer"].startswith("The latest film") and f"({newest})" in last["answer"]


async def test_the_oldest_film_of_the_whole_graph(home):
    rows = graph_store(_context(home)).select(
        "SELECT ?f (MIN(STR(?d)) AS ?first) WHERE { ?f wdt:P577 ?d } GROUP BY ?f", max_rows=0
    )
    oldest = min(row["first"][:4] for row in rows)
    result = await GRAPH.ainvoke({"question": "What is the oldest film?"}, context=_context(home))
    assert (
        result["answer"].startswith("The earliest film in the knowledge graph: ") and f"({oldest})" in result["answer"]
    )
