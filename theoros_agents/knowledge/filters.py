"""Chroma `where` filters evaluated in Python, so the BM25 ranker filters exactly as the vector ranker does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from theoros_agents.errors import ConfigError

Where = Mapping[str, Any]


_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "$eq": lambda value, wanted: value == wanted,
    "$ne": lambda value, wanted: value != wanted,
    "$gt": lambda value, wanted: value > wanted,
    "$gte": lambda value, wanted: value >= wanted,
    "$lt": lambda value, wanted: value < wanted,
    "$lte": lambda value, wanted: value <= wanted,
    "$in": lambda value, wanted: value in wanted,
    "$nin": lambda value, wanted: value not in wanted,
    "$contains": lambda value, wanted: wanted in value,
    "$not_contains": lambda value, wanted: wanted not in value,
}
_NEGATIVE = frozenset({"$ne", "$nin", "$not_contains"})
_LIST_OPERATORS = frozenset({"$contains", "$not_contains"})


def _compare(op: str, value: Any, wanted: Any) -> bool:
    if op not in _TESTS:
        raise ConfigError(f"unknown filter operator {op!r}; operators are {', '.join(_TESTS)}")
    # As in Chroma: a missing key, a scalar operator on a list or a list operator on a scalar
    # matches only the negative operators.
    if value is None or isinstance(value, list) != (op in _LIST_OPERATORS):
        return op in _NEGATIVE
    try:
        return _TESTS[op](value, wanted)
    except TypeError as exc:
        raise ConfigError(f"filter {op} {wanted!r} cannot compare with {value!r}") from exc


def matches(where: Where | None, metadata: Mapping[str, Any]) -> bool:
    """Say whether metadata satisfies a Chroma-style filter such as {"year": {"$gte": 1990}}."""
    if not where:
        return True
    for key, condition in where.items():
        if key == "$and":
            if not all(matches(part, metadata) for part in condition):
                return False
        elif key == "$or":
            if not any(matches(part, metadata) for part in condition):
                return False
        elif isinstance(condition, Mapping):
            if not all(_compare(op, metadata.get(key), wanted) for op, wanted in condition.items()):
                return False
        elif not _compare("$eq", metadata.get(key), condition):
            return False
    return True


def for_chroma(where: Where | None) -> dict | None:
    """Return the filter in the shape Chroma accepts: None when empty, several keys joined by `$and`."""
    if not where:
        return None
    if len(where) > 1:
        return {"$and": [{key: value} for key, value in where.items()]}
    return dict(where)
