"""Who or what has the most: one counting query, checked against the same count in SPARQL."""

import pytest

from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.query_writer.most import ANY_ROLE, asked, build
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.stores import graph_store

GRAPH = build_query_writer().compile(name="query_writer")
OSCARS = {"id": "Q19020", "label": "Academy Awards", "kind": "award", "year": None, "mention": "oscars"}
ACTOR = {"id": "Q33999", "label": "actor", "kind": "other", "year": None, "mention": "actor"}
BOGART = {"id": "Q16390", "label": "Humphrey Bogart", "kind": "person", "year": None, "mention": "humphrey bogart"}
HITCHCOCK = {"id": "Q7374", "label": "Alfred Hitchcock", "kind": "person", "year": None, "mention": "hitchcock"}
WESTERN = {"id": "Q172980", "label": "Western film", "kind": "genre", "year": None, "mention": "westerns"}


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
        ("Which director made the most films with Humphrey Bogart?", [BOGART], "director"),
        ("Who directed the most westerns?", [WESTERN], "director"),
        ("Which actor appeared in the most Hitchcock films?", [ACTOR, HITCHCOCK], "cast_member"),
        ("Who worked with Hitchcock the most?", [HITCHCOCK], ANY_ROLE),
        ("What is the most famous film by Hitchcock?", [HITCHCOCK], ""),  # no count
        ("Which genre has the most westerns?", [WESTERN], ""),  # genres counted among westerns: no such count
        ("Which director made the most films with Bogart and Hitchcock?", [BOGART, HITCHCOCK], ""),
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
    answer = await _answer(home, "Who directed the most films?")
    assert answer.startswith(label) and f"directed the most films in the knowledge graph: {n}." in answer


async def test_which_film_won_the_most_academy_awards(home):
    label, n = _top(
        home,
        "SELECT ?label (COUNT(DISTINCT ?a) AS ?n) WHERE { ?f wdt:P166 ?a ; wdt:P577 ?d ; rdfs:label ?label . "
        '?a rdfs:label ?l . FILTER(STRSTARTS(STR(?l), "Academy Award")) } GROUP BY ?label ORDER BY DESC(?n) LIMIT 1',
    )
    answer = await _answer(home, "Which film won the most Oscars?")
    assert label in answer.split(" received ")[0]
    assert f"received the most Academy Awards in the knowledge graph: {n}." in answer


def test_a_person_keeping_the_films_counted_is_not_counted():
    query = build("Which actor appeared in the most Hitchcock films?", "cast_member", [ACTOR, HITCHCOCK])
    assert "?film wdt:P161 ?value ." in query and "?film wdt:P57 wd:Q7374 ." in query
    assert "FILTER(?value != wd:Q7374)" in query
    anyone = build("Who worked with Hitchcock the most?", ANY_ROLE, [HITCHCOCK])
    assert "?film wdt:P57|wdt:P58|wdt:P162|wdt:P161 wd:Q7374 ." in anyone


def _counts(home, where):
    """Each value's count of films, by an independent query: {label: n}."""
    rows = graph_store(_context(home)).select(
        f"SELECT ?label (COUNT(DISTINCT ?f) AS ?n) WHERE {{ {where} ?p rdfs:label ?label }} GROUP BY ?label",
        max_rows=0,
    )
    return {row["label"]: int(row["n"]) for row in rows}


def _leaders(counts):
    top = max(counts.values())
    return top, {label for label, n in counts.items() if n == top}


async def _answer(home, question):
    return (await GRAPH.ainvoke({"question": question}, context=_context(home)))["answer"]


async def test_who_directed_the_most_films_of_a_genre(home):
    genre = '?f wdt:P136 ?g . ?g rdfs:label ?gl . FILTER(REGEX(STR(?gl), "(^|[^a-z])western([^a-z]|$)", "i"))'
    top, leaders = _leaders(_counts(home, f"?f wdt:P57 ?p . {genre}"))
    answer = await _answer(home, "Who directed the most westerns?")
    assert f"directed the most films in the genre Western in the knowledge graph: {top}." in answer
    assert any(answer.startswith(name) for name in leaders)  # a tie of many is cut: "… and 4 more"


async def test_who_worked_with_a_person_the_most(home):
    spielberg = '?s rdfs:label "Steven Spielberg" . ?f wdt:P57|wdt:P58|wdt:P162|wdt:P161 ?s .'
    counts = _counts(home, f"{spielberg} ?f wdt:P57|wdt:P58|wdt:P162|wdt:P161 ?p . FILTER(?p != ?s)")
    top, leaders = _leaders(counts)
    answer = await _answer(home, "Who worked with Steven Spielberg the most?")
    said = answer.split(" worked on the most films with Steven Spielberg ")[0]
    assert f"in the knowledge graph: {top}." in answer and all(name in said for name in leaders)
    assert "Steven Spielberg" not in said


async def test_who_directed_the_most_films_of_some_years(home):
    dated = '?f wdt:P577 ?d . FILTER(SUBSTR(STR(?d), 1, 4) >= "1990" && SUBSTR(STR(?d), 1, 4) <= "1999")'
    earliest = "FILTER NOT EXISTS { ?f wdt:P577 ?e . FILTER(STR(?e) < STR(?d)) }"
    top, leaders = _leaders(_counts(home, f"?f wdt:P57 ?p . {dated} {earliest}"))
    answer = await _answer(home, "Who directed the most films in the 1990s?")
    assert f"directed the most films released in the 1990s in the knowledge graph: {top}." in answer
    assert all(name in answer.split(" directed the most")[0] for name in leaders)


async def test_which_film_has_the_biggest_cast(home):
    top, leaders = _leaders(_counts(home, "?p wdt:P161 ?f ."))  # here ?p is the film, counting its actors
    for question in ("Which film has the biggest cast?", "Which film has the most actors?"):
        answer = await _answer(home, question)
        assert f"has the most actors in the knowledge graph: {top}." in answer
        assert any(answer.startswith(name) for name in leaders)


async def test_a_film_genre_counted_is_the_genre_not_each_film(home):
    top, leaders = _leaders(_counts(home, "?f wdt:P136 ?p ."))
    answer = await _answer(home, "Which film genre has the most films?")
    assert f"has the most films in the knowledge graph: {top}." in answer
    assert any(answer.lower().startswith(name.lower()) for name in leaders)
