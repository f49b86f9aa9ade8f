"""The starter catalog shipped in the package: facts (N-Triples) and synopses written for Theoros."""

from __future__ import annotations

import functools
import json
from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
FACTS = CATALOG_DIR / "films.nt"
SYNOPSES = CATALOG_DIR / "synopses.jsonl"


@functools.lru_cache(maxsize=1)
def synopses() -> dict[str, dict]:
    """Return the starter synopses by Wikidata id."""
    if not SYNOPSES.is_file():
        return {}
    rows = (json.loads(line) for line in SYNOPSES.read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["qid"]: row for row in rows}
