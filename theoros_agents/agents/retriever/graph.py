"""Retriever: plot and find-a-film questions answered from the plot store, citing the documents used."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any, Literal

import httpx
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from theoros_agents.agents.retriever.alike import alike_only, films_like
from theoros_agents.agents.retriever.filters import parse_filters, to_where
from theoros_agents.agents.retriever.named import PLOT_REQUEST, asked_film, film_titled, same_title
from theoros_agents.agents.retriever.wikipedia import ask_wikipedia, fallback_configured
from theoros_agents.aio import inline
from theoros_agents.context import Context, RunContext, as_context, entry_context
from theoros_agents.errors import StoreError
from theoros_agents.knowledge.documents import body_of
from theoros_agents.knowledge.linker import REFERENCE, fold_accents, normalize, which_film
from theoros_agents.knowledge.names import names_in
from theoros_agents.knowledge.stores import alabel_index, plot_store
from theoros_agents.models import aload_chat_model, write_text
from theoros_agents.prompts import amessages
from theoros_agents.state import Finding, Source, SpecialistInput, SpecialistOutput
from theoros_agents.usage import record

AGENT = "retriever"
K = 8
MIN_SIMILARITY = 0.3
"""Below this cosine similarity the best vector hit is not about the question (measured on MiniLM). It was set on
the passages' full-text vectors and is checked on them: a body vector, without the film's title, sits closer to
any question (an invented film's question reached 0.300 on a body, 0.293 on the full texts)."""


class RetrieverState(SpecialistInput, SpecialistOutput, total=False):
    """Question in; filters, hits and a cited answer out."""

    film: dict[str, Any]
    filters: dict[str, Any]
    hits: list[dict[str, Any]]
    relaxed: bool
    fallback: bool
    """Whether nothing relevant is stored and a Wikipedia MCP server is configured to ask instead."""
    unavailable: str
    """Why the plot store could not be searched ('' when it could)."""
    reference: str
    """The word the question points back at a film with ("it") when it names none and says nothing else."""
    missing: dict[str, Any]
    """The film a plot question names that has no stored plot: {"title", "year", "known", "others"?} (year: the one
    asked, or None; known: the graph has it; others: the films of that title that are stored)."""
    namesakes: list[str]
    """Other stored films of the title the answer's film has, e.g. ["Anna Karenina (1935)"]."""
    wikipedia: dict[str, Any]
    """What the Wikipedia fallback did: {"query", "found", "error"}; absent when it was not asked."""
    like: str
    """The film whose likes were searched for ("Jaws (1975)"), when the question asks for films like one."""


def _hit_dict(hit: Any) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "year": hit.year,
        "text": hit.text,
        "score": hit.score,
        "ranks": hit.ranks,
        "qid": hit.metadata.get("qid", ""),
        "source": hit.metadata.get("source", ""),
        "film_id": hit.film_id,
    }


def search(context: Context, question: str, film: dict[str, Any] | None, filters: dict[str, Any]) -> tuple[list, bool]:
    """Search with the film or filters; when they leave nothing, search again without them.

    Returns:
        The hits (empty when even the best one is unrelated) and whether the filters were dropped.
    """
    store = plot_store(context)
    if film:
        hits = store.search(question, K, {"qid": {"$eq": film["id"]}})
        if hits:
            return hits, False
    where, relaxed = to_where(filters), False
    hits = store.rank(context.retriever_ranker, question, K, where)
    if not hits and where is not None:
        where, relaxed = None, True
        hits = store.rank(context.retriever_ranker, question, K, None)
    closest = store.vector_search(question, 1, where, bodies=False)
    if not closest or closest[0].score < MIN_SIMILARITY:
        return [], relaxed
    return hits, relaxed


async def search_plots(state: RetrieverState, runtime: Runtime[Context]) -> dict:
    """Find passages: the named film's own, else hybrid search under the question's filters."""
    started = time.perf_counter()
    context = await entry_context(runtime.context)
    if "entities" in state:
        entities = state["entities"]
    else:
        index = await alabel_index(context)
        entities = [c.as_dict() for c in index.mentions(state["question"])]
    named = next((e for e in entities if e["kind"] == "film" and _names(state, e)), None)
    film = (
        {"id": named["id"], "label": named["label"], "mention": named.get("mention", ""), "year": named.get("year")}
        if named
        else None
    )
    reference = "" if film else _points_back(state["question"])
    if reference:
        # "What is it about?" outside a conversation: any film found would be a guess.
        return {"film": {}, "hits": [], "reference": reference, "records": [record(AGENT, "search_plots")]}
    filters = parse_filters(state["question"])
    error = ""
    try:
        # Opening Chroma, embedding the query and BM25 all block: keep them off the event loop.
        if liked := _liked(state["question"], film):
            found = await asyncio.to_thread(_alike, context, film, liked)
        else:
            found = await asyncio.to_thread(
                _find, context, state["question"], film, filters, state.get("intent") != "search"
            )
    except (StoreError, httpx.HTTPError, OSError) as exc:
        # A plot store server that is down or restarting: say so; the next question tries it again.
        found, error = (
            {"hits": [], "relaxed": False, "film": {}, "missing": {}},
            f"the plot store cannot be searched: {exc}",
        )
    elapsed = (time.perf_counter() - started) * 1000
    return {
        **found,
        "filters": filters,
        "unavailable": error,
        "fallback": not found["hits"] and not error and fallback_configured(context),
        "records": [record(AGENT, "search_plots", latency_ms=elapsed, error=error)],
    }


def _find(
    context: Context, question: str, film: dict[str, Any] | None, filters: dict[str, Any], plot_question: bool
) -> dict[str, Any]:
    """Search the plots; a plot question about a film by name keeps only that film's passages."""
    title, year = asked_film(question) if plot_question else ("", None)
    if film and title and not (same_title(title, film["mention"]) or same_title(title, film["label"])):
        film = None  # a film named by part of the title asked about ("Big" in "What happens in So Big?")
    if film and year and film.get("year") not in (None, year):
        film = None  # the graph's film of that title is of another year than the one asked about
    hits, relaxed = search(context, question, film, filters)
    asked = bool(title) or (plot_question and film is not None and _only_about(question, film["mention"]))
    hits, film, missing = _named_film(context, title, hits, film, asked, year)
    found = {"hits": [_hit_dict(h) for h in hits], "relaxed": relaxed, "film": film or {}, "missing": missing}
    if film and hits and title and year is None:
        found["namesakes"] = _namesakes(context, hits[0])
    return found


def _liked(question: str, film: dict[str, Any] | None) -> str:
    """The name of the film whose likes the question asks for alone (the linked film, or an unknown name), or ''."""
    names = names_in(question)
    name = (film.get("mention") or film["label"]) if film else names[-1] if names else ""
    return name if name and alike_only(question, name) else ""


def _alike(context: Context, film: dict[str, Any] | None, name: str) -> dict[str, Any]:
    """The passages of the films most like the named one by plot; the film reported missing when it has none.

    A name the graph does not know is reported missing too: any film found would be like something else.
    """
    if film is None:
        missing = {"title": name, "year": None, "known": False}
        return {"hits": [], "relaxed": False, "film": {}, "missing": missing, "like": ""}
    hits, stored = films_like(context, film, K)
    name = f"{film['label']} ({film['year']})" if film.get("year") else film["label"]
    missing = {} if stored else {"title": film["label"], "year": None, "known": True}
    return {"hits": [_hit_dict(h) for h in hits], "relaxed": False, "film": {}, "missing": missing, "like": name}


def _namesakes(context: Context, shown: Any) -> list[str]:
    """The other films stored under the title of the film answered ("Anna Karenina" of 1935 beside that of 1915)."""
    others = plot_store(context).films_titled(shown.title)
    return sorted(f"{shown.title} ({y})" if y else shown.title for f, y in others.items() if f != shown.film_id)


def _named_film(
    context: Context, title: str, hits: list, film: dict[str, Any] | None, asked: bool, year: int | None = None
) -> tuple[list, dict[str, Any] | None, dict[str, Any]]:
    """Keep only the passages of the film a plot question asks about; say which film has none.

    `title` is the title the question names and nothing else ("What happens in Blorptangle?"), or ""; `asked` says
    whether the question asks about one film by name rather than describes a film it mentions. Another film's
    plot is no answer to a question about a film, but may match a description that mentions it.

    Returns:
        The hits, the film they are of (None for best matches), and the film asked about without a stored plot, or {}.
    """
    if film and any(h.metadata.get("qid") == film["id"] for h in hits):
        return hits, film, {}
    if film and not asked:
        # A description that mentions a film without a stored plot: the search's best matches.
        return hits, None, {}
    name = title or (film["label"] if film else "")
    return film_titled(context, name, hits, film is not None, K, year) if name else (hits, None, {})


def _only_about(question: str, mention: str) -> bool:
    """Whether a question says nothing but a plot request around the film's mention ("what's faces about")."""
    words = f" {normalize(question)} ".replace(f" {normalize(mention)} ", " ", 1).split()
    return all(word in _REQUEST_WORDS for word in words)


_REQUEST_WORDS = frozenset(normalize(" ".join(PLOT_REQUEST)).split())
"""The request words as `normalize` splits them ("what's" is "what s")."""


def _points_back(question: str) -> str:
    """The reference word of a question that asks about a film only by pointing back at it, else ''.

    A capitalised "It" inside the question is a title ("What happens in It?"), not a reference.
    """
    reference = REFERENCE.search(question)
    if reference is None or (reference.group(0) == "It" and reference.start() > 0):
        return ""
    words = re.findall(r"[a-z']+", question.lower())
    return reference.group(0) if all(word in PLOT_REQUEST for word in words) else ""


def _names(state: RetrieverState, entity: dict[str, Any]) -> bool:
    """Whether the question names this film: in a description ("a jazz pianist falls for…"), only a capitalised title.

    Common words are also titles (The Pianist, Heat, Up); a plot question names its film, a search describes one.
    """
    if state.get("intent") != "search":
        return True
    words = entity["mention"].split()
    pattern = r"\b" + r"\W+".join(re.escape(word) for word in words) + r"\b"
    found = re.search(pattern, fold_accents(state["question"]), re.IGNORECASE)
    return found is not None and any(ch.isupper() for ch in found.group(0))


def route_after_search(state: RetrieverState) -> Literal["ask_wikipedia", "answer_from_plots"]:
    """Ask Wikipedia only when nothing relevant is stored and a server is configured."""
    return "ask_wikipedia" if state.get("fallback") else "answer_from_plots"


def _by_film(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the best passage of each film, in rank order."""
    seen: dict[str, dict[str, Any]] = {}
    for hit in hits:
        seen.setdefault(hit["film_id"], hit)
    return list(seen.values())


async def answer_from_plots(state: RetrieverState, runtime: Runtime[Context]) -> dict:
    """Answer from the best passages and cite them; say so when nothing relevant is stored."""
    films = _by_film(state.get("hits", []))
    if not films:
        unavailable, reference = state.get("unavailable"), state.get("reference")
        text = f"I cannot search the plot summaries right now ({unavailable})." if unavailable else ""
        nothing = _nothing_found(state.get("wikipedia"), state.get("missing"))
        text = text or (which_film(reference) if reference else nothing)
        return {"answer": text, "sources": [], "findings": [_finding(text, [], False)]}
    cited = films[:4]
    text = _extract(state, cited)
    sources = [Source(agent=AGENT, kind="plot", title=_name(h), detail=h["source"], evidence=h["text"]) for h in cited]
    update: dict[str, Any] = {"answer": text, "sources": sources}
    if not as_context(runtime.context).model_for(AGENT, state.get("escalated", False)):
        update["findings"] = [_finding(text, cited, False)]
    return update


def _name(hit: dict[str, Any]) -> str:
    return f"{hit['title']} ({hit['year']})" if hit["year"] else hit["title"]


def _extract(state: RetrieverState, films: list[dict[str, Any]]) -> str:
    """The extractive answer: the best film's passage, naming the runners-up for a search."""
    best, others = films[0], films[1:]
    # The hit's own heading, not the first ": ": "2001: A Space Odyssey (1968): …" has a colon in its title.
    text = body_of(best["text"], best) or best["text"].split(": ", 1)[-1]
    if state.get("like"):
        names = ", ".join(_name(h) for h in films)
        return f"Films like {state['like']}, by their plot summaries: {names}. The closest, {_name(best)}: {text}"
    answer = f"{_name(best)}: {text}" if state.get("film") else f"The best match is {_name(best)}: {text}"
    if state.get("film", {}).get("read_as"):
        answer = f"Reading {state['film']['read_as']!r} as {answer}"
    if state.get("wikipedia"):
        answer = f"From Wikipedia (no stored plot matched), {_name(best)}: {text}"
    if others and not state.get("film"):
        answer += " Other candidates: " + ", ".join(_name(h) for h in others) + "."
    if state.get("namesakes"):
        answer += f" (Also stored under that title: {', '.join(state['namesakes'])}; add the year to ask about one.)"
    if state.get("relaxed"):
        answer += " (Nothing matched every filter in the question, so these ignore them.)"
    return answer


def _finding(text: str, films: list[dict[str, Any]], used_model: bool) -> Finding:
    hits = [{k: h[k] for k in ("title", "year", "qid", "source", "score")} for h in films]
    return Finding(agent=AGENT, text=text, result={"hits": hits}, used_model=used_model)


def route_after_answer(state: RetrieverState, runtime: Runtime[Context]) -> Literal["write_answer", "__end__"]:
    """With a model configured, it writes the answer from the passages; without one the extract stands."""
    writes = as_context(runtime.context).model_for(AGENT, state.get("escalated", False))
    return "write_answer" if writes and state.get("sources") else "__end__"


async def write_answer(state: RetrieverState, runtime: Runtime[Context]) -> dict:
    """Have the model answer from the cited passages only; its tokens stream as it writes."""
    context = as_context(runtime.context)
    model_id = context.model_for(AGENT, state.get("escalated", False))
    films = _by_film(state.get("hits", []))[:4]
    documents = [{"title": h["title"], "year": h["year"], "text": h["text"]} for h in films]
    prompt = await amessages(context.prompt_for(AGENT), question=state["question"], documents=documents)
    model = await aload_chat_model(model_id, context.temperature, context.home)
    reply = await write_text(model, prompt, context.model_timeout)
    # A model that fails or writes nothing leaves the extractive answer standing, and says why in the record.
    text = reply.text or state["answer"]
    rec = record(AGENT, "write_answer", model=model_id, reply=reply)
    return {"answer": text, "findings": [_finding(text, films, True)], "records": [rec]}


def _nothing_found(asked: dict[str, Any] | None, missing: dict[str, Any] | None) -> str:
    """Say that nothing answers (naming the film asked about), and what asking Wikipedia gave when it was asked."""
    lead = _no_plot(missing)
    if asked and asked["error"]:
        return f"{lead}, and Wikipedia could not be asked: {asked['error']}"
    if asked:
        return f"{lead}, and Wikipedia found nothing for {asked['query']!r}."
    return f"{lead}."


def _no_plot(missing: dict[str, Any] | None) -> str:
    """Say there is no plot summary, naming the film asked about (with the year it was asked with) when there is one."""
    if not missing:
        return "I have no plot summary that answers that"
    name = f"{missing['title']} ({missing['year']})" if missing.get("year") else missing["title"]
    if missing.get("others"):
        return f"I have no plot summary of {name!r}, only of {', '.join(missing['others'])}"
    if missing["known"]:
        return f"I have no plot summary of {name!r}"
    return f"I know no film called {name!r} and have no plot summary of it"


def build_retriever() -> StateGraph[Any, Context, Any, Any]:
    """Build the retriever graph (uncompiled)."""
    builder = StateGraph(
        RetrieverState, context_schema=RunContext, input_schema=SpecialistInput, output_schema=SpecialistOutput
    )
    builder.add_node(search_plots)
    builder.add_node(ask_wikipedia)
    builder.add_node(answer_from_plots)
    builder.add_node(write_answer)
    builder.add_edge(START, "search_plots")
    builder.add_conditional_edges("search_plots", inline(route_after_search), ["ask_wikipedia", "answer_from_plots"])
    builder.add_edge("ask_wikipedia", "answer_from_plots")
    builder.add_conditional_edges("answer_from_plots", inline(route_after_answer), ["write_answer", END])
    builder.add_edge("write_answer", END)
    return builder
