"""Ingest-time tagging: `theoros ingest --tag` tags every film of the plot store and writes the tags as metadata.

The tagger reads only each film's plot text: never the genres a source stored beside it (IMDB's, for
instance, stay in `genres`), so stored labels cannot leak into the tags. Tags go to the metadata key
`tags` (every label, genres and subgenres) so that the retriever can filter with
`{"tags": {"$contains": "heist film"}}`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from theoros_agents.agents.tagger.graph import build_tagger
from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.agents.tagger.scoring import resolve_strategy
from theoros_agents.context import Context

TAGS_KEY = "tags"
STRATEGY_KEY = "tagger"


@dataclass
class TagReport:
    """What one tagging pass did."""

    films: int = 0
    tagged: int = 0
    untagged: int = 0
    passages: int = 0

    def summary(self) -> str:
        """Say it in one line."""
        return f"{self.films} films: {self.tagged} tagged ({self.passages} passages), {self.untagged} without a tag"


def films_of(ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict]) -> dict[str, list[int]]:
    """Group passage positions by film, each film's passages in order."""
    films: dict[str, list[int]] = {}
    for position, meta in enumerate(metadatas):
        films.setdefault(str(meta.get("film_id") or ids[position]), []).append(position)
    for positions in films.values():
        positions.sort(key=lambda p: int(metadatas[p].get("passage", 0)))
    return films


def plot_text(text: str, meta: dict) -> str:
    """Strip the 'Title (Year): ' heading that each stored passage starts with."""
    heading = f"{meta.get('title', '')} ({meta.get('year')}): " if meta.get("year") else f"{meta.get('title', '')}: "
    return text[len(heading) :] if text.startswith(heading) else text


async def _tag_films(
    context: Context, films: dict[str, list[int]], texts: Sequence[str], metas: Sequence[dict]
) -> dict[str, list[str]]:
    graph = build_tagger().compile(name="tagger")
    tags: dict[str, list[str]] = {}
    for film, positions in tqdm(films.items(), desc="tagging", unit="film", leave=False):
        synopsis = " ".join(plot_text(texts[p], metas[p]) for p in positions)
        result = await graph.ainvoke({"question": synopsis}, context=context)
        tags[film] = [t["label"] for t in result.get("tags", [])]
    return tags


def tag_plot_store(context: Context, store: Any) -> TagReport:
    """Tag every film in `store` with the configured tagger and write the tags into its passages' metadata."""
    lexical = store.lexical
    ids, texts, metas = list(lexical.ids), list(lexical.texts), [dict(m) for m in lexical.metadatas]
    films = films_of(ids, texts, metas)
    tags = asyncio.run(_tag_films(context, films, texts, metas))
    strategy = resolve_strategy(context, load_labels(context.tagger_labels))
    report = TagReport(films=len(films))
    changed_ids, changed = [], []
    for film, positions in films.items():
        if not tags[film]:
            report.untagged += 1
            continue
        report.tagged += 1
        for p in positions:
            changed_ids.append(ids[p])
            changed.append(metas[p] | {TAGS_KEY: tags[film], STRATEGY_KEY: strategy})
    store.update_metadata(changed_ids, changed)
    report.passages = len(changed_ids)
    store.refresh_lexical(force=True)
    return report
