"""One question about several films: the same asked of each, or what they share."""

from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.query_writer.several import films_asked, in_common, shared
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.stores import graph_store

GRAPH = build_query_writer().compile(name="query_writer")


def _context(home):
    return resolve_context({"home": str(home), "query_writer_strategy": "rules"}, environ={})


def _film(mention, qid, kind="film"):
    return {"id": qid, "label": mention.title(), "kind": kind, "year": 1950, "mention": mention, "score": 100.0}


def test_the_films_a_question_asks_about_in_the_order_said():
    jaws, casablanca, jaws_book = _film("jaws", "Q1"), _film("casablanca", "Q2"), _film("jaws", "Q3")
    films = films_asked("Who directed Casablanca and Jaws?", [jaws, jaws_book, casablanca], "director")
    assert [f.id for f in films] == ["Q2", "Q1"]  # one reading a mention, in the question's order
    assert films_asked("Who directed Jaws?", [jaws, jaws_book], "director") == []
    assert films_asked("Did Jaws and Casablanca win Oscars?", [jaws, casablanca], "award") == []
    bogart = _film("bogart", "Q4", "person")
    assert films_asked("Did Bogart star in Jaws or Casablanca", [jaws, casablanca, bogart], "cast_member") == []
    assert shared("Which actors appear in both Jaws and Casablanca?")
    assert not shared("Who directed Jaws and Casablanca?")


async def test_each_film_is_answered_in_turn(home):
    result = await GRAPH.ainvoke({"question": "Who directed Jaws and Casablanca?"}, context=_context(home))
    assert result["answer"] == (
        "Jaws (1975) was directed by Steven Spielberg. Casablanca (1942) was directed by Michael Curtiz."
    )


def _shared_by_the_godfathers(home, prop):
    """The values of `prop` The Godfather and The Godfather Part II share, each with its label (`l`)."""
    return graph_store(_context(home)).select(
        f'SELECT DISTINCT ?v ?l WHERE {{ ?f rdfs:label "The Godfather" ; wdt:{prop} ?v . '
        f'?g rdfs:label "The Godfather Part II" ; wdt:{prop} ?v . ?v rdfs:label ?l }}',
        max_rows=0,
    )


async def test_the_values_several_films_share(home):
    question = "Which actors appear in both The Godfather and The Godfather Part II?"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    rows = _shared_by_the_godfathers(home, "P161")
    (finding,) = result["findings"]
    assert {row["value"] for row in finding["result"]["rows"]} == {row["v"] for row in rows} and rows
    assert result["answer"].startswith("The Godfather (1972) and The Godfather Part II (1974) share these actors: ")
    assert "Al Pacino" in result["answer"]


async def test_which_of_the_films_came_out_first(home):
    result = await GRAPH.ainvoke({"question": "Which is older, Jaws or Casablanca?"}, context=_context(home))
    assert result["answer"].startswith("Jaws (1975) was released on 1975-")
    assert result["answer"].endswith(" Casablanca (1942) came out first.")
    newer = await GRAPH.ainvoke({"question": "Which is newer, Jaws or Casablanca?"}, context=_context(home))
    assert newer["answer"].endswith(" Jaws (1975) came out last.")


def test_in_common_names_no_relation():
    jaws, casablanca = _film("jaws", "Q1"), _film("casablanca", "Q2")
    assert [f.id for f in in_common("What do Jaws and Casablanca have in common?", [jaws, casablanca])] == ["Q1", "Q2"]
    assert in_common("Which actors do Jaws and Casablanca have in common?", [jaws, casablanca]) == []
    assert in_common("Who directed Jaws and Casablanca?", [jaws, casablanca]) == []


async def test_what_two_films_have_in_common(home):
    question = "What do The Godfather and The Godfather Part II have in common?"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    directors = _shared_by_the_godfathers(home, "P57")
    assert result["answer"].startswith("The Godfather (1972) and The Godfather Part II (1974) have in common ")
    assert f"directors: {directors[0]['l']};" in result["answer"] and "actors: " in result["answer"]
