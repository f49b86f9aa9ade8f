"""Genre nouns with their kinds, a film's year as its earliest date, and yes/no questions naming something unknown."""

import pyoxigraph as ox
import pytest

from theoros_agents.agents.query_writer import build_query_writer
from theoros_agents.agents.query_writer.answer import nothing_for, sentence
from theoros_agents.agents.query_writer.builder import OPEN_END, OPEN_START, build_check, build_query, genre_family
from theoros_agents.agents.query_writer.reading import year_filter
from theoros_agents.agents.query_writer.schema import RELATIONS
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.linker import Entity, LabelIndex
from theoros_agents.knowledge.sparql import WD, with_prefixes
from theoros_agents.knowledge.stores import graph_store, label_index

GRAPH = build_query_writer().compile(name="query_writer")
WDT = "http://www.wikidata.org/prop/direct/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
WILDER = "Billy Wilder"


def _context(home):
    return resolve_context({"home": str(home), "query_writer_strategy": "rules"}, environ={})


async def _ask(home, question):
    return (await GRAPH.ainvoke({"question": question}, context=_context(home)))["answer"]


def _select(home, query):
    return graph_store(_context(home)).select(query, max_rows=0)


@pytest.mark.parametrize(
    ("label", "noun"),
    [
        ("comedy film", "comedy"),
        ("Western film", "Western"),
        ("drama", "drama"),
        ("science fiction film", "science fiction"),
        ("film noir", ""),
        ("romantic comedy", ""),  # named as itself: asks for that kind only
    ],
)
def test_a_genre_noun_stands_for_its_kinds(label, noun):
    assert genre_family(Entity("Q1", label, "genre")) == noun
    assert genre_family(Entity("Q1", label, "person")) == ""


def _tiny_store():
    """Films filed under kinds of comedy and under genres that only contain the letters ('melodrama')."""
    store = ox.Store()
    genres = {"G1": "comedy film", "G2": "romantic comedy", "G3": "comedy-drama", "G4": "melodrama", "G5": "Comedy"}
    for qid, label in genres.items():
        store.add(ox.Quad(ox.NamedNode(WD + qid), LABEL, ox.Literal(label)))
    for number, qid in enumerate(genres, start=1):
        store.add(ox.Quad(ox.NamedNode(f"{WD}F{number}"), ox.NamedNode(WDT + "P136"), ox.NamedNode(WD + qid)))
    return store


def _films(store, query):
    return {row["film"].value.removeprefix(WD) for row in store.query(with_prefixes(query))}


def test_a_genre_nouns_query_keeps_every_genre_holding_the_word():
    store = _tiny_store()
    comedy = Entity("G1", "comedy film", "genre")
    assert _films(store, build_query(RELATIONS["genre"], comedy)) == {"F1", "F2", "F3", "F5"}
    drama = Entity("G9", "drama film", "genre")
    assert _films(store, build_query(RELATIONS["genre"], drama)) == {"F3"}  # "melodrama" is not a drama
    romantic = Entity("G2", "romantic comedy", "genre")
    assert _films(store, build_query(RELATIONS["genre"], romantic)) == {"F2"}
    asked = build_check(RELATIONS["genre"], Entity("F2", "A film", "film"), comedy)
    assert bool(store.query(with_prefixes(asked)))
    unrelated = build_check(RELATIONS["genre"], Entity("F4", "B film", "film"), comedy)
    assert not bool(store.query(with_prefixes(unrelated)))


async def test_comedies_of_a_director_include_the_romantic_ones(home):
    answer = await _ask(home, f"Which comedies did {WILDER} direct?")
    kinds = _select(
        home,
        f'SELECT ?f ?g WHERE {{ ?f wdt:P57 ?d . ?d rdfs:label "{WILDER}" . ?f wdt:P136 ?x . ?x rdfs:label ?g }}',
    )
    comedies = {row["f"] for row in kinds if "comedy" in row["g"].lower()}
    assert len(comedies) == 1 and "romantic comedy" in {row["g"] for row in kinds}
    assert answer == f"Films directed by {WILDER} in the genre comedy: The Apartment (1960)."
    assert await _ask(home, "Is The Apartment a comedy?") == "Yes: The Apartment (1960) is a comedy."


async def test_a_year_keeps_the_films_first_released_in_it(home):
    dates = _select(home, 'SELECT ?d WHERE { ?f rdfs:label "The Lost Weekend" ; wdt:P577 ?d }')
    assert {row["d"][:4] for row in dates} >= {"1945", "1946"}  # released in 1946 in some country
    assert await _ask(home, f"Which films did {WILDER} direct in 1945?") == (
        f"Films directed by {WILDER} released in 1945: The Lost Weekend (1945)."
    )
    assert await _ask(home, f"Which films did {WILDER} direct in 1946?") == (
        f"No films directed by {WILDER} released in 1946 in the knowledge graph."
    )


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Is Zorblax a comedy?", "Zorblax"),
        # "Oscar" alone would be the Academy Award and "star" the film "Star!": the answer would be about them.
        ("Did Oscar Zorblax star in a British film?", "Oscar Zorblax"),
    ],
)
async def test_a_yes_or_no_naming_something_unknown_says_so(home, question, missing):
    assert await _ask(home, question) == f"I could not find {missing!r} in the knowledge graph."
    # Linked by the supervisor beforehand, it says the same without querying.
    linked = [c.as_dict() for c in label_index(_context(home)).mentions(question)]
    result = await GRAPH.ainvoke({"question": question, "entities": linked}, context=_context(home))
    assert linked and result["answer"] == f"I could not find {missing!r} in the knowledge graph."
    assert "attempts" not in result or not result["attempts"]


def test_rows_that_are_all_of_another_kind_are_said_to_be_none():
    index = LabelIndex()
    index.add(Entity("Q5", "Some Series", "other"))
    rows = [{"film": WD + "Q5", "filmLabel": "Some Series"}]
    drama = Entity("Q25372", "drama", "genre")
    assert sentence(RELATIONS["genre"], drama, rows, index) == "The knowledge graph has no films in the genre drama."


async def test_a_yes_or_no_about_a_year_compares_the_earliest_release(home):
    first = min(row["d"][:10] for row in _select(home, 'SELECT ?d WHERE { ?f rdfs:label "Casablanca" ; wdt:P577 ?d }'))
    assert first.startswith("1942")
    said = f"Casablanca (1942) was first released in 1942 ({first})"
    assert await _ask(home, "Was Casablanca released in 1942?") == f"Yes: {said}."
    assert await _ask(home, "Did Casablanca come out in 1943?") == f"No: {said}, not in 1943."


async def test_a_decade_keeps_the_films_first_released_in_it_and_best_picture_is_the_oscar(home):
    firsts = _select(
        home,
        "SELECT ?f (MIN(STR(?d)) AS ?first) WHERE { ?f wdt:P166 ?a ; wdt:P577 ?d . "
        '?a rdfs:label "Academy Award for Best Picture" } GROUP BY ?f',
    )
    nineties = {row["f"] for row in firsts if "1990" <= row["first"][:4] <= "1999"}
    result = await GRAPH.ainvoke({"question": "Which films won Best Picture in the '90s?"}, context=_context(home))
    (finding,) = result["findings"]
    assert {row["film"] for row in finding["result"]["rows"]} == nineties and len(nineties) == 10
    assert result["answer"].startswith("Films that received Academy Award for Best Picture released in the 1990s: ")


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("Which films won Best Picture before 1960?", (OPEN_START, 1959)),
        ("Which films won Best Picture before the 1960s?", (OPEN_START, 1959)),
        ("Which films won Best Picture after 1990?", (1991, OPEN_END)),
        ("Which films won Best Picture since 1990?", (1990, OPEN_END)),
        ("Which films won Best Picture between 1950 and 1955?", (1950, 1955)),
        ("Which films won Best Picture from the 1950s to the 1970s?", (1950, 1979)),
        ("Which films won Best Picture in 1955?", (1955, 1955)),
    ],
)
def test_spans_of_years(question, years):
    assert year_filter(question, Entity("Q1", "Academy Award for Best Picture", "award")) == years


@pytest.mark.parametrize(
    ("question", "low", "high", "said"),
    [
        ("Which films won Best Picture before 1940?", "0000", "1939", "before 1940"),
        ("Which films won Best Picture after 1990?", "1991", "9999", "in 1991 or later"),
        ("Which films won Best Picture between 1950 and 1955?", "1950", "1955", "from 1950 to 1955"),
    ],
)
async def test_a_span_keeps_the_films_first_released_in_it(home, question, low, high, said):
    firsts = _select(
        home,
        "SELECT ?f (MIN(STR(?d)) AS ?first) WHERE { ?f wdt:P166 ?a ; wdt:P577 ?d . "
        '?a rdfs:label "Academy Award for Best Picture" } GROUP BY ?f',
    )
    expected = {row["f"] for row in firsts if low <= row["first"][:4] <= high}
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    (finding,) = result["findings"]
    assert {row["film"] for row in finding["result"]["rows"]} == expected and expected
    assert result["answer"].startswith(f"Films that received Academy Award for Best Picture released {said}: ")


async def test_a_yes_or_no_about_a_span_compares_the_earliest_release(home):
    first = min(row["d"][:10] for row in _select(home, 'SELECT ?d WHERE { ?f rdfs:label "Casablanca" ; wdt:P577 ?d }'))
    said = f"Casablanca (1942) was first released in 1942 ({first})"
    assert await _ask(home, "Was Casablanca released before 1950?") == f"Yes: {said}, before 1950."
    assert await _ask(home, "Was Casablanca released after 1950?") == f"No: {said}, not in 1951 or later."
    assert await _ask(home, "Was Casablanca released in the 1940s?") == f"Yes: {said}, in the 1940s."


def test_an_entry_of_no_known_kind_is_not_said_to_direct_films():
    work = Entity("Q189540", "Seven Samurai", "other")
    said = nothing_for(RELATIONS["director"], work)
    assert said == "The knowledge graph names 'Seven Samurai' but holds no directors for it."
