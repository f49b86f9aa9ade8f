"""Read evaluation datasets: JSONL, one object per line, bad lines reported by file and number."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from theoros_agents.errors import ConfigError

T = TypeVar("T")


def read_jsonl(path: Path, parse: Callable[[dict[str, Any]], T], expected: str) -> list[T]:
    """Turn each JSON object of a JSONL file into an item with `parse`; blank lines are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read dataset {str(path)!r}: {exc}") from exc
    items = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                items.append(parse(json.loads(line)))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ConfigError(f"{path}:{number}: expected {expected}: {exc}") from exc
    return items
