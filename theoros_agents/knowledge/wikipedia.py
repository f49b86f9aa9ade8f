"""Fetch film plots from Wikipedia (MediaWiki API extracts) as plot documents, one polite request per title."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from urllib.parse import quote

import httpx

from theoros_agents.errors import StoreError
from theoros_agents.knowledge.documents import PlotDocument
from theoros_agents.knowledge.graph_store import USER_AGENT

API = "https://en.wikipedia.org/w/api.php"
PLOT_SECTIONS = ("plot", "synopsis", "plot summary", "premise", "summary")
RETRIES = 3
_HEADING = re.compile(r"^(=+)\s*(.*?)\s*\1\s*$", re.MULTILINE)
_TITLE_SUFFIX = re.compile(r"\s*\((?:(\d{4}) )?(?:[\w ]+ )?film\)$")
_INTRO_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def plot_text(extract: str) -> str:
    """Return the plot section of a plain-text extract (with '== Heading ==' lines), else its introduction."""
    headings = list(_HEADING.finditer(extract))
    for i, match in enumerate(headings):
        if len(match.group(1)) == 2 and match.group(2).lower() in PLOT_SECTIONS:
            end = next((h.start() for h in headings[i + 1 :] if len(h.group(1)) <= 2), len(extract))
            body = _HEADING.sub("", extract[match.end() : end])
            return re.sub(r"\n{2,}", "\n", body).strip()
    return extract[: headings[0].start()].strip() if headings else extract.strip()


def film_year(page_title: str, extract: str) -> int | None:
    """Read the year from a '(1975 film)' title, else from the first sentence ('… is a 1975 American film')."""
    match = _TITLE_SUFFIX.search(page_title)
    if match and match.group(1):
        return int(match.group(1))
    first = extract.split(". ", 1)[0]
    found = _INTRO_YEAR.search(first)
    return int(found.group(1)) if found else None


class WikipediaClient:
    """The MediaWiki action API with Wikimedia's etiquette: a User-Agent, maxlag, serial requests, backoff."""

    def __init__(self, api: str = API, timeout: float = 20.0, transport: httpx.BaseTransport | None = None) -> None:
        self.api = api
        self.client = httpx.Client(
            timeout=timeout, headers={"User-Agent": USER_AGENT}, transport=transport, follow_redirects=True
        )

    def page(self, title: str) -> dict | None:
        """Return the page (title, extract, pageprops) for a title, following redirects; None when missing."""
        params = {
            "action": "query",
            "format": "json",
            "formatversion": "2",
            "prop": "extracts|pageprops",
            "explaintext": "1",
            "exsectionformat": "wiki",
            "ppprop": "wikibase_item",
            "redirects": "1",
            "maxlag": "5",
            "titles": title,
        }
        data = self._get(params)
        if "error" in data:
            raise StoreError(f"Wikipedia refused {title!r}: {data['error'].get('info', data['error'])}")
        pages = data.get("query", {}).get("pages", [])
        if not pages or pages[0].get("missing") or pages[0].get("invalid"):
            return None
        return pages[0]

    def _get(self, params: dict[str, str]) -> dict:
        for attempt in range(RETRIES + 1):
            try:
                response = self.client.get(self.api, params=params)
            except httpx.HTTPError as exc:
                raise StoreError(f"Wikipedia API {self.api} unreachable: {exc}") from exc
            # 429 and 503 (also maxlag) mean "later": wait as told, else back off exponentially.
            if response.status_code in (429, 503) and attempt < RETRIES:
                time.sleep(_wait(response, attempt))
                continue
            if response.status_code >= 300:
                raise StoreError(f"Wikipedia API {self.api} answered HTTP {response.status_code}")
            try:
                return response.json()
            except ValueError as exc:
                raise StoreError(f"Wikipedia API {self.api} sent no JSON") from exc
        raise StoreError(f"Wikipedia API {self.api} kept asking to retry later")


def _wait(response: httpx.Response, attempt: int) -> float:
    try:
        return min(float(response.headers.get("Retry-After", "")), 60.0)
    except ValueError:
        return min(2.0**attempt, 30.0)


def fetch_documents(
    client: WikipediaClient, titles: Sequence[str], year_of: Callable[[str], int | None] | None = None
) -> tuple[list[PlotDocument], list[str]]:
    """Fetch each title's plot; return the documents and the titles that have no page.

    `year_of` maps a Wikidata id to the film's year in the graph, which beats reading it from the text.
    """
    documents, missing = [], []
    for title in titles:
        page = client.page(title)
        text = plot_text(page.get("extract", "")) if page else ""
        if not page or not text:
            missing.append(title)
            continue
        qid = page.get("pageprops", {}).get("wikibase_item", "")
        year = (year_of(qid) if year_of and qid else None) or film_year(page["title"], page.get("extract", ""))
        documents.append(
            PlotDocument(
                source="wikipedia",
                title=_TITLE_SUFFIX.sub("", page["title"]),
                year=year,
                text=text,
                qid=qid,
                url="https://en.wikipedia.org/wiki/" + quote(page["title"].replace(" ", "_"), safe="()_,!:'"),
                origin=f"{client.api}?titles={title}",
            )
        )
    return documents, missing
