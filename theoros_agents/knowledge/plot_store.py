"""The plot store: Chroma vectors (embedded or a `chroma run` server) plus BM25, fused by score or by rank."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space

from theoros_agents.errors import ConfigError, StoreError
from theoros_agents.knowledge.catalog import text_key
from theoros_agents.knowledge.documents import Passage, body_of
from theoros_agents.knowledge.embeddings import Embedder, load_embedder
from theoros_agents.knowledge.filters import Where, for_chroma
from theoros_agents.knowledge.lexical import LexicalIndex
from theoros_agents.knowledge.ranking import RANKERS, combine, normalize_query, rocchio

COLLECTION = "plots"
BODIES = "plot_bodies"
"""Each passage's second vector, of its text without the "Title (Year): " heading; a passage's similarity is the
higher of its two. Short descriptions match the bare text better (the heading is a large part of a 30-word IMDB
description), while a question naming a film matches the heading: README "Retriever" has the figures."""
RRF_K = 10
"""Reciprocal rank fusion constant: Cormack et al. (2009) use 60 for deep lists; fusing two top-30 lists, 10 lets
a first place count (cross-source dev set recall@5: 0.911 at 60, 0.946 at 10, 0.929 at 5 and at 20)."""
WEIGHTS = {"bm25": 1.5, "vector": 1.0}
"""BM25 outranks MiniLM alone on both dev sets (cross-source recall@5 0.911 vs 0.750), so its votes weigh more."""
DEPTH = 30
"""How many passages of each ranker are fused (recall was flat from 20 to 50; fewer is faster)."""
FUSION_WEIGHT = 0.2
"""BM25's weight beside the cosine in score fusion (best MRR on the tune split over 0.0-1.0; 0.3 before passages
had body vectors)."""
PRF_DOCS, PRF_BETA = 3, 0.3
"""Rocchio feedback: the first fused passages the query vector moves toward, and how far."""
PAGE = 2000
POOL, POOL_FACTOR = 200, 10
"""A broad filter is applied to the unfiltered top max(POOL, k * POOL_FACTOR) passages."""
SELECTIVE = 2000
"""A filter matching at most this many passages restricts the vector search to their ids."""
RECENT_QUERIES = 4
"""Query embeddings kept: the retriever searches one question up to three times (with its filters, without them,
and for its relevance floor), and embedding it is most of a search's time."""


class ChromaEmbeddings(EmbeddingFunction[Documents]):
    """Adapt an `Embedder` to Chroma's embedding-function protocol."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - the protocol names it `input`
        """Embed documents."""
        return self.embedder.embed(list(input))  # type: ignore[return-value]

    def embed_query(self, input: Documents) -> Embeddings:  # noqa: A002
        """Embed queries one by one, on the fast single-query path."""
        return [self.embedder.embed_query(text) for text in input]  # type: ignore[misc]

    @staticmethod
    def name() -> str:
        """Name this embedding function in Chroma's collection configuration."""
        return "theoros"

    def get_config(self) -> dict[str, Any]:
        """Return what rebuilds this function: the model id."""
        return {"model": self.embedder.model_id}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddings:
        """Rebuild from `get_config` output."""
        return ChromaEmbeddings(load_embedder(config["model"]))

    def default_space(self) -> Space:
        """Use cosine distance: the vectors are normalized sentence embeddings."""
        return "cosine"


@dataclass(frozen=True)
class Hit:
    """A passage found by a search, with its fused score and its rank in each ranker (1 = best)."""

    id: str
    text: str
    metadata: dict
    score: float
    ranks: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The film's title."""
        return str(self.metadata.get("title", ""))

    @property
    def year(self) -> int | None:
        """The film's year, None when unknown."""
        return year_of(self.metadata)

    @property
    def film_id(self) -> str:
        """The film the passage is of (a film may have several passages)."""
        return film_of(self.id, self.metadata)


def film_of(doc_id: str, metadata: Mapping[str, Any]) -> str:
    """The film a passage is of: its `film_id`, else the passage itself."""
    return str(metadata.get("film_id", doc_id))


def year_of(metadata: Mapping[str, Any]) -> int | None:
    """A passage's film year, None when unknown."""
    return int(metadata.get("year") or 0) or None


def rrf(
    rankings: Mapping[str, Sequence[str]], k: int = RRF_K, weights: Mapping[str, float] | None = None
) -> list[tuple[str, float, dict[str, int]]]:
    """Fuse rankings by weighted reciprocal rank: score(d) = sum of weight / (k + rank); best first, ties by id.

    Args:
        rankings: Ids best first, by ranker name.
        k: The fusion constant; smaller gives the top ranks more say.
        weights: Weight of each ranker's votes (1.0 for a ranker not named).
    """
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    for ranker, ids in rankings.items():
        weight = (weights or {}).get(ranker, 1.0)
        for rank, doc_id in enumerate(ids, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
            ranks.setdefault(doc_id, {})[ranker] = rank
    return [(d, scores[d], ranks[d]) for d in sorted(scores, key=lambda d: (-scores[d], d))]


def _ranks(doc_id: str, bm25: Mapping[str, int], vector: Mapping[str, int]) -> dict[str, int]:
    """The passage's rank in each candidate list it is in."""
    ranks = {"bm25": bm25.get(doc_id, 0), "vector": vector.get(doc_id, 0)}
    return {name: rank for name, rank in ranks.items() if rank}


def _client(path: Path | None, url: str) -> Any:
    import chromadb
    from chromadb.config import Settings

    # Chroma's telemetry would phone home from an offline machine.
    settings = Settings(anonymized_telemetry=False)
    if not url:
        assert path is not None
        return chromadb.PersistentClient(path=str(path), settings=settings)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(f"chroma_url must look like http://host:port, got {url!r}")
    port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    try:
        return chromadb.HttpClient(host=parsed.hostname, port=port, ssl=parsed.scheme == "https", settings=settings)
    except (httpx.HTTPError, ValueError, ConnectionError) as exc:
        raise StoreError(f"Chroma server {url} unreachable: {exc}") from exc


def _collection(client: Any, name: str, embedder: Embedder, location: str, create: bool = True) -> Any:
    """Open (creating, unless not `create`: then None when missing) one collection of the embedding model."""
    if not create and name not in {c if isinstance(c, str) else c.name for c in client.list_collections()}:
        return None
    try:
        collection = client.get_or_create_collection(
            name,
            embedding_function=ChromaEmbeddings(embedder),
            metadata={"embedding_model": embedder.model_id},
            configuration={"hnsw": {"space": "cosine"}},
        )
    except (httpx.HTTPError, ValueError, ConnectionError) as exc:
        raise StoreError(f"cannot open the plot collection in {location}: {exc}") from exc
    built_with = (collection.metadata or {}).get("embedding_model")
    if built_with != embedder.model_id:
        raise ConfigError(
            f"the plot store in {location} was built with embedding model {built_with!r}, not "
            f"{embedder.model_id!r}; set embedding_model={built_with!r} or use another home or server"
        )
    return collection


class PlotStore:
    """Plot passages in a Chroma collection, their body vectors in a second one, and a BM25 index beside them."""

    def __init__(
        self, collection: Any, embedder: Embedder, lexical: LexicalIndex, location: str, bodies: Any = None
    ) -> None:
        self.collection, self.embedder, self.lexical, self.location = collection, embedder, lexical, location
        self.bodies = bodies
        self.bodies_complete = self._bodies_complete()
        # A tuple, so that no caller can change the cached vector.
        self._query_vector = functools.lru_cache(maxsize=RECENT_QUERIES)(lambda q: tuple(embedder.embed_query(q)))

    @classmethod
    def open(cls, home: Path, *, url: str = "", embedding_model: str, read_only: bool = False) -> PlotStore:
        """Open (creating) the store: embedded under `home`/plots, or on the Chroma server at `url`.

        The BM25 index lives under `home` either way, and is rebuilt when it no longer matches the collection
        (unless `read_only`: a status report changes nothing).
        """
        path = home / "plots"
        location = f"Chroma server {url}" if url else f"embedded Chroma at {path}"
        client = _client(None if url else path, url)
        embedder = load_embedder(embedding_model)
        collection = _collection(client, COLLECTION, embedder, location)
        bodies = _collection(client, BODIES, embedder, location, create=not read_only)
        lexical_dir = home / ("bm25" if not url else "bm25-" + "".join(c if c.isalnum() else "-" for c in url))
        store = cls(collection, embedder, LexicalIndex(lexical_dir), location, bodies)
        if not read_only:
            store.refresh_lexical(force=False)
        return store

    def _bodies_complete(self) -> bool:
        """Whether every passage has its body vector; a store built before they were kept has none, or some."""
        return self.bodies is not None and 0 < self.bodies.count() == self.count()

    def describe(self) -> str:
        """Say where the store is."""
        return f"{self.location} (BM25 at {self.lexical.path}, embeddings {self.embedder.model_id})"

    def count(self) -> int:
        """Return how many passages the store holds."""
        return int(self.collection.count())

    def stored(self, ids: Sequence[str]) -> dict[str, dict]:
        """Return the metadata of those of `ids` already stored."""
        found = self.collection.get(ids=list(ids), include=["metadatas"])
        return dict(zip(found["ids"], found["metadatas"] or [{}] * len(found["ids"]), strict=True))

    def titled(self, title: str) -> list[str]:
        """The ids of the passages stored under exactly this title (a source may end it with a period)."""
        return [*self.lexical.titled(title), *self.lexical.titled(f"{title}.")]

    def films_titled(self, title: str) -> dict[str, int | None]:
        """The films stored under exactly this title: film id → year."""
        films: dict[str, int | None] = {}
        for doc_id, (_, metadata) in self._passages(self.titled(title)).items():
            films.setdefault(film_of(doc_id, metadata), year_of(metadata))
        return films

    def upsert(self, batch: Sequence[Passage], vectors: Mapping[str, list[float]] | None = None) -> None:
        """Embed and store passages, each with its body vector; an id already stored is replaced, never duplicated.

        `vectors` holds embeddings made beforehand, keyed by passage id and text hash (`catalog.text_key`);
        they are used when they cover the whole batch.
        """
        if not batch:
            return
        ids, texts, metadatas = [p.id for p in batch], [p.text for p in batch], [p.metadata for p in batch]
        embeddings = self._embeddings(batch, texts, vectors)
        self.collection.upsert(ids=ids, documents=texts, metadatas=metadatas, embeddings=embeddings)
        self.upsert_bodies(batch, vectors)

    def upsert_bodies(self, batch: Sequence[Passage], vectors: Mapping[str, list[float]] | None = None) -> None:
        """Store the body vectors of passages (`Passage.plain`), with their metadata so that filters apply."""
        if batch and self.bodies is not None:
            embeddings = self._embeddings(batch, [p.plain for p in batch], vectors)
            self.bodies.upsert(ids=[p.id for p in batch], metadatas=[p.metadata for p in batch], embeddings=embeddings)
            self.bodies_complete = self._bodies_complete()

    def _embeddings(
        self, batch: Sequence[Passage], texts: list[str], vectors: Mapping[str, list[float]] | None
    ) -> list[list[float]]:
        known = [(vectors or {}).get(f"{p.id}|{text_key(text)}") for p, text in zip(batch, texts, strict=True)]
        return known if all(v is not None for v in known) else self.embedder.embed(texts)  # type: ignore[return-value]

    def missing_bodies(self) -> list[Passage]:
        """The stored passages that have no body vector yet, their bodies read back from the stored text."""
        if self.bodies is None or self.bodies_complete:
            return []
        have = set(self.bodies.get(include=[])["ids"])
        return [
            Passage(i, text, dict(meta), body_of(text, meta))
            for page_ids, page_texts, page_metas in self._pages()
            for i, text, meta in zip(page_ids, page_texts, page_metas, strict=True)
            if i not in have
        ]

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict]) -> None:
        """Change metadata without re-embedding (an id without a body vector is skipped there)."""
        if ids:
            for collection in (self.collection, self.bodies):
                if collection is not None:
                    collection.update(ids=list(ids), metadatas=list(metadatas))

    def _pages(self) -> Iterator[tuple[list[str], list[str], list[dict]]]:
        offset = 0
        while True:
            page = self.collection.get(include=["documents", "metadatas"], limit=PAGE, offset=offset)
            if not page["ids"]:
                return
            yield page["ids"], page["documents"], page["metadatas"]
            offset += len(page["ids"])

    def refresh_lexical(self, force: bool = True) -> None:
        """Rebuild the BM25 index from the collection (when forced, or when their counts differ)."""
        if not force and len(self.lexical) == self.count():
            return
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict] = []
        for page_ids, page_texts, page_metas in self._pages():
            ids += page_ids
            texts += page_texts
            metas += page_metas
        self.lexical.build(ids, texts, metas)

    def _vector_collections(self, bodies: bool = True) -> list[Any]:
        """The collections a vector search reads: body vectors only once every passage has one."""
        return [self.collection, self.bodies] if bodies and self.bodies_complete else [self.collection]

    def _nearest(
        self, embedding: list[float], k: int, where: Where | None, ids: list[str] | None = None, bodies: bool = True
    ) -> list[tuple[str, float]]:
        """The k passages nearest `embedding` by cosine distance, each at the nearer of its vectors."""
        closest: dict[str, float] = {}
        for collection in self._vector_collections(bodies):
            try:
                found = collection.query(
                    query_embeddings=[embedding], n_results=k, where=for_chroma(where), ids=ids, include=["distances"]
                )
            except ValueError as exc:
                raise StoreError(f"vector search with filter {where!r} failed: {exc}") from exc
            for doc_id, distance in zip(found["ids"][0], found["distances"][0], strict=True):
                closest[doc_id] = min(distance, closest.get(doc_id, distance))
        return sorted(closest.items(), key=lambda pair: (pair[1], pair[0]))[:k]

    def _passages(self, ids: Sequence[str]) -> dict[str, tuple[str, dict]]:
        """Text and metadata by id: from the in-memory BM25 side-index, else (not indexed yet) from Chroma."""
        known = {i: self.lexical.passage(i) for i in ids if i in self.lexical.positions}
        missing = [i for i in ids if i not in known]
        if missing:
            found = self.collection.get(ids=missing, include=["documents", "metadatas"])
            known |= {
                i: (t, dict(m)) for i, t, m in zip(found["ids"], found["documents"], found["metadatas"], strict=True)
            }
        return known

    def _filtered(self, embedding: list[float], k: int, where: Where, bodies: bool = True) -> list[tuple[str, float]]:
        """Nearest passages that match `where`, without Chroma's metadata filter (20-30 ms for a broad one).

        A selective filter searches only its passages; a broad one filters a larger unfiltered pool, which gives
        the same top k whenever k of the pool pass, and falls back to Chroma's filter when too few do.
        """
        allowed = self.lexical.matching_ids(where)
        if len(allowed) <= SELECTIVE:
            return self._nearest(embedding, min(k, len(allowed)), None, allowed, bodies) if allowed else []
        allowed_set = set(allowed)
        size = min(max(k * POOL_FACTOR, POOL), self.count())
        pool = self._nearest(embedding, size, None, bodies=bodies)
        nearest = [(i, d) for i, d in pool if i in allowed_set][:k]
        if len(nearest) < k and len(pool) == size:
            nearest = self._nearest(embedding, k, where, bodies=bodies)
        return nearest

    def vector_search(
        self, query: str, k: int = 10, where: Where | None = None, bodies: bool = True, ids: list[str] | None = None
    ) -> list[Hit]:
        """Rank passages by embedding similarity (score: cosine; of the full-text vectors alone without `bodies`).

        `ids` ranks only those passages (say, those of one title), without a filter pass over the others.
        """
        if k <= 0 or not query.strip() or ids == []:
            return []
        embedding = list(self._query_vector(query))
        if ids is not None:
            nearest = self._nearest(embedding, min(k, len(ids)), None, ids, bodies)
        elif where:
            nearest = self._filtered(embedding, k, where, bodies)
        else:
            nearest = self._nearest(embedding, k, None, None, bodies)
        found = self._passages([i for i, _ in nearest])
        return [
            Hit(i, found[i][0], found[i][1], 1.0 - distance, {"vector": rank})
            for rank, (i, distance) in enumerate(nearest, start=1)
            if i in found
        ]

    def bm25_search(self, query: str, k: int = 10, where: Where | None = None) -> list[Hit]:
        """Rank passages by BM25 (score: BM25)."""
        hits = []
        for rank, (doc_id, score) in enumerate(self.lexical.search(query, k, where), start=1):
            text, meta = self.lexical.passage(doc_id)
            hits.append(Hit(doc_id, text, meta, score, {"bm25": rank}))
        return hits

    def rank(self, ranker: str, query: str, k: int = 10, where: Where | None = None) -> list[Hit]:
        """Search with the ranker named by `retriever_ranker` (one of `RANKERS`)."""
        match ranker:
            case "hybrid":
                return self.search(query, k, where)
            case "score":
                return self.score_search(query, k, where)
            case "normalized":
                return self.score_search(normalize_query(query), k, where)
            case "prf":
                return self.score_search(query, k, where, feedback=True)
            case "bm25":
                return self.bm25_search(query, k, where)
            case "vector":
                return self.vector_search(query, k, where)
        raise ConfigError(f"unknown ranker {ranker!r}; rankers are {', '.join(RANKERS)}")

    def search(self, query: str, k: int = 10, where: Where | None = None, depth: int = DEPTH) -> list[Hit]:
        """Hybrid search: the top `depth` of BM25 and of vectors, fused by weighted reciprocal rank; the best k."""
        depth = max(depth, k)
        bm25 = self.bm25_search(query, depth, where)
        vector = self.vector_search(query, depth, where)
        found = {h.id: h for h in bm25 + vector}
        fused = rrf({"bm25": [h.id for h in bm25], "vector": [h.id for h in vector]}, weights=WEIGHTS)
        return [Hit(d, found[d].text, found[d].metadata, score, ranks) for d, score, ranks in fused[:k]]

    def score_search(
        self, query: str, k: int = 10, where: Where | None = None, depth: int = DEPTH, feedback: bool = False
    ) -> list[Hit]:
        """Score fusion: the top `depth` of BM25 and of vectors, each scored by both (`ranking.combine`); the best k.

        A passage that only one ranker found is scored by the other too. With `feedback`, the query vector moves
        toward the first fused passages (Rocchio) and the vector side is searched again.
        """
        if k <= 0 or not query.strip():
            return []
        depth = max(depth, k)
        embedding = list(self._query_vector(query))
        bm25 = dict(self.lexical.search(query, depth, where))
        nearest = self._filtered(embedding, depth, where) if where else self._nearest(embedding, depth, None)
        fused = self._fuse(query, embedding, nearest, bm25)
        if feedback and fused:
            top = [d for d, _ in fused[:PRF_DOCS]]
            vectors = self._vectors(top)
            shifted = rocchio(embedding, [vectors[d].tolist() for d in top if d in vectors], PRF_BETA)
            nearest = self._filtered(shifted, depth, where) if where else self._nearest(shifted, depth, None)
            fused = self._fuse(query, shifted, nearest, bm25)
        found = self._passages([d for d, _ in fused[:k]])
        vector_ranks = {i: rank for rank, (i, _) in enumerate(nearest, start=1)}
        bm25_ranks = {i: rank for rank, i in enumerate(bm25, start=1)}
        return [
            Hit(d, found[d][0], found[d][1], score, _ranks(d, bm25_ranks, vector_ranks))
            for d, score in fused[:k]
            if d in found
        ]

    def _fuse(
        self, query: str, embedding: list[float], nearest: list[tuple[str, float]], bm25: dict[str, float]
    ) -> list[tuple[str, float]]:
        """Score the union of both candidate lists by both rankers and fuse.

        The vector search already gave its passages' similarity; only the passages BM25 alone found need
        their stored vectors fetched.
        """
        similarity = {i: 1.0 - distance for i, distance in nearest}
        query_vector = np.asarray(embedding, dtype=np.float32)
        only_bm25 = [i for i in bm25 if i not in similarity]
        for collection in self._vector_collections():
            for doc_id, vector in self._vectors(only_bm25, collection).items():
                similarity[doc_id] = max(float(vector @ query_vector), similarity.get(doc_id, -1.0))
        missing = [i for i in similarity if i not in bm25]
        scores = bm25 | dict(zip(missing, self.lexical.scores(query, missing), strict=True))
        return combine(similarity, scores, FUSION_WEIGHT)

    def _vectors(self, ids: list[str], collection: Any = None) -> dict[str, np.ndarray]:
        """Stored embeddings by id (of the passages' full text, unless another collection is named)."""
        if not ids:
            return {}
        found = (self.collection if collection is None else collection).get(ids=ids, include=["embeddings"])
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(found["ids"], found["embeddings"], strict=True)}

    def stats(self) -> dict[str, Any]:
        """Count passages, films, films per source and films linked to graph ids (from the BM25 side-index)."""
        films: dict[str, dict] = {}
        for meta in self.lexical.metadatas:
            films.setdefault(str(meta.get("film_id", "")), meta)
        sources: dict[str, int] = {}
        for meta in films.values():
            sources[str(meta.get("source", ""))] = sources.get(str(meta.get("source", "")), 0) + 1
        linked = sum(1 for meta in films.values() if meta.get("qid"))
        bodies = self.bodies.count() if self.bodies is not None else 0
        return {"passages": self.count(), "films": len(films), "sources": sources, "linked": linked, "bodies": bodies}
