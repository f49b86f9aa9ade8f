"""Put plot documents into the plot store: link them to graph ids, skip what is stored, commit batch by batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from tqdm import tqdm

from theoros_agents.knowledge.documents import Passage, PlotDocument, passages, unique_ids
from theoros_agents.knowledge.graph_store import GraphStore
from theoros_agents.knowledge.linker import LabelIndex
from theoros_agents.knowledge.plot_store import PlotStore
from theoros_agents.knowledge.sparql import WD

BATCH = 64
LOOKUP = 500
FACT_PROPERTIES = {"P57": "director", "P495": "country", "P136": "genres"}


@dataclass
class LoadReport:
    """What one load did, in documents (films) and passages."""

    documents: int = 0
    added: int = 0
    skipped: int = 0
    linked: int = 0
    relinked: int = 0
    passages: int = 0
    bodies: int = 0
    """Passages stored before body vectors were kept that got theirs in this load."""

    def summary(self) -> str:
        """Say it in one line."""
        bodies = f"; {self.bodies} stored passages got their body vector" if self.bodies else ""
        return (
            f"{self.documents} documents: {self.added} added ({self.passages} passages), {self.skipped} already "
            f"stored, {self.linked} linked to graph ids, {self.relinked} passages relinked{bodies}"
        )


def film_qid(index: LabelIndex, title: str, year: int | None) -> str:
    """Return the Q-id of the one film with this title and year (±1 for release-date drift), else ''."""
    films = [e for e in index.exact(title) if e.kind == "film"]
    if year is None:
        return films[0].id if len(films) == 1 else ""
    for tolerance in (0, 1):
        close = [e for e in films if e.year is not None and abs(e.year - year) <= tolerance]
        if close:
            return close[0].id if len(close) == 1 else ""
    return ""


def graph_facts(graph: GraphStore, qids: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    """Read director, country and genre labels of films from the graph, by Q-id."""
    facts: dict[str, dict[str, list[str]]] = {}
    properties = " ".join(f"wdt:{p}" for p in FACT_PROPERTIES)
    for start in range(0, len(qids), LOOKUP):
        values = " ".join(f"wd:{q}" for q in qids[start : start + LOOKUP])
        query = (
            f"SELECT ?f ?p ?label WHERE {{ VALUES ?f {{ {values} }} VALUES ?p {{ {properties} }} "
            "?f ?p ?o . ?o rdfs:label ?label }"
        )
        for row in graph.select(query, validate=False, max_rows=0):
            key = FACT_PROPERTIES[row["p"].rsplit("/", 1)[-1]]
            facts.setdefault(row["f"].removeprefix(WD), {}).setdefault(key, []).append(row["label"])
    return facts


def enrich(documents: list[PlotDocument], graph: GraphStore) -> list[PlotDocument]:
    """Fill a linked document's missing director, countries and genres from the graph."""
    facts = graph_facts(graph, sorted({d.qid for d in documents if d.qid}))
    out = []
    for doc in documents:
        known = facts.get(doc.qid, {})
        out.append(
            replace(
                doc,
                director=doc.director or ", ".join(sorted(known.get("director", []))),
                country=doc.country or tuple(sorted(known.get("country", []))),
                genres=doc.genres or tuple(sorted(g.lower() for g in known.get("genres", []))),
            )
        )
    return out


def _stored(store: PlotStore, ids: Sequence[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for start in range(0, len(ids), LOOKUP):
        found.update(store.stored(ids[start : start + LOOKUP]))
    return found


def add_bodies(store: PlotStore, missing: list[Passage], vectors: Mapping[str, list[float]] | None = None) -> int:
    """Give stored passages their body vector (a store built before they were kept); return how many."""
    _in_batches(store.upsert_bodies, missing, vectors, "body vectors of stored passages")
    return len(missing)


def _in_batches(
    upsert: Callable[..., None], parts: list[Passage], vectors: Mapping[str, list[float]] | None, label: str
) -> None:
    with tqdm(total=len(parts), desc=label, unit="passage", disable=not parts, mininterval=0.5) as bar:
        for start in range(0, len(parts), BATCH):
            batch = parts[start : start + BATCH]
            upsert(batch, vectors)
            bar.update(len(batch))


def load_documents(
    store: PlotStore,
    documents: Iterable[PlotDocument],
    *,
    index: LabelIndex | None = None,
    graph: GraphStore | None = None,
    label: str = "plots",
    vectors: Mapping[str, list[float]] | None = None,
) -> LoadReport:
    """Store documents that are not stored yet, in committed batches, then rebuild the BM25 index.

    Documents are linked to graph ids through `index` and completed from `graph` when given. A passage already
    stored is skipped (no re-embedding); only its graph id is updated when linking now finds one.
    """
    docs = list(documents)
    if index is not None:
        docs = [d if d.qid else replace(d, qid=film_qid(index, d.title, d.year)) for d in docs]
    if graph is not None:
        docs = enrich(docs, graph)
    by_film = [(film_id, doc, passages(doc, film_id)) for film_id, doc in unique_ids(docs)]
    stored = _stored(store, [p.id for _, _, ps in by_film for p in ps])
    report = LoadReport(documents=len(by_film), linked=sum(1 for d in docs if d.qid))
    fresh: list[Passage] = []
    relink: list[Passage] = []
    for _, _, parts in by_film:
        new = [p for p in parts if p.id not in stored]
        fresh += new
        relink += [p for p in parts if p.id in stored and p.metadata["qid"] != stored[p.id].get("qid", "")]
        report.added += bool(new)
        report.skipped += not new
    report.passages, report.relinked = len(fresh), len(relink)
    report.bodies = add_bodies(store, store.missing_bodies(), vectors)
    _in_batches(store.upsert, fresh, vectors, label)
    store.update_metadata([p.id for p in relink], [p.metadata for p in relink])
    if fresh or relink:
        store.refresh_lexical()
    return report
