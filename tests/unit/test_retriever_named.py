"""A plot question about a film by name gets that film's plot or says it has none, never another film's."""

import pytest

from theoros_agents.agents.retriever import build_retriever
from theoros_agents.agents.retriever.named import asked_film, asked_title, same_title
from theoros_agents.context import resolve_context
from theoros_agents.evaluation.retriever import names_gold
from theoros_agents.knowledge.documents import PlotDocument
from theoros_agents.knowledge.plot_loader import load_documents
from theoros_agents.knowledge.stores import plot_store

GRAPH = build_retriever().compile(name="retriever")


def _context(home):
    return resolve_context({"home": str(home)}, environ={})


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What happens in the film Blorptangle?", "Blorptangle"),
        ("What is Zorvan's Revenge about?", "Zorvan's Revenge"),
        ("Tell me the plot of The Quiet Lighthouse Keeper", "The Quiet Lighthouse Keeper"),
        ("What happens in So Big?", "So Big"),
        ("Summarize Jaws 2.", "Jaws 2"),
        ('What happens in "Blorptangle"?', "Blorptangle"),
        ("What is the story of The Lord of the Rings?", "The Lord of the Rings"),
        ("How does Blorptangle end?", "Blorptangle"),
        ("Summarize Blorptangle in two sentences.", "Blorptangle"),
        ("What's the plot of a film that doesn't exist called Zorblax Returns?", "Zorblax Returns"),
        ('Tell me about the movie named "The Quiet Lighthouse Keeper"', "The Quiet Lighthouse Keeper"),
        ('"The Quiet Lighthouse Keeper" plot', "The Quiet Lighthouse Keeper"),
        # Descriptions and other questions name no title.
        ("the film where a young girl is trapped in a world of spirits", ""),
        ("A rifle shot in Morocco links several stories across continents.", ""),
        ("What is it about?", ""),
        ("How do I bake sourdough bread?", ""),
        ("What happens in the movie about the shark?", ""),
        ("How does it end?", ""),
        ("a film about a man called Rick who runs a nightclub", ""),
    ],
)
def test_the_title_a_plot_question_names(question, title):
    assert asked_title(question) == title


@pytest.mark.parametrize(
    ("asked", "title", "same"),
    [
        ("The Godfater", "The Godfather", True),
        ("godfather", "The Godfather", True),
        ("So Big", "Big", False),
        ("Blorptangle", "Dr. Strangelove", False),
        ("The Godfather", "The Godfather Part II", False),
    ],
)
def test_a_stored_title_is_the_one_asked_for_up_to_a_typo(asked, title, same):
    assert same_title(asked, title) is same


async def test_an_unknown_title_is_said_and_no_other_film_is_offered(home):
    result = await GRAPH.ainvoke({"question": "What happens in the film Blorptangle?"}, context=_context(home))
    assert result["answer"] == "I know no film called 'Blorptangle' and have no plot summary of it."
    result = await GRAPH.ainvoke({"question": "How does Blorptangle end?"}, context=_context(home))
    assert result["answer"] == "I know no film called 'Blorptangle' and have no plot summary of it."
    assert result["sources"] == []


async def test_a_misspelt_title_is_read_as_the_film_and_says_so(home):
    result = await GRAPH.ainvoke({"question": "What happens in Casablanka?"}, context=_context(home))
    assert result["answer"].startswith("Reading 'Casablanka' as Casablanca (1942): ")
    assert [s["title"] for s in result["sources"]] == ["Casablanca (1942)"]


async def test_a_known_film_without_a_stored_plot_is_named(home):
    # The graph knows the film (the linker found it) but no plot of it is stored.
    faces = {"kind": "film", "id": "Q1385395", "label": "Faces", "mention": "faces", "score": 100.0}
    question = {"question": "What happens in Faces?", "entities": [faces]}
    result = await GRAPH.ainvoke(question, context=_context(home))
    assert result["answer"] == "I have no plot summary of 'Faces'." and result["sources"] == []
    # Asked in lower case with a contraction, the question names no title, but asks about the linked film alone.
    result = await GRAPH.ainvoke({"question": "what's faces about", "entities": [faces]}, context=_context(home))
    assert result["answer"] == "I have no plot summary of 'Faces'." and result["sources"] == []
    # A description that merely mentions it is still searched as a whole, and says it found best matches.
    described = {"question": "a film like Faces about a great white shark", "entities": [faces], "intent": "search"}
    result = await GRAPH.ainvoke(described, context=_context(home))
    assert result["answer"].startswith("The best match is Jaws (1975)")


async def test_a_film_stored_only_as_a_plot_is_found_by_its_title(own_home):
    text = "Two former friends, who now live far apart, learn about each other's secrets over video chats."
    load_documents(plot_store(_context(own_home)), [PlotDocument("imdb", "Face 2 Face", 2017, text)], label="imdb")
    result = await GRAPH.ainvoke({"question": "What is Face 2 Face about?"}, context=_context(own_home))
    assert result["answer"].startswith("Face 2 Face (2017): Two former friends")


@pytest.mark.parametrize(
    ("question", "film"),
    [
        ("What happens in Anna Karenina (1935)?", ("Anna Karenina", 1935)),
        ("What is the 1935 Anna Karenina about?", ("Anna Karenina", 1935)),
        ("What happens in Anna Karenina?", ("Anna Karenina", None)),
        ("What happens in 1917?", ("", None)),  # a year alone is read as neither a title nor a year
    ],
)
def test_a_year_beside_the_title_is_read_apart(question, film):
    assert asked_film(question) == film


async def test_namesakes_are_told_apart_by_year(own_home):
    documents = [
        PlotDocument("imdb", "Quiet Harbour", 1931, "A lighthouse keeper's daughter elopes with a smuggler."),
        PlotDocument("imdb", "Quiet Harbour", 1998, "A retired detective reopens a drowning case in a fishing town."),
    ]
    load_documents(plot_store(_context(own_home)), documents, label="imdb")
    asked = await GRAPH.ainvoke({"question": "What happens in Quiet Harbour?"}, context=_context(own_home))
    (shown,) = [s["title"] for s in asked["sources"]]
    other = "Quiet Harbour (1998)" if shown == "Quiet Harbour (1931)" else "Quiet Harbour (1931)"
    assert asked["answer"].endswith(f"(Also stored under that title: {other}; add the year to ask about one.)")
    dated = await GRAPH.ainvoke({"question": "What is Quiet Harbour (1998) about?"}, context=_context(own_home))
    assert dated["answer"].startswith("Quiet Harbour (1998): A retired detective")
    assert "Also stored" not in dated["answer"]
    missing = await GRAPH.ainvoke({"question": "What is the 1950 Quiet Harbour about?"}, context=_context(own_home))
    assert missing["answer"] == (
        "I have no plot summary of 'Quiet Harbour (1950)', only of Quiet Harbour (1931), Quiet Harbour (1998)."
    )
    assert missing["sources"] == []


@pytest.mark.parametrize(
    ("answer", "cited", "named"),
    [
        ("Sabrina (2018): A toy maker and his wife are terrorised.", ["Sabrina (2018)"], True),
        ("The best match is Jaws (1975): … Other candidates: Sabrina (2018).", ["Jaws (1975)", "Sabrina (2018)"], True),
        # Naming the film only to say there is no plot of it is no answer.
        ("I know no film called 'Sabrina' and have no plot summary of it.", [], False),
        # A namesake of another year is another film.
        ("Sabrina (1954): A chauffeur's daughter returns from Paris.", ["Sabrina (1954)"], False),
    ],
)
def test_the_eval_counts_an_answer_that_names_and_cites_the_film(answer, cited, named):
    assert names_gold(answer, ["Sabrina (2018)"], cited) is named
    assert names_gold(answer, ["Sabrina"], cited) is bool(cited)
