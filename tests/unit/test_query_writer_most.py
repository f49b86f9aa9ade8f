"""Who or what has the most: one counting query, checked against the same count in SPARQL."""

import pytest

from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.query_writer.most import asked
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.stores import graph_store

GRAPH = build_query_writer().compile(name="query_writer")
OSCARS = {"id": "Q19020", "label": "Academy Awards", "kind": "award", "year": None, "mention": "oscars"}
ACTOR = {"id": "Q33999", "label": "actor", "kind": "other", "year": None, "mention": "actor"}
BOGART = {"id": "Q16390", "label": "Humphrey Bogart", "kind": "person", "year": None, "mention": "humphrey bogart"}


def _context(home):
    return resolve_context({"home": str(home), "query_writer_strategy": "rules"}, environ={})


@pytest.mark.parametrize(
    ("question", "candidates", "relation"),
    [
        ("Who directed the most films?", [], "director"),
        ("Which actor appeared in the most films?", [ACTOR], "cast_member"),
        ("Which film won the most Oscars?", [OSCARS], "award"),
        ("Which genre has the most movies?", [], "genre"),
        ("What is the most famous film?", [], ""),  # most famous: no count
        ("Which director made the most films with Humphrey Bogart?", [BOGART], ""),  # a narrowed count
    ],
)
def test_what_a_question_for_the_most_counts(question, candidates, relation):
    assert asked(question, candidates) == relation


def _top(home, query):
    rows = graph_store(_context(home)).select(query, max_rows=0)
    return rows[0]["label"], int(rows[0]["n"])


async def test_who_directed_the_most_films(home):
    label, n = _top(
        home,
        "SELECT ?label (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f wdt:P57 ?p . ?p rdfs:label ?label } "
        "GROUP BY ?label ORDER BY DESC(?n) LIMIT 1",
    )
    answer = (await GRAPH.ainvoke({"question": "Who directed the most films?"}, context=_context(home)))["answer"]
    assert answer.startswith(label) and f"directed the most films in the knowledge graph: {n}." in answer


async def test_which_film_won_the_most_academy_awards(home):
    label, n = _top(
        home,
        "SELECT ?label (COUNT(DISTINCT ?a) AS ?n) WHERE { ?f wdt:P166 ?a ; wdt:P577 ?d ; rdfs:label ?label . "
        '?a rdfs:label ?l . FILTER(STRSTARTS(STR(?l), "Academy Award")) } GROUP BY ?label ORDER BY DESC(?n) LIMIT 1',
    )
    answer = (await GRAPH.ainvoke({"question": "Which film won the most Oscars?"}, context=_context(home)))["answer"]
    assert label in answer.split(" received ")[0]
    assert f"received the most Academy Awards in the knowledge graph: {n}." in answer
