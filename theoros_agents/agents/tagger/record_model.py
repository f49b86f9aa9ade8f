"""The tagger's third model: logistic regression over a film's record (see `record.Record`).

Features: the record's numbers (logs of runtime, votes and revenue; a flag for each missing one, which is
filled with the training mean) standardised on the training records, and one indicator per director or cast
member named in at least two training records. Alone it is weak (cross-validated macro-F1 about 0.30 on IMDB's
581 films); added to the text ensemble it lifts every fold (see the README's tagger section).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from theoros_agents.agents.tagger.classifier import OneVsRest
from theoros_agents.agents.tagger.dataset import Example
from theoros_agents.agents.tagger.record import NUMBERS, Record

RECORD_C = 1.0
MIN_SHARED = 2
"""A name counts as a feature when at least this many training records hold it: one film teaches nothing."""
_LOGGED = frozenset({"runtime", "votes", "revenue"})


def _names(record: Record) -> list[str]:
    return [f"director:{n.casefold()}" for n in record.director] + [f"cast:{n.casefold()}" for n in record.cast]


def _raw(record: Record) -> list[float]:
    values = []
    for name in NUMBERS:
        value = getattr(record, name)
        values.append(np.nan if value is None else float(np.log1p(value)) if name in _LOGGED else value)
    return values


@dataclass
class RecordModel:
    """Per-label logistic regression over a record's numbers and names."""

    names: dict[str, int]
    mean: np.ndarray
    scale: np.ndarray
    model: OneVsRest

    @classmethod
    def fit(cls, examples: Sequence[Example], labels: Sequence[str]) -> RecordModel:
        """Fit on examples that all have a record."""
        records = [e.record for e in examples if e.record is not None]
        if len(records) != len(examples):
            raise ValueError("every example must have a record")
        counts = Counter(name for r in records for name in set(_names(r)))
        names = {name: j for j, name in enumerate(sorted(n for n, c in counts.items() if c >= MIN_SHARED))}
        raw = np.array([_raw(r) for r in records], dtype=float)
        mean = np.array([0.0 if np.isnan(column).all() else float(np.nanmean(column)) for column in raw.T])
        scale = np.where(np.isnan(raw), mean, raw).std(axis=0) + 1e-6
        features = _features(records, names, mean, scale)
        return cls(names, mean, scale, OneVsRest.fit(features, examples, labels, RECORD_C))

    def predict(self, records: Sequence[Record]) -> np.ndarray:
        """The probability of every label for every record."""
        return self.model.predict(_features(records, self.names, self.mean, self.scale))


def _features(
    records: Sequence[Record], names: dict[str, int], mean: np.ndarray, scale: np.ndarray
) -> sparse.csr_matrix:
    """Standardised numbers, missing-value flags, and name indicators, one row per record."""
    raw = np.array([_raw(r) for r in records], dtype=float).reshape(len(records), len(NUMBERS))
    missing = np.isnan(raw)
    numbers = (np.where(missing, mean, raw) - mean) / scale
    rows, cols = [], []
    for i, record in enumerate(records):
        hits = sorted({names[n] for n in _names(record) if n in names})
        rows += [i] * len(hits)
        cols += hits
    indicators = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(records), len(names)))
    return sparse.hstack([sparse.csr_matrix(numbers), sparse.csr_matrix(missing.astype(float)), indicators]).tocsr()
