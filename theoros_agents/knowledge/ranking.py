"""Pure ranking pieces of the plot store: score fusion, query normalisation and Rocchio feedback.

They take scores and vectors, never a store, so the tuning script and the tests run them without Chroma.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

RANKERS = ("hybrid", "score", "normalized", "prf", "bm25", "vector")
"""The `retriever_ranker` choices: rank fusion; score fusion (the default); score fusion after query normalisation;
score fusion with vector feedback; each ranker alone. README "Retriever" compares them."""

BLURB_OPENING = re.compile(
    r"^(?:in|with) this (?:[\w'-]+ ){0,4}?(?:film|movie|documentary|drama|comedy|thriller|sequel|story|tale|"
    r"special|feature|adaptation|biopic|romance|romcom|musical|western|satire|documentary series),?\s+"
    r"|^this (?:[\w'-]+ ){0,3}?(?:film|movie|documentary|drama|comedy|thriller|sequel|story|tale|special|"
    r"feature|biopic) (?:follows|explores|chronicles|profiles|examines|recounts|tells|takes|traces|captures)\s+",
    re.IGNORECASE,
)
"""Catalogue boilerplate ("In this gripping drama, …", "This documentary follows …"): the words that say what the
film is about come after it. Only the frame is cut; a genre word that is the subject stays ("a comedy about …")."""


def normalize_query(query: str) -> str:
    """Cut a catalogue description's opening frame and unify quotes and dashes, keeping the rest as written."""
    text = query.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"\s*[\u2013\u2014]\s*", " - ", text).strip()
    stripped = BLURB_OPENING.sub("", text, count=1)
    # A frame with nothing after it is the whole query ("In this film."): keep it.
    return stripped[:1].upper() + stripped[1:] if len(stripped.split()) >= 3 else text


def combine(similarity: Mapping[str, float], bm25: Mapping[str, float], weight: float) -> list[tuple[str, float]]:
    """Fuse by score: cosine similarity + weight x BM25 / the query's best BM25; best first, ties by id.

    Dividing by the best BM25 score puts BM25 on the cosine's 0-1 scale for every query (raw BM25 grows with
    the query's length); unlike rank fusion, a passage well ahead on one ranker keeps its lead.

    Args:
        similarity: Cosine similarity of each candidate (every candidate must have one).
        bm25: BM25 score of each candidate (0 or absent when no query word occurs in it).
        weight: How much BM25 counts beside the cosine.
    """
    best = max(bm25.values(), default=0.0)
    scale = weight / best if best > 0 else 0.0
    fused = {doc_id: cosine + scale * bm25.get(doc_id, 0.0) for doc_id, cosine in similarity.items()}
    return [(d, fused[d]) for d in sorted(fused, key=lambda d: (-fused[d], d))]


def rocchio(query: Sequence[float], feedback: Sequence[Sequence[float]], beta: float) -> list[float]:
    """Move a unit query vector toward the mean of feedback vectors, then scale it back to unit length."""
    if not feedback or beta <= 0:
        return list(query)
    size = len(feedback)
    moved = [q + beta * sum(v[i] for v in feedback) / size for i, q in enumerate(query)]
    norm = math.sqrt(sum(x * x for x in moved)) or 1.0
    return [x / norm for x in moved]
