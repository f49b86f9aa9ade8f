"""The retriever's Wikipedia fallback, with the MCP fetch replaced: answer, cite, cache, and report failures."""

from theoros_agents.agents.retriever import build_retriever, wikipedia
from theoros_agents.context import resolve_context
from theoros_agents.knowledge.stores import plot_store
from theoros_agents.tools.wikipedia import Article, WikipediaUnavailable

GRAPH = build_retriever().compile(name="retriever")
QUESTION = "What is Zorblax and the Glass Orchard about?"
ARTICLE = Article(
    "Zorblax and the Glass Orchard (2031 film)",
    "Zorblax and the Glass Orchard is a 2031 animated fantasy film about Zorblax, a shy beekeeper who finds an "
    "orchard of glass trees whose fruit rings like bells, and crosses a salt desert to mend it after a storm.",
)


def _context(home, **settings):
    return resolve_context({"home": str(home), "wikipedia_mcp": "stdio:wikipedia-mcp"} | settings, environ={})


def _fetch_returning(articles, calls):
    async def fetch(spec, question):
        calls.append((spec, question))
        return articles

    return fetch


async def test_an_unstored_film_is_answered_from_wikipedia_cited_and_then_served_locally(own_home, monkeypatch):
    calls = []
    monkeypatch.setattr(wikipedia, "fetch_articles", _fetch_returning([ARTICLE], calls))
    first = await GRAPH.ainvoke({"question": QUESTION}, context=_context(own_home))
    assert first["answer"].startswith("From Wikipedia (no stored plot matched), Zorblax and the Glass Orchard (2031):")
    assert [(s["agent"], s["kind"], s["title"], s["detail"]) for s in first["sources"]] == [
        ("retriever", "plot", "Zorblax and the Glass Orchard (2031)", "wikipedia")
    ]
    assert "shy beekeeper" in first["sources"][0]["evidence"]
    assert calls == [("stdio:wikipedia-mcp", QUESTION)]
    stored = plot_store(_context(own_home)).stored(["wikipedia:zorblax-and-the-glass-orchard:2031#0"])
    assert stored["wikipedia:zorblax-and-the-glass-orchard:2031#0"]["url"].endswith("Glass_Orchard_(2031_film)")
    again = await GRAPH.ainvoke({"question": QUESTION}, context=_context(own_home))
    # Now stored, the film the question names is answered as itself.
    assert again["answer"].startswith("Zorblax and the Glass Orchard (2031): Zorblax and the Glass Orchard is")
    assert again["sources"][0]["detail"] == "wikipedia" and len(calls) == 1


async def test_a_failing_tool_is_named_in_a_graceful_answer(own_home, monkeypatch):
    async def fetch(spec, question):
        raise WikipediaUnavailable("Wikipedia MCP server 'stdio:wikipedia-mcp' failed: FileNotFoundError(2)")

    monkeypatch.setattr(wikipedia, "fetch_articles", fetch)
    result = await GRAPH.ainvoke({"question": QUESTION}, context=_context(own_home))
    assert result["answer"] == (
        "I know no film called 'Zorblax and the Glass Orchard' and have no plot summary of it, and Wikipedia could "
        "not be asked: "
        "Wikipedia MCP server 'stdio:wikipedia-mcp' failed: FileNotFoundError(2)"
    )
    assert result["sources"] == [] and "FileNotFoundError" in result["records"][-1]["error"]


async def test_nothing_found_on_wikipedia_is_said_with_the_search(own_home, monkeypatch):
    monkeypatch.setattr(wikipedia, "fetch_articles", _fetch_returning([], []))
    result = await GRAPH.ainvoke({"question": QUESTION}, context=_context(own_home))
    expected = (
        "I know no film called 'Zorblax and the Glass Orchard' and have no plot summary of it, and Wikipedia found "
        "nothing for 'zorblax glass orchard film'."
    )
    assert result["answer"] == expected


async def test_another_films_article_is_no_answer_to_a_question_naming_a_film(own_home, monkeypatch):
    other = Article("Glass Orchard Blues (2030 film)", "Glass Orchard Blues is a 2030 drama about a jazz trio.")
    monkeypatch.setattr(wikipedia, "fetch_articles", _fetch_returning([other], []))
    result = await GRAPH.ainvoke({"question": QUESTION}, context=_context(own_home))
    assert result["answer"].startswith("I know no film called 'Zorblax and the Glass Orchard'")
    assert result["answer"].endswith("Wikipedia found nothing for 'zorblax glass orchard film'.")
    assert result["sources"] == []
    assert plot_store(_context(own_home)).stored(["wikipedia:glass-orchard-blues:2030#0"]) == {}


async def test_a_year_in_the_question_keeps_the_article_of_that_year_only(own_home, monkeypatch):
    monkeypatch.setattr(wikipedia, "fetch_articles", _fetch_returning([ARTICLE], []))
    other = await GRAPH.ainvoke(
        {"question": "What is the 2029 Zorblax and the Glass Orchard about?"}, context=_context(own_home)
    )
    assert other["answer"].startswith("I know no film called 'Zorblax and the Glass Orchard (2029)'")
    assert other["sources"] == []
    dated = await GRAPH.ainvoke(
        {"question": "What is Zorblax and the Glass Orchard (2031) about?"}, context=_context(own_home)
    )
    assert dated["answer"].startswith("From Wikipedia (no stored plot matched), Zorblax and the Glass Orchard (2031):")


async def test_wikipedia_is_not_asked_when_a_plot_matches_or_when_off(own_home, monkeypatch):
    calls = []
    monkeypatch.setattr(wikipedia, "fetch_articles", _fetch_returning([ARTICLE], calls))
    found = await GRAPH.ainvoke({"question": "What is Jaws about?"}, context=_context(own_home))
    off = await GRAPH.ainvoke({"question": QUESTION}, context=_context(own_home, wikipedia_mcp=""))
    assert found["answer"].startswith("Jaws (1975): ")
    assert off["answer"] == "I know no film called 'Zorblax and the Glass Orchard' and have no plot summary of it."
    assert calls == []


def test_articles_become_documents_with_stable_ids_and_years():
    docs = wikipedia.documents([ARTICLE, Article("Glass Orchard", "A novel from 1999.")], None)
    assert [(d.title, d.year, d.source, d.film_id) for d in docs] == [
        ("Zorblax and the Glass Orchard", 2031, "wikipedia", "wikipedia:zorblax-and-the-glass-orchard:2031"),
        ("Glass Orchard", 1999, "wikipedia", "wikipedia:glass-orchard:1999"),
    ]
