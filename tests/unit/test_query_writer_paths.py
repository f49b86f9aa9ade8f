"""Multi-hop questions: relation paths read from the question, composed into one query, run on the starter graph."""

import pytest

from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.query_writer.hops import read_path, readings
from theoros_agents.agents.query_writer.paths import HOP_RELATIONS, Hop, compose, decode, encode
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.sparql import WD, check_read_only
from theoros_agents.knowledge.stores import graph_store

GRAPH = build_query_writer().compile(name="query_writer")
PEOPLE = ("director", "screenwriter", "producer", "cast_member")
PROPS = {"director": "P57", "screenwriter": "P58", "producer": "P162", "cast_member": "P161", "genre": "P136"}


def _context(home, **settings):
    return resolve_context({"home": str(home), "query_writer_strategy": "rules"} | settings, environ={})


def _path(text):
    return decode("path:" + text)


# --- composition ---------------------------------------------------------------------------------


@pytest.mark.parametrize("relation", PEOPLE)
def test_person_to_films_to_others_in_the_same_role(relation):
    """Backward then forward (co-stars, co-directors): the person is never their own answer."""
    prop = PROPS[relation]
    query = compose(_path(f"^{relation}/{relation}"), "Q1", "person")
    assert f"?m1 wdt:{prop} wd:Q1 . ?m1 wdt:{prop} ?x ." in query
    assert "FILTER(?x != wd:Q1)" in query and "FILTER(?m1" not in query
    check_read_only(query)


@pytest.mark.parametrize("relation", PEOPLE)
def test_film_to_person_to_films_leaves_the_film_out(relation):
    """Forward then backward ('films that share a director with F'): F is not among them."""
    prop = PROPS[relation]
    query = compose(_path(f"{relation}/^{relation}"), "Q7", "film")
    assert f"wd:Q7 wdt:{prop} ?p1 . ?x wdt:{prop} ?p1 ." in query
    assert "FILTER(?x != wd:Q7)" in query
    check_read_only(query)


@pytest.mark.parametrize("first", PEOPLE)
@pytest.mark.parametrize("asked", [*PEOPLE, "genre"])
def test_person_to_films_to_any_relation(first, asked):
    query = compose((Hop(first, False), Hop(asked, True)), "Q1", "person")
    assert f"?m1 wdt:{PROPS[first]} wd:Q1 . ?m1 wdt:{PROPS[asked]} ?x ." in query
    # A genre can never be the person; only a person-valued answer needs the exclusion.
    assert ("FILTER(?x != wd:Q1)" in query) == (asked in PEOPLE)
    check_read_only(query)


@pytest.mark.parametrize("relation", PEOPLE)
@pytest.mark.parametrize("asked", [*PEOPLE, "genre", "year"])
def test_three_hops_leave_the_middle_film_out(relation, asked):
    """'What genres are the films that share a director with F': F is excluded at the middle step only."""
    query = compose((Hop(relation, True), Hop(relation, False), Hop(asked, True)), "Q7", "film")
    prop = PROPS[relation]
    assert f"wd:Q7 wdt:{prop} ?p1 . ?m1 wdt:{prop} ?p1 ." in query
    assert "FILTER(?m1 != wd:Q7)" in query and "FILTER(?x" not in query
    check_read_only(query)


def test_genre_backward_and_year_in_both_directions():
    by_genre = compose(_path("^genre/director"), "Q130232", "genre")
    assert "?m1 wdt:P136 wd:Q130232 . ?m1 wdt:P57 ?x ." in by_genre
    year_of = compose(_path("^director/year"), "Q8877", "person")
    assert "GROUP BY ?m1" in year_of and "BIND(SUBSTR(?first2, 1, 4) AS ?x)" in year_of
    from_year = compose(_path("^year/director"), "1975", "year")
    assert 'FILTER(SUBSTR(?first1, 1, 4) = "1975")' in from_year and "?m1 wdt:P57 ?x" in from_year
    same_year = compose(_path("year/^year"), "Q7", "film")
    assert "BIND(SUBSTR(?first1, 1, 4) AS ?p1)" in same_year and "FILTER(?x != wd:Q7)" in same_year
    for query in (by_genre, year_of, from_year, same_year):
        check_read_only(query)


@pytest.mark.parametrize(
    ("text", "kind"), [("director", "person"), ("^director", "film"), ("genre/genre", "film"), ("^genre", "person")]
)
def test_hops_that_do_not_chain_are_refused(text, kind):
    with pytest.raises(ValueError, match="does not start from"):
        compose(_path(text), "Q1", kind)


def test_path_names_round_trip_and_one_hop_names_are_not_paths():
    path = (Hop("cast_member", True), Hop("cast_member", False), Hop("year", True))
    assert encode(path) == "path:cast_member/^cast_member/year" and decode(encode(path)) == path
    assert decode("director") is None and set(HOP_RELATIONS) == {*PEOPLE, "credit", "genre", "year"}


# --- reading (the question shapes of kg_multihop_dev.jsonl, MetaQA's templates) ----------------------


def _topic(label, kind):
    return {"id": "Q1", "label": label, "kind": kind, "year": None, "mention": label.lower(), "score": 100.0}


# A path from a person starts backward (^); from a film, forward.
READINGS = [
    ("who starred in the movies written by Angelo Pizzo", "Angelo Pizzo", "^screenwriter/cast_member"),
    ("which person wrote the films directed by Frank Lloyd", "Frank Lloyd", "^director/screenwriter"),
    ("the films acted by Robert Wagner were directed by who", "Robert Wagner", "^cast_member/director"),
    ("who is listed as director of Johnny Depp acted films", "Johnny Depp", "^cast_member/director"),
    ("what were the release dates of Oliver Stone written movies", "Oliver Stone", "^screenwriter/year"),
    ("what types are the movies starred by Zsa Zsa Gabor", "Zsa Zsa Gabor", "^cast_member/genre"),
    ("when did the films starred by Cesar Romero release", "Cesar Romero", "^cast_member/year"),
    ("the actor Edmund Purdom is a co-star of who", "Edmund Purdom", "^cast_member/cast_member"),
    ("who appeared in the same movie with Eduard Fernández", "Eduard Fernández", "^cast_member/cast_member"),
    ("which directors co-directed films with Alfred Hitchcock", "Alfred Hitchcock", "^director/director"),
    ("who are film co-writers of Jay Cocks", "Jay Cocks", "^screenwriter/screenwriter"),
    ("the screenwriter Oscar Saul wrote films together with who", "Oscar Saul", "^screenwriter/screenwriter"),
    ("who are the actors of the director Robert Rossen", "Robert Rossen", "^director/cast_member"),
    ("the actor in A Dry White Season also appears in which films", "A Dry White Season", "cast_member/^cast_member"),
    ("which movies share the same actor of Street Scene", "Street Scene", "cast_member/^cast_member"),
    ("the director of Comes a Horseman also directed which films", "Comes a Horseman", "director/^director"),
    ("the scriptwriter of All About Eve also wrote movies", "All About Eve", "screenwriter/^screenwriter"),
    ("who is listed as director of the films starred by Kinsey actors", "Kinsey", "cast_member/^cast_member/director"),
    (
        "the movies that share directors with the movie Rain Man were in which genres",
        "Rain Man",
        "director/^director/genre",
    ),
    (
        "who are the screenwriters that the directors of their movies also directed Starting Over",
        "Starting Over",
        "director/^director/screenwriter",
    ),
    ("when did the movies directed by the The Cardinal director release", "The Cardinal", "director/^director/year"),
    (
        "who starred movies for the writer of Written on the Wind",
        "Written on the Wind",
        "screenwriter/^screenwriter/cast_member",
    ),
    (
        "when did the films release whose actors also appear in the film Peyton Place",
        "Peyton Place",
        "cast_member/^cast_member/year",
    ),
    ("Who produced films starring Natalie Portman?", "Natalie Portman", "^cast_member/producer"),
    # A credit in any role: "worked with", "X's films".
    ("Which directors worked with Cary Grant?", "Cary Grant", "^credit/director"),
    ("Who worked with Cary Grant?", "Cary Grant", "^credit/credit"),
    ("What genres are Billy Wilder's films?", "Billy Wilder", "^credit/genre"),
]


@pytest.mark.parametrize(("question", "label", "expected"), READINGS)
def test_multi_hop_questions_read_as_paths(question, label, expected):
    kind = "person" if expected.startswith("^") else "film"
    assert read_path(question, _topic(label, kind)) == _path(expected)


@pytest.mark.parametrize(
    ("question", "label", "kind"),
    [
        ("Who directed the movie american graffiti", "American Graffiti", "film"),
        ("who was the writer of the movie chaplin", "Chaplin", "film"),
        ("what films has raoul walsh directed", "Raoul Walsh", "person"),
        ("Name a film directed by alfred hitchcock", "Alfred Hitchcock", "person"),
        ("What 1936 film did gregory la cava write?", "Gregory La Cava", "person"),
        ("who wrote the screenplay for alfie", "Alfie", "film"),
        ("Which movies starring Brad Pitt were directed by Guy Ritchie?", "Brad Pitt", "person"),
        ("When did Teresa Wright win the Academy Award for Best Supporting Actress?", "Teresa Wright", "person"),
        ("Did the director of Jaws also direct Duel?", "Jaws", "film"),
        ("Who is the director and writer of Jaws?", "Jaws", "film"),
        ("Which actors star in Casablanca?", "Casablanca", "film"),  # 'star' is the verb, not the role
        ("how many actors appeared in the film Casablanca", "Casablanca", "film"),
    ],
)
def test_one_hop_questions_are_left_to_the_one_hop_reading(question, label, kind):
    assert read_path(question, _topic(label, kind)) is None


def test_the_cast_asked_for_again_after_the_film_is_a_path():
    question = "The actors who star in Casablanca also starred in which films?"
    assert read_path(question, _topic("Casablanca", "film")) == _path("cast_member/^cast_member")


def test_a_relation_word_linked_as_an_entity_is_not_a_second_topic():
    question = "which person directed the films acted by Burt Reynolds"
    actor = _topic("Burt Reynolds", "person")
    assert readings(question, [actor]) == [(0, _path("^cast_member/director"))]
    role = {**_topic("Actor", "film"), "mention": "acted"}  # a film titled after a cue word
    assert readings(question, [role, actor]) == [(1, _path("^cast_member/director"))]
    titled = _topic("The Producers", "film")  # made of relation words, but the only entity: the topic
    question_about_it = "who directed the movies written by the writer of The Producers"
    assert readings(question_about_it, [titled]) == [(0, _path("screenwriter/^screenwriter/director"))]
    other = _topic("Frank Lloyd", "person")
    assert readings(question + " and Frank Lloyd", [actor, other]) == []


# --- running on the starter catalog ----------------------------------------------------------------

SPIELBERG = "Q8877"


def _select(home, query):
    return graph_store(_context(home)).select(query, max_rows=0)


def _values(result):
    (finding,) = result["findings"]
    return {next(iter(row.values())) for row in finding["result"]["rows"]}


async def test_release_years_take_each_films_earliest_date(home):
    dates = _select(home, f"SELECT ?f ?d WHERE {{ ?f wdt:P57 wd:{SPIELBERG} ; wdt:P577 ?d }}")
    earliest: dict[str, str] = {}
    for row in dates:
        earliest[row["f"]] = min(earliest.get(row["f"], "9999"), row["d"][:4])
    assert len(set(d["d"][:4] for d in dates)) > len(set(earliest.values()))  # some films have later dates too
    question = "when were the films directed by Steven Spielberg released"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    assert _values(result) == set(earliest.values()) and "1994" not in _values(result)  # Schindler's List: 1993
    assert result["answer"].startswith("The release years of the films directed by Steven Spielberg: 1975, 1981")


async def test_films_sharing_a_director_leave_the_topic_film_out(home):
    others = {r["f"] for r in _select(home, f"SELECT ?f WHERE {{ ?f wdt:P57 wd:{SPIELBERG} }}")} - {WD + "Q189505"}
    question = "what are the films that are directed by the same director of Jaws"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    assert _values(result) == others and len(others) == 7
    assert "(other than Jaws)" in result["answer"] and "Jaws (1975)" in result["answer"]


async def test_three_hops_leave_the_middle_film_out_when_run(home):
    question = "the films that share directors with the film Jaws were released in which years"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    years = _values(result)
    assert "1975" not in years and {"1993", "2012"} <= years  # Jaws (1975) is not one of its own neighbours


async def test_a_person_is_not_among_the_people_of_their_films(home):
    eastwood = "Q43203"
    acted = _select(home, f"SELECT ?f WHERE {{ ?f wdt:P57 wd:{eastwood} ; wdt:P161 wd:{eastwood} }}")
    assert acted  # he acts in films he directed, so the exclusion is what keeps him out
    result = await GRAPH.ainvoke(
        {"question": "who acted in the movies directed by Clint Eastwood"}, context=_context(home)
    )
    assert _values(result) and WD + eastwood not in _values(result)


async def test_the_directors_who_worked_with_a_person_had_them_in_any_role(home):
    result = await GRAPH.ainvoke({"question": "Which directors worked with Tom Hanks?"}, context=_context(home))
    hanks = '?h rdfs:label "Tom Hanks" . ?f wdt:P57|wdt:P58|wdt:P162|wdt:P161 ?h .'
    expected = _select(home, f"SELECT DISTINCT ?d WHERE {{ {hanks} ?f wdt:P57 ?d . FILTER(?d != ?h) }}")
    assert expected and _values(result) == {r["d"] for r in expected}
    assert "of the films with Tom Hanks" in result["answer"]


async def test_producer_paths_in_both_directions(home):
    produced = await GRAPH.ainvoke(
        {"question": "who directed the films produced by Hal B. Wallis"}, context=_context(home)
    )
    expected = _select(home, "SELECT DISTINCT ?d WHERE { ?f wdt:P162 wd:Q472520 . ?f wdt:P57 ?d }")
    assert _values(produced) == {r["d"] for r in expected} - {WD + "Q472520"}
    producers = await GRAPH.ainvoke(
        {"question": "who produced the movies directed by Steven Spielberg"}, context=_context(home)
    )
    assert WD + SPIELBERG not in _values(producers) and len(_values(producers)) > 3


async def test_a_long_answer_gives_its_count_and_first_items(home):
    question = "who acted in the movies directed by Steven Spielberg"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home, max_rows=0))
    count = len(_values(result))
    assert count > 100
    head, _, names = result["answer"].partition(": ")
    assert head == "The actors (other than Steven Spielberg) of the films directed by Steven Spielberg"
    assert names.startswith(f"{count} actors, among them ") and names.count(",") <= 5
    capped = await GRAPH.ainvoke({"question": question}, context=_context(home, max_rows=50))
    assert "at least 50 actors, among them" in capped["answer"]


async def test_a_path_question_asking_how_many_leads_with_the_count(home):
    question = "How many directors made the movies written by Philip Van Doren Stern?"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    count = len(_values(result))
    assert 0 < count <= 10
    noun = "director" if count == 1 else "directors"
    assert result["answer"].endswith(f": {count} {noun} (Frank Capra).")


async def test_an_empty_path_is_not_answered_with_a_one_hop_reading(home):
    result = await GRAPH.ainvoke({"question": "who co-wrote films with Mike Leigh"}, context=_context(home))
    (finding,) = result["findings"]
    attempts = finding["result"]["attempts"]
    assert attempts and all(a["relation"].startswith("path:") for a in attempts)
    assert attempts[-1]["error"] == "empty result" and "could not answer" in result["answer"]
