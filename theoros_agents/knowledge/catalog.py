"""The starter catalog shipped in the package: facts (N-Triples) and synopses written for Theoros."""

from __future__ import annotations

from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
FACTS = CATALOG_DIR / "films.nt"
SYNOPSES = CATALOG_DIR / "synopses.jsonl"
