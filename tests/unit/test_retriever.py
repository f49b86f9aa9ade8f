from theoros_agents.agents.retriever import build_retriever
from theoros_agents.context import resolve_context

GRAPH = build_retriever().compile(name="retriever")


def _context(home, **settings):
    return resolve_context({"home": str(home)} | settings, environ={})


async def test_a_named_film_is_answered_from_its_own_synopsis(home):
    result = await GRAPH.ainvoke({"question": "What is Jaws about?"}, context=_context(home))
    assert result["answer"].startswith("Jaws (1975): ") and "shark" in result["answer"]
    source = result["sources"][0]
    assert (source["agent"], source["kind"], source["title"], source["detail"]) == (
        "retriever",
        "plot",
        "Jaws (1975)",
        "theoros",
    )
    assert "shark" in source["evidence"]  # the passage itself, for the judge to check the answer against


async def test_a_description_finds_the_film_and_cites_candidates(home):
    question = "the film where a young girl is trapped in a world of spirits after her parents turn into pigs"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    assert result["answer"].startswith("The best match is Spirited Away (2001)")
    assert "Other candidates" in result["answer"] and len(result["sources"]) >= 2


async def test_unrelated_questions_find_nothing(home):
    result = await GRAPH.ainvoke({"question": "How do I bake sourdough bread?"}, context=_context(home))
    assert result["answer"] == "I have no plot summary that answers that." and result["sources"] == []


async def test_filters_that_match_nothing_are_dropped_and_said(home):
    question = "a Nigerian space opera from the 1920s about a shark"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    assert "ignore them" in result["answer"]


async def test_each_ranker_can_be_chosen(home):
    for ranker in ("bm25", "vector", "hybrid", "score", "normalized", "prf"):
        context = _context(home, retriever_ranker=ranker)
        result = await GRAPH.ainvoke({"question": "a great white shark terrorises a beach resort"}, context=context)
        assert "Jaws (1975)" in result["answer"], ranker


async def test_a_description_that_happens_to_hold_a_title_is_searched_not_looked_up(home):
    from theoros_agents.api import Theoros

    theoros = Theoros(home=str(home))
    described = await theoros.aask("Find the film where a jazz pianist falls for a singer in Los Angeles")
    assert described.intents == ["search"] and "The Pianist" not in described.answer.split(":")[0]
    named = await theoros.aask("What is The Pianist about?")
    assert named.answer.startswith("The Pianist (2002):")


async def test_a_film_only_pointed_at_is_asked_for_not_guessed(home):
    for question, reference in (("What is it about?", "it"), ("Tell me the plot of that film.", "that film")):
        result = await GRAPH.ainvoke({"question": question}, context=_context(home))
        assert result["answer"].startswith(f"Which film is {reference!r}? Name it") and result["sources"] == []
    # A reference beside words that describe the film is a search, and a named film is looked up.
    described = "What is it about, the one where a shark attacks a beach town?"
    assert "Jaws (1975)" in (await GRAPH.ainvoke({"question": described}, context=_context(home)))["answer"]
    named = await GRAPH.ainvoke({"question": "What is Alien about? I loved it."}, context=_context(home))
    assert named["answer"].startswith("Alien (1979): ")
    titled = await GRAPH.ainvoke({"question": "What happens in It?"}, context=_context(home))
    assert not titled["answer"].startswith("Which film")  # a title, searched (the starter catalog lacks it)


async def test_a_film_pointed_at_is_not_asked_of_wikipedia(home, monkeypatch):
    from theoros_agents.agents.retriever import wikipedia

    async def fetch(spec, question):
        raise AssertionError(f"Wikipedia was asked {question!r}")

    monkeypatch.setattr(wikipedia, "fetch_articles", fetch)
    context = _context(home, wikipedia_mcp="stdio:wikipedia-mcp")
    result = await GRAPH.ainvoke({"question": "What happens in the movie?"}, context=context)
    assert result["answer"].startswith("Which film is 'the movie'?")


async def test_a_question_is_embedded_once_however_often_it_is_searched(home, monkeypatch):
    from theoros_agents.knowledge.embeddings import load_embedder
    from theoros_agents.knowledge.stores import plot_store

    embedder = load_embedder(plot_store(_context(home)).embedder.model_id)
    embedded = []
    real = embedder.embed_query
    monkeypatch.setattr(embedder, "embed_query", lambda text: embedded.append(text) or real(text))
    # Its filters match nothing, so it is searched with them, without them, and for the relevance floor.
    question = "a Nigerian space opera from the 1920s about a lighthouse keeper and a whale"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    assert "ignore them" in result["answer"] and embedded == [question]


async def test_a_title_with_a_colon_is_not_repeated_in_the_answer(home):
    question = "astronauts on a mission to Jupiter and a computer that turns against them"
    result = await GRAPH.ainvoke({"question": question}, context=_context(home))
    assert result["answer"].startswith("The best match is 2001: A Space Odyssey (1968): In prehistoric Africa")
